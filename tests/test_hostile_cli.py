"""Issue 14 through the command line: documented exit codes, one line, summaries that agree with their parts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from designer.analysis.engine import analyze
from designer.analysis.report_json import results_to_json, summarize
from designer.cli import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_UNEXPECTED, main
from designer.io.project_file import project_from_text
from designer.model import Catalog

GOLDEN = Path(__file__).resolve().parent / "golden" / "schema-v1.dcplan"


def _write(tmp_path: Path, document: dict[str, Any], name: str = "plan.dcplan") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def _golden() -> dict[str, Any]:
    document = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def test_item4_an_unexpected_error_is_one_line_and_exit_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A crash used to exit 1, the code of "error findings": a CI script read a crash as findings."""

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("float division by zero\nsecond line")

    # ``analyze`` goes through an Analyzer shared with the economics; the module-level function is its wrapper
    monkeypatch.setattr("designer.analysis.engine.Analyzer.analyze", broken)
    monkeypatch.setattr("designer.analysis.engine.analyze", broken)
    assert main(["analyze", str(GOLDEN)]) == EXIT_UNEXPECTED == 3
    err = capsys.readouterr().err
    assert err == "dc-designer: unexpected error: ZeroDivisionError: float division by zero second line\n"


def test_item4_values_that_crashed_analyze_are_refused_by_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = _golden()
    document["settings"]["air_class"] = "XYZ"
    path = _write(tmp_path, document)
    for command in ("validate", "info", "analyze"):
        assert main([command, path]) == EXIT_BAD_INPUT, command
        assert "$.settings.air_class" in capsys.readouterr().err


def _all_racks_at(kw: float) -> dict[str, Any]:
    document = _golden()
    for item in document["items"]:
        if item["catalog_id"].startswith("rack"):
            item["design_kw"] = kw
    return document


def test_item5_the_failure_summary_agrees_with_its_parts(small_catalog: Catalog) -> None:
    """Every rack at 10,000 kW: every part is over its rating with nothing failed. The summary said
    "all N cases survived" while the redundancy groups said they did not."""
    project = project_from_text(json.dumps(_all_racks_at(10_000)), Catalog())
    catalog = Catalog(project.custom_catalog.values())
    results = analyze(project, catalog)
    assert results.failures_analysed
    assert results.overloaded_before_failures  # the UPSs carry 20 MW on 1,250 kW
    assert not results.survives_all_single_failures
    assert not results_to_json(results)["survives_all_single_failures"]
    text = summarize(results)
    assert "cases survived" not in text
    assert "Single failures: no case survives" in text or "cases lose racks or overload a part" in text
    if any(not group.survives for group in results.groups):
        assert not results.survives_all_single_failures


def test_item5_a_sound_design_still_survives(small_catalog: Catalog) -> None:
    project = project_from_text(GOLDEN.read_bytes(), Catalog())
    results = analyze(project, Catalog(project.custom_catalog.values()))
    assert results.overloaded_before_failures == ()
    assert results.survives_all_single_failures == all(r.survived for r in results.single_failures)


def test_item5_an_overloaded_design_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", _write(tmp_path, _all_racks_at(10_000))]) == EXIT_FINDINGS
    assert "cases survived" not in capsys.readouterr().out


def test_item14_names_cannot_fake_lines_in_info(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = _golden()
    document["metadata"]["title"] = "Plan\nsite: FAKE \u202eevil"
    document["halls"][0]["name"] = "Hall\r\n  pods: none"
    assert main(["info", _write(tmp_path, document)]) == 0
    out = capsys.readouterr().out
    assert "\u202e" not in out and "\r" not in out
    lines = out.splitlines()
    assert sum(line.startswith("site:") for line in lines) == 1
    assert sum(line.startswith("pods:") for line in lines) == 1
    assert "Plan\\u000asite: FAKE \\u202eevil" in out


def test_the_load_time_rules_cover_what_the_analysis_reads() -> None:
    """One home for each rule: every ASHRAE class the analysis knows is accepted at load and no other,
    and every catalog parameter the analysis reads as a number has a physical range checked at load."""
    import re

    from designer.analysis import facility
    from designer.model.limits import AIR_CLASSES, LIQUID_CLASSES, NUMERIC_PARAMETERS

    assert set(AIR_CLASSES) == set(facility.AIR_SUPPLY_SETPOINT_C)
    assert set(LIQUID_CLASSES) == set(facility.LIQUID_CLASSES_C)
    analysis = Path(__file__).resolve().parents[1] / "designer" / "analysis"
    read = {name for path in analysis.glob("*.py") for name in re.findall(r'\.number\("(\w+)"', path.read_text())}
    assert read and read <= set(NUMERIC_PARAMETERS), read - set(NUMERIC_PARAMETERS)
