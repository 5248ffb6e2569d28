"""File ▸ Compare Options… and File ▸ Compare Layout with…, installed on the window through FeatureHost."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from designer.ui.canvas.scene import FloorScene
from designer.ui.canvas.view import FloorView
from designer.ui.compare_options import CompareOptionsDialog
from designer.ui.host import FeatureHost
from designer.ui.layout_diff import LayoutDiffOverlay


@dataclass
class CompareActions:
    """What the install built: the two actions, the layout-diff overlay and the last options dialog."""

    options_action: QAction
    layout_action: QAction
    layout_diff: LayoutDiffOverlay
    host: FeatureHost
    dialog: CompareOptionsDialog | None = None

    def open_options(self) -> CompareOptionsDialog:
        """Open the Compare Options dialog on the open design (modeless; one at a time)."""
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        self.dialog = CompareOptionsDialog(self.host.document, self.host.window())
        self.dialog.show()
        return self.dialog


def install_compare_actions(
    host: FeatureHost,
    file_menu: QMenu,
    before: QAction,
    scene: FloorScene,
    view: FloorView,
    canvas: QWidget,
    restore_colours: Callable[[], None],
    close_others: Callable[[], None] | None = None,
    hide_key: Callable[[], None] | None = None,
) -> CompareActions:
    """Add both entries to ``file_menu`` before ``before``; the overlay's banner goes above ``canvas``."""
    window = host.window()
    overlay = LayoutDiffOverlay(host.document, scene, view, canvas, restore_colours, window, close_others, hide_key)
    options = QAction("Compare &Options…", window)
    options.setStatusTip("This design and other files side by side over its transition: a table and charts")
    layout = QAction("Compare &Layout with…", window)
    layout.setStatusTip("Colour what this design adds, removes, moves and changes against another file")
    layout.triggered.connect(lambda: overlay.choose_file())
    file_menu.insertAction(before, options)
    file_menu.insertAction(before, layout)
    actions = CompareActions(options, layout, overlay, host)
    options.triggered.connect(lambda: actions.open_options())
    return actions
