"""What the analysis works out from the compiled networks and the rack table and keeps on ``Compiled``
while its inputs stand: the rack table's rows after an edit, the scopes, the hall index, the cooling
system with its fan groups, the floor loading and the liquid-weighted scopes (``Analyzer`` reads them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from designer.analysis import facility as facility_mod
from designer.analysis.air_side import HallIndex, fan_group_plan, fan_groups, hall_air_units, hall_index
from designer.analysis.capacity import Scopes, SplitWatch, build_scopes, floor_findings
from designer.analysis.compiled import Compiled, _same_column
from designer.analysis.findings import Finding
from designer.analysis.loads import FloatArray, IntArray, RackTable, rack_row
from designer.analysis.results import frozen
from designer.model import effective
from designer.model.catalog import CatalogEntry
from designer.model.project import Project
from designer.model.roles import AIR_UNIT_ROLES, HEAT_REJECTION_ROLES, LIQUID_UNIT_ROLES


def liquid_fraction_changed(compiled: Compiled, project: Project, changed: set[str]) -> bool:
    """Whether a changed rack's liquid fraction differs from the one its rack table row holds."""
    table = compiled.rack_table
    if table is None:
        return False
    entries, items = compiled.topology.entries, project.items
    for item_id, row in compiled.rack_rows.rows(changed).items():
        entry = entries.get(item_id)
        if entry is not None and item_id in items and (
                rack_row(items[item_id], entry, project.halls)[2] != table.liquid_fraction[row]):
            return True
    return False


def rating_changed(compiled: Compiled, project: Project, catalog: Mapping[str, CatalogEntry],
                    changed: set[str]) -> bool:
    """Whether a changed item's rating (override or catalog) differs from the one its network holds."""
    entries, items, custom = compiled.topology.entries, project.items, project.custom_catalog
    for item_id in changed:
        held = entries.get(item_id)
        if held is None or held.is_rack or item_id not in items:
            continue
        item = items[item_id]
        base = custom.get(item.catalog_id) or catalog.get(item.catalog_id)
        if base is None or effective.rated_entry(item, base).capacity_kw != held.capacity_kw:
            return True
    return False


def update_racks(compiled: Compiled, project: Project, changed: set[str]) -> None:
    """Rewrite the rows of the racks whose record changed (overrides, hall, pod).

    A column none of whose rows changed is kept (the same array), and the table itself when
    nothing changed (a move): the caches keyed on them compare by identity first."""
    table = compiled.rack_table
    assert table is not None
    rows = list(compiled.rack_rows.rows(changed).values())
    if not rows:
        return
    entries = compiled.topology.entries
    values: list[tuple[float, int, float, float, float, float]] = []
    moved: list[tuple[int, str, str | None]] = []
    for i in rows:
        item = project.items[table.ids[i]]
        values.append(rack_row(item, entries[item.id], project.halls))
        if item.hall_id != table.hall_ids[i] or item.pod_id != table.pod_ids[i]:
            moved.append((i, item.hall_id, item.pod_id))
    at = np.asarray(rows, dtype=np.int64)
    design = _with_rows(table.design_kw, at, [v[0] for v in values])
    workload = _with_rows(table.workload, at, [v[1] for v in values])
    fraction = _with_rows(table.liquid_fraction, at, [v[2] for v in values])
    weight = _with_rows(table.weight_kg, at, [v[3] for v in values])
    rating = _with_rows(table.floor_rating_kg_m2, at, [v[5] for v in values])
    hall_ids, pod_ids = table.hall_ids, table.pod_ids
    if moved:  # the same tuples otherwise: the caches keyed on them compare by identity first
        halls, pods = list(hall_ids), list(pod_ids)
        for i, hall_id, pod_id in moved:
            halls[i], pods[i] = hall_id, pod_id
        hall_ids, pod_ids = tuple(halls), tuple(pods)
    elif (design is table.design_kw and workload is table.workload and fraction is table.liquid_fraction
          and weight is table.weight_kg and rating is table.floor_rating_kg_m2):
        return
    compiled.rack_table = RackTable(table.ids, design, workload, fraction, weight,
                                    table.footprint_m2, rating, hall_ids, pod_ids)


def kept_scopes(compiled: Compiled, project: Project, table: RackTable) -> Scopes:
    """The racks' scopes, kept while the halls, pods, derating and rack weights stand and no design kW
    edit moved a shared supplier's split (``scopes_split_moved``)."""
    key = (dict(project.halls), table.hall_ids, table.pod_ids, project.settings.continuous_derating)
    if (compiled.scopes is not None and compiled.scopes_key == key
            and _same_column(compiled.scopes_weight, table.weight_kg)  # the floor left follows the weights
            and not scopes_split_moved(compiled, table)):
        return compiled.scopes
    compiled.scopes = build_scopes(table, compiled.power, compiled.cooling, project.halls, project.items,
                                   compiled.topology.entries, project.settings.continuous_derating)
    compiled.scopes_key, compiled.scopes_weight = key, table.weight_kg
    compiled.scopes_split_watch = SplitWatch.of(compiled.scopes, table.design_kw)
    compiled.scopes_design_kw = table.design_kw  # a table's columns are never written (``update_racks``)
    return compiled.scopes


