"""Hand-worked electrical figures: amps, breaker and cable of a rack feed, voltage drop, imbalance,
Auto-balance, battery minutes, fuel and the training swing."""

from __future__ import annotations

import math

import numpy as np
import pytest
from analysis.analysis_builders import TEST_CATALOG, Design, entry, flat_profiles

from designer.analysis.autonomy import fuel_l_per_h, swing
from designer.analysis.conductors import (
    bundled_conductor_tables,
    pick_breaker,
    pick_conductor,
    voltage_drop_fraction,
)
from designer.analysis.electrical import amps, electrical_figures, item_figures
from designer.analysis.phase_balance import balance_phases, imbalance
from designer.model import Catalog, LossModel, Role, WorkloadClass
from designer.model.types import FeedSide, Phase

IEC_CU = bundled_conductor_tables()[("iec", "copper")]
NEC_CU = bundled_conductor_tables()[("nec", "copper")]

CATALOG = Catalog([
    *TEST_CATALOG.values(),
    entry("e.source", Role.UTILITY, 10_000.0, parameters={"voltage_v": 415.0}),
    entry("e.busway", Role.BUSWAY, 273.1, width_mm=6000.0, depth_mm=200.0,
          parameters={"voltage_v": 415.0, "current_a": 400.0, "kva": 287.5}),
    entry("e.rpp", Role.RPP, 273.1, parameters={"voltage_v": 415.0, "current_a": 400.0}),
    entry("e.rack130", Role.RACK, 130.0, workload=WorkloadClass.TRAINING, parameters={"power_factor": 1.0}),
    entry("e.rack1ph", Role.RACK, 10.0, workload=WorkloadClass.GENERAL,
          parameters={"power_factor": 1.0, "phases": 1}),
    entry("e.ups", Role.UPS, 500.0, loss=LossModel(0.0, 0.0, 0.0),
          parameters={"voltage_v": 415.0, "battery_kwh": 50.0}),
    entry("e.ats", Role.ATS, 1000.0, parameters={"voltage_v": 415.0}),
    entry("e.genset", Role.GENERATOR, 520.0, parameters={
        "voltage_v": 415.0, "fuel_l_per_h_full": 100.0, "fuel_fraction_25": 0.286, "fuel_fraction_50": 0.528,
        "fuel_fraction_75": 0.752, "fuel_tank_l": 528.0}),
])
PROFILES = flat_profiles(1.0)


def test_amps_of_a_three_phase_rack() -> None:
    # 130 kW at 415 V, PF 1: 130,000 / (sqrt(3) x 415) = 130,000 / 718.80 = 180.86 A
    assert amps(130.0, 415.0, 3) == pytest.approx(180.86, abs=0.01)
    # one phase of the same system: 10 kW / (415 / sqrt(3) = 239.60 V) = 41.74 A
    assert amps(10.0, 415.0, 1) == pytest.approx(41.74, abs=0.01)


def test_breaker_and_conductor_from_the_tables() -> None:
    # 180.86 A continuous / 0.8 = 226.1 A -> the next IEC 60947-2 rating is 250 A (200 A is short)
    assert pick_breaker(IEC_CU, 180.86 / 0.8) == 250.0
    # a 250 A breaker needs Iz >= 250 A: XLPE copper, method E, 70 mm² carries 246 A (short), 95 mm² 298 A
    cable = pick_conductor(IEC_CU, 250.0)
    assert cable is not None and (cable.conductor.size, cable.parallel) == ("95 mm²", 1)
    # NEC 240.6(A): 226.1 A -> 250 A; 310.16 75 °C copper: 4/0 carries 230 A (short), 250 kcmil 255 A
    assert pick_breaker(NEC_CU, 226.1) == 250.0
    nec = pick_conductor(NEC_CU, 250.0)
    assert nec is not None and nec.conductor.size == "250 kcmil"
    # 1,000 A: 300 mm² carries 621 A, so two sets of the smallest that do: 2 x 185 mm² = 2 x 456 = 912 A is
    # short, 2 x 240 mm² = 1,076 A
    big = pick_conductor(IEC_CU, 1000.0)
    assert big is not None and (big.conductor.size, big.parallel) == ("240 mm²", 2)


