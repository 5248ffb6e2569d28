"""Placement checks: overlaps, items outside the hall and items standing on obstacles.

The property test pins the fast (grid, numpy) check to a brute-force reference that looks at every
pair of items, so the two must agree exactly: same items, same reasons, in the same order.
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from support import make_entry

from designer.model import Catalog, Hall, ItemKind, Obstacle, ObstacleKind, PlacedItem, Role
from designer.model.geometry import (
    EPSILON_MM,
    NOT_FLOOR_STANDING,
    _is_convex,
    _segments_cross,
    _shrunk,
    bounds_of,
    footprint_mm,
    placement_problems,
    point_in_polygon,
    polygons_intersect,
)

CATALOG = Catalog(
    [
        make_entry("rack", ItemKind.RACK, Role.RACK, width_mm=600.0, depth_mm=1200.0),
        make_entry("wide", ItemKind.RACK, Role.RACK, width_mm=800.0, depth_mm=1200.0),
        make_entry("cdu", ItemKind.COOLING, Role.CDU, width_mm=1000.0, depth_mm=800.0),
        make_entry("crah", ItemKind.COOLING, Role.CRAH, width_mm=2500.0, depth_mm=900.0),
        make_entry("busway", ItemKind.POWER, Role.BUSWAY, width_mm=300.0, depth_mm=3000.0),
        make_entry("pdu", ItemKind.POWER, Role.RACK_PDU, width_mm=100.0, depth_mm=100.0),
        make_entry("util", ItemKind.POWER, Role.UTILITY, width_mm=0.0, depth_mm=0.0),
    ]
)
COLUMN = Obstacle("col", ObstacleKind.COLUMN, ((4_000, 4_000), (4_600, 4_000), (4_600, 4_600), (4_000, 4_600)), "C1")
WEDGE = Obstacle("wedge", ObstacleKind.OTHER, ((7_000, 1_000), (8_500, 1_800), (7_200, 2_600)))
BOX_HALL = Hall("h", "Hall", ((0, 0), (10_000, 0), (10_000, 10_000), (0, 10_000)), obstacles=(COLUMN,))
L_HALL = Hall(
    "h",
    "L hall",
    ((0, 0), (10_000, 0), (10_000, 5_000), (5_000, 5_000), (5_000, 10_000), (0, 10_000)),
    obstacles=(COLUMN, WEDGE),
)


def _reference(hall: Hall, items: list[PlacedItem]) -> dict[str, str]:
    """Placement problems the slow way: every item against the outline and obstacles, every pair.

    Reasons come in the order the editor has always listed them: outside the hall, then obstacles in
    hall order, then overlaps in the order the hall's bucket grid (cells of 4 tiles, at least 1 m,
    walked item by item) first holds both items of a pair.
    """
    shapes: dict[str, list[tuple[float, float]]] = {}
    square: set[str] = set()
    for item in items:
        entry = CATALOG[item.catalog_id]
        if entry.role in NOT_FLOOR_STANDING or entry.width_mm <= 0 or entry.depth_mm <= 0:
            continue
        shapes[item.id] = footprint_mm(item.x_mm, item.y_mm, entry.width_mm, entry.depth_mm, item.rotation_deg)
        if item.rotation_deg % 90.0 == 0.0:
            square.add(item.id)
    boxes = {item_id: bounds_of(shape) for item_id, shape in shapes.items()}
    outline = hall.outline_mm
    hx0, hy0, hx1, hy1 = bounds_of(outline)
    outline_is_box = len(outline) == 4 and all(x in (hx0, hx1) and y in (hy0, hy1) for x, y in outline)
    problems: dict[str, list[str]] = {}
    for item_id, shape in shapes.items():
        x0, y0, x1, y1 = boxes[item_id]
        if outline_is_box:
            outside = x0 < hx0 - EPSILON_MM or y0 < hy0 - EPSILON_MM or x1 > hx1 + EPSILON_MM or y1 > hy1 + EPSILON_MM
        else:
            corners = _shrunk(shape, EPSILON_MM)
            crosses = any(
                _segments_cross(corners[i], corners[(i + 1) % 4], outline[j], outline[(j + 1) % len(outline)])
                for i in range(4)
                for j in range(len(outline))
            )
            outside = not all(point_in_polygon(x, y, outline) for x, y in corners) or (
                not _is_convex(outline) and crosses
            )
        if outside:
            problems.setdefault(item_id, []).append("outside the hall")
        for obstacle in hall.obstacles:
            if polygons_intersect(shape, obstacle.polygon_mm):
                problems.setdefault(item_id, []).append(
                    f"stands on {obstacle.kind.value} {obstacle.label or obstacle.id}"
                )
    # the order the bucket grid meets each pair: the first cell (in order of creation) holding both
    cell = max(hall.tile_mm * 4, 1000.0)
    cells: dict[str, list[tuple[int, int]]] = {}
    created: dict[tuple[int, int], int] = {}
    for item_id, (x0, y0, x1, y1) in boxes.items():
        cells[item_id] = [
            (gx, gy)
            for gx in range(math.floor(x0 / cell), math.floor(x1 / cell) + 1)
            for gy in range(math.floor(y0 / cell), math.floor(y1 / cell) + 1)
        ]
        for key in cells[item_id]:
            created.setdefault(key, len(created))
    order = list(shapes)
    overlapping = []
    for i, first in enumerate(order):
        for j in range(i + 1, len(order)):
            second = order[j]
            (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = boxes[first], boxes[second]
            boxes_overlap = (
                ax0 < bx1 - EPSILON_MM and bx0 < ax1 - EPSILON_MM and ay0 < by1 - EPSILON_MM and by0 < ay1 - EPSILON_MM
            )
            # square-on footprints are their boxes; anything else takes the polygon test
            if boxes_overlap and (
                (first in square and second in square) or polygons_intersect(shapes[first], shapes[second])
            ):
                shared = min(created[key] for key in set(cells[first]) & set(cells[second]))
                overlapping.append((shared, i, j))
    for _shared, i, j in sorted(overlapping):
        problems.setdefault(order[i], []).append(f"overlaps {order[j]}")
        problems.setdefault(order[j], []).append(f"overlaps {order[i]}")
    return {item_id: "; ".join(reasons) for item_id, reasons in problems.items()}


def _check(hall: Hall, items: list[PlacedItem]) -> dict[str, str]:
    fast = placement_problems(hall, items, CATALOG.__getitem__)
    expected = _reference(hall, items)
    assert fast == expected
    assert list(fast) == list(expected)  # the same order of items, too
    return fast


# ----------------------------------------------------------------- worked cases
def test_racks_side_by_side_do_not_overlap() -> None:
    items = [PlacedItem("a", "rack", "h", 2_000, 2_000, 0.0), PlacedItem("b", "rack", "h", 2_600, 2_000, 0.0)]
    assert _check(BOX_HALL, items) == {}


def test_a_2_mm_overlap_is_flagged_on_both_racks() -> None:
    items = [PlacedItem("a", "rack", "h", 2_000, 2_000, 0.0), PlacedItem("b", "rack", "h", 2_598, 2_000, 0.0)]
    assert _check(BOX_HALL, items) == {"a": "overlaps b", "b": "overlaps a"}


def test_a_1_mm_overlap_is_within_the_tolerance() -> None:
    items = [PlacedItem("a", "rack", "h", 2_000, 2_000, 0.0), PlacedItem("b", "rack", "h", 2_599, 2_000, 0.0)]
    assert _check(BOX_HALL, items) == {}


def test_a_rack_turned_90_degrees_overlaps_by_its_depth() -> None:
    # b turned 90 degrees is 1,200 mm wide along x: its centre must be 900 mm from a's to touch
    items = [PlacedItem("a", "rack", "h", 2_000, 2_000, 0.0), PlacedItem("b", "rack", "h", 2_890, 2_000, 90.0)]
    assert _check(BOX_HALL, items) == {"a": "overlaps b", "b": "overlaps a"}
    items[1] = PlacedItem("b", "rack", "h", 2_900, 2_000, 90.0)
    assert _check(BOX_HALL, items) == {}


def test_a_rack_at_45_degrees_is_checked_by_its_shape_not_its_box() -> None:
    # a 45-degree rack's box (about 1,273 mm square) reaches over a's corner; its edge passes 37 mm clear
    items = [PlacedItem("a", "rack", "h", 2_000, 2_000, 0.0), PlacedItem("b", "rack", "h", 2_900, 1_100, 45.0)]
    assert _check(BOX_HALL, items) == {}
    # moved down and closer, its corner digs into a
    items[1] = PlacedItem("b", "rack", "h", 2_600, 2_000, 45.0)
    assert _check(BOX_HALL, items) == {"a": "overlaps b", "b": "overlaps a"}


def test_outside_on_an_obstacle_and_overlapping_in_that_order() -> None:
    items = [
        PlacedItem("a", "rack", "h", 300, 4_300, 0.0),
        PlacedItem("b", "rack", "h", 4_300, 4_300, 0.0),
        PlacedItem("c", "rack", "h", 4_500, 4_300, 0.0),
        PlacedItem("d", "rack", "h", 8_000, 8_000, 0.0),  # in the notch of the L
        PlacedItem("bus", "busway", "h", 4_300, 4_300, 0.0),  # overhead: never a problem
    ]
    problems = _check(L_HALL, items)
    assert problems == {
        "b": "stands on column C1; overlaps c",
        "c": "stands on column C1; overlaps b",
        "d": "outside the hall",
    }
    # the box hall: a's edge is 0 mm from the wall, which is fine; d is inside
    assert _check(BOX_HALL, items) == {"b": "stands on column C1; overlaps c", "c": "stands on column C1; overlaps b"}


def test_the_reasons_list_every_overlap() -> None:
    items = [PlacedItem(f"r{i}", "crah", "h", 2_000 + 500 * i, 2_000, 0.0) for i in range(4)]
    assert _check(BOX_HALL, items)["r1"] == "overlaps r0; overlaps r2; overlaps r3"


# ----------------------------------------------------------------- property
# anywhere, or on a 300 mm lattice give or take 2 mm (touching, or overlapping by a hair)
coordinate = st.one_of(
    st.integers(-600, 10_600),
    st.builds(lambda k, d: k * 300 + d, st.integers(-2, 35), st.sampled_from([0, 0, -1, 1, 2])),
)
placements = st.lists(
    st.tuples(
        st.sampled_from(["rack", "rack", "rack", "wide", "cdu", "crah", "busway", "pdu", "util"]),
        coordinate,
        coordinate,
        st.sampled_from([0.0, 90.0, 180.0, 270.0, 30.0, 45.0]),
    ),
    min_size=1,
    max_size=24,
)


@settings(max_examples=300, deadline=None)
@given(placements, st.sampled_from([BOX_HALL, L_HALL]), st.sampled_from([600.0, 200.0]))
def test_the_fast_check_agrees_with_checking_every_pair(
    layout: list[tuple[str, int, int, float]], hall: Hall, tile_mm: float
) -> None:
    hall = Hall(hall.id, hall.name, hall.outline_mm, tile_mm=tile_mm, obstacles=hall.obstacles)
    items = [PlacedItem(f"i{k:02d}", kind, "h", x, y, rotation) for k, (kind, x, y, rotation) in enumerate(layout)]
    _check(hall, items)


@settings(max_examples=100, deadline=None)
@given(placements, st.sampled_from([BOX_HALL, L_HALL]))
def test_the_check_does_not_depend_on_ids_sorting_like_the_input(
    layout: list[tuple[str, int, int, float]], hall: Hall
) -> None:
    # ids in reverse order of the input, so "first in the input" and "first by id" differ
    items = [PlacedItem(f"i{99 - k:02d}", kind, "h", x, y, rot) for k, (kind, x, y, rot) in enumerate(layout)]
    _check(hall, items)
