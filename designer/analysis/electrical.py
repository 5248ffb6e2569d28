"""Electrical figures of a design: volts, amps, kVA per item and per feed, breakers, cables, phases.

Computed after the analysis, from its ``Results`` (the kW each part carries at the analysed hour and
in its worst single failure) and the plan, so the per-edit analysis stays as fast as it was:
``electrical_figures(project, catalog, results)`` is a separate call (the CLI's ``analyze --json``,
the inspector, the report and ``bench`` make it). Its figures are the ones a single-line diagram
labels: ``ElectricalResults.node(item_id)`` and ``.feed(connection_id)``.

Conventions. ``voltage_v`` is the system's line-to-line voltage; a single-phase load draws from one
phase at ``V / sqrt(3)``. Current ``I = kVA * 1000 / (sqrt(3) V)`` for three phases,
``kVA * 1000 / (V / sqrt(3))`` for one. A feed's *design* current is what it carries with its partner
feed lost (a 2N rack's A cord carries the whole rack); its breaker is the smallest standard rating
at or above design current / continuous derating (80 % NEC practice, 1.0 for assemblies rated for
100 % continuous load: ``settings.continuous_derating``), and its cable the smallest conductor of
the chosen ampacity table (IEC 60364-5-52 or NEC 310.16) whose ampacity meets the breaker rating.
"""

from __future__ import annotations

import math
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from designer.analysis import phase_balance
from designer.analysis.autonomy import (
    GeneratorAutonomy,
    SwingEstimate,
    UpsAutonomy,
    autonomy_findings,
    generator_autonomy,
    swing_estimates,
    ups_autonomy,
)
from designer.analysis.cable_routes import route_in_hall_mm
from designer.analysis.conductors import (
    SQRT3,
    CableChoice,
    ConductorTable,
    bundled_conductor_tables,
    pick_breaker,
    pick_conductor,
    voltage_drop_fraction,
)
from designer.analysis.electrical_plan import ItemColumns, Plan, lock, plan_for, scratch_plan
from designer.analysis.electrical_rows import CodedColumn, FigureRows, OptionalColumn, column_list
from designer.analysis.findings import Finding, id_list, sort_findings
from designer.analysis.loads import BoolArray, FloatArray, IntArray
from designer.analysis.results import Results, StrArray
from designer.analysis.supply_voltage import DEFAULT_VOLTAGE_V, SupplyVoltages, input_voltage_v, output_voltage_v
from designer.analysis.transformers import transformer_findings
from designer.model import effective
from designer.model.catalog import CatalogEntry
from designer.model.phases import phase_count
from designer.model.project import Project
from designer.model.records import Connection, PlacedItem
from designer.model.roles import COOLING_UNIT_ROLES, SOURCE_ROLES
from designer.model.types import ConnectionKind, Role, WorkloadClass

DEFAULT_POWER_FACTOR = 0.95
"""Power factor of equipment and racks whose entry gives none (E: 80 PLUS Platinum/Titanium server
supplies must reach 0.95 at half load; the catalog's kW ratings are its kVA at 0.95)."""
LV_MAX_V = 1000.0
"""Above this a run is medium voltage: outside the LV ampacity tables (no cable or breaker picked)."""
AMP_RATED_ROLES = frozenset({Role.ATS, Role.LV_SWITCHBOARD, Role.FLOOR_PDU, Role.RPP, Role.BUSWAY, Role.RACK_PDU})
"""Equipment whose rating is written in amps: checked against it with the continuous derating."""


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
    """With the partner feed lost (see the module notes)."""
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
        if not self._node_index:
            nodes = self.nodes
            ids = nodes.column(0) if isinstance(nodes, FigureRows) else [n.item_id for n in nodes]
            self._node_index.update({item_id: i for i, item_id in enumerate(ids)})
        index = self._node_index.get(item_id)
        return None if index is None else self.nodes[index]

    def feed(self, connection_id: str) -> FeedFigures | None:
        """The figures of a power connection (None for a cooling one)."""
        if not self._feed_index:
            feeds = self.feeds
            ids = feeds.column(0) if isinstance(feeds, FigureRows) else [f.connection_id for f in feeds]
            self._feed_index.update({connection_id: i for i, connection_id in enumerate(ids)})
        index = self._feed_index.get(connection_id)
        return None if index is None else self.feeds[index]

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


def amps(kva: float, voltage_v: float, phases: int) -> float:
    """Line current of ``kva`` at line-to-line ``voltage_v``: three-phase, or one phase at V/sqrt(3)."""
    if voltage_v <= 0:
        return math.nan
    if phases == 3:
        return kva * 1000.0 / (SQRT3 * voltage_v)
    return kva * 1000.0 / (voltage_v / SQRT3)


def power_factor(entry: CatalogEntry) -> float:
    return entry.number("power_factor", DEFAULT_POWER_FACTOR) or DEFAULT_POWER_FACTOR


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


def electrical_figures(
    project: Project,
    catalog: Mapping[str, CatalogEntry],
    results: Results,
    *,
    profiles: Mapping[WorkloadClass, FloatArray] | None = None,
    tables: Mapping[tuple[str, str], ConductorTable] | None = None,
) -> ElectricalResults:
    """The electrical figures of ``project`` as analysed in ``results`` (with the same catalog).

    ``profiles`` are the 24-hour utilisation curves (default: the bundled ones in the site's local
    time), used for the phase loads over the design day; ``tables`` the ampacity tables (default:
    the bundled file).
    """
    settings = project.settings
    all_tables = tables if tables is not None else bundled_conductor_tables()
    table = all_tables[(settings.cable_standard, settings.conductor_material)]
    if profiles is None:
        from designer.analysis.profiles import load_profiles

        profiles = load_profiles(project.site.utc_offset_h).by_class
    with lock:
        plan = plan_for(project, catalog, table)
        inputs = _Inputs(project, catalog, results, table, settings.continuous_derating, plan=plan)
        voltages = plan.voltages
        loads = _read_loads(inputs, plan)
        nodes, n_power = _node_rows(inputs, voltages, loads)
        # racks are never amp-rated, transformers or a feed's limiting source: the checks read the power items,
        # and of those only the rows they may report are made
        ids, roles = nodes.column(0)[:n_power], nodes.column(1)[:n_power]
        rated_a = nodes.column(8).tolist(0, n_power)
        checked = _checked_nodes(nodes, n_power, inputs.derating)
        source_limits = {item_id: a for item_id, role, a in zip(ids, roles, rated_a, strict=True)
                         if a and role not in _SOURCE_VALUES}
        node_by_id = _RowLookup(nodes, dict(zip(ids, range(n_power), strict=True)))
        feeds = _feed_rows(inputs, plan, nodes, loads, project.connections.values())
        busways = plan.memo.get("busways")
        if busways is None:
            busways = plan.memo["busways"] = tuple(_busway_runs(project, catalog))
        rack_day = phase_balance.rack_day_kw(project, catalog, results, profiles, memo=plan.memo)
        panels = phase_balance.panel_phases(project, catalog, rack_day, voltages, DEFAULT_VOLTAGE_V, memo=plan.memo)
        ups = ups_autonomy(project, catalog, results, memo=plan.memo)
        generators = generator_autonomy(project, catalog, results, memo=plan.memo)
        swings = swing_estimates(project, catalog, results, ups, memo=plan.memo)
        findings = [
            *_current_findings(checked, inputs.derating),
            *_feed_findings(feeds, node_by_id, settings.voltage_drop_limit, plan, source_limits),
            *phase_balance.imbalance_findings(panels, settings.phase_imbalance_limit),
            *autonomy_findings(ups, generators, swings),
            *transformer_findings(project, catalog, checked, memo=plan.memo),
        ]
        # the kept plan lets go of the project it was worked on (a snapshot's dicts, ~27 MB at 50k racks, held
        # until the next call otherwise): the next call binds its own
        plan.voltages.unbind()
    return ElectricalResults(
        standard=settings.cable_standard,
        material=settings.conductor_material,
        table_name=table.name,
        derating=inputs.derating,
        nodes=nodes,
        feeds=feeds,
        busways=tuple(busways),
        panels=tuple(panels),
        ups=tuple(ups),
        generators=tuple(generators),
        swings=tuple(swings),
        findings=sort_findings(findings),
    )


