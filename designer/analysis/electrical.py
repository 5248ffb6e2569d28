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
from collections import defaultdict
from collections.abc import Mapping

from designer.analysis import phase_balance
from designer.analysis.autonomy import autonomy_findings, generator_autonomy, swing_estimates, ups_autonomy
from designer.analysis.conductors import ConductorTable, bundled_conductor_tables
from designer.analysis.electrical_feeds import _feed_rows
from designer.analysis.electrical_findings import _checked_nodes, _current_findings, _feed_findings, _RowLookup
from designer.analysis.electrical_items import item_figures, load_power_factor
from designer.analysis.electrical_nodes import _node_rows, _read_loads
from designer.analysis.electrical_plan import lock, plan_for
from designer.analysis.electrical_records import (
    _SOURCE_VALUES,
    AMP_RATED_ROLES,
    AMP_RATED_VALUES,
    DEFAULT_POWER_FACTOR,
    LV_MAX_V,
    BuswayRun,
    ElectricalResults,
    FeedFigures,
    NodeFigures,
    _Inputs,
    amps,
    cooling_unit_kw,
    power_factor,
    protection_for,
    rated_current_a,
    route_mm_between,
    upsized_for_drop,
)
from designer.analysis.findings import sort_findings
from designer.analysis.loads import FloatArray
from designer.analysis.results import Results
from designer.analysis.supply_voltage import DEFAULT_VOLTAGE_V
from designer.analysis.transformers import transformer_findings
from designer.model.catalog import CatalogEntry
from designer.model.project import Project
from designer.model.records import PlacedItem
from designer.model.types import ConnectionKind, Role, WorkloadClass

# the records, rules and one-by-one figures live in the electrical_* modules below; their public names are read here
__all__ = [
    "AMP_RATED_ROLES",
    "AMP_RATED_VALUES",
    "DEFAULT_POWER_FACTOR",
    "LV_MAX_V",
    "BuswayRun",
    "ElectricalResults",
    "FeedFigures",
    "NodeFigures",
    "amps",
    "cooling_unit_kw",
    "electrical_figures",
    "item_figures",
    "load_power_factor",
    "power_factor",
    "protection_for",
    "rated_current_a",
    "route_mm_between",
    "upsized_for_drop",
]


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
        # the phase sums first: their day matrix and sums (~20 MB at 50k racks) are gone before the node and feed
        # rows are made, rather than made while those are held (they read neither; the same figures either way)
        rack_day = phase_balance.rack_day_kw(project, catalog, results, profiles, memo=plan.memo)
        panels = phase_balance.panel_phases(project, catalog, rack_day, voltages, DEFAULT_VOLTAGE_V, memo=plan.memo)
        del rack_day  # its day matrix (~10 MB at 50k racks), read by the panels only
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
