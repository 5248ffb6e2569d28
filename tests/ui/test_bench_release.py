"""``dc-designer bench`` lets each figure's windows go before the next figure (and the next size) runs."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from designer import bench


def test_the_export_figures_leave_no_window_behind(qapp: QApplication) -> None:
    # the export bench's window was only deleteLater'd, which the bench (no event loop) never delivers:
    # at ``--racks 10000 50000`` the 10k window, its campus and analysis stood under every 50k figure
    before = QApplication.topLevelWidgets()  # the wrappers held: the same objects come back, ids stay theirs
    figures = bench._export_figures(120)
    assert figures["export_stall_ms"] >= 0.0
    kept = {id(widget) for widget in before}
    left = [type(widget).__name__ for widget in QApplication.topLevelWidgets() if id(widget) not in kept]
    assert left == []


def test_a_reset_peak_reads_the_memory_held_since_not_the_old_peak() -> None:
    import numpy as np

    if not bench.reset_peak_rss():
        import pytest

        pytest.skip("no /proc/self/clear_refs here")
    block = np.ones(40 * 2**20 // 8)  # 40 MiB touched
    high = bench.vm_peak_rss_mb()
    del block
    assert bench.reset_peak_rss()
    after = bench.vm_peak_rss_mb()
    assert high is not None and after is not None
    assert after < high - 30  # the 40 MiB block's pages are gone from the new peak
