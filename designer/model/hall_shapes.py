"""Hall outlines and column grids as an engineer types them: metres in, millimetres inside.

Qt-free, so the hall dialog's checks are tested without a GUI. Every error names the line or field
and the value that is wrong.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from designer.model.geometry import bounds_of, outline_is_box, point_in_polygon
from designer.model.records import Obstacle, PointMm
from designer.model.types import ObstacleKind

MIN_HALL_SIDE_MM = 1_000.0
MAX_HALL_SIDE_MM = 2_000_000.0
"""A hall from 1 m to 2 km across: anything else is a typing slip (mm typed as m, or the reverse)."""
MAX_OUTLINE_POINTS = 200
MIN_COLUMN_PITCH_MM = 2_000.0


class ShapeError(ValueError):
    """An outline or column grid that cannot be a hall's; the message says where and why."""


def rectangle_mm(width_mm: float, depth_mm: float) -> tuple[PointMm, ...]:
    """A rectangular outline with its top-left corner at the origin (y points down)."""
    check_side_mm("width", width_mm)
    check_side_mm("depth", depth_mm)
    return (0.0, 0.0), (width_mm, 0.0), (width_mm, depth_mm), (0.0, depth_mm)


def check_side_mm(name: str, value_mm: float) -> None:
    if not math.isfinite(value_mm) or not MIN_HALL_SIDE_MM <= value_mm <= MAX_HALL_SIDE_MM:
        raise ShapeError(f"{name} {value_mm / 1000:g} m: a hall is between {MIN_HALL_SIDE_MM / 1000:g} m and "
                         f"{MAX_HALL_SIDE_MM / 1000:,.0f} m across")


def rectangle_size_mm(outline: Sequence[PointMm]) -> tuple[float, float] | None:
    """(width, depth) when ``outline`` is an axis-aligned rectangle, else None."""
    if not outline_is_box(outline):
        return None
    x0, y0, x1, y1 = bounds_of(outline)
    return x1 - x0, y1 - y0


_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_POINT_LINE = re.compile(rf"^\s*({_NUMBER})\s*[,;\s]\s*({_NUMBER})\s*$")


def parse_outline_m(text: str) -> tuple[PointMm, ...]:
    """Corner points, one "x, y" pair in metres per line (blank lines and # comments skipped), in mm.

    Raises ShapeError naming the line, for a line that is not two numbers, fewer than 3 corners,
    an outline that crosses itself or encloses no area.
    """
    points: list[PointMm] = []
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.split("#", 1)[0].strip()
        if not content:
            continue
        match = _POINT_LINE.match(content)
        if match is None:
            raise ShapeError(f"line {number}: {content!r} is not a corner (two numbers, x and y in metres)")
        x_m, y_m = float(match.group(1)), float(match.group(2))
        if max(abs(x_m), abs(y_m)) * 1000.0 > MAX_HALL_SIDE_MM:
            raise ShapeError(f"line {number}: {content!r} is more than {MAX_HALL_SIDE_MM / 1e6:g} km out")
        points.append((round(x_m * 1000.0, 3), round(y_m * 1000.0, 3)))
        if len(points) > MAX_OUTLINE_POINTS:
            raise ShapeError(f"line {number}: more than {MAX_OUTLINE_POINTS} corners")
    check_outline_mm(points)
    return tuple(points)


def check_outline_mm(points: Sequence[PointMm]) -> None:
    """Raise ShapeError unless ``points`` is a simple polygon of reasonable size."""
    if len(points) < 3:
        raise ShapeError(f"an outline needs at least 3 corners, got {len(points)}")
    for i, point in enumerate(points):
        if point == points[(i + 1) % len(points)]:
            raise ShapeError(f"corners {i + 1} and {(i + 1) % len(points) + 1} are the same point")
    n = len(points)
    for i in range(n):
        a, b = points[i], points[(i + 1) % n]
        for j in range(i + 1, n):
            if j in (i, (i + 1) % n) or (j + 1) % n == i:
                continue  # neighbouring edges share a corner
            if _segments_properly_cross(a, b, points[j], points[(j + 1) % n]):
                raise ShapeError(f"the outline crosses itself: edge {i + 1}-{(i + 1) % n + 1} "
                                 f"crosses edge {j + 1}-{(j + 1) % n + 1}")
    twice_area = sum(points[i][0] * points[(i + 1) % n][1] - points[(i + 1) % n][0] * points[i][1] for i in range(n))
    if abs(twice_area) / 2.0 < MIN_HALL_SIDE_MM**2:
        raise ShapeError("the outline encloses less than 1 m²")
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    for name, span in (("wide", max(xs) - min(xs)), ("deep", max(ys) - min(ys))):
        if span > MAX_HALL_SIDE_MM:
            raise ShapeError(f"the outline is {span / 1000:,.0f} m {name}: more than {MAX_HALL_SIDE_MM / 1e6:g} km")