def test_voltage_drop_of_a_run() -> None:
    cable = pick_conductor(IEC_CU, 250.0)
    assert cable is not None
    # 95 mm² copper: 0.193 ohm/km at 20 °C; at 90 °C x (1 + 0.00393 x 70) = x 1.2751 -> 0.24609 ohm/km.
    # 180.86 A over 50 m at PF 1 (no reactive term): sqrt(3) x 180.86 x 50 x 0.00024609 = 3.855 V
    # of 415 V = 0.929 %
    drop = voltage_drop_fraction(IEC_CU, cable, 180.86, 50.0, 415.0, 3, 1.0)
    assert drop == pytest.approx(3.855 / 415.0, rel=1e-3)


def _rack_on_busway() -> Design:
    design = Design()
    design.add("src", "e.source")
    design.add("bus", "e.busway")
    design.project.add_items([])
    design.add("rack", "e.rack130")
    design.add("crah", "t.crah150")
    design.power("src", "bus")
    design.power("bus", "rack", FeedSide.A)
    design.cool("crah", "rack")
    # the busway runs along x at y = 1000 mm through x = 2000 mm; the rack sits 1.5 m from its axis
    item = design.project.items["rack"]
    design.project.move_items({"rack": (item.x_mm, 2500.0)})
    return design


def test_a_rack_feed_end_to_end() -> None:
    design = _rack_on_busway()
    results = design.analyze(CATALOG, level=1.0)
    figures = electrical_figures(design.project, CATALOG, results, profiles=PROFILES)
    rack = figures.node("rack")
    assert rack is not None and rack.design_a == pytest.approx(180.86, abs=0.01)
    (feed,) = figures.feeds_of("rack")
    assert feed.breaker_a == 250.0 and feed.cable == "95 mm²"
    # route 1,500 mm off the busway axis; length = 1.5 m x 1.10 slack + 3.0 m vertical = 4.65 m
    assert feed.route_m == pytest.approx(1.5)
    assert feed.length_m == pytest.approx(4.65)
    # the busway: 180.86 A of its 400 A = 45 %, under the 80 % continuous limit: no current finding
    assert {f.code for f in figures.findings}.isdisjoint({"current_over_rating", "current_above_continuous"})
    node, feeds = item_figures(design.project, CATALOG, results, "rack")
    assert node == rack and feeds == (feed,)


def test_a_busway_past_its_continuous_rating() -> None:
    design = _rack_on_busway()
    design.add("rack2", "e.rack130")
    design.power("bus", "rack2", FeedSide.A)
    design.cool("crah", "rack2")
    # beyond the busway's end: it runs 6 m along x centred on x = 2 m (-1 m to 5 m); rack2 at x = 7 m on its axis
    design.project.move_items({"rack2": (7000.0, 1000.0)})
    results = design.analyze(CATALOG, level=1.0)
    figures = electrical_figures(design.project, CATALOG, results, profiles=PROFILES)
    # the run must reach rack2: from -1 m to 7 m = 8 m; rack2's tap-off route is the 2 m past the end
    assert [(b.item_id, b.length_m) for b in figures.busways] == [("bus", pytest.approx(8.0))]
    (feed2,) = figures.feeds_of("rack2")
    assert feed2.route_m == pytest.approx(2.0)
    # two racks: 361.7 A on the 400 A busway = 90 %: above 80 % continuous, within the rating
    bus = figures.node("bus")
    assert bus is not None and bus.design_a == pytest.approx(2 * 180.86, abs=0.05)
    assert "current_above_continuous" in {f.code for f in figures.findings}
    # a project rated for 100 % continuous operation accepts it
    design.project.set_settings(design.project.settings.__class__(continuous_derating=1.0))
    figures = electrical_figures(design.project, CATALOG, design.analyze(CATALOG, level=1.0), profiles=PROFILES)
    assert "current_above_continuous" not in {f.code for f in figures.findings}


def test_imbalance_figure() -> None:
    # L1 20 A, L2 10 A, L3 0 A: mean 10 A, largest deviation 10 A -> 100 %
    assert imbalance(np.array([[20.0], [10.0], [0.0]]))[0] == pytest.approx(1.0)
    # 30/30/24 A: mean 28, deviation 4 -> 14.3 %
    assert imbalance(np.array([[30.0], [30.0], [24.0]]))[0] == pytest.approx(4 / 28)


