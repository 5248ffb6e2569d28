"""Hand-worked: capex in each item's in-service year, opex from each year's design as built, NPV over the study."""

from __future__ import annotations

from dataclasses import replace

import pytest

from designer.analysis.economics import economics_summary
from designer.analysis.economics_report import economics_to_json
from designer.analysis.economics_years import YearAnalyses
from designer.analysis.engine import Analyzer
from designer.model import Role, Scenario, ScenarioYear
from designer.model.economics import CostBasis, EconomicsSettings, UnitCost
from designer.model.records import Hall
from tests.analysis.analysis_builders import TEST_CATALOG, Design, entry, flat_profiles
from tests.analysis.test_economics import DEFAULTS, E, _small_design

# tariff and water at 0: the opex is the maintenance alone, 10 % of the facility capex standing that year
SETTINGS = EconomicsSettings(tariff_per_kwh=0.0, water_cost_per_m3=0.0, maintenance_rate=0.10, discount_rate=0.10,
                             study_years=4, building_cost_per_mw=0.0)
CATALOG = TEST_CATALOG.merged([
    replace(entry("p.ups1", Role.UPS, 1_000.0), unit_cost=UnitCost(100.0, CostBasis.UNIT, "USD", 2025, "[T]", E)),
    replace(entry("p.ups2", Role.UPS, 1_000.0), unit_cost=UnitCost(50.0, CostBasis.UNIT, "USD", 2025, "[T]", E)),
])


def _two_phases(retire_first: int | None = None) -> Design:
    design = Design()
    design.project.add_scenario(Scenario("sc", "Two phases", (ScenarioYear(2026, 0.5), ScenarioYear(2028, 0.6))))
    design.project.set_settings(replace(design.project.settings, economics=SETTINGS))
    design.add("a", "p.ups1", in_service_year=2026, retirement_year=retire_first)
    design.add("b", "p.ups2", in_service_year=2028)
    return design


def _summary(design: Design, catalog: object = CATALOG) -> object:
    analyzer = Analyzer(profiles=flat_profiles(0.8), climates={})
    try:
        results = analyzer.analyze(design.project, catalog)  # type: ignore[arg-type]
        years = YearAnalyses(design.project, catalog, analyzer, (results,))  # type: ignore[arg-type]
        return economics_summary(design.project, results, catalog, DEFAULTS, year_analysis=years)  # type: ignore[arg-type]
    finally:
        analyzer.close()


def test_two_phase_capex_lands_in_service_years_and_npv_discounts_each_year() -> None:
    summary = _summary(_two_phases())
    # capex: UPS a (100) enters service in 2026, UPS b (50) in 2028; both "power"
    assert summary.capex_by_year == {2026: 100.0, 2028: 50.0}  # type: ignore[attr-defined]
    assert summary.capex_by_year_subsystem[2028]["power"] == 50.0  # type: ignore[attr-defined]
    # maintenance 10 % of what stands: 2026 and 2027 100 -> 10; 2028 and 2029 150 -> 15
    assert [(y.year, y.capex, y.opex) for y in summary.years] == [  # type: ignore[attr-defined]
        (2026, 100.0, pytest.approx(10.0)), (2027, 0.0, pytest.approx(10.0)), (2028, 50.0, pytest.approx(15.0)),
        (2029, 0.0, pytest.approx(15.0))]
    # scenario year in force: 2026 for 2026-27, 2028 for 2028-29
    assert [y.scenario_year for y in summary.years] == [2026, 2026, 2028, 2028]  # type: ignore[attr-defined]
    # flows (capex at the start of a year, opex at its end), r = 10 %:
    #   t0 = capex 2026 = 100; t1 = opex 2026 = 10; t2 = capex 2028 50 + opex 2027 10 = 60; t3 = opex 2028 = 15;
    #   t4 = opex 2029 = 15
    # NPV = 100 + 10/1.1 + 60/1.21 + 15/1.331 + 15/1.4641 = 100 + 9.0909 + 49.5868 + 11.2697 + 10.2452 = 180.1926
    assert summary.npv == pytest.approx(180.1926, abs=1e-4)  # type: ignore[attr-defined]
    assert summary.opex_follows_years  # type: ignore[attr-defined]
    data = economics_to_json(summary)  # type: ignore[arg-type]
    assert data["capex_by_year_subsystem"]["2028"]["power"] == 50.0  # type: ignore[index]
    assert [y["capex"] for y in data["by_year"]] == [100.0, 0.0, 50.0, 0.0]  # type: ignore[attr-defined]