def item_figures(project: Project, catalog: Mapping[str, CatalogEntry], results: Results,
                 item_id: str) -> tuple[NodeFigures | None, tuple[FeedFigures, ...]]:
    """The figures of one item and of the feeds that supply it, without the rest of the design (for the
    inspector: milliseconds where ``electrical_figures`` of a 10k-rack campus takes most of a second)."""
    settings = project.settings
    table = bundled_conductor_tables()[(settings.cable_standard, settings.conductor_material)]
    plan = scratch_plan(project, catalog, table)  # not the kept one: no waiting on a whole design's figures
    inputs = _Inputs(project, catalog, results, table, settings.continuous_derating, plan=plan)
    _read_results(inputs, only=item_id)
    voltages = plan.voltages
    nodes = {n.item_id: n for n in _nodes(inputs, voltages)}
    supplying = [c for c in project.connections_of(item_id) if c.target_id == item_id]
    # a cooling unit has no node: its feeds are still sized (on its estimated draw)
    feeds = _feeds(inputs, voltages, nodes, supplying)
    return nodes.get(item_id), tuple(feeds)


def load_power_factor(project: Project, catalog: Mapping[str, CatalogEntry], results: Results) -> float:
    """The power factor of the design's load: served racks' nameplate kW over their kVA (the racks dominate
    what the chain carries; cooling units are left out). Equipment currents use it, not the equipment's
    own ``power_factor``, which only documents how its kW rating was derived from its kVA."""
    return _load_power_factor(project, catalog, results, {})


_RackStatic = tuple[float, float, bool] | None
"""A rack's (nameplate kW, power factor, AI workload); None: no such item or entry."""


def _rack_static(project: Project, catalog: Mapping[str, CatalogEntry], rack_id: str,
                 known: dict[str, _RackStatic]) -> _RackStatic:
    if rack_id in known:
        return known[rack_id]
    item = project.items.get(rack_id)
    entry = catalog.get(item.catalog_id) if item is not None else None
    value: _RackStatic = None
    if item is not None and entry is not None:
        value = (effective.design_kw(item, entry), power_factor(entry),
                 effective.workload(item, entry) is WorkloadClass.AI)
    known[rack_id] = value
    return value


def _load_power_factor(project: Project, catalog: Mapping[str, CatalogEntry], results: Results,
                       known: dict[str, _RackStatic]) -> float:
    kw = kva = 0.0
    for rack_id, served in zip(results.rack_ids.tolist(), results.rack_served.tolist(), strict=True):
        if not served:
            continue
        static = _rack_static(project, catalog, rack_id, known)
        if static is None:
            continue
        nameplate = static[0]
        kw += nameplate
        kva += nameplate / static[1]
    return kw / kva if kva > 0 else DEFAULT_POWER_FACTOR


def _read_results(inputs: _Inputs, only: str | None = None) -> None:
    """The loads of the results by id (``only``: just that item's)."""
    results = inputs.results
    # not "racks": a kept plan's memo of that name is the whole design's rack table (``_read_loads``)
    known: dict[str, _RackStatic] = inputs.plan.memo.setdefault("rack_static", {}) if inputs.plan is not None else {}
    inputs.load_power_factor = _load_power_factor(inputs.project, inputs.catalog, results, known)
    power = np.flatnonzero(results.component_kinds == "power")
    if only is not None:
        power = power[results.component_ids[power] == only]
    ids = results.component_ids[power].tolist()
    load = results.component_load_kw[power].astype(np.float64)
    loss = results.component_loss_kw[power].astype(np.float64)
    worst = results.component_worst_failure_utilization[power] * results.component_capacity_kw[power]
    worst = np.where(np.isfinite(worst), worst, 0.0)
    # max(load, worst) as Python's max picks it: the load unless the worst is larger (a NaN load stays NaN)
    design = np.where(worst > load, worst, load)
    inputs.power = dict(zip(ids, zip(load.tolist(), design.tolist(), loss.tolist(), strict=True), strict=True))
    density = results.ai_density_factor
    project, catalog = inputs.project, inputs.catalog
    rack_ids, rack_kw, served = results.rack_ids, results.rack_it_kw, results.rack_served
    if only is not None:
        pick = np.flatnonzero(rack_ids == only)
        rack_ids, rack_kw, served = rack_ids[pick], rack_kw[pick], served[pick]
    racks = inputs.racks
    for rack_id, kw, live in zip(rack_ids.tolist(), rack_kw.tolist(), served.tolist(), strict=True):
        static = _rack_static(project, catalog, rack_id, known)
        if static is None:
            continue
        nameplate = static[0]
        if static[2]:
            nameplate *= density
        racks[rack_id] = (float(kw), nameplate if live else 0.0)


_PowerStatic = tuple[str, float, float | None, float | None, "str | None", float | None, str] | None
"""A power item's (role, voltage, rated kVA, rated A, phase, primary V, its id as the project holds it); None: no
such item or entry."""


def _power_static(inputs: _Inputs, voltages: SupplyVoltages, power_static: dict[str, _PowerStatic],
                  item_id: str) -> _PowerStatic:
    """A power item's static figures, worked out once and kept in ``power_static`` (the plan's memo)."""
    item = inputs.project.items.get(item_id)
    entry = inputs.catalog.get(item.catalog_id) if item is not None else None
    static: _PowerStatic = None
    if item is not None and entry is not None:
        voltage = voltages.get(item_id) or output_voltage_v(entry) or DEFAULT_VOLTAGE_V
        kva, current = rated_current_a(item, entry, voltage)
        # StrEnum members are their strings: ``.value`` (an enum property, slow in bulk) is not needed
        primary = entry.number("mv_voltage_v", 0.0) or None
        static = (entry.role, voltage, kva, current, item.phase, primary, item.id)
    power_static[item_id] = static
    return static


