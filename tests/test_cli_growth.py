"""``analyze --years --growth-template``: the pod-template growth rule of the runway on the command line."""

from __future__ import annotations

import json

import pytest

from designer.cli import main
from designer.io.resources import examples_dir

CAMPUS = examples_dir() / "modular_campus.dcplan"
TEMPLATE = "pod.nvl72_training_8"


def runway_of(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    main(["analyze", str(CAMPUS), "--years", "--json", *args])
    runway = json.loads(capsys.readouterr().out)["runway"]
    assert isinstance(runway, dict)
    return runway


def test_growth_template_in_the_json(capsys: pytest.CaptureFixture[str]) -> None:
    plain = runway_of(capsys)
    assert "growth_template" not in plain
    grown = runway_of(capsys, "--growth-template", TEMPLATE, "--growth-copies", "2", "--growth-hall", "hall-m1")
    rule = grown["growth_template"]
    assert isinstance(rule, dict)
    assert (rule["id"], rule["copies_per_year"], rule["hall"], rule["stopped_in"]) == (TEMPLATE, 2, "hall-m1", None)
    # the timeline is 2025-2031: 2 copies (of 8 racks) each year from 2026, all in Module 1
    assert rule["copies_placed"] == [{"year": y, "hall": "hall-m1", "copies": 2} for y in range(2026, 2032)]
    assert rule["unfed_halls"] == []

    def room(runway: dict[str, object], resource: str) -> list[float]:
        scopes = {s["id"]: s for s in runway["scopes"]}  # type: ignore[attr-defined]
        return scopes["hall-m1"]["resources"][resource]["racks_left"]  # type: ignore[no-any-return]

    # the first year is the design itself; by 2031 the 96 more racks have taken room from the hall
    assert room(grown, "air_cooling")[0] == room(plain, "air_cooling")[0]
    assert room(grown, "air_cooling")[-1] < room(plain, "air_cooling")[-1]
    assert room(grown, "space")[-1] < room(plain, "space")[-1]


def test_growth_template_in_the_text(capsys: pytest.CaptureFixture[str]) -> None:
    main(["analyze", str(CAMPUS), "--years", "--growth-template", TEMPLATE])
    out = capsys.readouterr().out
    assert f"growth rule: 1 x pod template GB200 NVL72 training pod (8 racks, SuperPOD scalable unit) ({TEMPLATE})" \
        in out
    assert "6 copies placed" in out


@pytest.mark.parametrize("args, words", [
    (["--years", "--growth-template", "pod.nope"], "--growth-template: growth template 'pod.nope': no pod template"),
    (["--years", "--growth-template", TEMPLATE, "--growth-hall", "hall-x"], "--growth-hall: growth hall 'hall-x'"),
    (["--years", "--growth-template", TEMPLATE, "--growth-copies", "0"], "--growth-copies"),
    (["--years", "--growth-template", "pod.cooling_module"], "no racks"),
    (["--growth-template", TEMPLATE], "--growth-template goes with --years"),
    (["--years", "--growth-copies", "2"], "--growth-copies goes with --growth-template"),
    (["--years", "--growth-hall", "hall-m1"], "--growth-hall goes with --growth-template"),
    (["--years", "--growth-template", TEMPLATE, "--growth-racks", "3"], "two growth rules"),
])
def test_bad_growth_arguments_are_bad_input(args: list[str], words: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(CAMPUS), *args]) == 2
    assert words in capsys.readouterr().err
