"""Finding a window's top-level menu by its title, for modules that add their actions to it."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QMenu, QMenuBar


class HasMenuBar(Protocol):
    def menuBar(self) -> QMenuBar: ...


def menu_titled(window: HasMenuBar, title: str) -> QMenu:
    """The menu bar's menu called ``title`` (ignoring the & of its accelerator), added if missing."""
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text().replace("&", "") == title:
            return menu
    return window.menuBar().addMenu(f"&{title}")