def _nodes(inputs: _Inputs, voltages: SupplyVoltages) -> list[NodeFigures]:
    nodes: list[NodeFigures] = []
    memo = inputs.plan.memo if inputs.plan is not None else {}
    power_static: dict[str, _PowerStatic] = memo.setdefault("power_nodes", {})
    rack_static: dict[str, tuple[float, int, float, str | None]] = memo.setdefault("rack_nodes", {})
    per_entry: dict[str, tuple[float, int]] = {}
    items, catalog = inputs.project.items, inputs.catalog
    pf_load = inputs.load_power_factor
    for item_id, (load, worst, _loss) in inputs.power.items():
        static = power_static[item_id] if item_id in power_static else _power_static(
            inputs, voltages, power_static, item_id)
        if static is None:
            continue
        role, voltage, kva, current, phase, primary, _own_id = static
        nodes.append(NodeFigures(item_id, role, voltage, 3, pf_load, load, worst, kva, current, phase, primary))
    rack = Role.RACK
    for rack_id, (load, nameplate) in inputs.racks.items():
        known = rack_static.get(rack_id)
        if known is None:
            item = items[rack_id]
            entry = catalog[item.catalog_id]
            voltage = output_voltage_v(entry) or voltages.get(rack_id) or DEFAULT_VOLTAGE_V
            pf, phases = per_entry.get(entry.id) or per_entry.setdefault(entry.id, (power_factor(entry),
                                                                                    phase_count(entry)))
            known = rack_static[rack_id] = (voltage, phases, pf, item.phase)
        voltage, phases, pf, phase = known
        nodes.append(NodeFigures(rack_id, rack, voltage, phases, pf, load, nameplate, None, None, phase))
    return nodes


class _RackTable(ItemColumns):
    """The racks of one set of results, in their order, with what the figures read of each one's item and entry,
    in columns (kept in the plan for the same rack ids; ``forget`` redoes a rack whose load fields changed)."""

    __slots__ = ("ai", "ids", "nameplate", "pf", "phase_code", "phase_table", "phases", "rack_ids", "rows", "voltage")

    def __init__(self, inputs: _Inputs, voltages: SupplyVoltages, rack_ids: StrArray) -> None:
        super().__init__()
        items, catalog = inputs.project.items, inputs.catalog
        self.rack_ids = rack_ids
        """The results' rack ids this table was made for."""
        rows: list[int] = []
        ids: list[str] = []
        voltage: list[float] = []
        phases: list[int] = []
        pf: list[float] = []
        phase: list[str | None] = []
        per_entry: dict[str, tuple[float, int]] = {}
        for row, rack_id in enumerate(rack_ids.tolist()):
            item = items.get(rack_id)
            entry = catalog.get(item.catalog_id) if item is not None else None
            if item is None or entry is None:
                continue
            rows.append(row)
            ids.append(item.id)  # the project's string (the results' ids are made anew by each ``tolist``)
            voltage.append(output_voltage_v(entry) or voltages.get(item.id) or DEFAULT_VOLTAGE_V)
            known = per_entry.get(entry.id) or per_entry.setdefault(entry.id, (power_factor(entry), phase_count(entry)))
            pf.append(known[0])
            phases.append(known[1])
            phase.append(item.phase)
        self.rows: NDArray[np.int32] = np.array(rows, dtype=np.int32)
        """The rows of ``rack_ids`` with an item and an entry (the racks with figures), in order."""
        self.ids = ids
        self.voltage: FloatArray = np.array(voltage, dtype=np.float64)
        self.phases: NDArray[np.int8] = np.array(phases, dtype=np.int8)
        self.pf: FloatArray = np.array(pf, dtype=np.float64)
        self.phase_table: dict[str | None, int] = {}
        """Each rack's phase (``PlacedItem.phase``) as a code into the phases met, in the order met."""
        self.phase_code: NDArray[np.int32] = np.array([self.phase_table.setdefault(p, len(self.phase_table))
                                                       for p in phase], dtype=np.int32)
        self.nameplate: FloatArray = np.zeros(len(ids))
        """Design kW (``effective.design_kw``) of each rack with figures; ``ai``: its workload is AI."""
        self.ai: BoolArray = np.zeros(len(ids), dtype=bool)
        self._loads(inputs, range(len(ids)))

    def _loads(self, inputs: _Inputs, rows: Iterable[int]) -> None:
        items, catalog = inputs.project.items, inputs.catalog
        for row in rows:
            item = items[self.ids[row]]
            entry = catalog[item.catalog_id]
            self.nameplate[row] = effective.design_kw(item, entry)
            self.ai[row] = effective.workload(item, entry) is WorkloadClass.AI

    def fresh(self, inputs: _Inputs) -> None:
        """Redo the design kW and workload of the racks forgotten since (load-only edits keep the plan)."""
        if self.stale:
            stale, self.stale = self.stale, set()
            self._loads(inputs, [row for row, item_id in enumerate(self.ids) if item_id in stale])

    def load_power_factor(self, served: BoolArray) -> float:
        """``load_power_factor`` of these racks (summed one by one in rack order, as it always was)."""
        live = served[self.rows]
        kw = kva = 0.0
        for nameplate, pf in zip(self.nameplate[live].tolist(), self.pf[live].tolist(), strict=True):
            kw += nameplate
            kva += nameplate / pf
        return kw / kva if kva > 0 else DEFAULT_POWER_FACTOR


@dataclass(frozen=True, slots=True)
class _Loads:
    """The loads of one call's results, in columns: every power component's (in the results' order), and the
    racks' of the rack table (IT kW at the hour, nameplate with the density factor; 0 when unserved)."""

    power_ids: list[str]
    power_load: FloatArray
    power_design: FloatArray
    power_loss: FloatArray
    racks: _RackTable
    rack_load: FloatArray
    rack_design: FloatArray


def _read_loads(inputs: _Inputs, plan: Plan) -> _Loads:
    """``_read_results`` of the whole design, in columns (the same values: the same float64 operations)."""
    results = inputs.results
    racks = plan.memo.get("racks")
    if not (isinstance(racks, _RackTable) and np.array_equal(racks.rack_ids, results.rack_ids)):
        racks = plan.memo["racks"] = _RackTable(inputs, plan.voltages, results.rack_ids)
    racks.fresh(inputs)
    inputs.load_power_factor = racks.load_power_factor(results.rack_served)
    power = np.flatnonzero(results.component_kinds == "power")
    load = results.component_load_kw[power].astype(np.float64)
    loss = results.component_loss_kw[power].astype(np.float64)
    worst = results.component_worst_failure_utilization[power] * results.component_capacity_kw[power]
    worst = np.where(np.isfinite(worst), worst, 0.0)
    # max(load, worst) as Python's max picks it: the load unless the worst is larger (a NaN load stays NaN)
    design = np.where(worst > load, worst, load)
    rows = racks.rows
    density = results.ai_density_factor
    rated = np.where(racks.ai, racks.nameplate * density, racks.nameplate)
    # the ids as the project holds them where it has the item (kept with the consumers: not a string per call)
    items = inputs.project.items
    ids = [item.id if (item := items.get(i)) is not None else i for i in results.component_ids[power].tolist()]
    return _Loads(ids, load, design, loss, racks,
                  results.rack_it_kw[rows].astype(np.float64), np.where(results.rack_served[rows], rated, 0.0))


