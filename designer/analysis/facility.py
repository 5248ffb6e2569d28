"""Facility power, cooling energy and PUE hour by hour, and over a year of weather days.

The component sum of the Lei & Masanet facility model [S49] (Schneider WP108/113 loss classes
[S31][S32] for the electrical chain), its water-side economiser rule, chillers on the DOE-2/EnergyPlus
curves of ``chillers`` and the chilled-water, condenser-water and economiser pumps of the plant.
``docs/method.md`` writes every formula out with a hand-worked example. All powers are kW.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

from designer.analysis.chillers import ChillerKind, chiller_power_kw
from designer.analysis.climate import MONTHS, Climate, weather_days
from designer.analysis.findings import Finding
from designer.model.catalog import CatalogEntry
from designer.model.roles import CHILLER_ROLES
from designer.model.types import Role

Sink = Literal["dry_bulb", "wet_bulb"]

AIR_SUPPLY_SETPOINT_C: dict[str, float] = {"A1": 27.0, "A2": 27.0, "A3": 27.0, "A4": 27.0, "H1": 22.0}
"""Supply-air setpoint: the upper end of the ASHRAE TC 9.9 recommended envelope (18-27 °C; H1 18-22 °C) [S50]."""
AIR_COIL_APPROACH_K = 9.0
"""Supply air minus entering chilled water across a CRAH/in-row coil (E: 8-10 K); catalog ``coil_approach_k``."""
ECONOMISER_APPROACH_K = 2.0
"""Plate heat exchanger of a water-side economiser on the chilled-water loop (Lei/Masanet range 1.7-2.8 K [S49])."""
LIQUID_CLASSES_C: dict[str, float] = {"W17": 17.0, "W27": 27.0, "W32": 32.0, "W40": 40.0, "W45": 45.0}
"""ASHRAE liquid classes: the class number is the maximum facility-water supply in °C [S51]."""
LIQUID_RETURN_RISE_K = 10.0
"""Facility-water return minus supply on the liquid loop (E; Lei/Masanet facility water ΔT 5-10 K)."""
CHILLED_WATER_RISE_K = 6.0
"""Chilled-water return minus supply for air coils (E; tower water ΔT 4-6 K in Lei/Masanet)."""
DEFAULT_CDU_APPROACH_K = 3.0
"""CDU approach when no CDU gives ``approach_k`` (E: ~2-3 K)."""
DEFAULT_AIR_FAN_KW_PER_KW = 0.03
"""Air-unit fans per kW of heat when no unit gives ``fan_kw_per_kw`` (E within 0.02-0.05 from the fan law of [S49])."""
DEFAULT_PUMP_KW_PER_KW = 0.01
"""CDU and facility pumps per kW of heat when no CDU gives ``pump_kw_per_kw`` (E within 0.003-0.017, [S49])."""
DEFAULT_CHILLER_COP = 3.5
"""Rated COP of the air-cooled chiller assumed when a path has no chiller (E: air-cooled 3-4 [S47])."""
WATER_RHO_CP_KJ_M3K = 4186.0
"""Volumetric heat capacity of water, kJ/(m³·K)."""


def pump_kw_per_kw(head_kpa: float, efficiency: float, delta_t_k: float) -> float:
    """Pump electricity per kW of heat carried: ``Δp / (η ρ c_p ΔT)`` (the pump law of Lei/Masanet [S49])."""
    return head_kpa / (efficiency * WATER_RHO_CP_KJ_M3K * delta_t_k)


CHILLED_WATER_PUMP_KW_PER_KW = round(pump_kw_per_kw(200.0, 0.7, 6.0), 4)
"""Chilled-water pumps: 200 kPa, 70 %, 6 K => 0.0114 kW/kW (pressures 115-250 kPa, η 60-80 % [S49]; E)."""
CONDENSER_PUMP_KW_PER_KW = round(pump_kw_per_kw(150.0, 0.7, 5.0), 4)
"""Condenser-water pumps of a water-cooled chiller: 150 kPa, 70 %, 5 K (tower ΔT 4-6 K [S49]; E) => 0.0102."""
ECONOMISER_PUMP_KW_PER_KW = round(pump_kw_per_kw(150.0, 0.7, 5.0), 4)
"""Pumps of the economiser loop (tower or dry-cooler water through the plate exchanger), same figures (E)."""
EVAPORATIVE_L_PER_KWH = 2.0
"""Water of an open wet tower per kWh of heat rejected: 18,220 m³ per MW-year = 2.08 L/kWh [XW4];
evaporation ~1.6 L/kWh plus 25-33 % blowdown (E). Catalog ``water_l_per_kwh`` overrides it."""
ADIABATIC_L_PER_KWH = 1.0
"""Water of a wetted adiabatic/hybrid cooler per kWh of heat rejected while wet: a wetted hybrid
cooler 8,647 m³ per MW-year = 0.99 L/kWh [XW4] (E for adiabatic pre-cooling)."""
ADIABATIC_DRY_APPROACH_K = 10.0
"""Approach of an adiabatic cooler's coil to the dry bulb while dry (dry-cooler median 10 K [S48]):
it is wetted only in the hours its dry coil cannot hold the loop's supply temperature (E)."""
DX_COP = 2.8
"""Rated COP of a self-contained DX unit without ``cop_mechanical`` (E: ASHRAE 90.1 CRAC minimum NSenCOP ~2.2-2.7)."""

