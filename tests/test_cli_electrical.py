"""``analyze`` with the electrical figures: the JSON's ``electrical`` object (additive), its findings, the exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from designer.cli import main
from designer.io.resources import examples_dir


def test_analyze_json_carries_the_electrical_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "--json", str(examples_dir() / "ai_hall.dcplan")]) == 0
    document = json.loads(capsys.readouterr().out)
    electrical = document["electrical"]
    assert electrical["standard"] == "iec" and electrical["continuous_derating"] == 0.8
    rack_feeds = [f for f in electrical["feeds"] if f["target"] == "rack-1"]
    # an NVL72 of 132 kW at 415 V and the racks' PF 0.95: 132 / 0.95 = 138.9 kVA -> 193.3 A per cord when the
    # partner cord is lost; / 0.8 = 241.6 A -> a 250 A breaker and 95 mm² (298 A)
    assert {(f["breaker_a"], f["cable"]) for f in rack_feeds} == {(250.0, "95 mm²")}
    assert rack_feeds[0]["design_a"] == pytest.approx(193.3, abs=0.05)
    # the example ships balanced, every rack with its phase
    assert all(p["unassigned"] == [] and p["imbalance"] <= 0.1 for p in electrical["panels"])
    assert all(n["phase"] for n in electrical["nodes"] if n["role"] == "rack")
    assert [s["role"] for s in electrical["stages"]][:3] == ["utility", "mv_switchgear", "transformer"]
    assert electrical["ups"][0]["minutes"] > 0 and electrical["swings"][0]["step_kw"] > 0
    assert "components" in document and "findings" in document  # the rest of the document is as it was


def test_an_electrical_error_sets_the_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from designer.io.catalog_io import entry_to_dict, load_catalog

    document = json.loads((examples_dir() / "ai_hall.dcplan").read_text(encoding="utf-8"))
    # the project carries its own 1,250 A busway entry written as 100 A: the kW rating is unchanged (no analysis
    # error), only the amp check can see it
    busway = entry_to_dict(load_catalog(include_user=False)["elec.busway_1250a"])
    busway["parameters"] = {**busway["parameters"], "current_a": 100}
    document["catalog"].append(busway)
    path = tmp_path / "thin_busway.dcplan"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert main(["analyze", "--json", str(path)]) == 1
    errors = {f["code"] for f in json.loads(capsys.readouterr().out)["findings"] if f["severity"] == "error"}
    assert errors == {"current_over_rating"}
