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


def test_the_gui_settles_only_once_the_windows_background_passes_have_ended(qapp: QApplication) -> None:
    # a pass a deleted window started on the thread pool ran on under the next figure, with its memory
    import threading

    from designer.ui.background import BackgroundJob
    from designer.ui.bench_editor import settle_gui

    release = threading.Event()

    def work(progress: object) -> str:
        release.wait(5.0)
        return "done"

    job: BackgroundJob[str] = BackgroundJob(work)
    job.start()
    threading.Timer(0.2, release.set).start()  # the pass ends a little after settle_gui is called
    settle_gui(QApplication.topLevelWidgets())
    assert job.result == "done"


def test_every_sizes_peak_is_read_before_any_size_makes_its_export_campus(
        monkeypatch: object, capsys: object) -> None:
    import json

    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    calls: list[str] = []

    def peak(racks: int, catalog: object, repeats: int) -> dict[str, float]:
        calls.append(f"peak {racks}")
        return {"racks": float(racks) + 8, "peak_rss_mb": 1.0}  # a campus rounds up to whole rows

    monkeypatch.setattr(bench, "_peak_figures", peak)
    monkeypatch.setattr(bench, "_phased_figures", lambda racks, c, r: calls.append(f"phased {racks}") or {"p": 2.0})
    monkeypatch.setattr(bench, "_export_figures", lambda racks: calls.append(f"export {racks}") or {"e": 3.0})
    assert bench.run_bench([50, 20], repeats=1, as_json=True, save=None) == 0
    # the 20-rack size's export window, drawing and workbook leave C heap the allocator cannot hand
    # back: they come after the 50-rack size's peak (the phased campus leaves next to nothing, and its
    # own peak is read on what its size left); each is made at the size asked for, not the rounded one
    assert calls == ["peak 20", "phased 20", "peak 50", "phased 50", "export 20", "export 50"]
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]  # type: ignore[attr-defined]
    assert [line["racks"] for line in printed] == [28, 58]
    assert all(line["p"] == 2.0 and line["e"] == 3.0 and line["peak_rss_mb"] == 1.0 for line in printed)
