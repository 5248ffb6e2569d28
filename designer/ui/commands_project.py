"""Undo commands for what the design is: its metadata (title, author, revision, notes). Model methods only.

The site has its own command in ``commands_dashboard.SetSiteCommand``.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from designer.model.project import Project
from designer.model.records import Metadata


class SetMetadataCommand(QUndoCommand):
    """Replace the project's title, author, revision and notes."""

    def __init__(self, project: Project, new_metadata: Metadata, text: str = "Change project properties") -> None:
        super().__init__(text)
        self._project = project
        self._old = project.metadata
        self._new = new_metadata

    def redo(self) -> None:
        self._project.set_metadata(self._new)

    def undo(self) -> None:
        self._project.set_metadata(self._old)
