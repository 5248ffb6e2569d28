"""Undo commands of the site plan: move (and turn) a hall on the site. Model methods only."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtGui import QUndoCommand

from designer.model.project import Project
from designer.model.site_layout import site_placements

SitePosition = tuple[float | None, float | None, float]


class PlaceHallOnSiteCommand(QUndoCommand):
    """Put a hall's origin at (x_mm, y_mm) of the site, optionally turned.

    The halls still laid out automatically are pinned where they are shown in the same step: a hall
    given a position would otherwise make them jump (they sit beside the placed ones).
    """

    def __init__(self, project: Project, hall_id: str, x_mm: float, y_mm: float,
                 rotation_deg: float | None = None) -> None:
        hall = project.halls[hall_id]
        super().__init__(f"Move hall {hall.name} on the site")
        self._project = project
        self._old: dict[str, SitePosition] = {}
        self._new: dict[str, SitePosition] = {}
        for other_id, placement in site_placements(project.halls).items():
            other = project.halls[other_id]
            if other_id == hall_id:
                self._new[other_id] = (x_mm, y_mm, hall.site_rotation_deg if rotation_deg is None else rotation_deg)
            elif placement.automatic:
                self._new[other_id] = (placement.x_mm, placement.y_mm, 0.0)
            else:
                continue
            self._old[other_id] = (other.site_x_mm, other.site_y_mm, other.site_rotation_deg)

    def _apply(self, positions: Mapping[str, SitePosition]) -> None:
        for hall_id, (x_mm, y_mm, rotation_deg) in positions.items():
            self._project.place_hall_on_site(hall_id, x_mm, y_mm, rotation_deg)

    def redo(self) -> None:
        self._apply(self._new)

    def undo(self) -> None:
        self._apply(self._old)
