"""Cost, carbon and water of a design: capex by subsystem and year, opex from the hourly energy model, NPV,
cost per MW and per MWh of IT, CUE, WUE, tonnes of CO2, and energy and cost per million tokens by hour.

Qt-free and io-free: the caller passes the merged catalog and the sourced defaults
(``designer.io.economics_io.load_economics_defaults()``). The one entry point for other features is
:func:`economics_summary`. Conventions (``docs``-style, also in README):

* capex is spent at the start of its year; the first year is offset 0 and is not discounted;
* opex (energy, maintenance, water) is paid at the end of each of the ``study_years`` years:
  ``NPV = sum_t flow_t / (1 + r)^t`` with ``flow_0 = capex of the first year`` and
  ``flow_t = capex of year t + opex`` for ``t = 1..N`` [XC8];
* a catalog price of another year is escalated to the project's price year at the escalation rate
  [XC2]; a price in another currency is never added (it is listed as not costed);
* CUE = CO2 of the facility energy / IT energy, WUE = site water / IT energy [XK6].
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from designer.analysis.results import Results
from designer.model import effective
from designer.model.catalog import CatalogEntry
from designer.model.economics import (
    SETTING_KEYS,
    CostBasis,
    EconomicsDefaults,
    EconomicsSettings,
    Figure,
    GridRegion,
)
from designer.model.project import Project
from designer.model.records import PlacedItem, Site
from designer.model.types import ItemKind, WorkloadClass

HOURS = 24
YearOf = Callable[[PlacedItem], int | None]
"""The year an item's capex is spent (None = the first year). Phasing points this at the item's in-service year."""

SUBSYSTEMS: tuple[str, ...] = ("it", "power", "cooling", "floor", "building")
_SUBSYSTEM_OF_KIND = {ItemKind.RACK: "it", ItemKind.POWER: "power", ItemKind.COOLING: "cooling",
                      ItemKind.FLOOR: "floor"}
LABELS: dict[str, str] = {
    "tariff_per_kwh": "Electricity tariff",
    "maintenance_rate": "Maintenance (share of facility capex per year)",
    "discount_rate": "Discount rate",
    "study_years": "Study period (years)",
    "escalation_rate": "Construction cost escalation per year",
    "building_cost_per_mw": "Building (shell, site, white space) per MW of IT",
    "water_cost_per_m3": "Water price per m3",
    "grid_carbon": "Grid carbon intensity (gCO2/kWh)",
}


def in_first_year(item: PlacedItem) -> int | None:
    """The default ``year_of``: every item's capex falls in the first year."""
    return None


@dataclass(frozen=True, slots=True)
class UsedValue:
    """A value the economics used, and whether it is the project's own or a sourced default."""

    key: str
    label: str
    value: float
    unit: str
    is_default: bool
    source: str
    confidence: str
    low: float | None = None
    high: float | None = None

    def mark(self) -> str:
        """"default [S]" or "project" for tables and reports."""
        return f"default [{self.confidence}]" if self.is_default else "project"


def resolve_settings(settings: EconomicsSettings, defaults: EconomicsDefaults) -> dict[str, UsedValue]:
    """Each setting: the project's override, else the sourced default."""
    used: dict[str, UsedValue] = {}
    for key in SETTING_KEYS:
        figure = defaults.figures[key]
        own = settings.override(key)
        if own is not None:
            used[key] = UsedValue(key, LABELS[key], own, figure.unit, False, "set in this project", "")
        else:
            used[key] = UsedValue(key, LABELS[key], figure.value, figure.unit, True, figure.source,
                                  figure.confidence.value, figure.low, figure.high)
    return used


@dataclass(frozen=True, slots=True)
class GridCarbon:
    """The site's grid carbon intensity: annual, and optionally 12 monthly or 24 hourly figures (gCO2/kWh)."""

    annual_g_per_kwh: float
    monthly_g_per_kwh: tuple[float, ...]
    hourly_g_per_kwh: tuple[float, ...]
    used: UsedValue
    region: GridRegion | None


