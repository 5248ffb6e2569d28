"""Cost, carbon and water of a design: capex by subsystem and year, opex from the hourly energy model, NPV,
cost per MW and per MWh of IT, CUE, WUE, tonnes of CO2, and energy and cost per million tokens by hour.

Qt-free and io-free: the caller passes the merged catalog and the sourced defaults
(``designer.io.economics_io.load_economics_defaults()``). The one entry point for other features is
:func:`economics_summary`. Conventions (``docs``-style, also in README):

* the study runs ``study_years`` (N) calendar years from the first year (the active scenario's first year);
* capex is spent at the start of its year: an item's (or its pod's) in-service year, the building of a hall
  in the hall's first in-service year (the first phase); a year before the first is the first year, a year
  after the study period is listed but left out of the NPV;
* opex (energy, maintenance, water) of year ``first + t`` is paid at its end, from that year's design as
  built (``YearAnalysis``; retired items draw no energy and need no maintenance):
  ``NPV = sum_t flow_t / (1 + r)^t``, ``flow_t = capex of year first + t (t < N) + opex of year
  first + t - 1 (t >= 1)``, t = 0..N; the first year's capex is not discounted [XC8];
* a catalog price of another year is escalated to the project's price year at the escalation rate
  [XC2]; a price in another currency is never added (it is listed as not costed);
* CUE = CO2 of the facility energy / IT energy, WUE = site water / IT energy [XK6].
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

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
from designer.model.phasing import item_window, windows
from designer.model.project import Project
from designer.model.records import PlacedItem, Site
from designer.model.types import ItemKind, WorkloadClass

HOURS = 24
YearOf = Callable[[PlacedItem], int | None]
"""The year an item's capex is spent (None = the first year). Phasing points this at the item's in-service year."""
YearAnalysis = Callable[[int], Results]
"""The analysis of the design as built in a calendar year (``designer.analysis.economics_years.YearAnalyses``)."""

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
    """The cost of one placed item (or of the building of one hall)."""

    item_id: str
    catalog_id: str
    subsystem: str
    cost: float
    low: float
    high: float
    source: str
    confidence: str
    hall_id: str = ""
    """The hall a building line is for ("" for an item line, or a building line of no hall)."""


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
                   shell_cost_per_m2: float | None,
                   catalog: Mapping[str, CatalogEntry] | None = None) -> list[CapexLine]:
    """The building, one line per hall: ``building_cost_per_mw x`` the hall's design IT MW (+ shell per m2 of
    hall floor when set). Without ``catalog`` (or racks) one line of ``it_mw`` and no hall."""
    building = used["building_cost_per_mw"]
    rel_low = (building.low or building.value) / building.value if building.value > 0 else 1.0
    rel_high = (building.high or building.value) / building.value if building.value > 0 else 1.0
    hall_mw = _hall_it_mw(project, catalog) if catalog is not None else {}
    if not hall_mw:
        hall_mw = {"": it_mw}
    lines = []
    for hall_id, mw in hall_mw.items():
        cost = building.value * mw
        lines.append(CapexLine("", "building.per_mw", "building", cost, cost * rel_low, cost * rel_high,
                               building.source, building.confidence or "project", hall_id))
    if shell_cost_per_m2 is not None:
        for hall in project.halls.values():
            shell = shell_cost_per_m2 * hall.area_m2
            lines.append(CapexLine("", "building.shell_per_m2", "building", shell, shell, shell,
                                   "set in this project", "project", hall.id))
    return lines


def _hall_it_mw(project: Project, catalog: Mapping[str, CatalogEntry]) -> dict[str, float]:
    """Design IT MW of each hall with racks, in the project's hall order."""
    kw: dict[str, float] = {}
    for item in project.items.values():
        entry = catalog.get(item.catalog_id)
        if entry is not None and entry.is_rack:
            kw[item.hall_id] = kw.get(item.hall_id, 0.0) + effective.design_kw(item, entry)
    order = {hall_id: i for i, hall_id in enumerate(project.halls)}
    return {h: kw[h] / 1000.0 for h in sorted(kw, key=lambda h: order.get(h, len(order)))}


