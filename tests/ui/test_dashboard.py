"""The live workload-mix dashboard: charts follow the analysis, items are made once, coalescing, commands."""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor

from designer.analysis import Analyzer
from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.io.resources import examples_dir
from designer.model.catalog import merged_catalog
from designer.ui.canvas.overlay import apply_overlay
from designer.ui.commands_dashboard import SetSettingsCommand, SetSiteCommand, UpdateScenarioCommand
from designer.ui.dashboard.series import utilisation_series
from designer.ui.dashboard.state import DashboardState
from designer.ui.main_window import MainWindow
from designer.ui.plain_text import displayed_text


@pytest.fixture(scope="module")
def real_catalog():  # type: ignore[no-untyped-def]
    return load_catalog(include_user=False)


def _example(name: str) -> Path:
    return examples_dir() / name


@pytest.fixture
def window(qtbot, real_catalog, monkeypatch):  # type: ignore[no-untyped-def]
    """The modular campus: it has racks of class "ai", so the inference share moves its loads."""
    from PySide6.QtWidgets import QMessageBox

    # closing a window with unsaved edits asks; the tests discard them
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Discard)
    project = load_project(_example("modular_campus.dcplan"), real_catalog)
    win = MainWindow(real_catalog, {}, project)
    qtbot.addWidget(win)
    win.resize(1600, 1000)
    win.show()
    qtbot.waitExposed(win)
    win.coordinator.flush()
    assert win.coordinator.results is not None
    return win


def _expected(window, share: float):  # type: ignore[no-untyped-def]
    document = window.document
    analyzer = Analyzer()
    try:
        return analyzer.analyze(document.project, merged_catalog(document.catalog, document.project.custom_catalog),
                                inference_share=share, failures=False)
    finally:
        analyzer.close()


def _move_slider(window, share: float) -> None:  # type: ignore[no-untyped-def]
    slider = window.dashboard.controls.share_slider
    slider.setValue(round(share * slider.maximum()))
    window.coordinator.flush()


def test_slider_sets_chart_data_to_the_analysis_of_that_share(window):  # type: ignore[no-untyped-def]
    dashboard = window.dashboard
    before = np.array(dashboard.day_chart.facility.yData, copy=True)
    _move_slider(window, 0.65)
    assert dashboard.state.inference_share == pytest.approx(0.65)
    assert dashboard.controls.share_spin.value() == pytest.approx(65.0)
    expected = _expected(window, 0.65)
    day = dashboard.day_chart
    np.testing.assert_allclose(day.facility.yData * 1000.0, expected.facility_kw, rtol=1e-12)
    np.testing.assert_allclose(day.stack.tops[-1] * 1000.0, expected.it_kw, rtol=1e-9)
    assert not np.allclose(before, day.facility.yData), "the campus has ai racks: the share must matter"
    assert day.hour_line.value() == expected.hour
    bars = utilisation_series(expected)
    chart = dashboard.utilization_chart
    assert chart.series is not None and chart.series.ids == bars.ids
    np.testing.assert_allclose(chart.normal.heights, bars.utilization * 100.0, rtol=1e-12)
    cooling = dashboard.cooling_chart
    np.testing.assert_allclose(cooling.stack.tops[-1] * 1000.0, expected.it_kw, rtol=1e-9)
    current = dashboard.transition_chart.current.getData()
    np.testing.assert_allclose(current[0], [65.0, 65.0])
    np.testing.assert_allclose(current[1] * 1000.0, [expected.peak_it_kw, expected.peak_facility_kw], rtol=1e-12)
    assert dashboard.headline.text_of("it_peak") == f"{expected.peak_it_kw / 1000:,.2f} MW"
    assert dashboard.headline.text_of("facility_peak") == f"{expected.peak_facility_kw / 1000:,.2f} MW"