def site_grid_carbon(site: Site, defaults: EconomicsDefaults) -> GridCarbon | None:
    """The site's own figures, else its region's, else the region of its bundled climate; None when unknown."""
    region_id = site.grid_region_id or defaults.climate_regions.get(site.climate_id, "")
    region = defaults.regions.get(region_id)
    monthly, hourly = site.grid_carbon_monthly_g_per_kwh, site.grid_carbon_hourly_g_per_kwh
    if site.grid_carbon_g_per_kwh is not None or monthly or hourly:
        annual = site.grid_carbon_g_per_kwh
        if annual is None:
            annual = float(np.mean(hourly)) if hourly else float(np.mean(monthly))
        used = UsedValue("grid_carbon", LABELS["grid_carbon"], annual, "gCO2/kWh", False, "set in this project", "")
        return GridCarbon(annual, monthly, hourly, used, region)
    if region is None:
        return None
    used = UsedValue("grid_carbon", LABELS["grid_carbon"], region.g_per_kwh, f"gCO2/kWh ({region.basis})", True,
                     f"{region.name}: {region.source}", region.confidence.value)
    return GridCarbon(region.g_per_kwh, (), (), used, region)


def _regional_tariff(tariff: UsedValue, grid: GridCarbon | None, currency: str) -> UsedValue:
    """A default tariff replaced by the site region's own where it has one in the project's currency."""
    if not tariff.is_default or grid is None or grid.region is None or grid.region.tariff is None:
        return tariff
    region, own = grid.region, grid.region.tariff
    if own.currency != currency:
        return UsedValue(tariff.key, tariff.label, tariff.value, tariff.unit, True,
                         f"{tariff.source} (the site's region, {region.name}, has a tariff in {own.currency}, "
                         f"not the project's {currency}: set the tariff)", tariff.confidence, tariff.low, tariff.high)
    return UsedValue(tariff.key, tariff.label, own.value, f"{own.currency}/kWh", True, f"{region.name}: {own.source}",
                     own.confidence.value)


# ---------------------------------------------------------------------------- capex
@dataclass(frozen=True, slots=True)
class CapexLine:
    """The cost of one placed item (or of the building)."""

    item_id: str
    catalog_id: str
    subsystem: str
    cost: float
    low: float
    high: float
    source: str
    confidence: str


@dataclass(frozen=True, slots=True)
class Uncosted:
    """Items whose cost is unknown (no unit cost, or a price in another currency): left out of every total."""

    catalog_id: str
    name: str
    count: int
    reason: str


def _quantity(item: PlacedItem, entry: CatalogEntry, per: CostBasis) -> float:
    if per is CostBasis.UNIT:
        return 1.0
    if per is CostBasis.KW:
        return effective.rating_kw(item, entry)
    return entry.width_mm / 1000.0  # a run's length is its width (busway)


def capex_lines(project: Project, catalog: Mapping[str, CatalogEntry], currency: str, price_year: int,
                escalation_rate: float) -> tuple[list[CapexLine], list[Uncosted]]:
    """One line per costed item (price x quantity, escalated to ``price_year``), and what could not be costed."""
    lines: list[CapexLine] = []
    missing: dict[tuple[str, str], list[str]] = {}
    names: dict[str, str] = {}
    for item in project.items.values():
        entry = catalog.get(item.catalog_id)
        if entry is None:
            missing.setdefault((item.catalog_id, "not in the catalog"), []).append(item.id)
            continue
        names[entry.id] = entry.name
        cost = entry.unit_cost
        if cost is None:
            if entry.kind is not ItemKind.FLOOR:
                missing.setdefault((entry.id, "no unit cost in the catalog"), []).append(item.id)
            continue
        if cost.currency != currency:
            missing.setdefault((entry.id, f"priced in {cost.currency}, the project counts in {currency}"),
                               []).append(item.id)
            continue
        factor = _quantity(item, entry, cost.per) * (1.0 + escalation_rate) ** (price_year - cost.price_year)
        low, high = cost.range
        lines.append(CapexLine(item.id, entry.id, _SUBSYSTEM_OF_KIND[entry.kind], cost.value * factor,
                               low * factor, high * factor, cost.source, cost.confidence.value))
    uncosted = [Uncosted(cid, names.get(cid, cid), len(ids), reason) for (cid, reason), ids in sorted(missing.items())]
    return lines, uncosted


