"""The stakeholder report of a design that lists options carries the comparison table."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_read import read_pdf

from designer.cli import main
from designer.io.resources import examples_dir


def _text(path: Path) -> str:
    pdf = read_pdf(path.read_bytes())
    if pdf.texts is None:
        pytest.skip("pypdf not installed: text not checked")
    return " ".join(pdf.texts)


def test_the_retrofit_report_compares_its_prefab_option(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "report.pdf"
    assert main(["export", str(examples_dir() / "retrofit.dcplan"), "--format", "report", "-o", str(out)]) == 0
    text = _text(out)
    assert "Options compared" in text
    assert "retrofit_prefab_option.dcplan" in text and "Racks at risk" in text


def test_a_design_without_options_has_no_such_section(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "report.pdf"
    plan = examples_dir() / "retrofit_prefab_option.dcplan"
    assert main(["export", str(plan), "--format", "report", "-o", str(out)]) == 0
    assert "Options compared" not in _text(out)