def hall_first_years(project: Project) -> dict[str, int | None]:
    """Each hall's first in-service year: the earliest of its items' (None when one of them is always there,
    or the hall is empty: the building then comes with the first phase)."""
    starts: dict[str, list[int | None]] = {}
    for item in project.items.values():
        starts.setdefault(item.hall_id, []).append(item_window(item, project.pods)[0])
    first: dict[str, int | None] = {hall_id: None for hall_id in project.halls}
    for hall_id, years in starts.items():
        known = [year for year in years if year is not None]
        first[hall_id] = min(known) if known and len(known) == len(years) else None
    return first


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
                  year_of: YearOf = in_first_year,
                  hall_year: Mapping[str, int | None] | None = None) -> dict[int, float]:
    """Capex by year of spend: each item's line in ``year_of(item)``, a hall's building lines in
    ``hall_year[hall]`` (None, unknown or before ``first_year``: the first year)."""
    by_year: dict[int, float] = {}
    for line, when in zip(lines, spend_years(lines, items, first_year, year_of, hall_year), strict=True):
        by_year[when] = by_year.get(when, 0.0) + line.cost
    return dict(sorted(by_year.items()))


def spend_years(lines: Sequence[CapexLine], items: Mapping[str, PlacedItem], first_year: int,
                year_of: YearOf = in_first_year, hall_year: Mapping[str, int | None] | None = None) -> list[int]:
    """The year each line is spent (see ``capex_by_year``)."""
    halls = hall_year or {}
    out = []
    for line in lines:
        if line.item_id:
            item = items.get(line.item_id)
            year = year_of(item) if item is not None else None
        else:
            year = halls.get(line.hall_id)
        out.append(first_year if year is None else max(int(year), first_year))
    return out


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


# ---------------------------------------------------------------------------- by year
@dataclass(frozen=True, slots=True)
class YearCost:
    """One calendar year of the study: capex spent at its start, opex paid at its end (the design as built)."""

    year: int
    capex_by_subsystem: Mapping[str, float]
    capex: float
    energy_cost: float
    maintenance: float
    water_cost: float
    it_mwh: float
    facility_mwh: float
    water_m3: float
    co2_t: float
    """NaN when the site's grid carbon intensity is unknown."""
    scenario_year: int | None
    """The scenario year whose inference share and AI density the year's energy was analysed at."""

    @property
    def opex(self) -> float:
        return self.energy_cost + self.maintenance + self.water_cost


@dataclass(frozen=True, slots=True)
class _Energy:
    energy_cost: float
    it_mwh: float
    facility_mwh: float
    water_m3: float
    water_cost: float
    co2_t: float


@dataclass(frozen=True, slots=True)
class _Prices:
    """What turns an hourly year into money and carbon."""

    tariff_per_kwh: float
    tariff_unknown: bool
    monthly_shape: tuple[float, ...]
    hourly_shape: tuple[float, ...]
    water_per_m3: float
    water_unknown: bool
    grid: GridCarbon | None

    def tariff_cells(self, year: HourlyYear) -> np.ndarray:
        if self.tariff_unknown:
            return np.full(year.facility_kw.shape, np.nan)  # a default tariff in another currency: unknown
        return self.tariff_per_kwh * _shape(year, self.monthly_shape, self.hourly_shape)

    def energy(self, year: HourlyYear) -> _Energy:
        facility_kwh = year.facility_kw * year.cell_hours
        water_m3 = float((year.water_l * year.cell_hours).sum()) / 1000.0
        water_cost = water_m3 * self.water_per_m3
        if self.water_unknown and water_m3 > 0:
            water_cost = float("nan")  # a default price in another currency: unknown until the project sets one
        co2_t = (float((facility_kwh * _carbon_g_per_kwh(year, self.grid)).sum()) / 1e6 if self.grid is not None
                 else float("nan"))
        return _Energy(float((facility_kwh * self.tariff_cells(year)).sum()),
                       float((year.it_kw * year.cell_hours).sum()) / 1000.0, float(facility_kwh.sum()) / 1000.0,
                       water_m3, water_cost, co2_t)


