"""Qt-free floor geometry for the editor: footprints, grid snapping and placement checks."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from itertools import compress
from operator import attrgetter
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from designer.model.catalog import CatalogEntry
from designer.model.records import Hall, PlacedItem, PointMm
from designer.model.roles import NOT_FLOOR_STANDING
from designer.model.types import Role

MIN_DRAWN_MM = 150.0
"""Items with no floor footprint (rack PDUs, ...) are still drawn this big so they can be picked."""


EPSILON_MM = 1.0
"""Touching footprints (racks side by side) are not an overlap."""

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]


def drawn_size_mm(entry: CatalogEntry) -> tuple[float, float]:
    """Width and depth used to draw ``entry`` (never zero)."""
    return max(entry.width_mm, MIN_DRAWN_MM), max(entry.depth_mm, MIN_DRAWN_MM)


def footprint_mm(x_mm: float, y_mm: float, width_mm: float, depth_mm: float, rotation_deg: float) -> list[PointMm]:
    """The four corners of a footprint centred at (x, y), rotated clockwise (y points down)."""
    angle = math.radians(rotation_deg)
    cos_a, sin_a = math.cos(angle), math.sin(angle)
    half_w, half_d = width_mm / 2.0, depth_mm / 2.0
    corners = ((-half_w, -half_d), (half_w, -half_d), (half_w, half_d), (-half_w, half_d))
    return [(x_mm + cx * cos_a - cy * sin_a, y_mm + cx * sin_a + cy * cos_a) for cx, cy in corners]


def bounds_of(points: Iterable[PointMm]) -> tuple[float, float, float, float]:
    pts = list(points)
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def rotated_extent_mm(width_mm: float, depth_mm: float, rotation_deg: float) -> tuple[float, float]:
    """Axis-aligned extent (x, y) of a rotated footprint."""
    angle = math.radians(rotation_deg)
    cos_a, sin_a = abs(math.cos(angle)), abs(math.sin(angle))
    return width_mm * cos_a + depth_mm * sin_a, width_mm * sin_a + depth_mm * cos_a


def snap_value(value_mm: float, tile_mm: float, origin_mm: float = 0.0) -> float:
    """``value_mm`` moved to the nearest grid line."""
    if tile_mm <= 0:
        return value_mm
    return origin_mm + round((value_mm - origin_mm) / tile_mm) * tile_mm


def snap_centre(
    x_mm: float, y_mm: float, extent_mm: tuple[float, float], tile_mm: float, origin_mm: PointMm = (0.0, 0.0)
) -> tuple[float, float]:
    """Centre position whose footprint's top-left corner lies on the tile grid."""
    half_x, half_y = extent_mm[0] / 2.0, extent_mm[1] / 2.0
    return (
        snap_value(x_mm - half_x, tile_mm, origin_mm[0]) + half_x,
        snap_value(y_mm - half_y, tile_mm, origin_mm[1]) + half_y,
    )


