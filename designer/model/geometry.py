"""Qt-free floor geometry for the editor: footprints, grid snapping and placement checks."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence

from designer.model.catalog import CatalogEntry
from designer.model.records import Hall, PlacedItem, PointMm
from designer.model.types import Role

MIN_DRAWN_MM = 150.0
"""Items with no floor footprint (rack PDUs, ...) are still drawn this big so they can be picked."""

NOT_FLOOR_STANDING = frozenset({Role.BUSWAY, Role.RACK_PDU, Role.POWER_SHELF, Role.REAR_DOOR, Role.CONTAINMENT})
"""Roles mounted overhead or on a rack: they may share floor space with racks."""

EPSILON_MM = 1.0
"""Touching footprints (racks side by side) are not an overlap."""


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


def placement_problems(
    hall: Hall, items: Iterable[PlacedItem], entry_of: Callable[[str], CatalogEntry]
) -> dict[str, str]:
    """Item id -> why its placement is suspect (overlap, outside the hall, on an obstacle).

    Only floor-standing items with a real footprint are checked. Uses a uniform bucket grid, so it
    stays roughly linear in the number of items.
    """
    problems: dict[str, list[str]] = {}
    shapes: dict[str, list[PointMm]] = {}
    boxes: dict[str, tuple[float, float, float, float]] = {}
    square: set[str] = set()
    for item in items:
        entry = entry_of(item.catalog_id)
        if entry.role in NOT_FLOOR_STANDING or entry.width_mm <= 0 or entry.depth_mm <= 0:
            continue
        corners = footprint_mm(item.x_mm, item.y_mm, entry.width_mm, entry.depth_mm, item.rotation_deg)
        shapes[item.id] = corners
        boxes[item.id] = bounds_of(corners)
        if item.rotation_deg % 90.0 == 0.0:
            square.add(item.id)  # its box is its footprint: the box test above is exact
    outline = hall.outline_mm
    obstacles = [(o, bounds_of(o.polygon_mm)) for o in hall.obstacles if len(o.polygon_mm) >= 3]
    cell = max(hall.tile_mm * 4, 1000.0)
    buckets: dict[tuple[int, int], list[str]] = {}
    hx0, hy0, hx1, hy1 = bounds_of(outline)
    outline_is_box = len(outline) == 4 and all(x in (hx0, hx1) and y in (hy0, hy1) for x, y in outline)
    outline_convex = _is_convex(outline)
    for item_id, (x0, y0, x1, y1) in boxes.items():
        if outline_is_box:
            outside = x0 < hx0 - EPSILON_MM or y0 < hy0 - EPSILON_MM or x1 > hx1 + EPSILON_MM or y1 > hy1 + EPSILON_MM
        else:
            corners = _shrunk(shapes[item_id], EPSILON_MM)
            outside = not all(point_in_polygon(x, y, outline) for x, y in corners) or (
                not outline_convex
                and any(
                    _segments_cross(corners[i], corners[(i + 1) % 4], outline[j], outline[(j + 1) % len(outline)])
                    for i in range(4)
                    for j in range(len(outline))
                )
            )
        if outside:
            problems.setdefault(item_id, []).append("outside the hall")
        for obstacle, (ox0, oy0, ox1, oy1) in obstacles:
            if (
                x0 < ox1
                and ox0 < x1
                and y0 < oy1
                and oy0 < y1
                and polygons_intersect(shapes[item_id], obstacle.polygon_mm)
            ):
                problems.setdefault(item_id, []).append(
                    f"stands on {obstacle.kind.value} {obstacle.label or obstacle.id}"
                )
        for gx in range(math.floor(x0 / cell), math.floor(x1 / cell) + 1):
            for gy in range(math.floor(y0 / cell), math.floor(y1 / cell) + 1):
                buckets.setdefault((gx, gy), []).append(item_id)
    checked: set[tuple[str, str]] = set()
    for members in buckets.values():
        for i, first in enumerate(members):
            ax0, ay0, ax1, ay1 = boxes[first]
            for second in members[i + 1 :]:
                bx0, by0, bx1, by1 = boxes[second]
                if not (
                    ax0 < bx1 - EPSILON_MM
                    and bx0 < ax1 - EPSILON_MM
                    and ay0 < by1 - EPSILON_MM
                    and by0 < ay1 - EPSILON_MM
                ):
                    continue
                pair = (first, second) if first < second else (second, first)
                if pair in checked:
                    continue
                checked.add(pair)
                if (first in square and second in square) or polygons_intersect(shapes[first], shapes[second]):
                    problems.setdefault(first, []).append(f"overlaps {second}")
                    problems.setdefault(second, []).append(f"overlaps {first}")
    return {item_id: "; ".join(reasons) for item_id, reasons in problems.items()}


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


def aisle_problems(
    hall: Hall, items: Iterable[PlacedItem], entry_of: Callable[[str], CatalogEntry], min_aisle_mm: float
) -> dict[str, str]:
    """Rack id -> why the clear space in front of it is short of ``min_aisle_mm``.

    The aisle in front of a rack is the strip as wide as the rack and ``min_aisle_mm`` deep on its
    front (cold-aisle) face; anything floor-standing in that strip, or the hall's edge, is too close.
    """
    if min_aisle_mm <= 0:
        return {}
    shapes: dict[str, list[PointMm]] = {}
    boxes: dict[str, tuple[float, float, float, float]] = {}
    square: set[str] = set()
    strips: dict[str, tuple[list[PointMm], str]] = {}
    for item in items:
        entry = entry_of(item.catalog_id)
        if entry.role in NOT_FLOOR_STANDING or entry.width_mm <= 0 or entry.depth_mm <= 0:
            continue
        shapes[item.id] = footprint_mm(item.x_mm, item.y_mm, entry.width_mm, entry.depth_mm, item.rotation_deg)
        boxes[item.id] = bounds_of(shapes[item.id])
        if item.rotation_deg % 90.0 == 0.0:
            square.add(item.id)  # its box is its footprint (and its strip's box is the strip)
        if entry.role is Role.RACK:
            angle = math.radians(item.rotation_deg)
            reach = entry.depth_mm / 2.0 + min_aisle_mm / 2.0  # the front faces local -y
            centre = (item.x_mm + reach * math.sin(angle), item.y_mm - reach * math.cos(angle))
            strip = footprint_mm(
                *centre, entry.width_mm - 2 * EPSILON_MM, min_aisle_mm - 2 * EPSILON_MM, item.rotation_deg
            )
            strips[item.id] = (strip, item.label or item.id)
    cell = max(min_aisle_mm * 2, 2_000.0)
    buckets: dict[tuple[int, int], list[str]] = {}
    for item_id, (x0, y0, x1, y1) in boxes.items():
        for gx in range(math.floor(x0 / cell), math.floor(x1 / cell) + 1):
            for gy in range(math.floor(y0 / cell), math.floor(y1 / cell) + 1):
                buckets.setdefault((gx, gy), []).append(item_id)
    outline = hall.outline_mm
    hx0, hy0, hx1, hy1 = bounds_of(outline)
    outline_is_box = len(outline) == 4 and all(x in (hx0, hx1) and y in (hy0, hy1) for x, y in outline)
    problems: dict[str, str] = {}
    aisle_m = min_aisle_mm / 1000.0
    for rack_id, (strip, _label) in strips.items():
        x0, y0, x1, y1 = bounds_of(strip)
        inside = (hx0 < x0 and x1 < hx1 and hy0 < y0 and y1 < hy1 if outline_is_box
                  else all(point_in_polygon(x, y, outline) for x, y in strip))
        if not inside:
            problems[rack_id] = f"less than {aisle_m:.1f} m clear to the hall's edge in front"
            continue
        near = {
            other
            for gx in range(math.floor(x0 / cell), math.floor(x1 / cell) + 1)
            for gy in range(math.floor(y0 / cell), math.floor(y1 / cell) + 1)
            for other in buckets.get((gx, gy), ())
        }
        near.discard(rack_id)
        for other in sorted(near):
            ox0, oy0, ox1, oy1 = boxes[other]
            # the overlap on x and on y must exceed the tolerance, as in polygons_intersect
            boxes_overlap = (min(x1, ox1) - max(x0, ox0) > EPSILON_MM and min(y1, oy1) - max(y0, oy0) > EPSILON_MM)
            if not boxes_overlap:
                continue
            if (rack_id in square and other in square) or polygons_intersect(strip, shapes[other]):
                problems[rack_id] = f"less than {aisle_m:.1f} m clear in front (blocked by {other})"
                break
    return problems