def design_it_mw(project: Project, catalog: Mapping[str, CatalogEntry]) -> float:
    """Sum of the racks' design kW, in MW."""
    total_kw = 0.0
    for item in project.items.values():
        entry = catalog.get(item.catalog_id)
        if entry is not None and entry.is_rack:
            total_kw += effective.design_kw(item, entry)
    return total_kw / 1000.0


def building_lines(project: Project, it_mw: float, used: Mapping[str, UsedValue],
                   shell_cost_per_m2: float | None) -> list[CapexLine]:
    """The building: ``building_cost_per_mw x design IT MW`` (+ shell per m2 of hall floor when set)."""
    building = used["building_cost_per_mw"]
    rel_low = (building.low or building.value) / building.value if building.value > 0 else 1.0
    rel_high = (building.high or building.value) / building.value if building.value > 0 else 1.0
    cost = building.value * it_mw
    lines = [CapexLine("", "building.per_mw", "building", cost, cost * rel_low, cost * rel_high, building.source,
                       building.confidence or "project")]
    if shell_cost_per_m2 is not None:
        area = sum(hall.area_m2 for hall in project.halls.values())
        shell = shell_cost_per_m2 * area
        lines.append(CapexLine("", "building.shell_per_m2", "building", shell, shell, shell, "set in this project",
                               "project"))
    return lines


@dataclass(frozen=True, slots=True)
class EntryCapex:
    """The capex lines of one catalog entry added up (for tables that name each price's source)."""

    catalog_id: str
    subsystem: str
    count: int
    cost: float
    low: float
    high: float
    source: str
    confidence: str


def capex_by_entry(lines: Sequence[CapexLine]) -> list[EntryCapex]:
    """Lines grouped by catalog entry (the building lines by their key), largest cost first."""
    grouped: dict[str, list[CapexLine]] = {}
    for line in lines:
        grouped.setdefault(line.catalog_id, []).append(line)
    entries = [EntryCapex(cid, group[0].subsystem, len(group), sum(x.cost for x in group), sum(x.low for x in group),
                          sum(x.high for x in group), group[0].source, group[0].confidence)
               for cid, group in grouped.items()]
    return sorted(entries, key=lambda e: -e.cost)


def capex_by_year(lines: Sequence[CapexLine], items: Mapping[str, PlacedItem], first_year: int,
                  year_of: YearOf = in_first_year) -> dict[int, float]:
    """Capex by year of spend: each item's line in ``year_of(item)`` (None, or before ``first_year``: the
    first year); the building in the first year."""
    by_year: dict[int, float] = {}
    for line in lines:
        item = items.get(line.item_id) if line.item_id else None
        year = year_of(item) if item is not None else None
        when = first_year if year is None else max(int(year), first_year)
        by_year[when] = by_year.get(when, 0.0) + line.cost
    return dict(sorted(by_year.items()))


def npv(flows: Sequence[float], rate: float) -> float:
    """``sum_t flows[t] / (1 + rate)^t``, t = 0, 1, ... (flow 0 is not discounted)."""
    if rate <= -1.0:
        raise ValueError("the discount rate must be above -100 %")
    return float(sum(flow / (1.0 + rate) ** t for t, flow in enumerate(flows)))


def cost_stream(capex_by_year_: Mapping[int, float], first_year: int, opex_per_year: float,
                study_years: int) -> list[float]:
    """Flows t = 0..N: capex of year ``first_year + t``, plus ``opex_per_year`` for t >= 1 (capex after the
    study period is left out)."""
    flows = [0.0] * (study_years + 1)
    for year, cost in capex_by_year_.items():
        offset = year - first_year
        if 0 <= offset <= study_years:
            flows[offset] += cost
    for t in range(1, study_years + 1):
        flows[t] += opex_per_year
    return flows


# ---------------------------------------------------------------------------- the hourly year
@dataclass(frozen=True, slots=True)
class HourlyYear:
    """The year as (days, 24) cells: facility, IT and water per hour, and how many hours each cell stands for."""

    facility_kw: np.ndarray
    it_kw: np.ndarray
    water_l: np.ndarray
    cell_hours: np.ndarray
    month: np.ndarray
    """(days,) month 0..11 of each row (-1: a design day standing for every month)."""
    from_climate: bool


