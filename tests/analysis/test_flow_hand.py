"""Hand-worked load, loss and redundancy cases; the arithmetic is in the comments."""

from __future__ import annotations

import pytest
from analysis.analysis_builders import Design, codes, load_of, utilization_of

from designer.model import CoolingMedium, FeedSide, PlacedItem


def single_rack_on_ups() -> Design:
    d = Design()
    d.add("U1", "t.utility")
    d.add("UPS1", "t.ups")
    d.add("R1", "t.rack100")
    d.add("CRAH1", "t.crah150")
    d.power("U1", "UPS1")
    d.power("UPS1", "R1")
    d.cool("CRAH1", "R1")
    return d


def test_single_rack_ups_losses() -> None:
    results = single_rack_on_ups().analyze()
    # rack: 100 kW design x 0.8 utilisation = 80 kW
    assert results.rack_it_kw[0] == pytest.approx(80.0)
    # UPS R = 1250: loss = a*R + b*P + c*P^2/R = 0.012*1250 + 0.015*80 + 0.008*80^2/1250
    #                   = 15 + 1.2 + 0.04096 = 16.24096 kW
    ups = results.component_index("UPS1")
    assert results.component_load_kw[ups] == pytest.approx(80.0)
    assert results.component_loss_kw[ups] == pytest.approx(16.24096)
    # the utility upstream sees load + losses = 96.24096 kW
    assert load_of(results, "U1") == pytest.approx(96.24096)
    # utilisation of the UPS: 80 / 1250 = 0.064
    assert utilization_of(results, "UPS1") == pytest.approx(0.064)
    # electrical losses over the day: only the UPS loses power
    assert results.electrical_loss_kw == pytest.approx([16.24096] * 24)
    # cooling: the rack's 80 kW of air heat plus the UPS's 16.24096 kW of losses in the same hall
    assert load_of(results, "CRAH1") == pytest.approx(96.24096)
    assert results.rack_heat_air_kw[0] == pytest.approx(80.0)
    assert results.rack_heat_liquid_kw[0] == pytest.approx(0.0)
    assert not {"no_power_path", "no_cooling_path", "over_capacity"} & codes(results)


def test_design_kw_override_and_hour() -> None:
    d = single_rack_on_ups()
    d.project.update_items([PlacedItem("R1", "t.rack100", "H1", 3000.0, 1000.0, design_kw=50.0)])
    results = d.analyze(hour=5)
    # 50 kW x 0.8 = 40 kW
    assert results.hour == 5
    assert results.rack_it_kw[0] == pytest.approx(40.0)
    # loss = 15 + 0.015*40 + 0.008*1600/1250 = 15 + 0.6 + 0.01024 = 15.61024
    assert load_of(results, "U1") == pytest.approx(40.0 + 15.61024)


def two_n_pair(racks: int = 4) -> Design:
    """Utility A/B -> lossless UPS A/B -> racks, each rack A from UPS-A and B from UPS-B."""
    d = Design()
    for side in "AB":
        d.add(f"U{side}", "t.utility")
        d.add(f"UPS{side}", "t.ups_lossless")
        d.power(f"U{side}", f"UPS{side}")
    for i in range(racks):
        rack = d.add(f"R{i}", "t.rack100")
        d.power("UPSA", rack, FeedSide.A)
        d.power("UPSB", rack, FeedSide.B)
    d.add("CRAH1", "t.crah150")
    d.add("CRAH2", "t.crah150")
    d.add("CRAH3", "t.crah150")
    for i in range(racks):
        for crah in ("CRAH1", "CRAH2", "CRAH3"):
            d.cool(crah, f"R{i}")
    return d


