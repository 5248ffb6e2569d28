"""Unserved racks come first, in the error colour, in the headline, presentation and report (issue 12, item 2)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pdf_read import read_pdf

from designer.analysis import analyze
from designer.analysis.report_json import ERROR_COLOUR
from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.io.resources import resources_dir
from designer.model.catalog import Catalog
from designer.model.project import Project
from designer.ui.dashboard.headline import HeadlineFigures
from designer.ui.dashboard.series import headline_figures
from designer.ui.export.report import export_report, headline


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(include_user=False)


def campus_without_substation(catalog: Catalog) -> Project:
    """The whole campus (every module in service from the start: the example is phased) without its utilities."""
    project = load_project(resources_dir() / "examples" / "modular_campus.dcplan", catalog)
    project.remove_items([i for i in project.items if i.startswith("utility-")])
    for pod in list(project.pods.values()):
        project.update_pod(replace(pod, in_service_year=None))
    return project


def test_headline_reads_672_of_672_unserved_in_the_error_colour(qtbot, catalog) -> None:  # type: ignore[no-untyped-def]
    project = campus_without_substation(catalog)
    results = analyze(project, catalog)
    figures = HeadlineFigures()
    qtbot.addWidget(figures)
    figures.show_figures(headline_figures(results, project))
    assert figures.text_of("racks_at_risk") == "672 of 672 unserved"
    assert ERROR_COLOUR in figures.values["racks_at_risk"].styleSheet()
    # nothing is served, so nothing is drawn: the IT peak reads zero, not the racks' design load
    assert figures.text_of("it_peak") == "0.00 MW"
    assert headline(results).racks_unserved == 672


def test_served_design_keeps_the_normal_colour(qtbot, catalog) -> None:  # type: ignore[no-untyped-def]
    project = load_project(resources_dir() / "examples" / "retrofit.dcplan", catalog)
    results = analyze(project, catalog)
    figures = HeadlineFigures()
    qtbot.addWidget(figures)
    figures.show_figures(headline_figures(results, project))
    # the retrofit's A and B feeds meet at lv-1 and xfmr-1: every rack is served but at risk
    assert figures.text_of("racks_at_risk") == "66 of 66"  # under the caption "Racks unserved / at risk"
    assert ERROR_COLOUR not in figures.values["racks_at_risk"].styleSheet()


def test_retrofit_report_states_the_racks_at_risk(qapp, catalog, tmp_path) -> None:  # type: ignore[no-untyped-def]
    project = load_project(resources_dir() / "examples" / "retrofit.dcplan", catalog)
    path = tmp_path / "retrofit.pdf"
    export_report(project, catalog.merged(project.custom_catalog.values()), path, date="2026-03-04")
    pdf = read_pdf(path.read_bytes())
    if pdf.texts is None:
        pytest.skip("pypdf not installed: text not checked")
    text = " ".join(pdf.texts)
    assert "66 of 66 at risk" in text
    assert "concurrently maintainable" in text


def test_presentation_reads_unserved_first(qtbot, catalog) -> None:  # type: ignore[no-untyped-def]
    from designer.ui.presentation import PresentationWindow

    window = PresentationWindow(campus_without_substation(catalog), catalog)
    qtbot.addWidget(window)
    window.show_index(0)
    label = window.figure_labels["risk"]
    assert label.text() == "672 of 672 unserved"
    assert ERROR_COLOUR in label.styleSheet()


def test_day_layers_leave_out_unserved_racks(catalog) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from designer.analysis import Analyzer
    from designer.ui.dashboard.series import day_series

    project = campus_without_substation(catalog)
    analyzer = Analyzer()
    results = analyzer.analyze(project, catalog, failures=False)
    series = day_series(results)
    # the stacked layers add up to the analysis's IT: nothing, when every rack is unserved
    np.testing.assert_allclose(series.layers_kw.sum(axis=0), results.it_kw, atol=1e-6)
    assert results.it_kw.max() == 0.0