def hourly_year(results: Results) -> HourlyYear:
    """The analysis' year of weather days, or its design day repeated 365 times when it had no climate."""
    annual = results.annual_energy
    if annual is not None and annual.weight_days is not None and annual.month is not None:
        hourly = annual.hourly
        cells = np.broadcast_to(annual.weight_days[:, None], hourly.facility_kw.shape)
        return HourlyYear(hourly.facility_kw, hourly.it_kw, hourly.water_l, cells, annual.month, True)
    day = results.facility_kw[None, :]
    water = np.full((1, HOURS), results.annual_water_m3 * 1000.0 / (365.0 * HOURS))
    return HourlyYear(day, results.it_kw[None, :], water, np.full((1, HOURS), 365.0), np.array([-1]), False)


def _shape(year: HourlyYear, monthly: Sequence[float], hourly: Sequence[float]) -> np.ndarray:
    """(days, 24) multiplier: the month's (the mean of the 12 for a design day) times the hour's."""
    factor = np.ones(year.facility_kw.shape)
    if monthly:
        months = np.asarray(monthly, dtype=float)
        per_row = np.where(year.month >= 0, months[np.clip(year.month, 0, 11)], months.mean())
        factor = factor * per_row[:, None]
    if hourly:
        factor = factor * np.asarray(hourly, dtype=float)[None, :]
    return factor


def _carbon_g_per_kwh(year: HourlyYear, carbon: GridCarbon) -> np.ndarray:
    if carbon.hourly_g_per_kwh:
        return np.broadcast_to(np.asarray(carbon.hourly_g_per_kwh, dtype=float)[None, :], year.facility_kw.shape)
    if carbon.monthly_g_per_kwh:
        return _shape(year, carbon.monthly_g_per_kwh, ())
    return np.full(year.facility_kw.shape, carbon.annual_g_per_kwh)


def cue_kg_per_kwh(results: Results, grid: GridCarbon | None) -> float:
    """Carbon usage effectiveness of an analysis: kgCO2 of the year's facility energy per kWh of IT [XK6]
    (NaN when the grid intensity is unknown or there is no IT energy)."""
    if grid is None:
        return float("nan")
    year = hourly_year(results)
    it_kwh = float((year.it_kw * year.cell_hours).sum())
    if it_kwh <= 0:
        return float("nan")
    grams = float((year.facility_kw * year.cell_hours * _carbon_g_per_kwh(year, grid)).sum())
    return grams / 1000.0 / it_kwh


# ---------------------------------------------------------------------------- tokens
@dataclass(frozen=True, slots=True)
class TokenEconomics:
    """Energy and cost per million output tokens by local hour, for the racks with a sourced throughput."""

    racks: int
    models: tuple[str, ...]
    sources: tuple[str, ...]
    tokens_m_per_day: float
    wh_per_m_tokens: np.ndarray
    """(24,) facility Wh per million tokens (IT x that hour's PUE); NaN in hours without tokens."""
    cost_per_m_tokens: np.ndarray
    """(24,) energy cost per million tokens at that hour's tariff."""


def token_economics(project: Project, catalog: Mapping[str, CatalogEntry], results: Results,
                    inference_profile: Sequence[float], hourly_pue: np.ndarray,
                    hourly_tariff: np.ndarray) -> TokenEconomics | None:
    """Tokens of the served inference and ``ai`` racks with a ``token_throughput``.

    A rack makes ``tokens_per_s x inference utilisation(h) x inference share`` (``ai`` racks: the
    scenario's share; ``inference`` racks: all of it; others none): tokens are taken proportional to the
    power the rack draws for inference (E); the throughput is the source's benchmark, a best case.
    """
    served = dict(zip(results.rack_ids.tolist(), results.rack_served.tolist(), strict=True))
    profile = np.asarray(inference_profile, dtype=float)
    tokens = np.zeros(HOURS)
    it_kw = np.zeros(HOURS)
    count = 0
    models: dict[str, None] = {}
    sources: dict[str, None] = {}
    for item in project.items.values():
        entry = catalog.get(item.catalog_id)
        if entry is None or entry.token_throughput is None or not served.get(item.id, False):
            continue
        work = effective.workload(item, entry)
        if work is WorkloadClass.INFERENCE:
            share, density = 1.0, 1.0
        elif work is WorkloadClass.AI:
            share, density = results.inference_share, results.ai_density_factor
        else:
            continue
        count += 1
        models.setdefault(entry.token_throughput.model)
        sources.setdefault(entry.token_throughput.source)
        tokens += entry.token_throughput.tokens_per_s * 3600.0 * profile * share
        it_kw += effective.design_kw(item, entry) * density * profile * share
    if count == 0:
        return None
    millions = tokens / 1e6
    with np.errstate(divide="ignore", invalid="ignore"):
        wh = np.where(millions > 0, it_kw * hourly_pue * 1000.0 / millions, np.nan)
    cost = wh / 1000.0 * hourly_tariff
    return TokenEconomics(count, tuple(models), tuple(sources), float(millions.sum()), wh, cost)