def test_2n_pair_one_side_fails() -> None:
    results = two_n_pair().analyze()
    # 4 racks x 80 kW = 320 kW, half on each side: 160 kW per UPS, 160/1250 = 0.128
    assert load_of(results, "UPSA") == pytest.approx(160.0)
    assert load_of(results, "UPSB") == pytest.approx(160.0)
    assert utilization_of(results, "UPSA") == pytest.approx(0.128)
    # UPS-A fails: the B side carries all 320 kW -> 0.256, double its normal utilisation
    record = results.failure("UPSA")
    assert record.racks_without_power == ()
    assert record.overloaded == ()
    worst_b = results.component_worst_failure_utilization[results.component_index("UPSB")]
    assert worst_b == pytest.approx(0.256)
    assert worst_b == pytest.approx(2 * utilization_of(results, "UPSB"))
    # utility A failing has the same effect
    assert results.failure("UA").racks_without_power == ()
    assert results.rack_survives_single_failures.all()
    # 3 CRAHs x 150 kW share 320 kW: 106.67 each; one fails -> 160 each > 150: overloaded
    crah_record = results.failure("CRAH1")
    assert set(crah_record.overloaded) == {"CRAH2", "CRAH3"}
    assert not results.survives_all_single_failures


def crah_group(total_kw: float) -> Design:
    """4 CRAHs of 150 kW in one N+1 group cooling racks of ``total_kw`` in all (at utilisation 1)."""
    d = Design()
    d.add("U1", "t.utility")
    for i in range(4):
        d.add(f"CRAH{i}", "t.crah150", group="room1")
    for i in range(5):
        d.add(f"R{i}", "t.rack100", design_kw=total_kw / 5)
        d.power("U1", f"R{i}")
        for c in range(4):
            d.cool(f"CRAH{c}", f"R{i}")
    return d


def test_n_plus_1_crah_group_at_the_limit() -> None:
    results = crah_group(450.0).analyze(level=1.0)
    # 450 kW over 4 units = 112.5 kW each = 75 %
    for i in range(4):
        assert load_of(results, f"CRAH{i}") == pytest.approx(112.5)
    # one fails: 450 / 3 = 150 kW each = 100 %: at the limit, not over
    record = results.failure("CRAH0")
    assert record.overloaded == ()
    assert record.racks_without_cooling == ()
    worst = results.component_worst_failure_utilization[results.component_index("CRAH1")]
    assert worst == pytest.approx(1.0)
    (group,) = results.groups
    assert group.group == "room1"
    assert group.worst_utilization == pytest.approx(1.0)
    assert group.survives


def test_n_plus_1_crah_group_overloaded() -> None:
    results = crah_group(500.0).analyze(level=1.0)
    # 500 / 4 = 125 kW each (83 %, above the 80 % derating); one fails: 500 / 3 = 166.7 kW = 111 %
    assert load_of(results, "CRAH1") == pytest.approx(125.0)
    assert "above_derating" in codes(results)
    record = results.failure("CRAH0")
    assert set(record.overloaded) == {"CRAH1", "CRAH2", "CRAH3"}
    worst = results.component_worst_failure_utilization[results.component_index("CRAH1")]
    assert worst == pytest.approx(500.0 / 3 / 150.0)
    overload = [f for f in results.findings if f.code == "single_failure_overload"]
    assert overload and overload[0].item_ids[0] == "CRAH0"
    assert not results.groups[0].survives


def test_false_redundancy_names_the_shared_ups() -> None:
    d = Design()
    d.add("U1", "t.utility")
    d.add("UPS1", "t.ups")
    d.add("BUSA", "t.busway")
    d.add("BUSB", "t.busway")
    d.add("R1", "t.rack100")
    d.add("CRAH1", "t.crah150")
    d.power("U1", "UPS1")
    d.power("UPS1", "BUSA")
    d.power("UPS1", "BUSB")
    d.power("BUSA", "R1", FeedSide.A)
    d.power("BUSB", "R1", FeedSide.B)
    d.cool("CRAH1", "R1")
    results = d.analyze()
    finding = next(f for f in results.findings if f.code == "false_redundancy")
    assert finding.severity == "error"
    assert finding.item_ids[0] == "UPS1"
    assert "R1" in finding.item_ids
    # and the failure analysis agrees: losing the UPS drops the rack
    assert results.failure("UPS1").racks_without_power == ("R1",)
    assert not results.rack_survives_single_failures[0]


