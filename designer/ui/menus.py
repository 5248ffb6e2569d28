"""Finding a window's top-level menu by its title, for modules that add their actions to it."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QMenu


def menu_titled(window: QMainWindow, title: str) -> QMenu:
    """The menu bar's menu called ``title`` (ignoring the & of its accelerator), added if missing."""
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text().replace("&", "") == title:
            return menu
    return window.menuBar().addMenu(f"&{title}")
