"""Undo command for a hall's underlay (CAD drawing): set, replace, move, show/hide or remove it."""

from __future__ import annotations

import dataclasses

from PySide6.QtGui import QUndoCommand

from designer.model.project import Project
from designer.model.records import PointMm, Underlay


class SetUnderlayCommand(QUndoCommand):
    """Give a hall a new underlay (or none), optionally with a new outline taken from the drawing.

    One model call, ``Project.update_hall``, with the hall record replaced as a whole.
    """

    def __init__(
        self,
        project: Project,
        hall_id: str,
        underlay: Underlay | None,
        *,
        outline_mm: tuple[PointMm, ...] | None = None,
        text: str = "",
    ) -> None:
        self._project = project
        self._old = project.halls[hall_id]
        if outline_mm is None:
            self._new = dataclasses.replace(self._old, underlay=underlay)
        else:
            self._new = dataclasses.replace(self._old, underlay=underlay, outline_mm=outline_mm)
        if not text:
            if underlay is None:
                text = f"Remove underlay of {self._old.name}"
            elif self._old.underlay is None:
                text = f"Add underlay {underlay.source_name} to {self._old.name}"
            else:
                text = f"Change underlay of {self._old.name}"
        super().__init__(text)

    def redo(self) -> None:
        self._project.update_hall(self._new)

    def undo(self) -> None:
        self._project.update_hall(self._old)
