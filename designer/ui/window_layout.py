"""The main window's default layout, chosen for the size it opens at: 1366x768 and 1920x1080 both read cleanly.

Wide windows show the four charts side by side; narrower ones show them as two tabbed columns so no
chart loses its right end or its legend. Short windows tab the workload-mix controls with the
inspector so both keep a usable height. A layout the user saved is restored instead (main window).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:
    from designer.ui.main_window import MainWindow

DEFAULT_SIZE = (1400, 900)
WIDE_MIN_PX = 1700
"""From this window width the four charts stand side by side (at least ~420 px each)."""
TALL_MIN_PX = 950
"""From this window height the inspector and the workload-mix controls share the right column."""
CHART_HEIGHT_SHARE = 0.33
CHART_MIN_HEIGHT_PX = 240


def default_size() -> tuple[int, int]:
    """1400x900, or the screen's available area when it is smaller (a 1366x768 laptop).

    The offscreen platform (tests, screenshots) reports an 800x600 screen: there the default stands.
    """
    width, height = DEFAULT_SIZE
    screen = QGuiApplication.primaryScreen()
    if screen is None or QGuiApplication.platformName() == "offscreen":
        return width, height
    available = screen.availableGeometry()
    return min(width, available.width()), min(height, available.height())


def apply_default_layout(window: MainWindow) -> None:
    """Arrange the docks for the window's current size (call once, when first shown)."""
    dashboard = window.dashboard
    docks = dashboard.docks
    wide = window.width() >= WIDE_MIN_PX
    tall = window.height() >= TALL_MIN_PX
    if not wide:
        # two columns of two tabbed charts: each chart gets half the width instead of a quarter
        window.tabifyDockWidget(docks["DayProfileDock"], docks["CoolingDock"])
        window.tabifyDockWidget(docks["TransitionDock"], docks["UtilizationDock"])
        docks["DayProfileDock"].raise_()
        docks["TransitionDock"].raise_()
    if not tall:
        window.tabifyDockWidget(window.inspector_dock, docks["MixControlsDock"])
        docks["MixControlsDock"].raise_()
        window.document.selection_changed.connect(lambda: raise_inspector_for_selection(window))
    side_px = (240, 380) if wide else (210, 370)
    window.resizeDocks([window.palette_dock, window.inspector_dock], list(side_px), Qt.Orientation.Horizontal)
    chart_px = max(CHART_MIN_HEIGHT_PX, round(window.height() * CHART_HEIGHT_SHARE))
    window.resizeDocks([docks["DayProfileDock"]], [chart_px], Qt.Orientation.Vertical)
    headline_px = dashboard.headline.sizeHint().height() + 4
    window.resizeDocks([docks["HeadlineDock"]], [headline_px], Qt.Orientation.Vertical)
    if tall:
        window.resizeDocks([window.inspector_dock, docks["MixControlsDock"]], [1, 1], Qt.Orientation.Vertical)
    QTimer.singleShot(0, window.view.zoom_to_fit)  # once the docks have their sizes, the plan fills the rest


def raise_inspector_for_selection(window: MainWindow) -> None:
    """Selecting something shows the inspector when it shares a tab group with other docks (short
    windows): otherwise a click on the plan would seem to do nothing."""
    dock = window.inspector_dock
    if window.document.selected_ids() and window.tabifiedDockWidgets(dock) and dock.visibleRegion().isEmpty():
        dock.raise_()
