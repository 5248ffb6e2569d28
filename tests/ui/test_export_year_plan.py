"""``export --year`` on the Qt exports: the plan draws the year's ghosts, the report analyses that year."""

from __future__ import annotations

import pytest
from pdf_read import read_pdf

from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.io.resources import examples_dir


def test_plan_and_report_follow_the_export_year(qapp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from designer.exports import ExportJob, run_export
    from designer.ui.export.plan import PlanExporter, PlanOptions
    from designer.ui.export.report import StakeholderReport

    catalog = load_catalog(include_user=False)
    project = load_project(examples_dir() / "modular_campus.dcplan", catalog)
    inference = {i.id for i in project.items.values() if i.hall_id == "hall-m1" and i.pod_id is not None
                 and project.pods[i.pod_id].in_service_year == 2026}
    assert inference
    # no utilisation overlay (so no analysis): the year alone decides the ghosts
    bare = PlanOptions(overlays=frozenset())
    assert PlanExporter(project, catalog, "hall-m1", bare, year=2025).plan._ghosts == inference
    assert PlanExporter(project, catalog, "hall-m1", bare, year=2026).plan._ghosts == set()
    target = tmp_path / "m1-2025.svg"
    run_export("svg", ExportJob(project, catalog, "hall-m1", target, plan=bare, year=2025))
    assert target.stat().st_size > 0
    report = StakeholderReport(project, catalog, year=2027, date="2026-12-04")
    assert report.results.year == 2027
    pdf = read_pdf(report.render()[0])
    if pdf.texts is None:
        pytest.skip("pypdf not installed: text not checked")
    text = " ".join(" ".join(t.split()) for t in pdf.texts)
    assert "inference (2027)" in text  # analysed at the year asked for
    # the capex table by year of entry into service: the campus's modules come in 2025, 2026, 2028 and 2030
    assert "Capex by year of entry into service and subsystem" in text
    assert "each year's opex from the design as built that year" in text


def test_file_export_in_the_window_draws_the_year_the_dashboard_shows(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from designer.ui.main_window import MainWindow

    catalog = load_catalog(include_user=False)
    project = load_project(examples_dir() / "modular_campus.dcplan", catalog)
    later = {i.id for i in project.items.values() if i.pod_id is not None
             and project.pods[i.pod_id].in_service_year == 2026}
    assert later  # hall-m1's inference modules enter service in 2026
    window = MainWindow(catalog, {}, project)
    qtbot.addWidget(window)
    controller = window.export_controller
    window.dashboard.state.set_year(2025, window.document.project)
    assert controller.run("items", tmp_path / "2025.csv")
    window.dashboard.state.set_year(2026, window.document.project)
    assert controller.run("items", tmp_path / "2026.csv")
    in_2025 = (tmp_path / "2025.csv").read_text(encoding="utf-8")
    in_2026 = (tmp_path / "2026.csv").read_text(encoding="utf-8")
    # the item table lists what stands in the year shown: 2026's modules are absent in 2025 only
    assert not any(item_id in in_2025 for item_id in later)
    assert all(item_id in in_2026 for item_id in later)
    assert controller.last_job_year == 2026
    assert "as built in 2026" in window.statusBar().currentMessage()
    window.document.undo_stack.setClean()