_DEFAULT_SINK: dict[Role, Sink] = {
    Role.COOLING_TOWER: "wet_bulb",
    Role.ADIABATIC_COOLER: "wet_bulb",
    Role.CHILLER_WATER: "wet_bulb",
    Role.DRY_COOLER: "dry_bulb",
    Role.CHILLER_AIR: "dry_bulb",
}
_DEFAULT_APPROACH_K: dict[Role, float] = {
    Role.COOLING_TOWER: 5.0,  # open tower median [S48]
    Role.ADIABATIC_COOLER: 7.0,  # wetted, approaches the wet bulb less closely (E)
    Role.CHILLER_WATER: 5.0,
    Role.DRY_COOLER: 10.0,  # median of 6,730 models [S48]
    Role.CHILLER_AIR: 10.0,
}
_DEFAULT_COP: dict[Role, float] = {Role.CHILLER_AIR: DEFAULT_CHILLER_COP, Role.CHILLER_WATER: 6.0}


def supply_temperature_c(cls: str, supply_air_c: float | None = None, coil_approach_k: float | None = None) -> float:
    """The water supply temperature the heat rejection must deliver for a class.

    Liquid classes (W17..W45): the class number. Air classes (A1..A4, H1): chilled water for the
    air coils = supply air (``supply_air_c``, else the class setpoint) minus the coil approach
    (``coil_approach_k``, else :data:`AIR_COIL_APPROACH_K`): A1 27 - 9 = 18 °C.
    """
    key = cls.strip().upper()
    if key in LIQUID_CLASSES_C:
        return LIQUID_CLASSES_C[key]
    if key in AIR_SUPPLY_SETPOINT_C:
        air_c = AIR_SUPPLY_SETPOINT_C[key] if supply_air_c is None else supply_air_c
        return air_c - (AIR_COIL_APPROACH_K if coil_approach_k is None else coil_approach_k)
    known = ", ".join([*AIR_SUPPLY_SETPOINT_C, *LIQUID_CLASSES_C])
    raise ValueError(f"unknown ASHRAE class {cls!r} (known: {known})")


def free_cooling_fraction(sink_c: np.ndarray, supply_c: float, return_c: float, approach_k: float) -> np.ndarray:
    """Share of the heat rejected without a compressor (Lei/Masanet ``waterside_economizer``).

    1 when ``sink + approach <= supply``; 0 when ``>= return``; linear in between.
    """
    if return_c <= supply_c:
        raise ValueError("return temperature must exceed supply temperature")
    leaving_c = np.asarray(sink_c, dtype=float) + approach_k
    fraction: np.ndarray = np.clip((return_c - leaving_c) / (return_c - supply_c), 0.0, 1.0)
    return fraction


@dataclass(frozen=True)
class RejectionPlant:
    """One heat-rejection path: free coolers (tower/dry cooler) with a compressor for the hours they cannot cope."""

    supply_c: float
    return_c: float
    approach_k: float
    sink: Sink
    free_cooling: bool
    free_fan_kw_per_kw: float
    """Tower/dry-cooler fan electricity per kW rejected; charged every hour (they also reject condenser heat)."""
    cop_mechanical: float
    """Rated COP of the chillers at the AHRI rating point (see ``chillers``)."""
    capacity_kw: float
    chiller_kind: ChillerKind = "air"
    """Air-cooled (rejects to the dry bulb) or water-cooled (to wet bulb + ``condenser_approach_k``)."""
    chiller_capacity_kw: float = 0.0
    """Rated capacity of the path's chillers (part load); 0 = unknown, run at full load."""
    condenser_approach_k: float = 5.0
    """Water-cooled: entering condenser water minus wet bulb (the tower approach)."""
    economiser_approach_k: float = 0.0
    """Plate heat exchanger between the free coolers and this loop, added to ``approach_k`` for free cooling."""
    loop_pump_kw_per_kw: float = 0.0
    """Pumps of the loop itself (chilled water), per kW of the loop's heat, every hour."""
    condenser_pump_kw_per_kw: float = 0.0
    """Condenser-water pumps per kW rejected through a water-cooled condenser (mechanical heat + compressor)."""
    economiser_pump_kw_per_kw: float = 0.0
    """Economiser-loop pumps per kW of free-cooled heat."""
    assumed_chiller: bool = False
    """No chiller serves this path: an air-cooled one at :data:`DEFAULT_CHILLER_COP` is assumed for its
    mechanical hours (a finding says so)."""
    evaporative_l_per_kwh: float = 0.0
    """Water per kWh the path rejects, every hour: open towers' litres per kWh x their capacity share of
    the equipment rejecting to the outdoors (water-cooled chillers reject through the towers)."""
    adiabatic_l_per_kwh: float = 0.0
    """Likewise for adiabatic coolers, charged only in hours their dry coil cannot hold ``supply_c``."""
    adiabatic_dry_approach_k: float = ADIABATIC_DRY_APPROACH_K


@dataclass(frozen=True)
class FanGroup:
    """The air units of one hall: fans follow the affinity law over the airflow they must move.

    Rated fan power is ``fan_kw_per_kw x capacity`` at rated airflow. The airflow needed is the
    hall's share of the air heat times ``airflow_factor`` (bypass and recirculation of the hall's
    air management) over the capacity; variable-speed fans draw ``rated x ratio³`` (not below
    :data:`MIN_FAN_SPEED`), fixed-speed fans draw the rated power whatever the load.
    """

    capacity_kw: float
    fan_kw_per_kw: float
    heat_share: float
    airflow_factor: float = 1.0
    variable_speed: bool = True

    def power_kw(self, air_heat_kw: np.ndarray) -> np.ndarray:
        rated = self.fan_kw_per_kw * self.capacity_kw
        if self.capacity_kw <= 0:
            return np.asarray(air_heat_kw * self.heat_share * self.fan_kw_per_kw, dtype=float)
        if not self.variable_speed:
            fixed: np.ndarray = np.where(air_heat_kw > 0, rated, 0.0)
            return fixed
        ratio = np.maximum(air_heat_kw * self.heat_share * self.airflow_factor / self.capacity_kw, MIN_FAN_SPEED)
        power: np.ndarray = np.where(air_heat_kw > 0, rated * ratio**3, 0.0)
        return power