# ---------------------------------------------------------------------------- summary
@dataclass(frozen=True)
class EconomicsSummary:
    """Cost, carbon and water of one analysed design. Money in ``currency`` of ``price_year``."""

    currency: str
    price_year: int
    first_year: int
    capex: float
    capex_low: float
    capex_high: float
    capex_by_subsystem: Mapping[str, float]
    capex_by_year: Mapping[int, float]
    lines: tuple[CapexLine, ...]
    uncosted: tuple[Uncosted, ...]
    energy_cost_per_year: float
    maintenance_per_year: float
    water_cost_per_year: float
    opex_per_year: float
    npv: float
    study_years: int
    discount_rate: float
    design_it_mw: float
    cost_per_mw_it: float
    """Capex per MW of design IT (NaN without racks)."""
    facility_cost_per_mw_it: float
    """Capex without the IT equipment per MW of design IT: what published construction costs compare with."""
    construction_reference: Figure | None
    """The published construction cost per MW (None when unknown or in another currency)."""
    it_mwh_per_year: float
    facility_mwh_per_year: float
    lcoe_per_mwh_it: float
    """NPV over the discounted IT MWh of the study period: the levelised cost of a MWh of IT energy."""
    opex_per_mwh_it: float
    annual_pue: float
    water_m3_per_year: float
    wue_l_per_kwh: float
    co2_t_per_year: float
    """NaN when the site's grid carbon intensity is unknown."""
    cue_kg_per_kwh: float
    grid: GridCarbon | None
    energy_from_climate: bool
    """False: the design day stood for the whole year (the site has no known climate)."""
    tokens: TokenEconomics | None
    used: Mapping[str, UsedValue]
    """Every setting used, marked default (with source) or the project's own."""

    @property
    def co2_known(self) -> bool:
        return self.grid is not None


