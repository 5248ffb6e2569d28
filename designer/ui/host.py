"""FeatureHost: the small typed interface a feature (export, import, ...) may use of the main window."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QMenuBar, QStatusBar, QWidget

from designer.ui.document import Document


class FeatureHost(Protocol):
    """What File ▸ Export and File ▸ Import see of the window: the document, a parent for their dialogs,
    the menu bar to add their menus to and the status bar to report in. They set nothing on it; their
    install functions return what they built and the window keeps it."""

    document: Document

    def window(self) -> QWidget: ...

    def menuBar(self) -> QMenuBar: ...

    def statusBar(self) -> QStatusBar: ...