def point_in_polygon(x: float, y: float, polygon: Sequence[PointMm]) -> bool:
    """Even-odd rule; points on the boundary may go either way."""
    inside = False
    n = len(polygon)
    j = n - 1
    for i in range(n):
        xi, yi = polygon[i]
        xj, yj = polygon[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _segments_cross(a: PointMm, b: PointMm, c: PointMm, d: PointMm) -> bool:
    def orient(p: PointMm, q: PointMm, r: PointMm) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    d1, d2 = orient(c, d, a), orient(c, d, b)
    d3, d4 = orient(a, b, c), orient(a, b, d)
    return ((d1 > 0 > d2) or (d1 < 0 < d2)) and ((d3 > 0 > d4) or (d3 < 0 < d4))


def _is_convex(polygon: Sequence[PointMm]) -> bool:
    signs = set()
    n = len(polygon)
    for i in range(n):
        (ax, ay), (bx, by), (cx, cy) = polygon[i], polygon[(i + 1) % n], polygon[(i + 2) % n]
        cross = (bx - ax) * (cy - by) - (by - ay) * (cx - bx)
        if abs(cross) > 1e-9:
            signs.add(cross > 0)
    return len(signs) <= 1


def _convex_overlap(first: Sequence[PointMm], second: Sequence[PointMm], tolerance_mm: float) -> bool:
    """Separating-axis test: True when the shapes overlap by more than ``tolerance_mm`` on every axis."""
    for polygon in (first, second):
        n = len(polygon)
        for i in range(n):
            (ax, ay), (bx, by) = polygon[i], polygon[(i + 1) % n]
            length = math.hypot(bx - ax, by - ay)
            if length == 0:
                continue
            nx, ny = (ay - by) / length, (bx - ax) / length
            p1 = [x * nx + y * ny for x, y in first]
            p2 = [x * nx + y * ny for x, y in second]
            if min(max(p1), max(p2)) - max(min(p1), min(p2)) <= tolerance_mm:
                return False
    return True


def polygons_intersect(first: Sequence[PointMm], second: Sequence[PointMm], tolerance_mm: float = EPSILON_MM) -> bool:
    """True when the interiors of two simple polygons overlap (touching edges do not count)."""
    if _is_convex(first) and _is_convex(second):
        return _convex_overlap(first, second, tolerance_mm)
    for i in range(len(first)):
        a, b = first[i], first[(i + 1) % len(first)]
        for j in range(len(second)):
            if _segments_cross(a, b, second[j], second[(j + 1) % len(second)]):
                return True
    return any(point_in_polygon(x, y, second) for x, y in _shrunk(list(first), tolerance_mm)) or any(
        point_in_polygon(x, y, first) for x, y in _shrunk(list(second), tolerance_mm)
    )


def _shrunk(points: list[PointMm], by_mm: float) -> list[PointMm]:
    """The polygon pulled toward its centre, so shapes touching a boundary do not count as crossing it."""
    cx = sum(p[0] for p in points) / len(points)
    cy = sum(p[1] for p in points) / len(points)
    out: list[PointMm] = []
    for x, y in points:
        dx, dy = x - cx, y - cy
        length = math.hypot(dx, dy) or 1.0
        out.append((x - dx / length * by_mm, y - dy / length * by_mm))
    return out


def rotate_about(
    items: Sequence[PlacedItem], angle_deg: float, centre: PointMm | None = None
) -> list[tuple[PlacedItem, float, float, float]]:
    """(item, new x, new y, new rotation) for each item turned clockwise about ``centre``.

    Without a centre the group turns about the middle of the items' centres.
    """
    if centre is None:
        x0, y0, x1, y1 = bounds_of((item.x_mm, item.y_mm) for item in items)
        centre = ((x0 + x1) / 2.0, (y0 + y1) / 2.0)
    angle = math.radians(angle_deg)
    cos_a, sin_a = math.cos(angle), math.sin(angle)
    out = []
    for item in items:
        dx, dy = item.x_mm - centre[0], item.y_mm - centre[1]
        new_x = round(centre[0] + dx * cos_a - dy * sin_a, 3)
        new_y = round(centre[1] + dx * sin_a + dy * cos_a, 3)
        out.append((item, new_x, new_y, (item.rotation_deg + angle_deg) % 360.0))
    return out


def items_by_id(items: Mapping[str, PlacedItem], ids: Iterable[str]) -> list[PlacedItem]:
    return [items[i] for i in ids if i in items]


# ---------------------------------------------------------------- placement and aisle checks
# Both checks run over every item of a hall after each edit, so they work on numpy arrays: the
# footprints, their boxes and candidate pairs from a uniform grid. The exact polygon tests stay in
# Python for the few pairs that need them (anything not square-on), and the results are the ones the
# item-by-item loops gave: the property tests in tests/model pin them to pairwise references.


class _Boxes(NamedTuple):
    """Axis-aligned boxes as four columns (mm)."""

    x0: FloatArray
    y0: FloatArray
    x1: FloatArray
    y1: FloatArray

    def take(self, rows: IntArray) -> _Boxes:
        return _Boxes(self.x0[rows], self.y0[rows], self.x1[rows], self.y1[rows])


@dataclass(frozen=True, slots=True)
class _FloorItems:
    """The floor-standing items of one check as arrays; row ``i`` is ``ids[i]``.

    Items without a floor footprint (overhead, rack-mounted, zero-sized) are left out. Ids are unique
    in a project; were one repeated, its first position and its last placement would count.
    """

    ids: list[str]
    x_mm: FloatArray  # (n,) centres
    y_mm: FloatArray
    rotation_deg: FloatArray
    width_mm: FloatArray
    depth_mm: FloatArray
    is_rack: BoolArray
    cos_a: FloatArray  # (n,) of each rotation, as _cos_sin
    sin_a: FloatArray
    corners_mm: FloatArray  # (n, 4, 2), as footprint_mm
    boxes: _Boxes
    square: BoolArray  # rotated by a multiple of 90 degrees, so the footprint is its box
    cell_mm: float  # the grid for candidate pairs (_candidate_cell_mm of the boxes)

    def shape(self, index: int) -> list[PointMm]:
        """Footprint ``index`` as the list footprint_mm returns (for the exact polygon tests)."""
        return [(x, y) for x, y in self.corners_mm[index].tolist()]


def _floor_items(items: Iterable[PlacedItem], entry_of: Callable[[str], CatalogEntry]) -> _FloorItems:
    """The floor-standing items with a real footprint, their footprints and boxes."""
    items = list(items)
    catalog_ids = list(map(attrgetter("catalog_id"), items))
    entries: list[CatalogEntry] = []
    kind_of: dict[str, int] = {}  # catalog id -> row in entries, -1 when it does not stand on the floor
    for catalog_id in dict.fromkeys(catalog_ids):
        entry = entry_of(catalog_id)
        if entry.role in NOT_FLOOR_STANDING or entry.width_mm <= 0 or entry.depth_mm <= 0:
            kind_of[catalog_id] = -1
        else:
            kind_of[catalog_id] = len(entries)
            entries.append(entry)
    kinds = np.fromiter(map(kind_of.__getitem__, catalog_ids), np.int64, len(items))
    on_floor = kinds >= 0
    placed = list(compress(items, on_floor.tolist()))
    kinds = kinds[on_floor]
    ids = list(map(attrgetter("id"), placed))
    if len(set(ids)) < len(ids):  # a repeated id: its first position, its last placement
        last = {item_id: row for row, item_id in enumerate(ids)}
        rows = [last[item_id] for item_id in dict.fromkeys(ids)]
        placed, kinds, ids = [placed[row] for row in rows], kinds[rows], list(dict.fromkeys(ids))
    count = len(placed)
    x_mm = np.fromiter(map(attrgetter("x_mm"), placed), np.float64, count)
    y_mm = np.fromiter(map(attrgetter("y_mm"), placed), np.float64, count)
    rotation_deg = np.fromiter(map(attrgetter("rotation_deg"), placed), np.float64, count)
    width_mm = np.array([entry.width_mm for entry in entries], dtype=np.float64)[kinds]
    depth_mm = np.array([entry.depth_mm for entry in entries], dtype=np.float64)[kinds]
    is_rack = np.array([entry.role is Role.RACK for entry in entries], dtype=bool)[kinds]
    cos_a, sin_a = _cos_sin(rotation_deg)
    corners_mm = _footprints_mm(x_mm, y_mm, width_mm, depth_mm, cos_a, sin_a)
    boxes = _boxes_of(corners_mm)
    return _FloorItems(
        ids=ids,
        x_mm=x_mm,
        y_mm=y_mm,
        rotation_deg=rotation_deg,
        width_mm=width_mm,
        depth_mm=depth_mm,
        is_rack=is_rack,
        cos_a=cos_a,
        sin_a=sin_a,
        corners_mm=corners_mm,
        boxes=boxes,
        square=np.remainder(rotation_deg, 90.0) == 0.0,
        cell_mm=_candidate_cell_mm(boxes),
    )


def _cos_sin(rotation_deg: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Cosine and sine of each rotation, from ``math`` (so each value is the one footprint_mm uses)."""
    angles, which = np.unique(rotation_deg, return_inverse=True)
    cos_a = np.array([math.cos(math.radians(a)) for a in angles.tolist()], dtype=np.float64)
    sin_a = np.array([math.sin(math.radians(a)) for a in angles.tolist()], dtype=np.float64)
    which = which.reshape(rotation_deg.shape)
    return cos_a[which], sin_a[which]


def _footprints_mm(
    x_mm: FloatArray, y_mm: FloatArray, width_mm: FloatArray, depth_mm: FloatArray, cos_a: FloatArray, sin_a: FloatArray
) -> FloatArray:
    """footprint_mm for arrays of items (rotations as _cos_sin gives them): (n, 4, 2) corners, the same
    arithmetic and so the same numbers."""
    half_w, half_d = width_mm / 2.0, depth_mm / 2.0
    corners = ((-half_w, -half_d), (half_w, -half_d), (half_w, half_d), (-half_w, half_d))
    xs = [x_mm + cx * cos_a - cy * sin_a for cx, cy in corners]
    ys = [y_mm + cx * sin_a + cy * cos_a for cx, cy in corners]
    return np.stack([np.stack(xs, axis=1), np.stack(ys, axis=1)], axis=2)


def _boxes_of(corners_mm: FloatArray) -> _Boxes:
    """The boxes of (n, k, 2) polygons, as bounds_of."""
    xs = [corners_mm[:, k, 0] for k in range(corners_mm.shape[1])]
    ys = [corners_mm[:, k, 1] for k in range(corners_mm.shape[1])]
    return _Boxes(reduce(np.minimum, xs), reduce(np.minimum, ys), reduce(np.maximum, xs), reduce(np.maximum, ys))


def outline_is_box(outline: Sequence[PointMm]) -> bool:
    """True when the hall outline is an axis-aligned rectangle."""
    hx0, hy0, hx1, hy1 = bounds_of(outline)
    return len(outline) == 4 and all(x in (hx0, hx1) and y in (hy0, hy1) for x, y in outline)


def _points_in_polygon(x_mm: FloatArray, y_mm: FloatArray, polygon: Sequence[PointMm]) -> BoolArray:
    """point_in_polygon for arrays of points: the same arithmetic, so the same answers."""
    inside = np.zeros(np.shape(x_mm), dtype=bool)
    j = len(polygon) - 1
    for i in range(len(polygon)):
        xi, yi = polygon[i]
        xj, yj = polygon[j]
        if yi != yj:  # a level edge never straddles a point's y
            straddles = (yi > y_mm) != (yj > y_mm)
            inside ^= straddles & (x_mm < (xj - xi) * (y_mm - yi) / (yj - yi) + xi)
        j = i
    return inside


def _outside_outline(shape: Sequence[PointMm], outline: Sequence[PointMm], outline_convex: bool) -> bool:
    """True when a footprint leaves a (not box-shaped) hall outline by more than EPSILON_MM."""
    corners = _shrunk(list(shape), EPSILON_MM)
    return not all(point_in_polygon(x, y, outline) for x, y in corners) or (
        not outline_convex
        and any(
            _segments_cross(corners[i], corners[(i + 1) % 4], outline[j], outline[(j + 1) % len(outline)])
            for i in range(4)
            for j in range(len(outline))
        )
    )


def _outside_hall(outline: Sequence[PointMm], floor: _FloorItems) -> BoolArray:
    """Which floor items stand (partly) outside the hall outline.

    A box-shaped hall is a box test. For other outlines an item whose box (plus a margin) meets no
    outline edge's box lies wholly inside or wholly outside, so its centre decides; the few items
    near an edge take the exact test, _outside_outline.
    """
    boxes = floor.boxes
    hx0, hy0, hx1, hy1 = bounds_of(outline)
    if outline_is_box(outline):
        return (
            (boxes.x0 < hx0 - EPSILON_MM)
            | (boxes.y0 < hy0 - EPSILON_MM)
            | (boxes.x1 > hx1 + EPSILON_MM)
            | (boxes.y1 > hy1 + EPSILON_MM)
        )
    margin_mm = 2 * EPSILON_MM  # shrunk corners stay within this of the box, whatever the item's size
    near_edge = np.zeros(len(floor.ids), dtype=bool)
    for j in range(len(outline)):
        (ax, ay), (bx, by) = outline[j], outline[(j + 1) % len(outline)]
        near_edge |= (
            (boxes.x0 - margin_mm <= max(ax, bx))
            & (min(ax, bx) <= boxes.x1 + margin_mm)
            & (boxes.y0 - margin_mm <= max(ay, by))
            & (min(ay, by) <= boxes.y1 + margin_mm)
        )
    outside = ~_points_in_polygon(floor.x_mm, floor.y_mm, outline)
    outline_convex = _is_convex(outline)
    for index in np.flatnonzero(near_edge).tolist():
        outside[index] = _outside_outline(floor.shape(index), outline, outline_convex)
    return outside


def _obstacle_reasons(hall: Hall, floor: _FloorItems) -> dict[int, list[str]]:
    """Item row -> "stands on ..." for each obstacle under it, in the hall's obstacle order."""
    reasons: dict[int, list[str]] = {}
    boxes = floor.boxes
    for obstacle in hall.obstacles:
        if len(obstacle.polygon_mm) < 3:
            continue
        ox0, oy0, ox1, oy1 = bounds_of(obstacle.polygon_mm)
        near = (boxes.x0 < ox1) & (ox0 < boxes.x1) & (boxes.y0 < oy1) & (oy0 < boxes.y1)
        for index in np.flatnonzero(near).tolist():
            if polygons_intersect(floor.shape(index), obstacle.polygon_mm):
                reasons.setdefault(index, []).append(f"stands on {obstacle.kind.value} {obstacle.label or obstacle.id}")
    return reasons


def _candidate_cell_mm(boxes: _Boxes) -> float:
    """Grid cell for finding candidate pairs: about the size of a typical item (at least 500 mm)."""
    if len(boxes.x0) == 0:
        return 1_000.0
    return max(float(np.median(np.maximum(boxes.x1 - boxes.x0, boxes.y1 - boxes.y0))), 500.0)


def _cell_ranges(boxes: _Boxes, cell_mm: float) -> IntArray:
    """(n, 4) first and last grid column and row each box reaches: gx0, gy0, gx1, gy1."""
    return np.floor(np.stack([boxes.x0, boxes.y0, boxes.x1, boxes.y1], axis=1) / cell_mm).astype(np.int64)


def _walk_cells(ranges: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """(owner row, gx, gy) of every cell in each range: range by range, x outer and y inner."""
    across, down = ranges[:, 2] - ranges[:, 0] + 1, ranges[:, 3] - ranges[:, 1] + 1
    counts = across * down
    owner = np.repeat(np.arange(len(ranges)), counts)
    step = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, ranges[owner, 0] + step // down[owner], ranges[owner, 1] + step % down[owner]


def _cell_keys(gx: IntArray, gy: IntArray, ranges: IntArray) -> IntArray:
    """One integer per grid cell (for cells within ``ranges``)."""
    gx_min, gy_min = int(ranges[:, 0].min()), int(ranges[:, 1].min())
    height = int(ranges[:, 3].max()) - gy_min + 1
    keys: IntArray = (gx - gx_min) * height + (gy - gy_min)
    return keys


def _run_starts(values: IntArray) -> BoolArray:
    """True where a sorted array's value differs from the one before it: the first of each run."""
    starts = np.ones(len(values), dtype=bool)
    starts[1:] = values[1:] != values[:-1]
    return starts


def _pairs_sharing_cells(boxes: _Boxes, cell_mm: float) -> tuple[IntArray, IntArray]:
    """Rows (i, j), i < j, of every two boxes that reach a common grid cell (a pair may repeat)."""
    ranges = _cell_ranges(boxes, cell_mm)
    owner, gx, gy = _walk_cells(ranges)
    if len(owner) == 0:
        return owner, owner
    key = _cell_keys(gx, gy, ranges)
    order = np.argsort(key, kind="stable")  # by cell, then by row
    sorted_key, sorted_owner = key[order], owner[order]
    firsts, seconds = [], []
    gap = 1
    while gap < len(order):
        same = np.flatnonzero(sorted_key[:-gap] == sorted_key[gap:])
        if len(same) == 0:
            break  # no cell holds more than ``gap`` boxes
        firsts.append(sorted_owner[same])
        seconds.append(sorted_owner[same + gap])
        gap += 1
    if not firsts:
        return owner[:0], owner[:0]
    return np.concatenate(firsts), np.concatenate(seconds)


def _unique_pairs(first: IntArray, second: IntArray, count: int) -> tuple[IntArray, IntArray]:
    """The pairs (first[k], second[k]) once each, ordered by first then second (rows below ``count``)."""
    pairs = np.sort(first * count + second)
    pairs = pairs[_run_starts(pairs)]
    return pairs // max(count, 1), pairs % max(count, 1)


def _bucket_walk_order(boxes: _Boxes, pairs: list[tuple[int, int]], cell_mm: float) -> list[tuple[int, int]]:
    """``pairs`` in the order a bucket grid meets them.

    The grid is filled box by box (x outer, y inner) and its buckets walked in the order they were
    created, each bucket's pairs by row; a pair counts in the first bucket holding both. This is the
    order the placement check has always listed overlaps in.
    """
    if not pairs:
        return []
    ranges = _cell_ranges(boxes, cell_mm)
    _owner, gx, gy = _walk_cells(ranges)
    key = _cell_keys(gx, gy, ranges)
    order = np.argsort(key, kind="stable")
    starts = _run_starts(key[order])
    cell_keys, created = key[order][starts], order[starts]  # each cell and where the walk first meets it
    first, second = np.array(pairs, dtype=np.int64).T
    shared = np.stack(
        [
            np.maximum(ranges[first, 0], ranges[second, 0]),
            np.maximum(ranges[first, 1], ranges[second, 1]),
            np.minimum(ranges[first, 2], ranges[second, 2]),
            np.minimum(ranges[first, 3], ranges[second, 3]),
        ],
        axis=1,
    )
    pair_row, sx, sy = _walk_cells(shared)
    made = created[np.searchsorted(cell_keys, _cell_keys(sx, sy, ranges))]
    first_made = np.full(len(pairs), len(key), dtype=np.int64)
    np.minimum.at(first_made, pair_row, made)
    return [pair for _made, pair in sorted(zip(first_made.tolist(), pairs, strict=True))]


def _overlapping_pairs(floor: _FloorItems) -> list[tuple[int, int]]:
    """Rows (i, j), i < j, of footprints that overlap by more than EPSILON_MM, ordered by (i, j).

    Candidates are pairs sharing a grid cell whose boxes overlap by more than the tolerance on x and
    on y. Two square-on footprints are their boxes, so that test is exact; any other pair takes
    polygons_intersect.
    """
    first, second = _pairs_sharing_cells(floor.boxes, floor.cell_mm)
    a, b = floor.boxes.take(first), floor.boxes.take(second)
    boxes_overlap = (
        (a.x0 < b.x1 - EPSILON_MM)
        & (b.x0 < a.x1 - EPSILON_MM)
        & (a.y0 < b.y1 - EPSILON_MM)
        & (b.y0 < a.y1 - EPSILON_MM)
    )
    first, second = _unique_pairs(first[boxes_overlap], second[boxes_overlap], len(floor.ids))
    return [
        (i, j)
        for i, j in zip(first.tolist(), second.tolist(), strict=True)
        if (floor.square[i] and floor.square[j]) or polygons_intersect(floor.shape(i), floor.shape(j))
    ]


def placement_problems(
    hall: Hall, items: Iterable[PlacedItem], entry_of: Callable[[str], CatalogEntry]
) -> dict[str, str]:
    """Item id -> why its placement is suspect (outside the hall, on an obstacle, overlaps).

    Only floor-standing items with a real footprint are checked. Reasons come in that order, overlaps
    in the order a bucket grid (cells of four tiles, at least 1 m) meets the pairs. Vectorised with
    numpy over a uniform grid, so it stays roughly linear in the number of items.
    """
    return _placement_problems(hall, _floor_items(items, entry_of))


def placement_and_aisle_problems(
    hall: Hall, items: Iterable[PlacedItem], entry_of: Callable[[str], CatalogEntry], min_aisle_mm: float
) -> tuple[dict[str, str], dict[str, str]]:
    """placement_problems and aisle_problems of the same items, their footprints worked out once."""
    floor = _floor_items(items, entry_of)
    return _placement_problems(hall, floor), _aisle_problems(hall, floor, min_aisle_mm)


def _placement_problems(hall: Hall, floor: _FloorItems) -> dict[str, str]:
    problems: dict[str, list[str]] = {}
    outside = _outside_hall(hall.outline_mm, floor)
    on_obstacles = _obstacle_reasons(hall, floor)
    for index in sorted(set(np.flatnonzero(outside).tolist()) | set(on_obstacles)):
        reasons = ["outside the hall"] if outside[index] else []
        problems[floor.ids[index]] = reasons + on_obstacles.get(index, [])
    bucket_mm = max(hall.tile_mm * 4, 1000.0)
    for i, j in _bucket_walk_order(floor.boxes, _overlapping_pairs(floor), bucket_mm):
        first, second = floor.ids[i], floor.ids[j]
        problems.setdefault(first, []).append(f"overlaps {second}")
        problems.setdefault(second, []).append(f"overlaps {first}")
    return {item_id: "; ".join(reasons) for item_id, reasons in problems.items()}


def _aisle_strips_mm(floor: _FloorItems, racks: IntArray, min_aisle_mm: float) -> FloatArray:
    """(r, 4, 2): the strip in front of each rack, as wide as the rack and ``min_aisle_mm`` deep.

    The front faces local -y; the strip is shrunk by EPSILON_MM all round so touching does not count.
    """
    cos_a, sin_a = floor.cos_a[racks], floor.sin_a[racks]
    reach_mm = floor.depth_mm[racks] / 2.0 + min_aisle_mm / 2.0
    return _footprints_mm(
        floor.x_mm[racks] + reach_mm * sin_a,
        floor.y_mm[racks] - reach_mm * cos_a,
        floor.width_mm[racks] - 2 * EPSILON_MM,
        np.full(len(racks), min_aisle_mm - 2 * EPSILON_MM),
        cos_a,
        sin_a,
    )


def _strips_inside_hall(outline: Sequence[PointMm], strips_mm: FloatArray, boxes: _Boxes) -> BoolArray:
    """Which strips lie inside the hall: strictly inside a box hall, else all four corners inside."""
    if outline_is_box(outline):
        hx0, hy0, hx1, hy1 = bounds_of(outline)
        return (hx0 < boxes.x0) & (boxes.x1 < hx1) & (hy0 < boxes.y0) & (boxes.y1 < hy1)
    corners_inside = _points_in_polygon(strips_mm[..., 0], strips_mm[..., 1], outline)
    return np.asarray(corners_inside.all(axis=1), dtype=np.bool_)


def _boxes_in_shared_cells(first: _Boxes, second: _Boxes, cell_mm: float) -> tuple[IntArray, IntArray]:
    """Rows (i, j) of a ``first`` box and a ``second`` box reaching a common grid cell (a pair may repeat)."""
    count = len(first.x0)
    both = _Boxes(*(np.concatenate([a, b]) for a, b in zip(first, second, strict=True)))
    ranges = _cell_ranges(both, cell_mm)
    owner, gx, gy = _walk_cells(ranges)
    if len(owner) == 0:
        return owner, owner
    key = _cell_keys(gx, gy, ranges)
    is_first = owner < count
    first_owner, first_key = owner[is_first], key[is_first]
    by_key = np.argsort(key[~is_first], kind="stable")
    second_owner, second_key = owner[~is_first][by_key] - count, key[~is_first][by_key]
    lo = np.searchsorted(second_key, first_key, side="left")
    counts = np.searchsorted(second_key, first_key, side="right") - lo
    at = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts - lo, counts)
    return np.repeat(first_owner, counts), second_owner[at]


def aisle_problems(
    hall: Hall, items: Iterable[PlacedItem], entry_of: Callable[[str], CatalogEntry], min_aisle_mm: float
) -> dict[str, str]:
    """Rack id -> why the clear space in front of it is short of ``min_aisle_mm``.

    The aisle in front of a rack is the strip as wide as the rack and ``min_aisle_mm`` deep on its
    front (cold-aisle) face; anything floor-standing in that strip, or the hall's edge, is too close.
    The blocker named is the first by id. Vectorised with numpy over a uniform grid.
    """
    if min_aisle_mm <= 0:
        return {}
    return _aisle_problems(hall, _floor_items(items, entry_of), min_aisle_mm)


def _aisle_problems(hall: Hall, floor: _FloorItems, min_aisle_mm: float) -> dict[str, str]:
    if min_aisle_mm <= 0:
        return {}
    racks = np.flatnonzero(floor.is_rack)
    strips = _aisle_strips_mm(floor, racks, min_aisle_mm)
    strip_boxes = _boxes_of(strips)
    inside = _strips_inside_hall(hall.outline_mm, strips, strip_boxes)
    # candidates: floor items whose box overlaps the strip's by more than EPSILON_MM on x and on y
    strip_row, other = _boxes_in_shared_cells(strip_boxes, floor.boxes, floor.cell_mm)
    a, b = strip_boxes.take(strip_row), floor.boxes.take(other)
    boxes_overlap = (np.minimum(a.x1, b.x1) - np.maximum(a.x0, b.x0) > EPSILON_MM) & (
        np.minimum(a.y1, b.y1) - np.maximum(a.y0, b.y0) > EPSILON_MM
    )
    keep = boxes_overlap & (racks[strip_row] != other) & inside[strip_row]
    strip_row, other = _unique_pairs(strip_row[keep], other[keep], len(floor.ids))
    # square-on racks and items: the box test is exact; any other pair takes polygons_intersect
    blocks = floor.square[racks[strip_row]] & floor.square[other]
    for k in np.flatnonzero(~blocks).tolist():
        strip = [(x, y) for x, y in strips[strip_row[k]].tolist()]
        blocks[k] = polygons_intersect(strip, floor.shape(int(other[k])))
    blocker: dict[int, int] = {}  # strip row -> the first blocking item by id
    for row, index in zip(strip_row[blocks].tolist(), other[blocks].tolist(), strict=True):
        if row not in blocker or floor.ids[index] < floor.ids[blocker[row]]:
            blocker[row] = index
    aisle_m = min_aisle_mm / 1000.0
    problems: dict[str, str] = {}
    for row, index in enumerate(racks.tolist()):
        if not inside[row]:
            problems[floor.ids[index]] = f"less than {aisle_m:.1f} m clear to the hall's edge in front"
        elif row in blocker:
            problems[floor.ids[index]] = (
                f"less than {aisle_m:.1f} m clear in front (blocked by {floor.ids[blocker[row]]})"
            )
    return problems
