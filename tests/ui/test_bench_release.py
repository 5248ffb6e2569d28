"""``dc-designer bench`` lets each figure's windows go before the next figure (and the next size) runs."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from designer import bench


def test_the_export_figures_leave_no_window_behind(qapp: QApplication) -> None:
    # the export bench's window was only deleteLater'd, which the bench (no event loop) never delivers:
    # at ``--racks 10000 50000`` the 10k window, its campus and analysis stood under every 50k figure
    before = {id(widget) for widget in QApplication.topLevelWidgets()}
    figures = bench._export_figures(120)
    assert figures["export_stall_ms"] >= 0.0
    left = [type(widget).__name__ for widget in QApplication.topLevelWidgets() if id(widget) not in before]
    assert left == []
