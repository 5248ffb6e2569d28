"""Cost, carbon and water records: catalog unit costs, sourced defaults, grid regions and a project's overrides.

Money is nominal in a stated currency of a stated price year; a figure in another currency is never
added to the project's (the economics says so instead of converting at a guessed rate).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from designer.model.limits import Range
from designer.model.types import Confidence


class CostBasis(StrEnum):
    """What a catalog unit cost is per: one unit, one kW of its rating, or one metre of its run length."""

    UNIT = "unit"
    KW = "kw"
    METRE = "m"


@dataclass(frozen=True, slots=True)
class UnitCost:
    """A catalog entry's price: ``value`` (with its ``low``..``high`` spread) per ``per``."""

    value: float
    per: CostBasis
    currency: str
    price_year: int
    source: str
    confidence: Confidence
    low: float | None = None
    high: float | None = None

    @property
    def range(self) -> tuple[float, float]:
        """(low, high), the value itself where the source gave no spread."""
        return (self.value if self.low is None else self.low, self.value if self.high is None else self.high)


@dataclass(frozen=True, slots=True)
class TokenThroughput:
    """Output tokens per second of one rack at full power, on a named model and benchmark."""

    tokens_per_s: float
    model: str
    source: str
    confidence: Confidence


@dataclass(frozen=True, slots=True)
class Figure:
    """A sourced default: value, spread, unit, year of the figure, source keys and confidence."""

    value: float
    unit: str
    year: int
    source: str
    confidence: Confidence
    low: float | None = None
    high: float | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class RegionTariff:
    value: float
    currency: str
    year: int
    source: str
    confidence: Confidence


@dataclass(frozen=True, slots=True)
class GridRegion:
    """A region's grid carbon intensity (and, where sourced, its electricity tariff)."""

    id: str
    name: str
    g_per_kwh: float
    basis: str
    """"direct" (combustion, eGRID) or "lifecycle" (Ember, Electricity Maps)."""
    year: int
    source: str
    confidence: Confidence
    tariff: RegionTariff | None = None


@dataclass(frozen=True, slots=True)
class EconomicsDefaults:
    """The bundled defaults (``resources/economics/economics.json``)."""

    currency: str
    price_year: int
    figures: Mapping[str, Figure]
    regions: Mapping[str, GridRegion] = field(default_factory=dict)
    climate_regions: Mapping[str, str] = field(default_factory=dict)
    """climate id -> grid region id: the region a bundled climate's site defaults to."""
    construction_per_mw: Figure | None = None
    """Published whole-facility construction cost per MW of IT (without IT), to set a design's capex against."""


SETTING_KEYS: tuple[str, ...] = (
    "tariff_per_kwh",
    "maintenance_rate",
    "discount_rate",
    "study_years",
    "escalation_rate",
    "building_cost_per_mw",
    "water_cost_per_m3",
)
"""The project settings that fall back to a sourced default (``EconomicsDefaults.figures``)."""

SETTING_LIMITS: dict[str, Range] = {
    "tariff_per_kwh": Range(0.0, 10.0, why=" (money per kWh)"),
    "maintenance_rate": Range(0.0, 0.5, why=" (fraction of facility capex per year)"),
    "discount_rate": Range(-0.05, 1.0, why=" (per year)"),
    "study_years": Range(1.0, 100.0, why=" (years)"),
    "escalation_rate": Range(-0.2, 1.0, why=" (per year)"),
    "building_cost_per_mw": Range(0.0, 1e10, why=" (money per MW of design IT)"),
    "water_cost_per_m3": Range(0.0, 1000.0, why=" (money per m3)"),
    "shell_cost_per_m2": Range(0.0, 1e7, why=" (money per m2 of hall floor)"),
    "tariff_shape": Range(0.0, 20.0, why=" (multiplier of the tariff)"),
    "grid_carbon_g_per_kwh": Range(0.0, 2000.0, why=" (gCO2 per kWh; coal ~1000)"),
    "unit_cost": Range(0.0, 1e10),
    "tokens_per_s": Range(0.0, 1e9, positive=True),
}
"""Accepted ranges of every economics value a file or a dialog may set."""


@dataclass(frozen=True, slots=True)
class CandidateSite:
    """A place the same design could be built: its climate, location, tariff, grid carbon and land/shell cost.

    ``None`` values fall back as for the project's own site (the region's or the bundled defaults).
    """

    name: str
    latitude_deg: float
    longitude_deg: float
    climate_id: str
    tariff_per_kwh: float | None = None
    grid_region_id: str = ""
    grid_carbon_g_per_kwh: float | None = None
    land_cost: float | None = None
    """One-off land or shell cost at this site, in the project's currency (spent in the first year)."""


@dataclass(frozen=True, slots=True)
class EconomicsSettings:
    """A project's economics: each ``None`` falls back to the bundled sourced default."""

    currency: str | None = None
    price_year: int | None = None
    tariff_per_kwh: float | None = None
    maintenance_rate: float | None = None
    discount_rate: float | None = None
    study_years: float | None = None
    escalation_rate: float | None = None
    building_cost_per_mw: float | None = None
    water_cost_per_m3: float | None = None
    shell_cost_per_m2: float | None = None
    """Shell cost per m² of hall floor, on top of ``building_cost_per_mw`` (no sourced default: unused when None)."""
    tariff_monthly_shape: tuple[float, ...] = ()
    """Empty, or 12 multipliers of the tariff, January first."""
    tariff_hourly_shape: tuple[float, ...] = ()
    """Empty, or 24 multipliers of the tariff by local hour."""
    candidate_sites: tuple[CandidateSite, ...] = ()
    """The places the design is compared at (Analysis ▸ Sites Side by Side, ``dc-designer sites``); empty:
    none kept (the dialog suggests every bundled climate)."""

    def override(self, key: str) -> float | None:
        """The project's own value of a ``SETTING_KEYS`` setting (None = the default)."""
        if key not in SETTING_KEYS:
            raise KeyError(key)
        value = getattr(self, key)
        return None if value is None else float(value)

    def with_override(self, key: str, value: float | None) -> EconomicsSettings:
        if key not in SETTING_KEYS and key != "shell_cost_per_m2":
            raise KeyError(key)
        changes: dict[str, object] = {key: value}
        return replace(self, **changes)  # type: ignore[arg-type]
