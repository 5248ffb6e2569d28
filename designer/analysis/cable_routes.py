"""Route lengths of power runs on the plan, within a hall and between halls on the site.

Within a hall a run follows the aisles or the overhead tray at right angles: the Manhattan distance
between the item centres; from a busway the tap-off sits above the consumer, so it is the distance
from the consumer to the busway's run (its axis, clamped to its length).

Between halls each hall's floor plan has its own origin, so the two ends are first put on the site
plan (``Hall.site_x_mm``/``site_y_mm``/``site_rotation_deg``, ``designer.model.site_layout``) and the
run is the Manhattan distance between them there: along the site's roads and trenches at right
angles. A hall without a site position is laid out beside the placed ones (as the site plan draws
it), so such a run's length is an estimate (``SiteRoute.sited`` False).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from designer.model.catalog import CatalogEntry
from designer.model.records import Hall, PlacedItem
from designer.model.site_layout import SitePlacement, site_placements
from designer.model.types import Role


@dataclass(frozen=True, slots=True)
class SiteRoute:
    route_mm: float
    same_hall: bool
    sited: bool
    """Both ends' halls have a site position (or the run stays in one hall): the length is measured."""


def route_in_hall_mm(source: PlacedItem, source_entry: CatalogEntry | None, target: PlacedItem) -> float:
    """The orthogonal route between two items of one hall's plan (see the module notes)."""
    dx, dy = target.x_mm - source.x_mm, target.y_mm - source.y_mm
    if source_entry is not None and source_entry.role is Role.BUSWAY:
        angle = math.radians(source.rotation_deg)
        ax, ay = math.cos(angle), math.sin(angle)
        along = dx * ax + dy * ay
        beyond = max(0.0, abs(along) - source_entry.width_mm / 2.0)
        across = -dx * ay + dy * ax
        return abs(across) + beyond
    return abs(dx) + abs(dy)


class SiteRoutes:
    """Route lengths for one design's halls (their site placements worked out once, on first need)."""

    def __init__(self, halls: Mapping[str, Hall]) -> None:
        self._halls = halls
        self._placements: dict[str, SitePlacement] | None = None

    def rebind(self, halls: Mapping[str, Hall]) -> None:
        """Read the halls from ``halls``, the very same records (a snapshot of the design)."""
        self._halls = halls

    def placement(self, hall_id: str) -> SitePlacement | None:
        if self._placements is None:
            self._placements = site_placements(self._halls)
        return self._placements.get(hall_id)

    def route(self, source: PlacedItem | None, source_entry: CatalogEntry | None, target: PlacedItem) -> SiteRoute:
        """The route from a supplier to a consumer; a missing supplier gives 0 mm, unmeasured."""
        if source is None:
            return SiteRoute(0.0, False, False)
        if source.hall_id == target.hall_id:
            return SiteRoute(route_in_hall_mm(source, source_entry, target), True, True)
        start, end = self.placement(source.hall_id), self.placement(target.hall_id)
        if start is None or end is None:  # a hall the project does not hold: as if the plans shared an origin
            return SiteRoute(abs(target.x_mm - source.x_mm) + abs(target.y_mm - source.y_mm), False, False)
        x0, y0 = start.to_site((source.x_mm, source.y_mm))
        x1, y1 = end.to_site((target.x_mm, target.y_mm))
        return SiteRoute(abs(x1 - x0) + abs(y1 - y0), False, not (start.automatic or end.automatic))


__all__ = ["SiteRoute", "SiteRoutes", "route_in_hall_mm"]