def _node_rows(inputs: _Inputs, voltages: SupplyVoltages, loads: _Loads) -> tuple[FigureRows[NodeFigures], int]:
    """``_nodes`` as lazy rows (the power items first, then the racks) and how many power items lead."""
    memo = inputs.plan.memo if inputs.plan is not None else {}
    power_static: dict[str, _PowerStatic] = memo.setdefault("power_nodes", {})
    ids: list[str] = []
    roles: list[str] = []
    phase_of: list[str | None] = []
    picked: list[int] = []
    figures: list[tuple[float, float, float, float, bool, bool, bool]] = []
    nan = math.nan
    for row, item_id in enumerate(loads.power_ids):
        static = power_static[item_id] if item_id in power_static else _power_static(
            inputs, voltages, power_static, item_id)
        if static is None:
            continue
        role, voltage, kva, current, phase, primary, own_id = static
        ids.append(own_id)
        roles.append(role)
        phase_of.append(phase)
        picked.append(row)
        figures.append((voltage, nan if kva is None else kva, nan if current is None else current,
                        nan if primary is None else primary, kva is not None, current is not None, primary is not None))
    n_power = len(ids)
    racks = loads.racks
    n_racks = len(racks.ids)
    at = np.array(picked, dtype=np.int64)
    values = np.array([f[:4] for f in figures], dtype=np.float64).reshape(-1, 4)
    present = np.array([f[4:] for f in figures], dtype=bool).reshape(-1, 3)
    total = n_power + n_racks
    # roles and phases: codes into the few distinct values (the racks' phase codes are the rack table's, its
    # table copied first so that they keep their meaning)
    role_table: dict[str, int] = {Role.RACK: 0}
    role_codes = np.array([role_table.setdefault(role, len(role_table)) for role in roles] + [0] * n_racks,
                          dtype=np.int8 if len(role_table) < 128 else np.int32)
    phase_table = dict(racks.phase_table)
    power_phases = [phase_table.setdefault(phase, len(phase_table)) for phase in phase_of]
    phase_codes = np.concatenate([np.array(power_phases, dtype=np.int32), racks.phase_code.astype(np.int32)])
    columns = (
        ids + racks.ids, CodedColumn(role_codes, list(role_table)), np.concatenate([values[:, 0], racks.voltage]),
        np.concatenate([np.full(n_power, 3, dtype=np.int8), racks.phases]),
        np.concatenate([np.full(n_power, inputs.load_power_factor), racks.pf]),
        np.concatenate([loads.power_load[at], loads.rack_load]),
        np.concatenate([loads.power_design[at], loads.rack_design]),
        # a rack has no rating and no primary voltage: these columns hold the power parts' rows only
        OptionalColumn(values[:, 1].copy(), present[:, 0].copy(), total),
        OptionalColumn(values[:, 2].copy(), present[:, 1].copy(), total),
        CodedColumn(phase_codes, list(phase_table)),
        OptionalColumn(values[:, 3].copy(), present[:, 2].copy(), total))
    return FigureRows(NodeFigures, columns), n_power


def _feed_groups(connections: Iterable[Connection]) -> dict[str, dict[str, list[Connection]]]:
    """Power connections by consumer, then by feed side."""
    groups: dict[str, dict[str, list[Connection]]] = {}
    power = ConnectionKind.POWER
    for connection in connections:
        if connection.kind is power:
            sides = groups.get(connection.target_id)
            if sides is None:
                sides = groups[connection.target_id] = {}
            side = sides.get(connection.feed)
            if side is None:
                sides[connection.feed] = [connection]
            else:
                side.append(connection)
    return groups


_Side = tuple[list[Connection], list[bool], int, int, list[tuple[PlacedItem | None, CatalogEntry | None]]]
"""One feed side of a consumer: its connections, which come from a generator, how many do and do not,
and each one's supplier with its entry."""
_Group = tuple[str, PlacedItem, CatalogEntry, list[_Side]]
"""A consumer with its item, entry and feed sides."""


def _prepared_groups(inputs: _Inputs, connections: Iterable[Connection]) -> list[_Group]:
    """The consumers of ``connections`` with their feed sides (the topology ``_feeds`` reads)."""
    project, catalog = inputs.project, inputs.catalog
    items = project.items

    def entry_of(item_id: str) -> CatalogEntry | None:
        item = items.get(item_id)
        return catalog.get(item.catalog_id) if item is not None else None

    groups: list[_Group] = []
    for target_id, sides in _feed_groups(connections).items():
        target = items.get(target_id)
        target_entry = entry_of(target_id)
        if target is None or target_entry is None:
            continue
        prepared: list[_Side] = []
        for side in sides.values():
            sources = [(items.get(c.source_id), entry_of(c.source_id)) for c in side]
            standby = [e is not None and e.role is Role.GENERATOR for _item, e in sources]
            n_standby = sum(standby)
            prepared.append((side, standby, n_standby, len(side) - n_standby, sources))
        groups.append((target_id, target, target_entry, prepared))
    return groups


def _feeds(inputs: _Inputs, voltages: SupplyVoltages, nodes: Mapping[str, NodeFigures],
           connections: Iterable[Connection]) -> list[FeedFigures]:
    """The figures of the power ``connections``, one by one (``_feed_rows`` does every connection in columns)."""
    plan = inputs.plan
    groups = _prepared_groups(inputs, connections)
    sizing: dict[tuple[float, float, int], tuple[float | None, CableChoice | None]] = (
        plan.sizing if plan is not None else {})
    per_entry: dict[str, tuple[int, float, float | None]] = {}
    feeds: list[FeedFigures] = []
    for target_id, target, target_entry, sides in groups:
        estimated = False
        node = nodes.get(target_id)
        if node is not None and target_entry.is_rack:
            load_kw, design_kw = node.load_kw, node.design_kw
        elif node is not None:
            loss = inputs.power.get(target_id, (0.0, 0.0, 0.0))[2]
            load_kw, design_kw = node.load_kw + loss, node.design_kw + loss
        elif target_entry.role in COOLING_UNIT_ROLES:
            load_kw = design_kw = cooling_unit_kw(target_entry)
            estimated = True
        else:
            continue
        known = per_entry.get(target_entry.id)
        if known is None:
            known = per_entry[target_entry.id] = (
                phase_count(target_entry) if target_entry.is_rack or target_entry.role is Role.RACK_PDU else 3,
                power_factor(target_entry) if target_entry.is_rack or estimated else inputs.load_power_factor,
                None if target_entry.is_rack else input_voltage_v(target_entry))
        phases, pf, target_v = known
        live_groups = len(sides)
        for side, standby, n_standby, n_normal, sources in sides:
            for connection, is_standby, (source, source_entry) in zip(side, standby, sources, strict=True):
                carriers = n_standby if is_standby else n_normal
                share_design = 1.0 / max(carriers, 1)
                share_now = 0.0 if is_standby and n_normal else 1.0 / (max(carriers, 1) * live_groups)
                voltage = target_v or voltages.get(connection.source_id) or DEFAULT_VOLTAGE_V
                feeds.append(_feed(connection, source, source_entry, target, inputs, sizing, voltage, phases, pf,
                                   load_kw * share_now, design_kw * share_design, estimated))
    return feeds


