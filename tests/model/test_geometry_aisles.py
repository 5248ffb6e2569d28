"""Aisle clearance in front of racks (the minimum comes from the design settings, 1.2 m by default)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from support import make_entry

from designer.model import Catalog, Hall, ItemKind, PlacedItem, Role
from designer.model.geometry import EPSILON_MM, aisle_problems, footprint_mm, point_in_polygon, polygons_intersect

CATALOG = Catalog([make_entry("rack", ItemKind.RACK, Role.RACK, width_mm=600.0, depth_mm=1200.0)])
HALL = Hall("h", "Hall", ((0, 0), (20_000, 0), (20_000, 20_000), (0, 20_000)))
SMALL_HALL = Hall("h", "Hall", ((0, 0), (10_000, 0), (10_000, 10_000), (0, 10_000)))
L_HALL = Hall("h", "L hall", ((0, 0), (10_000, 0), (10_000, 5_000), (5_000, 5_000), (5_000, 10_000), (0, 10_000)))


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


def test_the_clearance_is_measured_face_to_face() -> None:
    # 1,190 mm between the faces is short of 1.2 m; the check allows about 2 mm of tolerance
    assert set(aisle_problems(HALL, facing_rows(1_190), CATALOG.__getitem__, 1_200)) == {"a", "b"}
    assert aisle_problems(HALL, facing_rows(1_199), CATALOG.__getitem__, 1_200) == {}
    # the strip is 1,198 mm deep: a face 1,198 mm away overlaps it by 1 mm, within the tolerance
    assert aisle_problems(HALL, facing_rows(1_198), CATALOG.__getitem__, 1_200) == {}
    assert set(aisle_problems(HALL, facing_rows(1_197), CATALOG.__getitem__, 1_200)) == {"a", "b"}


def _reference(items: list[PlacedItem], min_aisle_mm: float, hall: Hall = SMALL_HALL) -> dict[str, str]:
    """The check done the slow way: every strip against every other footprint with polygons_intersect."""
    entry = CATALOG["rack"]
    problems: dict[str, str] = {}
    for item in items:
        angle = math.radians(item.rotation_deg)
        reach = entry.depth_mm / 2.0 + min_aisle_mm / 2.0
        strip = footprint_mm(
            item.x_mm + reach * math.sin(angle),
            item.y_mm - reach * math.cos(angle),
            entry.width_mm - 2 * EPSILON_MM,
            min_aisle_mm - 2 * EPSILON_MM,
            item.rotation_deg,
        )
        if not all(point_in_polygon(x, y, hall.outline_mm) for x, y in strip):
            problems[item.id] = "edge"
            continue
        for other in sorted(items, key=lambda o: o.id):
            if other.id != item.id and polygons_intersect(
                strip, footprint_mm(other.x_mm, other.y_mm, entry.width_mm, entry.depth_mm, other.rotation_deg)
            ):
                problems[item.id] = other.id
                break
    return problems


# anywhere, or on a 300 mm lattice give or take 2 mm (faces a hair's breadth apart)
coordinate = st.one_of(
    st.integers(2_000, 8_000), st.builds(lambda k, d: k * 300 + d, st.integers(7, 26), st.integers(-2, 2))
)
racks = st.lists(
    st.tuples(
        coordinate,
        coordinate,
        st.sampled_from([0.0, 90.0, 180.0, 270.0, 30.0, 45.0, 135.0]),
    ),
    min_size=1,
    max_size=14,
)


@settings(max_examples=300, deadline=None)
@given(racks, st.sampled_from([SMALL_HALL, L_HALL]))
def test_the_fast_check_agrees_with_checking_every_pair(placements: list[tuple[int, int, float]], hall: Hall) -> None:
    items = [PlacedItem(f"r{i:02d}", "rack", "h", x, y, rotation) for i, (x, y, rotation) in enumerate(placements)]
    fast = aisle_problems(hall, items, CATALOG.__getitem__, 1_200)
    expected = _reference(items, 1_200, hall)
    assert set(fast) == set(expected)
    for rack_id, blocker in expected.items():
        assert fast[rack_id] == (
            "less than 1.2 m clear to the hall's edge in front"
            if blocker == "edge"
            else f"less than 1.2 m clear in front (blocked by {blocker})"
        )
