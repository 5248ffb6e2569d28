"""``dc-designer compare`` and ``dc-designer diff``: tables, JSON, and exit codes 0 / 2 / 3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from designer.cli import main
from designer.io.resources import examples_dir

RETROFIT = examples_dir() / "retrofit.dcplan"
PREFAB = examples_dir() / "retrofit_prefab_option.dcplan"


def test_compare_the_two_retrofit_options_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(RETROFIT), str(PREFAB)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "retrofit.dcplan" in lines[1] and "retrofit_prefab_option.dcplan" in lines[1]
    assert any(line.startswith("Annual PUE 2025→2031") for line in lines)
    assert any(line.startswith("Racks at risk") for line in lines)


def test_compare_json_has_one_design_per_file_and_every_year(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(RETROFIT), str(PREFAB), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["format"] == "dc-designer-compare"
    assert document["years"] == list(range(2025, 2032))
    names = [design["name"] for design in document["designs"]]
    assert names == ["retrofit.dcplan", "retrofit_prefab_option.dcplan"]
    for design in document["designs"]:
        assert len(design["values"]["annual_pue"]) == 7
        assert design["values"]["racks_unserved"] == [0] * 7
    # the prefab option takes the AI row off the 900 kg/m2 raised floor: the floor warning goes
    retrofit, prefab = document["designs"]
    assert retrofit["values"]["warnings"][0] >= 1 and prefab["values"]["warnings"][0] == 0


def test_compare_bad_input_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.dcplan"
    assert main(["compare", str(RETROFIT), str(missing)]) == 2
    assert str(missing) in capsys.readouterr().err
    broken = tmp_path / "broken.dcplan"
    broken.write_text("{", encoding="utf-8")
    assert main(["compare", str(broken), str(RETROFIT)]) == 2
    err = capsys.readouterr().err
    assert str(broken) in err and err.count("\n") == 1
    ai_hall = examples_dir() / "ai_hall.dcplan"
    assert main(["compare", str(ai_hall)]) == 2
    err = capsys.readouterr().err
    assert str(ai_hall) in err and "lists no options" in err


def test_one_file_is_compared_with_the_options_it_lists(capsys: pytest.CaptureFixture[str]) -> None:
    # the retrofit example lists the prefabricated module as its option (metadata.options)
    assert main(["compare", str(RETROFIT), "--json"]) == 0
    names = [design["name"] for design in json.loads(capsys.readouterr().out)["designs"]]
    assert names == ["retrofit.dcplan", "retrofit_prefab_option.dcplan"]


def test_an_option_whose_file_is_missing_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = json.loads(RETROFIT.read_text(encoding="utf-8"))
    document["metadata"]["options"] = [{"name": "gone", "file": "gone.dcplan"}]
    plan = tmp_path / "plan.dcplan"
    plan.write_text(json.dumps(document), encoding="utf-8")
    assert main(["compare", str(plan)]) == 2
    assert str(tmp_path / "gone.dcplan") in capsys.readouterr().err


def test_compare_unexpected_failure_is_exit_3(monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    import designer.analysis.compare as compare_mod

    def boom(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(compare_mod, "compare", boom)
    assert main(["compare", str(RETROFIT), str(PREFAB)]) == 3
    assert "unexpected error" in capsys.readouterr().err


def test_diff_json_of_the_retrofit_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(RETROFIT), str(PREFAB), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["format"] == "dc-designer-diff"
    items = document["items"]
    # the prefab option adds its own transformer, LV board, UPS pair and in-row coolers ...
    added = {item["catalog_id"] for item in items["added"]}
    assert {"elec.xfmr_2500kva", "elec.lv_switchboard_4000a", "elec.ups_500kw", "cool.inrow_cw_70kw"} <= added
    assert items["removed"] == []
    # ... and moves the AI row (4 racks, 4 rear doors, 2 RPPs) into the module hall
    moved = {item["id"]: item for item in items["moved"]}
    assert len(moved) == 10 and all(item["after"]["hall_id"] == "hall-module" for item in moved.values())
    resolved = {finding["code"] for finding in document["findings"]["resolved"]}
    assert "floor_overload" in resolved
    figures = {figure["key"]: figure for figure in document["figures"]}
    assert figures["peak_it_kw"]["delta"] == pytest.approx(0.0, abs=1e-6)  # the same racks, elsewhere


def test_diff_text_and_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(RETROFIT), str(RETROFIT)]) == 0
    out = capsys.readouterr().out
    assert "items added: 0" in out and "new findings: 0" in out and "resolved findings: 0" in out
    missing = tmp_path / "nope.dcplan"
    assert main(["diff", str(missing), str(RETROFIT)]) == 2
    assert str(missing) in capsys.readouterr().err


def test_an_option_that_is_not_a_regular_file_is_refused(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    import os

    document = json.loads(RETROFIT.read_text(encoding="utf-8"))
    document["metadata"]["options"] = [{"name": "pipe", "file": "pipe.dcplan"}]
    plan = tmp_path / "plan.dcplan"
    plan.write_text(json.dumps(document), encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.dcplan")  # reading it would block forever
    assert main(["compare", str(plan)]) == 2
    assert "pipe.dcplan" in capsys.readouterr().err
