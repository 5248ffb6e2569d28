"""Battery and fuel autonomy, and the power swings of training jobs at the utility feed.

* UPS battery minutes: ``parameters.battery_kwh`` (usable energy at the high discharge rate of a
  bridge to the generators) over the power the UPS draws from it (its load plus its losses), at the
  analysed hour and at its worst single failure.
* Generator fuel hours: ``parameters.fuel_tank_l`` over the consumption at the load the set carries
  when the utility is lost (its worst single-failure load; at its rating when failures were not
  analysed), read from the consumption curve ``fuel_l_per_h_full`` x ``fuel_fraction_25/50/75``.
* Training swings: a synchronous training job drops from its running level to an idle floor at a
  checkpoint or a restart and comes back within about a second [S17][S18]. The step at the utility is
  (running - idle) x the training nameplate of the served racks, plus the electrical losses in
  proportion; the ramp is that step over ``STEP_RISE_S``. Held to the utility's ramp limit ``R``
  (``settings.utility_ramp_kw_per_s``), the grid takes ``R`` and the batteries the rest: smoothing
  power ``P = step - R * rise``, for ``P / R`` seconds, energy ``P**2 / (2 R)``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from designer.analysis.electrical_plan import ItemColumns
from designer.analysis.findings import Finding, id_list
from designer.analysis.loads import FloatArray
from designer.analysis.results import Results, StrArray
from designer.model import effective
from designer.model.catalog import CatalogEntry
from designer.model.project import Project
from designer.model.types import Role, WorkloadClass

TRAINING_RUNNING_FRACTION = 0.80
"""Training running level, fraction of nameplate ([S14][S15][S16], as the bundled training profile)."""
TRAINING_IDLE_FRACTION = 0.30
"""Idle floor at a checkpoint or restart, fraction of nameplate ([S19] interruptions modelled at 0.30, E)."""
STEP_RISE_S = 1.0
"""Time the whole hall takes to swing (E: the swings' content lies at 0.2-3 Hz [S17])."""
FUEL_CURVE_POINTS = (0.25, 0.5, 0.75, 1.0)
"""Load fractions of the catalog's consumption curve (``fuel_fraction_25`` ... and 1.0 at full)."""


@dataclass(frozen=True, slots=True)
class UpsAutonomy:
    item_id: str
    battery_kwh: float | None
    """None: the catalog entry gives no battery energy (autonomy unknown)."""
    draw_kw: float
    """Power from the battery on a mains failure at the analysed hour (load plus losses)."""
    worst_draw_kw: float
    minutes: float | None
    worst_minutes: float | None


@dataclass(frozen=True, slots=True)
class GeneratorAutonomy:
    item_id: str
    tank_l: float | None
    load_kw: float
    at_rating: bool
    """True: failures were not analysed, so the set is taken at its rating."""
    fuel_l_per_h: float | None
    hours: float | None


@dataclass(frozen=True, slots=True)
class SwingEstimate:
    """A training swing at one point of the transition."""

    year: int | None
    inference_share: float
    training_racks: int
    training_nameplate_kw: float
    step_kw: float
    """At the utility feed."""
    ramp_kw_per_s: float
    limit_kw_per_s: float
    smoothing_kw: float
    """Battery power that holds the utility to its ramp limit (0 when the step is within it)."""
    smoothing_s: float
    smoothing_kwh: float
    battery_kwh: float
    """The UPS batteries of the design (None counted as 0)."""

    @property
    def within_limit(self) -> bool:
        return self.smoothing_kw <= 0.0

    @property
    def covered(self) -> bool:
        """The UPS batteries hold the energy the smoothing needs."""
        return self.smoothing_kwh <= self.battery_kwh + 1e-9


def fuel_l_per_h(entry: CatalogEntry, load_fraction: float) -> float | None:
    """Consumption at ``load_fraction`` of the rating, interpolated on the catalog's curve (None without one)."""
    full = entry.number("fuel_l_per_h_full", 0.0)
    if full <= 0:
        return None
    fractions = [entry.number(f"fuel_fraction_{round(p * 100)}", p) for p in FUEL_CURVE_POINTS[:-1]] + [1.0]
    # no-load burn extrapolated from the first two points, never below zero
    at_zero = max(0.0, 2.0 * fractions[0] - fractions[1])
    xs = [0.0, *FUEL_CURVE_POINTS]
    ys = [at_zero, *fractions]
    return full * float(np.interp(min(max(load_fraction, 0.0), 1.2), xs, ys, right=None))


def _component_loads(results: Results,
                     only: Iterable[int] | None = None) -> dict[str, tuple[float, float, float, float]]:
    """Power components: (load, worst load, loss, capacity) in kW (``only``: those component indices, in order)."""
    out: dict[str, tuple[float, float, float, float]] = {}
    for i in (np.flatnonzero(results.component_kinds == "power").tolist() if only is None else only):
        capacity = float(results.component_capacity_kw[i])
        worst = float(results.component_worst_failure_utilization[i]) * capacity
        load = float(results.component_load_kw[i])
        out[str(results.component_ids[i])] = (load, worst if math.isfinite(worst) else math.nan,
                                              float(results.component_loss_kw[i]), capacity)
    return out


def _of_role(project: Project, catalog: Mapping[str, CatalogEntry], results: Results, role: Role,
             memo: dict[str, object] | None) -> list[int] | None:
    """The indices of the power components of ``role`` (kept in ``memo`` per component list); None without a memo."""
    if memo is None:
        return None
    # kept by the results' id array itself (analyses of one design share it), not a tuple of its strings
    key = results.component_ids
    kept = memo.get("autonomy_roles")
    if not (isinstance(kept, tuple) and (kept[0] is key or np.array_equal(kept[0], key))):
        by_role: dict[str, list[int]] = {}
        for i in np.flatnonzero(results.component_kinds == "power").tolist():
            item = project.items.get(str(results.component_ids[i]))
            entry = catalog.get(item.catalog_id) if item is not None else None
            if entry is not None:
                by_role.setdefault(entry.role, []).append(i)
        kept = memo["autonomy_roles"] = (key, by_role)
    return list(kept[1].get(role, []))


def ups_autonomy(project: Project, catalog: Mapping[str, CatalogEntry], results: Results,
                 memo: dict[str, object] | None = None) -> list[UpsAutonomy]:
    """Battery minutes of every UPS at the analysed hour and at its worst single failure. ``memo``: where the
    UPSs are among the results' components is kept (``electrical_plan``)."""
    loads = _component_loads(results, _of_role(project, catalog, results, Role.UPS, memo))
    out: list[UpsAutonomy] = []
    for item_id, (load, worst, loss, capacity) in loads.items():
        item = project.items.get(item_id)
        entry = catalog.get(item.catalog_id) if item is not None else None
        if item is None or entry is None or entry.role is not Role.UPS:
            continue
        battery = entry.number("battery_kwh", 0.0) or None
        draw = load + loss
        worst_load = worst if math.isfinite(worst) else load
        worst_draw = worst_load + (entry.loss.loss_kw(worst_load, capacity) if entry.loss is not None else 0.0)
        out.append(UpsAutonomy(item_id, battery, draw, max(worst_draw, draw),
                               _minutes(battery, draw), _minutes(battery, max(worst_draw, draw))))
    return out


def _minutes(battery_kwh: float | None, draw_kw: float) -> float | None:
    if battery_kwh is None:
        return None
    return math.inf if draw_kw <= 0 else battery_kwh / draw_kw * 60.0


def generator_autonomy(project: Project, catalog: Mapping[str, CatalogEntry],
                       results: Results, memo: dict[str, object] | None = None) -> list[GeneratorAutonomy]:
    """Fuel hours of every generator at the load it takes over when the utility is lost."""
    out: list[GeneratorAutonomy] = []
    only = _of_role(project, catalog, results, Role.GENERATOR, memo)
    for item_id, (_load, worst, _loss, capacity) in _component_loads(results, only).items():
        item = project.items.get(item_id)
        entry = catalog.get(item.catalog_id) if item is not None else None
        if item is None or entry is None or entry.role is not Role.GENERATOR:
            continue
        at_rating = not (results.failures_analysed and math.isfinite(worst))
        load = capacity if at_rating else worst
        tank = entry.number("fuel_tank_l", 0.0) or None
        rate = fuel_l_per_h(entry, load / capacity if capacity > 0 else 0.0)
        hours = None if tank is None or rate is None else (math.inf if rate <= 0 else tank / rate)
        out.append(GeneratorAutonomy(item_id, tank, load, at_rating, rate, hours))
    return out


def swing_estimates(project: Project, catalog: Mapping[str, CatalogEntry], results: Results,
                    ups: list[UpsAutonomy], memo: dict[str, object] | None = None) -> list[SwingEstimate]:
    """The training swing at the analysed point, then at each year of the active scenario. ``memo``: each rack's
    workload and design kW are kept by id (``electrical_plan``; an edit of either drops that rack's)."""
    training_kw = 0.0
    ai_kw = 0.0
    racks_training = 0
    racks_ai = 0
    kept = memo.get("swing_racks") if memo is not None else None
    if not (isinstance(kept, SwingRacks) and (kept.rack_ids is results.rack_ids
                                              or np.array_equal(kept.rack_ids, results.rack_ids))):
        kept = SwingRacks(results.rack_ids)
        if memo is not None:
            memo["swing_racks"] = kept
    kept.fresh(project, catalog)
    workloads = kept.workloads
    for code, design_kw, served in zip(kept.workload.tolist(), kept.design_kw.tolist(), results.rack_served.tolist(),
                                       strict=True):
        if not served:
            continue
        workload = workloads[code]
        if workload is WorkloadClass.TRAINING:
            training_kw += design_kw
            racks_training += 1
        elif workload is WorkloadClass.AI:
            ai_kw += design_kw
            racks_ai += 1
    peak = int(np.argmax(results.it_kw)) if results.it_kw.size else 0
    it = float(results.it_kw[peak]) if results.it_kw.size else 0.0
    loss_factor = 1.0 + (float(results.electrical_loss_kw[peak]) / it if it > 0 else 0.0)
    battery = sum(u.battery_kwh or 0.0 for u in ups)
    limit = project.settings.utility_ramp_kw_per_s
    points: list[tuple[int | None, float, float]] = [
        (results.year, results.inference_share, results.ai_density_factor)]
    scenario = project.active_scenario
    if scenario is not None:
        points += [(y.year, y.inference_share, y.ai_density_factor) for y in scenario.years]
    out: list[SwingEstimate] = []
    for year, share, density in points:
        nameplate = training_kw + ai_kw * density * (1.0 - share)
        racks = racks_training + (racks_ai if share < 1.0 else 0)
        out.append(swing(year, share, racks, nameplate, loss_factor, limit, battery))
    return out


class SwingRacks(ItemColumns):
    """Each rack of the results (in their order): its workload and, for training and AI racks, its design kW, in
    columns (kept in the electrical plan's memo; ``forget`` redoes a rack whose workload or design kW changed)."""

    __slots__ = ("design_kw", "rack_ids", "workload", "workloads")

    def __init__(self, rack_ids: StrArray) -> None:
        super().__init__()
        self.rack_ids = rack_ids
        self.workloads: list[WorkloadClass | None] = [None]
        """The workloads met; ``workload`` indexes it (0: no such item or entry)."""
        self.workload: NDArray[np.int8] = np.zeros(len(rack_ids), dtype=np.int8)
        self.design_kw: FloatArray = np.zeros(len(rack_ids))
        self.stale = set(rack_ids.tolist())  # every row to be worked out on first use

    def fresh(self, project: Project, catalog: Mapping[str, CatalogEntry]) -> None:
        """Work out the rows of the racks not known yet or forgotten since."""
        if not self.stale:
            return
        stale, self.stale = self.stale, set()
        for row, rack_id in enumerate(self.rack_ids.tolist()):
            if rack_id not in stale:
                continue
            item = project.items.get(rack_id)
            entry = catalog.get(item.catalog_id) if item is not None else None
            code, design_kw = 0, 0.0
            if item is not None and entry is not None:
                rack_workload = effective.workload(item, entry)
                if rack_workload not in self.workloads:
                    self.workloads.append(rack_workload)
                code = self.workloads.index(rack_workload)
                if rack_workload in (WorkloadClass.TRAINING, WorkloadClass.AI):
                    design_kw = effective.design_kw(item, entry)
            self.workload[row] = code
            self.design_kw[row] = design_kw


def swing(year: int | None, share: float, racks: int, nameplate_kw: float, loss_factor: float,
          limit_kw_per_s: float, battery_kwh: float) -> SwingEstimate:
    """One swing estimate (see the module notes for the arithmetic)."""
    step = (TRAINING_RUNNING_FRACTION - TRAINING_IDLE_FRACTION) * nameplate_kw * loss_factor
    ramp = step / STEP_RISE_S
    smoothing = max(0.0, step - limit_kw_per_s * STEP_RISE_S)
    seconds = smoothing / limit_kw_per_s if limit_kw_per_s > 0 else math.inf
    energy_kwh = smoothing * smoothing / (2.0 * limit_kw_per_s) / 3600.0 if limit_kw_per_s > 0 else math.inf
    return SwingEstimate(year, share, racks, nameplate_kw, step, ramp, limit_kw_per_s, smoothing, seconds,
                         energy_kwh, battery_kwh)


def autonomy_findings(ups: list[UpsAutonomy], generators: list[GeneratorAutonomy],
                      swings: list[SwingEstimate]) -> list[Finding]:
    findings: list[Finding] = []
    unknown = [u.item_id for u in ups if u.battery_kwh is None]
    unknown += [g.item_id for g in generators if g.hours is None]
    if unknown:
        findings.append(Finding(
            "info", "autonomy_unknown",
            f"{len(unknown)} UPS(s) or generator(s) have no battery energy or fuel figures in their catalog entry: "
            f"their autonomy is unknown: {id_list(unknown)}", tuple(unknown)))
    if swings and not swings[0].within_limit:
        now = swings[0]
        findings.append(Finding(
            "info" if now.covered else "warning", "training_swing",
            f"a checkpoint or restart of the training racks swings the utility feed by {now.step_kw:,.0f} kW in "
            f"about {STEP_RISE_S:g} s ({now.ramp_kw_per_s:,.0f} kW/s, limit {now.limit_kw_per_s:,.0f} kW/s): "
            f"smoothing needs {now.smoothing_kw:,.0f} kW for {now.smoothing_s:,.1f} s ({now.smoothing_kwh:,.1f} kWh); "
            f"the UPS batteries hold {now.battery_kwh:,.0f} kWh"))
    return findings
