"""The executive summary never reads as healthy beside unserved racks or errors, and cites its sources whole."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from pdf_read import read_pdf

from designer.analysis.engine import analyze
from designer.analysis.findings import Finding
from designer.io.bibliography import bundled_bibliography
from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.io.resources import resources_dir
from designer.ui.export.report import StakeholderReport
from designer.ui.export.report_summary import ALL_CLEAR, overload_statement


@pytest.fixture(scope="module")
def retrofit(qapp):  # type: ignore[no-untyped-def]
    base = load_catalog(include_user=False)
    project = load_project(resources_dir() / "examples" / "retrofit.dcplan", base)
    catalog = base.merged(project.custom_catalog.values())
    return project, catalog, analyze(project, catalog)


def _clean(results):  # type: ignore[no-untyped-def]
    """The results with every rack served and surviving, no error findings, nothing over its rating."""
    served = np.ones_like(results.rack_served)
    return replace(results, rack_served=served, rack_survives_single_failures=served,
                   findings=tuple(f for f in results.findings if f.severity != "error"),
                   component_utilization=np.minimum(results.component_utilization, 0.5))


def test_all_clear_only_when_it_is_the_whole_truth(retrofit) -> None:  # type: ignore[no-untyped-def]
    _project, _catalog, results = retrofit
    clean = _clean(results)
    assert overload_statement(clean, False) == (ALL_CLEAR, "")
    # one rack unserved now: no all-clear; the sentence says so (it draws nothing, so no part is over)
    unserved = clean.rack_served.copy()
    unserved[0] = False
    text, tone = overload_statement(replace(clean, rack_served=unserved), False)
    assert text != ALL_CLEAR and "1 rack is unserved now" in text and tone
    # racks at risk of a single failure
    survives = clean.rack_survives_single_failures.copy()
    survives[:3] = False
    text, _tone = overload_statement(replace(clean, rack_survives_single_failures=survives), False)
    assert "3 racks lose supply on some single failure" in text and text != ALL_CLEAR
    # an error of any other kind
    error = Finding("error", "no_power_path", "1 rack(s) have no power path", ())
    text, _tone = overload_statement(replace(clean, findings=(*clean.findings, error)), False)
    assert "1 error" in text and text != ALL_CLEAR
    # not analysed: never the all-clear
    text, _tone = overload_statement(replace(clean, failures_analysed=False), False)
    assert text.startswith("Single failures were not analysed")


def test_the_retrofit_summary_does_not_sound_healthy(retrofit) -> None:  # type: ignore[no-untyped-def]
    project, catalog, results = retrofit
    assert results.racks_at_risk  # the legacy racks hang on one transformer
    report = StakeholderReport(project, catalog, date="2026-03-04")
    pdf = read_pdf(report.render()[0])
    if pdf.texts is None:
        pytest.skip("pypdf not installed: text not checked")
    first = " ".join(pdf.texts[0].split())
    assert ALL_CLEAR not in first
    assert "racks lose supply on some single failure" in first
    # references are whole citations from the bibliography: title, publisher, year, URL
    joined = " ".join(" ".join(t.split()) for t in pdf.texts)
    source = bundled_bibliography()["S49"]
    assert f"[S49] {source.title}" in joined and (source.url[:30] in joined.replace(" ", ""))
    # the single-line diagram has its sheet, with the equipment named in its boxes
    sheet = next(t for t in pdf.texts if "Single-line diagram" in t[:400])
    assert "Main LV board" in sheet and "racks" in sheet
