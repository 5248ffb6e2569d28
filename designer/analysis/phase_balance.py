"""Phase currents of panels and busways over the design day, their imbalance, and Auto-balance.

A single-phase rack (``parameters.phases = 1``) or rack PDU draws from the one phase it is assigned
(``PlacedItem.phase``) on each PDU, RPP or busway that feeds it; a three-phase load draws equally
from all three. Imbalance is the NEMA MG 1 definition [E8]: the largest deviation of a phase current
from the mean of the three, over that mean; a panel's figure is the worst hour of the design day.
"""

from __future__ import annotations

import math
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from designer.analysis.findings import Finding, id_list
from designer.analysis.loads import BoolArray, FloatArray, IntArray, build_rack_table, utilisation_matrix
from designer.analysis.results import Results
from designer.analysis.supply_voltage import DEFAULT_VOLTAGE_V, SupplyVoltages
from designer.model.catalog import CatalogEntry
from designer.model.phases import SINGLE_PHASES, phase_count, takes_phase
from designer.model.project import Project
from designer.model.types import ConnectionKind, Phase, Role, WorkloadClass

PANEL_ROLES = frozenset({Role.FLOOR_PDU, Role.RPP, Role.BUSWAY})
"""Where loads are assigned phases: panels and busway tap-offs."""
HOURS = 24
_SQRT3 = math.sqrt(3.0)
_HOUR_BLOCK = 6
"""Hours of the day matrix ``panel_phases`` transposes at a time."""


@dataclass(frozen=True, slots=True)
class PanelPhases:
    """The phase currents of one panel or busway at its worst hour."""

    item_id: str
    role: str
    voltage_v: float
    phase_a: tuple[float, float, float]
    """L1, L2, L3 current at ``worst_hour`` (normal running)."""
    imbalance: float | None
    """Worst over the day; None when a single-phase load on it has no phase (unknown) or it carries nothing."""
    worst_hour: int
    unassigned: tuple[str, ...]
    """Single-phase loads on it without a phase."""
    single_phase_loads: int


class RackDay(Mapping[str, FloatArray]):
    """``rack_day_kw``'s answer: each rack's day by id (unique ids), the rows of ``matrix`` (racks, 24) in its order.

    A row is read from the matrix when asked for, not kept as a view per rack (at 50k racks 50,000 views and their
    dict, ~7 MB, held through the phase sums, which read the matrix itself)."""

    __slots__ = ("_index", "ids", "matrix")

    def __init__(self, ids: Sequence[str], matrix: FloatArray) -> None:
        if len(ids) != len(matrix):
            raise ValueError(f"{len(ids)} rack ids for {len(matrix)} rows of the day matrix")
        self.ids = ids
        self.matrix = matrix
        self._index: dict[str, int] | None = None

    def __getitem__(self, rack_id: str) -> FloatArray:
        if self._index is None:
            self._index = {item_id: row for row, item_id in enumerate(self.ids)}
        row: FloatArray = self.matrix[self._index[rack_id]]
        return row

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


def rack_day_kw(project: Project, catalog: Mapping[str, CatalogEntry], results: Results,
                profiles: Mapping[WorkloadClass, FloatArray],
                memo: dict[str, object] | None = None) -> Mapping[str, FloatArray]:
    """Each served rack's IT kW over the design day at the analysed share and density. ``memo`` keeps the
    rack table between calls on the very same records (``electrical_plan``)."""
    # kept by the results' id array itself (analyses of one design share it), not a tuple of its strings (50,000
    # strings made anew at 50k racks)
    key = results.rack_ids
    kept = memo.get("rack_day_table") if memo is not None else None
    if isinstance(kept, tuple) and (kept[0] is key or np.array_equal(kept[0], key)):
        table, served_row = kept[1], kept[2]
    else:
        rack_ids = key.tolist()
        items_of = project.items
        ids = [rack_id for rack_id in rack_ids if rack_id in items_of]
        if not ids:
            return {}
        items = [items_of[i] for i in ids]
        entries = {item.id: catalog[item.catalog_id] for item in items if item.catalog_id in catalog}
        items = [item for item in items if item.id in entries]
        table = build_rack_table(items, entries, project.halls)
        last = {rack_id: i for i, rack_id in enumerate(rack_ids)}  # as a dict of the results reads them
        served_row = np.array([last.get(i, -1) for i in table.ids], dtype=np.int64)
        if memo is not None:
            memo["rack_day_table"] = (key, table, served_row)
    if not table.ids:
        return {}
    util = utilisation_matrix(profiles, results.inference_share)
    served = np.asarray(results.rack_served, dtype=bool)
    mask = np.where(served_row >= 0, served[served_row], False).astype(float)
    # in place on the gathered curves (coefficient x curve, then x mask, as the one expression did): one (racks, 24)
    # array rather than three at once (each 9.6 MB at 50k racks)
    day = util[table.workload]
    day *= table.coefficient_kw(results.ai_density_factor)[:, None]
    day *= mask[:, None]
    return RackDay(table.ids, day)


