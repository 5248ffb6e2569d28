"""Cooling units fed by the power chain: their electrical load on it, and power failures that stop them.

Hand-worked on one design: utility -> transformer -> lossless UPS A and B -> one 100 kW rack on
both cords, all of its heat into liquid; a CDU (pump 0.05 kW per kW of heat) cools the rack.
Flat profiles at 0.8, so every hour is the same.
"""

from __future__ import annotations

import numpy as np
import pytest
from analysis.analysis_builders import TEST_CATALOG, Design, codes, flat_profiles, load_of

from designer.analysis import Results
from designer.analysis.results import FailureRecord
from designer.model import CoolingMedium, FeedSide

# transformer t.xfmr: R = 2850 kW, loss = 0.0025*R + 0.009*P^2/R = 7.125 + 0.009*P^2/2850
RACK_KW = 80.0  # 100 kW x 0.8
PUMP_KW = 4.0  # 80 kW of liquid heat x 0.05
XFMR_LOSS_RACK_ONLY = 7.125 + 0.009 * 80.0**2 / 2850  # 7.125 + 0.0202105 = 7.1452105
XFMR_LOSS_WITH_CDU = 7.125 + 0.009 * 84.0**2 / 2850  # 7.125 + 0.0222821 = 7.1472821


def cdu_design(cdu_feeds: tuple[FeedSide, ...] = (FeedSide.SINGLE,)) -> Design:
    d = Design()
    d.add("U1", "t.utility")
    d.add("XF1", "t.xfmr")
    d.power("U1", "XF1")
    for side in "AB":
        d.add(f"UPS{side}", "t.ups_lossless")
        d.power("XF1", f"UPS{side}")
    d.add("R1", "t.rack_dlc")
    d.power("UPSA", "R1", FeedSide.A)
    d.power("UPSB", "R1", FeedSide.B)
    d.add("CDU1", "t.cdu_pump5")
    d.cool("CDU1", "R1", CoolingMedium.LIQUID)
    for feed in cdu_feeds:
        d.power("UPSA" if feed is not FeedSide.B else "UPSB", "CDU1", feed)
    return d


def unfed_design() -> Design:
    return cdu_design(())


def test_cdu_load_on_the_ups_and_the_transformer() -> None:
    results = cdu_design().analyze()
    assert results.rack_it_kw[0] == pytest.approx(RACK_KW)
    # UPS A: half the rack (40 kW) + the CDU pumps (4 kW) = 44 kW; UPS B: the other half, 40 kW
    assert load_of(results, "UPSA") == pytest.approx(44.0)
    assert load_of(results, "UPSB") == pytest.approx(40.0)
    # transformer: 80 + 4 = 84 kW, loss 7.1472821 kW; utility: 84 + 7.1472821 = 91.1472821 kW
    assert load_of(results, "XF1") == pytest.approx(84.0)
    assert results.component_loss_kw[results.component_index("XF1")] == pytest.approx(XFMR_LOSS_WITH_CDU)
    assert load_of(results, "U1") == pytest.approx(84.0 + XFMR_LOSS_WITH_CDU)
    assert results.electrical_loss_kw == pytest.approx([XFMR_LOSS_WITH_CDU] * 24)
    # the CDU's own (thermal) load is unchanged: the rack's 80 kW of liquid heat
    assert load_of(results, "CDU1") == pytest.approx(RACK_KW)
    assert not {"wrong_type", "cooling_not_fed", "unpowered_cooling"} & codes(results)


def test_unfed_cdu_is_off_the_chain() -> None:
    results = unfed_design().analyze()
    assert load_of(results, "UPSA") == pytest.approx(40.0)
    assert load_of(results, "XF1") == pytest.approx(80.0)
    assert results.electrical_loss_kw == pytest.approx([XFMR_LOSS_RACK_ONLY] * 24)


def test_cooling_power_is_counted_once() -> None:
    fed, unfed = cdu_design().analyze(), unfed_design().analyze()
    # the pumps are cooling power either way (80 kW x 0.05 = 4 kW, in cooling_kw); feeding the CDU
    # from the chain adds only the transformer's extra loss: 7.1472821 - 7.1452105 = 0.0020716 kW
    np.testing.assert_allclose(fed.cooling_kw, unfed.cooling_kw)
    extra = XFMR_LOSS_WITH_CDU - XFMR_LOSS_RACK_ONLY
    assert extra == pytest.approx(0.0020716, abs=1e-7)
    np.testing.assert_allclose(fed.facility_kw - unfed.facility_kw, extra, atol=1e-9)
    # facility = IT + losses + cooling + lighting (0.5 % of IT) + misc (0.5 % of IT)
    np.testing.assert_allclose(fed.facility_kw,
                               fed.it_kw + fed.electrical_loss_kw + fed.cooling_kw + 0.01 * fed.it_kw)