def test_transition_chart_shows_the_sweep(window):  # type: ignore[no-untyped-def]
    sweep = window.coordinator.sweep
    assert sweep is not None
    chart = window.dashboard.transition_chart
    np.testing.assert_allclose(chart.peak_it.xData, sweep.shares * 100.0)
    np.testing.assert_allclose(chart.peak_it.yData * 1000.0, sweep.peak_it_kw)
    np.testing.assert_allclose(chart.facility.yData * 1000.0, sweep.peak_facility_kw)
    np.testing.assert_allclose(chart.pue.yData, sweep.pue)
    ticks = chart.plot.getAxis("top")._tickLevels[0]
    years = [str(int(y)) for y in sweep.years]
    assert len(ticks) == len(years)  # a tick per year; labels thinned so they never run together
    assert all(label in ("", year) for (_, label), year in zip(ticks, years, strict=True))
    assert ticks[0][1] == years[0] and ticks[-1][1] == years[-1]


def test_chart_items_are_created_once(window, qtbot):  # type: ignore[no-untyped-def]
    charts = window.dashboard.charts()
    counts = [chart.item_count() for chart in charts]
    legends = [len(chart.legend.items) for chart in charts]
    for i in range(100):
        _move_slider(window, (i % 10) / 10)
        if i % 25 == 0:
            window.dashboard.state.set_hour(i % 24)
            window.coordinator.flush()
    assert [chart.item_count() for chart in charts] == counts
    assert [len(chart.legend.items) for chart in charts] == legends


def test_a_burst_of_slider_moves_runs_few_analyses_with_the_last_value(window, qtbot):  # type: ignore[no-untyped-def]
    analyzer = window.coordinator.analyzer
    calls: list[float | None] = []
    original = analyzer.analyze

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs.get("inference_share"))
        return original(*args, **kwargs)

    analyzer.analyze = counting  # type: ignore[method-assign]
    slider = window.dashboard.controls.share_slider
    with qtbot.waitSignal(window.coordinator.results_ready, timeout=3000):
        for i in range(50):
            slider.setValue(100 + 15 * i)
    assert 1 <= len(calls) <= 2
    assert calls[-1] == pytest.approx((100 + 15 * 49) / 1000)
    assert window.coordinator.results.inference_share == pytest.approx(0.835)


def test_single_failures_are_filled_in_on_idle(window, qtbot):  # type: ignore[no-untyped-def]
    _move_slider(window, 0.4)
    assert not window.coordinator.results.failures_analysed
    assert window.dashboard.headline.text_of("racks_at_risk") == "…"
    qtbot.waitUntil(lambda: window.coordinator.results.failures_analysed, timeout=3000)
    assert window.coordinator.results.inference_share == pytest.approx(0.4)
    assert "of" in window.dashboard.headline.text_of("racks_at_risk")
    worst = window.dashboard.utilization_chart.worst.heights
    assert np.any(np.asarray(worst) > 0)


def test_clicking_a_utilisation_bar_selects_that_component(window, qtbot):  # type: ignore[no-untyped-def]
    chart = window.dashboard.utilization_chart
    assert chart.series is not None
    wanted = chart.series.ids[1]
    assert chart.bar_at(1.1) == wanted and chart.bar_at(-3) is None
    scene_pos = chart.plot.vb.mapViewToScene(QPointF(1.0, 5.0))
    with qtbot.waitSignal(chart.component_clicked) as blocker:
        assert chart.click_at(scene_pos) == wanted
    assert blocker.args == [wanted]
    assert window.document.selected_ids() == [wanted]
    assert window.document.current_hall_id == window.document.project.items[wanted].hall_id


def test_overlay_colours_the_canvas_and_can_be_switched_off(window):  # type: ignore[no-untyped-def]
    scene = window.scene
    results = window.coordinator.results
    rack_id = results.rack_ids.tolist()[0]
    window.document.set_current_hall(window.document.project.items[rack_id].hall_id)
    graphic = scene.items_by_id[rack_id]
    overlaid = graphic._colour
    window.dashboard.action_overlay.setChecked(False)
    normal = graphic._colour
    assert normal != overlaid
    window.dashboard.action_overlay.setChecked(True)
    assert graphic._colour == overlaid
    assert apply_overlay(scene, {rack_id: QColor("#123456")}) == 1
    assert graphic.brush().gradient() is not None and graphic._colour == "#123456"