def _single_phase_panel(phases: tuple[Phase | None, ...]) -> Design:
    design = Design()
    design.add("src", "e.source")
    design.add("rpp", "e.rpp")
    design.add("crah", "t.crah150")
    design.power("src", "rpp")
    for n, phase in enumerate(phases):
        rack = design.add(f"r{n}", "e.rack1ph", phase=phase)
        design.power("rpp", rack)
        design.cool("crah", rack)
    return design


def test_panel_imbalance_and_auto_balance() -> None:
    design = _single_phase_panel((Phase.L1, Phase.L1, Phase.L2))
    results = design.analyze(CATALOG, level=1.0)
    figures = electrical_figures(design.project, CATALOG, results, profiles=PROFILES)
    panel = figures.panel("rpp")
    # each 10 kW rack at PF 1 draws 41.74 A on its phase: L1 83.5, L2 41.7, L3 0; mean 41.7, deviation 41.7
    assert panel is not None and panel.phase_a == pytest.approx((83.48, 41.74, 0.0), abs=0.01)
    assert panel.imbalance == pytest.approx(1.0)
    assert "phase_imbalance" in {f.code for f in figures.findings}
    balanced = balance_phases(design.project, CATALOG, results, PROFILES)
    assert sorted(balanced.values()) == [Phase.L1, Phase.L2, Phase.L3]


def test_an_unassigned_single_phase_load_makes_the_balance_unknown() -> None:
    design = _single_phase_panel((Phase.L1, Phase.L2, None))
    figures = electrical_figures(design.project, CATALOG, design.analyze(CATALOG, level=1.0), profiles=PROFILES)
    panel = figures.panel("rpp")
    assert panel is not None and panel.imbalance is None and panel.unassigned == ("r2",)
    assert "phase_unassigned" in {f.code for f in figures.findings}


def test_battery_minutes() -> None:
    design = Design()
    design.add("src", "e.source")
    design.add("ups", "e.ups")
    design.add("bus", "e.busway")
    design.add("crah", "t.crah150")
    design.power("src", "ups")
    design.power("ups", "bus")
    for n in range(2):
        design.add(f"r{n}", "e.rack130")
        design.power("bus", f"r{n}")
        design.cool("crah", f"r{n}")
    results = design.analyze(CATALOG, level=1.0)
    figures = electrical_figures(design.project, CATALOG, results, profiles=PROFILES)
    (ups,) = figures.ups
    # 2 x 130 kW through a lossless UPS (the busway has no losses either): 50 kWh / 260 kW x 60 = 11.54 min
    assert ups.draw_kw == pytest.approx(260.0)
    assert ups.minutes == pytest.approx(50.0 / 260.0 * 60.0)


def test_fuel_curve_and_swing() -> None:
    genset = entry("g", Role.GENERATOR, 2000.0, parameters={
        "fuel_l_per_h_full": 515.0, "fuel_fraction_25": 0.286, "fuel_fraction_50": 0.528,
        "fuel_fraction_75": 0.752})
    # at 60 % load: between 50 % (0.528) and 75 % (0.752): 0.528 + 0.4 x 0.224 = 0.6176 of 515 = 318.1 L/h
    assert fuel_l_per_h(genset, 0.6) == pytest.approx(515.0 * 0.6176)
    assert fuel_l_per_h(entry("n", Role.GENERATOR, 1.0), 0.5) is None
    # 1,000 kW of training nameplate: step (0.80 - 0.30) x 1,000 = 500 kW within 1 s; a 100 kW/s limit lets
    # the grid take 100 kW in that second, the batteries 400 kW, for 400 / 100 = 4 s: 400² / (2 x 100) =
    # 800 kJ = 0.222 kWh
    estimate = swing(2025, 0.2, 10, 1000.0, 1.0, 100.0, 0.0)
    assert estimate.step_kw == pytest.approx(500.0)
    assert estimate.smoothing_kw == pytest.approx(400.0)
    assert estimate.smoothing_s == pytest.approx(4.0)
    assert estimate.smoothing_kwh == pytest.approx(800.0 / 3600.0)
    assert not estimate.covered
    assert math.isclose(swing(None, 0.0, 1, 100.0, 1.0, 100.0, 0.0).smoothing_kw, 0.0)


