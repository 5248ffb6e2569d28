"""Dockable side panels: palette, inspector, problems and undo history."""

from designer.ui.panels.history import UndoHistoryPanel
from designer.ui.panels.inspector import InspectorDock, InspectorPanel
from designer.ui.panels.palette import CATALOG_MIME, POD_MIME, PaletteDock
from designer.ui.panels.problems import ProblemsPanel

__all__ = [
    "CATALOG_MIME",
    "POD_MIME",
    "InspectorDock",
    "InspectorPanel",
    "PaletteDock",
    "ProblemsPanel",
    "UndoHistoryPanel",
]