def test_share_spin_and_slider_stay_in_sync_without_echo(window):  # type: ignore[no-untyped-def]
    controls = window.dashboard.controls
    heard: list[str] = []
    window.dashboard.state.subscribe(heard.append)
    controls.share_spin.setValue(42.5)
    assert controls.share_slider.value() == 425
    assert heard == ["inference_share"]
    controls.share_slider.setValue(300)
    assert controls.share_spin.value() == pytest.approx(30.0)
    assert heard == ["inference_share", "inference_share"]


def test_timeline_edit_is_undoable(window):  # type: ignore[no-untyped-def]
    project = window.document.project
    controls = window.dashboard.controls
    stack = window.document.undo_stack
    old = project.active_scenario.years[0]
    controls.timeline.item(0, 1).setText("35")
    assert project.active_scenario.years[0].inference_share == pytest.approx(0.35)
    assert stack.undoText().startswith("Edit timeline")
    assert window.dashboard.state.inference_share == pytest.approx(0.35)
    stack.undo()
    assert project.active_scenario.years[0] == old
    assert controls.timeline.item(0, 1).text() == f"{old.inference_share * 100:g}"
    stack.redo()
    assert project.active_scenario.years[0].inference_share == pytest.approx(0.35)
    controls.timeline.item(0, 1).setText("not a number")
    assert project.active_scenario.years[0].inference_share == pytest.approx(0.35)
    assert controls.timeline.item(0, 1).text() == "35"


def test_add_and_remove_year(window):  # type: ignore[no-untyped-def]
    project = window.document.project
    years = [e.year for e in project.active_scenario.years]
    window.dashboard.controls.add_year()
    assert [e.year for e in project.active_scenario.years] == [*years, years[-1] + 1]
    window.dashboard.controls.remove_year()
    assert [e.year for e in project.active_scenario.years] == years
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    assert [e.year for e in project.active_scenario.years] == years


def test_class_combos_and_climate_push_commands(window):  # type: ignore[no-untyped-def]
    project = window.document.project
    controls = window.dashboard.controls
    stack = window.document.undo_stack
    start = stack.count()
    old_liquid = project.settings.liquid_class
    index = controls.liquid_combo.findText("W45")
    controls.liquid_combo.activated.emit(index)
    assert project.settings.liquid_class == "W45" and stack.count() == start + 1
    assert stack.undoText() == "Liquid class W45"
    controls.air_combo.activated.emit(controls.air_combo.findText("A3"))
    assert project.settings.air_class == "A3"
    other = next(i for i in range(controls.climate_combo.count())
                 if controls.climate_combo.itemData(i) != project.site.climate_id)
    new_climate = controls.climate_combo.itemData(other)
    old_site = project.site
    controls.climate_combo.activated.emit(other)
    assert project.site.climate_id == new_climate and project.site.name == old_site.name
    stack.undo()
    assert project.site == old_site
    stack.undo()
    stack.undo()
    assert project.settings.liquid_class == old_liquid
    assert controls.liquid_combo.currentText() == old_liquid


def test_year_selection_and_play(window):  # type: ignore[no-untyped-def]
    project = window.document.project
    controls = window.dashboard.controls
    state = window.dashboard.state
    years = [e.year for e in project.active_scenario.years]
    controls.year_combo.activated.emit(2)
    assert state.year == years[2]
    assert state.inference_share == pytest.approx(project.active_scenario.years[2].inference_share)
    controls.set_playing(True)
    assert state.playing and controls.play_timer.isActive()
    seen = [state.year]
    while state.playing:
        controls.step_play()
        seen.append(state.year)
    assert seen == years[2:]
    assert not controls.play_timer.isActive() and controls.play_button.text() == "▶ Play"
    controls.set_playing(True)  # at the end: starts again from the first year
    assert state.year == years[0]
    controls.set_playing(False)


def test_hour_control_moves_the_marker(window):  # type: ignore[no-untyped-def]
    window.dashboard.controls.hour_spin.setValue(3)
    window.coordinator.flush()
    assert window.coordinator.results.hour == 3
    assert window.dashboard.day_chart.hour_line.value() == 3
    window.dashboard.controls.hour_spin.setValue(-1)
    assert window.dashboard.state.hour is None