def _segments_properly_cross(a: PointMm, b: PointMm, c: PointMm, d: PointMm) -> bool:
    def orient(p: PointMm, q: PointMm, r: PointMm) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    d1, d2, d3, d4 = orient(c, d, a), orient(c, d, b), orient(a, b, c), orient(a, b, d)
    if ((d1 > 0 > d2) or (d1 < 0 < d2)) and ((d3 > 0 > d4) or (d3 < 0 < d4)):
        return True

    def on_segment(p: PointMm, q: PointMm, r: PointMm) -> bool:  # r on pq, collinear
        return min(p[0], q[0]) <= r[0] <= max(p[0], q[0]) and min(p[1], q[1]) <= r[1] <= max(p[1], q[1])

    # touching or overlapping (collinear) edges that are not neighbours also make a broken outline
    return any(value == 0 and on_segment(p, q, r) for value, p, q, r in (
        (d1, c, d, a), (d2, c, d, b), (d3, a, b, c), (d4, a, b, d)))


def format_outline_m(outline: Sequence[PointMm]) -> str:
    """The outline as ``parse_outline_m`` reads it."""
    return "\n".join(f"{x / 1000:g}, {y / 1000:g}" for x, y in outline)


def column_grid(
    outline: Sequence[PointMm], pitch_x_mm: float, pitch_y_mm: float, size_mm: float, first_id: int = 1
) -> tuple[Obstacle, ...]:
    """Square building columns of ``size_mm`` on a grid of the given pitches, starting one pitch in
    from the outline's top-left bounds; only columns wholly inside the outline are kept."""
    for name, pitch in (("x", pitch_x_mm), ("y", pitch_y_mm)):
        if not math.isfinite(pitch) or pitch < MIN_COLUMN_PITCH_MM:
            raise ShapeError(f"column pitch along {name} {pitch / 1000:g} m: at least "
                             f"{MIN_COLUMN_PITCH_MM / 1000:g} m")
    if not math.isfinite(size_mm) or not 100.0 <= size_mm <= min(pitch_x_mm, pitch_y_mm) / 2:
        raise ShapeError(f"column size {size_mm:g} mm: from 100 mm to half the pitch")
    xs, ys = [p[0] for p in outline], [p[1] for p in outline]
    half = size_mm / 2.0
    columns: list[Obstacle] = []
    count_x = int((max(xs) - min(xs)) // pitch_x_mm)
    count_y = int((max(ys) - min(ys)) // pitch_y_mm)
    if count_x * count_y > 10_000:
        raise ShapeError(f"{count_x} x {count_y} columns: choose a larger pitch")
    for j in range(1, count_y + 1):
        for i in range(1, count_x + 1):
            cx, cy = min(xs) + i * pitch_x_mm, min(ys) + j * pitch_y_mm
            square = ((cx - half, cy - half), (cx + half, cy - half), (cx + half, cy + half), (cx - half, cy + half))
            if all(point_in_polygon(x, y, outline) for x, y in square) and not _crosses_outline(square, outline):
                columns.append(Obstacle(f"column-{first_id + len(columns)}", ObstacleKind.COLUMN, square,
                                        f"C{first_id + len(columns)}"))
    return tuple(columns)


def _crosses_outline(square: Sequence[PointMm], outline: Sequence[PointMm]) -> bool:
    """True when an outline corner pokes into the square (a concave corner of an L-shaped hall)."""
    return any(point_in_polygon(x, y, square) for x, y in outline)
