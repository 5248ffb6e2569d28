"""The figures of one item and its feeds, one by one (the inspector's path), and the load power factor."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from designer.analysis.conductors import CableChoice, bundled_conductor_tables
from designer.analysis.electrical_feeds import _prepared_groups
from designer.analysis.electrical_nodes import _power_static, _PowerStatic
from designer.analysis.electrical_plan import scratch_plan
from designer.analysis.electrical_records import (
    DEFAULT_POWER_FACTOR,
    LV_MAX_V,
    FeedFigures,
    NodeFigures,
    _Inputs,
    amps,
    consumer_electrics,
    cooling_unit_kw,
    power_factor,
    protection_for,
    upsized_for_drop,
)
from designer.analysis.results import Results
from designer.analysis.supply_voltage import DEFAULT_VOLTAGE_V, SupplyVoltages, output_voltage_v
from designer.model import effective
from designer.model.catalog import CatalogEntry
from designer.model.phases import phase_count
from designer.model.project import Project
from designer.model.records import Connection, PlacedItem
from designer.model.roles import COOLING_UNIT_ROLES
from designer.model.types import Role, WorkloadClass


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
            known = per_entry[target_entry.id] = consumer_electrics(target_entry, estimated, inputs.load_power_factor)
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