MIN_FAN_SPEED = 0.3
"""Lowest airflow fraction a variable-speed fan turns down to (E: common drive minimum 20-30 %)."""


@dataclass(frozen=True)
class CoolingSystem:
    """Electrical intensities of the cooling chain; lighting and misc are fractions of IT ([S49], E)."""

    air_fan_kw_per_kw: float
    liquid_pump_kw_per_kw: float
    liquid_plant: RejectionPlant | None
    air_plant: RejectionPlant | None
    lighting_fraction: float = 0.005
    misc_fraction: float = 0.005
    fan_groups: tuple[FanGroup, ...] = ()
    """Per-hall fans (affinity law); empty: fans draw ``air heat x air_fan_kw_per_kw``."""
    dx_share: float = 0.0
    """Share of the air heat removed by self-contained DX units (their own condensers, no plant)."""
    dx_cop: float = DX_COP
    fan_kinds: tuple[tuple[FanGroup, ...], tuple[float, ...]] = field(init=False, repr=False, compare=False)
    """The distinct fan groups in order of first appearance, and how many groups are each (halls
    alike, with the same units, share and air management, draw alike)."""

    fan_rest: float = field(init=False, repr=False, compare=False)
    """The share of the air heat no fan group takes (``fan_kw``)."""

    def __post_init__(self) -> None:
        # counted by object first (``air_side.fan_groups`` gives alike halls one object: hashing
        # hundreds of dataclasses cost a millisecond per edit), then the objects by value
        by_object: dict[int, list[Any]] = {}
        for group in self.fan_groups:
            seen = by_object.get(id(group))
            if seen is None:
                by_object[id(group)] = [group, 1]
            else:
                seen[1] += 1
        counts: dict[FanGroup, int] = {}
        for group, count in by_object.values():
            counts[group] = counts.get(group, 0) + count
        object.__setattr__(self, "fan_kinds", (tuple(counts), tuple(float(c) for c in counts.values())))
        object.__setattr__(self, "fan_rest", max(0.0, 1.0 - sum(group.heat_share for group in self.fan_groups)))

    def fan_kw(self, air_heat_kw: np.ndarray) -> np.ndarray:
        """Air-unit fan electricity for the hour's air heat."""
        if not self.fan_groups:
            return np.asarray(air_heat_kw * self.air_fan_kw_per_kw, dtype=float)
        total: np.ndarray = air_heat_kw * self.fan_rest * self.air_fan_kw_per_kw
        # each kind of group is worked out once and added times its count, in order of first
        # appearance (groups all different: each added once, in group order). A day or a few: every
        # kind's fans in one set of array operations (a campus has hundreds of halls); a year of
        # hours: kind by kind (there the arrays, not the calls, cost)
        kinds, counts = self.fan_kinds
        rows = (fan_group_power_kw(kinds, air_heat_kw) if np.size(air_heat_kw) <= FAN_TOGETHER_CELLS
                else (group.power_kw(air_heat_kw) for group in kinds))
        for count, row in zip(counts, rows, strict=True):
            total = total + (row if count == 1.0 else count * row)
        return total


FAN_TOGETHER_CELLS = 2_048
"""Up to this many hours, ``CoolingSystem.fan_kw`` computes all fan groups together."""


def fan_group_power_kw(groups: Sequence[FanGroup], air_heat_kw: np.ndarray) -> np.ndarray:
    """(groups, *air shape) ``group.power_kw(air_heat_kw)`` of each group, computed together with the
    same operations in the same order (so the same numbers)."""
    air = np.asarray(air_heat_kw, dtype=float)
    shape = (len(groups),) + (1,) * air.ndim
    capacity = np.array([g.capacity_kw for g in groups], dtype=float).reshape(shape)
    per_kw = np.array([g.fan_kw_per_kw for g in groups], dtype=float).reshape(shape)
    share = np.array([g.heat_share for g in groups], dtype=float).reshape(shape)
    airflow = np.array([g.airflow_factor for g in groups], dtype=float).reshape(shape)
    variable = np.array([g.variable_speed for g in groups], dtype=bool).reshape(shape)
    rated = per_kw * capacity
    heated = air[None] > 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # the rows not taken may hold nan
        ratio = np.maximum(air[None] * share * airflow / capacity, MIN_FAN_SPEED)
        power: np.ndarray = np.where(capacity <= 0, air[None] * share * per_kw,
                                     np.where(variable, np.where(heated, rated * ratio**3, 0.0),
                                              np.where(heated, rated, 0.0)))
    return power


def _weights(entries: Sequence[CatalogEntry]) -> np.ndarray:
    capacity = np.array([max(entry.capacity_kw, 0.0) for entry in entries], dtype=float)
    return capacity if capacity.sum() > 0 else np.ones(len(entries))


def _weighted(entries: Sequence[CatalogEntry], key: str, default: float) -> float:
    """Capacity-weighted mean of a numeric parameter (equal weights when no capacities are given)."""
    if not entries:
        return default
    values = np.array([entry.number(key, default) for entry in entries])
    return float(np.average(values, weights=_weights(entries)))


def _sink(entry: CatalogEntry) -> Sink:
    value = entry.parameters.get("sink")
    if value == "dry_bulb":
        return "dry_bulb"
    if value == "wet_bulb":
        return "wet_bulb"
    return _DEFAULT_SINK.get(entry.role, "dry_bulb")


def free_capable(entry: CatalogEntry) -> bool:
    """Whether the unit can reject heat without a compressor (its ``free_cooling``; chillers not by default)."""
    value = entry.parameters.get("free_cooling")
    return value if isinstance(value, bool) else entry.role not in CHILLER_ROLES


