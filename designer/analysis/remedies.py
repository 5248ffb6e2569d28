"""What it takes to fix each kind of finding, and how much capacity the overloaded parts are short.

One home for the advice the report's executive summary (and any other reader of findings) gives:
``REMEDIES`` has an entry for every finding code the analysis emits (a test checks it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from designer.analysis.findings import Finding
from designer.analysis.results import Results

REMEDIES: dict[str, str] = {
    "cycle": "Remove the connection that closes the loop: supply must run one way, from the utility to the racks.",
    "no_power_path": "Feed the racks from a PDU, busway or RPP that traces back to a utility feed.",
    "no_cooling_path": "Connect the racks to a cooling unit (CDU, in-row or CRAH) that is itself fed.",
    "no_liquid_cooling": "Connect the liquid-cooled racks to a CDU with spare capacity.",
    "over_capacity": "Raise the rating of the part or move load off it: it carries more than its rating.",
    "single_failure_loss": "Give the racks a second, independent path: A and B feeds from separate UPSs and "
    "transformers, and N+1 cooling units.",
    "false_redundancy": "Route the A and B feeds through separate parts all the way up: the shared part named "
    "first is a single point of failure.",
    "single_failure_overload": "Size the surviving parts for the load moved onto them: a larger rating or one "
    "more unit (N+1).",
    "unknown_catalog": "Replace the items with catalog entries, or add their entries to the project.",
    "cooling_not_fed": "Power the cooling units, so their consumption counts in the facility power.",
    "no_climate": "Choose a climate in File > Site, so annual energy and free cooling are computed.",
    "no_scenario": "Add a scenario timeline (Workload Mix) to see the transition year by year.",
    "above_derating": "Keep continuous load under the derating limit: move load or take a larger rating.",
    "floor_overload": "Spread the heavy racks, reinforce the floor, or place them on slab.",
    "no_air_cooling": "Add air cooling (in-row or CRAH) for the racks' air-cooled share.",
    "no_heat_rejection": "Add heat rejection (dry coolers, chillers or towers) upstream of the CDUs and air units.",
    "rating_override": "Check each override against the modules or breakers actually fitted: these parts are "
    "analysed at their own rating, not the catalog's.",
    "assumed_heat_rejection": "Place the heat-rejection plant (dry coolers, chillers or towers) and connect it, "
    "so the energy figures stop resting on an assumed chiller.",
    "assumed_trim_chiller": "Add a trim chiller to the loop, or raise its supply temperature class, so the hours "
    "the free coolers cannot cover are served by equipment in the design.",
    "loss_heat_unassigned": "Put an air unit in the hall (or connect its air-cooled racks to one) to carry the "
    "heat of the electrical losses.",
    "unpowered_component": "Connect the component to a power supply.",
    "unpowered_cooling": "Connect the cooling unit to a power supply.",
    "analysis_failed": "Fix the file or design problem the message names and analyse again.",
    "racks_unserved": "Give the racks a live path from a utility or generator and a cooling unit that reaches "
    "heat rejection: until then they draw nothing in the figures.",
    "placement": "Move the items apart, back inside the hall, or off the obstacle: the plan cannot be built "
    "as drawn.",
    "aisle_clearance": "Leave the project's minimum aisle clear in front of each rack (move the rack or what "
    "blocks it).",
    "maintenance_verdict": "Information: what the topology meets. Where it says no, give every part a redundant "
    "partner, so any one can be taken out (planned or not) without dropping a rack.",
    "maintenance_exposure": "Information: these pairs drop racks while one part is out for maintenance. Plan "
    "maintenance windows for them, or add a second level of redundancy where that exposure is not acceptable.",
    "nameplate_oversubscription": "Information: the part feeds more nameplate than its rating. Fine while the "
    "real load stays inside it (see its utilisation); otherwise a larger rating.",
    "current_over_rating": "Take a larger frame (more amps) or move consumers to another panel or busway: the "
    "part carries more current than it is rated for.",
    "current_above_continuous": "Keep continuous current under the derating (80 % unless the assembly is listed "
    "for 100 %): move load or take the next frame size.",
    "breaker_unavailable": "Split the feed into parallel feeds or raise its voltage: no standard breaker is "
    "large enough for its current.",
    "cable_unavailable": "Split the feed or use busbar trunking: no cable of the table, even in parallel sets, "
    "carries its current.",
    "breaker_exceeds_source": "Feed the consumer from a larger panel or board, or split its load: its breaker is "
    "larger than the part that supplies it.",
    "voltage_drop": "Shorten the run (move the panel closer), take a larger conductor, or feed from a higher "
    "voltage: the run drops more voltage than the project's limit.",
    "transformer_over_kva": "Take the next transformer size (more kVA) or move load to another transformer: a "
    "load of lower power factor draws more kVA than the kW rating suggests.",
    "transformer_kva_in_failure": "Size each transformer of a redundant pair for the load its partner hands it "
    "(the worst single failure), in kVA, or add a transformer.",
    "transformer_secondary_mismatch": "Take a transformer whose secondary is the voltage the equipment below it is "
    "built for, or equipment built for that secondary.",
    "transformer_primary_mismatch": "Take a transformer whose primary matches the supply (its ratio), or feed it "
    "from switchgear at that voltage.",
    "cable_length_estimated": "Information: give the halls their site positions (drag them on the site plan), "
    "so runs between them are measured, not estimated from halls laid out side by side.",
    "phase_imbalance": "Run Analysis > Auto-balance Phases, or move single-phase racks to other phases by hand, "
    "until every panel is within the project's limit.",
    "phase_unassigned": "Assign a phase (L1, L2 or L3) to each single-phase rack in the inspector, or run "
    "Analysis > Auto-balance Phases.",
    "autonomy_unknown": "Give the UPS entries a battery energy (parameters.battery_kwh) and the generators a tank "
    "and consumption curve (fuel_tank_l, fuel_l_per_h_full), so their autonomy is computed.",
    "training_swing": "Add battery smoothing (UPS or rack-level storage) sized for the kW and kWh shown, or use "
    "GPU power floors and ramp limits, so the utility sees a change within its ramp limit.",
}
GENERIC_REMEDY = "See the finding's items on the plan (double-click it in the Problems panel)."


def remedy(finding: Finding) -> str:
    """What it takes to fix ``finding`` (a generic pointer for a code without advice)."""
    return REMEDIES.get(finding.code, GENERIC_REMEDY)


@dataclass(frozen=True, slots=True)
class Shortfall:
    """A rated part whose load, normal or after its worst single failure, exceeds its rating."""

    component_id: str
    role: str
    capacity_kw: float
    worst_utilization: float
    """The higher of normal and worst single-failure utilisation (1.0 = at rating)."""

    @property
    def extra_kw(self) -> float:
        """Rating to add to carry the worst case at 100 %: (worst utilisation - 1) x capacity."""
        return (self.worst_utilization - 1.0) * self.capacity_kw


def shortfalls(results: Results) -> list[Shortfall]:
    """Overloaded rated parts, largest missing rating first."""
    util = np.nan_to_num(np.asarray(results.component_utilization, dtype=np.float64), nan=0.0)
    worst = np.nan_to_num(np.asarray(results.component_worst_failure_utilization, dtype=np.float64), nan=0.0)
    capacity = np.asarray(results.component_capacity_kw, dtype=np.float64)
    key = np.fmax(util, worst)
    found = [
        Shortfall(str(results.component_ids[i]), str(results.component_roles[i]), float(capacity[i]), float(key[i]))
        for i in np.flatnonzero((capacity > 0) & (key > 1.0 + 1e-9))
        if math.isfinite(float(key[i]))
    ]
    return sorted(found, key=lambda s: -s.extra_kw)