def _feed(connection: Connection, source: PlacedItem | None, source_entry: CatalogEntry | None, target: PlacedItem,
          inputs: _Inputs, sizing: dict[tuple[float, float, int], tuple[float | None, CableChoice | None]],
          voltage: float, phases: int, pf: float, load_kw: float, design_kw: float, estimated: bool) -> FeedFigures:
    settings, table, plan = inputs.project.settings, inputs.table, inputs.plan
    design_a = amps(design_kw / pf, voltage, phases)
    if plan is None:
        plan = inputs.plan = scratch_plan(inputs.project, inputs.catalog, table)
    route = plan.route_of.get(connection.id)
    if route is None:
        route = plan.route_of[connection.id] = plan.routes.route(source, source_entry, target)
    route_mm = route.route_mm
    length_m = (route_mm * (1.0 + settings.cable_slack) + settings.cable_vertical_mm) / 1000.0
    breaker: float | None = None
    cable, parallel, area, ampacity, drop = "", 0, 0.0, 0.0, 0.0
    if voltage <= LV_MAX_V and design_a > 0:
        breaker, choice = protection_for(table, sizing, design_a, voltage, phases, inputs.derating)
        if choice is not None:
            # the run's voltage, phases and length are the connection's while the plan holds
            drop_key = (connection.id, design_a, pf)
            upsized = plan.drop.get(drop_key)
            if upsized is None:
                upsized = plan.drop[drop_key] = upsized_for_drop(table, choice, design_a, length_m, voltage, phases,
                                                                 pf, settings.voltage_drop_limit)
            choice, drop = upsized
            cable, parallel = choice.label, choice.parallel
            area, ampacity = choice.conductor.area_mm2, choice.ampacity_a
    return FeedFigures(connection.id, connection.source_id, connection.target_id, connection.feed, voltage,
                       phases, pf, load_kw, design_kw, breaker, route_mm / 1000.0, length_m, route.same_hall, cable,
                       parallel, area, ampacity, drop, estimated, route.sited)


@dataclass(frozen=True, slots=True)
class _FeedStatic:
    """The whole project's power feeds as columns, in ``_feeds``' order, with what the topology decides."""

    group_target: list[str]
    """Each consumer's id (columns, not a tuple per consumer: 82,000 of them at 50k racks)."""
    group_entry: list[CatalogEntry]
    group_rows: IntArray
    """(consumers, 2) its feeds' rows ``[start, end)``."""
    connection_id: list[str]
    source_code: NDArray[np.int32]
    """Each feed's supplier, an index into ``sources`` (``FeedFigures.source_id``)."""
    sources: list[str]
    target_group: NDArray[np.int32]
    """Each feed's consumer, an index into ``group_target``."""
    side_code: NDArray[np.int8]
    """Its feed side, an index into ``sides``."""
    sides: list[str]
    shared: FloatArray
    """The few distinct values of the three columns below (shares of a consumer's load, suppliers' voltages)."""
    source_v: NDArray[np.integer[Any]]
    share_now: NDArray[np.integer[Any]]
    share_design: NDArray[np.integer[Any]]
    """Codes into ``shared`` (one byte a row where a float was eight)."""
    route_m: FloatArray
    length_m: FloatArray
    same_hall: BoolArray
    sited: BoolArray


@dataclass(slots=True)
class _FeedSizing:
    """Each static row's last sizing (breaker, cable, drop) and the figures it was made for. Replaced, never
    written in place, once handed out: the figures of a call hold these very arrays as their columns."""

    design_a: FloatArray
    pf: FloatArray
    voltage: FloatArray
    phases: NDArray[np.integer[Any]]
    breaker: FloatArray
    has_breaker: BoolArray
    choice: IntArray
    """Index into ``choices`` (0: no cable)."""
    drop: FloatArray
    choices: list[CableChoice | None]
    """The cable choices met so far, ``None`` first (appended to only: a code keeps its choice)."""
    choice_code: dict[CableChoice, int]
    labels: list[str]
    parallels: list[int]
    areas: list[float]
    ampacities: list[float]
    """Each choice's figures as a feed row holds them (``""``, 0, 0.0, 0.0 for no cable)."""

    def code(self, choice: CableChoice) -> int:
        code = self.choice_code.get(choice)
        if code is None:
            code = self.choice_code[choice] = len(self.choices)
            self.choices.append(choice)
            self.labels.append(choice.label)
            self.parallels.append(choice.parallel)
            self.areas.append(choice.conductor.area_mm2)
            self.ampacities.append(choice.ampacity_a)
        return code


def _feed_static(inputs: _Inputs, plan: Plan, connections: Iterable[Connection]) -> _FeedStatic:
    settings = inputs.project.settings
    group_target: list[str] = []
    group_entry: list[CatalogEntry] = []
    group_rows: list[int] = []
    ids: list[str] = []
    source_code = array("i")
    sources: dict[str, int] = {}
    target_group = array("i")
    side_code = array("b")
    side_names: dict[str, int] = {}
    # float and bool columns gathered as machine numbers (no Python float per feed, even for the moment)
    source_v = array("d")
    now = array("d")
    design = array("d")
    route_m = array("d")
    length_m = array("d")
    same_hall = array("b")
    sited = array("b")
    own_v: dict[str, bool] = {}
    for target_id, target, target_entry, sides in _prepared_groups(inputs, connections):
        start, group = len(ids), len(group_target)
        live_groups = len(sides)
        # a consumer fed at its entry's voltage never uses its suppliers' (``_feed_rows`` picks that first)
        if target_entry.id not in own_v:
            own_v[target_entry.id] = not target_entry.is_rack and bool(input_voltage_v(target_entry))
        fed_at_own = own_v[target_entry.id]
        for side, standby, n_standby, n_normal, side_sources in sides:
            for connection, is_standby, (source, source_entry) in zip(side, standby, side_sources, strict=True):
                carriers = n_standby if is_standby else n_normal
                design.append(1.0 / max(carriers, 1))
                now.append(0.0 if is_standby and n_normal else 1.0 / (max(carriers, 1) * live_groups))
                ids.append(connection.id)
                code = sources.get(connection.source_id)
                if code is None:
                    code = sources[connection.source_id] = len(sources)
                source_code.append(code)
                target_group.append(group)
                code = side_names.get(connection.feed)
                if code is None:
                    code = side_names[connection.feed] = len(side_names)
                side_code.append(code)
                source_v.append(0.0 if fed_at_own else plan.voltages.get(connection.source_id) or DEFAULT_VOLTAGE_V)
                # not kept in ``plan.route_of`` (145,000 routes at 50k racks): these columns keep what is read
                route = plan.routes.route(source, source_entry, target)
                route_m.append(route.route_mm / 1000.0)
                length_m.append((route.route_mm * (1.0 + settings.cable_slack) + settings.cable_vertical_mm) / 1000.0)
                same_hall.append(route.same_hall)
                sited.append(route.sited)
        group_target.append(target_id)
        group_entry.append(target_entry)
        group_rows += (start, len(ids))

    def floats(values: array[float]) -> FloatArray:
        return np.frombuffer(values, dtype=np.float64) if values else np.zeros(0)

    def flags(values: array[int]) -> BoolArray:
        return np.frombuffer(values, dtype=np.int8).astype(bool) if values else np.zeros(0, dtype=bool)

    # the shares and voltages take a few distinct values: a code per row into them (the very values: no feed
    # has a negative zero, the one value ``unique`` would merge with another)
    n = len(ids)
    shared, inverse = np.unique(np.concatenate([floats(source_v), floats(now), floats(design)]), return_inverse=True)
    codes: NDArray[np.integer[Any]] = inverse.astype(np.int8 if len(shared) < 128 else np.int32)
    return _FeedStatic(group_target, group_entry, np.array(group_rows, dtype=np.int64).reshape(-1, 2), ids,
                       np.array(source_code, dtype=np.int32), list(sources), np.array(target_group, dtype=np.int32),
                       np.array(side_code, dtype=np.int8), list(side_names), shared, codes[:n], codes[n:2 * n],
                       codes[2 * n:], floats(route_m), floats(length_m),
                       flags(same_hall), flags(sited))


