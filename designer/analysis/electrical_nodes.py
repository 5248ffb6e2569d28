"""Node figures in columns: the rack table kept in the plan, one call's loads, and the node rows."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from designer.analysis.electrical_plan import ItemColumns, Plan
from designer.analysis.electrical_records import (
    DEFAULT_POWER_FACTOR,
    NodeFigures,
    _Inputs,
    power_factor,
    rated_current_a,
)
from designer.analysis.electrical_rows import CodedColumn, FigureRows, OptionalColumn
from designer.analysis.loads import BoolArray, FloatArray
from designer.analysis.results import StrArray
from designer.analysis.supply_voltage import DEFAULT_VOLTAGE_V, SupplyVoltages, output_voltage_v
from designer.model import effective
from designer.model.phases import phase_count
from designer.model.types import Role, WorkloadClass

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
