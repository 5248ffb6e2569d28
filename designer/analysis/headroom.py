"""Nameplate oversubscription and diurnal headroom.

*Oversubscription* (information): the nameplate a component feeds, against its own rating. The
nameplate fed is the sum over its direct consumers of their rating (a component's capacity, a
rack class's design kW, or design heat on the medium for cooling) times the share of that consumer
the component carries in normal running (``flow.sharing``; a standby generator counts with the
share it takes when it carries). Four 450 kW floor PDUs under a 1.6 MW board: 1.8 MW fed, 1.13x.
Cooling units fed by the chain count with no electrical rating (the catalog gives heat ratings).

*Headroom* at the coincident peak (the hour of the design's highest IT): how many more racks of one
type the utility feed, and each hall's chain, could take with every single failure still survived.
New racks join the scope's existing rack classes in proportion to their design kW (so they take
the supply and redundancy of the racks already there); their heat splits by the type's liquid
fraction; the cooling plant's electrical load on the chain grows in proportion to IT (its share
of IT at that hour). The utility feed's figure checks the source components (utility, generators)
with the new racks spread over the whole design; a hall's figure checks every other component
upstream of the hall's racks, power and cooling. Every single failure, and normal running, must
leave every component at or under 100 % of rating.

Utilisation rises with the racks added, a little faster than linearly (losses grow with the
square of the load), so: a first estimate from the slope between 0 and 1 added rack, then the
chord between 1 rack and that estimate, whose crossing of 100 % never overshoots a convex curve.
The figure is therefore a safe (possibly slightly low) whole number of racks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from designer.analysis.cancel import checkpoint
from designer.analysis.failures import BLOCK, FailureStructure, evaluate_failures
from designer.analysis.findings import Finding
from designer.analysis.flow import FlowNetwork, LevelWeights, base_shares, roll_up, sharing
from designer.analysis.loads import CLASS_INDEX, BoolArray, FloatArray, IntArray, RackTable
from designer.analysis.topology import MEDIA
from designer.model.catalog import CatalogEntry
from designer.model.types import CoolingMedium, WorkloadClass

if TYPE_CHECKING:
    from designer.analysis.evaluation import Loads

MAX_OVERSUBSCRIPTION_FINDINGS = 20
LIMIT = 1.0 + 1e-6
_LIQUID = MEDIA.index(CoolingMedium.LIQUID)


def nameplate_shares(network: FlowNetwork) -> FloatArray:
    """(edges,) share of its consumer's nameplate each edge's supplier counts (topology only)."""
    live = network.live[network.edge_source]
    standby, _ = sharing(live & network.edge_standby, np.zeros(network.n_edges, dtype=bool), network.edge_group,
                         network.edge_target, network.group_consumer.size, network.n_nodes)
    return np.asarray(np.where(network.edge_standby, standby, base_shares(network)), dtype=np.float64)


def nameplate_fed_kw(network: FlowNetwork, class_rating_kw: FloatArray, shares: FloatArray | None = None) -> FloatArray:
    """(components,) nameplate each component feeds directly (see the module docstring).

    ``class_rating_kw`` is (n_nodes,) the rating of each consumer node that is not a component;
    ``shares`` from ``nameplate_shares`` (computed when not given).
    """
    n_comp = network.n_components
    rating = np.where(np.arange(network.n_nodes) < n_comp, network.capacity_kw, class_rating_kw)
    shares = nameplate_shares(network) if shares is None else shares
    fed = np.bincount(network.edge_source, weights=shares * rating[network.edge_target], minlength=network.n_nodes)
    return np.asarray(fed[:n_comp], dtype=np.float64)


def class_ratings(network: FlowNetwork, table: RackTable, density: float, medium_fraction: bool) -> FloatArray:
    """(n_nodes,) design kW of each rack-class node (by medium for cooling), 0 elsewhere."""
    design = table.coefficient_kw(density)
    out = np.zeros(network.n_nodes)
    for m, aggregator in enumerate(network.rack_aggregators):
        if aggregator.nnz:
            weight = design
            if medium_fraction:
                weight = design * (table.liquid_fraction if m == _LIQUID else 1.0 - table.liquid_fraction)
            out += aggregator @ weight
    return out


def oversubscription_findings(ids: tuple[str, ...], fed_kw: FloatArray, capacity_kw: FloatArray) -> list[Finding]:
    """Information: components fed more nameplate than their own rating, with the ratio."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(capacity_kw > 0, fed_kw / np.where(capacity_kw > 0, capacity_kw, 1.0), 0.0)
    over = np.flatnonzero(ratio > 1.0 + 1e-9)
    over = over[np.argsort(-ratio[over], kind="stable")]
    findings = [Finding("info", "nameplate_oversubscription",
                        f"{ids[i]} feeds {fed_kw[i]:,.0f} kW of nameplate on its {capacity_kw[i]:,.0f} kW rating "
                        f"({ratio[i]:.2f}x)", (ids[i],)) for i in over[:MAX_OVERSUBSCRIPTION_FINDINGS].tolist()]
    if over.size > MAX_OVERSUBSCRIPTION_FINDINGS:
        rest = _rest_ids(ids, over[MAX_OVERSUBSCRIPTION_FINDINGS:])
        findings.append(Finding("info", "nameplate_oversubscription",
                                f"{len(rest)} more components feed more nameplate than their rating", rest))
    return findings