def _feed_rows(inputs: _Inputs, plan: Plan, nodes: FigureRows[NodeFigures], loads: _Loads,
               connections: Iterable[Connection]) -> FigureRows[FeedFigures]:
    """``_feeds`` of every connection of the project, worked out in columns (the same figures, bit for bit:
    the same operations in the same order, on float64), its rows made only when read."""
    static = plan.memo.get("feed_static")
    if not isinstance(static, _FeedStatic):
        static = plan.memo["feed_static"] = _feed_static(inputs, plan, connections)
    node_ids: list[str] = nodes.column(0)
    key = (tuple(loads.power_ids), loads.racks)
    kept = plan.memo.get("feed_consumers")
    if not (isinstance(kept, _Consumers) and kept.key[1] is key[1] and kept.key[0] == key[0]):
        kept = plan.memo["feed_consumers"] = _consumers(static, node_ids, loads.power_ids, key)
    # the loads of the consumers: a rack's, a power part's with its losses, a cooling unit's estimate
    # a row past the end reads the 0.0 appended there (a consumer without one: its value is not picked)
    node_load, node_design = np.append(nodes.column(5), 0.0), np.append(nodes.column(6), 0.0)
    at = np.where(kept.node_row >= 0, kept.node_row, len(node_load) - 1)
    loss = np.append(loads.power_loss, 0.0)[np.where(kept.loss_row >= 0, kept.loss_row, len(loads.power_loss))]
    rack, power = kept.kind == _RACK, kept.kind == _POWER
    g_load = np.where(rack, node_load[at], np.where(power, node_load[at] + loss, kept.estimate_kw))
    g_design = np.where(rack, node_design[at], np.where(power, node_design[at] + loss, kept.estimate_kw))
    g_pf = np.where(kept.own_pf, kept.pf, inputs.load_power_factor)
    starts, ends = kept.starts, kept.ends
    total = len(static.connection_id)
    counts = ends - starts
    whole = int(counts.sum()) == total
    if whole:
        rows = np.arange(total)
    else:  # each consumer's rows in turn: its start, then on by one
        offsets = np.cumsum(counts) - counts
        rows = np.repeat(starts - offsets, counts) + np.arange(int(counts.sum()))
    shared = static.shared
    load = np.repeat(g_load, counts) * shared[static.share_now[rows]]
    design = np.repeat(g_design, counts) * shared[static.share_design[rows]]
    phases_col = np.repeat(kept.phases, counts)
    pf_col = np.repeat(g_pf, counts)
    target_v_col = np.repeat(kept.target_v, counts)
    voltage = np.where(target_v_col > 0, target_v_col, shared[static.source_v[rows]])
    design_a = _amps_column(design / pf_col, voltage, phases_col)
    sizing = _resize(inputs, plan, static, rows, whole, design_a, pf_col, voltage, phases_col)
    estimated_col = np.repeat(kept.estimated, counts)

    def pick(column: Any) -> Any:
        """A static (or sizing) column as it is when every row is figured (never written in place: not copied)."""
        if whole:
            return column
        if isinstance(column, np.ndarray):
            return column[rows]
        return [column[i] for i in rows.tolist()]

    choice = pick(sizing.choice)
    return FigureRows(FeedFigures, (
        pick(static.connection_id), CodedColumn(pick(static.source_code), static.sources),
        CodedColumn(pick(static.target_group), static.group_target), CodedColumn(pick(static.side_code), static.sides),
        voltage, phases_col, pf_col, load, design,
        OptionalColumn(pick(sizing.breaker), pick(sizing.has_breaker)), pick(static.route_m), pick(static.length_m),
        pick(static.same_hall), CodedColumn(choice, sizing.labels), CodedColumn(choice, sizing.parallels),
        CodedColumn(choice, sizing.areas), CodedColumn(choice, sizing.ampacities), pick(sizing.drop),
        estimated_col, pick(static.sited)))


_RACK, _POWER, _COOLING = 0, 1, 2


@dataclass(frozen=True, slots=True)
class _Consumers:
    """The consumers whose feeds are figured (those with loads, and cooling units), for one set of loaded ids."""

    key: tuple[tuple[str, ...], _RackTable]
    """The power components' ids and the rack table these were worked out for."""
    node_row: NDArray[np.int32]
    """Its row of the call's node figures (-1: none, a cooling unit)."""
    loss_row: NDArray[np.int32]
    """Its row among the power components (its loss; -1: none)."""
    kind: NDArray[np.int8]
    estimate_kw: FloatArray
    starts: NDArray[np.int32]
    ends: NDArray[np.int32]
    phases: NDArray[np.int8]
    pf: FloatArray
    own_pf: BoolArray
    """False: the design's load power factor (``load_power_factor``, of the call) rather than ``pf``."""
    target_v: FloatArray
    """0: none (the supplier's voltage is used)."""
    estimated: BoolArray


def _consumers(static: _FeedStatic, node_ids: Sequence[str], power_ids: Sequence[str],
               key: tuple[tuple[str, ...], _RackTable]) -> _Consumers:
    """Which consumers are figured and how (the rules of ``_feeds``, in its order, first entry seen first)."""
    per_entry: dict[str, tuple[int, float | None, float | None]] = {}
    # by id, the last row of an id winning (a rack after a power part of its id), as the dicts of ``_feeds`` had it
    node_row = {item_id: row for row, item_id in enumerate(node_ids)}
    loss_row = {item_id: row for row, item_id in enumerate(power_ids)}
    columns: list[tuple[int, int, int, float, int, int, int, float, bool, float, bool]] = []
    for target_id, target_entry, (start, end) in zip(static.group_target, static.group_entry,
                                                     static.group_rows.tolist(), strict=True):
        estimated = False
        estimate = 0.0
        row = node_row.get(target_id, -1)
        if row >= 0 and target_entry.is_rack:
            kind = _RACK
        elif row >= 0:
            kind = _POWER
        elif target_entry.role in COOLING_UNIT_ROLES:
            kind, estimate, estimated = _COOLING, cooling_unit_kw(target_entry), True
        else:
            continue
        known = per_entry.get(target_entry.id)
        if known is None:
            known = per_entry[target_entry.id] = (
                phase_count(target_entry) if target_entry.is_rack or target_entry.role is Role.RACK_PDU else 3,
                power_factor(target_entry) if target_entry.is_rack or estimated else None,
                None if target_entry.is_rack else input_voltage_v(target_entry))
        phases, pf, target_v = known
        columns.append((row, loss_row.get(target_id, -1), kind, estimate, start, end, phases,
                        0.0 if pf is None else pf, pf is not None, target_v or 0.0, estimated))
    n = len(columns)

    def column(index: int, dtype: Any) -> Any:
        return np.array([c[index] for c in columns], dtype=dtype).reshape(n)

    return _Consumers(key, column(0, np.int32), column(1, np.int32), column(2, np.int8), column(3, np.float64),
                      column(4, np.int32), column(5, np.int32), column(6, np.int8), column(7, np.float64),
                      column(8, bool), column(9, np.float64), column(10, bool))