def test_cdu_fed_from_both_sides_splits_its_load() -> None:
    results = cdu_design((FeedSide.A, FeedSide.B)).analyze()
    # 40 kW rack half + 2 kW CDU half on each UPS
    assert load_of(results, "UPSA") == pytest.approx(42.0)
    assert load_of(results, "UPSB") == pytest.approx(42.0)


def test_fan_power_splits_by_heat_over_the_air_units() -> None:
    d = Design()
    d.add("U1", "t.utility")
    d.add("XF1", "t.xfmr")
    d.add("UPS1", "t.ups_lossless")
    d.power("U1", "XF1")
    d.power("XF1", "UPS1")
    d.add("R1", "t.rack100")  # air-cooled, 80 kW
    d.power("UPS1", "R1")
    for crah in ("CRAH1", "CRAH2"):
        d.add(crah, "t.crah150")
        d.cool(crah, "R1")
    d.power("UPS1", "CRAH1")
    results = d.analyze()
    # fan pool by the affinity law (hall fully contained: airflow factor 1.1, variable speed):
    # air heat = rack air heat + transformer loss of the racks' load + lighting 0.5 % of IT
    #          = 80 + 7.1452105 + 0.4 = 87.5452105 kW; airflow ratio = 87.5452105 x 1.1 / 300 = 0.3209991
    # fans = 0.03 x 300 kW rated x 0.3209991^3 = 9 x 0.0330759 = 0.2976830 kW; each CRAH carries
    # 40 kW of the 80: CRAH1 draws half, 0.1488415 kW, on UPS1; CRAH2 has no feed, its half stays off
    fan_pool = 0.03 * 300.0 * ((80.0 + XFMR_LOSS_RACK_ONLY + 0.4) * 1.1 / 300.0) ** 3
    assert load_of(results, "UPS1") == pytest.approx(80.0 + fan_pool / 2)
    assert fan_pool / 2 == pytest.approx(0.1488415)
    assert "cooling_not_fed" in codes(results)  # 1 of 2 units has no feed: said once


def test_sweep_agrees_with_the_analysis_when_cooling_is_fed() -> None:
    from designer.analysis import Analyzer, sweep

    d = cdu_design()
    analyzer = Analyzer(profiles=flat_profiles(0.8), climates={})
    swept = sweep(d.project, TEST_CATALOG, np.array([0.0, 1.0]), analyzer=analyzer)
    single = analyzer.analyze(d.project, TEST_CATALOG, inference_share=0.0, failures=False)
    assert swept.peak_facility_kw[0] == pytest.approx(single.peak_facility_kw, rel=1e-12)
    assert swept.pue[0] == pytest.approx(single.facility_kw.sum() / single.it_kw.sum(), rel=1e-12)
    assert swept.worst_utilization[0] == pytest.approx(float(single.component_utilization.max()))
    # the sweep carries the CDU too: without it the facility is 0.0020716 kW lower (see above)
    unfed = sweep(unfed_design().project, TEST_CATALOG, np.array([0.0]), analyzer=Analyzer(
        profiles=flat_profiles(0.8), climates={}))
    assert swept.peak_facility_kw[0] - unfed.peak_facility_kw[0] == pytest.approx(
        XFMR_LOSS_WITH_CDU - XFMR_LOSS_RACK_ONLY, rel=1e-6)


def record(results: Results, failed: str) -> FailureRecord:
    return next(r for r in results.single_failures if r.failed == failed)