def test_no_maintenance_after_retirement_and_late_capex_left_out() -> None:
    # UPS a retires in 2029 (first year gone): 2029 maintenance 10 % of 50 = 5 instead of 15
    summary = _summary(_two_phases(retire_first=2029))
    assert summary.years[-1].maintenance == pytest.approx(5.0)  # type: ignore[attr-defined]
    # NPV = 180.1926 - 10/1.4641 = 180.1926 - 6.8301 = 173.3625
    assert summary.npv == pytest.approx(173.3625, abs=1e-4)  # type: ignore[attr-defined]
    # a unit entering service in 2030, after the four study years 2026-2029: listed, not in the NPV
    design = _two_phases()
    design.add("c", "p.ups2", in_service_year=2030)
    late = _summary(design)
    assert late.capex_by_year[2030] == 50.0 and late.capex_after_study == 50.0  # type: ignore[attr-defined]
    assert late.npv == pytest.approx(180.1926, abs=1e-4)  # type: ignore[attr-defined]


def test_each_hall_building_comes_with_its_first_phase() -> None:
    design = _two_phases()
    design.project.set_settings(replace(design.project.settings,
                                        economics=replace(SETTINGS, building_cost_per_mw=1000.0)))
    design.project.add_hall(Hall("H2", "Hall 2", ((0, 0), (10_000, 0), (10_000, 10_000), (0, 10_000))))
    design.add("r1", "t.rack100")  # always there, hall 1: 0.1 MW x 1000 = 100 in the first year, 2026
    design.project.add_items([replace(design.project.items["r1"], id="r2", hall_id="H2", in_service_year=2029)])
    summary = _summary(design)
    # hall 2's only rack enters service in 2029: its 0.1 MW x 1000 = 100 of building falls in 2029
    assert summary.capex_by_year_subsystem[2026]["building"] == pytest.approx(100.0)  # type: ignore[attr-defined]
    assert summary.capex_by_year_subsystem[2029]["building"] == pytest.approx(100.0)  # type: ignore[attr-defined]


def test_energy_stops_when_the_racks_retire() -> None:
    design, catalog = _small_design()
    design.project.add_scenario(Scenario("sc", "One share", (ScenarioYear(2026, 0.5),)))
    settings = EconomicsSettings(study_years=3, price_year=2025)
    design.project.set_settings(replace(design.project.settings, economics=settings))
    design.project.update_items([replace(design.project.items["r"], retirement_year=2028)])
    summary = _summary(design, catalog)
    energy = [y.energy_cost for y in summary.years]  # type: ignore[attr-defined]
    # 2026 and 2027: 82.42412 kW (see test_wue_cue_and_costs_of_a_small_design) x 8760 h x 0.10 = 72,203.53;
    # 2028: the inference rack is gone, no IT load, every facility load scales with it: nothing
    assert energy[0] == pytest.approx(82.42412 * 8760 * 0.10, rel=1e-9)
    assert energy[1] == pytest.approx(energy[0])
    assert energy[2] == pytest.approx(0.0, abs=1e-6)
    assert summary.years[2].it_mwh == pytest.approx(0.0, abs=1e-9)  # type: ignore[attr-defined]


def test_an_item_retired_before_the_study_costs_nothing_and_is_listed() -> None:
    design = _two_phases()
    design.add("old", "p.ups1", in_service_year=2010, retirement_year=2026)  # gone when the study starts
    summary = _summary(design)
    assert summary.capex_by_year == {2026: 100.0, 2028: 50.0}  # type: ignore[attr-defined]
    assert summary.npv == pytest.approx(180.1926, abs=1e-4)  # type: ignore[attr-defined]
    assert [(u.catalog_id, u.count) for u in summary.uncosted] == [("p.ups1", 1)]  # type: ignore[attr-defined]
    assert "retired by 2026" in summary.uncosted[0].reason  # type: ignore[attr-defined]