def test_generator_fuel_hours() -> None:
    design = Design()
    for item_id, catalog_id in (("utility", "e.source"), ("genset", "e.genset"), ("ats", "e.ats"),
                                ("bus", "e.busway"), ("crah", "t.crah150")):
        design.add(item_id, catalog_id)
    design.power("utility", "ats")
    design.power("genset", "ats")
    design.power("ats", "bus")
    for n in range(2):
        design.add(f"r{n}", "e.rack130")
        design.power("bus", f"r{n}")
        design.cool("crah", f"r{n}")
    figures = electrical_figures(design.project, CATALOG, design.analyze(CATALOG, level=1.0), profiles=PROFILES)
    (genset,) = figures.generators
    # the utility lost, the set carries both racks: 260 kW of its 520 kW = 50 % -> 0.528 x 100 L/h = 52.8 L/h;
    # 528 L / 52.8 L/h = 10 h
    assert not genset.at_rating and genset.load_kw == pytest.approx(260.0)
    assert genset.fuel_l_per_h == pytest.approx(52.8)
    assert genset.hours == pytest.approx(10.0)
    # standby: in normal running the set's feed carries nothing, with the utility lost all of it
    (standby,) = [f for f in figures.feeds_of("ats") if f.source_id == "genset"]
    assert standby.load_kw == 0.0 and standby.design_kw == pytest.approx(260.0)


def test_the_panel_figures_agree_with_the_loads_auto_balance_reads() -> None:
    # the vectorised panel sums and the per-load arrays Auto-balance works on are one rule
    from designer.analysis.phase_balance import _panel_loads, _phase_array, panel_phases, rack_day_kw
    from designer.analysis.supply_voltage import SupplyVoltages

    design = _single_phase_panel((Phase.L1, Phase.L2, Phase.L2))
    design.add("big", "e.rack130")
    design.power("rpp", "big")
    design.cool("crah", "big")
    results = design.analyze(CATALOG, level=1.0)
    voltages = SupplyVoltages(design.project, CATALOG)
    day = rack_day_kw(design.project, CATALOG, results, PROFILES)
    (panel,) = panel_phases(design.project, CATALOG, day, voltages, 415.0)
    total = _phase_array(_panel_loads(design.project, CATALOG, day, voltages, 415.0)["rpp"])
    assert panel.phase_a == pytest.approx(tuple(total[:, panel.worst_hour]))
    # 130 kW three-phase: 180.86 A on each; 10 kW singles: 41.74 A -> L1 222.6, L2 264.3, L3 180.9 A;
    # mean 222.6, largest deviation 41.74 -> 18.75 %
    assert panel.phase_a == pytest.approx((222.60, 264.34, 180.86), abs=0.02)
    assert panel.imbalance == pytest.approx(41.74 / 222.60, rel=1e-3)


def test_a_transformer_carries_its_ratio_and_kva() -> None:
    design = Design()
    design.add("src", "e.source")
    xfmr = entry("e.xfmr", Role.TRANSFORMER, 2850.0, parameters={"kva": 3000.0, "voltage_v": 415.0,
                                                               "mv_voltage_v": 11000.0})
    catalog = Catalog([*CATALOG.values(), xfmr])
    design.add("x", "e.xfmr")
    design.add("bus", "e.busway")
    design.add("crah", "t.crah150")
    design.add("rack", "e.rack130")
    design.power("src", "x")
    design.power("x", "bus")
    design.power("bus", "rack")
    design.cool("crah", "rack")
    figures = electrical_figures(design.project, catalog, design.analyze(catalog, level=1.0), profiles=PROFILES)
    node = figures.node("x")
    # 3,000 kVA at 415 V: 3,000,000 / (sqrt(3) x 415) = 4,173.6 A on the LV side, fed at 11 kV
    assert node is not None and node.rated_kva == 3000.0 and node.primary_voltage_v == 11000.0
    assert node.rated_a == pytest.approx(4173.6, abs=0.1)
    # the transformer's own feed runs at its primary voltage: medium voltage, not sized from the LV tables
    (feed,) = figures.feeds_of("x")
    assert feed.voltage_v == 11000.0 and feed.breaker_a is None and feed.cable == ""