def test_edits_still_reach_the_problems_panel(window, qtbot):  # type: ignore[no-untyped-def]
    item = next(iter(window.document.project.items.values()))
    from designer.ui.commands import RemoveItemsCommand

    with qtbot.waitSignal(window.coordinator.results_ready, timeout=3000):
        window.document.push(RemoveItemsCommand(window.document.project, [item.id]))
    assert item.id not in window.coordinator.results.component_ids.tolist()
    assert item.id not in window.coordinator.results.rack_ids.tolist()


def test_compare_shows_the_other_projects_figures(window, real_catalog):  # type: ignore[no-untyped-def]
    dashboard = window.dashboard
    compare = dashboard.compare
    assert compare.load(_example("ai_hall.dcplan"))
    other = load_project(_example("ai_hall.dcplan"), real_catalog)
    analyzer = Analyzer()
    share = window.coordinator.results.inference_share
    expected = analyzer.analyze(other, merged_catalog(real_catalog, other.custom_catalog), inference_share=share,
                                failures=False)
    assert compare.text_of("it_peak", 1) == f"{expected.peak_it_kw / 1000:,.2f} MW"
    assert compare.text_of("facility_peak", 1) == f"{expected.peak_facility_kw / 1000:,.2f} MW"
    assert compare.text_of("it_peak", 0) == dashboard.headline.text_of("it_peak")
    chart = dashboard.transition_chart
    assert chart.other_peak_it.isVisible() and len(chart.other_peak_it.yData) == 101
    compare.clear()
    assert not chart.other_peak_it.isVisible()
    assert compare.text_of("it_peak", 1) == "—"


def test_compare_columns_follow_a_share_move(window):  # type: ignore[no-untyped-def]
    """Both columns are rewritten in place after a share move: this design's follows the headline (its
    IT peak moves with the share: the ai racks' mix changes), the other design's is analysed again."""
    dashboard = window.dashboard
    compare = dashboard.compare
    assert compare.load(_example("ai_hall.dcplan"))
    before = (compare.text_of("it_peak", 0), compare.text_of("it_peak", 1))
    share = window.coordinator.results.inference_share
    _move_slider(window, 0.95 if share < 0.5 else 0.05)
    after = (compare.text_of("it_peak", 0), compare.text_of("it_peak", 1))
    assert after[0] == dashboard.headline.text_of("it_peak")
    assert after[0] != before[0] and after[1] != before[1]


def test_compare_of_a_bad_file_keeps_the_dock_empty(window, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args, **kwargs: shown.append(displayed_text(args[2])))
    bad = tmp_path / "bad.dcplan"
    bad.write_text("{not json")
    assert not window.dashboard.compare.load(bad)
    assert shown and window.dashboard.compare.other is None


def test_view_menu_has_a_dashboard_submenu(window):  # type: ignore[no-untyped-def]
    texts = [a.text().replace("&", "") for a in window.dashboard_menu.actions() if a.text()]
    for name in ("Day Profile", "Transition", "Utilisation", "Cooling", "Workload Mix", "Headline Figures",
                 "Colour Canvas by Load", "Compare with…"):
        assert name in texts


def test_state_emits_only_real_changes(project):  # type: ignore[no-untyped-def]
    state = DashboardState(0.3)
    heard: list[str] = []
    state.subscribe(heard.append)
    state.set_inference_share(0.3)
    state.set_hour(None)
    state.set_inference_share(1.7)
    state.set_hour(25)
    assert heard == ["inference_share", "hour"]
    assert state.inference_share == 1.0 and state.hour == 1


def test_dashboard_commands_call_model_methods(project):  # type: ignore[no-untyped-def]
    from designer.model.records import Scenario, ScenarioYear

    old_settings = project.settings
    command = SetSettingsCommand(project, replace(old_settings, air_class="H1"), "Air class H1")
    command.redo()
    assert project.settings.air_class == "H1"
    command.undo()
    assert project.settings == old_settings
    project.add_scenario(Scenario("sc", "S", (ScenarioYear(2025, 0.2),)))
    update = UpdateScenarioCommand(project, Scenario("sc", "S", (ScenarioYear(2025, 0.9, 1.5),)))
    update.redo()
    assert project.scenarios["sc"].years[0].ai_density_factor == 1.5
    update.undo()
    assert project.scenarios["sc"].years[0].inference_share == 0.2
    site = SetSiteCommand(project, replace(project.site, climate_id="dublin"))
    site.redo()
    assert project.site.climate_id == "dublin"
    site.undo()
    assert project.site.climate_id == ""


