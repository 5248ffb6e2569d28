"""``dc-designer sites`` and the economics of ``analyze``: exit codes 0 fine, 1 error findings, 2 bad input."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from designer.cli import main
from designer.io.resources import examples_dir

GOLDEN = Path(__file__).resolve().parent / "golden" / "schema-v1.dcplan"
HALL = examples_dir() / "ai_hall.dcplan"


def test_sites_json_compares_the_own_site_with_each_candidate(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["sites", str(HALL), "--site", "Stockholm,59.33,18.07,stockholm,0.05",
                   "--site", "Phoenix,33.45,-112.07,phoenix,,,5e6", "--json"])
    assert status == 0
    document = json.loads(capsys.readouterr().out)
    rows = document["sites"]
    assert [row["name"] for row in rows][1:] == ["Stockholm", "Phoenix"] and rows[0]["own_site"]
    own, stockholm, phoenix = rows
    assert stockholm["tariff"] == {"value": 0.05, "unit": "USD/kWh", "default": False, "source": "set in this project"}
    assert own["tariff"]["default"] and own["tariff"]["source"]
    # a cooler climate frees more hours of its chillers and a lower tariff costs less energy
    assert stockholm["chiller_free_h"] > own["chiller_free_h"] > phoenix["chiller_free_h"]
    assert stockholm["energy_cost_per_year"] < own["energy_cost_per_year"]
    assert stockholm["annual_pue"] < phoenix["annual_pue"]
    # the land is in the capex and the NPV (first year, undiscounted)
    assert phoenix["capex"] - own["capex"] == pytest.approx(5e6)
    assert all(math.isfinite(lat) for lat in phoenix["latency_ms"].values())
    assert phoenix["grid_carbon"]["default"] and "eGRID" in phoenix["grid_carbon"]["source"]


def test_sites_table_marks_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sites", str(HALL), "--site", "Dublin,53.35,-6.26,dublin"]) == 0
    out = capsys.readouterr().out
    assert "chiller-free h" in out and "Dublin" in out and "(this)" in out
    assert "default [" in out and "not the project's USD" in out  # Ireland's tariff is in EUR: said, not converted


def test_sites_exit_1_when_the_design_has_error_findings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sites", str(GOLDEN), "--site", "Dublin,53.35,-6.26,dublin", "--json"]) == 1


@pytest.mark.parametrize(("args", "words"), [
    ([], "keeps no candidate sites"),
    (["--site", "Nowhere,1,2,mars"], "unknown climate 'mars'"),
    (["--site", "A,95,0,dublin"], "latitude"),
    (["--site", "A,1,2,dublin,-3"], "tariff"),
])
def test_sites_bad_input_exits_2_with_one_line(args: list[str], words: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sites", str(HALL), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and words in err


def test_sites_file_with_a_value_out_of_range_names_file_and_path(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    sites = tmp_path / "sites.json"
    sites.write_text(json.dumps({"format": "dc-designer-sites", "schema_version": 1, "sites": [
        {"name": "A", "latitude_deg": 1, "longitude_deg": 2, "climate_id": "dublin", "grid_carbon_g_per_kwh": 9e3}]}))
    assert main(["sites", str(HALL), "--sites", str(sites)]) == 2
    err = capsys.readouterr().err
    assert str(sites) in err and "$.sites[0].grid_carbon_g_per_kwh" in err


def test_analyze_json_gains_water_and_economics_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(HALL), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["wue_l_per_kwh"] == 0.0 and document["annual_water_m3"] == 0.0  # no towers in this hall
    economics = document["economics"]
    assert document["cue_kg_per_kwh"] == economics["cue_kg_per_kwh"] > 0
    entries = {e["catalog_id"]: e for e in economics["capex_by_entry"]}
    assert entries["rack.gb200_nvl72"]["source"].startswith("[XE4]") and entries["building.per_mw"]["count"] == 1
    assert economics["capex"] > 0 and economics["npv"] > economics["capex"]
    assert economics["cue_kg_per_kwh"] > 0 and economics["settings"]["discount_rate"]["default"] is True
    assert economics["tokens"]["wh_per_million_tokens_by_hour"][0] > 0


def test_sites_as_a_process_never_shows_a_traceback() -> None:
    result = subprocess.run([sys.executable, "-m", "designer", "sites", str(HALL), "--site", "x"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_sites_uses_the_candidates_the_project_keeps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = json.loads(HALL.read_text(encoding="utf-8"))
    document["settings"].setdefault("economics", {})["candidate_sites"] = [
        {"name": "Kept Stockholm", "latitude_deg": 59.33, "longitude_deg": 18.07, "climate_id": "stockholm"}]
    kept = tmp_path / "kept.dcplan"
    kept.write_text(json.dumps(document), encoding="utf-8")
    assert main(["sites", str(kept), "--json"]) == 0
    names = [row["name"] for row in json.loads(capsys.readouterr().out)["sites"]]
    assert names[1:] == ["Kept Stockholm"]
    # a list given on the command line replaces the kept one
    assert main(["sites", str(kept), "--site", "Dublin,53.35,-6.26,dublin", "--json"]) == 0
    names = [row["name"] for row in json.loads(capsys.readouterr().out)["sites"]]
    assert names[1:] == ["Dublin"]