@dataclass(frozen=True, slots=True)
class _Load:
    """One phased consumer on one panel: its current over the day (A) for one phase (or each of three)."""

    consumer_id: str
    amps: FloatArray
    single: bool
    phase: Phase | None


@dataclass(frozen=True, slots=True)
class _LoadTable:
    """Every (phased consumer, panel) pair as rows: its current over the day is ``factor * days[day_row]``."""

    consumer: tuple[str, ...]
    panel: tuple[str, ...]
    day_row: IntArray
    factor: FloatArray
    """A per kW: the consumer's share on this panel x 1000 / (PF x the voltage one phase, or each, sees)."""
    single: BoolArray
    phase: tuple[Phase | None, ...]
    days: FloatArray
    """(consumers, 24) kW of each consumer over the day."""

    def amps(self) -> FloatArray:
        """(rows, 24) current of each row."""
        return np.asarray(self.days[self.day_row] * self.factor[:, None], dtype=np.float64)

    def loads(self) -> dict[str, list[_Load]]:
        """The rows as loads by panel (for Auto-balance)."""
        amps = self.amps()
        out: dict[str, list[_Load]] = defaultdict(list)
        for row, panel_id in enumerate(self.panel):
            out[panel_id].append(_Load(self.consumer[row], amps[row], bool(self.single[row]), self.phase[row]))
        return out


@dataclass(frozen=True, slots=True)
class _TableRows:
    """The rows of a ``_LoadTable`` without the day figures: what the topology alone decides."""

    rack_ids: tuple[str, ...]
    pdu_adds: tuple[tuple[str, str, float], ...]
    """(rack PDU, rack, share): the PDU carries the rack's day times the share, summed in this order."""
    consumer: tuple[str, ...]
    panel: tuple[str, ...]
    day_row: IntArray
    factor: FloatArray
    single: BoolArray
    phase: tuple[Phase | None, ...]


def _load_table(project: Project, catalog: Mapping[str, CatalogEntry], rack_day: Mapping[str, FloatArray],
                voltages: SupplyVoltages, default_v: float, memo: dict[str, object] | None = None) -> _LoadTable:
    """The load table; ``memo`` keeps its rows between calls on the very same records (``electrical_plan``)."""
    rows = memo.get("phase_rows") if memo is not None else None
    if not isinstance(rows, _TableRows) or rows.rack_ids != tuple(rack_day):
        rows = _table_rows(project, catalog, rack_day, voltages, default_v)
        if memo is not None:
            memo["phase_rows"] = rows
    if isinstance(rack_day, RackDay) and not rows.pdu_adds:  # the same rows, already stacked
        # the very matrix, not a copy (9.6 MB at 50k racks): the table only reads it
        days = np.asarray(rack_day.matrix, dtype=np.float64).reshape(len(rack_day), HOURS)
    else:
        consumer_day: dict[str, FloatArray] = dict(rack_day)
        for source_id, target_id, fraction in rows.pdu_adds:
            previous = consumer_day.get(source_id)
            added = rack_day[target_id] * fraction
            consumer_day[source_id] = added if previous is None else previous + added
        days = np.array(list(consumer_day.values()), dtype=np.float64).reshape(len(consumer_day), HOURS)
    return _LoadTable(rows.consumer, rows.panel, rows.day_row, rows.factor, rows.single, rows.phase, days)