_last_rest: tuple[tuple[str, ...], bytes, tuple[str, ...]] | None = None
"""(ids, indices, their ids) of the last call: an edit seldom changes which components are over."""


def forget_last_rest() -> None:
    """Let go of the last design's ``_rest_ids`` answer (its component ids stay alive in it until another
    design's replaces it)."""
    global _last_rest
    _last_rest = None


def _rest_ids(ids: tuple[str, ...], indices: IntArray) -> tuple[str, ...]:
    """``ids`` at ``indices``, the last answer again when both are the same (one tuple, read and
    written whole, so threads analysing twins at once see one answer or the other)."""
    global _last_rest
    key = indices.tobytes()
    last = _last_rest
    if last is not None and last[0] is ids and last[1] == key:
        return last[2]
    rest = tuple(map(ids.__getitem__, indices.tolist()))
    _last_rest = (ids, key, rest)
    return rest


def rack_type_load(entries: Mapping[str, CatalogEntry], rack_catalog_ids: list[str], rack_type: str | None,
                   utilisation: FloatArray, density: float) -> tuple[CatalogEntry | None, FloatArray]:
    """The rack type's entry (default: the most common of ``rack_catalog_ids``, ties by id) and one
    rack's IT over the day. An unknown ``rack_type`` raises KeyError (the CLI checks it first)."""
    if rack_type is None:
        counts = Counter(rack_catalog_ids)
        rack_type = min(counts, key=lambda c: (-counts[c], c)) if counts else None
    if rack_type is None:
        return None, np.zeros(utilisation.shape[1])
    entry = entries[rack_type]
    workload = entry.workload or WorkloadClass.GENERAL
    factor = density if workload is WorkloadClass.AI else 1.0
    return entry, np.asarray(max(entry.capacity_kw, 0.0) * factor * utilisation[CLASS_INDEX[workload]],
                             dtype=np.float64)


@dataclass(frozen=True, slots=True)
class Headroom:
    """Diurnal headroom of a design at its coincident peak (``analyze`` with failures)."""

    rack_type: str
    """Catalog id of the rack type counted ("" when the design has no rack to take it from)."""
    rack_kw_at_peak: float
    """One rack of that type's IT at the coincident peak hour."""
    hour: int
    coincident_peak_it_kw: float
    """Highest total IT over the design day (all racks together)."""
    sum_design_kw: float
    """Sum of the served racks' design kW (AI density applied)."""
    scope_ids: tuple[str, ...]
    """"utility" then each hall id."""
    racks_addable: tuple[int, ...]
    """More racks of the type each scope takes with every single failure survived (0: none, or not now)."""
    binding: tuple[str, ...]
    """The component that binds each scope ("" when none does, or why not: see ``reason``)."""
    reason: tuple[str, ...]
    """Why a scope's figure is 0 without a binding component ("" otherwise)."""

    @property
    def diversity(self) -> float:
        """Coincident peak over the sum of design kW (1: every rack at design at the same hour)."""
        return self.coincident_peak_it_kw / self.sum_design_kw if self.sum_design_kw > 0 else float("nan")


