"""Aisle clearance in front of racks (the minimum comes from the design settings, 1.2 m by default)."""

from __future__ import annotations

from support import make_entry

from designer.model import Catalog, Hall, ItemKind, PlacedItem, Role
from designer.model.geometry import aisle_problems

CATALOG = Catalog([make_entry("rack", ItemKind.RACK, Role.RACK, width_mm=600.0, depth_mm=1200.0)])
HALL = Hall("h", "Hall", ((0, 0), (20_000, 0), (20_000, 20_000), (0, 20_000)))


def facing_rows(gap_mm: float) -> list[PlacedItem]:
    """Two racks face each other across ``gap_mm`` of clear floor (front faces -y at rotation 0)."""
    # rack A's front face at y = 10,000 - 600 = 9,400; rack B (turned 180) faces +y, front at 9,400 - gap
    return [
        PlacedItem("a", "rack", "h", 5_000, 10_000, 0.0),
        PlacedItem("b", "rack", "h", 5_000, 9_400 - gap_mm - 600, 180.0),
    ]


def test_a_1200_mm_cold_aisle_is_enough() -> None:
    assert aisle_problems(HALL, facing_rows(1_200), CATALOG.__getitem__, 1_200) == {}


def test_a_900_mm_aisle_flags_both_racks() -> None:
    problems = aisle_problems(HALL, facing_rows(900), CATALOG.__getitem__, 1_200)
    assert set(problems) == {"a", "b"}
    assert "1.2 m" in problems["a"] and "blocked by b" in problems["a"]


def test_a_rack_facing_the_wall_too_closely_is_flagged() -> None:
    # front face at y = 1,400 - 600 = 800 mm from the wall at y = 0: less than 1.2 m
    problems = aisle_problems(HALL, [PlacedItem("w", "rack", "h", 5_000, 1_400, 0.0)], CATALOG.__getitem__, 1_200)
    assert "edge" in problems["w"]