def _table_rows(project: Project, catalog: Mapping[str, CatalogEntry], rack_day: Mapping[str, FloatArray],
                voltages: SupplyVoltages, default_v: float) -> _TableRows:
    items = project.items
    # each consumer's suppliers as one flat tuple (feed, source, feed, source, ...) in connection order: 7 MB at 50k
    # racks where a dict of lists by feed side was 32 MB (``shares`` groups them by side again, one consumer at a time)
    suppliers: dict[str, tuple[str, ...]] = {}
    power = ConnectionKind.POWER
    for connection in project.connections.values():
        if connection.kind is power:
            before = suppliers.get(connection.target_id)
            pair = (connection.feed, connection.source_id)
            suppliers[connection.target_id] = pair if before is None else before + pair
    roles: dict[str, Role | None] = {}

    def role_of(item_id: str) -> Role | None:
        item = items.get(item_id)
        if item is None:
            return None
        if item.catalog_id not in roles:
            entry = catalog.get(item.catalog_id)
            roles[item.catalog_id] = entry.role if entry is not None else None
        return roles[item.catalog_id]

    def shares(target_id: str) -> dict[str, float]:
        flat = suppliers.get(target_id, ())
        sides: dict[str, list[str]] = {}
        for at in range(0, len(flat), 2):
            side = sides.get(flat[at])
            if side is None:
                sides[flat[at]] = [flat[at + 1]]
            else:
                side.append(flat[at + 1])
        out: dict[str, float] = {}
        for sources in sides.values():
            for source in sources:
                out[source] = out.get(source, 0.0) + 1.0 / (len(sides) * len(sources))
        return out

    consumer_day: dict[str, None] = dict.fromkeys(rack_day)
    pdu_adds: list[tuple[str, str, float]] = []
    for target_id in rack_day:  # rack PDUs carry their racks
        for source_id, fraction in shares(target_id).items():
            if role_of(source_id) is Role.RACK_PDU:
                pdu_adds.append((source_id, target_id, fraction))
                consumer_day.setdefault(source_id)
    per_entry: dict[str, tuple[bool, bool, float]] = {}
    consumer: list[str] = []
    panel: list[str] = []
    day_row = array("q")
    factor = array("d")
    single: list[bool] = []
    phase: list[Phase | None] = []
    for row, consumer_id in enumerate(consumer_day):
        item = items.get(consumer_id)
        if item is None:
            continue
        known = per_entry.get(item.catalog_id)
        if known is None:
            entry = catalog.get(item.catalog_id)
            known = per_entry[item.catalog_id] = (
                entry is not None and takes_phase(entry), entry is not None and phase_count(entry) == 1,
                (entry.number("power_factor", 0.95) or 0.95) if entry is not None else 0.95)
        phased, is_single, pf = known
        if not phased:
            continue
        for source_id, fraction in shares(consumer_id).items():
            if role_of(source_id) not in PANEL_ROLES:
                continue
            voltage = voltages.get(source_id, default_v)
            # one phase at V/sqrt(3); three phases: P / (sqrt(3) V) on each
            consumer.append(consumer_id)
            panel.append(source_id)
            day_row.append(row)
            factor.append(fraction * 1000.0 / (pf * (voltage / _SQRT3 if is_single else _SQRT3 * voltage)))
            single.append(is_single)
            phase.append(item.phase)
    return _TableRows(tuple(rack_day), tuple(pdu_adds), tuple(consumer), tuple(panel),
                      np.array(day_row, dtype=np.int64), np.array(factor, dtype=np.float64),
                      np.array(single, dtype=bool), tuple(phase))


def _panel_loads(project: Project, catalog: Mapping[str, CatalogEntry], rack_day: Mapping[str, FloatArray],
                 voltages: SupplyVoltages, default_v: float) -> dict[str, list[_Load]]:
    return _load_table(project, catalog, rack_day, voltages, default_v).loads()