def _scope_increments(network: FlowNetwork, table: RackTable, members: BoolArray, per_rack: FloatArray) -> FloatArray:
    """(n_nodes,) demand of one added rack spread over the scope's rack classes by their design kW.

    ``per_rack`` is (media columns,) the added rack's kW on each column (power: one column).
    """
    out = np.zeros(network.n_nodes)
    design = table.design_kw * members
    for m, aggregator in enumerate(network.rack_aggregators):
        if aggregator.nnz and per_rack[m] > 0:
            classes = aggregator @ design
            in_column = float(classes.sum())
            if in_column > 0:
                out += classes / in_column * per_rack[m]
    return out


def _worst(network: FlowNetwork, structure: FailureStructure, shares: FloatArray, weights: LevelWeights,
           demand: FloatArray, needs: BoolArray) -> FloatArray:
    """Per column: (components, S) worst utilisation over normal running and every failure case. The
    cases' (pairs, S) figures are folded in here, so they go before the other network's are made."""
    checkpoint()
    flow = roll_up(network, demand, weights)
    found = evaluate_failures(network, structure, demand, flow.through_kw, flow.through_kw + flow.loss_kw, shares,
                              needs)
    n_comp = network.n_components
    capacity = network.capacity_kw[:n_comp, None]
    rated = capacity > 0
    worst = np.where(rated, flow.through_kw[:n_comp] / np.where(rated, capacity, 1.0), 0.0)
    del flow
    # a block of pairs at a time, in pair order (the same maxima in the same order): the other cases' rows of
    # ``region_columns`` taken whole were a (pairs, S) copy, 4.8 MB for the power network at 50k racks
    case, node = found.region_case, found.region_node
    for start in range(0, case.size, BLOCK):
        others = start + np.flatnonzero(case[start:start + BLOCK] != node[start:start + BLOCK])
        if others.size:
            np.maximum.at(worst, node[others], found.region_columns[others])
    return worst[:n_comp]


