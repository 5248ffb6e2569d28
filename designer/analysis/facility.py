"""Facility power, cooling energy and PUE hour by hour, and over a year of representative days.

Implements the component sum of domain_figures §5.3 (Schneider WP108/113 loss classes plus the
Lei & Masanet cooling model) with the water-side economiser rule of §4.3. All powers are kW.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from designer.analysis.climate import DAYS_PER_MONTH, MONTHS, Climate, hourly_dry_bulb_c, hourly_wet_bulb_c
from designer.model.catalog import CatalogEntry
from designer.model.roles import CHILLER_ROLES
from designer.model.types import Role

Sink = Literal["dry_bulb", "wet_bulb"]

AIR_SUPPLY_SETPOINT_C: dict[str, float] = {"A1": 27.0, "A2": 27.0, "A3": 27.0, "A4": 27.0, "H1": 22.0}
"""Supply-air setpoint: the upper end of the ASHRAE TC 9.9 recommended envelope (18-27 °C; H1 18-22 °C) [S50]."""
AIR_COIL_APPROACH_K = 9.0
"""Supply air minus entering chilled water across a CRAH/in-row coil (E: 8-10 K)."""
LIQUID_CLASSES_C: dict[str, float] = {"W17": 17.0, "W27": 27.0, "W32": 32.0, "W40": 40.0, "W45": 45.0}
"""ASHRAE liquid classes: the class number is the maximum facility-water supply in °C [S51]."""
LIQUID_RETURN_RISE_K = 10.0
"""Facility-water return minus supply on the liquid loop (E; Lei/Masanet facility water ΔT 5-10 K)."""
CHILLED_WATER_RISE_K = 6.0
"""Chilled-water return minus supply for air coils (E; tower water ΔT 4-6 K in Lei/Masanet)."""
DEFAULT_CDU_APPROACH_K = 3.0
"""CDU approach when no CDU gives ``approach_k`` (E, §4.3: add ~2-3 K)."""
DEFAULT_AIR_FAN_KW_PER_KW = 0.03
"""Air-unit fans per kW of heat when no unit gives ``fan_kw_per_kw`` (E, §5.3 k_fan 0.02-0.05)."""
DEFAULT_PUMP_KW_PER_KW = 0.01
"""CDU and facility pumps per kW of heat when no CDU gives ``pump_kw_per_kw`` (E, §5.3 0.003-0.017)."""
DEFAULT_CHILLER_COP = 3.5
"""Air-cooled chiller COP used when a path has no chiller in the catalog (E, §5.3 air-cooled 3-4)."""

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


def supply_temperature_c(cls: str) -> float:
    """The facility-water supply temperature the heat rejection must deliver for a class.

    Liquid classes (W17..W45): the class number. Air classes (A1..A4, H1): chilled water for the
    air coils = supply-air setpoint minus :data:`AIR_COIL_APPROACH_K` (A1 27 - 9 = 18 °C).
    """
    key = cls.strip().upper()
    if key in LIQUID_CLASSES_C:
        return LIQUID_CLASSES_C[key]
    if key in AIR_SUPPLY_SETPOINT_C:
        return AIR_SUPPLY_SETPOINT_C[key] - AIR_COIL_APPROACH_K
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
    capacity_kw: float


@dataclass(frozen=True)
class CoolingSystem:
    """Electrical intensities of the cooling chain; lighting and misc are fractions of IT (§5.3, E)."""

    air_fan_kw_per_kw: float
    liquid_pump_kw_per_kw: float
    liquid_plant: RejectionPlant | None
    air_plant: RejectionPlant | None
    lighting_fraction: float = 0.005
    misc_fraction: float = 0.005


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
    """A chiller's compressor COP: its ``cop_mechanical``, else the default of its role."""
    return entry.number("cop_mechanical", _DEFAULT_COP.get(entry.role, DEFAULT_CHILLER_COP))


def _cop(chillers: Sequence[CatalogEntry]) -> float:
    """Capacity-weighted compressor COP of ``chillers`` (the default air-cooled COP when there are none)."""
    if not chillers:
        return DEFAULT_CHILLER_COP
    cops = [chiller_cop(entry) for entry in chillers]
    cop = float(np.average(cops, weights=_weights(chillers)))
    if cop <= 0:
        raise ValueError("cop_mechanical must be positive")
    return cop


