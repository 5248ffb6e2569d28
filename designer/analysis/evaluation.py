"""What one evaluation of a design runs at and makes: the point of the transition (``ScenarioPoint``,
``scenario_point``), the loads of its 24 hours (``Loads``) and the power chain's loss totals, summed
by blocks (``LossSums``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from designer.analysis import day_state
from designer.analysis import facility as facility_mod
from designer.analysis.flow import Flow, FlowNetwork
from designer.analysis.loads import FloatArray, IntArray
from designer.analysis.service import RackService
from designer.model.project import Project


@dataclass(frozen=True, slots=True)
class ScenarioPoint:
    """The point of the transition an analysis runs at."""

    inference_share: float
    year: int | None
    ai_density_factor: float


@dataclass(frozen=True, slots=True)
class Loads:
    """Loads of one evaluation (24 hours).

    The (racks, 24) and (nodes, 24) arrays are the analyzer's working arrays (``day_state``): its
    next evaluation rewrites them in place, so read them before analysing again.
    """

    rack_it_kw: FloatArray
    """(racks, 24) IT drawn: 0 for an unserved rack."""
    rack_demand_kw: FloatArray
    """(racks, 24) IT each rack would draw if served."""
    service: RackService
    unserved_it_kw: FloatArray
    """(24,) IT of the unserved racks (not drawn, not facility load)."""
    it_kw: FloatArray
    """(24,) total IT drawn (served racks)."""
    power: Flow
    cooling: Flow
    power_demand: FloatArray
    """Own demand of every power node: racks' IT and the fed cooling units' electrical load."""
    cooling_demand: FloatArray
    liquid_heat_kw: FloatArray
    """(24,) heat of the racks into liquid."""
    air_heat_kw: FloatArray
    """(24,) air heat the cooling plant removes: the racks' air heat plus the indoor losses of the
    power chain carrying the racks' load (see ``coupling`` for why not the cooling load's too)."""
    rack_loss_heat_kw: FloatArray | None = None
    """(racks, 24) the halls' indoor losses riding on each air-cooled rack's air heat (``hall_loss_heat``);
    None from ``Analyzer.loads`` (a share move sums them by hall only: ``loss_pairs``), made by
    ``Analyzer._failures`` for the single failures."""
    unassigned_loss_kw: Mapping[str, float] = field(default_factory=dict)
    """Peak indoor losses per hall with no air-cooled rack's units to carry them (a finding)."""
    cooling_day: facility_mod.FacilityPower | None = None
    """The design day's facility power before the fed cooling units' load went on the chain (its
    cooling power is what they draw); None when no unit is fed."""
    loss_kw: FloatArray | None = None
    """(24,) the power chain's losses, the fed cooling units' load included (``LossSums``)."""


LOSS_BLOCK = 512
"""Power components per block of the chain's loss totals (``LossSums``)."""


@dataclass(slots=True)
class LossSums:
    """The power chain's losses over the day, all components and the indoor ones, summed so that an
    edit redoes only the blocks of the components it reached.

    The components the fed cooling units' load reaches (the feed plan's, rewritten by every
    ``day_state.refresh_fed``) are summed apart; the others by blocks of ``LOSS_BLOCK``, then the
    blocks added in order. A cold evaluation sums them the same way, so the totals carry the same
    bits whichever blocks an edit redid."""

    state: object
    """The kept day (``day_state.DayState``) the blocks were summed from."""
    weights: tuple[FloatArray, ...]
    """Per block, (2, its components) 1 for a component off the plan; its indoor ones on the second row."""
    plan: IntArray
    """The plan's components (rows of the power chain)."""
    plan_weights: Any
    """(2, power nodes) sparse: 1 at the plan's components, and at its indoor ones on the second row."""
    blocks: FloatArray
    """(blocks, 2, hours) each block's sums."""
    total: FloatArray
    """(2, hours) the blocks' sums added: losses of the components off the plan, the indoor ones."""

    @classmethod
    def of(cls, state: day_state.DayState, power: FlowNetwork, hours: int) -> LossSums:
        pc = power.n_components
        off_plan = np.ones(pc, dtype=bool)
        plan = state.plan_rows[state.plan_rows < pc]
        off_plan[plan] = False
        indoor = power.indoor[:pc]
        rows = np.vstack([off_plan, off_plan & indoor]).astype(np.float64)
        weights = tuple(np.ascontiguousarray(rows[:, a:a + LOSS_BLOCK]) for a in range(0, pc, LOSS_BLOCK))
        inside = plan[indoor[plan]]
        plan_weights = sp.csr_matrix((np.ones(plan.size + inside.size),
                                      (np.repeat([0, 1], [plan.size, inside.size]), np.concatenate([plan, inside]))),
                                     shape=(2, power.n_nodes))
        return cls(state, weights, plan, plan_weights, np.zeros((len(weights), 2, hours)), np.zeros((2, hours)))

    def update(self, loss_kw: FloatArray, rows: IntArray | None) -> None:
        """Sum again the blocks of ``rows`` (components whose loss moved; None: all) from ``loss_kw``
        (the racks-only losses: the plan's rows are not read)."""
        n = len(self.weights)
        blocks = range(n) if rows is None else np.unique(rows[rows < n * LOSS_BLOCK] // LOSS_BLOCK).tolist()
        for b in blocks:
            start = b * LOSS_BLOCK
            self.blocks[b] = self.weights[b] @ loss_kw[start:start + self.weights[b].shape[1]]
        np.sum(self.blocks, axis=0, out=self.total)

    def with_plan(self, loss_kw: FloatArray, indoor: bool) -> FloatArray:
        """(2, hours), or (hours,) of all components when not ``indoor``: the totals with the plan's
        components as ``loss_kw`` holds them now."""
        plan = self.plan_weights @ loss_kw  # reads the plan's rows only
        return np.asarray(self.total + plan if indoor else self.total[0] + plan[0], dtype=np.float64)


def scenario_point(project: Project, inference_share: float | None, year: int | None) -> ScenarioPoint:
    """Share and AI density of the chosen year of the active scenario (its first year by default)."""
    scenario = project.active_scenario
    entry = None
    if scenario is not None and scenario.years:
        entry = scenario.year(year) if year is not None else scenario.years[0]
    share = inference_share if inference_share is not None else (entry.inference_share if entry else 0.5)
    return ScenarioPoint(
        inference_share=float(min(max(share, 0.0), 1.0)),
        year=entry.year if entry else year,
        ai_density_factor=entry.ai_density_factor if entry else 1.0,
    )
