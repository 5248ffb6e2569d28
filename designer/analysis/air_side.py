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

import numpy as np

from designer.analysis import climate as climate_mod
from designer.analysis import facility as facility_mod
from designer.analysis.flow import AIR_UNIT_ROLES, Flow, FlowNetwork
from designer.analysis.loads import FloatArray, RackTable
from designer.analysis.topology import Topology
from designer.model.project import Project
from designer.model.records import SiteClimate
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


def fan_groups(topology: Topology, cooling: FlowNetwork, project: Project,
               table: RackTable) -> tuple[facility_mod.FanGroup, ...]:
    """One fan group per hall with air units (not self-contained DX units, whose fans are in their COP).

    A hall's heat share is its racks' design air heat over the design's (indoor losses follow the
    same split closely enough for the fans); capacity and fan intensity are its units' sum and
    capacity-weighted mean.
    """
    air_design = table.design_kw * (1.0 - table.liquid_fraction)
    total = float(air_design.sum())
    if total <= 0:
        return ()
    halls = np.array(table.hall_ids, dtype=object)
    groups: list[facility_mod.FanGroup] = []
    units: dict[str, list[tuple[float, float]]] = {}
    for component_id in cooling.component_ids:
        entry = topology.entries[component_id]
        item = project.items.get(component_id)
        if item is None or entry.role not in AIR_UNIT_ROLES or entry.parameters.get("self_contained") is True:
            continue
        units.setdefault(item.hall_id, []).append(
            (max(entry.capacity_kw, 0.0), entry.number("fan_kw_per_kw", facility_mod.DEFAULT_AIR_FAN_KW_PER_KW)))
    for hall_id in sorted(units):
        capacity = sum(c for c, _ in units[hall_id])
        if capacity <= 0:
            continue
        share = float(air_design[halls == hall_id].sum()) / total
        if share <= 0:
            continue
        hall = project.halls.get(hall_id)
        management = hall.air_management if hall is not None else AirManagement.FULL
        groups.append(facility_mod.FanGroup(
            capacity_kw=capacity,
            fan_kw_per_kw=sum(c * k for c, k in units[hall_id]) / capacity,
            heat_share=share,
            airflow_factor=AIRFLOW_FACTOR[management],
            variable_speed=VARIABLE_SPEED[management],
        ))
    return tuple(groups)


def hall_loss_heat(power: FlowNetwork, cooling: FlowNetwork, project: Project, table: RackTable,
                   rack_it_kw: FloatArray, power_flow: Flow) -> tuple[FloatArray, dict[str, float]]:
    """(racks, hours) extra air heat per rack carrying its hall's indoor electrical losses, and the
    peak kW of losses per hall that no air-cooled rack's units can take (no air unit in that hall).

    Each hall's indoor losses (UPS, indoor transformer, PDU, RPP, busway: every power stage marked
    ``indoor``) are spread over its air-cooled racks in proportion to their air heat that hour, so
    they reach the air units by exactly the rule the rack air heat follows (and move with it when a
    unit fails). Racks without an air path carry none.
    """
    pc = power.n_components
    n_hours = rack_it_kw.shape[1]
    extra = np.zeros_like(rack_it_kw)
    loss_by_hall: dict[str, FloatArray] = {}
    indoor = power.indoor[:pc]
    for index in np.flatnonzero(indoor).tolist():
        item = project.items.get(power.component_ids[index])
        if item is None:
            continue
        loss_by_hall.setdefault(item.hall_id, np.zeros(n_hours))
        loss_by_hall[item.hall_id] += power_flow.loss_kw[index]
    if not loss_by_hall:
        return extra, {}
    air_heat = (1.0 - table.liquid_fraction)[:, None] * rack_it_kw
    air_cooled = cooling.rack_node[:, _AIR_COLUMN] >= 0 if cooling.rack_node.size else np.zeros(0, dtype=bool)
    halls = np.array(table.hall_ids, dtype=object)
    unassigned: dict[str, float] = {}
    for hall_id, loss in loss_by_hall.items():
        rows = np.flatnonzero((halls == hall_id) & air_cooled)
        hall_air = air_heat[rows].sum(axis=0) if rows.size else np.zeros(n_hours)
        carried = hall_air > 0
        extra[rows] = air_heat[rows] * np.divide(loss, hall_air, out=np.zeros(n_hours), where=carried)[None, :]
        left = np.where(carried, 0.0, loss)
        if float(left.max(initial=0.0)) > 1e-9:
            unassigned[hall_id] = float(left.max())
    return extra, unassigned


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