def rejection_plant(entries: Sequence[CatalogEntry], supply_c: float, return_c: float) -> RejectionPlant:
    """A plant from the rejection equipment serving one path (capacity-weighted parameters).

    Free-cooling equipment (towers, dry and adiabatic coolers, chillers with ``free_cooling``) sets
    the sink (the capacity majority), approach and fan intensity; chillers set the compressor COP. A
    path without a chiller is charged the default air-cooled chiller COP (3.5) for the hours its
    free coolers cannot hold the supply temperature (the trim chiller it would need); a path with no
    equipment at all is a plain air-cooled chiller without free cooling.
    """
    free = [entry for entry in entries if free_capable(entry)]
    sink: Sink = "dry_bulb"
    if free:
        weights = _weights(free)
        wet = sum(w for w, entry in zip(weights, free, strict=True) if _sink(entry) == "wet_bulb")
        sink = "wet_bulb" if wet > weights.sum() / 2 else "dry_bulb"
        free = [entry for entry in free if _sink(entry) == sink]
    approaches = [entry.number("approach_k", _DEFAULT_APPROACH_K.get(entry.role, 10.0)) for entry in free]
    return RejectionPlant(
        supply_c=supply_c,
        return_c=return_c,
        approach_k=float(np.average(approaches, weights=_weights(free))) if free else 10.0,
        sink=sink,
        free_cooling=bool(free),
        free_fan_kw_per_kw=_weighted(free, "fan_kw_per_kw", 0.0),
        cop_mechanical=_cop([entry for entry in entries if entry.role in CHILLER_ROLES]),
        capacity_kw=float(sum(max(entry.capacity_kw, 0.0) for entry in entries)),
    )


def cooling_system_from_catalog(
    entries_air_units: Sequence[CatalogEntry],
    entries_cdus: Sequence[CatalogEntry],
    entries_rejection: Sequence[CatalogEntry],
    air_class: str,
    liquid_class: str,
) -> CoolingSystem:
    """A cooling system from the placed equipment (one list entry per placed unit).

    Intensities are capacity-weighted catalog parameters (defaults :data:`DEFAULT_AIR_FAN_KW_PER_KW`,
    :data:`DEFAULT_PUMP_KW_PER_KW`, :data:`DEFAULT_CDU_APPROACH_K` when absent). Both plants are
    always built. The air plant delivers chilled water at ``supply_temperature_c(air_class)``
    (return +6 K, E); the liquid plant at ``supply_temperature_c(liquid_class)`` minus the CDU
    approach (return +10 K, E).

    The rejection list is split between the paths: when only one kind of terminal unit (air units or
    CDUs) is present, all of it serves that path. Otherwise the liquid loop gets the free coolers
    (or the chillers when there are none) and trims with the site's chillers' COP; the air loop gets
    the chillers, plus the wet-bulb coolers when a water-cooled chiller rejects through them, or the
    free coolers when there is no chiller. Callers that know the topology can build the plants with
    :func:`rejection_plant` and ``dataclasses.replace`` instead.
    """
    chillers = [entry for entry in entries_rejection if entry.role in CHILLER_ROLES]
    coolers = [entry for entry in entries_rejection if entry.role not in CHILLER_ROLES]
    air_supply_c = supply_temperature_c(air_class)
    liquid_supply_c = supply_temperature_c(liquid_class) - _weighted(entries_cdus, "approach_k", DEFAULT_CDU_APPROACH_K)
    if not entries_cdus or not entries_air_units:
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
        liquid_plant = replace(liquid_plant, cop_mechanical=_cop(chillers))
    return CoolingSystem(
        air_fan_kw_per_kw=_weighted(entries_air_units, "fan_kw_per_kw", DEFAULT_AIR_FAN_KW_PER_KW),
        liquid_pump_kw_per_kw=_weighted(entries_cdus, "pump_kw_per_kw", DEFAULT_PUMP_KW_PER_KW),
        liquid_plant=liquid_plant,
        air_plant=rejection_plant(air_set, air_supply_c, air_supply_c + CHILLED_WATER_RISE_K),
    )


