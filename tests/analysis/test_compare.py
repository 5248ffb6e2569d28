"""Options side by side: hand-built designs whose columns are worked out on paper, and the registry."""

from __future__ import annotations

from dataclasses import replace

import pytest
from analysis.analysis_builders import TEST_CATALOG, Design, flat_profiles

from designer.analysis import compare as compare_mod
from designer.analysis.compare import (
    METRICS,
    CaseInput,
    Metric,
    compare,
    comparison_to_json,
    format_table,
    register,
    under_scenario,
)
from designer.analysis.engine import Analyzer
from designer.model import Scenario, ScenarioYear, Site, UserRegion
from designer.model.project import Project


def _analyzer() -> Analyzer:
    return Analyzer(profiles=flat_profiles(0.8), climates={})


def _design(racks: int, scenario: Scenario) -> Project:
    """utility -> lossless UPS -> ``racks`` single-corded 100 kW racks, one CRAH cooling them all."""
    d = Design()
    d.add("u1", "t.utility")
    d.add("ups1", "t.ups_lossless")
    d.add("crah1", "t.crah150")
    d.power("u1", "ups1")
    for n in range(racks):
        rack = d.add(f"r{n + 1}", "t.rack100")
        d.power("ups1", rack)
        d.cool("crah1", rack)
    d.project.add_scenario(scenario)
    d.project.set_settings(replace(d.project.settings, active_scenario_id=scenario.id))
    return d.project


SCENARIO_A = Scenario("sc-a", "Two years", (ScenarioYear(2026, 0.2), ScenarioYear(2030, 0.8)))
SCENARIO_B = Scenario("sc-b", "Another", (ScenarioYear(2040, 0.5),))


def _cases() -> list[CaseInput]:
    a = _design(1, SCENARIO_A)
    b = _design(2, SCENARIO_B)
    # B stands on the equator 1° east of its only user region
    b.set_site(Site("B", 0.0, 1.0, user_regions=(UserRegion("X", 0.0, 0.0),)))
    return [CaseInput("a.dcplan", a, TEST_CATALOG), CaseInput("b.dcplan", b, TEST_CATALOG)]


def test_every_design_runs_over_the_first_designs_transition_with_hand_worked_columns() -> None:
    comparison = compare(_cases(), analyzer_factory=_analyzer)
    a, b = comparison.rows
    assert comparison.scenario == "Two years"
    assert comparison.years == (2026, 2030)  # A's years; B's own 2040 is set aside
    # training racks at 0.8 of 100 kW all day (flat profiles), whatever the share: 80 kW a rack
    assert a.yearly["peak_it_mw"] == pytest.approx((0.08, 0.08))
    assert b.yearly["peak_it_mw"] == pytest.approx((0.16, 0.16))
    # every rack hangs on one UPS and one CRAH: each single failure drops them all
    assert a.yearly["racks_at_risk"] == (1, 1)
    assert b.yearly["racks_at_risk"] == (2, 2)
    assert a.yearly["racks_unserved"] == (0, 0)
    # without a climate the annual PUE is the design day's: lossless UPS, so facility = IT + cooling
    assert all(value is not None and value > 1.0 for value in a.yearly["annual_pue"])  # type: ignore[operator]
    # A's site is at 0°, 0° (not located): no latency. B: 1° of the equator = 2 pi 6371 / 360 = 111.19 km,
    # x 1.5 route factor = 166.79 km of fibre, x 0.01 ms/km = 1.668 ms round trip
    assert a.values["nearest_rtt_ms"] is None
    assert b.values["nearest_rtt_ms"] == pytest.approx(1.668, abs=0.001)
    assert comparison.best("racks_at_risk") == {"a.dcplan"}
    assert comparison.best("nearest_rtt_ms") == set()  # one design known: no winner


def test_the_compared_projects_are_left_as_they_were() -> None:
    cases = _cases()
    before = [case.project.state() for case in cases]
    compare(cases, analyzer_factory=_analyzer)
    assert [case.project.state() for case in cases] == before
    copy = under_scenario(cases[1].project, SCENARIO_A)
    assert list(copy.scenarios) == ["sc-a"] and copy.active_scenario == SCENARIO_A


def test_json_and_table_carry_every_registered_metric() -> None:
    comparison = compare(_cases(), analyzer_factory=_analyzer)
    document = comparison_to_json(comparison)
    assert [m["key"] for m in document["metrics"]] == [m.key for m in METRICS]  # type: ignore[index]
    designs = document["designs"]
    assert isinstance(designs, list) and [d["name"] for d in designs] == ["a.dcplan", "b.dcplan"]
    assert designs[1]["values"]["racks_at_risk"] == [2, 2]
    assert designs[0]["values"]["nearest_rtt_ms"] is None
    text = format_table(comparison)
    assert "Racks at risk 2026→2030" in text and "b.dcplan" in text
    # the table shows an unknown as a dash: A's latency
    assert next(line for line in text.splitlines() if line.startswith("Nearest users")).split()[-2] == "—"


def test_a_new_metric_is_one_registry_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compare_mod, "METRICS", list(METRICS))
    register(Metric("rack_count", "Racks", of_case=lambda c: len(c.results[0].rack_ids)))
    register(Metric("first", "First", of_case=lambda c: c.years[0]), before="annual_pue")
    comparison = compare(_cases(), analyzer_factory=_analyzer)
    assert [row.values["rack_count"] for row in comparison.rows] == [1, 2]
    assert comparison.metrics[0].key == "first"
    assert "Racks" in format_table(comparison)
    # a costly model shared by two columns runs once per design; the caller's inputs reach it
    calls: list[str] = []

    def model(c: compare_mod.CaseContext) -> dict[str, float]:
        def compute() -> dict[str, float]:
            calls.append(c.name)
            return {"a": float(c.inputs["scale"]) * len(c.results[0].rack_ids), "b": 1.0}  # type: ignore[arg-type]
        return c.memo("model", compute)

    register(Metric("model_a", "A", of_case=lambda c: model(c)["a"]))
    register(Metric("model_b", "B", of_case=lambda c: model(c)["b"]))
    comparison = compare(_cases(), analyzer_factory=_analyzer, inputs={"scale": 10.0})
    assert [row.values["model_a"] for row in comparison.rows] == [10.0, 20.0]  # 10 x 1 rack, 10 x 2 racks
    assert calls == ["a.dcplan", "b.dcplan"]
    with pytest.raises(ValueError, match="already registered"):
        register(Metric("rack_count", "Again", of_case=lambda c: 0))
    with pytest.raises(ValueError, match="exactly one"):
        Metric("bad", "Bad")
