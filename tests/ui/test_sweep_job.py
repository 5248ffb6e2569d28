"""The sweep after an edit (or a year change of a phased design) runs on a worker thread: its figures are
the ones a sweep on the spot gives, the charts follow when it arrives, a sweep made stale by a newer
design is dropped, one runs at a time, and ``run()`` called directly still sweeps on the spot."""

from __future__ import annotations

import numpy as np
import pytest

from designer.analysis import Analyzer, sweep
from designer.analysis.synthetic import build_campus
from designer.io.catalog_io import load_catalog
from designer.model.catalog import merged_catalog
from designer.ui.main_window import MainWindow


@pytest.fixture(scope="module")
def real_catalog():  # type: ignore[no-untyped-def]
    return load_catalog(include_user=False)


@pytest.fixture
def window(qtbot, real_catalog):  # type: ignore[no-untyped-def]
    window = MainWindow(real_catalog, {}, build_campus(96, real_catalog))
    qtbot.addWidget(window)
    window.coordinator.flush()  # the first sweep, on the spot
    window.coordinator.idle_timer.stop()
    return window


def _direct_sweep(window):  # type: ignore[no-untyped-def]
    document = window.document
    analyzer = Analyzer()
    try:
        return sweep(document.project, merged_catalog(document.catalog, document.project.custom_catalog),
                     analyzer=analyzer)
    finally:
        analyzer.close()


def _override_first_rack(window, design_kw: float) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    project = window.document.project
    rack = next(i for i in project.items.values() if i.catalog_id.startswith("rack") or "rack" in i.id)
    project.update_items([replace(rack, design_kw=design_kw)])


def test_an_edit_sweeps_on_a_worker_and_the_transition_chart_follows(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    coordinator = window.coordinator
    before = coordinator.sweep
    assert before is not None
    _override_first_rack(window, 5.0)
    shown = []
    coordinator.results_ready.connect(lambda _results, swept: shown.append(swept))
    with qtbot.waitSignal(coordinator.sweep_ready, timeout=30_000) as arrived:
        coordinator.timer.start(0)  # the edit's timer fires: the analysis here, the sweep on a worker
    assert shown == [before]  # the charts kept the last sweep until the new one came
    assert arrived.args[0] is coordinator.sweep and coordinator.sweep is not before
    expected = _direct_sweep(window)
    np.testing.assert_array_equal(coordinator.sweep.peak_it_kw, expected.peak_it_kw)
    np.testing.assert_array_equal(coordinator.sweep.peak_facility_kw, expected.peak_facility_kw)
    assert not np.array_equal(before.peak_it_kw, expected.peak_it_kw)  # the override changed the peaks
    chart = window.dashboard.transition_chart
    np.testing.assert_allclose(chart.peak_it.yData * 1000.0, expected.peak_it_kw)


def test_a_sweep_made_stale_by_a_newer_design_is_dropped(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    coordinator = window.coordinator
    _override_first_rack(window, 5.0)
    coordinator.run(background_sweep=True)  # a job starts
    assert coordinator.sweep_job is not None
    _override_first_rack(window, 9.0)
    coordinator.run(background_sweep=True)  # one at a time: this one waits for the first to report
    assert coordinator.wait_for_sweep()
    assert coordinator.sweep_jobs_dropped == 1
    expected = _direct_sweep(window)  # of the design with 9 kW
    np.testing.assert_array_equal(coordinator.sweep.peak_it_kw, expected.peak_it_kw)


def test_run_called_directly_sweeps_on_the_spot(window) -> None:  # type: ignore[no-untyped-def]
    coordinator = window.coordinator
    _override_first_rack(window, 7.0)
    coordinator.flush()
    assert coordinator.sweep_job is None
    np.testing.assert_array_equal(coordinator.sweep.peak_it_kw, _direct_sweep(window).peak_it_kw)


def test_a_phased_designs_year_change_sweeps_that_years_design_on_a_worker(qapp) -> None:  # type: ignore[no-untyped-def]
    from analysis.analysis_builders import TEST_CATALOG, flat_profiles
    from analysis.test_runway_hand import two_phase

    from designer.ui.dashboard.coordinator import AnalysisCoordinator
    from designer.ui.dashboard.state import DashboardState
    from designer.ui.document import Document

    d = two_phase()
    state = DashboardState()
    state.reset_to(d.project)
    coordinator = AnalysisCoordinator(Document(d.project, TEST_CATALOG, {}), state,
                                      Analyzer(profiles=flat_profiles(0.8), climates={}))
    try:
        coordinator.run(background_sweep=True)
        assert coordinator.wait_for_sweep() and coordinator.sweep is not None
        # 2025: R1-R6 at 80 kW = 480 kW at every share; the year sweep: 2025, 2026 480 kW, 2027 960 kW
        assert coordinator.sweep.peak_it_kw == pytest.approx([480.0] * 101)
        assert coordinator.sweep.year_peak_it_kw == pytest.approx([480.0, 480.0, 960.0])
        state.set_year(2027, d.project)
        coordinator.run(background_sweep=True)
        assert coordinator.wait_for_sweep()
        assert coordinator.sweep.peak_it_kw == pytest.approx([960.0] * 101)  # R7-R12 too in 2027
        assert coordinator.sweep.year_peak_it_kw == pytest.approx([480.0, 480.0, 960.0])
    finally:
        coordinator.close()


def test_the_transition_chart_says_updating_while_the_new_sweep_is_worked_out(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Between an edit's analysis and its sweep's arrival the transition curves are the last design's:
    the chart's title says so, and stops saying so when the new sweep is drawn."""
    chart = window.dashboard.transition_chart
    assert not chart.updating
    _override_first_rack(window, 5.0)
    titles = []
    window.coordinator.results_ready.connect(lambda *_: titles.append(chart.plot.titleLabel.text))
    with qtbot.waitSignal(window.coordinator.sweep_ready, timeout=30_000):
        window.coordinator.timer.start(0)
    assert titles and "updating" in titles[0]
    assert not chart.updating and "updating" not in chart.plot.titleLabel.text