@dataclass(frozen=True)
class FacilityPower:
    """Facility power split by consumer; every array has the broadcast shape of the inputs (kW).

    ``facility = it + electrical_loss + cooling + lighting + misc`` and
    ``cooling = fan + pump + heat_rejection`` hold exactly; ``chiller`` (compressors) is part of
    ``heat_rejection``. ``pue`` is ``facility / it`` and NaN where ``it == 0``.
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


def _power_input(value: np.ndarray | float, name: str) -> np.ndarray:
    array = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(array)) or np.any(array < 0.0):
        raise ValueError(f"{name} must be finite and non-negative")
    return array


def _plant_power(
    plant: RejectionPlant | None, heat_kw: np.ndarray, dry_bulb_c: np.ndarray, wet_bulb_c: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(free fraction, fan kW, compressor kW) of one plant. No plant: nothing modelled, fraction 1."""
    if plant is None:
        zero = np.zeros_like(heat_kw)
        return np.ones_like(heat_kw), zero, zero
    if plant.free_cooling:
        sink_c = wet_bulb_c if plant.sink == "wet_bulb" else dry_bulb_c
        fraction = free_cooling_fraction(sink_c, plant.supply_c, plant.return_c, plant.approach_k)
    else:
        fraction = np.zeros_like(heat_kw)
    fans_kw = heat_kw * plant.free_fan_kw_per_kw
    compressor_kw = heat_kw * (1.0 - fraction) / plant.cop_mechanical
    return fraction, fans_kw, compressor_kw


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
    is added here. Air-unit fans draw ``air heat x air_fan`` and CDU pumps ``liquid heat x pump``.
    Each plant receives its path's heat plus the fan or pump work dissipated into that loop; its
    tower/dry-cooler fans draw ``heat x free_fan`` every hour (in mechanical hours they reject the
    condenser heat) and its compressors ``heat x (1 - free fraction) / COP``.
    """
    it = _power_input(it_kw, "it_kw")
    loss = _power_input(electrical_loss_kw, "electrical_loss_kw")
    liquid = _power_input(liquid_heat_kw, "liquid_heat_kw")
    air = _power_input(air_heat_kw, "air_heat_kw")
    dry = np.asarray(dry_bulb_c, dtype=float)
    wet = np.asarray(wet_bulb_c, dtype=float)
    shape = np.broadcast_shapes(it.shape, loss.shape, liquid.shape, air.shape, dry.shape, wet.shape)

    def full(array: np.ndarray) -> np.ndarray:
        out = np.array(np.broadcast_to(array, shape), dtype=float)
        out.setflags(write=False)
        return out

    it, loss, liquid, air, dry, wet = (np.broadcast_to(a, shape) for a in (it, loss, liquid, air, dry, wet))
    lighting = it * system.lighting_fraction
    misc = it * system.misc_fraction
    air_total = air + lighting
    fans = air_total * system.air_fan_kw_per_kw
    pumps = liquid * system.liquid_pump_kw_per_kw
    free_liquid, liquid_fans, liquid_compressor = _plant_power(system.liquid_plant, liquid + pumps, dry, wet)
    free_air, air_fans, air_compressor = _plant_power(system.air_plant, air_total + fans, dry, wet)
    chiller = liquid_compressor + air_compressor
    rejection = liquid_fans + air_fans + chiller
    cooling = fans + pumps + rejection
    facility = it + loss + cooling + lighting + misc
    pue = np.divide(facility, it, out=np.full(shape, np.nan), where=it > 0)
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
    )


def with_electrical_loss(power: FacilityPower, electrical_loss_kw: np.ndarray) -> FacilityPower:
    """``power`` with other electrical losses (same shape): facility and PUE follow, cooling does not."""
    loss = np.array(np.broadcast_to(_power_input(electrical_loss_kw, "electrical_loss_kw"), power.it_kw.shape))
    facility = power.facility_kw - power.electrical_loss_kw + loss
    pue = np.divide(facility, power.it_kw, out=np.full(facility.shape, np.nan), where=power.it_kw > 0)
    for array in (loss, facility, pue):
        array.setflags(write=False)
    return replace(power, electrical_loss_kw=loss, facility_kw=facility, pue=pue)


@dataclass(frozen=True)
class AnnualEnergy:
    """A year of representative days (12 months x 24 h, weighted by days per month = 8760 h)."""

    it_mwh: float
    facility_mwh: float
    annual_pue: float
    """``facility_mwh / it_mwh``; NaN when there is no IT energy."""
    hours_without_chillers: float
    """Hours of the year in which no compressor runs (every loaded plant fully on free cooling)."""
    peak_facility_kw: float
    monthly_pue: np.ndarray
    """(12,) NaN for a month without IT energy."""
    cooling_mwh: float
    hourly: FacilityPower
    """The (12, 24) representative-day results behind the totals."""


def annual_energy(
    it_kw_day: np.ndarray,
    electrical_loss_kw_day: np.ndarray,
    liquid_heat_kw_day: np.ndarray,
    air_heat_kw_day: np.ndarray,
    system: CoolingSystem,
    climate: Climate,
) -> AnnualEnergy:
    """Run a (24,) load day against each month's representative weather day and total the year."""
    dry = hourly_dry_bulb_c(climate)
    wet = hourly_wet_bulb_c(climate)
    days = (it_kw_day, electrical_loss_kw_day, liquid_heat_kw_day, air_heat_kw_day)
    loads = [np.asarray(day, dtype=float) for day in days]
    for day in loads:
        if day.shape != (dry.shape[1],):
            raise ValueError(f"load days must have shape ({dry.shape[1]},), got {day.shape}")
    it, loss, liquid, air = (np.broadcast_to(day, dry.shape) for day in loads)
    hourly = facility_power(it, loss, liquid, air, system, dry, wet)
    hours = np.broadcast_to(DAYS_PER_MONTH[:, np.newaxis], dry.shape)  # each day-hour stands for this many hours
    it_month_kwh = (hourly.it_kw * hours).sum(axis=1)
    facility_month_kwh = (hourly.facility_kw * hours).sum(axis=1)
    it_mwh = float(it_month_kwh.sum()) / 1000.0
    facility_mwh = float(facility_month_kwh.sum()) / 1000.0
    monthly_pue = np.divide(facility_month_kwh, it_month_kwh, out=np.full(MONTHS, np.nan), where=it_month_kwh > 0)
    monthly_pue.setflags(write=False)
    return AnnualEnergy(
        it_mwh=it_mwh,
        facility_mwh=facility_mwh,
        annual_pue=facility_mwh / it_mwh if it_mwh > 0 else float("nan"),
        hours_without_chillers=float(hours[hourly.chiller_kw <= 0.0].sum()),
        peak_facility_kw=float(hourly.facility_kw.max()),
        monthly_pue=monthly_pue,
        cooling_mwh=float((hourly.cooling_kw * hours).sum()) / 1000.0,
        hourly=hourly,
    )
