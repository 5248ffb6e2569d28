"""Catalog entries: the real equipment a design is built from, each with its source."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from designer.model.economics import TokenThroughput, UnitCost
from designer.model.roles import COOLING_STAGE_BY_ROLE, POWER_STAGE_BY_ROLE
from designer.model.types import (
    Confidence,
    CoolingMedium,
    ItemKind,
    Role,
    WorkloadClass,
)

ParameterValue = float | str | bool


@dataclass(frozen=True, slots=True)
class LossModel:
    """Electrical stage losses ``loss = a*R + b*P + c*P**2/R`` (fractions of rating R and load P)."""

    fixed_fraction: float = 0.0
    proportional_fraction: float = 0.0
    square_fraction: float = 0.0

    def loss_kw(self, load_kw: float, rating_kw: float) -> float:
        """Losses at ``load_kw`` through a stage rated ``rating_kw``."""
        if rating_kw <= 0:
            return 0.0
        return (
            self.fixed_fraction * rating_kw
            + self.proportional_fraction * load_kw
            + self.square_fraction * load_kw * load_kw / rating_kw
        )


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One type of equipment. Ratings are the app's chosen default; ranges keep the reference spread."""

    id: str
    kind: ItemKind
    role: Role
    name: str
    width_mm: float
    depth_mm: float
    source: str
    confidence: Confidence
    height_mm: float = 0.0
    weight_kg: float = 0.0
    capacity_kw: float = 0.0
    """Racks: nameplate design IT kW. Power: rated kW. Cooling: rated thermal kW."""
    capacity_range_kw: tuple[float, float] | None = None
    manufacturer: str = ""
    workload: WorkloadClass | None = None
    liquid_fraction: float = 0.0
    liquid_fraction_range: tuple[float, float] | None = None
    medium: CoolingMedium | None = None
    """Cooling equipment: the medium it delivers to its consumers."""
    loss: LossModel | None = None
    parameters: Mapping[str, ParameterValue] = field(default_factory=dict)
    notes: str = ""
    unit_cost: UnitCost | None = None
    """Price per unit, kW or metre with its spread, currency, price year and source (None: unknown)."""
    token_throughput: TokenThroughput | None = None
    """Racks: sourced output tokens per second at full power (None where no source gives one)."""

    @property
    def is_rack(self) -> bool:
        return self.kind is ItemKind.RACK

    @property
    def in_power_chain(self) -> bool:
        return self.role in POWER_STAGE_BY_ROLE

    @property
    def in_cooling_chain(self) -> bool:
        return self.role in COOLING_STAGE_BY_ROLE

    @property
    def footprint_m2(self) -> float:
        return self.width_mm * self.depth_mm / 1e6

    def number(self, key: str, default: float) -> float:
        """A numeric parameter, or ``default`` when it is absent or not a number."""
        value = self.parameters.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return default
        return float(value)


class Catalog(Mapping[str, CatalogEntry]):
    """An immutable id -> entry mapping; later layers (user folder, project file) override earlier ones."""

    def __init__(self, entries: Iterable[CatalogEntry] = ()) -> None:
        self._entries: dict[str, CatalogEntry] = {}
        for entry in entries:
            self._entries[entry.id] = entry

    def __getitem__(self, catalog_id: str) -> CatalogEntry:
        return self._entries[catalog_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, catalog_id: object) -> bool:
        return catalog_id in self._entries

    def get(self, catalog_id: str, default: CatalogEntry | None = None) -> CatalogEntry | None:  # type: ignore[override]
        """The entry of ``catalog_id`` or ``default`` (a dict lookup: the analysis calls it per item)."""
        return self._entries.get(catalog_id, default)

    def merged(self, entries: Iterable[CatalogEntry]) -> Catalog:
        """A new catalog with ``entries`` added or replacing entries of the same id."""
        return Catalog([*self._entries.values(), *entries])

    def by_kind(self, kind: ItemKind) -> list[CatalogEntry]:
        return [entry for entry in self._entries.values() if entry.kind is kind]


def merged_catalog(catalog: Mapping[str, CatalogEntry], custom: Mapping[str, CatalogEntry]) -> Catalog:
    """The catalog a project sees: ``catalog`` with the project's own entries (``custom``) added or overriding.

    The one place the two are merged; pass ``project.custom_catalog`` as ``custom``.
    """
    return Catalog([*catalog.values(), *custom.values()])