def diurnal_headroom(
    power: FlowNetwork,
    cooling: FlowNetwork,
    structures: tuple[FailureStructure, FailureStructure],
    shares: tuple[FloatArray, FloatArray],
    weights: tuple[LevelWeights, LevelWeights],
    needs: tuple[BoolArray, BoolArray],
    table: RackTable,
    loads: Loads,
    unit_index: IntArray | None,
    rack_type: CatalogEntry | None,
    rack_kw_per_hour: FloatArray,
    density: float,
    hall_ids: tuple[str, ...],
    at_risk: BoolArray,
) -> Headroom:
    """See the module docstring. ``rack_kw_per_hour`` is (24,) one rack of ``rack_type``'s IT."""
    served = loads.service.served
    hour = int(np.argmax(loads.it_kw)) if loads.it_kw.size else 0
    peak = float(loads.it_kw[hour]) if loads.it_kw.size else 0.0
    sum_design = float((table.coefficient_kw(density) * served).sum())
    scope_ids = ("utility", *hall_ids)
    if rack_type is None or not table.ids:
        return Headroom("", 0.0, hour, peak, sum_design, scope_ids, (0,) * len(scope_ids), ("",) * len(scope_ids),
                        ("no rack type",) * len(scope_ids))
    kw = float(rack_kw_per_hour[hour])
    fraction = float(np.clip(rack_type.liquid_fraction, 0.0, 1.0))
    # each scope's served racks are made when needed, not kept: 250 halls' masks were 12.5 MB at 50k racks,
    # held through every evaluation below
    code = {h: i for i, h in enumerate(hall_ids, start=1)}
    scope_of = np.array([code.get(h, -1) for h in table.hall_ids], dtype=np.int64)  # 0: the utility

    def members_of(s: int) -> BoolArray:
        return served.copy() if s == 0 else (scope_of == s) & served

    pc, cc = power.n_components, cooling.n_components
    n_scopes = len(scope_ids)
    # each scope's added demand is kept as its nonzero nodes only: a hall's reaches its own part of the
    # network (dense, these were nodes x scopes floats: ~80 MB for a 250-hall campus)
    inc_power: list[_Increment] = []
    inc_cooling: list[_Increment] = []
    for s in range(len(scope_ids)):
        checkpoint()  # a stale idle pass stops here (``cancel``): ~50 ms for 250 halls at 50k racks
        members = members_of(s)
        inc_power.append(_sparse(_scope_increments(power, table, members, np.array([kw]))))
        inc_cooling.append(_sparse(_scope_increments(cooling, table, members,
                                                     np.array([kw * fraction, kw * (1 - fraction)]))))
    checkpoint()
    cooling_up = _upstream(cooling, inc_cooling)
    checkpoint()
    # the fed cooling units' electrical load grows with IT at the design's ratio at that hour, on the
    # units that remove the scope's heat, in proportion to what they draw now
    unit_nodes = np.arange(pc + power.n_classes, power.n_nodes)
    draw = loads.power_demand[:, hour]
    per_it = float(draw[unit_nodes].sum()) / peak if peak > 0 else 0.0
    if unit_index is not None and per_it > 0:
        for s in range(n_scopes):
            nodes = np.unique(power.unit_node[cooling_up[unit_index, s]])
            weight = draw[nodes]
            if weight.sum() > 0:
                column = _dense(inc_power[s], power.n_nodes)
                column[nodes] += kw * per_it * weight / weight.sum()
                inc_power[s] = _sparse(column)
    checkpoint()
    power_up = _upstream(power, inc_power)
    checkpoint()
    # which components each scope checks: sources for the utility, upstream of the hall's racks for a hall
    is_source = power.is_source[:pc]
    checked = np.zeros((pc + cc, n_scopes), dtype=bool)
    checked[:pc, 0] = is_source & power.live[:pc]
    checked[:pc, 1:] = power_up[:, 1:] & ~is_source[:, None]
    checked[pc:, 1:] = cooling_up[:, 1:]
    # halls that reach no common component share one column (their loads cannot meet): fewer columns
    group = _columns(checked)
    n_groups = int(group.max(initial=-1)) + 1
    checked_of = [np.flatnonzero(checked[:, s]) for s in range(n_scopes)]
    # the (components, scopes) masks go before the evaluations make their own arrays (~8 MB each at 50k racks)
    del checked, power_up, cooling_up

    def evaluate(k: FloatArray) -> FloatArray:
        """(power + cooling components, groups) worst utilisation with ``k`` racks added per scope."""
        results = []
        for network, structure, share, weight, need, base, inc in (
                (power, structures[0], shares[0], weights[0], needs[0], loads.power_demand[:, hour], inc_power),
                (cooling, structures[1], shares[1], weights[1], needs[1], loads.cooling_demand[:, hour], inc_cooling)):
            # scope by scope into its group's column, in scope order (as one ``np.add.at`` over the scopes added
            # them; a node outside a scope's increments gained an exact 0 there)
            columns = np.zeros((network.n_nodes, n_groups))
            for s, (nodes, values) in enumerate(inc):
                columns[nodes, group[s]] += values * k[s]
            columns += base[:, None]  # the sums of base[:, None] + columns (addition commutes), in place
            results.append(_worst(network, structure, share, weight, columns, need))
            del columns  # before the next network's are made
        return np.concatenate(results, axis=0)

    # (components, groups): a scope reads its group's column, on the components it checks only (the
    # scopes of a group check disjoint sets), so no (components, scopes) array is ever made
    at0 = evaluate(np.zeros(n_scopes))
    at1 = evaluate(np.ones(n_scopes))

    def first_crossing(s: int) -> float:
        rows, g = checked_of[s], group[s]
        slope = at1[rows, g] - at0[rows, g]
        with np.errstate(divide="ignore", invalid="ignore"):
            first = np.where(slope > 1e-12, (1.0 - at0[rows, g]) / slope, np.inf)
        return float(np.floor(np.min(first, initial=np.inf)))

    k1 = np.array([first_crossing(s) for s in range(n_scopes)])
    k1 = np.where(np.isfinite(k1), np.maximum(k1, 1.0), 1.0)
    atk = evaluate(k1)
    addable: list[int] = []
    binding: list[str] = []
    reasons: list[str] = []
    ids = (*power.component_ids, *cooling.component_ids)
    for s in range(len(scope_ids)):
        rows, g = checked_of[s], group[s]
        members = members_of(s)
        reason = ("no served racks" if not members.any() else
                  "not every single failure is survived now" if bool((at_risk & members).any()) else
                  "no rated component to check" if not rows.size else "")
        if reason:
            addable.append(0)
            binding.append("")
            reasons.append(reason)
            continue
        a0, a1, ak = at0[rows, g], at1[rows, g], atk[rows, g]
        slope = a1 - a0
        # per component: k1 when it is still within its rating there, else where the chord from 1 rack
        # to k1 crosses 100 % (below the convex curve's own crossing: a safe figure)
        with np.errstate(divide="ignore", invalid="ignore"):
            chord = (ak - a1) / max(k1[s] - 1.0, 1e-12)
            crossing = 1.0 + (LIMIT - a1) / chord
        roots = np.where(ak <= LIMIT, np.where(slope > 1e-12, k1[s], np.inf), np.where(chord > 1e-12, crossing, 1.0))
        roots = np.where((a0 > LIMIT) | (a1 > LIMIT), 0.0, roots)
        j = int(np.lexsort((-ak, roots))[0])  # among equal figures, the part nearest its rating binds
        if not np.isfinite(roots[j]):
            addable.append(0)
            binding.append("")
            reasons.append("the racks add no load on a rated component")
            continue
        addable.append(int(max(np.floor(roots[j] + 1e-9), 0.0)))
        binding.append(ids[rows[j]])
        reasons.append("")
    return Headroom(rack_type.id, kw, hour, peak, sum_design, scope_ids, tuple(addable), tuple(binding),
                    tuple(reasons))


