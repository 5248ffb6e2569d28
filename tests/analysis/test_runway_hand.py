"""Runway of a two-phase design worked out on paper (arithmetic in the comments)."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from analysis.analysis_builders import TEST_CATALOG, Design, flat_profiles

from designer.analysis.engine import Analyzer
from designer.analysis.runway import SITE_ID, runway, runway_text
from designer.model import Scenario, ScenarioYear
from designer.model.records import DesignSettings


def two_phase(second_phase_year: int | None = 2027) -> Design:
    """One hall: utility -> lossless 1,250 kW UPS -> 12 racks of 100 kW (training, at 0.8 all day), 20
    CRAHs of 150 kW. Racks R1-R6 stand from the start; R7-R12 enter service in ``second_phase_year``
    (None: they are left out)."""
    d = Design()
    d.add("U1", "t.utility")
    d.add("UPS1", "t.ups_lossless")
    d.power("U1", "UPS1")
    crahs = [d.add(f"CRAH{i}", "t.crah150") for i in range(1, 21)]
    racks = 12 if second_phase_year is not None else 6
    for n in range(1, racks + 1):
        year = second_phase_year if n > 6 else None
        rack = d.add(f"R{n}", "t.rack100", in_service_year=year)
        d.power("UPS1", rack)
        for crah in crahs:
            d.cool(crah, rack)
    d.project.add_scenario(Scenario("sc", "Two phases", (ScenarioYear(2025, 0.2), ScenarioYear(2026, 0.3),
                                                        ScenarioYear(2027, 0.4))))
    d.project.set_settings(replace(DesignSettings(), active_scenario_id="sc"))
    return d


def analyzer() -> Analyzer:
    return Analyzer(profiles=flat_profiles(0.8), climates={})


def test_second_phase_uses_up_the_power() -> None:
    d = two_phase()
    result = runway(d.project, TEST_CATALOG, analyzer=analyzer())
    hall = result.scope("H1")
    power = hall.resource("power")
    # firm power of the hall: the UPS's 1,250 kW x the 0.8 continuous derating, one side = 1,000 kW.
    # 2025 and 2026: R1-R6 at 100 kW x 0.8 = 80 kW each: 480 kW used, 80 kW a rack:
    #   room (1,000 - 480) / 80 = 6.5 racks.
    # 2027: R7-R12 enter service: 960 kW used, still 80 kW a rack: room (1,000 - 960) / 80 = 0.5 rack,
    #   less than one: power runs out in 2027.
    assert power.racks_left == pytest.approx((6.5, 6.5, 0.5))
    assert power.runs_out == 2027
    # space: 2,400 m2 hall less 0.72 m2 for each standing item (2 + 20 + 6 = 28 in 2025: 20.16 m2),
    # one rack with its aisles 0.72 x 2.5 = 1.8 m2: (2,400 - 20.16) / 1.8 = 1,322.1 racks
    assert hall.resource("space").racks_left[0] == pytest.approx((2_400 - 28 * 0.72) / 1.8)
    # floor: 1,200 kg/m2 x 2,400 m2 less 6 racks x 720 kg (the rest weigh nothing here), 720 kg a rack
    assert hall.resource("floor").racks_left[0] == pytest.approx((1_200 * 2_400 - 6 * 720) / 720)
    assert hall.resource("liquid_cooling").racks_left == (math.inf,) * 3  # air racks: never binds
    assert hall.resource("space").runs_out is None
    assert (hall.binding, hall.runs_out) == ("power", 2027)
    # the site: whole racks summed over halls: 6, 6, then 0 in 2027
    site = result.scope(SITE_ID)
    assert site.resource("power").racks_left == (6.0, 6.0, 0.0)
    assert (site.binding, site.runs_out) == ("power", 2027)
    assert "power in 2027" in runway_text(result)


def test_growth_rule_runs_the_first_phase_out_past_the_timeline() -> None:
    d = two_phase(second_phase_year=None)
    result = runway(d.project, TEST_CATALOG, analyzer=analyzer(), growth_racks_per_year=2)
    power = result.scope("H1").resource("power")
    # 6.5 racks of room every year; 2 more racks a year after 2025: 6.5, 4.5, 2.5 in 2025-2027,
    # then 0.5 in 2028: below one rack, so power runs out in 2028 (past the timeline)
    assert power.racks_left == pytest.approx((6.5, 4.5, 2.5))
    assert power.runs_out == 2028
    # the site: 6, 4 and 2 whole racks; past the timeline it runs out with its last hall with room, in 2028
    assert result.scope(SITE_ID).resource("power").racks_left == (6.0, 4.0, 2.0)
    assert result.scope(SITE_ID).resource("power").runs_out == 2028
    without = runway(d.project, TEST_CATALOG, analyzer=analyzer())
    assert without.scope("H1").runs_out is None
    assert without.scope("H1").binding == "power"  # the least room in the last year


def test_each_year_analyses_the_design_as_built_then() -> None:
    d = two_phase()
    a = analyzer()
    # 6 racks x 80 kW before the second phase, 12 x 80 kW after it
    assert a.analyze(d.project, TEST_CATALOG, year=2025).peak_it_kw == pytest.approx(480.0)
    assert a.analyze(d.project, TEST_CATALOG, year=2026).rack_ids.size == 6
    assert a.analyze(d.project, TEST_CATALOG, year=2027).peak_it_kw == pytest.approx(960.0)
    assert a.analyze(d.project, TEST_CATALOG).year == 2025  # no year: the first


def test_compare_lists_the_site_runway() -> None:
    from designer.analysis.compare import CaseInput, compare

    two = two_phase()
    one = two_phase(second_phase_year=None)
    comparison = compare([CaseInput("two phases", two.project, TEST_CATALOG),
                          CaseInput("first phase only", one.project, TEST_CATALOG)], analyzer_factory=analyzer)
    # as worked out above: power runs out in 2027 with the second phase; without it, not within 2025-2027
    assert comparison.rows[0].values["runway_year"] == "2027"
    assert comparison.rows[0].values["runway_binding"] == "power"
    assert comparison.rows[1].values["runway_year"] == "after 2027"
