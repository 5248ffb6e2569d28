"""Phased build-out on screen: ghosts for the year shown, the palette's year, the inspector's years, the runway."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import replace

import pytest
from PySide6.QtCore import QPointF, Qt

from designer.model import PlacedItem, Scenario, ScenarioYear
from designer.model.records import DesignSettings
from designer.ui.canvas import style


def with_timeline(project):  # type: ignore[no-untyped-def]
    project.add_scenario(Scenario("sc", "S", (ScenarioYear(2025, 0.2), ScenarioYear(2026, 0.3),
                                              ScenarioYear(2027, 0.4))))
    project.set_settings(replace(DesignSettings(), active_scenario_id="sc"))
    return project


def test_items_not_in_service_are_ghosts_for_the_year_shown(canvas) -> None:  # type: ignore[no-untyped-def]
    project = with_timeline(canvas.document.project)
    project.add_items([PlacedItem("now", "rack.air", "hall-1", 3000, 3000),
                       PlacedItem("later", "rack.air", "hall-1", 5000, 3000, in_service_year=2027),
                       PlacedItem("gone", "rack.air", "hall-1", 7000, 3000, retirement_year=2026)])
    scene = canvas.scene
    graphic = scene.items_by_id
    assert not any(g.ghost for g in graphic.values())  # no year shown: everything stands
    scene.set_year(2025)
    assert [graphic[i].ghost for i in ("now", "later", "gone")] == [False, True, False]
    assert graphic["later"].opacity() == pytest.approx(style.GHOST_OPACITY)
    assert graphic["later"].pen().style() == Qt.PenStyle.DashLine
    assert graphic["now"].pen().style() == Qt.PenStyle.SolidLine
    scene.set_year(2026)
    assert [graphic[i].ghost for i in ("now", "later", "gone")] == [False, True, True]
    # an edit of the years (as the inspector makes it) follows at once, and undoes
    project.update_items([replace(project.items["later"], in_service_year=2026)])
    assert not graphic["later"].ghost and graphic["later"].opacity() == pytest.approx(1.0)
    scene.set_year(None)
    assert not any(g.ghost for g in graphic.values())


def test_palette_places_in_the_year_shown(canvas) -> None:  # type: ignore[no-untyped-def]
    project = with_timeline(canvas.document.project)
    canvas.scene.set_year(2025)  # the first year: new items simply stand from the start
    canvas.editor.drop_catalog_entry("rack.air", QPointF(3000, 3000))
    first = canvas.document.selected_ids()[0]
    assert project.items[first].in_service_year is None
    canvas.scene.set_year(2027)
    canvas.editor.drop_catalog_entry("rack.air", QPointF(9000, 3000))
    later = canvas.document.selected_ids()[0]
    assert project.items[later].in_service_year == 2027
    assert not canvas.scene.items_by_id[later].ghost
    canvas.scene.set_year(2026)
    assert canvas.scene.items_by_id[later].ghost
    canvas.scene.set_year(2027)
    canvas.editor.drop_pod("pod.test", QPointF(15000, 9000))
    pod_id = project.items[canvas.document.selected_ids()[0]].pod_id
    assert pod_id is not None and project.pods[pod_id].in_service_year == 2027
    canvas.document.undo_stack.undo()
    assert pod_id not in project.pods


def test_inspector_edits_the_years_undoably(qtbot, canvas) -> None:  # type: ignore[no-untyped-def]
    from designer.ui.panels import InspectorPanel

    document = canvas.document
    project = with_timeline(document.project)
    project.add_items([PlacedItem("r1", "rack.air", "hall-1", 3000, 3000)])
    panel = InspectorPanel(document)
    qtbot.addWidget(panel)
    panel.show()
    document.set_selection(["r1"])
    assert panel.in_service_edit.placeholderText() == "always"

    def type_into(edit, text: str) -> None:  # type: ignore[no-untyped-def]
        edit.selectAll()
        qtbot.keyClick(edit, Qt.Key.Key_Backspace)
        qtbot.keyClicks(edit, text)
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    type_into(panel.in_service_edit, "2026")
    assert project.items["r1"].in_service_year == 2026
    assert document.undo_stack.text(document.undo_stack.count() - 1).startswith("Set in-service year of")
    type_into(panel.retirement_edit, "2025")  # before it enters service: refused at the field
    assert "must come after" in panel.error_text("retirement_year")
    assert project.items["r1"].retirement_year is None
    type_into(panel.retirement_edit, "nineteen")
    assert "whole year" in panel.error_text("retirement_year")
    document.undo_stack.undo()
    assert project.items["r1"].in_service_year is None


def test_runway_dialog_shows_plain_text_cells(qtbot, canvas) -> None:  # type: ignore[no-untyped-def]
    from designer.ui.dashboard.runway_dialog import RunwayDialog

    project = with_timeline(canvas.document.project)
    project.update_hall(replace(project.halls["hall-1"], name="<b>Hall</b> one"))
    project.add_items([PlacedItem("r1", "rack.air", "hall-1", 3000, 3000)])
    dialog = RunwayDialog(project, canvas.document.catalog, templates=canvas.document.pod_templates)
    qtbot.addWidget(dialog)
    table = dialog.table
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert names == ["<b>Hall</b> one", "Hall 2", "Site"]
    assert table.columnCount() == 7 and table.horizontalHeaderItem(6).text() == "binds first"
    dialog.rule_combo.setCurrentIndex(1)  # more racks a year in each hall
    dialog.growth_spin.setValue(5)
    assert dialog.runway is not None and dialog.runway.growth_racks_per_year == 5
    # the growth rule "pod template copies a year": the test pod holds two racks
    assert dialog.template_combo.itemText(0) == "Test pod (2 racks)"


def test_the_report_of_a_phased_design_has_a_runway_table(qapp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pdf_read import read_pdf

    from designer.io.catalog_io import load_catalog
    from designer.io.project_file import load_project
    from designer.io.resources import examples_dir
    from designer.ui.export.report import StakeholderReport

    catalog = load_catalog(include_user=False)
    project = load_project(examples_dir() / "modular_campus.dcplan", catalog)
    report = StakeholderReport(project, catalog, date="2026-12-04")
    assert report.runway is not None and report.runway.years[0] == 2025
    pdf = read_pdf(report.render()[0])
    if pdf.texts is None:
        pytest.skip("pypdf not installed: text not checked")
    text = " ".join(" ".join(t.split()) for t in pdf.texts)
    assert "Runway: the first year each resource runs out" in text


def test_presentation_plan_draws_the_year_as_built(qapp) -> None:  # type: ignore[no-untyped-def]
    from designer.analysis.engine import Analyzer
    from designer.io.catalog_io import load_catalog
    from designer.io.project_file import load_project
    from designer.io.resources import examples_dir
    from designer.ui.export.plan_painter import PlanPainter

    catalog = load_catalog(include_user=False)
    project = load_project(examples_dir() / "modular_campus.dcplan", catalog)
    in_hall = {i.id for i in project.items.values() if i.hall_id == "hall-m1"}
    inference = {i.id for i in project.items.values() if i.hall_id == "hall-m1" and i.pod_id is not None
                 and project.pods[i.pod_id].in_service_year == 2026}
    assert inference and inference < in_hall
    # module 1's inference pods enter service in 2026: ghosts in 2025, drawn as built from 2026
    assert PlanPainter(project, catalog, "hall-m1", year=2025)._ghosts == inference
    assert PlanPainter(project, catalog, "hall-m1", year=2026)._ghosts == set()
    assert PlanPainter(project, catalog, "hall-m1")._ghosts == set()
    # an exported plan (or the report's) draws the analysed year
    results = Analyzer().analyze(project, catalog, year=2025, failures=False)
    assert PlanPainter(project, catalog, "hall-m1", results=results)._ghosts == inference


def test_inspector_edits_a_whole_pods_years(qtbot, canvas) -> None:  # type: ignore[no-untyped-def]
    from designer.ui.panels import InspectorPanel

    document = canvas.document
    project = with_timeline(document.project)
    canvas.editor.drop_pod("pod.test", QPointF(6000, 6000))
    members = document.selected_ids()
    pod_id = project.items[members[0]].pod_id
    panel = InspectorPanel(document)
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    assert panel.in_service_edit.text() == "" and panel.in_service_edit.placeholderText() == "always"
    panel.in_service_edit.setText("2027")
    panel.in_service_edit.setModified(True)
    panel.in_service_edit.editingFinished.emit()
    assert project.pods[pod_id].in_service_year == 2027  # the pod's year, which its items follow
    assert all(project.items[i].in_service_year is None for i in members)
    assert panel.in_service_edit.text() == "2027"
    panel.retirement_edit.setText("2026")
    panel.retirement_edit.setModified(True)
    panel.retirement_edit.editingFinished.emit()
    assert "must come after" in panel.error_text("retirement_year")
    document.undo_stack.undo()
    assert project.pods[pod_id].in_service_year is None
    assert panel.in_service_edit.text() == ""
    document.set_selection(members[:1])  # one item of the pod: its own year, the pod's as placeholder
    document.undo_stack.redo()
    assert panel.in_service_edit.placeholderText() == "2027 (pod)"


def test_what_if_on_a_ghost_says_it_is_not_in_service(qtbot, catalog) -> None:  # type: ignore[no-untyped-def]
    from designer.io.catalog_io import load_catalog
    from designer.io.project_file import load_project
    from designer.io.resources import examples_dir
    from designer.ui.main_window import MainWindow

    real = load_catalog(include_user=False)
    window = MainWindow(real, {}, load_project(examples_dir() / "modular_campus.dcplan", real))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.document.set_current_hall("hall-m3")  # module 3 enters service in 2028; the year shown is 2025
    component = next(i.id for i in window.document.project.items.values()
                     if i.hall_id == "hall-m3" and i.id.startswith("ups"))
    assert window.scene.items_by_id[component].ghost
    window.document.set_selection([component])
    assert window.what_if_fails() == f"{component} is not in service in 2025"


def test_the_dashboard_analyses_and_sweeps_the_year_shown(qapp) -> None:  # type: ignore[no-untyped-def]
    from analysis.analysis_builders import TEST_CATALOG, flat_profiles
    from analysis.test_runway_hand import two_phase

    from designer.analysis.engine import Analyzer
    from designer.ui.dashboard.coordinator import AnalysisCoordinator
    from designer.ui.dashboard.state import DashboardState
    from designer.ui.document import Document

    d = two_phase()
    state = DashboardState()
    state.reset_to(d.project)
    coordinator = AnalysisCoordinator(Document(d.project, TEST_CATALOG, {}), state,
                                      Analyzer(profiles=flat_profiles(0.8), climates={}))
    try:
        results = coordinator.run()
        # 2025: R1-R6 at 80 kW = 480 kW, at every share of the sweep (training racks)
        assert results is not None and results.peak_it_kw == pytest.approx(480.0)
        assert coordinator.sweep is not None and coordinator.sweep.peak_it_kw == pytest.approx([480.0] * 101)
        state.set_year(2027, d.project)
        results = coordinator.run()
        # 2027: R7-R12 too: 960 kW; the share sweep follows the year's design
        assert results is not None and results.peak_it_kw == pytest.approx(960.0)
        assert coordinator.sweep.peak_it_kw == pytest.approx([960.0] * 101)
        assert coordinator.sweep.year_peak_it_kw == pytest.approx([480.0, 480.0, 960.0])
    finally:
        coordinator.close()


def test_a_replacement_in_a_retired_racks_place_is_no_overlap_in_any_year(canvas) -> None:  # type: ignore[no-untyped-def]
    project = with_timeline(canvas.document.project)
    project.add_items([PlacedItem("old", "rack.air", "hall-1", 3000, 3000, retirement_year=2026),
                       PlacedItem("new", "rack.air", "hall-1", 3000, 3000, in_service_year=2026)])
    scene = canvas.scene
    scene.refresh_problems()
    assert set(scene.problems) == {"old", "new"}  # no year shown: every item at once, they overlap
    for year in (2025, 2026, 2027):
        scene.set_year(year)
        scene.refresh_problems()
        assert scene.problems == {}, year