def _columns(checked: BoolArray) -> IntArray:
    """Column of each scope: the utility alone, halls greedily together while their checked sets stay apart."""
    n_scopes = checked.shape[1]
    group = np.zeros(n_scopes, dtype=np.int64)
    taken: list[BoolArray] = [checked[:, 0].copy()]
    for s in range(1, n_scopes):
        for g in range(1, len(taken)):
            if not np.any(taken[g] & checked[:, s]):
                group[s] = g
                taken[g] |= checked[:, s]
                break
        else:
            group[s] = len(taken)
            taken.append(checked[:, s].copy())
    return group


_Increment = tuple[IntArray, FloatArray]
"""One scope's added demand: the nodes it is nonzero on (ascending) and its values there."""


def _sparse(column: FloatArray) -> _Increment:
    nodes = np.flatnonzero(column)
    return nodes, column[nodes]


def _dense(increment: _Increment, n: int) -> FloatArray:
    column = np.zeros(n)
    column[increment[0]] = increment[1]
    return column


def _upstream(network: FlowNetwork, increments: list[_Increment]) -> BoolArray:
    """(components, S) components that carry some of each column's added demand (by reachability)."""
    n = network.n_nodes
    # supplier x consumer: one product moves the reach one level up
    adjacency = sp.csr_matrix((np.ones(network.n_edges), (network.edge_source, network.edge_target)), shape=(n, n))
    # sparse: a hall's column reaches its own part of the network (dense, this was nodes x scopes floats)
    positive = [nodes[values > 0] for nodes, values in increments]
    rows = np.concatenate(positive) if positive else np.zeros(0, dtype=np.int64)
    cols = np.repeat(np.arange(len(increments)), [p.size for p in positive])
    reach = sp.csc_matrix((np.ones(rows.size), (rows, cols)), shape=(n, len(increments)))
    for _ in range(len(network.up_levels) + 1):
        grown = sp.csc_matrix(reach + adjacency @ reach)
        grown.data[:] = 1.0
        if grown.nnz == reach.nnz:  # reach only grows: the same count is the same set
            break
        reach = grown
    # set from the sparse entries: no (components, S) float array on the way
    found = reach[:network.n_components].tocoo()
    out = np.zeros((network.n_components, len(increments)), dtype=np.bool_)
    out[found.row, found.col] = found.data > 0
    return out

