"""Feed figures in columns: the feeds' statics and consumers kept in the plan, and their kept sizing."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from designer.analysis.conductors import CableChoice
from designer.analysis.electrical_nodes import _Loads, _RackTable
from designer.analysis.electrical_plan import Plan
from designer.analysis.electrical_records import (
    LV_MAX_V,
    FeedFigures,
    NodeFigures,
    _amps_column,
    _Inputs,
    consumer_electrics,
    cooling_unit_kw,
    protection_for,
    upsized_for_drop,
)
from designer.analysis.electrical_rows import CodedColumn, FigureRows, OptionalColumn
from designer.analysis.loads import BoolArray, FloatArray, IntArray
from designer.analysis.supply_voltage import DEFAULT_VOLTAGE_V, input_voltage_v
from designer.model.catalog import CatalogEntry
from designer.model.records import Connection, PlacedItem
from designer.model.roles import COOLING_UNIT_ROLES
from designer.model.types import ConnectionKind, Role


def _feed_groups(connections: Iterable[Connection]) -> Iterator[tuple[str, dict[str, list[Connection]]]]:
    """Power connections by consumer (first met first), then by feed side, one consumer at a time: a flat tuple of
    each consumer's connections is kept meanwhile (a dict of lists per consumer was 28 MB at 50k racks)."""
    by_target: dict[str, tuple[Connection, ...]] = {}
    power = ConnectionKind.POWER
    for connection in connections:
        if connection.kind is power:
            before = by_target.get(connection.target_id)
            by_target[connection.target_id] = (connection,) if before is None else (*before, connection)
    for target_id, feeds in by_target.items():
        sides: dict[str, list[Connection]] = {}
        for connection in feeds:
            side = sides.get(connection.feed)
            if side is None:
                sides[connection.feed] = [connection]
            else:
                side.append(connection)
        yield target_id, sides


_Side = tuple[list[Connection], list[bool], int, int, list[tuple[PlacedItem | None, CatalogEntry | None]]]
"""One feed side of a consumer: its connections, which come from a generator, how many do and do not,
and each one's supplier with its entry."""
_Group = tuple[str, PlacedItem, CatalogEntry, list[_Side]]
"""A consumer with its item, entry and feed sides."""


def _prepared_groups(inputs: _Inputs, connections: Iterable[Connection]) -> Iterator[_Group]:
    """The consumers of ``connections`` with their feed sides (the topology ``_feeds`` reads), one at a time (not a
    list of 82,000 at 50k racks: ~40 MB while the feed columns are gathered)."""
    project, catalog = inputs.project, inputs.catalog
    items = project.items

    def entry_of(item_id: str) -> CatalogEntry | None:
        item = items.get(item_id)
        return catalog.get(item.catalog_id) if item is not None else None

    for target_id, sides in _feed_groups(connections):
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
        yield target_id, target, target_entry, prepared


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
            known = per_entry[target_entry.id] = consumer_electrics(target_entry, estimated, None)
        phases, pf, target_v = known
        columns.append((row, loss_row.get(target_id, -1), kind, estimate, start, end, phases,
                        0.0 if pf is None else pf, pf is not None, target_v or 0.0, estimated))
    n = len(columns)

    def column(index: int, dtype: Any) -> Any:
        return np.array([c[index] for c in columns], dtype=dtype).reshape(n)

    return _Consumers(key, column(0, np.int32), column(1, np.int32), column(2, np.int8), column(3, np.float64),
                      column(4, np.int32), column(5, np.int32), column(6, np.int8), column(7, np.float64),
                      column(8, bool), column(9, np.float64), column(10, bool))


_RESIZE_CHUNK = 8192
"""Rows sized per batch of Python numbers in ``_resize``."""


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
        # new arrays, not writes into the old ones: the figures of the last call hold those as their columns
        sizing.breaker, sizing.has_breaker = sizing.breaker.copy(), sizing.has_breaker.copy()
        sizing.choice, sizing.drop = sizing.choice.copy(), sizing.drop.copy()
        # a chunk of rows at a time: Python numbers for a few thousand rows at once, not for every changed row
        # (~30 MB of lists in and out at 50k racks cold)
        for first in range(0, changed.size, _RESIZE_CHUNK):
            part = changed[first:first + _RESIZE_CHUNK]
            breakers: list[float] = []
            has_breaker: list[bool] = []
            codes: list[int] = []
            drops: list[float] = []
            for row, current, factor, volts, count in zip(
                    rows[part].tolist(), design_a[part].tolist(), pf[part].tolist(),
                    voltage[part].tolist(), phases[part].tolist(), strict=True):
                breaker: float | None = None
                code, drop = 0, 0.0
                if volts <= LV_MAX_V and current > 0:
                    breaker, choice = protection_for(table, table_sizing, current, volts, count, inputs.derating)
                    if choice is not None:
                        choice, drop = upsized_for_drop(table, choice, current, float(static.length_m[row]), volts,
                                                        count, factor, limit)
                        code = sizing.code(choice)
                breakers.append(0.0 if breaker is None else breaker)
                has_breaker.append(breaker is not None)
                codes.append(code)
                drops.append(drop)
            at = rows[part]
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