def test_liquid_rack_without_cdu() -> None:
    d = Design()
    d.add("U1", "t.utility")
    d.add("R1", "t.rack_liquid")
    d.add("CRAH1", "t.crah150")
    d.power("U1", "R1")
    d.cool("CRAH1", "R1")
    results = d.analyze()
    finding = next(f for f in results.findings if f.code == "no_liquid_cooling")
    assert finding.item_ids == ("R1",)
    # with a CDU on a liquid connection the finding goes; the heat splits 80 % / 20 %
    d.add("CDU1", "t.cdu")
    d.cool("CDU1", "R1", CoolingMedium.LIQUID)
    results = d.analyze()
    assert "no_liquid_cooling" not in codes(results)
    # 80 kW IT: 64 kW to liquid (CDU), 16 kW to air (CRAH)
    assert load_of(results, "CDU1") == pytest.approx(64.0)
    assert load_of(results, "CRAH1") == pytest.approx(16.0)


def test_wrong_direction_and_rack_feeding() -> None:
    d = single_rack_on_ups()
    d.add("UPS2", "t.ups")
    d.power("R1", "UPS2")
    results = d.analyze()
    assert "rack_feeds" in codes(results)
    d2 = single_rack_on_ups()
    d2.add("XF1", "t.xfmr")
    d2.power("UPS1", "XF1")  # UPS (stage 4) feeding a transformer (stage 2)
    results = d2.analyze()
    finding = next(f for f in results.findings if f.code == "wrong_direction")
    assert finding.item_ids == ("UPS1", "XF1")
    # a cooling unit cannot supply power (to a rack or anything else)
    d3 = single_rack_on_ups()
    d3.power("CRAH1", "R1")
    results = d3.analyze()
    finding = next(f for f in results.findings if f.code == "wrong_type")
    assert finding.item_ids == ("CRAH1", "R1")


def test_power_into_a_cooling_unit() -> None:
    # from a UPS: valid, the CRAH becomes a consumer of the power chain (not a power component)
    d = single_rack_on_ups()
    d.power("UPS1", "CRAH1")
    results = d.analyze()
    assert not {"wrong_type", "wrong_direction", "rack_feeds", "unpowered_cooling"} & codes(results)
    assert list(results.component_ids[results.component_kinds == "power"]) == ["U1", "UPS1"]
    # from a rack PDU (it sits in a rack) or a transformer (upstream of the LV board): wrong type
    for role_id in ("t.rack_pdu", "t.xfmr"):
        d2 = single_rack_on_ups()
        d2.add("F1", role_id)
        d2.power("U1", "F1")
        d2.power("F1", "CRAH1")
        finding = next(f for f in d2.analyze().findings if f.code == "wrong_type")
        assert finding.item_ids == ("F1", "CRAH1")
    # fed, but from a UPS with no path to a source: a warning, and the CRAH still cools
    d3 = single_rack_on_ups()
    d3.add("UPS2", "t.ups")
    d3.power("UPS2", "CRAH1")
    assert "unpowered_cooling" in codes(d3.analyze())


def test_cycle_is_reported_and_ignored_for_flow() -> None:
    d = single_rack_on_ups()
    d.add("UPS2", "t.ups")
    d.power("UPS1", "UPS2")
    d.power("UPS2", "UPS1")
    results = d.analyze()
    finding = next(f for f in results.findings if f.code == "cycle")
    assert set(finding.item_ids) == {"UPS1", "UPS2"}
    assert load_of(results, "UPS1") == pytest.approx(80.0)


def test_unpowered_and_uncooled_racks() -> None:
    d = Design()
    d.add("R1", "t.rack100")
    results = d.analyze()
    assert {"no_power_path", "no_cooling_path"} <= codes(results)


def test_ai_rack_follows_share_and_density() -> None:
    d = Design()
    d.add("U1", "t.utility")
    d.add("R1", "t.rack_ai")
    d.power("U1", "R1")
    profiles_level = 0.5
    results = d.analyze(level=profiles_level, inference_share=0.3)
    # flat profiles: (1 - 0.3) * 0.5 + 0.3 * 0.5 = 0.5 -> 50 kW
    assert results.rack_it_kw[0] == pytest.approx(50.0)
    assert results.inference_share == pytest.approx(0.3)


def test_floor_overload() -> None:
    d = Design(floor_rating_kg_m2=1500.0)
    d.add("R1", "t.rack_liquid")  # 1360 kg on 0.6 x 1.2 = 0.72 m2 -> 1888.9 kg/m2 > 1500
    d.add("R2", "t.rack100")  # 720 kg / 0.72 m2 = 1000 kg/m2
    results = d.analyze()
    assert results.rack_floor_kg_m2 == pytest.approx([1360 / 0.72, 1000.0])
    finding = next(f for f in results.findings if f.code == "floor_overload")
    assert finding.item_ids == ("R1",)