def chiller_cop(entry: CatalogEntry) -> float:
    """A chiller's rated COP: its ``cop_mechanical``, else the default of its role."""
    return entry.number("cop_mechanical", _DEFAULT_COP.get(entry.role, DEFAULT_CHILLER_COP))


def _cop(chillers: Sequence[CatalogEntry]) -> float:
    """Capacity-weighted rated COP of ``chillers`` (the default air-cooled COP when there are none)."""
    if not chillers:
        return DEFAULT_CHILLER_COP
    cops = [chiller_cop(entry) for entry in chillers]
    cop = float(np.average(cops, weights=_weights(chillers)))
    if cop <= 0:
        raise ValueError("cop_mechanical must be positive")
    return cop


def _chiller_fields(chillers: Sequence[CatalogEntry], coolers: Sequence[CatalogEntry]) -> dict[str, object]:
    """Chiller kind, capacity, COP and condenser pumps of a path (an assumed air-cooled chiller when none)."""
    if not chillers:
        return {"chiller_kind": "air", "chiller_capacity_kw": 0.0, "cop_mechanical": DEFAULT_CHILLER_COP,
                "assumed_chiller": True, "condenser_pump_kw_per_kw": 0.0}
    weights = _weights(chillers)
    water = sum(w for w, entry in zip(weights, chillers, strict=True) if entry.role is Role.CHILLER_WATER)
    kind: ChillerKind = "water" if water > weights.sum() / 2 else "air"
    towers = [entry for entry in coolers if _sink(entry) == "wet_bulb"]
    approach = (float(np.average([entry.number("approach_k", _DEFAULT_APPROACH_K.get(entry.role, 5.0))
                                  for entry in towers], weights=_weights(towers))) if towers
                else _weighted([c for c in chillers if c.role is Role.CHILLER_WATER], "approach_k", 5.0))
    return {"chiller_kind": kind, "chiller_capacity_kw": float(sum(max(c.capacity_kw, 0.0) for c in chillers)),
            "cop_mechanical": _cop(chillers), "assumed_chiller": False, "condenser_approach_k": approach,
            "condenser_pump_kw_per_kw": _weighted(chillers, "condenser_pump_kw_per_kw", CONDENSER_PUMP_KW_PER_KW)
            if kind == "water" else 0.0}


def rejection_plant(entries: Sequence[CatalogEntry], supply_c: float, return_c: float, *,
                    loop_pump_kw_per_kw: float = 0.0, economiser_approach_k: float = 0.0) -> RejectionPlant:
    """A plant from the rejection equipment serving one path (capacity-weighted parameters).

    Free-cooling equipment (towers, dry and adiabatic coolers, chillers with ``free_cooling``) sets
    the sink (the capacity majority), approach and fan intensity; chillers set the kind (air- or
    water-cooled, by capacity majority), rated COP and capacity of the compressors. A path without a
    chiller is charged an assumed air-cooled chiller (rated COP 3.5, unknown capacity) for the hours
    its free coolers cannot hold the supply temperature (``assumed_chiller``); a path with no
    equipment at all is that assumed chiller without free cooling.
    """
    free = [entry for entry in entries if free_capable(entry)]
    sink: Sink = "dry_bulb"
    if free:
        weights = _weights(free)
        wet = sum(w for w, entry in zip(weights, free, strict=True) if _sink(entry) == "wet_bulb")
        sink = "wet_bulb" if wet > weights.sum() / 2 else "dry_bulb"
        free = [entry for entry in free if _sink(entry) == sink]
    approaches = [entry.number("approach_k", _DEFAULT_APPROACH_K.get(entry.role, 10.0)) for entry in free]
    chillers = [entry for entry in entries if entry.role in CHILLER_ROLES]
    coolers = [entry for entry in entries if entry.role not in CHILLER_ROLES]
    fields = _chiller_fields(chillers, coolers)
    fields.update(_water_fields(entries))
    return RejectionPlant(
        supply_c=supply_c,
        return_c=return_c,
        approach_k=float(np.average(approaches, weights=_weights(free))) if free else 10.0,
        sink=sink,
        free_cooling=bool(free),
        free_fan_kw_per_kw=_weighted(free, "fan_kw_per_kw", 0.0),
        capacity_kw=float(sum(max(entry.capacity_kw, 0.0) for entry in entries)),
        economiser_approach_k=economiser_approach_k if free else 0.0,
        loop_pump_kw_per_kw=loop_pump_kw_per_kw,
        economiser_pump_kw_per_kw=_weighted(free, "economiser_pump_kw_per_kw", ECONOMISER_PUMP_KW_PER_KW)
        if free and loop_pump_kw_per_kw > 0 else 0.0,
        **fields,  # type: ignore[arg-type]
    )


def uses_water(entry: CatalogEntry) -> bool:
    """Whether the unit evaporates water: its ``water_use`` flag, else towers and adiabatic coolers."""
    value = entry.parameters.get("water_use")
    return value if isinstance(value, bool) else entry.role in (Role.COOLING_TOWER, Role.ADIABATIC_COOLER)


