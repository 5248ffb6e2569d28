"""The idle pass (single failures, headroom, maintenance) runs on a worker thread: its figures are the
ones a direct analysis gives, a result that comes after a newer analysis is dropped, and one job runs
at a time. The electrical checks after it run one at a time and are dropped once a newer analysis ran."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from designer.analysis import Analyzer, Results
from designer.analysis.synthetic import build_campus
from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.io.resources import examples_dir
from designer.model.catalog import merged_catalog
from designer.ui import background
from designer.ui.main_window import MainWindow


@pytest.fixture(scope="module")
def real_catalog():  # type: ignore[no-untyped-def]
    return load_catalog(include_user=False)


def _window(qtbot, project, catalog):  # type: ignore[no-untyped-def]
    window = MainWindow(catalog, {}, project)
    qtbot.addWidget(window)
    window.coordinator.idle_timer.stop()
    window.coordinator.flush()
    window.coordinator.idle_timer.stop()  # the tests start the idle pass themselves
    assert window.coordinator.results is not None and not window.coordinator.results.failures_analysed
    return window


def _hold_idle_twins(monkeypatch) -> threading.Event:  # type: ignore[no-untyped-def]
    """Each twin analyzer the idle pass detaches waits, in its ``analyze``, until the event returned is set."""
    release = threading.Event()
    real_detached = Analyzer.detached

    def detached(analyzer, *args, **kwargs):  # type: ignore[no-untyped-def]
        snapshot, twin = real_detached(analyzer, *args, **kwargs)
        real = twin.analyze

        def held(*a, **k):  # type: ignore[no-untyped-def]
            assert release.wait(30)
            return real(*a, **k)

        twin.analyze = held  # type: ignore[method-assign]
        return snapshot, twin

    monkeypatch.setattr(Analyzer, "detached", detached)
    return release


def _direct(window) -> Results:  # type: ignore[no-untyped-def]
    """The idle pass done here, by a fresh analyzer, at the point the window shows."""
    document, shown = window.document, window.coordinator.results
    analyzer = Analyzer()
    try:
        return analyzer.analyze(document.project, merged_catalog(document.catalog, document.project.custom_catalog),
                                inference_share=shown.inference_share, year=shown.year, hour=shown.hour,
                                failures=True)
    finally:
        analyzer.close()


def _same_failure_figures(got: Results, expected: Results) -> None:
    assert got.failures_analysed and expected.failures_analysed
    assert got.single_failures == expected.single_failures
    assert got.maintenance_pairs == expected.maintenance_pairs
    assert got.maintenance_verdicts == expected.maintenance_verdicts
    assert got.headroom == expected.headroom
    assert got.findings == expected.findings
    assert np.array_equal(got.component_worst_failure_utilization, expected.component_worst_failure_utilization,
                          equal_nan=True)
    assert np.array_equal(got.rack_survives_single_failures, expected.rack_survives_single_failures)


@pytest.mark.parametrize("design", ["campus", "phased"])
def test_the_failure_figures_arrive_from_a_worker_and_match_a_direct_analysis(qtbot, real_catalog, design,
                                                                             monkeypatch) -> None:  # type: ignore[no-untyped-def]
    if design == "campus":
        project = build_campus(400, real_catalog)
    else:  # in-service years: the worker analyses the design as built in the year shown
        project = load_project(examples_dir() / "modular_campus.dcplan", real_catalog)
    window = _window(qtbot, project, real_catalog)
    coordinator = window.coordinator
    threads: list[threading.Thread] = []
    real_analyze = Analyzer.analyze

    def analyze(analyzer, *args, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("failures", True):
            threads.append(threading.current_thread())
        return real_analyze(analyzer, *args, **kwargs)

    monkeypatch.setattr(Analyzer, "analyze", analyze)
    shown: list[Results] = []
    coordinator.results_ready.connect(lambda results, _sweep: shown.append(results))
    coordinator.fill_failures_in_background()
    job = coordinator.failures_job
    assert job is not None
    coordinator.fill_failures_in_background()  # asked again while it runs: no second job
    assert coordinator.failures_job is job
    qtbot.waitUntil(lambda: coordinator.failures_job is None, timeout=30_000)
    monkeypatch.setattr(Analyzer, "analyze", real_analyze)
    assert threads and all(t is not threading.main_thread() for t in threads)  # done on the worker
    assert len(shown) == 1 and shown[0] is coordinator.results  # sent once, and kept
    _same_failure_figures(coordinator.results, _direct(window))
    window.document.undo_stack.setClean()


def test_a_failure_result_that_comes_after_a_newer_analysis_is_dropped(qtbot, real_catalog, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, build_campus(400, real_catalog), real_catalog)
    coordinator = window.coordinator
    release = _hold_idle_twins(monkeypatch)  # the worker waits until the window has analysed again
    coordinator.fill_failures_in_background()
    assert coordinator.failures_job is not None
    newer = coordinator.run()  # the user moved on: a cheap analysis of the design now
    assert newer is not None and not newer.failures_analysed
    shown: list[Results] = []
    coordinator.results_ready.connect(lambda results, _sweep: shown.append(results))
    release.set()
    qtbot.waitUntil(lambda: coordinator.failures_job is None, timeout=30_000)
    assert coordinator.failures_jobs_dropped == 1
    assert shown == [] and coordinator.results is newer  # the late figures were never shown
    assert coordinator.idle_timer.isActive()  # the newer analysis gets its own idle pass
    window.document.undo_stack.setClean()


def test_every_background_job_shortens_the_switch_interval_while_it_runs(qtbot) -> None:  # type: ignore[no-untyped-def]
    import gc
    import sys

    before = sys.getswitchinterval()
    release = threading.Event()
    seen: list[tuple[float, bool]] = []

    def work(_progress: object) -> int:
        release.wait(10)
        seen.append((sys.getswitchinterval(), gc.isenabled()))
        return 1

    job: background.BackgroundJob[int] = background.BackgroundJob(work)
    job.start()  # no dialog: a job of the window's own (the idle pass, the electrical checks)
    assert sys.getswitchinterval() == min(before, background.SWITCH_INTERVAL_S)
    assert not gc.isenabled()
    release.set()
    qtbot.waitUntil(lambda: job.result == 1, timeout=10_000)
    qtbot.waitUntil(lambda: background.JOBS_RUNNING.count == 0, timeout=10_000)
    assert seen == [(min(before, background.SWITCH_INTERVAL_S), False)]
    assert sys.getswitchinterval() == before and gc.isenabled()  # both restored after the last job


def test_electrical_checks_wait_for_the_one_under_way_and_a_stale_answer_is_dropped(qtbot, real_catalog, monkeypatch,
                                                                                     tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import designer.ui.main_window as main_window

    window = _window(qtbot, build_campus(200, real_catalog), real_catalog)
    release = threading.Event()
    started: list[Results] = []
    real_checks = main_window._electrical_checks

    def checks(project, catalog, results):  # type: ignore[no-untyped-def]
        started.append(results)
        assert release.wait(30)
        return real_checks(project, catalog, results)

    monkeypatch.setattr(main_window, "_electrical_checks", checks)
    drawn: list[Results] = []
    real_show = window.views.single_line.show_electrical
    monkeypatch.setattr(window.views.single_line, "show_electrical",
                        lambda results, electrical: (drawn.append(results), real_show(results, electrical)))
    window.electrical_findings = []
    first = window.coordinator.run(failures=True)  # an idle pass: its checks follow on the timer
    qtbot.waitUntil(lambda: len(started) == 1, timeout=10_000)
    second = window.coordinator.run(failures=True)  # newer results while the first checks run
    assert first is not None and second is not None
    window.electrical_timer.timeout.emit()  # the timer again: it must not start a second job
    assert len(window._electrical_jobs) == 1 and len(started) == 1
    release.set()
    # the first answer is stale (dropped); the second results' checks follow, then are shown
    qtbot.waitUntil(lambda: len(started) == 2 and not window._electrical_jobs, timeout=30_000)
    assert started[0] is first and started[1] is second
    qtbot.waitUntil(lambda: len(drawn) == 1, timeout=10_000)
    assert drawn[0] is second  # the first checks' figures never reached the diagram
    window.document.undo_stack.setClean()


def test_the_idle_pass_waits_while_an_export_runs(qtbot, real_catalog, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, build_campus(200, real_catalog), real_catalog)
    coordinator = window.coordinator
    monkeypatch.setattr(background, "_dialog_jobs", [1])  # a job behind a progress dialog (an export) runs
    coordinator.fill_failures_in_background()
    assert coordinator.failures_job is None and coordinator.idle_timer.isActive()  # asked again later
    monkeypatch.setattr(background, "_dialog_jobs", [0])  # the export is done
    coordinator.idle_timer.stop()
    coordinator.fill_failures_in_background()
    assert coordinator.failures_job is not None
    qtbot.waitUntil(lambda: coordinator.results.failures_analysed, timeout=30_000)
    window.document.undo_stack.setClean()


def test_a_window_closed_while_its_idle_pass_runs_takes_no_more_results(qtbot, real_catalog,
                                                                               monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, build_campus(200, real_catalog), real_catalog)
    window.show()  # (closing a window never shown, then again at the test's end, crashes PySide)
    qtbot.waitExposed(window)
    coordinator = window.coordinator
    release = _hold_idle_twins(monkeypatch)
    coordinator.fill_failures_in_background()
    job = coordinator.failures_job
    assert job is not None
    shown: list[Results] = []
    coordinator.results_ready.connect(lambda results, _sweep: shown.append(results))
    window.document.undo_stack.setClean()
    assert window.close()  # the window closes (its coordinator with it) while the pass runs
    release.set()
    qtbot.waitUntil(lambda: job.result is not None or job.error is not None, timeout=30_000)
    qtbot.wait(50)  # the report reaches the window's thread
    assert shown == [] and not coordinator.idle_timer.isActive()
    coordinator.fill_failures_in_background()  # asked once closed: nothing starts
    assert coordinator.failures_job is None


def test_the_idle_pass_and_the_electrical_checks_run_one_at_a_time(qtbot, real_catalog, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import designer.ui.main_window as main_window

    window = _window(qtbot, build_campus(200, real_catalog), real_catalog)
    coordinator = window.coordinator
    release = threading.Event()
    started: list[Results] = []
    real_checks = main_window._electrical_checks

    def checks(project, catalog, results):  # type: ignore[no-untyped-def]
        started.append(results)
        assert release.wait(30)
        return real_checks(project, catalog, results)

    monkeypatch.setattr(main_window, "_electrical_checks", checks)
    coordinator.run(failures=True)  # an idle pass on this thread: its electrical checks follow on the timer
    qtbot.waitUntil(lambda: len(started) == 1, timeout=10_000)
    coordinator.run()  # a move while the checks run: its idle pass must wait for them
    coordinator.idle_timer.stop()
    coordinator.fill_failures_in_background()
    assert coordinator.failures_job is None and coordinator.idle_timer.isActive()  # asked again later
    release.set()
    qtbot.waitUntil(lambda: not window._electrical_jobs, timeout=30_000)
    coordinator.idle_timer.stop()
    coordinator.fill_failures_in_background()
    assert coordinator.failures_job is not None
    # and while the idle pass runs, due electrical checks wait for it
    window._electrical_results = coordinator.results
    window.electrical_timer.stop()
    window._on_electrical_timer_timeout()
    assert not window._electrical_jobs and window.electrical_timer.isActive()
    qtbot.waitUntil(lambda: coordinator.results.failures_analysed, timeout=30_000)
    qtbot.waitUntil(lambda: len(started) == 2 and not window._electrical_jobs, timeout=30_000)
    window.document.undo_stack.setClean()


def test_a_failure_result_that_comes_while_an_edit_waits_is_dropped(qtbot, real_catalog, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from designer.ui.commands import RemoveItemsCommand

    window = _window(qtbot, build_campus(400, real_catalog), real_catalog)
    coordinator = window.coordinator
    release = _hold_idle_twins(monkeypatch)
    coordinator.fill_failures_in_background()
    assert coordinator.failures_job is not None
    item = next(iter(window.document.project.items.values()))
    window.document.push(RemoveItemsCommand(window.document.project, [item.id]))
    assert coordinator.timer.isActive()  # the edit's analysis waits on the editor's delay
    shown: list[Results] = []
    coordinator.results_ready.connect(lambda results, _sweep: shown.append(results))
    release.set()
    qtbot.waitUntil(lambda: coordinator.failures_job is None, timeout=30_000)
    # the pass was of the design before the edit: dropped, and the edit's own analysis is the next shown
    assert coordinator.failures_jobs_dropped == 1
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert item.id not in shown[0].component_ids.tolist() and item.id not in shown[0].rack_ids.tolist()
    window.document.undo_stack.setClean()