def test_topology_graphs_for_queries() -> None:
    import networkx as nx
    from analysis.analysis_builders import TEST_CATALOG

    from designer.analysis import build_topology

    d = two_n_pair(racks=2)
    topology = build_topology(d.project, TEST_CATALOG)
    assert nx.ancestors(topology.power, "R0") == {"UA", "UB", "UPSA", "UPSB"}
    assert topology.power.edges["UPSA", "R0"]["feed"] is FeedSide.A
    assert topology.cooling.nodes["CRAH1"]["role"].value == "crah"
    assert nx.is_directed_acyclic_graph(topology.power)


def test_generator_is_standby_behind_an_ats() -> None:
    from analysis.analysis_builders import TEST_CATALOG, entry

    from designer.model import Catalog, Role

    catalog = Catalog([*TEST_CATALOG.values(), entry("t.genset", Role.GENERATOR, 2_000.0),
                       entry("t.ats", Role.ATS, 2_000.0)])
    d = Design()
    d.add("U1", "t.utility")
    d.add("G1", "t.genset")
    d.add("ATS1", "t.ats")
    d.add("UPS1", "t.ups_lossless")
    d.add("R1", "t.rack100")
    d.add("CRAH1", "t.crah150")
    d.power("U1", "ATS1")
    d.power("G1", "ATS1")
    d.power("ATS1", "UPS1")
    d.power("UPS1", "R1")
    d.cool("CRAH1", "R1")
    results = d.analyze(catalog)
    # normal running: the utility carries the 80 kW, the generator waits
    assert load_of(results, "U1") == pytest.approx(80.0)
    assert load_of(results, "G1") == pytest.approx(0.0)
    # utility lost: the ATS transfers, the generator carries it all (80 / 2000 = 4 %), the rack survives
    assert results.failure("U1").racks_without_power == ()
    g = results.component_index("G1")
    assert results.component_worst_failure_utilization[g] == pytest.approx(80.0 / 2000.0)
    # but the ATS and the UPS are single points of failure
    assert results.failure("ATS1").racks_without_power == ("R1",)
    assert results.failure("G1").racks_without_power == ()


def test_eco_mode_ups_and_cooling_aux_heat() -> None:
    from analysis.analysis_builders import TEST_CATALOG, UPS_LOSS, entry

    from designer.model import Catalog, Role

    catalog = Catalog([
        *TEST_CATALOG.values(),
        entry("t.ups_eco", Role.UPS, 1_250.0, loss=UPS_LOSS, parameters={"eco_mode": True}),
        entry("t.cdu_pump", Role.CDU, 1_500.0, parameters={"pump_kw_per_kw": 0.01}),
    ])
    d = Design()
    d.add("U1", "t.utility")
    d.add("UPS1", "t.ups_eco")
    d.add("R1", "t.rack_liquid")
    d.add("CRAH1", "t.crah150")
    d.add("CDU1", "t.cdu_pump")
    d.add("DRY1", "t.dry_cooler")
    d.power("U1", "UPS1")
    d.power("UPS1", "R1")
    d.cool("CRAH1", "R1")
    d.cool("CDU1", "R1", CoolingMedium.LIQUID)
    d.cool("DRY1", "CDU1", CoolingMedium.LIQUID)
    results = d.analyze(catalog)
    # eco mode divides the losses by 3: (15 + 1.2 + 0.04096) / 3 = 5.41365 kW
    assert load_of(results, "U1") == pytest.approx(80.0 + 16.24096 / 3)
    # the CDU removes 0.8 x 80 = 64 kW; its pumps add 1 % = 0.64 kW for the dry cooler to reject
    assert load_of(results, "CDU1") == pytest.approx(64.0)
    assert load_of(results, "DRY1") == pytest.approx(64.64)
    # the indoor UPS losses are heat in the hall: the CRAH removes the rack's 16 kW of air heat plus them
    assert load_of(results, "CRAH1") == pytest.approx(16.0 + 16.24096 / 3)