class _Spend:
    """Every capex line with its year of spend and its service window, as arrays (fast over 10k items)."""

    def __init__(self, lines: Sequence[CapexLine], project: Project, first_year: int, year_of: YearOf | None,
                 hall_year: Mapping[str, int | None]) -> None:
        def own_year(item: PlacedItem) -> int | None:
            return item_window(item, project.pods)[0]

        self.spent = np.array(spend_years(lines, project.items, first_year, year_of or own_year, hall_year),
                              dtype=np.int64)
        ends = []
        for line in lines:
            item = project.items.get(line.item_id) if line.item_id else None
            end = item_window(item, project.pods)[1] if item is not None else None
            ends.append(np.iinfo(np.int64).max if end is None else end)
        self.retired = np.array(ends, dtype=np.int64)
        self.cost = np.array([line.cost for line in lines], dtype=float)
        self.facility = np.array([line.subsystem != "it" for line in lines], dtype=bool)
        self.subsystem = [line.subsystem for line in lines]

    def by_year(self) -> dict[int, dict[str, float]]:
        out: dict[int, dict[str, float]] = {}
        for year, subsystem, cost in zip(self.spent.tolist(), self.subsystem, self.cost.tolist(), strict=True):
            row = out.setdefault(int(year), {name: 0.0 for name in SUBSYSTEMS})
            row[subsystem] += cost
        return dict(sorted(out.items()))

    def facility_standing(self, year: int | None) -> float:
        """Facility capex of the lines spent by ``year`` and not retired (all of it when ``year`` is None)."""
        if year is None:
            return float(self.cost[self.facility].sum())
        standing = self.facility & (self.spent <= year) & (year < self.retired)
        return float(self.cost[standing].sum())


def _without_retired(project: Project, catalog: Mapping[str, CatalogEntry],
                     first_year: int) -> tuple[Project, list[Uncosted]]:
    """The project without the items retired by the study's first year (they cost nothing in it), and those
    items listed by catalog entry."""
    gone = frozenset(item_id for item_id, (_start, end) in windows(project).items()
                     if end is not None and end <= first_year)
    if not gone:
        return project, []
    counts = Counter(project.items[item_id].catalog_id for item_id in gone)
    names = {cid: catalog[cid].name if cid in catalog else cid for cid in counts}
    return project.without_items(gone), [
        Uncosted(cid, names[cid], count, f"retired by {first_year}, before the study period")
        for cid, count in sorted(counts.items())]


# ---------------------------------------------------------------------------- summary
@dataclass(frozen=True)
class EconomicsSummary:
    """Cost, carbon and water of one analysed design. Money in ``currency`` of ``price_year``.

    The ``..._per_year`` figures are those of the analysed year (``analysed_year``); ``years`` holds every
    year of the study, each from the design as built that year, and the NPV adds them up.
    """

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
    years: tuple[YearCost, ...] = ()
    """Each year of the study period: capex spent, opex from the design as built that year."""
    capex_by_year_subsystem: Mapping[int, Mapping[str, float]] = field(default_factory=dict)
    """Capex by year of spend and subsystem (years after the study period included)."""
    capex_after_study: float = 0.0
    """Capex spent after the study period: listed, left out of the NPV."""
    opex_follows_years: bool = False
    """True: each year's opex comes from its own design as built; False: the analysed year stood for every year."""
    analysed_year: int | None = None

    @property
    def co2_known(self) -> bool:
        return self.grid is not None


