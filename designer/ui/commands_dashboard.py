"""Undo commands of the dashboard: design settings, the scenario timeline and the site. Model methods only."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from designer.model.project import Project
from designer.model.records import DesignSettings, Scenario, Site


class SetSettingsCommand(QUndoCommand):
    """Replace the design settings (supply temperature classes, active scenario, ...)."""

    def __init__(self, project: Project, new_settings: DesignSettings, text: str = "Change design settings") -> None:
        super().__init__(text)
        self._project = project
        self._old = project.settings
        self._new = new_settings

    def redo(self) -> None:
        self._project.set_settings(self._new)

    def undo(self) -> None:
        self._project.set_settings(self._old)


class UpdateScenarioCommand(QUndoCommand):
    """Replace a scenario (its timeline of years, shares and density factors) by a new version."""

    def __init__(self, project: Project, new_scenario: Scenario, text: str = "Edit scenario timeline") -> None:
        super().__init__(text)
        self._project = project
        self._old = project.scenarios[new_scenario.id]
        self._new = new_scenario

    def redo(self) -> None:
        self._project.update_scenario(self._new)

    def undo(self) -> None:
        self._project.update_scenario(self._old)


class SetSiteCommand(QUndoCommand):
    """Replace the site record (climate, location, user regions)."""

    def __init__(self, project: Project, new_site: Site, text: str = "Change site") -> None:
        super().__init__(text)
        self._project = project
        self._old = project.site
        self._new = new_site

    def redo(self) -> None:
        self._project.set_site(self._new)

    def undo(self) -> None:
        self._project.set_site(self._old)
