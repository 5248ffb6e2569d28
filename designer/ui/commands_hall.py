"""Undo commands for halls: add, change (outline, columns, floor) and delete an empty hall. Model methods only."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from designer.model.project import Project
from designer.model.records import Hall


class AddHallCommand(QUndoCommand):
    def __init__(self, project: Project, hall: Hall) -> None:
        super().__init__(f"Add hall {hall.name}")
        self._project = project
        self._hall = hall

    def redo(self) -> None:
        self._project.add_hall(self._hall)

    def undo(self) -> None:
        self._project.remove_hall(self._hall.id)


class UpdateHallCommand(QUndoCommand):
    """Replace a hall record (name, outline, columns, tile, floor) by a new version."""

    def __init__(self, project: Project, new_hall: Hall) -> None:
        super().__init__(f"Change hall {new_hall.name}")
        self._project = project
        self._old = project.halls[new_hall.id]
        self._new = new_hall

    def redo(self) -> None:
        self._project.update_hall(self._new)

    def undo(self) -> None:
        self._project.update_hall(self._old)


class RemoveHallCommand(QUndoCommand):
    """Delete a hall that holds no items (the model refuses one that does)."""

    def __init__(self, project: Project, hall_id: str) -> None:
        self._hall = project.halls[hall_id]
        super().__init__(f"Delete hall {self._hall.name}")
        self._project = project

    def redo(self) -> None:
        self._project.remove_hall(self._hall.id)

    def undo(self) -> None:
        self._project.add_hall(self._hall)
