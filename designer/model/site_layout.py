"""Where each hall lies on the site plan: its own position, or one laid out beside the others.

A hall's floor plan has its own origin; ``Hall.site_x_mm``/``site_y_mm`` put that origin on the site
(y down, as on the floor plans) and ``site_rotation_deg`` turns the hall clockwise about it. Halls
without a position (every file written before site positions existed) are set side by side, left
to right in file order, to the right of the placed ones, so an old campus still reads sensibly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from designer.model.records import Hall, PointMm

SITE_GAP_MM = 10_000.0
"""Space left between halls laid out automatically (a road's width)."""


@dataclass(frozen=True, slots=True)
class SitePlacement:
    """A hall's origin on the site and its clockwise turn; ``automatic`` when the file gave none."""

    hall_id: str
    x_mm: float
    y_mm: float
    rotation_deg: float = 0.0
    automatic: bool = False

    def to_site(self, point: PointMm) -> PointMm:
        """A point of the hall's floor plan in site coordinates."""
        radians = math.radians(self.rotation_deg)
        cos, sin = math.cos(radians), math.sin(radians)
        x, y = point
        return self.x_mm + x * cos - y * sin, self.y_mm + x * sin + y * cos

    def to_hall(self, point: PointMm) -> PointMm:
        """A site point in the hall's floor-plan coordinates."""
        radians = math.radians(self.rotation_deg)
        cos, sin = math.cos(radians), math.sin(radians)
        dx, dy = point[0] - self.x_mm, point[1] - self.y_mm
        return dx * cos + dy * sin, -dx * sin + dy * cos


def site_outline_mm(hall: Hall, placement: SitePlacement) -> tuple[PointMm, ...]:
    """The hall's outline on the site plan."""
    return tuple(placement.to_site(p) for p in hall.outline_mm)


def _bounds(points: Iterable[PointMm]) -> tuple[float, float, float, float]:
    pts = list(points)
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def site_placements(halls: Mapping[str, Hall]) -> dict[str, SitePlacement]:
    """Every hall's placement on the site, in ``halls`` order (automatic ones beside the placed)."""
    placed: dict[str, SitePlacement] = {}
    for hall in halls.values():
        if hall.site_x_mm is not None and hall.site_y_mm is not None:
            placed[hall.id] = SitePlacement(hall.id, hall.site_x_mm, hall.site_y_mm, hall.site_rotation_deg)
    if placed:
        boxes = [_bounds(site_outline_mm(halls[i], p)) for i, p in placed.items()]
        cursor_x = max(b[2] for b in boxes) + SITE_GAP_MM
        top_y = min(b[1] for b in boxes)
    else:
        cursor_x = top_y = 0.0
    out: dict[str, SitePlacement] = {}
    for hall in halls.values():
        if hall.id in placed:
            out[hall.id] = placed[hall.id]
            continue
        min_x, min_y, max_x, _max_y = _bounds(hall.outline_mm)
        out[hall.id] = SitePlacement(hall.id, cursor_x - min_x, top_y - min_y, 0.0, automatic=True)
        cursor_x += (max_x - min_x) + SITE_GAP_MM
    return out


def site_bounds_mm(halls: Mapping[str, Hall]) -> tuple[float, float, float, float] | None:
    """(min x, min y, max x, max y) of every hall on the site; None without halls."""
    placements = site_placements(halls)
    points = [p for hall in halls.values() for p in site_outline_mm(hall, placements[hall.id])]
    return _bounds(points) if points else None
