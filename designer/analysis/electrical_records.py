"""The electrical figures' records and constants, and the per-run rules every path shares (amps, breaker, cable)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from designer.analysis import phase_balance
from designer.analysis.autonomy import GeneratorAutonomy, SwingEstimate, UpsAutonomy
from designer.analysis.cable_routes import route_in_hall_mm
from designer.analysis.conductors import (
    SQRT3,
    CableChoice,
    ConductorTable,
    pick_breaker,
    pick_conductor,
    voltage_drop_fraction,
)
from designer.analysis.electrical_plan import Plan
from designer.analysis.electrical_rows import CodedColumn, FigureRows
from designer.analysis.findings import Finding
from designer.analysis.loads import FloatArray
from designer.analysis.results import Results
from designer.analysis.supply_voltage import input_voltage_v
from designer.model import effective
from designer.model.catalog import CatalogEntry
from designer.model.phases import phase_count
from designer.model.project import Project
from designer.model.records import PlacedItem
from designer.model.roles import SOURCE_ROLES
from designer.model.types import Role

DEFAULT_POWER_FACTOR = 0.95
"""Power factor of equipment and racks whose entry gives none (E: 80 PLUS Platinum/Titanium server
supplies must reach 0.95 at half load; the catalog's kW ratings are its kVA at 0.95)."""
LV_MAX_V = 1000.0
"""Above this a run is medium voltage: outside the LV ampacity tables (no cable or breaker picked)."""
AMP_RATED_ROLES = frozenset({Role.ATS, Role.LV_SWITCHBOARD, Role.FLOOR_PDU, Role.RPP, Role.BUSWAY, Role.RACK_PDU})
"""Equipment whose rating is written in amps: checked against it with the continuous derating."""
AMP_RATED_VALUES = frozenset(role.value for role in AMP_RATED_ROLES)
_SOURCE_VALUES = frozenset(role.value for role in SOURCE_ROLES)


@dataclass(frozen=True, slots=True)
class NodeFigures:
    """One power-chain item (or rack): its electrical figures."""

    item_id: str
    role: str
    voltage_v: float
    phases: int
    power_factor: float
    load_kw: float
    """At the analysed hour (a power part: what it carries through; a rack: its IT kW)."""
    design_kw: float
    """The higher of that and its worst single-failure load (a rack: its nameplate)."""
    rated_kva: float | None
    rated_a: float | None
    phase: str | None = None
    """Racks and rack PDUs: the assigned phase(s) (``L1``, ``L2``, ``L3``, ``L1L2L3``), None unassigned."""
    primary_voltage_v: float | None = None
    """Transformers: the voltage they are fed at (their ratio is ``primary_voltage_v : voltage_v``)."""

    @property
    def load_kva(self) -> float:
        return self.load_kw / self.power_factor

    @property
    def design_kva(self) -> float:
        return self.design_kw / self.power_factor

    @property
    def load_a(self) -> float:
        return amps(self.load_kva, self.voltage_v, self.phases)

    @property
    def design_a(self) -> float:
        return amps(self.design_kva, self.voltage_v, self.phases)

    @property
    def current_utilization(self) -> float | None:
        """Design current over the amp rating (None without one)."""
        return self.design_a / self.rated_a if self.rated_a else None


@dataclass(frozen=True, slots=True)
class FeedFigures:
    """One power connection: the current it carries, its breaker, route and cable."""

    connection_id: str
    source_id: str
    target_id: str
    feed: str
    voltage_v: float
    phases: int
    power_factor: float
    load_kw: float
    """Its share of the consumer's load at the analysed hour (normal running)."""
    design_kw: float
    """With the partner feed lost (see ``electrical``'s module notes)."""
    breaker_a: float | None
    """None: medium voltage, or beyond the largest standard rating."""
    route_m: float
    """Orthogonal distance along the plan (to a busway: from its axis)."""
    length_m: float
    """Cable length: route with slack plus the vertical rise and drop."""
    same_hall: bool
    """False: the ends are in different halls (the route is measured on the site plan, ``cable_routes``)."""
    cable: str
    """Conductor size, ``3 x 240 mm²`` for parallel sets; empty when none was picked."""
    cable_parallel: int
    cable_area_mm2: float
    ampacity_a: float
    voltage_drop: float
    """At design current, as a fraction of the nominal voltage."""
    estimated_load: bool = False
    """The consumer is a cooling unit whose electrical draw is estimated from its catalog figures."""
    route_measured: bool = True
    """False: the ends are in different halls and one has no site position (laid out beside the others),
    so the length is an estimate."""

    @property
    def design_a(self) -> float:
        return amps(self.design_kw / self.power_factor, self.voltage_v, self.phases)

    @property
    def load_a(self) -> float:
        return amps(self.load_kw / self.power_factor, self.voltage_v, self.phases)

    @property
    def design_kva(self) -> float:
        return self.design_kw / self.power_factor


@dataclass(frozen=True, slots=True)
class BuswayRun:
    """The length of a busway run on the plan."""

    item_id: str
    length_m: float
    """The longer of its drawn length and the span of the racks it feeds along its axis."""


@dataclass(frozen=True, slots=True)
class ElectricalResults:
    """Everything ``electrical_figures`` works out, with its findings."""

    standard: str
    material: str
    table_name: str
    derating: float
    nodes: Sequence[NodeFigures]
    feeds: Sequence[FeedFigures]
    """A ``FigureRows`` (rows made when read) from ``electrical_figures``; a tuple reads the same."""
    busways: tuple[BuswayRun, ...]
    panels: tuple[phase_balance.PanelPhases, ...]
    ups: tuple[UpsAutonomy, ...]
    generators: tuple[GeneratorAutonomy, ...]
    swings: tuple[SwingEstimate, ...]
    """The analysed point first, then one per year of the active scenario (the transition)."""
    findings: tuple[Finding, ...]
    _node_index: dict[str, int] = field(default_factory=dict, repr=False, compare=False)
    _feed_index: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def node(self, item_id: str) -> NodeFigures | None:
        """The figures of a power item or rack (None for anything else)."""
        return _row_by_id(self.nodes, self._node_index, "item_id", item_id)

    def feed(self, connection_id: str) -> FeedFigures | None:
        """The figures of a power connection (None for a cooling one)."""
        return _row_by_id(self.feeds, self._feed_index, "connection_id", connection_id)

    def feeds_of(self, item_id: str) -> list[FeedFigures]:
        """The feeds that supply ``item_id``."""
        feeds = self.feeds
        if isinstance(feeds, FigureRows):
            targets = feeds.column(2)
            if isinstance(targets, CodedColumn):
                return [feeds[i] for i in targets.rows_of(item_id).tolist()]
            return [feeds[i] for i, target_id in enumerate(targets) if target_id == item_id]
        return [f for f in feeds if f.target_id == item_id]

    def panel(self, item_id: str) -> phase_balance.PanelPhases | None:
        for panel in self.panels:
            if panel.item_id == item_id:
                return panel
        return None


_Row = TypeVar("_Row")


def _row_by_id(rows: Sequence[_Row], index: dict[str, int], id_field: str, wanted: str) -> _Row | None:
    """The row of ``rows`` whose first field (``id_field``) is ``wanted`` (None if none), through
    ``index`` (id -> row), filled on the first call."""
    if not index:
        ids = rows.column(0) if isinstance(rows, FigureRows) else [getattr(row, id_field) for row in rows]
        index.update({row_id: i for i, row_id in enumerate(ids)})
    at = index.get(wanted)
    return None if at is None else rows[at]


def amps(kva: float, voltage_v: float, phases: int) -> float:
    """Line current of ``kva`` at line-to-line ``voltage_v``: three-phase, or one phase at V/sqrt(3)."""
    if voltage_v <= 0:
        return math.nan
    if phases == 3:
        return kva * 1000.0 / (SQRT3 * voltage_v)
    return kva * 1000.0 / (voltage_v / SQRT3)


def _amps_column(kva: FloatArray, voltage: FloatArray, phases: NDArray[np.integer[Any]]) -> FloatArray:
    """``amps`` of each row, the same float operations in the same order."""
    with np.errstate(divide="ignore", invalid="ignore"):
        three = kva * 1000.0 / (SQRT3 * voltage)
        one = kva * 1000.0 / (voltage / SQRT3)
    return np.where(voltage <= 0, np.nan, np.where(phases == 3, three, one))


def power_factor(entry: CatalogEntry) -> float:
    return entry.number("power_factor", DEFAULT_POWER_FACTOR) or DEFAULT_POWER_FACTOR


_Fallback = TypeVar("_Fallback", float, None)


def consumer_electrics(entry: CatalogEntry, estimated: bool,
                       fallback_power_factor: _Fallback) -> tuple[int, float | _Fallback, float | None]:
    """A consumer's phases, power factor and own input voltage, as its feeds are sized: three phases
    but for racks and rack PDUs (their own count), the catalog's power factor for racks and estimated loads (else
    ``fallback_power_factor``), no input voltage of its own for a rack."""
    return (phase_count(entry) if entry.is_rack or entry.role is Role.RACK_PDU else 3,
            power_factor(entry) if entry.is_rack or estimated else fallback_power_factor,
            None if entry.is_rack else input_voltage_v(entry))


def rated_current_a(item: PlacedItem, entry: CatalogEntry, voltage_v: float) -> tuple[float | None, float | None]:
    """(rated kVA, rated A) of equipment as written in its entry, scaled by the item's rating override."""
    capacity = effective.rating_kw(item, entry)
    scale = capacity / entry.capacity_kw if entry.capacity_kw > 0 else 1.0
    current = entry.number("current_a", 0.0)
    kva = entry.number("kva", 0.0)
    if kva <= 0:
        kva = capacity / power_factor(entry) if capacity > 0 else 0.0
    else:
        kva *= scale
    if current > 0:
        return kva or None, current * scale
    return (kva, amps(kva, voltage_v, 3)) if kva > 0 else (None, None)


def cooling_unit_kw(entry: CatalogEntry) -> float:
    """Electrical draw of a cooling unit at its rating, estimated from its catalog figures: fans and pumps
    per kW of heat, plus a compressor at its rated COP (chillers and self-contained units)."""
    heat = entry.capacity_kw
    draw = heat * (entry.number("fan_kw_per_kw", 0.0) + entry.number("pump_kw_per_kw", 0.0))
    cop = entry.number("cop_mechanical", 0.0)
    if cop > 0:
        draw += heat / cop
    return draw


@dataclass(slots=True)
class _Inputs:
    project: Project
    catalog: Mapping[str, CatalogEntry]
    results: Results
    table: ConductorTable
    derating: float
    power: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    """Power components: (load kW at the hour, worst kW, loss kW)."""
    racks: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Racks: (IT kW at the hour, nameplate kW with the density factor; 0 when unserved)."""
    load_power_factor: float = DEFAULT_POWER_FACTOR
    """The racks' power factor, nameplate-weighted over the design (``load_power_factor``)."""
    plan: Plan | None = None
    """What is kept between calls for these very records (routes, voltages, sizing; ``electrical_plan``)."""


def protection_for(table: ConductorTable, memo: dict[tuple[float, float, int], tuple[float | None, CableChoice | None]],
                   design_a: float, voltage_v: float, phases: int, derating: float,
                   ) -> tuple[float | None, CableChoice | None]:
    """(breaker, conductor) of an LV feed drawing ``design_a``, kept in ``memo`` by (amps, volts, phases):
    the breaker above the derated current, the conductor for that breaker (or the current, without one)."""
    key = (design_a, voltage_v, phases)
    sized = memo.get(key)
    if sized is None:
        required = design_a / derating
        breaker = pick_breaker(table, required)
        sized = memo[key] = (breaker, pick_conductor(table, breaker or required))
    return sized


def upsized_for_drop(table: ConductorTable, choice: CableChoice, current_a: float, length_m: float,
                     voltage_v: float, phases: int, pf: float, limit: float) -> tuple[CableChoice, float]:
    """(``choice`` or the next larger conductors, then more parallel sets, until the run's voltage drop is
    within ``limit``; its drop). The largest tried when none is (the voltage-drop finding then reports it)."""
    drop = voltage_drop_fraction(table, choice, current_a, length_m, voltage_v, phases, pf)
    if drop <= limit:
        return choice, drop
    candidates = _larger_choices(table, choice)
    for candidate in candidates:
        drop = voltage_drop_fraction(table, candidate, current_a, length_m, voltage_v, phases, pf)
        if drop <= limit:
            return candidate, drop
    return (candidates[-1], drop) if candidates else (choice, drop)


@lru_cache(maxsize=512)
def _larger_choices(table: ConductorTable, choice: CableChoice) -> tuple[CableChoice, ...]:
    """The cables above ``choice`` in the order a designer would try them: larger sizes, then more sets."""
    larger = [CableChoice(c, choice.parallel) for c in table.conductors if c.area_mm2 > choice.conductor.area_mm2]
    larger += [CableChoice(c, n) for n in range(choice.parallel + 1, table.max_parallel + 1)
               for c in table.conductors if c.area_mm2 >= table.min_parallel_area_mm2]
    return tuple(larger)


def route_mm_between(source: PlacedItem | None, source_entry: CatalogEntry | None,
                     target: PlacedItem) -> tuple[float, bool]:
    """(orthogonal route in mm, same hall) from a supplier to a consumer on one plan, ignoring the halls'
    site positions (``cable_routes.SiteRoutes`` measures between halls; the feeds use that)."""
    if source is None:
        return 0.0, False
    return route_in_hall_mm(source, source_entry, target), source.hall_id == target.hall_id
