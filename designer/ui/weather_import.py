"""File ▸ Import ▸ Weather File (EPW) as Site Climate: the site's own typical year, one undoable command.

The file is read by the Qt-free ``designer.io.climate_io.read_epw`` (bounded, range-checked); the
user states the data's licence, which is stored with the hours and shown in the report.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

from designer.io.climate_io import WeatherFileError, read_epw
from designer.model.records import SiteClimate
from designer.ui.commands_dashboard import SetSiteCommand
from designer.ui.host import FeatureHost

EPW_FILTER = "EnergyPlus weather files (*.epw);;All files (*)"


class WeatherImport:
    """Import an EPW file into the site of one main window's project."""

    def __init__(self, host: FeatureHost) -> None:
        self.host = host
        self.document = host.document

    def ask_for_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.host.window(), "Import weather file as site climate", "", EPW_FILTER)
        return Path(name) if name else None

    def ask_for_licence(self, climate: SiteClimate) -> str | None:
        """The licence of the weather data (None: cancelled)."""
        text, accepted = QInputDialog.getText(self.host.window(), "Licence of the weather data",
                                              f"{climate.source}\nUnder which licence may this data be used?")
        return text.strip()[:500] if accepted else None

    def import_weather(self) -> None:
        path = self.ask_for_path()
        if path is None:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            climate = read_epw(path)
        except (WeatherFileError, OSError) as error:
            message = error.one_line() if isinstance(error, WeatherFileError) else str(error)
            QMessageBox.critical(self.host.window(), "Cannot import the weather file", message)
            return
        finally:
            QApplication.restoreOverrideCursor()
        licence = self.ask_for_licence(climate)
        if licence is None:
            return
        climate = dataclasses.replace(climate, licence=licence)
        project = self.document.project
        self.document.undo_stack.push(SetSiteCommand(project, dataclasses.replace(project.site, climate=climate),
                                                     f"Site climate from {path.name}"))
        self.host.statusBar().showMessage(f"Site climate {climate.name}: 8,760 hours from {path.name}", 8000)
