"""Hand-worked economics: NPV of a small cost stream, capex with escalation, WUE and CUE of a small design."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from designer.analysis.economics import (
    capex_by_year,
    cost_stream,
    economics_summary,
    npv,
    site_grid_carbon,
)
from designer.analysis.facility import CoolingSystem, RejectionPlant, facility_power
from designer.model import CoolingMedium, Role, WorkloadClass
from designer.model.economics import (
    CostBasis,
    EconomicsDefaults,
    EconomicsSettings,
    Figure,
    GridRegion,
    TokenThroughput,
    UnitCost,
)
from designer.model.types import Confidence
from tests.analysis.analysis_builders import TEST_CATALOG, Design, entry

E = Confidence.ESTIMATE


def _figure(value: float) -> Figure:
    return Figure(value, "test", 2025, "[T] test default", E, value * 0.5, value * 1.5)


DEFAULTS = EconomicsDefaults(
    currency="USD",
    price_year=2025,
    figures={"tariff_per_kwh": _figure(0.10), "maintenance_rate": _figure(0.02), "discount_rate": _figure(0.10),
             "study_years": _figure(2), "escalation_rate": _figure(0.10), "building_cost_per_mw": _figure(5e6),
             "water_cost_per_m3": _figure(1.0)},
    regions={"R": GridRegion("R", "Test region", 400.0, "direct", 2024, "[T] test", E)},
    climate_regions={},
)


def test_npv_of_a_small_cost_stream() -> None:
    # 100 now, 10 at the end of each of two years, at 10 %: 100 + 10/1.1 + 10/1.21 = 100 + 9.0909 + 8.2645
    assert npv([100.0, 10.0, 10.0], 0.10) == pytest.approx(117.3554, abs=1e-4)
    # capex 100 in 2025 and 50 in 2026, opex 10 a year for two years: flows [100, 60, 10]
    flows = cost_stream({2025: 100.0, 2026: 50.0}, 2025, 10.0, 2)
    assert flows == [100.0, 60.0, 10.0]
    # 100 + 60/1.1 + 10/1.21 = 100 + 54.5455 + 8.2645 = 162.8099
    assert npv(flows, 0.10) == pytest.approx(162.8099, abs=1e-4)
    assert npv([5.0], 0.0) == 5.0
    with pytest.raises(ValueError):
        npv([1.0], -1.0)


def test_capex_follows_the_year_of_spend_function() -> None:
    # the hook the phased build-out points at each item's in-service year
    design = Design()
    design.add("r1", "t.rack100")
    design.add("r2", "t.rack100")
    from designer.analysis.economics import CapexLine

    lines = [CapexLine("r1", "t.rack100", "it", 10.0, 10.0, 10.0, "", "E"),
             CapexLine("r2", "t.rack100", "it", 20.0, 20.0, 20.0, "", "E"),
             CapexLine("", "building.per_mw", "building", 5.0, 5.0, 5.0, "", "E")]
    assert capex_by_year(lines, design.project.items, 2026) == {2026: 35.0}
    years = {"r1": 2026, "r2": 2028}
    assert capex_by_year(lines, design.project.items, 2026, lambda item: years[item.id]) == {2026: 15.0, 2028: 20.0}
    # a year before the first is spent in the first
    assert capex_by_year(lines, design.project.items, 2026, lambda item: 2020) == {2026: 35.0}


def test_water_of_a_tower_and_of_an_adiabatic_cooler_hour_by_hour() -> None:
    tower = RejectionPlant(32.0, 42.0, 5.0, "wet_bulb", True, 0.0, 3.5, 1000.0, evaporative_l_per_kwh=2.0)
    adiabatic = replace(tower, evaporative_l_per_kwh=0.0, adiabatic_l_per_kwh=1.0, adiabatic_dry_approach_k=10.0)
    for plant, dry_bulb, litres in (
        (tower, 20.0, 200.0),  # 100 kW of heat x 2.0 L/kWh, every hour
        (adiabatic, 20.0, 0.0),  # 20 + 10 = 30 <= 32 °C supply: the dry coil holds it, no water
        (adiabatic, 25.0, 100.0),  # 25 + 10 = 35 > 32: wetted, 100 kW x 1.0 L/kWh
    ):
        system = CoolingSystem(0.0, 0.0, plant, None, lighting_fraction=0.0, misc_fraction=0.0)
        power = facility_power(100.0, 0.0, 100.0, 0.0, system, dry_bulb, dry_bulb - 8.0)
        assert float(power.water_l) == pytest.approx(litres)


def _small_design() -> tuple[Design, object]:
    """A 100 kW inference rack on a lossless UPS, all-liquid, through a CDU to an open tower, in a cold site."""
    catalog = TEST_CATALOG.merged([
        replace(entry("e.rack", Role.RACK, 100.0, workload=WorkloadClass.INFERENCE, liquid_fraction=1.0),
                unit_cost=UnitCost(1_000_000.0, CostBasis.UNIT, "USD", 2025, "[T]", E),
                token_throughput=TokenThroughput(100_000.0, "test model", "[T]", E)),
        replace(entry("e.ups", Role.UPS, 1_250.0),
                unit_cost=UnitCost(300.0, CostBasis.KW, "USD", 2025, "[T]", E, 250.0, 400.0)),
        replace(entry("e.tower", Role.COOLING_TOWER, 1_000.0, medium=CoolingMedium.LIQUID,
                      parameters={"sink": "wet_bulb", "free_cooling": True, "approach_k": 5.0,
                                  "fan_kw_per_kw": 0.01, "water_use": True, "water_l_per_kwh": 2.0}),
                unit_cost=UnitCost(50.0, CostBasis.KW, "USD", 2023, "[T]", E)),
        replace(entry("e.cdu", Role.CDU, 1_500.0, medium=CoolingMedium.LIQUID),
                unit_cost=UnitCost(1.0, CostBasis.UNIT, "EUR", 2025, "[T]", E)),
    ])
    design = Design()
    design.project.set_site(replace(design.project.site, design_ambient_c=10.0, grid_region_id="R"))
    for item_id, catalog_id in (("u", "t.utility"), ("ups", "e.ups"), ("r", "e.rack"), ("t", "e.tower"),
                                ("cdu", "e.cdu")):
        design.add(item_id, catalog_id)
    design.power("u", "ups")
    design.power("ups", "r")
    design.cool("t", "cdu", CoolingMedium.LIQUID)
    design.cool("cdu", "r", CoolingMedium.LIQUID)
    return design, catalog


def test_wue_cue_and_costs_of_a_small_design() -> None:
    design, catalog = _small_design()
    results = design.analyze(catalog)  # flat profiles at 0.8, no climate: the design day stands for the year
    # design day 10 °C dry bulb, 2 °C wet bulb: every loop free-cooled (liquid 2 + 5 = 7 <= 32 - 3 = 29 °C;
    # air 2 + 5 + 2 = 9 <= 27 - 9 = 18 °C), no compressor runs.
    # IT 100 x 0.8 = 80 kW; lighting 0.5 % = 0.4, misc 0.5 % = 0.4; CDU pumps 1 % of 80 = 0.8;
    # air-unit fans 3 % of the lighting heat 0.4 = 0.012; tower fans 1 % of (80 + 0.8) + 1 % of (0.4 + 0.012)
    # = 0.808 + 0.00412. Facility = 80 + 0.4 + 0.4 + 0.8 + 0.012 + 0.808 + 0.00412 = 82.42412 kW
    facility_kw = 82.42412
    assert float(results.facility_kw[0]) == pytest.approx(facility_kw, rel=1e-9)
    # water: the tower rejects (80 + 0.8) + (0.4 + 0.012) = 81.212 kW at 2.0 L/kWh = 162.424 L/h
    assert results.wue_l_per_kwh == pytest.approx(162.424 / 80.0, rel=1e-9)  # 2.0303 L/kWh

    summary = economics_summary(design.project, results, catalog, DEFAULTS, inference_profile=[0.8] * 24)
    assert summary.wue_l_per_kwh == pytest.approx(2.0303, rel=1e-9)
    # CUE = 400 g/kWh x facility / IT = 0.4 x 82.42412 / 80 = 0.41212 kg/kWh
    assert summary.cue_kg_per_kwh == pytest.approx(0.4 * facility_kw / 80.0, rel=1e-9)
    # CO2 = 82.42412 kW x 8760 h x 400 g / 1e6 = 288.814 t/yr
    assert summary.co2_t_per_year == pytest.approx(facility_kw * 8760 * 400 / 1e6, rel=1e-9)
    assert summary.used["tariff_per_kwh"].is_default

    # capex: rack 1,000,000; UPS 300 x 1,250 kW = 375,000; tower 50 x 1,000 kW priced in 2023, escalated two
    # years at 10 %: 50,000 x 1.21 = 60,500; building 5 M/MW x 0.1 MW = 500,000; the CDU is priced in EUR:
    # left out and listed, as is the utility intake (no unit cost). Total 1,935,500.
    assert summary.capex == pytest.approx(1_935_500.0)
    assert summary.capex_by_subsystem["it"] == pytest.approx(1_000_000.0)
    assert summary.capex_by_subsystem["cooling"] == pytest.approx(60_500.0)
    assert [(u.catalog_id, u.count) for u in summary.uncosted] == [("e.cdu", 1), ("t.utility", 1)]
    assert "EUR" in summary.uncosted[0].reason
    # UPS low/high 250/400 per kW (-62,500 / +125,000) and the building default's 0.5x-1.5x (-/+ 250,000):
    # 1,935,500 - 312,500 = 1,623,000 to 1,935,500 + 375,000 = 2,310,500
    assert summary.capex_low == pytest.approx(1_623_000.0)
    assert summary.capex_high == pytest.approx(2_310_500.0)
    assert summary.cost_per_mw_it == pytest.approx(19_355_000.0)  # 1,935,500 / 0.1 MW
    # opex: energy 82.42412 kW x 8760 h x 0.10 = 72,203.53; maintenance 2 % of facility capex
    # (1,935,500 - 1,000,000 = 935,500) = 18,710; water 162.424 L/h x 8760 h = 1,422.83 m3 x 1.0 = 1,422.83
    energy = facility_kw * 8760 * 0.10
    water = 162.424 * 8760 / 1000.0
    assert summary.energy_cost_per_year == pytest.approx(energy, rel=1e-9)
    assert summary.water_m3_per_year == pytest.approx(water, rel=1e-9)
    opex = energy + 18_710.0 + water
    assert summary.opex_per_year == pytest.approx(opex, rel=1e-9)  # 92,336.36
    # NPV over 2 years at 10 %: 1,935,500 + 92,336.36 x (1/1.1 + 1/1.21) = 1,935,500 + 160,253.4 = 2,095,753.4
    assert summary.npv == pytest.approx(1_935_500.0 + opex * (1 / 1.1 + 1 / 1.21), rel=1e-9)
    assert summary.npv == pytest.approx(2_095_753.4, abs=1.0)
    # levelised: NPV / (700.8 MWh/1.1 + 700.8 MWh/1.21) (IT 80 kW x 8760 h = 700.8 MWh)
    assert summary.lcoe_per_mwh_it == pytest.approx(summary.npv / (700.8 / 1.1 + 700.8 / 1.21), rel=1e-9)

    # tokens: 100,000 tok/s x 3600 s x 0.8 = 288 M per hour; 80 kW x PUE 1.0303015 = 82.42412 kWh per hour
    # -> 82,424.12 Wh / 288 M = 286.195 Wh per million tokens, x 0.10 USD/kWh = 0.0286195 USD
    tokens = summary.tokens
    assert tokens is not None and tokens.racks == 1
    assert tokens.tokens_m_per_day == pytest.approx(288.0 * 24)
    assert np.allclose(tokens.wh_per_m_tokens, facility_kw * 1000.0 / 288.0)
    assert np.allclose(tokens.cost_per_m_tokens, facility_kw / 288.0 * 0.10)


def test_project_overrides_replace_defaults_and_are_marked() -> None:
    design, catalog = _small_design()
    settings = EconomicsSettings(tariff_per_kwh=0.2, tariff_hourly_shape=(2.0,) * 12 + (0.0,) * 12)
    design.project.set_settings(replace(design.project.settings, economics=settings))
    results = design.analyze(catalog)
    summary = economics_summary(design.project, results, catalog, DEFAULTS)
    assert not summary.used["tariff_per_kwh"].is_default
    assert summary.used["discount_rate"].is_default and summary.used["discount_rate"].source == "[T] test default"
    # half the hours at 2 x 0.2, half at 0: the same as a flat 0.2 for a flat load
    assert summary.energy_cost_per_year == pytest.approx(82.42412 * 8760 * 0.2, rel=1e-9)
    assert summary.tokens is None  # no inference profile given


def test_grid_carbon_site_override_month_and_region() -> None:
    design, _catalog = _small_design()
    site = design.project.site
    assert site_grid_carbon(site, DEFAULTS).used.is_default  # type: ignore[union-attr]
    own = site_grid_carbon(replace(site, grid_carbon_g_per_kwh=100.0), DEFAULTS)
    assert own is not None and not own.used.is_default and own.annual_g_per_kwh == 100.0
    monthly = site_grid_carbon(replace(site, grid_carbon_monthly_g_per_kwh=tuple(range(12))), DEFAULTS)
    assert monthly is not None and monthly.annual_g_per_kwh == pytest.approx(5.5)
    assert site_grid_carbon(replace(site, grid_region_id=""), DEFAULTS) is None


def test_facility_capex_per_mw_is_set_against_the_published_range() -> None:
    from designer.analysis.economics_report import reference_line

    design, catalog = _small_design()
    results = design.analyze(catalog)
    reference = Figure(11.7e6, "USD/MW", 2024, "[T] published", Confidence.PRIMARY, 9.3e6, 15.0e6)
    summary = economics_summary(design.project, results, catalog, replace(DEFAULTS, construction_per_mw=reference))
    # capex without IT: 1,935,500 - 1,000,000 = 935,500 over 0.1 MW = 9.355 M per MW, inside 9.3-15.0
    assert summary.facility_cost_per_mw_it == pytest.approx(9_355_000.0)
    assert "within the published" in reference_line(summary)
    cheap = replace(reference, low=9.5e6)
    summary = economics_summary(design.project, results, catalog, replace(DEFAULTS, construction_per_mw=cheap))
    assert "below" in reference_line(summary) and "not costed" in reference_line(summary)  # the EUR-priced CDU
    assert reference_line(economics_summary(design.project, results, catalog, DEFAULTS)) == ""


def test_a_project_in_another_currency_never_adds_the_usd_defaults() -> None:
    design, catalog = _small_design()
    design.project.set_settings(replace(design.project.settings, economics=EconomicsSettings(currency="EUR")))
    results = design.analyze(catalog)
    summary = economics_summary(design.project, results, catalog, DEFAULTS)
    # only the CDU is priced in EUR (1.0 a unit); the USD prices and the USD building default are listed, not added
    assert summary.capex == pytest.approx(1.0)
    listed = {u.catalog_id for u in summary.uncosted}
    assert {"e.rack", "e.ups", "e.tower", "building.per_mw"} <= listed
    assert math.isnan(summary.energy_cost_per_year) and math.isnan(summary.npv)  # the default tariff is in USD
    assert math.isnan(summary.water_cost_per_year)  # the default water price is in USD too
    own = replace(design.project.settings.economics, tariff_per_kwh=0.2)
    design.project.set_settings(replace(design.project.settings, economics=own))
    summary = economics_summary(design.project, results, catalog, DEFAULTS)
    assert summary.energy_cost_per_year == pytest.approx(82.42412 * 8760 * 0.2)
    assert math.isnan(summary.npv)  # still no water price in EUR
    own = replace(own, water_cost_per_m3=2.0)
    design.project.set_settings(replace(design.project.settings, economics=own))
    summary = economics_summary(design.project, results, catalog, DEFAULTS)
    assert math.isfinite(summary.npv) and summary.water_cost_per_year == pytest.approx(162.424 * 8760 / 1000 * 2.0)
