"""Undo commands for what the design is: its metadata (title, author, revision, notes) and the candidate sites
it is compared at. Model methods only.

The site has its own command in ``commands_dashboard.SetSiteCommand``.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QUndoCommand

from designer.model.economics import CandidateSite
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


class SetCandidateSitesCommand(QUndoCommand):
    """Replace the candidate sites the project keeps (``settings.economics.candidate_sites``), the rest untouched."""

    def __init__(self, project: Project, sites: tuple[CandidateSite, ...], text: str = "Edit candidate sites") -> None:
        super().__init__(text)
        self._project = project
        self._old = project.settings.economics.candidate_sites
        self._new = sites

    def _set(self, sites: tuple[CandidateSite, ...]) -> None:
        settings = self._project.settings
        self._project.set_settings(replace(settings, economics=replace(settings.economics, candidate_sites=sites)))

    def redo(self) -> None:
        self._set(self._new)

    def undo(self) -> None:
        self._set(self._old)
