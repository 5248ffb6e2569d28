"""Facility energy: supply temperatures, free cooling, the hourly energy balance and annual PUE."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from designer.analysis.climate import Climate, load_climates
from designer.analysis.facility import (
    CoolingSystem,
    RejectionPlant,
    annual_energy,
    cooling_system_from_catalog,
    facility_power,
    free_cooling_fraction,
    supply_temperature_c,
)
from designer.model.catalog import CatalogEntry
from designer.model.types import Confidence, ItemKind, Role

DRY_W32 = RejectionPlant(
    supply_c=32.0,
    return_c=42.0,
    approach_k=10.0,
    sink="dry_bulb",
    free_cooling=True,
    free_fan_kw_per_kw=0.02,
    cop_mechanical=3.5,
    capacity_kw=1000.0,
)
CHILLER_A1 = RejectionPlant(
    supply_c=18.0,
    return_c=24.0,
    approach_k=10.0,
    sink="dry_bulb",
    free_cooling=False,
    free_fan_kw_per_kw=0.0,
    cop_mechanical=3.5,
    capacity_kw=500.0,
)
LIQUID_ONLY = CoolingSystem(
    air_fan_kw_per_kw=0.0,
    liquid_pump_kw_per_kw=0.0,
    liquid_plant=DRY_W32,
    air_plant=None,
    lighting_fraction=0.0,
    misc_fraction=0.0,
)


def _entry(entry_id: str, role: Role, capacity_kw: float, **parameters: float | str | bool) -> CatalogEntry:
    return CatalogEntry(
        id=entry_id,
        kind=ItemKind.COOLING,
        role=role,
        name=entry_id,
        width_mm=1000.0,
        depth_mm=1000.0,
        source="test",
        confidence=Confidence.ESTIMATE,
        capacity_kw=capacity_kw,
        parameters=parameters,
    )


def test_supply_temperatures() -> None:
    assert supply_temperature_c("W32") == 32.0
    assert supply_temperature_c("W17") == 17.0
    assert supply_temperature_c("w45") == 45.0
    # air: recommended upper supply air 27 °C minus a 9 K coil approach = 18 °C chilled water
    assert supply_temperature_c("A1") == 18.0
    assert supply_temperature_c("A4") == 18.0
    # H1: 22 - 9 = 13 °C
    assert supply_temperature_c("H1") == 13.0
    with pytest.raises(ValueError):
        supply_temperature_c("W99")


def test_free_cooling_fraction_by_hand() -> None:
    fraction = free_cooling_fraction(np.array([15.0, 25.0, 35.0]), 32.0, 42.0, 10.0)
    # 15 + 10 = 25 <= 32 -> 1;  25 + 10 = 35 -> (42 - 35) / (42 - 32) = 0.7;  35 + 10 = 45 >= 42 -> 0
    assert np.allclose(fraction, [1.0, 0.7, 0.0])
    with pytest.raises(ValueError):
        free_cooling_fraction(np.array([10.0]), 32.0, 32.0, 5.0)


def test_free_partial_and_mechanical_hours_by_hand() -> None:
    power = facility_power(1000.0, 0.0, 1000.0, 0.0, LIQUID_ONLY, np.array([15.0, 25.0, 35.0]), 0.0)
    # dry-cooler fans run every hour: 1000 x 0.02 = 20 kW
    # compressor (air-cooled curve, 32 °C water clamped to the curve's 10 °C, capacity unknown: full load;
    # EIRFT(10, y) / EIRFT(6.67, 35) = 0.701009 at 25 °C and 0.921803 at 35 °C, see test_chillers):
    # free 1 -> 0;  free 0.7 -> 1000 x 0.3 / 3.5 x 0.701009 = 60.0865;  free 0 -> 1000 / 3.5 x 0.921803 = 263.3723
    assert np.allclose(power.chiller_kw, [0.0, 60.0865, 263.3723], atol=1e-3)
    assert np.allclose(power.heat_rejection_kw, [20.0, 80.0865, 283.3723], atol=1e-3)
    assert np.allclose(power.facility_kw, [1020.0, 1080.0865, 1283.3723], atol=1e-3)
    assert np.allclose(power.pue, [1.02, 1.0800865, 1.2833723], atol=1e-6)
    assert np.allclose(power.free_fraction_liquid, [1.0, 0.7, 0.0])
    assert np.all(power.free_fraction_air == 1.0)  # no air plant: nothing to chill


def test_every_part_by_hand() -> None:
    system = CoolingSystem(
        air_fan_kw_per_kw=0.03,
        liquid_pump_kw_per_kw=0.01,
        liquid_plant=RejectionPlant(42.0, 52.0, 10.0, "dry_bulb", True, 0.02, 3.5, 1000.0),
        air_plant=CHILLER_A1,
    )
    # IT 1000 kW, 85 % liquid; indoor electrical loss 40 kW joins the air heat: 150 + 40 = 190 kW
    power = facility_power(1000.0, 40.0, 850.0, 190.0, system, 20.0, 15.0)
    # lighting 0.5 % = 5, misc 0.5 % = 5; air heat 190 + 5 = 195; air fans 195 x 0.03 = 5.85
    assert power.lighting_kw == pytest.approx(5.0)
    assert power.misc_kw == pytest.approx(5.0)
    assert power.fan_kw == pytest.approx(5.85)
    # pumps 850 x 0.01 = 8.5; liquid plant takes 858.5, free (20 + 10 = 30 <= 42): fans 858.5 x 0.02 = 17.17
    assert power.pump_kw == pytest.approx(8.5)
    # air plant takes 195 + 5.85 = 200.85 with no free cooling, at 20 °C outdoor (EIRFT ratio 0.627178):
    # 200.85 / 3.5 x 0.627178 = 35.99104
    assert power.chiller_kw == pytest.approx(35.99104, abs=1e-4)
    assert power.heat_rejection_kw == pytest.approx(17.17 + 35.99104, abs=1e-4)
    # cooling 5.85 + 8.5 + 53.16104 = 67.51104; facility 1000 + 40 + 67.51104 + 5 + 5 = 1117.51104
    assert power.cooling_kw == pytest.approx(67.51104, abs=1e-4)
    assert power.facility_kw == pytest.approx(1117.51104, abs=1e-4)
    assert power.pue == pytest.approx(1.11751104, abs=1e-7)
    assert power.pue.shape == ()


def test_zero_it_gives_nan_pue_and_no_negative_inputs() -> None:
    power = facility_power(np.array([0.0, 100.0]), 0.0, 0.0, 0.0, LIQUID_ONLY, 10.0, 5.0)
    assert np.isnan(power.pue[0])
    assert power.pue[1] == pytest.approx(1.0)  # no heat: nothing but IT
    with pytest.raises(ValueError):
        facility_power(-1.0, 0.0, 0.0, 0.0, LIQUID_ONLY, 10.0, 5.0)


def test_results_have_the_broadcast_shape_and_are_read_only() -> None:
    power = facility_power(np.ones((3, 24)), 0.0, np.ones(24), 0.0, LIQUID_ONLY, np.zeros((3, 1)), 0.0)
    for name in ("it_kw", "electrical_loss_kw", "fan_kw", "chiller_kw", "facility_kw", "free_fraction_air"):
        assert getattr(power, name).shape == (3, 24)
    with pytest.raises(ValueError):
        power.facility_kw[0, 0] = 0.0


plants = st.builds(
    RejectionPlant,
    supply_c=st.floats(5.0, 45.0),
    return_c=st.just(55.0),
    approach_k=st.floats(0.0, 15.0),
    sink=st.sampled_from(["dry_bulb", "wet_bulb"]),
    free_cooling=st.booleans(),
    free_fan_kw_per_kw=st.floats(0.0, 0.05),
    cop_mechanical=st.floats(2.0, 8.0),
    capacity_kw=st.floats(0.0, 1e4),
)
systems = st.builds(
    CoolingSystem,
    air_fan_kw_per_kw=st.floats(0.0, 0.2),
    liquid_pump_kw_per_kw=st.floats(0.0, 0.05),
    liquid_plant=st.none() | plants,
    air_plant=st.none() | plants,
    lighting_fraction=st.floats(0.0, 0.05),
    misc_fraction=st.floats(0.0, 0.02),
)
loads = st.lists(st.floats(0.0, 5e4), min_size=6, max_size=6)
temperatures = st.lists(st.floats(-30.0, 50.0), min_size=6, max_size=6)


@settings(max_examples=200, deadline=None)
@given(system=systems, it=loads, liquid_share=st.floats(0.0, 1.0), loss_frac=st.floats(0.0, 0.1), dry=temperatures)
def test_energy_balance_holds(
    system: CoolingSystem, it: list[float], liquid_share: float, loss_frac: float, dry: list[float]
) -> None:
    it_kw = np.array(it)
    loss_kw = it_kw * loss_frac
    liquid_kw = it_kw * liquid_share
    air_kw = it_kw - liquid_kw + loss_kw
    dry_c = np.array(dry)
    wet_c = dry_c - 3.0
    power = facility_power(it_kw, loss_kw, liquid_kw, air_kw, system, dry_c, wet_c)
    parts = [power.fan_kw, power.pump_kw, power.heat_rejection_kw, power.chiller_kw, power.lighting_kw, power.misc_kw]
    assert all(np.all(part >= 0.0) for part in parts)
    assert np.allclose(power.cooling_kw, power.fan_kw + power.pump_kw + power.heat_rejection_kw)
    total = power.it_kw + power.electrical_loss_kw + power.cooling_kw + power.lighting_kw + power.misc_kw
    assert np.allclose(power.facility_kw, total)
    assert np.all(power.chiller_kw <= power.heat_rejection_kw + 1e-9)
    loaded = it_kw > 0
    assert np.all(power.pue[loaded] >= 1.0)
    assert np.all(np.isnan(power.pue[~loaded]))
    for fraction in (power.free_fraction_liquid, power.free_fraction_air):
        assert np.all((fraction >= 0.0) & (fraction <= 1.0))


def test_cooling_system_from_catalog_weights_by_capacity() -> None:
    crahs = [_entry("c1", Role.CRAH, 100.0, fan_kw_per_kw=0.02), _entry("c2", Role.CRAH, 300.0, fan_kw_per_kw=0.04)]
    cdus = [_entry("cdu", Role.CDU, 1500.0, pump_kw_per_kw=0.01, approach_k=3.0)]
    dry = _entry(
        "dry", Role.DRY_COOLER, 1000.0, sink="dry_bulb", approach_k=10.0, free_cooling=True, fan_kw_per_kw=0.02
    )
    chiller = _entry("ch", Role.CHILLER_AIR, 1500.0, sink="dry_bulb", free_cooling=False, cop_mechanical=3.2)
    system = cooling_system_from_catalog(crahs, cdus, [dry, chiller], "A1", "W32")
    # fans (100 x 0.02 + 300 x 0.04) / 400 = 14 / 400 = 0.035
    assert system.air_fan_kw_per_kw == pytest.approx(0.035)
    assert system.liquid_pump_kw_per_kw == pytest.approx(0.01)
    liquid, air = system.liquid_plant, system.air_plant
    assert liquid is not None and air is not None
    # liquid loop: W32 minus the 3 K CDU approach = 29 °C, return 39 °C, on the dry coolers, trimmed by the chiller
    assert (liquid.supply_c, liquid.return_c) == (29.0, 39.0)
    assert (liquid.sink, liquid.approach_k, liquid.free_cooling, liquid.cop_mechanical) == ("dry_bulb", 10.0, True, 3.2)
    assert liquid.free_fan_kw_per_kw == pytest.approx(0.02)
    # air loop: A1 chilled water 18 °C, return 24 °C, on the chiller alone
    assert (air.supply_c, air.return_c, air.free_cooling, air.cop_mechanical) == (18.0, 24.0, False, 3.2)


def test_cooling_system_defaults_and_tower_economiser() -> None:
    bare = cooling_system_from_catalog([], [], [], "A1", "W45")
    assert bare.air_plant is not None and bare.liquid_plant is not None
    assert (bare.air_plant.free_cooling, bare.air_plant.cop_mechanical) == (False, 3.5)
    # no CDU: default 3 K approach -> 45 - 3 = 42 °C
    assert bare.liquid_plant.supply_c == 42.0
    tower = _entry("t", Role.COOLING_TOWER, 3000.0, sink="wet_bulb", approach_k=5.0, fan_kw_per_kw=0.015)
    chiller = _entry("wc", Role.CHILLER_WATER, 3000.0, cop_mechanical=6.5)
    legacy = cooling_system_from_catalog([_entry("c", Role.CRAH, 150.0)], [], [tower, chiller], "A2", "W32")
    assert legacy.air_plant is not None
    assert (legacy.air_plant.sink, legacy.air_plant.approach_k) == ("wet_bulb", 5.0)
    assert (legacy.air_plant.free_cooling, legacy.air_plant.cop_mechanical) == (True, 6.5)
    assert legacy.air_fan_kw_per_kw == pytest.approx(0.03)  # CRAH without fan_kw_per_kw: default


def _liquid_only(liquid_class: str) -> CoolingSystem:
    supply_c = supply_temperature_c(liquid_class) - 3.0
    plant = RejectionPlant(supply_c, supply_c + 10.0, 10.0, "dry_bulb", True, 0.02, 3.5, 1000.0)
    return CoolingSystem(0.0, 0.0, plant, None, lighting_fraction=0.0, misc_fraction=0.0)


def test_annual_energy_on_a_mild_flat_climate_by_hand() -> None:
    mild = Climate("mild", "Mild", 0.0, 0.0, 0.0, np.full(12, 11.0), np.full(12, 10.0), np.full(12, 5.0), "test")
    it = np.full(24, 1000.0)
    zero = np.zeros(24)
    year = annual_energy(it, zero, it, zero, _liquid_only("W32"), mild)
    # 11 + 10 = 21 <= 29 every hour: always free, facility 1000 + 1000 x 0.02 = 1020 kW
    assert year.it_mwh == pytest.approx(8760.0)  # 1 MW x 8760 h
    assert year.facility_mwh == pytest.approx(8935.2)  # 1.02 MW x 8760 h
    assert year.annual_pue == pytest.approx(1.02)
    liquid, air = {h.loop: h for h in year.loops}["liquid"], {h.loop: h for h in year.loops}["air"]
    assert (liquid.full_free_h, liquid.partial_h, liquid.mechanical_h) == (8760.0, 0.0, 0.0)
    assert air.loaded_h == 0.0  # no air plant and no air heat
    assert year.peak_facility_kw == pytest.approx(1020.0)
    assert np.allclose(year.monthly_pue, 1.02)
    assert year.cooling_mwh == pytest.approx(175.2)  # 20 kW x 8760 h


def test_free_cooling_hours_follow_climate_and_class() -> None:
    climates = load_climates()
    it = np.full(24, 1000.0)
    zero = np.zeros(24)

    def hours(climate_id: str, liquid_class: str) -> float:
        loops = annual_energy(it, zero, it, zero, _liquid_only(liquid_class), climates[climate_id]).loops
        liquid = {h.loop: h for h in loops}["liquid"]
        assert liquid.loaded_h == pytest.approx(8760.0)  # free + partial + mechanical = the year
        return liquid.full_free_h

    # W45 -> 42 °C supply, 10 K approach: free while the dry bulb <= 32 °C.
    # Stockholm peaks at 23.4 °C: all 8760 h.
    assert hours("stockholm", "W45") == 8760.0
    # Singapore: only April (high 32.2, low 25.3) passes 32 °C, at 14:00 (32.03), 15:00 (32.2), 16:00 (32.11):
    # 3 h x 30 days = 90 h with a compressor -> 8670 h
    assert hours("singapore", "W45") == 8670.0
    assert hours("stockholm", "W45") > hours("singapore", "W45")
    # W17 -> 14 °C supply: free only below 4 °C dry bulb; some Stockholm winter hours, no Singapore hours
    assert 0.0 < hours("stockholm", "W17") < hours("stockholm", "W45")
    assert hours("singapore", "W17") == 0.0


def test_annual_pue_is_worse_in_a_hot_climate_on_a_chiller_plant() -> None:
    climates = load_climates()
    crah = [_entry("c", Role.CRAH, 500.0, fan_kw_per_kw=0.03)]
    tower = _entry("t", Role.COOLING_TOWER, 3000.0, sink="wet_bulb", approach_k=5.0, fan_kw_per_kw=0.015)
    chiller = _entry("wc", Role.CHILLER_WATER, 3000.0, cop_mechanical=6.0)
    system = cooling_system_from_catalog(crah, [], [tower, chiller], "A1", "W32")
    it = np.full(24, 1000.0)
    loss = np.full(24, 50.0)
    pue = {
        cid: annual_energy(it, loss, np.zeros(24), it + loss, system, climates[cid]).annual_pue
        for cid in ("stockholm", "singapore")
    }
    assert 1.0 < pue["stockholm"] < pue["singapore"] < 1.6