def _amps_column(kva: FloatArray, voltage: FloatArray, phases: NDArray[np.integer[Any]]) -> FloatArray:
    """``amps`` of each row, the same float operations in the same order."""
    with np.errstate(divide="ignore", invalid="ignore"):
        three = kva * 1000.0 / (SQRT3 * voltage)
        one = kva * 1000.0 / (voltage / SQRT3)
    return np.where(voltage <= 0, np.nan, np.where(phases == 3, three, one))


def _resize(inputs: _Inputs, plan: Plan, static: _FeedStatic, rows: IntArray, whole: bool, design_a: FloatArray,
            pf: FloatArray, voltage: FloatArray, phases: NDArray[np.integer[Any]]) -> _FeedSizing:
    """The kept sizing of every static row, redone for the rows whose current, PF, voltage or phases changed."""
    total = len(static.connection_id)
    sizing = plan.memo.get("feed_sizing")
    if not isinstance(sizing, _FeedSizing):
        nan = np.full(total, np.nan)
        sizing = plan.memo["feed_sizing"] = _FeedSizing(
            nan, nan, nan, np.zeros(total, dtype=np.int64), np.zeros(total), np.zeros(total, dtype=bool),
            np.zeros(total, dtype=np.int32), np.zeros(total), [None], {}, [""], [0], [0.0], [0.0])
    same = ((sizing.design_a[rows] == design_a) & (sizing.pf[rows] == pf) & (sizing.voltage[rows] == voltage)
            & (sizing.phases[rows] == phases))
    changed = np.flatnonzero(~same)
    if changed.size:
        table, limit, table_sizing = inputs.table, inputs.project.settings.voltage_drop_limit, plan.sizing
        breakers: list[float] = []
        has_breaker: list[bool] = []
        codes: list[int] = []
        drops: list[float] = []
        for row, current, factor, volts, count in zip(
                rows[changed].tolist(), design_a[changed].tolist(), pf[changed].tolist(),
                voltage[changed].tolist(), phases[changed].tolist(), strict=True):
            breaker: float | None = None
            code, drop = 0, 0.0
            if volts <= LV_MAX_V and current > 0:
                breaker, choice = protection_for(table, table_sizing, current, volts, count, inputs.derating)
                if choice is not None:
                    choice, drop = upsized_for_drop(table, choice, current, float(static.length_m[row]), volts, count,
                                                    factor, limit)
                    code = sizing.code(choice)
            breakers.append(0.0 if breaker is None else breaker)
            has_breaker.append(breaker is not None)
            codes.append(code)
            drops.append(drop)
        at = rows[changed]
        # new arrays, not writes into the old ones: the figures of the last call hold those as their columns
        sizing.breaker, sizing.has_breaker = sizing.breaker.copy(), sizing.has_breaker.copy()
        sizing.choice, sizing.drop = sizing.choice.copy(), sizing.drop.copy()
        sizing.breaker[at] = breakers
        sizing.has_breaker[at] = has_breaker
        sizing.choice[at] = codes
        sizing.drop[at] = drops
    if whole:  # the figures this sizing is for: this call's own columns (never written in place)
        sizing.design_a, sizing.pf, sizing.voltage, sizing.phases = design_a, pf, voltage, phases
    elif changed.size:
        at = rows[changed]
        for name, values in (("design_a", design_a), ("pf", pf), ("voltage", voltage), ("phases", phases)):
            column = getattr(sizing, name).copy()
            column[at] = values[changed]
            setattr(sizing, name, column)
    return sizing


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


def _busway_runs(project: Project, catalog: Mapping[str, CatalogEntry]) -> list[BuswayRun]:
    items = project.items
    consumers: dict[str, list[PlacedItem]] = defaultdict(list)
    for connection in project.connections.values():
        if connection.kind is ConnectionKind.POWER and connection.target_id in items:
            consumers[connection.source_id].append(items[connection.target_id])
    runs: list[BuswayRun] = []
    for item in items.values():
        entry = catalog.get(item.catalog_id)
        if entry is None or entry.role is not Role.BUSWAY:
            continue
        angle = math.radians(item.rotation_deg)
        ax, ay = math.cos(angle), math.sin(angle)
        low, high = -entry.width_mm / 2.0, entry.width_mm / 2.0
        for other in consumers.get(item.id, ()):
            along = (other.x_mm - item.x_mm) * ax + (other.y_mm - item.y_mm) * ay
            low, high = min(low, along), max(high, along)
        runs.append(BuswayRun(item.id, (high - low) / 1000.0))
    return runs


def _checked_nodes(nodes: FigureRows[NodeFigures], n_power: int, derating: float) -> list[NodeFigures]:
    """The transformers, and the amp-rated parts whose design current may be past ``derating`` of their rating
    (a superset of what ``_current_findings`` reports: it redoes its test on these), in node order."""
    roles = nodes.column(1)[:n_power]
    volts, pfs, designs = (nodes.column(i)[:n_power].tolist() for i in (2, 4, 6))
    rated_a = nodes.column(8).tolist(0, n_power)
    floor = min(1.0, derating)
    transformer = Role.TRANSFORMER
    checked: list[NodeFigures] = []
    for i in range(n_power):
        role, rated, voltage = roles[i], rated_a[i], volts[i]
        if role == transformer or (rated and role in AMP_RATED_VALUES and voltage > 0
              and designs[i] / pfs[i] * 1000.0 / (SQRT3 * voltage) / rated > floor):
            checked.append(nodes[i])
    return checked


def _current_findings(nodes: list[NodeFigures], derating: float) -> list[Finding]:
    over: list[NodeFigures] = []
    above: list[NodeFigures] = []
    for node in nodes:
        if node.role not in AMP_RATED_VALUES or not node.rated_a:
            continue
        util = node.design_a / node.rated_a
        if util > 1.0 + 1e-6:
            over.append(node)
        elif util > derating + 1e-6:
            above.append(node)
    findings: list[Finding] = []
    for node in over:
        findings.append(Finding(
            "error", "current_over_rating",
            f"{node.item_id} ({node.role}) carries {node.design_a:,.0f} A at design load (its worst single "
            f"failure), over its {node.rated_a:,.0f} A rating", (node.item_id,)))
    if above:
        worst = max(above, key=lambda n: n.design_a / (n.rated_a or 1.0))
        findings.append(Finding(
            "warning", "current_above_continuous",
            f"{len(above)} amp-rated part(s) carry more than the {derating:.0%} of their rating allowed for "
            f"continuous load at design load (their worst single failure; worst {worst.item_id}: "
            f"{worst.design_a:,.0f} A of {worst.rated_a:,.0f} A): "
            f"{id_list(n.item_id for n in above)}", tuple(n.item_id for n in above)))
    return findings


