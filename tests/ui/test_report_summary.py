"""The report opens with a one-page executive summary; components sort by worst case, top 25 in the body and
all in an appendix; climates by name; footers whole; PUE axes with a minimum span."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest
from pdf_read import read_pdf

from designer.analysis.climate import load_climates
from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.io.resources import resources_dir
from designer.ui.export.charts_render import PUE_MIN_SPAN, Series, _range
from designer.ui.export.report import BODY_COMPONENTS, StakeholderReport
from designer.ui.export.report_summary import component_order


@pytest.fixture(scope="module")
def retrofit(qapp):  # type: ignore[no-untyped-def]
    base = load_catalog(include_user=False)
    project = load_project(resources_dir() / "examples" / "retrofit.dcplan", base)
    # a long title: the footer must carry it whole
    project.set_metadata(replace(project.metadata, title="Retrofit of the legacy enterprise hall for AI training "
                                 "racks with rear-door heat exchangers, phase two of three"))
    catalog = base.merged(project.custom_catalog.values())
    report = StakeholderReport(project, catalog, date="2026-03-04")
    data, pages = report.render()
    return project, report, read_pdf(data), pages


def _texts(pdf):  # type: ignore[no-untyped-def]
    if pdf.texts is None:
        pytest.skip("pypdf not installed: text not checked")
    return [" ".join(t.split()) for t in pdf.texts]


def test_the_first_page_is_the_executive_summary(retrofit) -> None:  # type: ignore[no-untyped-def]
    _project, report, pdf, _pages = retrofit
    first = _texts(pdf)[0]
    sweep = report.sweep
    years = [str(int(y)) for y in sweep.years]
    assert "EXECUTIVE SUMMARY" in first
    assert f"{years[0]} (" in first and f"{years[-1]} (" in first  # figures at the first and last year
    assert "racks" in first and "MW of design IT load" in first  # what was designed
    assert "Top findings" in first and "What it takes" in first
    errors = [f for f in report.results.findings if f.severity == "error"]
    assert errors and errors[0].code  # the retrofit has errors, so the summary shows advice for them
    assert "independent path" in first or "separate parts" in first
    assert "Design overview" not in first  # the overview starts on page 2
    assert "Design overview" in _texts(pdf)[1]


def test_component_tables_sort_by_worst_case_with_the_rest_in_an_appendix(retrofit) -> None:  # type: ignore[no-untyped-def]
    _project, report, pdf, _pages = retrofit
    texts = _texts(pdf)
    joined = " ".join(texts)
    r = report.results
    order = component_order(np.asarray(r.component_utilization), np.asarray(r.component_worst_failure_utilization))
    worst = np.fmax(np.nan_to_num(r.component_utilization, nan=-1), np.nan_to_num(r.component_worst_failure_utilization,
                                                                                 nan=-1))
    assert np.all(np.diff(worst[order]) <= 1e-12)  # non-increasing worst case
    if order.size > BODY_COMPONENTS:
        assert "Appendix: all components" in joined
        appendix = joined[joined.index("Appendix: all components"):]
        for cid in r.component_ids:
            assert str(cid) in appendix
    body = joined[joined.index("Utilisation of the power and cooling chain"):]
    body = body[: body.index("Single failures and findings")]
    first_id = str(r.component_ids[order[0]])
    assert first_id in body


def test_climates_are_named_and_footers_are_whole(retrofit) -> None:  # type: ignore[no-untyped-def]
    project, _report, pdf, pages = retrofit
    texts = _texts(pdf)
    climate = load_climates()[project.site.climate_id]
    joined = " ".join(texts)
    assert climate.name in joined
    assert f"Climate normals {project.site.climate_id} " not in joined
    title_words = project.metadata.title.split()
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {pages}" in text
        assert title_words[-1] in text, number


def test_pue_axes_have_a_minimum_span() -> None:
    flat = Series("PUE", [0, 1, 2], [1.30, 1.301, 1.302], "#000000", right_axis=True)
    low, high = _range([flat], False, PUE_MIN_SPAN)
    assert high - low == pytest.approx(PUE_MIN_SPAN) and low < 1.30 < 1.302 < high
    steep = Series("PUE", [0, 1], [1.1, 1.9], "#000000", right_axis=True)
    low, high = _range([steep], False, PUE_MIN_SPAN)
    assert high - low > 0.8  # a real change keeps its own span


def test_the_footer_of_a_long_title_wraps_instead_of_ending_in_an_ellipsis(retrofit) -> None:  # type: ignore[no-untyped-def]
    project, _report, pdf, _pages = retrofit
    texts = _texts(pdf)
    # the footer is "title · revision · date", drawn just before the page number: cut, it would lose the date
    last_words = re.escape(" ".join(project.metadata.title.split()[-3:]))
    for number, text in enumerate(texts, start=1):
        assert re.search(rf"{last_words} · revision B · 2026-03-04 Page {number} of", text), number


def test_an_unlocated_site_gets_no_made_up_latency(qapp) -> None:  # type: ignore[no-untyped-def]
    from designer.model.project import Project
    from designer.model.records import Hall

    project = Project()
    project.add_hall(Hall("h", "Hall", ((0, 0), (10_000, 0), (10_000, 8_000), (0, 8_000))))
    report = StakeholderReport(project, load_catalog(include_user=False), date="2026-03-04")
    data, _pages = report.render()
    texts = _texts(read_pdf(data))
    joined = " ".join(texts)
    assert "location not set" in texts[0]
    assert "no round trip to users is estimated" in joined
    assert " ms" not in joined.split("Latency to users")[-1].split("Assumptions")[0]