def test_dashboard_bench_reports_timings(qtbot):  # type: ignore[no-untyped-def]
    from designer.ui.dashboard.bench import dashboard_bench

    figures = dashboard_bench(200, moves=3)
    assert figures["slider_to_charts_ms"] > 0 and figures["analysis_ms"] > 0
    assert figures["slider_to_charts_worst_ms"] >= figures["slider_to_charts_ms"]
    # timed from the move (or from when it was due, if the idle pass held it): never below zero, even
    # when the timer that makes the move fires a little early
    assert 0 < figures["slider_during_idle_ms"] <= figures["slider_during_idle_worst_ms"]
    assert figures["racks"] >= 200
    assert figures["unpainted_moves"] == 0, "every move must paint each chart and the canvas"


def test_default_layout_gives_the_inspector_and_the_mix_controls_the_right_column(window):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDockWidget, QTabBar

    docks = window.dashboard.docks
    assert window.dockWidgetArea(docks["HeadlineDock"]) == Qt.DockWidgetArea.TopDockWidgetArea
    assert window.dashboard.headline.horizontal, "a strip of figures above the floor plan"
    assert window.dockWidgetArea(window.inspector_dock) == Qt.DockWidgetArea.RightDockWidgetArea
    assert window.dockWidgetArea(docks["MixControlsDock"]) == Qt.DockWidgetArea.RightDockWidgetArea
    assert window.inspector_dock.height() >= 0.25 * window.height(), "room for the fields without scrolling far"
    # every tab bar on show sits under the docks it names (Qt 6.11 leaves a stray bar over the floor
    # plan when a hidden dock is tabified before the window is shown)
    docks_by_title = {dock.windowTitle(): dock for dock in window.findChildren(QDockWidget)}
    for bar in window.findChildren(QTabBar):
        if not (bar.isVisible() and bar.parent() is window and window.rect().contains(bar.geometry())):
            continue
        titles = [bar.tabText(i) for i in range(bar.count())]
        spans = [docks_by_title[t].geometry() for t in titles if t in docks_by_title and docks_by_title[t].isVisible()]
        assert any(span.left() <= bar.geometry().center().x() <= span.right() for span in spans), titles
    window.dashboard.headline.follow_dock_area(Qt.DockWidgetArea.RightDockWidgetArea)
    assert not window.dashboard.headline.horizontal


def test_compare_dock_is_tabbed_with_the_mix_controls_when_first_shown(window, monkeypatch):  # type: ignore[no-untyped-def]
    compare = window.dashboard.docks["CompareDock"]
    monkeypatch.setattr(window.dashboard.compare, "open_dialog", lambda: None)
    assert compare.isHidden()
    window.dashboard.compare_with()
    assert compare.isVisible()
    assert compare in window.tabifiedDockWidgets(window.dashboard.docks["MixControlsDock"])


def test_supply_air_setting_is_undoable_and_buys_free_cooling(window):  # type: ignore[no-untyped-def]
    from designer.ui.dashboard.controls import SUPPLY_AIR_CATALOG

    project = window.document.project
    controls = window.dashboard.controls
    stack = window.document.undo_stack
    old = project.settings.supply_air_c
    controls.supply_air_spin.setValue(30.0)
    controls.supply_air_spin.editingFinished.emit()
    assert project.settings.supply_air_c == 30.0 and stack.undoText() == "Supply air 30 °C"
    controls.supply_air_spin.setValue(SUPPLY_AIR_CATALOG)
    controls.supply_air_spin.editingFinished.emit()
    assert project.settings.supply_air_c is None and stack.undoText() == "Supply air from the catalog"
    stack.undo()
    stack.undo()
    assert project.settings.supply_air_c == old
