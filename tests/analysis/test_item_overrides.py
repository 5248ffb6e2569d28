"""Per-item overrides reach the analysis wherever it read the catalog rating, design kW, fraction or weight.

Hand-worked: the arithmetic is in the comments. Flat profiles at 0.8 of nameplate all day.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from analysis.analysis_builders import TEST_CATALOG, Design, codes, entry, flat_profiles, load_of, utilization_of

from designer.analysis.engine import Analyzer
from designer.model import Catalog, CoolingMedium, FeedSide, LossModel, Role, WorkloadClass

CATALOG = TEST_CATALOG.merged([
    entry("t.ups500", Role.UPS, 500.0),
    entry("t.ups500_loss", Role.UPS, 500.0, loss=LossModel(0.012, 0.015, 0.008)),
    entry("t.rack250", Role.RACK, 250.0, workload=WorkloadClass.TRAINING, weight_kg=720.0),
])


def ups_design(ups: str = "t.ups500", **ups_overrides: object) -> Design:
    d = Design()
    d.add("U1", "t.utility")
    d.add("UPS1", ups, **ups_overrides)
    d.add("R1", "t.rack250")
    d.add("CRAH1", "t.crah150")
    d.power("U1", "UPS1")
    d.power("UPS1", "R1")
    d.cool("CRAH1", "R1")
    return d


def test_ups_rated_down_to_250_kw_carrying_200_kw_reads_80_percent() -> None:
    plain = ups_design().analyze(CATALOG)
    # rack: 250 kW x 0.8 = 200 kW; on the catalog 500 kW UPS: 200 / 500 = 40 %
    assert load_of(plain, "UPS1") == pytest.approx(200.0)
    assert utilization_of(plain, "UPS1") == pytest.approx(0.4)
    fitted = ups_design(design_kw=250.0).analyze(CATALOG)
    # fitted with 250 kW of modules: 200 / 250 = 80 %
    assert utilization_of(fitted, "UPS1") == pytest.approx(0.8)
    assert fitted.component_capacity_kw[fitted.component_index("UPS1")] == pytest.approx(250.0)
    # the re-rating is said, for the Problems panel, the JSON and the report
    finding = next(f for f in fitted.findings if f.code == "rating_override")
    assert (finding.severity, finding.item_ids) == ("info", ("UPS1",))
    assert "rating_override" not in codes(plain)


def test_the_loss_curve_follows_the_fitted_rating() -> None:
    results = ups_design("t.ups500_loss", design_kw=250.0).analyze(CATALOG)
    # loss = a*R + b*P + c*P^2/R with R = 250 (not 500), P = 200:
    #      = 0.012*250 + 0.015*200 + 0.008*200^2/250 = 3 + 3 + 1.28 = 7.28 kW
    assert results.component_loss_kw[results.component_index("UPS1")] == pytest.approx(7.28)
    assert load_of(results, "U1") == pytest.approx(207.28)


def test_a_rating_pushed_below_the_load_is_an_error() -> None:
    results = ups_design(design_kw=150.0).analyze(CATALOG)
    # 200 / 150 = 133 % over the fitted rating
    assert utilization_of(results, "UPS1") == pytest.approx(200.0 / 150.0)
    assert "over_capacity" in codes(results)


def test_single_failure_reads_the_overridden_rating() -> None:
    d = Design()
    d.add("U1", "t.utility")
    d.add("UPSA", "t.ups500", design_kw=250.0)
    d.add("UPSB", "t.ups500")
    d.add("R1", "t.rack250")
    d.add("CRAH1", "t.crah150")  # an uncooled rack is unserved and would draw nothing (issue 12)
    d.power("U1", "UPSA")
    d.power("U1", "UPSB")
    d.power("UPSA", "R1", FeedSide.A)
    d.power("UPSB", "R1", FeedSide.B)
    d.cool("CRAH1", "R1")
    results = d.analyze(CATALOG)
    # 200 kW split A/B: 100 kW each; A at 100/250 = 40 %, B at 100/500 = 20 %
    assert utilization_of(results, "UPSA") == pytest.approx(0.4)
    assert utilization_of(results, "UPSB") == pytest.approx(0.2)
    # B fails: A carries 200 / 250 = 80 %; A fails: B carries 200 / 500 = 40 %
    worst = results.component_worst_failure_utilization
    assert worst[results.component_index("UPSA")] == pytest.approx(0.8)
    assert worst[results.component_index("UPSB")] == pytest.approx(0.4)


def test_crah_and_cdu_ratings_override() -> None:
    d = Design()
    d.add("R1", "t.rack_liquid")  # 100 kW, liquid 0.8
    d.add("U1", "t.utility")  # an unpowered rack is unserved and makes no heat (issue 12)
    d.power("U1", "R1")
    d.add("CRAH1", "t.crah150", design_kw=20.0)
    d.add("CDU1", "t.cdu", design_kw=100.0)
    d.cool("CRAH1", "R1")
    d.cool("CDU1", "R1", CoolingMedium.LIQUID)
    results = d.analyze(CATALOG)
    # 80 kW of heat: liquid 0.8 x 80 = 64 kW on the CDU (64 / 100), air 16 kW on the CRAH (16 / 20)
    assert utilization_of(results, "CDU1") == pytest.approx(0.64)
    assert utilization_of(results, "CRAH1") == pytest.approx(0.8)


def test_rack_weight_override_reaches_the_floor_check() -> None:
    d = Design(floor_rating_kg_m2=1200.0)
    d.add("R1", "t.rack250")
    plain = d.analyze(CATALOG)
    # 720 kg on 0.6 m x 1.2 m = 0.72 m2: 1000 kg/m2, under the 1200 kg/m2 floor
    assert plain.rack_floor_kg_m2[0] == pytest.approx(1000.0)
    assert "floor_overload" not in codes(plain)
    d.project.update_items([replace(d.project.items["R1"], weight_kg=1440.0)])
    heavy = d.analyze(CATALOG)
    # 1440 / 0.72 = 2000 kg/m2 > 1200
    assert heavy.rack_floor_kg_m2[0] == pytest.approx(2000.0)
    assert "floor_overload" in codes(heavy)


def test_rack_weight_override_reaches_the_floor_left_in_the_hall() -> None:
    d = Design(floor_rating_kg_m2=1200.0)
    d.add("R1", "t.rack250")
    analyzer = Analyzer(profiles=flat_profiles(0.8), climates={})
    # hall 60 m x 40 m = 2400 m2 at 1200 kg/m2 = 2,880,000 kg; less the rack's 720 kg
    stranded = analyzer.analyze(d.project, CATALOG).stranded
    assert stranded.floor_free_kg[stranded.scope_ids.index("H1")] == pytest.approx(2_880_000.0 - 720.0)
    d.project.update_items([replace(d.project.items["R1"], weight_kg=1440.0)])
    stranded = analyzer.analyze(d.project, CATALOG).stranded  # the same analyzer: cached scopes must follow
    assert stranded.floor_free_kg[stranded.scope_ids.index("H1")] == pytest.approx(2_880_000.0 - 1440.0)
    analyzer.close()


def test_rack_design_kw_and_liquid_fraction_overrides() -> None:
    d = Design()
    d.add("R1", "t.rack250", design_kw=125.0, liquid_fraction=0.5)
    d.add("U1", "t.utility")  # an unpowered rack is unserved and draws nothing (issue 12)
    d.power("U1", "R1")
    d.add("CRAH1", "t.crah150")
    d.add("CDU1", "t.cdu")
    d.cool("CRAH1", "R1")
    d.cool("CDU1", "R1", CoolingMedium.LIQUID)
    results = d.analyze(CATALOG)
    # 125 kW x 0.8 = 100 kW; half liquid, half air
    assert results.rack_it_kw[0] == pytest.approx(100.0)
    assert load_of(results, "CDU1") == pytest.approx(50.0)
    assert load_of(results, "CRAH1") == pytest.approx(50.0)


def test_an_analyzer_that_already_compiled_follows_an_override_edit() -> None:
    d = ups_design()
    analyzer = Analyzer(profiles=flat_profiles(0.8), climates={})
    project = d.project
    assert utilization_of(analyzer.analyze(project, CATALOG), "UPS1") == pytest.approx(0.4)
    project.update_items([replace(project.items["UPS1"], design_kw=250.0)])
    assert utilization_of(analyzer.analyze(project, CATALOG), "UPS1") == pytest.approx(0.8)
    project.update_items([replace(project.items["UPS1"], design_kw=None)])
    assert utilization_of(analyzer.analyze(project, CATALOG), "UPS1") == pytest.approx(0.4)
    # a rack weight edit, too, without a rebuild of the networks
    project.update_items([replace(project.items["R1"], weight_kg=1440.0)])
    assert analyzer.analyze(project, CATALOG).rack_floor_kg_m2[0] == pytest.approx(2000.0)
    analyzer.close()


def test_an_override_on_a_role_without_one_is_ignored_by_the_analysis() -> None:
    # the loader refuses it; a project built in code still never re-rates a utility
    catalog = Catalog(CATALOG.values())
    d = ups_design()
    d.project.update_items([replace(d.project.items["U1"], design_kw=10.0)])
    results = d.analyze(catalog)
    assert results.component_capacity_kw[results.component_index("U1")] == pytest.approx(100_000.0)


def test_twin_ups_of_one_entry_keep_their_own_ratings() -> None:
    # two UPS of the catalog's 500 kW entry, one fitted with 250 kW: the graph build works out an entry's
    # figures once per entry it reads, and each UPS must get its own (not its twin's)
    d = Design()
    d.add("U1", "t.utility")
    d.add("UPS1", "t.ups500_loss", design_kw=250.0)
    d.add("UPS2", "t.ups500_loss")
    d.add("R1", "t.rack250")
    d.add("R2", "t.rack250")
    d.add("CRAH1", "t.crah150")
    for ups, rack in (("UPS1", "R1"), ("UPS2", "R2")):
        d.power("U1", ups)
        d.power(ups, rack)
        d.cool("CRAH1", rack)
    results = d.analyze(CATALOG)
    assert results.component_capacity_kw[results.component_index("UPS1")] == pytest.approx(250.0)
    assert results.component_capacity_kw[results.component_index("UPS2")] == pytest.approx(500.0)
    # each carries its rack's 250 x 0.8 = 200 kW; loss a*R + b*P + c*P^2/R:
    #   UPS1, R = 250: 0.012*250 + 0.015*200 + 0.008*200^2/250 = 3 + 3 + 1.28 = 7.28 kW
    #   UPS2, R = 500: 0.012*500 + 0.015*200 + 0.008*200^2/500 = 6 + 3 + 0.64 = 9.64 kW
    assert results.component_loss_kw[results.component_index("UPS1")] == pytest.approx(7.28)
    assert results.component_loss_kw[results.component_index("UPS2")] == pytest.approx(9.64)
