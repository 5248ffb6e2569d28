"""A slider move during the idle pass stops the pass (its figures would be dropped) and runs once the
pass has let go of the window's day, which it then updates in place (no copy): the pass's worker and
the window never both hold a day of their own."""

from __future__ import annotations

import threading

import pytest

from designer.analysis import Analyzer, Results
from designer.analysis.synthetic import build_campus
from designer.io.catalog_io import load_catalog
from designer.ui.dashboard import coordinator as coordinator_mod
from designer.ui.main_window import MainWindow


@pytest.fixture(scope="module")
def real_catalog():  # type: ignore[no-untyped-def]
    return load_catalog(include_user=False)


def test_a_move_during_the_idle_pass_stops_it_and_updates_the_day_in_place(qtbot, real_catalog,
                                                                           monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(real_catalog, {}, build_campus(300, real_catalog))
    qtbot.addWidget(window)
    coordinator = window.coordinator
    coordinator.flush()
    coordinator.idle_timer.stop()
    # the run waits for the cancelled pass however slow the machine (the wait's bound is not under test)
    monkeypatch.setattr(coordinator_mod, "CANCEL_WAIT_MS", 30_000)
    started, reached = threading.Event(), []
    real_detached = Analyzer.detached

    def detached(analyzer, *args, **kwargs):  # type: ignore[no-untyped-def]
        snapshot, twin = real_detached(analyzer, *args, **kwargs)
        real_analyze, real_failures = twin.analyze, twin._failures

        def held(*a, **k):  # type: ignore[no-untyped-def]
            started.set()
            assert twin._stop is not None and twin._stop.wait(30)  # runs once cancelled
            return real_analyze(*a, **k)

        def failures(*a, **k):  # type: ignore[no-untyped-def]
            reached.append("failures")  # never: the pass stops at its first checkpoint
            return real_failures(*a, **k)

        twin.analyze, twin._failures = held, failures  # type: ignore[method-assign]
        return snapshot, twin

    monkeypatch.setattr(Analyzer, "detached", detached)
    day = coordinator.analyzer._day
    coordinator.fill_failures_in_background()
    job = coordinator.failures_job
    assert job is not None and started.wait(30)
    shown: list[Results] = []
    coordinator.results_ready.connect(lambda results, _sweep: shown.append(results))
    window.dashboard.state.set_inference_share(0.8)  # the slider moves: a run is due at once
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=30_000)
    assert job.error is not None and type(job.error).__name__ == "Cancelled" and reached == []
    assert coordinator.failures_jobs_dropped == 1
    assert shown[0].inference_share == pytest.approx(0.8) and not shown[0].failures_analysed
    assert coordinator.analyzer._day is day  # written in place: the pass had let go of it
    window.document.undo_stack.setClean()
