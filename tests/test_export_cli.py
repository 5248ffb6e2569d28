"""``dc-designer export`` run headless as a process on the bundled examples; every file read back."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import ezdxf
import pytest
from openpyxl import load_workbook
from pdf_read import read_pdf

from designer.cli import main
from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.io.resources import resources_dir

EXAMPLES = resources_dir() / "examples"


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "designer", "export", *args],
        capture_output=True,
        text=True,
        timeout=240,
        env=environment,
    )


def _example(name: str):  # type: ignore[no-untyped-def]
    base = load_catalog(include_user=False)
    project = load_project(EXAMPLES / f"{name}.dcplan", base)
    return project, base.merged(project.custom_catalog.values())


def _png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk (no Qt in this process)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.fixture(scope="module")
def ai_hall_exports(tmp_path_factory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("ai_hall")
    runs = {
        "png": _run(
            str(EXAMPLES / "ai_hall.dcplan"),
            "--format",
            "png",
            "-o",
            str(out / "plan.png"),
            "--dpi",
            "60",
            "--page",
            "a4",
        ),
        "svg": _run(str(EXAMPLES / "ai_hall.dcplan"), "-o", str(out / "plan.svg"), "--overlays", "power,cooling"),
        "pdf": _run(
            str(EXAMPLES / "ai_hall.dcplan"), "-f", "pdf", "-o", str(out / "plan.pdf"), "--scale", "200", "--page", "A3"
        ),
        "report": _run(
            str(EXAMPLES / "ai_hall.dcplan"), "--format", "report", "-o", str(out / "report.pdf"), "--share", "0.5"
        ),
    }
    return out, runs


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf", "report"])
def test_qt_formats_run_headless(ai_hall_exports, fmt: str) -> None:  # type: ignore[no-untyped-def]
    _out, runs = ai_hall_exports
    result = runs[fmt]
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_png_svg_and_pdf_read_back(ai_hall_exports) -> None:  # type: ignore[no-untyped-def]
    out, _runs = ai_hall_exports
    assert _png_size(out / "plan.png") == (round(297 / 25.4 * 60), round(210 / 25.4 * 60))
    root = ET.parse(out / "plan.svg").getroot()
    assert root.tag.endswith("svg")
    texts = " ".join("".join(e.itertext()) for e in root.iter() if e.tag.endswith("text"))
    assert "Data hall 1" in texts and "Power feed A" in texts
    pdf = read_pdf((out / "plan.pdf").read_bytes())
    assert pdf.count == 1 and pdf.sizes_mm()[0] == (pytest.approx(420, abs=1), pytest.approx(297, abs=1))
    report = read_pdf((out / "report.pdf").read_bytes())
    assert report.count >= 8
    if report.texts is not None:
        assert "50% inference" in report.texts[0]


def test_dxf_csv_xlsx_never_load_qt_and_match_the_model(tmp_path: Path) -> None:
    script = (
        "import sys; from designer.cli import main\n"
        f"plan = {str(EXAMPLES / 'ai_hall.dcplan')!r}; out = {str(tmp_path)!r}\n"
        "for fmt in ('dxf', 'csv', 'xlsx'):\n"
        "    assert main(['export', plan, '--format', fmt, '-o', f'{out}/bom.{fmt}']) == 0\n"
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))], 'Qt was loaded'\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    project, catalog = _example("ai_hall")
    hall_items = [i for i in project.items.values() if i.hall_id == "hall-data"]
    doc = ezdxf.readfile(tmp_path / "bom.dxf")
    assert len(doc.modelspace().query('INSERT[layer!="DOORS"]')) == len(hall_items)
    with open(tmp_path / "bom.csv", newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    counts = Counter(i.catalog_id for i in project.items.values())
    items = {r["Catalog id"]: int(r["Count"]) for r in rows if r["Catalog id"] in catalog}
    assert items == dict(counts)
    workbook = load_workbook(tmp_path / "bom.xlsx")
    assert workbook.sheetnames == ["Bill of materials", "Component schedule", "Cables", "Cable schedule", "Items",
                                   "References"]
    # the cables by size, the busway runs and every power connection run by run (issue 17)
    assert workbook["Cable schedule"].max_row - 1 == sum(c.kind.value == "power" for c in project.connections.values())
    assert any(r[:1] == ["Cable"] for r in csv.reader((tmp_path / "bom.csv").read_text(encoding="utf-8").splitlines()))
    sheet = workbook["Bill of materials"]
    ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] in catalog]
    assert Counter(ids) == Counter(set(counts))


@pytest.mark.parametrize(
    ("name", "formats"), [("retrofit", ("png", "pdf", "dxf", "csv", "report")), ("modular_campus", ("png", "dxf"))]
)
def test_every_example_exports(tmp_path: Path, name: str, formats: tuple[str, ...]) -> None:
    for fmt in formats:
        suffix = "pdf" if fmt == "report" else fmt
        target = tmp_path / f"{name}-{fmt}.{suffix}"
        result = _run(str(EXAMPLES / f"{name}.dcplan"), "--format", fmt, "-o", str(target), "--dpi", "40")
        assert result.returncode == 0, (fmt, result.stderr)
        assert target.stat().st_size > 0
    if "dxf" in formats:
        assert ezdxf.readfile(tmp_path / f"{name}-dxf.dxf").modelspace().query("INSERT")


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = str(EXAMPLES / "ai_hall.dcplan")
    cases = [
        (["--format", "dxf", "-o", str(tmp_path / "x.dxf"), "--hall", "nope"], "halls: hall-data (Data hall 1)"),
        (["-o", str(tmp_path / "x.gif")], "cannot tell the format"),
        (["--format", "pdf", "-o", str(tmp_path / "x.pdf"), "--page", "B9"], "unknown page size"),
        (["--format", "csv", "-o", str(tmp_path / "none" / "x.csv")], "does not exist"),
        (["--format", "dxf", "-o", str(tmp_path / "x.dxf"), "--overlays", "smoke"], "unknown overlay"),
        (["--format", "wat", "-o", str(tmp_path / "x.dxf")], "invalid choice"),
    ]
    for args, message in cases:
        assert main(["export", plan, *args]) == 2
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and message in err, err
    assert list(tmp_path.iterdir()) == []


def test_a_scale_that_does_not_fit_fails_cleanly_as_a_process(tmp_path: Path) -> None:
    target = tmp_path / "plan.pdf"
    result = _run(str(EXAMPLES / "ai_hall.dcplan"), "--format", "pdf", "-o", str(target), "--scale", "50")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "use 1:200" in result.stderr
    assert list(tmp_path.iterdir()) == []  # no half-written file


def test_hall_by_name_and_default_hall(tmp_path: Path) -> None:
    assert (
        main(
            [
                "export",
                str(EXAMPLES / "ai_hall.dcplan"),
                "-f",
                "dxf",
                "-o",
                str(tmp_path / "p.dxf"),
                "--hall",
                "Electrical and mechanical plant",
            ]
        )
        == 0
    )
    project, _catalog = _example("ai_hall")
    plant = [i for i in project.items.values() if i.hall_id == "hall-plant"]
    assert len(ezdxf.readfile(tmp_path / "p.dxf").modelspace().query('INSERT[layer!="DOORS"]')) == len(plant)
