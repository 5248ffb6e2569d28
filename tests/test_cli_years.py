"""``analyze --years``: every scenario year of a phased design, the runway, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from designer.cli import main
from designer.io.resources import examples_dir

CAMPUS = examples_dir() / "modular_campus.dcplan"
GOLDEN = Path(__file__).resolve().parent / "golden" / "schema-v1.dcplan"


def test_years_json_has_each_year_as_built_and_keeps_the_schema_2_document(
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["analyze", str(CAMPUS), "--years", "--json"])
    document = json.loads(capsys.readouterr().out)
    # schema 2 consumers read the same document (the first year's analysis) as without --years
    assert (document["format"], document["schema_version"], document["year"]) == ("dc-designer-analysis", 2, 2025)
    assert "components" in document and "findings" in document
    years = document["by_year"]
    assert [y["year"] for y in years] == list(range(2025, 2032))
    # the modules enter service in 2025, 2026, 2028 and 2030 with 48 training racks each; their 120
    # inference racks follow a year later: 48, 168 + 48 = 216, 336, 336 + 48 = 384, 504, 552, 672
    assert [y["racks"] for y in years] == [48, 216, 336, 384, 504, 552, 672]
    assert years[0]["racks"] == len(document["racks"])
    assert all(set(y) >= {"inference_share", "peak_it_kw", "annual_pue", "errors", "findings"} for y in years)
    # when a module's training pods arrive (2028, 2030), losing an MV switchgear overloads its partner:
    # exit 1 for those years, though the first year is clean
    assert years[5]["errors"] > 0 and years[0]["errors"] == 0
    assert code == 1
    scopes = {s["id"]: s for s in document["runway"]["scopes"]}
    assert scopes["hall-m4"]["resources"]["power"]["racks_left"][:5] == [None] * 5  # no racks before 2030
    assert set(scopes) >= {"hall-m1", "site"}


def test_years_text_and_growth(capsys: pytest.CaptureFixture[str]) -> None:
    main(["analyze", str(CAMPUS), "--years", "--growth-racks", "24"])
    out = capsys.readouterr().out
    assert "Per year, the design as built that year:" in out
    assert "growth rule: 24 more racks a year" in out
    assert "binds first" in out


@pytest.mark.parametrize("args, words", [
    (["--years", "--share", "0.5"], "leave out --share"),
    (["--growth-racks", "3"], "goes with --years"),
    (["--years", "--growth-racks", "-1"], "--growth-racks"),
])
def test_bad_combinations_are_bad_input(args: list[str], words: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(CAMPUS), *args]) == 2
    assert words in capsys.readouterr().err


def test_a_design_without_scenario_years_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = json.loads(GOLDEN.read_text(encoding="utf-8"))
    document["scenarios"] = []
    path = tmp_path / "none.dcplan"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert main(["analyze", str(path), "--years"]) == 2
    assert "needs a scenario with years" in capsys.readouterr().err


def test_years_json_carries_the_economics_by_year_as_plain_analyze_does(capsys: pytest.CaptureFixture[str]) -> None:
    main(["analyze", str(CAMPUS), "--years", "--json"])
    with_years = json.loads(capsys.readouterr().out)["economics"]
    main(["analyze", str(CAMPUS), "--json"])
    plain = json.loads(capsys.readouterr().out)["economics"]
    # the same study either way: --years only lends its analyses of the scenario years
    assert with_years["npv"] == pytest.approx(plain["npv"], rel=1e-9)
    assert with_years["opex_follows_years"] and len(with_years["by_year"]) == with_years["study_years"]
    # the modules' capex lands in their years: 2025, 2026, 2028 and 2030 carry the racks (IT)
    spent_it = {int(y): row["it"] for y, row in plain["capex_by_year_subsystem"].items() if row["it"]}
    assert sorted(spent_it) == [2025, 2026, 2028, 2030]
    assert sum(plain["capex_by_year"].values()) == pytest.approx(plain["capex"])