def economics_summary(project: Project, analysis: Results, catalog: Mapping[str, CatalogEntry],
                      defaults: EconomicsDefaults, *, year_of: YearOf | None = None,
                      year_analysis: YearAnalysis | None = None,
                      inference_profile: Sequence[float] | None = None) -> EconomicsSummary:
    """Capex, opex, NPV, cost per MW and MWh of IT, CO2, CUE, WUE (and tokens) of an analysed design.

    ``catalog`` is the merged catalog the analysis used; ``defaults`` the sourced defaults;
    ``year_of`` the year each item's capex is spent (default: its own or its pod's in-service year);
    ``year_analysis`` the analysis of the design as built in a calendar year, for each year's opex
    (None: ``analysis`` stands for every year, right only for a design without years at one share);
    ``inference_profile`` (24 local-hour fractions) enables the per-token figures.
    """
    settings = project.settings.economics
    used = resolve_settings(settings, defaults)
    currency = settings.currency or defaults.currency
    price_year = settings.price_year or defaults.price_year
    scenario = project.active_scenario
    first_year = (scenario.years[0].year if scenario is not None and scenario.years
                  else analysis.year if analysis.year is not None else price_year)
    grid = site_grid_carbon(project.site, defaults)
    used["tariff_per_kwh"] = _regional_tariff(used["tariff_per_kwh"], grid, currency)
    project, retired = _without_retired(project, catalog, first_year)
    lines, uncosted = capex_lines(project, catalog, currency, price_year, used["escalation_rate"].value)
    uncosted += retired
    it_mw = design_it_mw(project, catalog)
    lines += building_lines(project, it_mw, used, settings.shell_cost_per_m2, catalog)
    if currency != defaults.currency and used["building_cost_per_mw"].is_default:
        lines = [line for line in lines if line.catalog_id != "building.per_mw"]
        uncosted.append(Uncosted("building.per_mw", "Building per MW (default)", 1,
                                 f"the default is in {defaults.currency}, the project counts in {currency}"))
    by_subsystem = {name: 0.0 for name in SUBSYSTEMS}
    for line in lines:
        by_subsystem[line.subsystem] += line.cost
    capex = float(sum(line.cost for line in lines))
    facility_capex = capex - by_subsystem["it"]
    spend = _Spend(lines, project, first_year, year_of, hall_first_years(project))

    prices = _Prices(used["tariff_per_kwh"].value,
                     currency != defaults.currency and used["tariff_per_kwh"].is_default,
                     settings.tariff_monthly_shape, settings.tariff_hourly_shape, used["water_cost_per_m3"].value,
                     currency != defaults.currency and used["water_cost_per_m3"].is_default, grid)
    year = hourly_year(analysis)
    energy = prices.energy(year)
    maintenance_rate = used["maintenance_rate"].value
    maintenance = spend.facility_standing(analysis.year) * maintenance_rate
    opex = energy.energy_cost + maintenance + energy.water_cost

    study = max(1, round(used["study_years"].value))
    rate = used["discount_rate"].value
    by_year_subsystem = spend.by_year()
    years: list[YearCost] = []
    for t in range(study):
        calendar = first_year + t
        own = year_analysis(calendar) if year_analysis is not None else analysis
        cost = prices.energy(hourly_year(own))
        spent = by_year_subsystem.get(calendar, {name: 0.0 for name in SUBSYSTEMS})
        years.append(YearCost(calendar, spent, float(sum(spent.values())), cost.energy_cost,
                              spend.facility_standing(calendar) * maintenance_rate, cost.water_cost, cost.it_mwh,
                              cost.facility_mwh, cost.water_m3, cost.co2_t, own.year))
    flows = [0.0] * (study + 1)
    for t, entry in enumerate(years):
        flows[t] += entry.capex
        flows[t + 1] += entry.opex
    total_npv = npv(flows, rate)
    discounted_it = npv([0.0] + [entry.it_mwh for entry in years], rate)
    capex_after = float(sum(sum(row.values()) for y, row in by_year_subsystem.items() if y >= first_year + study))

    it_kwh_total = energy.it_mwh * 1000.0
    tokens = None
    if inference_profile is not None:
        weights = year.cell_hours
        with np.errstate(divide="ignore", invalid="ignore"):
            pue_h = (year.facility_kw * weights).sum(axis=0) / (year.it_kw * weights).sum(axis=0)
            tariff_h = (prices.tariff_cells(year) * weights).sum(axis=0) / weights.sum(axis=0)
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
        capex_by_year={y: float(sum(row.values())) for y, row in by_year_subsystem.items()},
        lines=tuple(lines),
        uncosted=tuple(uncosted),
        energy_cost_per_year=energy.energy_cost,
        maintenance_per_year=maintenance,
        water_cost_per_year=energy.water_cost,
        opex_per_year=opex,
        npv=total_npv,
        study_years=study,
        discount_rate=rate,
        design_it_mw=it_mw,
        cost_per_mw_it=per(capex, it_mw),
        facility_cost_per_mw_it=per(facility_capex, it_mw),
        construction_reference=defaults.construction_per_mw if currency == defaults.currency else None,
        it_mwh_per_year=energy.it_mwh,
        facility_mwh_per_year=energy.facility_mwh,
        lcoe_per_mwh_it=per(total_npv, discounted_it),
        opex_per_mwh_it=per(opex, energy.it_mwh),
        annual_pue=per(energy.facility_mwh, energy.it_mwh),
        water_m3_per_year=energy.water_m3,
        wue_l_per_kwh=per(energy.water_m3 * 1000.0, it_kwh_total),
        co2_t_per_year=energy.co2_t,
        cue_kg_per_kwh=per(energy.co2_t * 1000.0, it_kwh_total) if math.isfinite(energy.co2_t) else float("nan"),
        grid=grid,
        energy_from_climate=year.from_climate,
        tokens=tokens,
        used=used,
        years=tuple(years),
        capex_by_year_subsystem=by_year_subsystem,
        capex_after_study=capex_after,
        opex_follows_years=year_analysis is not None,
        analysed_year=analysis.year,
    )