def _water_fields(entries: Sequence[CatalogEntry]) -> dict[str, object]:
    """Water intensities of a path: each wet unit's litres per kWh times its capacity share of the units
    rejecting to the outdoors (water-cooled chillers excluded: their condenser heat leaves through the towers)."""
    outdoor = [entry for entry in entries if entry.role is not Role.CHILLER_WATER]
    if not outdoor:
        return {}
    weights = _weights(outdoor)
    total = float(weights.sum())
    evaporative = adiabatic = 0.0
    approaches: list[tuple[float, float]] = []
    for weight, entry in zip(weights, outdoor, strict=True):
        if not uses_water(entry):
            continue
        share = float(weight) / total
        if entry.role is Role.ADIABATIC_COOLER:
            adiabatic += share * entry.number("water_l_per_kwh", ADIABATIC_L_PER_KWH)
            approaches.append((share, entry.number("dry_approach_k", ADIABATIC_DRY_APPROACH_K)))
        else:
            evaporative += share * entry.number("water_l_per_kwh", EVAPORATIVE_L_PER_KWH)
    fields: dict[str, object] = {"evaporative_l_per_kwh": evaporative, "adiabatic_l_per_kwh": adiabatic}
    if approaches:
        fields["adiabatic_dry_approach_k"] = sum(a * w for w, a in approaches) / sum(w for w, _a in approaches)
    return fields


def plant_water_l(plant: RejectionPlant | None, heat_kw: np.ndarray, compressor_kw: np.ndarray,
                  dry_bulb_c: np.ndarray) -> np.ndarray:
    """Litres of water per hour a plant evaporates: the heat it rejects to the outdoors (its load, plus the
    compressor work of water-cooled chillers, whose condensers reject through the towers) times its wet
    units' intensities; adiabatic units only in hours when ``dry bulb + dry approach > supply``."""
    if plant is None or (plant.evaporative_l_per_kwh <= 0 and plant.adiabatic_l_per_kwh <= 0):
        return np.zeros_like(heat_kw)
    rejected = heat_kw + compressor_kw if plant.chiller_kind == "water" else heat_kw
    wet = (dry_bulb_c + plant.adiabatic_dry_approach_k) > plant.supply_c
    water: np.ndarray = rejected * (plant.evaporative_l_per_kwh + plant.adiabatic_l_per_kwh * wet)
    return water


@dataclass(frozen=True)
class AirLoopSettings:
    """Temperatures of the air loop: project settings where given, else the air units' catalog values."""

    supply_air_c: float | None = None
    coil_approach_k: float | None = None
    economiser_approach_k: float | None = None
    chilled_water_rise_k: float | None = None


def air_loop_temperatures(entries_air_units: Sequence[CatalogEntry], air_class: str,
                          settings: AirLoopSettings) -> tuple[float, float, float]:
    """(chilled-water supply, chilled-water return, economiser approach) of the air loop.

    Supply air: the setting, else the air units' capacity-weighted ``supply_air_c``, else the class
    setpoint; coil approach and chilled-water rise likewise (``coil_approach_k``,
    ``water_delta_t_k``; defaults 9 K and 6 K); economiser approach: the setting, else 2 K.
    """
    chilled = [entry for entry in entries_air_units if not entry.parameters.get("self_contained")]
    key = air_class.strip().upper()
    class_air_c = AIR_SUPPLY_SETPOINT_C.get(key, 27.0)
    supply_air = settings.supply_air_c if settings.supply_air_c is not None else _weighted(
        chilled, "supply_air_c", class_air_c)
    coil = settings.coil_approach_k if settings.coil_approach_k is not None else _weighted(
        chilled, "coil_approach_k", AIR_COIL_APPROACH_K)
    rise = settings.chilled_water_rise_k if settings.chilled_water_rise_k is not None else _weighted(
        chilled, "water_delta_t_k", CHILLED_WATER_RISE_K)
    econ = ECONOMISER_APPROACH_K if settings.economiser_approach_k is None else settings.economiser_approach_k
    supply_c = supply_temperature_c(air_class, supply_air, coil)
    return supply_c, supply_c + rise, econ


def cooling_system_from_catalog(
    entries_air_units: Sequence[CatalogEntry],
    entries_cdus: Sequence[CatalogEntry],
    entries_rejection: Sequence[CatalogEntry],
    air_class: str,
    liquid_class: str,
    air_settings: AirLoopSettings | None = None,
    fan_groups: tuple[FanGroup, ...] = (),
) -> CoolingSystem:
    """A cooling system from the placed equipment (one list entry per placed unit).

    Intensities are capacity-weighted catalog parameters (defaults :data:`DEFAULT_AIR_FAN_KW_PER_KW`,
    :data:`DEFAULT_PUMP_KW_PER_KW`, :data:`DEFAULT_CDU_APPROACH_K` when absent). Both plants are
    always built. The air plant delivers chilled water at :func:`air_loop_temperatures` through a
    plate economiser; the liquid plant at ``supply_temperature_c(liquid_class)`` minus the CDU
    approach (return +10 K, E). Self-contained air units (``self_contained``: a DX unit with its own
    condenser) take their capacity share of the air heat off the air plant at their own COP.

    The rejection list is split between the paths: when only one kind of terminal unit (air units or
    CDUs) is present, all of it serves that path. Otherwise the liquid loop gets the free coolers
    (or the chillers when there are none) and trims with the site's chillers; the air loop gets
    the chillers, plus the wet-bulb coolers when a water-cooled chiller rejects through them, or the
    free coolers when there is no chiller. Callers that know the topology can build the plants with
    :func:`rejection_plant` and ``dataclasses.replace`` instead.
    """
    chillers = [entry for entry in entries_rejection if entry.role in CHILLER_ROLES]
    coolers = [entry for entry in entries_rejection if entry.role not in CHILLER_ROLES]
    dx = [entry for entry in entries_air_units if entry.parameters.get("self_contained") is True]
    chilled_units = [entry for entry in entries_air_units if entry.parameters.get("self_contained") is not True]
    air_capacity = sum(max(entry.capacity_kw, 0.0) for entry in entries_air_units)
    dx_share = (sum(max(entry.capacity_kw, 0.0) for entry in dx) / air_capacity if air_capacity > 0
                else (1.0 if dx and not chilled_units else 0.0))
    air_supply_c, air_return_c, econ_k = air_loop_temperatures(entries_air_units, air_class,
                                                               air_settings or AirLoopSettings())
    liquid_supply_c = supply_temperature_c(liquid_class) - _weighted(entries_cdus, "approach_k", DEFAULT_CDU_APPROACH_K)
    if not entries_cdus or not chilled_units:
        liquid_set = air_set = list(entries_rejection)
    else:
        liquid_set = coolers if coolers else chillers
        if not chillers:
            air_set = coolers
        elif any(entry.role is Role.CHILLER_WATER for entry in chillers):
            air_set = [*chillers, *(entry for entry in coolers if _sink(entry) == "wet_bulb")]
        else:
            air_set = chillers
    liquid_plant = rejection_plant(liquid_set, liquid_supply_c, liquid_supply_c + LIQUID_RETURN_RISE_K)
    if chillers and not any(entry.role in CHILLER_ROLES for entry in liquid_set):
        liquid_plant = replace(liquid_plant, **_chiller_fields(chillers, coolers))  # type: ignore[arg-type]
    air_plant = None
    if chilled_units or not entries_air_units:
        air_plant = rejection_plant(air_set, air_supply_c, air_return_c, economiser_approach_k=econ_k,
                                    loop_pump_kw_per_kw=CHILLED_WATER_PUMP_KW_PER_KW if chilled_units else 0.0)
    return CoolingSystem(
        air_fan_kw_per_kw=_weighted(entries_air_units, "fan_kw_per_kw", DEFAULT_AIR_FAN_KW_PER_KW),
        liquid_pump_kw_per_kw=_weighted(entries_cdus, "pump_kw_per_kw", DEFAULT_PUMP_KW_PER_KW),
        liquid_plant=liquid_plant,
        air_plant=air_plant,
        fan_groups=fan_groups,
        dx_share=dx_share,
        dx_cop=_weighted(dx, "cop_mechanical", DX_COP),
    )