def economics_summary(project: Project, analysis: Results, catalog: Mapping[str, CatalogEntry],
                      defaults: EconomicsDefaults, *, year_of: YearOf = in_first_year,
                      inference_profile: Sequence[float] | None = None) -> EconomicsSummary:
    """Capex, opex, NPV, cost per MW and MWh of IT, CO2, CUE, WUE (and tokens) of an analysed design.

    ``catalog`` is the merged catalog the analysis used; ``defaults`` the sourced defaults;
    ``year_of`` the year each item's capex is spent (default: all in the first year, the analysed
    scenario year or the active scenario's first); ``inference_profile`` (24 local-hour fractions)
    enables the per-token figures.
    """
    settings = project.settings.economics
    used = resolve_settings(settings, defaults)
    currency = settings.currency or defaults.currency
    price_year = settings.price_year or defaults.price_year
    scenario = project.active_scenario
    first_year = analysis.year if analysis.year is not None else (
        scenario.years[0].year if scenario is not None and scenario.years else price_year)
    grid = site_grid_carbon(project.site, defaults)
    used["tariff_per_kwh"] = _regional_tariff(used["tariff_per_kwh"], grid, currency)
    lines, uncosted = capex_lines(project, catalog, currency, price_year, used["escalation_rate"].value)
    it_mw = design_it_mw(project, catalog)
    lines += building_lines(project, it_mw, used, settings.shell_cost_per_m2)
    if currency != defaults.currency and used["building_cost_per_mw"].is_default:
        lines = [line for line in lines if line.catalog_id != "building.per_mw"]
        uncosted.append(Uncosted("building.per_mw", "Building per MW (default)", 1,
                                 f"the default is in {defaults.currency}, the project counts in {currency}"))
    by_subsystem = {name: 0.0 for name in SUBSYSTEMS}
    for line in lines:
        by_subsystem[line.subsystem] += line.cost
    capex = float(sum(line.cost for line in lines))
    facility_capex = capex - by_subsystem["it"]

    year = hourly_year(analysis)
    tariff = used["tariff_per_kwh"].value
    tariff_cells = tariff * _shape(year, settings.tariff_monthly_shape, settings.tariff_hourly_shape)
    if currency != defaults.currency and used["tariff_per_kwh"].is_default:
        tariff_cells = np.full(tariff_cells.shape, np.nan)  # a default tariff in another currency: unknown
    facility_kwh = year.facility_kw * year.cell_hours
    it_kwh = year.it_kw * year.cell_hours
    energy_cost = float((facility_kwh * tariff_cells).sum())
    it_mwh = float(it_kwh.sum()) / 1000.0
    facility_mwh = float(facility_kwh.sum()) / 1000.0
    water_m3 = float((year.water_l * year.cell_hours).sum()) / 1000.0
    water_cost = water_m3 * used["water_cost_per_m3"].value
    if currency != defaults.currency and used["water_cost_per_m3"].is_default and water_m3 > 0:
        water_cost = float("nan")  # a default price in another currency: unknown until the project sets one
    maintenance = facility_capex * used["maintenance_rate"].value
    opex = energy_cost + maintenance + water_cost

    study = max(1, round(used["study_years"].value))
    rate = used["discount_rate"].value
    spend = capex_by_year(lines, project.items, first_year, year_of)
    total_npv = npv(cost_stream(spend, first_year, opex, study), rate)
    discounted_it = npv([0.0] + [it_mwh] * study, rate)

    if grid is not None:
        co2_t = float((facility_kwh * _carbon_g_per_kwh(year, grid)).sum()) / 1e6
    else:
        co2_t = float("nan")
    it_kwh_total = it_mwh * 1000.0

    tokens = None
    if inference_profile is not None:
        weights = year.cell_hours
        with np.errstate(divide="ignore", invalid="ignore"):
            pue_h = (year.facility_kw * weights).sum(axis=0) / (year.it_kw * weights).sum(axis=0)
            tariff_h = (tariff_cells * weights).sum(axis=0) / weights.sum(axis=0)
        tokens = token_economics(project, catalog, analysis, inference_profile, pue_h, tariff_h)

    def per(value: float, base: float) -> float:
        return value / base if base > 0 else float("nan")

    return EconomicsSummary(
        currency=currency,
        price_year=price_year,
        first_year=first_year,
        capex=capex,
        capex_low=float(sum(line.low for line in lines)),
        capex_high=float(sum(line.high for line in lines)),
        capex_by_subsystem=by_subsystem,
        capex_by_year=spend,
        lines=tuple(lines),
        uncosted=tuple(uncosted),
        energy_cost_per_year=energy_cost,
        maintenance_per_year=maintenance,
        water_cost_per_year=water_cost,
        opex_per_year=opex,
        npv=total_npv,
        study_years=study,
        discount_rate=rate,
        design_it_mw=it_mw,
        cost_per_mw_it=per(capex, it_mw),
        facility_cost_per_mw_it=per(facility_capex, it_mw),
        construction_reference=defaults.construction_per_mw if currency == defaults.currency else None,
        it_mwh_per_year=it_mwh,
        facility_mwh_per_year=facility_mwh,
        lcoe_per_mwh_it=per(total_npv, discounted_it),
        opex_per_mwh_it=per(opex, it_mwh),
        annual_pue=per(facility_mwh, it_mwh),
        water_m3_per_year=water_m3,
        wue_l_per_kwh=per(water_m3 * 1000.0, it_kwh_total),
        co2_t_per_year=co2_t,
        cue_kg_per_kwh=per(co2_t * 1000.0, it_kwh_total) if math.isfinite(co2_t) else float("nan"),
        grid=grid,
        energy_from_climate=year.from_climate,
        tokens=tokens,
        used=used,
    )