def scopes_split_moved(compiled: Compiled, table: RackTable) -> bool:
    """Whether a design kW edit since the scopes were built moves a shared supplier's split (a
    slider move leaves the design kW as they were: one compare of the array)."""
    if _same_column(compiled.scopes_design_kw, table.design_kw):
        return False
    watch = compiled.scopes_split_watch
    assert watch is not None  # set with the scopes
    if watch.moved(compiled.scopes_design_kw, table.design_kw):
        return True
    compiled.scopes_design_kw = table.design_kw
    return False


def kept_hall_index(compiled: Compiled, project: Project, table: RackTable) -> HallIndex:
    """Hall codes of the racks and indoor power stages (kept while the rack table and halls stand).

    ``compile`` drops the cached index when any equipment record changes, so the stages' halls
    need not be compared on every call.
    """
    power = compiled.power
    key = (table.hall_ids, tuple(project.halls))
    cached = compiled.halls
    if cached is None or cached[0] != key:
        cached = compiled.halls = (key, hall_index(power, compiled.cooling, project, table))
    return cached[1]


def kept_cooling_system(compiled: Compiled, project: Project) -> facility_mod.CoolingSystem:
    """The catalog-weighted cooling plant with the halls' fan groups, each kept while what it was made of stands."""
    st = project.settings
    air_settings = facility_mod.AirLoopSettings(st.supply_air_c, st.coil_approach_k, st.economiser_approach_k,
                                                st.chilled_water_rise_k)
    table = compiled.rack_table
    groups: tuple[facility_mod.FanGroup, ...] = ()
    if table is not None:
        halls = kept_hall_index(compiled, project, table)
        hall_records = tuple(project.halls.values())  # records: an air management edit makes a new one
        cached = compiled.fan_groups
        if (cached is None or cached[0] is not halls or cached[1][2] != hall_records
                or not _same_column(cached[1][0], table.design_kw)
                or not _same_column(cached[1][1], table.liquid_fraction)):
            group_key = (table.design_kw, table.liquid_fraction, hall_records)
            units = compiled.hall_air_units
            if units is None or units[0] is not halls:
                units = compiled.hall_air_units = (
                    halls, hall_air_units(compiled.topology, compiled.cooling, project))
            plan = compiled.fan_group_plan
            if plan is None or plan[0] is not units or plan[1] != hall_records:
                plan = compiled.fan_group_plan = (units, hall_records, fan_group_plan(project, halls, units[1]))
            cached = compiled.fan_groups = (halls, group_key, fan_groups(
                compiled.topology, compiled.cooling, project, table, halls, units[1], plan[2]))
        groups = cached[2]
    # the catalog-weighted plant stands while the equipment and the settings do; a rack edit
    # only moves the halls' fan shares, which are swapped in without rebuilding the plant
    key = (st.air_class, st.liquid_class, air_settings)
    if compiled.cooling_system is None or compiled.cooling_system_key != key:
        entries = [compiled.topology.entries[i] for i in compiled.cooling.component_ids]
        compiled.cooling_system = facility_mod.cooling_system_from_catalog(
            [e for e in entries if e.role in AIR_UNIT_ROLES],
            [e for e in entries if e.role in LIQUID_UNIT_ROLES],
            [e for e in entries if e.role in HEAT_REJECTION_ROLES],
            st.air_class,
            st.liquid_class,
            air_settings,
            groups,
        )
        compiled.cooling_system_key = key
    if compiled.cooling_system.fan_groups is not groups:  # rebuilt groups are nearly always new
        # values; comparing hundreds of dataclasses first cost what the replace saves
        compiled.cooling_system = replace(compiled.cooling_system, fan_groups=groups)
    return compiled.cooling_system


def kept_floor(compiled: Compiled, table: RackTable) -> tuple[FloatArray, list[Finding]]:
    """The racks' floor loading (read-only) and its findings, kept while the columns they read
    stand (the same arrays: ``update_racks`` keeps a column no edit changed)."""
    key = (table.ids, table.weight_kg, table.footprint_m2, table.floor_rating_kg_m2)
    cached = compiled.floor
    if cached is None or any(a is not b for a, b in zip(cached[0], key, strict=True)):
        cached = compiled.floor = (key, frozen(table.floor_kg_m2), floor_findings(table))
    return cached[1], list(cached[2])


def kept_liquid_scopes(compiled: Compiled, scopes: Scopes, table: RackTable) -> Any:
    """The scope matrix with each rack weighted by its liquid fraction (kept while both stand)."""
    cached = compiled.liquid_scopes
    if cached is None or cached[0] is not scopes or not _same_column(cached[1], table.liquid_fraction):
        weighted = scopes.matrix.multiply(table.liquid_fraction[None, :]).tocsr()
        cached = compiled.liquid_scopes = (scopes, table.liquid_fraction, weighted)
    return cached[2]


def _with_rows(column: Any, rows: IntArray, values: list[Any]) -> Any:
    """``column`` with ``values`` at ``rows``: a copy when one differs, else ``column`` itself."""
    new = np.asarray(values, dtype=column.dtype)
    if np.array_equal(column[rows], new, equal_nan=bool(column.dtype.kind == "f")):
        return column
    out = column.copy()
    out[rows] = new
    return out
