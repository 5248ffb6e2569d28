"""The plant that follows the weather: chillers by climate, plant pumps, supply-air settings, fans, DX units."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from designer.analysis.climate import load_climates
from designer.analysis.facility import (
    CHILLED_WATER_PUMP_KW_PER_KW,
    CONDENSER_PUMP_KW_PER_KW,
    ECONOMISER_PUMP_KW_PER_KW,
    AirLoopSettings,
    CoolingSystem,
    FanGroup,
    annual_energy,
    cooling_system_from_catalog,
    facility_power,
    pump_kw_per_kw,
)
from designer.model.catalog import CatalogEntry
from designer.model.types import Confidence, ItemKind, Role

IT = np.full(24, 1000.0)
ZERO = np.zeros(24)


def _entry(entry_id: str, role: Role, capacity_kw: float, **parameters: float | str | bool) -> CatalogEntry:
    return CatalogEntry(id=entry_id, kind=ItemKind.COOLING, role=role, name=entry_id, width_mm=1000.0,
                        depth_mm=1000.0, source="test", confidence=Confidence.ESTIMATE, capacity_kw=capacity_kw,
                        parameters=parameters)


def _air_cooled_hall() -> CoolingSystem:
    """One hall of CRAHs (fans 0.03 kW/kW) on a 1,500 kW air-cooled chiller, rated COP 3.5, no economiser."""
    crahs = [_entry("crah", Role.CRAH, 1500.0, fan_kw_per_kw=0.03)]
    chiller = _entry("ch", Role.CHILLER_AIR, 1500.0, free_cooling=False, cop_mechanical=3.5)
    system = cooling_system_from_catalog(crahs, [], [chiller], "A1", "W32")
    return replace(system, lighting_fraction=0.0, misc_fraction=0.0)


def test_air_cooled_chiller_hall_pue_follows_the_climate() -> None:
    climates = load_climates()
    system = _air_cooled_hall()
    years = {cid: annual_energy(IT, ZERO, ZERO, IT, system, climates[cid])
             for cid in ("phoenix", "northern_virginia", "frankfurt")}
    # one hour each, July 15:00 (the month's high): 1,000 kW IT all air, fans 1000 x 0.03 = 30 kW, so the
    # plant takes 1,030 kW at part load 1030 / 1500 = 0.686667:
    #   EIRFPLR per kW = (0.141 + 0.655 x 0.686667 + 0.203 x 0.686667²) / (0.686667 x 0.999) = 1.000734
    # chilled water 27 - 9 = 18 °C, clamped to the curve's 10 °C: EIRFT(10, y) = 0.5755755 - 0.0071724 y + 0.0004875 y²
    #   Phoenix   41.4 °C: 1.1141936 / 0.9999201 = 1.114283 -> 1030 / 3.5 x 1.114283 x 1.000734 = 328.158 kW
    #   N. Va.    31.4 °C: 0.8310176 / 0.9999201 = 0.831084 -> 244.756 kW
    #   Frankfurt 26.0 °C: 0.7186431 / 0.9999201 = 0.718701 -> 211.659 kW
    # chilled-water pumps 1030 x 0.0114 = 11.742 kW; facility = 1000 + 30 + compressor + 11.742
    expected = {"phoenix": 1369.900, "northern_virginia": 1286.498, "frankfurt": 1253.401}
    for cid, year in years.items():
        assert year.hourly.facility_kw[6, 15] == pytest.approx(expected[cid], abs=1e-3), cid
        assert year.hourly.plant_pump_kw[6, 15] == pytest.approx(11.742, abs=1e-6)
    pue = {cid: year.annual_pue for cid, year in years.items()}
    # the climates' order: Phoenix is hottest, Frankfurt coolest
    assert pue["phoenix"] > pue["northern_virginia"] > pue["frankfurt"] > 1.15
    assert pue["phoenix"] - pue["frankfurt"] > 0.03
    # without an economiser every loaded hour is mechanical
    for year in years.values():
        air = {h.loop: h for h in year.loops}["air"]
        assert (air.full_free_h, air.partial_h, air.mechanical_h) == (0.0, 0.0, 8760.0)


def test_plant_pump_defaults_follow_the_pump_law() -> None:
    # Δp / (η ρ c_p ΔT): 200 kPa / (0.7 x 4186 kJ/m³K x 6 K) = 200 / 17581.2 = 0.0113758 -> 0.0114;
    # 150 kPa / (0.7 x 4186 x 5) = 0.010238 -> 0.0102
    assert pump_kw_per_kw(200.0, 0.7, 6.0) == pytest.approx(0.0113758, abs=1e-7)
    assert CHILLED_WATER_PUMP_KW_PER_KW == 0.0114
    assert CONDENSER_PUMP_KW_PER_KW == ECONOMISER_PUMP_KW_PER_KW == 0.0102


def test_tower_plant_pumps_by_hand() -> None:
    crahs = [_entry("crah", Role.CRAH, 1500.0, fan_kw_per_kw=0.0)]
    tower = _entry("t", Role.COOLING_TOWER, 3000.0, sink="wet_bulb", approach_k=5.0, fan_kw_per_kw=0.0)
    chiller = _entry("wc", Role.CHILLER_WATER, 3000.0, cop_mechanical=6.0)
    system = replace(cooling_system_from_catalog(crahs, [], [tower, chiller], "A1", "W32"),
                     lighting_fraction=0.0, misc_fraction=0.0)
    plant = system.air_plant
    assert plant is not None and plant.chiller_kind == "water" and plant.economiser_approach_k == 2.0
    # chilled water 18 °C, return 24 °C; free while wet bulb + 5 + 2 <= 18
    # wet bulb 5 °C: 12 <= 18, all free: pumps = 1000 x 0.0114 + 1000 x 0.0102 (economiser) = 21.6 kW, no compressor
    cold = facility_power(1000.0, 0.0, 0.0, 1000.0, system, 10.0, 5.0)
    assert cold.chiller_kw == pytest.approx(0.0)
    assert cold.plant_pump_kw == pytest.approx(21.6)
    # wet bulb 20 °C: 27 >= 24, all mechanical. Entering condenser water 20 + 5 = 25 °C: EIRFT ratio
    # 0.7883327... at (10, 20) is for 20 °C; at (10, 25): 0.6772577 + 0.117857 - 0.01967 + 0.036035 + 0.1878125
    # - 0.170175 = 0.8291172 -> / 0.9163341 = 0.904819; part load 1000 / 3000 = 0.333 on the bicubic at
    # leaving condenser 30.56 -> clamped 31.13 °C, see chillers.eir_ratio_part_load
    hot = facility_power(1000.0, 0.0, 0.0, 1000.0, system, 30.0, 20.0)
    from designer.analysis.chillers import eir_ratio_part_load

    compressor = 1000.0 / 6.0 * 0.904819 * float(eir_ratio_part_load("water", 1000.0 / 3000.0, 25.0))
    assert hot.chiller_kw == pytest.approx(compressor, rel=1e-5)
    # pumps: chilled water 11.4 + condenser (1000 + compressor) x 0.0102, no economiser pumping
    assert hot.plant_pump_kw == pytest.approx(11.4 + (1000.0 + compressor) * 0.0102, rel=1e-6)
    # the published model puts the pumps of a tower plant at about 0.025 PUE [S49]: 21.6 - 22 kW per MW here
    assert 0.020 < float(hot.plant_pump_kw) / 1000.0 < 0.026


def test_warmer_supply_air_buys_free_cooling_hours() -> None:
    climate = load_climates()["northern_virginia"]
    crahs = [_entry("crah", Role.CRAH, 1500.0, fan_kw_per_kw=0.03, supply_air_c=24.0)]
    dry = _entry("dry", Role.DRY_COOLER, 1500.0, approach_k=10.0, fan_kw_per_kw=0.02)
    chiller = _entry("ch", Role.CHILLER_AIR, 1500.0, free_cooling=False, cop_mechanical=3.5)

    def air_hours(settings: AirLoopSettings) -> tuple[float, float]:
        system = cooling_system_from_catalog(crahs, [], [dry, chiller], "A1", "W32", settings)
        year = annual_energy(IT, ZERO, ZERO, IT, system, climate)
        hours = {h.loop: h for h in year.loops}["air"]
        return hours.full_free_h, year.annual_pue

    # catalog default: supply air 24 °C, chilled water 24 - 9 = 15 °C, free while dry bulb + 10 + 2 <= 15
    catalog_free, catalog_pue = air_hours(AirLoopSettings())
    system = cooling_system_from_catalog(crahs, [], [dry, chiller], "A1", "W32")
    assert system.air_plant is not None and system.air_plant.supply_c == 15.0
    # the project setting overrides the catalog: 27 °C supply air -> 18 °C water
    warm_free, warm_pue = air_hours(AirLoopSettings(supply_air_c=27.0))
    assert warm_free > catalog_free and warm_pue < catalog_pue
    # a closer coil approach and economiser exchanger buy more again
    close_free, _ = air_hours(AirLoopSettings(supply_air_c=27.0, coil_approach_k=6.0, economiser_approach_k=1.0))
    assert close_free > warm_free
    # the return follows the water rise: 27 - 9 = 18 supply, + 8 K = 26 °C return
    wide = cooling_system_from_catalog(crahs, [], [dry, chiller], "A1", "W32",
                                       AirLoopSettings(supply_air_c=27.0, chilled_water_rise_k=8.0))
    assert wide.air_plant is not None and (wide.air_plant.supply_c, wide.air_plant.return_c) == (18.0, 26.0)


def test_fans_follow_the_affinity_law() -> None:
    # 600 kW of air units with fans rated 0.03 kW/kW (18 kW at rated airflow), carrying all the air heat
    contained = FanGroup(capacity_kw=600.0, fan_kw_per_kw=0.03, heat_share=1.0, airflow_factor=1.1)
    legacy = FanGroup(capacity_kw=600.0, fan_kw_per_kw=0.03, heat_share=1.0, airflow_factor=1.6, variable_speed=False)
    heat = np.array([300.0, 450.0, 0.0])
    # contained: airflow ratio 300 x 1.1 / 600 = 0.55 -> 18 x 0.55³ = 2.99475 kW;
    #            450 -> 0.825 -> 18 x 0.5615156 = 10.10728 kW
    assert contained.power_kw(heat) == pytest.approx([2.99475, 10.10728, 0.0], abs=1e-5)
    # fixed speed: the rated 18 kW whenever there is heat
    assert legacy.power_kw(heat) == pytest.approx([18.0, 18.0, 0.0])
    # turn-down stops at 30 % speed: 100 kW -> 0.183 -> 0.3 -> 18 x 0.027 = 0.486 kW
    assert contained.power_kw(np.array([100.0])) == pytest.approx([0.486])


def test_a_self_contained_dx_unit_has_its_own_cop_and_no_plant() -> None:
    dx = _entry("dx", Role.CRAH, 100.0, self_contained=True, cop_mechanical=2.8, fan_kw_per_kw=0.0)
    system = replace(cooling_system_from_catalog([dx], [], [], "A1", "W32"), lighting_fraction=0.0,
                     misc_fraction=0.0)
    assert system.dx_share == 1.0 and system.air_plant is None
    # 50 kW at 35 °C outdoor: 50 / 2.8 x EIRFT(10, 35) / EIRFT(6.67, 35) = 17.857143 x 0.921803 = 16.460768 kW
    power = facility_power(50.0, 0.0, 0.0, 50.0, system, 35.0, 20.0)
    assert power.chiller_kw == pytest.approx(16.460768, abs=1e-5)
    assert power.plant_pump_kw == pytest.approx(0.0)
    assert power.free_fraction_air == pytest.approx(0.0)