def imbalance(phase_amps: FloatArray) -> tuple[float, int]:
    """(worst imbalance over the columns, its column) of a (3, hours) current array; NaN when it carries nothing."""
    mean = phase_amps.mean(axis=0)
    deviation = np.abs(phase_amps - mean).max(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(mean > 1e-9, deviation / np.where(mean > 1e-9, mean, 1.0), np.nan)
    if np.all(np.isnan(ratio)):
        return math.nan, 0
    hour = int(np.nanargmax(ratio))
    return float(ratio[hour]), hour


def _phase_array(loads: Iterable[_Load], assignment: Mapping[str, Phase | None] | None = None) -> FloatArray:
    total = np.zeros((3, HOURS))
    for load in loads:
        phase = assignment.get(load.consumer_id, load.phase) if assignment is not None else load.phase
        if not load.single:
            total += load.amps[None, :]
        elif phase in SINGLE_PHASES:
            total[SINGLE_PHASES.index(phase)] += load.amps
    return total


def panel_phases(project: Project, catalog: Mapping[str, CatalogEntry], rack_day: Mapping[str, FloatArray],
                 voltages: SupplyVoltages, default_v: float,
                 memo: dict[str, object] | None = None) -> list[PanelPhases]:
    """The phase currents and worst imbalance of every panel and busway that feeds phased loads (all panels at
    once: the rows of the load table summed into (panels, 3, 24), the imbalance of every hour in one go)."""
    table = _load_table(project, catalog, rack_day, voltages, default_v, memo)
    if not table.panel:
        return []
    sums = memo.get("phase_sums") if memo is not None else None
    if not (isinstance(sums, _PanelSums) and sums.table_panel is table.panel and sums.table_phase is table.phase
            and sums.table_day_row is table.day_row and sums.table_factor is table.factor):
        sums = _panel_sums(table, project, catalog, voltages, default_v)
        if memo is not None:
            memo["phase_sums"] = sums
    panel_ids, unassigned, singles = sums.panel_ids, sums.unassigned, sums.singles
    # every row's current (``_LoadTable.amps``: day x factor) summed into its panel's phase(s): three-phase rows
    # first, then the placed single ones, each in row order (a sequential sum per cell from zero, as np.add.at)
    # one hour at a time: each cell gets the same products in the same order as one bincount over every
    # (addition, hour), without the (additions, 24) weights and index (each 40 MB at 50k racks)
    n_cells = len(panel_ids) * 3
    # the day matrix transposed a few hours at a time (a contiguous row per hour to gather from, as fast as the
    # whole transposed copy, a quarter of its 9.6 MB at 50k racks)
    cells = np.empty((n_cells, HOURS))
    days, day_row, factor = table.days, table.day_row, table.factor
    for first in range(0, HOURS, _HOUR_BLOCK):
        block = np.ascontiguousarray(days[:, first:first + _HOUR_BLOCK].T)
        for hour, hour_days in enumerate(block, start=first):
            # each row's current at this hour (day x factor), then gathered per addition: the same product per
            # addition as gathering the day and the factor per addition (two arrays of the additions, 7 MB at 50k
            # racks, held through the loop)
            row_amps = hour_days[day_row]
            row_amps *= factor
            cells[:, hour] = np.bincount(sums.cells, weights=row_amps[sums.rows], minlength=n_cells)
    del row_amps, block
    total = cells.reshape(len(panel_ids), 3, HOURS)
    mean = total.mean(axis=1)
    # the largest deviation phase by phase (the same maximum as over a (panels, 3, 24) array of them, a third the size)
    deviation = np.abs(total[:, 0, :] - mean)
    for phase in (1, 2):
        np.maximum(deviation, np.abs(total[:, phase, :] - mean), out=deviation)
    loaded = mean > 1e-9
    with np.errstate(divide="ignore", invalid="ignore"):
        deviation /= np.where(loaded, mean, 1.0)  # in place: the same quotient, one (panels, 24) array fewer
    del mean
    ratio = np.where(loaded, deviation, -1.0)
    del deviation, loaded
    worst_hour = ratio.argmax(axis=1)
    busiest_hour = total.sum(axis=1).argmax(axis=1)
    panels: list[PanelPhases] = []
    worst = np.take_along_axis(ratio, worst_hour[:, None], axis=1)[:, 0]
    has_unknown = np.zeros(len(panel_ids), dtype=bool)
    has_unknown[list(unassigned)] = True
    hours = np.where(has_unknown | (worst < 0), busiest_hour, worst_hour)
    at_hour = np.take_along_axis(ratio, hours[:, None], axis=1)[:, 0]
    currents = np.take_along_axis(total, hours[:, None, None], axis=2)[:, :, 0]
    del total, cells, ratio  # (panels, 3, 24) and (panels, 24): not held while the records are made
    single_counts = singles.tolist()
    for i, (panel_id, hour, value, (a, b, c)) in enumerate(zip(panel_ids, hours.tolist(), at_hour.tolist(),
                                                                  currents.tolist(), strict=True)):
        unknown = unassigned.get(i, [])
        panels.append(PanelPhases(panel_id, sums.roles[i], sums.voltages[i], (a, b, c),
                                  None if unknown or value < 0 else value, hour, tuple(unknown), single_counts[i]))
    return panels


@dataclass(frozen=True, slots=True)
class _PanelSums:
    """How ``panel_phases`` sums a load table's rows into (panels, 3, 24): what the table's rows alone decide."""

    table_panel: tuple[str, ...]
    table_phase: tuple[Phase | None, ...]
    table_day_row: IntArray
    table_factor: FloatArray
    """The rows these were made for (the very objects: the rows are kept with the plan)."""
    panel_ids: list[str]
    roles: list[str]
    voltages: list[float]
    unassigned: dict[int, list[str]]
    singles: IntArray
    rows: NDArray[np.int32]
    """The table row of each addition: every three-phase row three times (L1, L2, L3), then the placed single ones
    (its day row and factor are gathered by each call: kept, they were 16 bytes more an addition)."""
    cells: NDArray[np.int32]
    """For each addition: the flat (panel, phase) cell it goes to (hour by hour: no (additions, 24) index is
    kept, 40 MB at 50k racks)."""


def _panel_sums(table: _LoadTable, project: Project, catalog: Mapping[str, CatalogEntry], voltages: SupplyVoltages,
                default_v: float) -> _PanelSums:
    panel_ids = list(dict.fromkeys(table.panel))
    index = {panel_id: i for i, panel_id in enumerate(panel_ids)}
    rows_panel = np.fromiter(map(index.__getitem__, table.panel), np.int64, len(table.panel))
    phase_code = {Phase.L1: 0, Phase.L2: 1, Phase.L3: 2}
    rows_phase = np.fromiter((phase_code.get(p, -1) if p is not None else -1 for p in table.phase), np.int64,
                             len(table.phase))
    three = np.flatnonzero(~table.single)
    placed = np.flatnonzero(table.single & (rows_phase >= 0))
    source_rows = np.concatenate([np.repeat(three, 3), placed]).astype(np.int64)
    cell = np.concatenate([(rows_panel[three][:, None] * 3 + np.arange(3)[None, :]).ravel(),
                           rows_panel[placed] * 3 + rows_phase[placed]]).astype(np.int64)
    unassigned_rows = np.flatnonzero(table.single & (rows_phase < 0))
    unassigned: dict[int, list[str]] = defaultdict(list)
    for row in unassigned_rows.tolist():
        unassigned[int(rows_panel[row])].append(table.consumer[row])
    singles = np.bincount(rows_panel[table.single], minlength=len(panel_ids))
    roles: list[str] = [catalog[project.items[panel_id].catalog_id].role for panel_id in panel_ids]
    volts = [voltages.get(panel_id, default_v) for panel_id in panel_ids]
    return _PanelSums(table.panel, table.phase, table.day_row, table.factor, panel_ids, roles, volts,
                      dict(unassigned), singles, source_rows.astype(np.int32), cell.astype(np.int32))


def imbalance_findings(panels: Iterable[PanelPhases], limit: float) -> list[Finding]:
    """Panels past the project's imbalance limit, and panels whose imbalance is unknown."""
    panels = list(panels)
    over = [p for p in panels if p.imbalance is not None and p.imbalance > limit + 1e-9]
    unknown = [p for p in panels if p.unassigned]
    findings: list[Finding] = []
    if over:
        worst = max(over, key=lambda p: p.imbalance or 0.0)
        findings.append(Finding(
            "warning", "phase_imbalance",
            f"{len(over)} panel(s) or busway(s) are unbalanced by more than {limit:.0%} at some hour of the design "
            f"day (worst {worst.item_id}: {worst.imbalance:.0%} at {worst.worst_hour:02d}:00, "
            f"L1/L2/L3 {worst.phase_a[0]:,.0f}/{worst.phase_a[1]:,.0f}/{worst.phase_a[2]:,.0f} A): "
            f"{id_list(p.item_id for p in over)}", tuple(p.item_id for p in over)))
    if unknown:
        loads = sorted({i for p in unknown for i in p.unassigned})
        findings.append(Finding(
            "warning", "phase_unassigned",
            f"{len(loads)} single-phase load(s) have no phase, so the balance of {len(unknown)} panel(s) is "
            f"unknown: {id_list(loads)}", (*(p.item_id for p in unknown), *loads)))
    return findings


def balance_phases(project: Project, catalog: Mapping[str, CatalogEntry], results: Results,
                   profiles: Mapping[WorkloadClass, FloatArray], passes: int = 4) -> dict[str, Phase]:
    """Phases for the single-phase loads that minimise the worst imbalance of their panels over the day.

    Greedy, largest load first, onto the phase that leaves the worst of its panels least unbalanced;
    then passes that move one load at a time, or swap two loads of a panel, while that lowers the worst
    of the panels concerned. A load fed
    from two panels (A and B) keeps one phase on both. Returns every phased load on a panel
    with its phase (the ones it already has included; three-phase loads ``L1L2L3``).
    """
    rack_day = rack_day_kw(project, catalog, results, profiles)
    loads = _panel_loads(project, catalog, rack_day, SupplyVoltages(project, catalog), DEFAULT_VOLTAGE_V)
    by_consumer: dict[str, list[tuple[str, _Load]]] = defaultdict(list)
    assignment: dict[str, Phase] = {}
    for panel_id, panel_loads in loads.items():
        for load in panel_loads:
            if load.single:
                by_consumer[load.consumer_id].append((panel_id, load))
            else:  # a three-phase load takes all three: said explicitly, so every load on a panel is assigned
                assignment[load.consumer_id] = Phase.ALL
    state = {panel_id: _phase_array([load for load in panel_loads if not load.single])
             for panel_id, panel_loads in loads.items()}

    def cost(consumer_id: str, phase_index: int) -> float:
        worst = 0.0
        for panel_id, load in by_consumer[consumer_id]:
            trial = state[panel_id].copy()
            trial[phase_index] += load.amps
            value, _hour = imbalance(trial)
            worst = max(worst, 0.0 if math.isnan(value) else value)
        return worst

    def place(consumer_id: str, phase_index: int, sign: float) -> None:
        for panel_id, load in by_consumer[consumer_id]:
            state[panel_id][phase_index] += sign * load.amps

    def best(consumer_id: str, current: int | None) -> int:
        costs = [cost(consumer_id, k) for k in range(3)]
        low = min(costs)
        if current is not None and costs[current] <= low + 1e-12:
            return current
        return costs.index(low)

    order = sorted(by_consumer, key=lambda c: (-max(float(load.amps.max()) for _p, load in by_consumer[c]), c))
    for consumer_id in order:
        own = by_consumer[consumer_id][0][1].phase
        current = SINGLE_PHASES.index(own) if own in SINGLE_PHASES else None
        chosen = best(consumer_id, None if current is None else current)
        place(consumer_id, chosen, 1.0)
        assignment[consumer_id] = SINGLE_PHASES[chosen]
    for _ in range(passes):
        moved = False
        for consumer_id in order:
            now = SINGLE_PHASES.index(assignment[consumer_id])
            place(consumer_id, now, -1.0)
            chosen = best(consumer_id, now)
            place(consumer_id, chosen, 1.0)
            if chosen != now:
                assignment[consumer_id] = SINGLE_PHASES[chosen]
                moved = True
        moved = _swap_pass(by_consumer, state, assignment) or moved
        if not moved:
            break
    return assignment


MAX_SWAP_LOADS = 120
"""Pairwise swaps are tried on panels with at most this many single-phase loads (the pairs grow as n²)."""


def _swap_pass(by_consumer: Mapping[str, list[tuple[str, _Load]]], state: dict[str, FloatArray],
               assignment: dict[str, Phase]) -> bool:
    """Swap the phases of two loads of one panel where that lowers the worst imbalance of the panels they touch."""
    on_panel: dict[str, list[str]] = defaultdict(list)
    for consumer_id, pairs in by_consumer.items():
        for panel_id, _load in pairs:
            on_panel[panel_id].append(consumer_id)

    def worst(panels: set[str]) -> float:
        values = [imbalance(state[p])[0] for p in panels]
        return max((0.0 if math.isnan(v) else v) for v in values) if values else 0.0

    def move(consumer_id: str, src: int, dst: int) -> None:
        for panel_id, load in by_consumer[consumer_id]:
            state[panel_id][src] -= load.amps
            state[panel_id][dst] += load.amps

    improved = False
    for panel_id in sorted(on_panel):
        consumers = sorted(on_panel[panel_id])
        if len(consumers) > MAX_SWAP_LOADS:
            continue
        for i, a in enumerate(consumers):
            for b in consumers[i + 1:]:
                pa, pb = SINGLE_PHASES.index(assignment[a]), SINGLE_PHASES.index(assignment[b])
                if pa == pb:
                    continue
                touched = {p for p, _load in by_consumer[a]} | {p for p, _load in by_consumer[b]}
                before = worst(touched)
                move(a, pa, pb)
                move(b, pb, pa)
                if worst(touched) < before - 1e-9:
                    assignment[a], assignment[b] = SINGLE_PHASES[pb], SINGLE_PHASES[pa]
                    improved = True
                else:
                    move(a, pb, pa)
                    move(b, pa, pb)
    return improved
