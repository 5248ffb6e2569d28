"""The stakeholder report read back with an independent PDF reader: pages, sizes, sections and figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_read import read_pdf

from designer.analysis.latency import latencies
from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.io.resources import resources_dir
from designer.ui.export.page import ExportCancelled
from designer.ui.export.report import StakeholderReport, export_report


@pytest.fixture(scope="module")
def example():  # type: ignore[no-untyped-def]
    base = load_catalog(include_user=False)
    project = load_project(resources_dir() / "examples" / "ai_hall.dcplan", base)
    return project, base.merged(project.custom_catalog.values())


@pytest.fixture(scope="module")
def report_pdf(qapp, example, tmp_path_factory):  # type: ignore[no-untyped-def]
    project, catalog = example
    path = tmp_path_factory.mktemp("report") / "report.pdf"
    pages = export_report(project, catalog, path, date="2026-03-04")
    return pages, read_pdf(path.read_bytes())


def test_page_count_and_a4_portrait_pages(report_pdf) -> None:  # type: ignore[no-untyped-def]
    pages, pdf = report_pdf
    assert pages == pdf.count >= 8
    for width, height in pdf.sizes_mm():
        assert width == pytest.approx(210, abs=1) and height == pytest.approx(297, abs=1)


def test_cover_summary_and_page_numbers(report_pdf, example) -> None:  # type: ignore[no-untyped-def]
    pages, pdf = report_pdf
    if pdf.texts is None:
        pytest.skip("pypdf not installed: text not checked")
    project, _catalog = example
    cover = pdf.texts[0] + pdf.texts[1]  # page 1 the executive summary, page 2 the design overview
    for expected in (
        project.metadata.title,
        project.site.name,
        project.metadata.author,
        "2026-03-04",
        "IT peak",
        "Facility peak",
        "Annual PUE",
        "Full free cooling, h/yr (air / liquid)",
        "Racks unserved / at risk",
        "Stranded power",
        " MW",
        "h/yr",
    ):
        assert expected in cover, expected
    for number, text in enumerate(pdf.texts, start=1):
        assert f"Page {number} of {pages}" in text


def test_every_section_is_there_and_tables_continue(report_pdf, example) -> None:  # type: ignore[no-untyped-def]
    _pages, pdf = report_pdf
    if pdf.texts is None:
        pytest.skip("pypdf not installed: text not checked")
    project, _catalog = example
    text = " ".join(pdf.texts)
    for heading in (
        "Floor plans",
        "Transition from training to inference",
        "Utilisation of the power and cooling chain",
        "Single failures and findings",
        "Cooling and PUE",
        "Latency to users",
        "Assumptions",
        "References",
    ):
        assert heading in text, heading
    # the references page resolves the keys: the chiller curves, the climate's source
    assert "[S62] openstudio-standards" in text and "[C1] U.S. Climate Normals" in text
    assert "(not in the bibliography)" not in text
    assert "Air loop: free / partial / mechanical" in text
    for hall in project.halls.values():
        assert hall.name in text
    assert "(continued)" in text  # the utilisation table runs over several pages with its header repeated
    assert "Power (MW)" in text and "Inference share of AI energy (%)" in text  # charts carry units
    assert project.settings.air_class in text and project.settings.liquid_class in text
    for region in latencies(project.site):
        assert region.region in text
    used = {item.catalog_id for item in project.items.values()}
    for catalog_id in used:  # every catalog entry used, with its confidence and source
        assert catalog_id in text.replace(" ", ""), catalog_id


def test_cancel_leaves_no_file_and_keeps_the_old_one(qapp, example, tmp_path: Path) -> None:
    project, catalog = example
    path = tmp_path / "report.pdf"
    path.write_bytes(b"previous")
    seen: list[str] = []

    def progress(done: int, total: int, what: str) -> bool:
        seen.append(what)
        return len(seen) < 5

    with pytest.raises(ExportCancelled):
        StakeholderReport(project, catalog).export(path, progress)
    assert path.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_share_changes_the_analysed_point(qapp, example) -> None:
    project, catalog = example
    report = StakeholderReport(project, catalog, share=0.75)
    assert report.results.inference_share == pytest.approx(0.75)
    data, pages = report.render()
    assert read_pdf(data).count == pages