AMP_RATED_VALUES = frozenset(role.value for role in AMP_RATED_ROLES)
_SOURCE_VALUES = frozenset(role.value for role in SOURCE_ROLES)


def _flagged_rows(feeds: FigureRows[FeedFigures], limit_of: Mapping[str, float], drop_limit: float) -> BoolArray:
    """Rows some check of ``_feed_findings`` may report (a superset: the checks are redone on these rows' figures).
    Column numbers are ``FeedFigures``' field order."""
    voltage = _floats(feeds.column(4))
    design_kw = _floats(feeds.column(8))
    breakers = feeds.column(9)
    if isinstance(breakers, OptionalColumn):
        breaker = breakers.with_nan()
    else:
        breaker = np.array([math.nan if b is None else b for b in breakers], dtype=np.float64)
    cables = feeds.column(13)
    if isinstance(cables, CodedColumn):
        no_cable = np.array([not label for label in cables.table], dtype=bool)[cables.codes]
    else:
        no_cable = np.array([not c for c in cables], dtype=bool)
    drop = _floats(feeds.column(17))
    sited = np.asarray(column_list(feeds.column(19)) if not isinstance(feeds.column(19), np.ndarray)
                       else feeds.column(19), dtype=bool)
    sources = feeds.column(1)
    if isinstance(sources, CodedColumn):  # a limit per supplier, then per row
        source_limit = np.array([limit_of.get(s, math.inf) for s in sources.table], dtype=np.float64)[sources.codes]
    else:
        source_limit = np.array([limit_of.get(s, math.inf) for s in sources], dtype=np.float64)
    live_lv = (voltage <= LV_MAX_V) & (design_kw > 0)
    flagged: BoolArray = ((live_lv & (np.isnan(breaker) | no_cable)) | (breaker > source_limit) | (drop > drop_limit)
                          | ~sited)
    return flagged


def _floats(column: Any) -> FloatArray:
    return column if isinstance(column, np.ndarray) else np.array(column_list(column), dtype=np.float64)


def _feed_order(feeds: Sequence[FeedFigures], plan: Plan | None) -> Any:
    """The indices of ``feeds`` by (source, target, feed side), stable (kept in the plan for the same feed list),
    as an int32 array (a list of 145,000 Python ints at 50k racks was 5 MB kept)."""
    # the id column itself, not a copy: a plan's static column is the same list while the plan holds
    ids = feeds.column(0) if isinstance(feeds, FigureRows) else tuple(f.connection_id for f in feeds)
    kept = plan.memo.get("feed_order") if plan is not None else None
    if kept is not None and (kept[0] is ids or kept[0] == ids):
        return kept[1]
    if isinstance(feeds, FigureRows):
        keys = list(zip(*(column_list(feeds.column(i)) for i in (1, 2, 3)), strict=True))
    else:
        keys = [(f.source_id, f.target_id, f.feed) for f in feeds]
    order = np.array(sorted(range(len(feeds)), key=keys.__getitem__), dtype=np.int32)
    if plan is not None:
        plan.memo["feed_order"] = (ids, order)
    return order


class _RowLookup(Mapping[str, NodeFigures]):
    """Node figures by id, each row made only when looked up."""

    def __init__(self, rows: FigureRows[NodeFigures], index: dict[str, int]) -> None:
        self._rows = rows
        self._index = index

    def __getitem__(self, key: str) -> NodeFigures:
        return self._rows[self._index[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


def _run_name(feed: FeedFigures) -> str:
    """A run as the user knows it, by the items it joins (connection ids are internal, and change on import)."""
    return f"{feed.source_id}->{feed.target_id}"


def _feed_findings(all_feeds: Sequence[FeedFigures], nodes: Mapping[str, NodeFigures], drop_limit: float,
                   plan: Plan | None = None, source_limits: Mapping[str, float] | None = None) -> list[Finding]:
    """``source_limits``: the amp rating of each supplier that is not a source (from ``nodes`` when not given)."""
    findings: list[Finding] = []
    order = _feed_order(all_feeds, plan)  # stable whatever the connection ids
    if isinstance(all_feeds, FigureRows):  # only the rows some check below may pick are made
        if source_limits is None:
            source_limits = {n.item_id: n.rated_a for n in nodes.values() if n.rated_a and n.role not in _SOURCE_VALUES}
        flagged = _flagged_rows(all_feeds, source_limits, drop_limit)
        feeds = [all_feeds[i] for i in order[flagged[order]].tolist()]
    else:
        feeds = [all_feeds[i] for i in order.tolist()]
    no_breaker = [f for f in feeds if f.voltage_v <= LV_MAX_V and f.design_kw > 0 and f.breaker_a is None]
    no_cable = [f for f in feeds if f.voltage_v <= LV_MAX_V and f.design_kw > 0 and f.breaker_a is not None
                and not f.cable]
    for what, bad, code in (("a standard breaker", no_breaker, "breaker_unavailable"),
                            ("a cable of the table", no_cable, "cable_unavailable")):
        if bad:
            findings.append(Finding(
                "error", code, f"{len(bad)} feed(s) carry more current than {what} can take "
                f"(largest {max(f.design_a for f in bad):,.0f} A): {id_list(_run_name(f) for f in bad)}",
                tuple(dict.fromkeys(i for f in bad for i in (f.source_id, f.target_id)))))
    oversized = []
    for feed in feeds:
        source = nodes.get(feed.source_id)
        if feed.breaker_a is not None and source is not None and source.rated_a and \
                source.role not in _SOURCE_VALUES and feed.breaker_a > source.rated_a + 1e-6:
            oversized.append(feed)
    if oversized:
        findings.append(Finding(
            "warning", "breaker_exceeds_source",
            f"{len(oversized)} feed(s) need a breaker larger than the part that supplies them is rated for: "
            f"{id_list(f'{_run_name(f)} ({f.breaker_a:,.0f} A)' for f in oversized)}",
            tuple(dict.fromkeys(i for f in oversized for i in (f.source_id, f.target_id)))))
    dropped = [f for f in feeds if f.voltage_drop > drop_limit + 1e-9]
    if dropped:
        worst = max(dropped, key=lambda f: f.voltage_drop)
        findings.append(Finding(
            "warning", "voltage_drop",
            f"{len(dropped)} run(s) drop more than {drop_limit:.1%} of their voltage at design current (worst "
            f"{_run_name(worst)}: {worst.voltage_drop:.1%} over {worst.length_m:,.0f} m of {worst.cable}): "
            f"{id_list(_run_name(f) for f in dropped)}",
            tuple(dict.fromkeys(i for f in dropped for i in (f.source_id, f.target_id)))))
    apart = [f for f in feeds if not f.route_measured]
    if apart:
        findings.append(Finding(
            "info", "cable_length_estimated",
            f"{len(apart)} run(s) join items in halls without a site position: their lengths are measured "
            f"with those halls laid out beside the others: {id_list(_run_name(f) for f in apart)}",
            tuple(dict.fromkeys(i for f in apart for i in (f.source_id, f.target_id)))))
    return findings