@dataclass(frozen=True)
class FacilityPower:
    """Facility power split by consumer; every array has the broadcast shape of the inputs (kW).

    ``facility = it + electrical_loss + cooling + lighting + misc`` and
    ``cooling = fan + pump + heat_rejection`` hold exactly; ``chiller`` (compressors, DX units
    included) and ``plant_pump`` (chilled-water, condenser and economiser pumps) are parts of
    ``heat_rejection``; ``pump`` is the CDU/liquid-loop pumping. ``pue`` is ``facility / it`` and NaN
    where ``it == 0``. ``free_fraction_*`` is the share of each loop's heat rejected without a
    compressor (1 where the loop has no plant).
    """

    it_kw: np.ndarray
    electrical_loss_kw: np.ndarray
    fan_kw: np.ndarray
    pump_kw: np.ndarray
    heat_rejection_kw: np.ndarray
    chiller_kw: np.ndarray
    lighting_kw: np.ndarray
    misc_kw: np.ndarray
    cooling_kw: np.ndarray
    facility_kw: np.ndarray
    pue: np.ndarray
    free_fraction_liquid: np.ndarray
    free_fraction_air: np.ndarray
    plant_pump_kw: np.ndarray
    liquid_heat_kw: np.ndarray
    """Heat the liquid plant rejects (the loop's heat plus its pumps' work)."""
    air_plant_heat_kw: np.ndarray
    """Heat the air plant rejects (air heat not on DX units, plus fan work)."""
    water_l: np.ndarray
    """Water the towers and wetted adiabatic coolers evaporate, litres per hour (``plant_water_l``)."""


def _power_input(value: np.ndarray | float, name: str) -> np.ndarray:
    array = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(array)) or np.any(array < 0.0):
        raise ValueError(f"{name} must be finite and non-negative")
    return array