def test_losing_the_ups_that_feeds_the_cdu_uncools_the_rack() -> None:
    results = cdu_design().analyze()
    # UPS A down: the rack runs on its B cord, but the CDU (fed from A only) stops
    ups_a = record(results, "UPSA")
    assert ups_a.racks_without_power == ()
    assert ups_a.racks_without_cooling == ("R1",)
    assert record(results, "UPSB").survived
    # the transformer takes the rack's power itself: listed without power, not again without cooling
    xfmr = record(results, "XF1")
    assert (xfmr.racks_without_power, xfmr.racks_without_cooling) == (("R1",), ())
    # fed from both UPSs, the CDU survives either (the CDU itself stays a single point of failure)
    both = cdu_design((FeedSide.A, FeedSide.B)).analyze()
    assert record(both, "UPSA").survived and record(both, "UPSB").survived


def two_cdus(second_feed: str, cdu: str = "t.cdu_pump5") -> Design:
    """True 2N power (utility A/B -> UPS A/B), one liquid rack on two CDUs; CDU1 fed from UPS A."""
    d = Design()
    for side in "AB":
        d.add(f"U{side}", "t.utility")
        d.add(f"UPS{side}", "t.ups_lossless")
        d.power(f"U{side}", f"UPS{side}")
    d.add("R1", "t.rack_dlc")
    d.power("UPSA", "R1", FeedSide.A)
    d.power("UPSB", "R1", FeedSide.B)
    for unit, ups in (("CDU1", "UPSA"), ("CDU2", second_feed)):
        d.add(unit, cdu)
        d.cool(unit, "R1", CoolingMedium.LIQUID)
        d.power(ups, unit)
    return d


def test_survival_follows_the_cdu_feeds() -> None:
    # both CDUs on UPS A: losing it stops both, the rack is hot
    same = two_cdus("UPSA").analyze()
    assert record(same, "UPSA").racks_without_cooling == ("R1",)
    assert not same.rack_survives_single_failures[0]
    assert "single_failure_loss" in codes(same)
    # one on each UPS: any single failure leaves a CDU running
    split = two_cdus("UPSB").analyze()
    assert split.rack_survives_single_failures[0]
    assert all(r.survived for r in split.single_failures)


def test_power_failure_overloads_the_surviving_cdu() -> None:
    results = two_cdus("UPSB", "t.cdu60").analyze()
    # normally each 60 kW CDU carries half of the rack's 80 kW: 40 / 60 = 0.667
    assert load_of(results, "CDU2") == pytest.approx(40.0)
    # UPS A down stops CDU1: CDU2 carries all 80 kW, 80 / 60 = 1.333 > 1
    assert record(results, "UPSA").overloaded == ("CDU2",)
    assert record(results, "UPSA").racks_without_cooling == ()
    worst = results.component_worst_failure_utilization[results.component_index("CDU2")]
    assert worst == pytest.approx(80.0 / 60.0)


def test_rolling_up_only_the_cooling_load_equals_a_full_roll_up() -> None:
    from designer.analysis import Analyzer
    from designer.analysis.flow import roll_up
    from designer.analysis.loads import utilisation_matrix
    from designer.analysis.synthetic import build_campus
    from designer.model import Catalog

    project = build_campus(120, Catalog())
    analyzer = Analyzer()
    compiled = analyzer.compile(project, Catalog())
    assert compiled.feeds is not None and compiled.rack_table is not None
    loads = analyzer.loads(compiled, compiled.rack_table, utilisation_matrix(analyzer.profiles_for(project), 0.4),
                           1.0, project)
    # power_demand holds the racks' and the units' demand: a plain roll-up of it is the reference
    full = roll_up(compiled.power, loads.power_demand, compiled.power_weights)
    units = loads.power_demand[compiled.feeds.unit_node]
    assert units.min() > 0
    np.testing.assert_allclose(loads.power.through_kw, full.through_kw, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(loads.power.loss_kw, full.loss_kw, rtol=1e-12, atol=1e-9)


def test_a_b_fed_cdu_behind_one_transformer_is_false_redundancy() -> None:
    # the CDU's A and B cords come from UPS A and UPS B, which both hang off XF1
    results = cdu_design((FeedSide.A, FeedSide.B)).analyze()
    messages = [f.message for f in results.findings if f.code == "false_redundancy"]
    assert messages == ["A and B feeds of 1 rack(s) and 1 cooling unit(s) (CDU1, R1) meet at XF1: "
                        "a single point of failure"]
    # and the failure analysis agrees: losing XF1 drops the rack's power (its cooling loss is moot)
    record = next(r for r in results.single_failures if r.failed == "XF1")
    assert (record.racks_without_power, record.racks_without_cooling) == (("R1",), ())
