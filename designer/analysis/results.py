"""The immutable results of one analysis: numpy arrays, records and findings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from designer.analysis.capacity import StrandedCapacity
from designer.analysis.facility import AnnualEnergy, LoopHours
from designer.analysis.failures import OVERLOAD_TOLERANCE
from designer.analysis.findings import Finding
from designer.analysis.headroom import Headroom
from designer.analysis.loads import BoolArray, FloatArray, IntArray
from designer.analysis.maintenance import MaintenancePair, MaintenanceVerdict

StrArray = NDArray[np.str_]


ArrayT = TypeVar("ArrayT", bound=NDArray[Any])


def frozen(array: ArrayT) -> ArrayT:
    """``array`` made read-only (results are values, never edited in place)."""
    array.setflags(write=False)
    return array


@dataclass(frozen=True, slots=True)
class FailureRecord:
    """What the failure of one component does."""

    failed: str
    racks_without_power: tuple[str, ...]
    racks_without_cooling: tuple[str, ...]
    overloaded: tuple[str, ...]
    """Surviving components pushed over 100 % of rating by the load moved onto them (at some hour)."""
    overloaded_hours: tuple[int, ...] = ()
    """The first hour of the design day at which each of ``overloaded`` is over."""

    @property
    def survived(self) -> bool:
        return not (self.racks_without_power or self.racks_without_cooling or self.overloaded)


@dataclass(frozen=True, slots=True)
class GroupVerdict:
    """A redundancy group (``PlacedItem.group``) against the loss of any one of its members."""

    group: str
    member_ids: tuple[str, ...]
    worst_utilization: float
    """Highest utilisation of a remaining member when one member fails."""
    survives: bool
    """No rack loses supply and no remaining member goes over 100 % when any one member fails."""


@dataclass(frozen=True, slots=True)
class Results:
    """One analysis of a design at one inference share. kW throughout; hours are local time."""

    inference_share: float
    year: int | None
    ai_density_factor: float
    hour: int
    """Hour used for per-component and per-rack values (the IT peak unless chosen)."""
    hours: IntArray
    it_kw: FloatArray
    electrical_loss_kw: FloatArray
    cooling_kw: FloatArray
    facility_kw: FloatArray
    pue: FloatArray
    annual_pue: float
    cooling_loops: tuple[LoopHours, ...]
    """Full free-cooling, partial and mechanical hours of the air and liquid loops over the year
    (:class:`~designer.analysis.facility.LoopHours`); empty when no climate is known."""
    peak_it_kw: float
    peak_facility_kw: float
    climate_id: str
    """Climate used for the annual figures; empty when none was found (design-day figures used)."""
    it_layers_kw: FloatArray
    """(len(loads.IT_LAYERS), 24) IT by workload layer; ``ai`` racks split by the share. Sums to ``it_kw``."""
    liquid_heat_kw: FloatArray
    """(24,) rack heat into liquid."""
    ai_design_kw: float
    """Design kW (with the density factor) of the ``ai`` racks: 0 means the inference share changes nothing."""

    component_ids: StrArray
    component_kinds: StrArray
    """"power" or "cooling"."""
    component_roles: StrArray
    component_load_kw: FloatArray
    component_loss_kw: FloatArray
    component_capacity_kw: FloatArray
    component_utilization: FloatArray
    component_worst_failure_utilization: FloatArray
    """Highest utilisation over the single failures of other components, and normal running, at every
    hour of the design day (NaN when not analysed)."""
    component_worst_failure_hour: IntArray
    """The hour of ``component_worst_failure_utilization`` (-1 when not analysed)."""
    component_worst_failure_case: StrArray
    """The failed component that gives it ("" for normal running, or when not analysed)."""
    warn_utilization: float
    """The warning threshold: the project's continuous derating (one source for every view)."""
    component_state: IntArray
    """State code of each component at ``hour`` (``capacity.STATES``: none / ok / warn / over)."""
    component_worst_failure_state: IntArray
    """State code of ``component_worst_failure_utilization`` (none when not analysed)."""

    rack_ids: StrArray
    rack_it_kw: FloatArray
    rack_heat_liquid_kw: FloatArray
    rack_heat_air_kw: FloatArray
    rack_floor_kg_m2: FloatArray
    rack_survives_single_failures: BoolArray
    """Served now and keeps power and cooling whatever single part fails (when failures were not
    analysed: served now)."""
    rack_served: BoolArray
    """Has live power and live cooling now (``service``); an unserved rack draws nothing."""
    unserved_it_kw: FloatArray
    """(24,) IT the unserved racks would draw: reported apart, not in ``it_kw`` or facility load."""

    failures_analysed: bool
    maintenance_pairs: tuple[MaintenancePair, ...]
    """One part out for maintenance and a single failure on top that drop served racks (with failures)."""
    maintenance_verdicts: tuple[MaintenanceVerdict, ...]
    headroom: Headroom | None
    """Diurnal headroom at the coincident peak (with failures; None without)."""
    component_nameplate_fed_kw: FloatArray
    """Nameplate each component feeds directly, shared as in normal running (``headroom``)."""
    """Power and cooling: concurrently maintainable / fault tolerant, a topology check (with failures)."""
    single_failures: tuple[FailureRecord, ...]
    groups: tuple[GroupVerdict, ...]
    stranded: StrandedCapacity
    findings: tuple[Finding, ...]
    annual_energy: AnnualEnergy | None = None
    """The year of weather days behind ``annual_pue`` (hourly facility power, water); None without a climate."""
    annual_water_m3: float = 0.0
    """Water the towers and wetted adiabatic coolers evaporate in a year (the design day x 365 without a climate)."""
    annual_it_mwh: float = 0.0
    """IT energy of the year (the design day x 365 without a climate)."""

    @property
    def wue_l_per_kwh(self) -> float:
        """Water usage effectiveness, litres of site water per kWh of IT energy [XK6] (NaN without IT energy)."""
        return self.annual_water_m3 / self.annual_it_mwh if self.annual_it_mwh > 0 else float("nan")

    @property
    def racks_unserved(self) -> int:
        """Racks without live power or cooling now."""
        return int(np.count_nonzero(~self.rack_served))

    @property
    def racks_at_risk(self) -> int | None:
        """Served racks that some single failure drops (None when failures were not analysed)."""
        if not self.failures_analysed:
            return None
        return int(np.count_nonzero(self.rack_served & ~self.rack_survives_single_failures))

    @property
    def survives_all_single_failures(self) -> bool:
        """Every rack is served and keeps power and cooling, and nothing goes over capacity, whatever
        single part fails.

        False while any rack is unserved (an unserved rack survives nothing), and when parts are
        already over their rating with nothing failed: a failure record lists only the parts it
        pushes over, so without this the summary said "all cases survived" while every redundancy
        group said it did not.
        """
        return (
            self.failures_analysed
            and self.racks_unserved == 0
            and not self.overloaded_before_failures
            and all(record.survived for record in self.single_failures)
        )

    @property
    def overloaded_before_failures(self) -> tuple[str, ...]:
        """Components over their rating at ``hour`` with nothing failed."""
        over = np.flatnonzero(self.component_utilization > 1.0 + OVERLOAD_TOLERANCE)
        return tuple(self.component_ids[over].tolist())

    def loop_hours(self, loop: str) -> LoopHours | None:
        """The hours of the ``"air"`` or ``"liquid"`` loop (None without a climate)."""
        for hours in self.cooling_loops:
            if hours.loop == loop:
                return hours
        return None

    def component_index(self, component_id: str) -> int:
        matches = np.flatnonzero(self.component_ids == component_id)
        if matches.size == 0:
            raise KeyError(component_id)
        return int(matches[0])

    def rack_index(self, rack_id: str) -> int:
        matches = np.flatnonzero(self.rack_ids == rack_id)
        if matches.size == 0:
            raise KeyError(rack_id)
        return int(matches[0])

    def failure(self, component_id: str) -> FailureRecord:
        for record in self.single_failures:
            if record.failed == component_id:
                return record
        raise KeyError(component_id)