def _plant_power(
    plant: RejectionPlant | None, heat_kw: np.ndarray, dry_bulb_c: np.ndarray, wet_bulb_c: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(free fraction, fan kW, compressor kW, pump kW) of one plant. No plant: nothing modelled, fraction 1."""
    if plant is None:
        zero = np.zeros_like(heat_kw)
        return np.ones_like(heat_kw), zero, zero, zero
    if plant.free_cooling:
        sink_c = wet_bulb_c if plant.sink == "wet_bulb" else dry_bulb_c
        fraction = free_cooling_fraction(sink_c, plant.supply_c, plant.return_c,
                                         plant.approach_k + plant.economiser_approach_k)
    else:
        fraction = np.zeros_like(heat_kw)
    fans_kw = heat_kw * plant.free_fan_kw_per_kw
    mechanical_kw = heat_kw * (1.0 - fraction)
    condenser_c = dry_bulb_c if plant.chiller_kind == "air" else wet_bulb_c + plant.condenser_approach_k
    compressor_kw = chiller_power_kw(plant.chiller_kind, mechanical_kw, plant.cop_mechanical,
                                     plant.chiller_capacity_kw, plant.supply_c, condenser_c)
    pumps_kw = (heat_kw * plant.loop_pump_kw_per_kw + (mechanical_kw + compressor_kw) * plant.condenser_pump_kw_per_kw
                + heat_kw * fraction * plant.economiser_pump_kw_per_kw)
    return fraction, fans_kw, compressor_kw, pumps_kw


def facility_power(
    it_kw: np.ndarray | float,
    electrical_loss_kw: np.ndarray | float,
    liquid_heat_kw: np.ndarray | float,
    air_heat_kw: np.ndarray | float,
    system: CoolingSystem,
    dry_bulb_c: np.ndarray | float,
    wet_bulb_c: np.ndarray | float,
) -> FacilityPower:
    """Facility power hour by hour (any leading shape, hours last; inputs broadcast together).

    ``air_heat_kw`` already includes the indoor electrical losses (the caller adds them); lighting
    is added here. Air-unit fans draw ``system.fan_kw(air heat)`` and CDU pumps ``liquid heat x
    pump``. Self-contained DX units remove ``dx_share`` of the air heat (and their fans' work) at
    their own COP on the air-cooled curve. Each plant receives its path's heat plus the fan or
    pump work dissipated into that loop; its tower/dry-cooler fans draw ``heat x free_fan`` every
    hour (in mechanical hours they reject the condenser heat), its compressors follow the chiller
    curves (``chillers``) on the mechanical share, and its pumps are charged as described on
    :class:`RejectionPlant`.
    """
    it = _power_input(it_kw, "it_kw")
    loss = _power_input(electrical_loss_kw, "electrical_loss_kw")
    liquid = _power_input(liquid_heat_kw, "liquid_heat_kw")
    air = _power_input(air_heat_kw, "air_heat_kw")
    dry = np.asarray(dry_bulb_c, dtype=float)
    wet = np.asarray(wet_bulb_c, dtype=float)
    shape = np.broadcast_shapes(it.shape, loss.shape, liquid.shape, air.shape, dry.shape, wet.shape)

    def spread(array: np.ndarray) -> np.ndarray:
        # an array of the full shape is its own broadcast (the same strides): ~15 µs a call saved
        return array if array.shape == shape else np.broadcast_to(array, shape)

    def full(array: np.ndarray) -> np.ndarray:
        out = np.array(spread(np.asarray(array)), dtype=float)  # a copy: never the caller's array
        out.setflags(write=False)
        return out

    it, loss, liquid, air, dry, wet = (spread(a) for a in (it, loss, liquid, air, dry, wet))
    lighting = it * system.lighting_fraction
    misc = it * system.misc_fraction
    air_total = air + lighting
    fans = system.fan_kw(air_total)
    pumps = liquid * system.liquid_pump_kw_per_kw
    dx_heat = (air_total + fans) * system.dx_share
    dx_kw = chiller_power_kw("air", dx_heat, system.dx_cop, 0.0, 10.0, dry) if system.dx_share > 0 else 0.0 * dx_heat
    air_plant_heat = air_total + fans - dx_heat
    free_liquid, liquid_fans, liquid_compressor, liquid_pumps = _plant_power(system.liquid_plant, liquid + pumps,
                                                                             dry, wet)
    free_air, air_fans, air_compressor, air_pumps = _plant_power(system.air_plant, air_plant_heat, dry, wet)
    chiller = liquid_compressor + air_compressor + dx_kw
    plant_pumps = liquid_pumps + air_pumps
    water = (plant_water_l(system.liquid_plant, liquid + pumps, liquid_compressor, dry)
             + plant_water_l(system.air_plant, air_plant_heat, air_compressor, dry))
    rejection = liquid_fans + air_fans + chiller + plant_pumps
    cooling = fans + pumps + rejection
    facility = it + loss + cooling + lighting + misc
    pue = np.divide(facility, it, out=np.full(shape, np.nan), where=it > 0)
    if system.dx_share > 0:  # the DX share of the air loop is never free-cooled
        free_air = free_air * (1.0 - system.dx_share)
    return FacilityPower(
        it_kw=full(it),
        electrical_loss_kw=full(loss),
        fan_kw=full(fans),
        pump_kw=full(pumps),
        heat_rejection_kw=full(rejection),
        chiller_kw=full(chiller),
        lighting_kw=full(lighting),
        misc_kw=full(misc),
        cooling_kw=full(cooling),
        facility_kw=full(facility),
        pue=full(pue),
        free_fraction_liquid=full(free_liquid),
        free_fraction_air=full(free_air),
        plant_pump_kw=full(plant_pumps),
        liquid_heat_kw=full(liquid + pumps if system.liquid_plant is not None else np.zeros(shape)),
        air_plant_heat_kw=full(air_total + fans),
        water_l=full(water),
    )


def with_electrical_loss(power: FacilityPower, electrical_loss_kw: np.ndarray) -> FacilityPower:
    """``power`` with other electrical losses (same shape): facility and PUE follow, cooling does not."""
    loss = np.array(np.broadcast_to(_power_input(electrical_loss_kw, "electrical_loss_kw"), power.it_kw.shape))
    facility = power.facility_kw - power.electrical_loss_kw + loss
    pue = np.divide(facility, power.it_kw, out=np.full(facility.shape, np.nan), where=power.it_kw > 0)
    for array in (loss, facility, pue):
        array.setflags(write=False)
    return replace(power, electrical_loss_kw=loss, facility_kw=facility, pue=pue)


LOOPS = ("air", "liquid")


@dataclass(frozen=True)
class LoopHours:
    """Hours of the year by how one loop's heat reaches the outdoors.

    * ``full_free_h``: the loop's free coolers carry all of its heat, no compressor runs for it;
    * ``partial_h``: the free coolers pre-cool and a compressor trims the rest;
    * ``mechanical_h``: compressors (or DX units) carry all of it.

    Only hours in which the loop carries heat count, so the three add up to ``loaded_h`` (8760
    when it carries heat all year). A loop without heat all year has ``loaded_h == 0``.
    """

    loop: str
    full_free_h: float
    partial_h: float
    mechanical_h: float

    @property
    def loaded_h(self) -> float:
        return self.full_free_h + self.partial_h + self.mechanical_h


def loop_hours(loop: str, fraction: np.ndarray, heat_kw: np.ndarray, hours: np.ndarray) -> LoopHours:
    """Classify the weighted hours of one loop (``hours`` = how many hours each cell stands for)."""
    loaded = heat_kw > 1e-9
    full = loaded & (fraction >= 1.0 - 1e-12)
    mechanical = loaded & (fraction <= 1e-12)
    partial = loaded & ~full & ~mechanical
    return LoopHours(loop, float(hours[full].sum()), float(hours[partial].sum()), float(hours[mechanical].sum()))


@dataclass(frozen=True)
class AnnualEnergy:
    """A year of weather days (12 representative days weighted by days per month, or 365 typical days)."""

    it_mwh: float
    facility_mwh: float
    annual_pue: float
    """``facility_mwh / it_mwh``; NaN when there is no IT energy."""
    loops: tuple[LoopHours, ...]
    """Free-cooling, partial and mechanical hours of the air and liquid loops (:class:`LoopHours`)."""
    peak_facility_kw: float
    monthly_pue: np.ndarray
    """(12,) NaN for a month without IT energy."""
    cooling_mwh: float
    hourly: FacilityPower
    """The (days, 24) results behind the totals."""
    hourly_weather: bool
    """True when the year ran on a typical year of hours, False on monthly representative days."""
    water_m3: float = 0.0
    """Water evaporated by towers and wetted adiabatic coolers over the year (``FacilityPower.water_l``)."""
    weight_days: np.ndarray | None = None
    """(days,) how many days of the year each row of ``hourly`` stands for."""
    month: np.ndarray | None = None
    """(days,) month index 0..11 of each row of ``hourly``."""

    @property
    def wue_l_per_kwh(self) -> float:
        """Water usage effectiveness: site water litres per kWh of IT energy [XK6]; NaN without IT energy."""
        return self.water_m3 / self.it_mwh if self.it_mwh > 0 else float("nan")


def annual_energy(
    it_kw_day: np.ndarray,
    electrical_loss_kw_day: np.ndarray,
    liquid_heat_kw_day: np.ndarray,
    air_heat_kw_day: np.ndarray,
    system: CoolingSystem,
    climate: Climate,
) -> AnnualEnergy:
    """Run a (24,) load day against each weather day of the climate (``climate.weather_days``) and total the year."""
    weather = weather_days(climate)
    dry, wet = weather.dry_bulb_c, weather.wet_bulb_c
    days = (it_kw_day, electrical_loss_kw_day, liquid_heat_kw_day, air_heat_kw_day)
    loads = [np.asarray(day, dtype=float) for day in days]
    for day in loads:
        if day.shape != (dry.shape[1],):
            raise ValueError(f"load days must have shape ({dry.shape[1]},), got {day.shape}")
    it, loss, liquid, air = (np.broadcast_to(day, dry.shape) for day in loads)
    hourly = facility_power(it, loss, liquid, air, system, dry, wet)
    hours = np.broadcast_to(weather.weight_days[:, np.newaxis], dry.shape)  # each day-hour stands for this many
    month_it = np.zeros(MONTHS)
    month_facility = np.zeros(MONTHS)
    np.add.at(month_it, weather.month, (hourly.it_kw * hours).sum(axis=1))
    np.add.at(month_facility, weather.month, (hourly.facility_kw * hours).sum(axis=1))
    it_mwh = float(month_it.sum()) / 1000.0
    facility_mwh = float(month_facility.sum()) / 1000.0
    monthly_pue = np.divide(month_facility, month_it, out=np.full(MONTHS, np.nan), where=month_it > 0)
    monthly_pue.setflags(write=False)
    air_heat = hourly.air_plant_heat_kw
    loops = (
        loop_hours("air", hourly.free_fraction_air if system.air_plant is not None or system.dx_share > 0
                   else np.ones_like(air_heat), air_heat, hours),
        loop_hours("liquid", hourly.free_fraction_liquid, hourly.liquid_heat_kw, hours),
    )
    return AnnualEnergy(
        it_mwh=it_mwh,
        facility_mwh=facility_mwh,
        annual_pue=facility_mwh / it_mwh if it_mwh > 0 else float("nan"),
        loops=loops,
        peak_facility_kw=float(hourly.facility_kw.max()),
        monthly_pue=monthly_pue,
        cooling_mwh=float((hourly.cooling_kw * hours).sum()) / 1000.0,
        hourly=hourly,
        hourly_weather=weather.hourly,
        water_m3=float((hourly.water_l * hours).sum()) / 1000.0,
        weight_days=weather.weight_days,
        month=weather.month,
    )


def plant_findings(system: CoolingSystem, has_rejection: bool, loops: tuple[LoopHours, ...],
                   has_liquid_heat: bool) -> list[Finding]:
    """Say what the energy figures assume where the design does not: a missing plant, or a trim chiller."""
    findings: list[Finding] = []
    assumed = (f"an air-cooled chiller is assumed: rated COP {DEFAULT_CHILLER_COP:g} at 35 °C outdoor "
               "and 6.7 °C chilled water, on the ASHRAE 90.1 air-cooled curves, running at full load")
    dx_only = system.air_plant is None and not has_liquid_heat
    if not has_rejection and not dx_only:
        findings.append(Finding("warning", "assumed_heat_rejection",
                                f"the design has no heat-rejection equipment: {assumed}, without free cooling"))
        return findings
    by_loop = {loop.loop: loop for loop in loops}
    for name, plant in (("air", system.air_plant), ("liquid", system.liquid_plant)):
        hours = by_loop.get(name)
        if plant is None or not plant.assumed_chiller or not plant.free_cooling:
            continue
        if hours is not None and hours.partial_h + hours.mechanical_h <= 0:
            continue
        when = f" for {hours.partial_h + hours.mechanical_h:,.0f} h/yr" if hours is not None else ""
        findings.append(Finding("info", "assumed_trim_chiller",
                                f"the {name} loop's free coolers cannot hold {plant.supply_c:g} °C on their own"
                                f"{when} and no chiller serves it: {assumed}"))
    return findings
