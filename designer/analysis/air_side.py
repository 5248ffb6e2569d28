"""The air side of each hall: its fans under its air management, and the electrical losses its air units remove.

Air management (``Hall.air_management``) sets how much more air the fans move than the IT needs
(bypass and recirculation) and whether they turn down:

=========  ================  ==============  =====================================================
setting    airflow factor    fan speed       reading
=========  ================  ==============  =====================================================
open       1.6               fixed           legacy raised floor, open aisles, constant-speed fans
partial    1.3               variable        blanking panels, some separation
full       1.1               variable        hot- or cold-aisle containment, rack-level units
=========  ================  ==============  =====================================================

The factors are estimates (E): general engineering knowledge that uncontained rooms move 1.5-2x
the air the IT needs and contained rooms 1.05-1.2x (air-management literature, e.g. the US DOE
FEMP data-center best-practices guide [S65]), not a fitted figure. Fixed-speed fans draw their
rated power whatever the load; variable-speed fans follow the affinity law (``FanGroup``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from designer.analysis import climate as climate_mod
from designer.analysis import facility as facility_mod
from designer.analysis.findings import Finding
from designer.analysis.flow import Flow, FlowNetwork
from designer.analysis.loads import BoolArray, FloatArray, IntArray, RackTable
from designer.analysis.topology import TopologyFacts
from designer.model.project import Project
from designer.model.records import SiteClimate
from designer.model.roles import AIR_UNIT_ROLES
from designer.model.types import AirManagement

AIRFLOW_FACTOR: dict[AirManagement, float] = {
    AirManagement.OPEN: 1.6,
    AirManagement.PARTIAL: 1.3,
    AirManagement.FULL: 1.1,
}
"""Airflow supplied over airflow the IT needs, by air management (E, see the module table)."""
VARIABLE_SPEED: dict[AirManagement, bool] = {
    AirManagement.OPEN: False,
    AirManagement.PARTIAL: True,
    AirManagement.FULL: True,
}
_AIR_COLUMN = 1  # MEDIA order: liquid, air


@dataclass(frozen=True, slots=True)
class HallIndex:
    """Which hall each rack and each indoor power stage stands in, as integer codes (built once per topology)."""

    names: tuple[str, ...]
    rack_hall: IntArray
    """(racks,) hall code of each rack."""
    rack_to_hall: sp.csr_matrix
    """(halls, racks) 1 where a rack stands in a hall."""
    loss_to_hall: sp.csr_matrix
    """(halls, power components) 1 where an indoor power stage stands in a hall."""
    air_cooled: BoolArray
    """(racks,) the rack has an air supplier in the cooling network."""


def hall_index(power: FlowNetwork, cooling: FlowNetwork, project: Project, table: RackTable) -> HallIndex:
    """The hall codes of ``table``'s racks and ``power``'s indoor stages."""
    names = sorted({*table.hall_ids, *project.halls})
    code = {name: i for i, name in enumerate(names)}
    rack_hall = np.fromiter((code[h] for h in table.hall_ids), np.int64, len(table.ids))
    n_racks, pc = len(table.ids), power.n_components
    rack_to_hall = sp.csr_matrix((np.ones(n_racks), (rack_hall, np.arange(n_racks))), shape=(len(names), n_racks))
    rows, cols = [], []
    for index in np.flatnonzero(power.indoor[:pc]).tolist():
        item = project.items.get(power.component_ids[index])
        if item is not None and item.hall_id in code:
            rows.append(code[item.hall_id])
            cols.append(index)
    loss_to_hall = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(names), pc))
    air_cooled = (cooling.rack_node[:, _AIR_COLUMN] >= 0 if cooling.rack_node.size
                  else np.zeros(n_racks, dtype=bool))
    return HallIndex(tuple(names), rack_hall, rack_to_hall, loss_to_hall, air_cooled)


HallAirUnits = tuple[tuple[str, float, float], ...]
"""(hall id, capacity kW, capacity-weighted fan kW per kW) of each hall with air units, by hall id."""


def hall_air_units(topology: TopologyFacts, cooling: FlowNetwork, project: Project) -> HallAirUnits:
    """Each hall's air units (not self-contained DX units, whose fans are in their COP) summed.

    This reads the catalog once per unit; it stands while the units and their halls do, so the
    engine keeps it across rack edits and only the heat shares are recomputed.
    """
    units: dict[str, list[tuple[float, float]]] = {}
    for component_id in cooling.component_ids:
        entry = topology.entries[component_id]
        if entry.role not in AIR_UNIT_ROLES or entry.parameters.get("self_contained") is True:
            continue
        item = project.items.get(component_id)
        if item is None:
            continue
        units.setdefault(item.hall_id, []).append(
            (max(entry.capacity_kw, 0.0), entry.number("fan_kw_per_kw", facility_mod.DEFAULT_AIR_FAN_KW_PER_KW)))
    summed: list[tuple[str, float, float]] = []
    for hall_id in sorted(units):
        capacity = sum(c for c, _ in units[hall_id])
        intensity = sum(c * k for c, k in units[hall_id]) / capacity if capacity > 0 else 0.0
        summed.append((hall_id, capacity, intensity))
    return tuple(summed)


FanGroupPlan = tuple[tuple[int, float, float, AirManagement], ...]
"""(hall code or -1, capacity kW, fan kW per kW, air management) of each hall with air units, by hall id."""


def fan_group_plan(project: Project, halls: HallIndex, units: HallAirUnits) -> FanGroupPlan:
    """What ``fan_groups`` reads of the halls and their units (it stands while they do: the engine
    keeps it across rack edits, which move only the heat shares)."""
    code = {name: i for i, name in enumerate(halls.names)}
    plan = []
    for hall_id, capacity, intensity in units:
        hall = project.halls.get(hall_id)
        plan.append((code.get(hall_id, -1), capacity, intensity,
                     hall.air_management if hall is not None else AirManagement.FULL))
    return tuple(plan)


def fan_groups(topology: TopologyFacts, cooling: FlowNetwork, project: Project, table: RackTable,
               halls: HallIndex, units: HallAirUnits | None = None,
               plan: FanGroupPlan | None = None) -> tuple[facility_mod.FanGroup, ...]:
    """One fan group per hall with air units (``units``: :func:`hall_air_units`, computed when None;
    ``plan``: :func:`fan_group_plan` of them, likewise).

    A hall's heat share is its racks' design air heat over the design's (indoor losses follow the
    same split closely enough for the fans); capacity and fan intensity are its units' sum and
    capacity-weighted mean.
    """
    air_design = table.design_kw * (1.0 - table.liquid_fraction)
    total = float(air_design.sum())
    if total <= 0:
        return ()
    if plan is None:
        units = units if units is not None else hall_air_units(topology, cooling, project)
        plan = fan_group_plan(project, halls, units)
    share_by_hall = (np.asarray(halls.rack_to_hall @ air_design) / total).tolist()
    groups: list[facility_mod.FanGroup] = []
    # alike halls (same units, share and air management) get one group object: the cooling system
    # counts its kinds by object first
    made: dict[tuple[float, float, float, AirManagement], facility_mod.FanGroup] = {}
    for code, capacity, intensity, management in plan:
        share = share_by_hall[code] if code >= 0 else 0.0
        if capacity <= 0 or share <= 0:
            continue
        key = (capacity, intensity, share, management)
        group = made.get(key)
        if group is None:
            group = made[key] = facility_mod.FanGroup(
                capacity_kw=capacity,
                fan_kw_per_kw=intensity,
                heat_share=share,
                airflow_factor=AIRFLOW_FACTOR[management],
                variable_speed=VARIABLE_SPEED[management],
            )
        groups.append(group)
    return tuple(groups)


def hall_loss_heat(power: FlowNetwork, halls: HallIndex, table: RackTable, rack_it_kw: FloatArray,
                   power_flow: Flow) -> tuple[FloatArray, dict[str, float]]:
    """(racks, hours) extra air heat per rack carrying its hall's indoor electrical losses, and the
    peak kW of losses per hall that no air-cooled rack's units can take (no air unit in that hall).

    Each hall's indoor losses (UPS, indoor transformer, PDU, RPP, busway: every power stage marked
    ``indoor``) are spread over its air-cooled racks in proportion to their air heat that hour, so
    they reach the air units by exactly the rule the rack air heat follows (and move with it when a
    unit fails). Racks without an air path carry none.
    """
    pc = power.n_components
    if not halls.loss_to_hall.nnz:
        return np.zeros_like(rack_it_kw), {}
    loss = np.asarray(halls.loss_to_hall @ power_flow.loss_kw[:pc])  # (halls, hours)
    air_heat = ((1.0 - table.liquid_fraction) * halls.air_cooled)[:, None] * rack_it_kw
    hall_air = np.asarray(halls.rack_to_hall @ air_heat)
    carried = hall_air > 0
    per_air = np.divide(loss, hall_air, out=np.zeros_like(loss), where=carried)
    extra: FloatArray = air_heat * per_air[halls.rack_hall]
    left = np.where(carried, 0.0, loss).max(axis=1, initial=0.0)
    unassigned = {halls.names[h]: float(left[h]) for h in np.flatnonzero(left > 1e-9).tolist()}
    return extra, unassigned


def loss_findings(unassigned_kw: Mapping[str, float]) -> list[Finding]:
    """One info finding per hall whose indoor losses reach no air unit (see ``hall_loss_heat``)."""
    return [Finding("info", "loss_heat_unassigned",
                    f"hall {hall_id}: {kw:,.1f} kW of electrical losses (UPS, transformers, PDUs) reach no air "
                    "unit there (no air-cooled rack with an air unit stands in it): they count in the facility's "
                    "cooling energy but load no unit of the design", (hall_id,))
            for hall_id, kw in sorted(unassigned_kw.items())]


def site_climate(climate: SiteClimate, utc_offset_h: float) -> climate_mod.Climate:
    """The analysis :class:`~designer.analysis.climate.Climate` of a site's own climate record."""
    hourly = bool(climate.hourly_dry_bulb_c)
    return climate_mod.Climate(
        id="site",
        name=climate.name,
        latitude_deg=0.0,
        longitude_deg=0.0,
        utc_offset_h=utc_offset_h,
        high_c=np.array(climate.high_c, dtype=float),
        low_c=np.array(climate.low_c, dtype=float),
        dew_point_c=np.array(climate.dew_point_c, dtype=float),
        source=climate.source,
        licence=climate.licence,
        elevation_m=climate.elevation_m,
        hourly_dry_bulb_c=np.array(climate.hourly_dry_bulb_c, dtype=float) if hourly else None,
        hourly_dew_point_c=np.array(climate.hourly_dew_point_c, dtype=float) if hourly else None,
    )
