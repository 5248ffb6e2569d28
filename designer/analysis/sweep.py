"""The training-to-inference transition swept in one vectorised pass: many shares x 24 hours.

Rack loads are linear in the per-class utilisation curves, so each network's demand is kept as a
(nodes x classes) basis times a (classes x columns) utilisation matrix; only the roll-up (with its
non-linear losses) runs per column, in chunks of shares to bound memory.

The column-independent preparation is kept with the compiled networks (``_Kept``) and, after a
design kW or workload edit, brought up to date row by row as ``day_state`` does (``row_sums``) for the design day:
the same sums in the same order, so a kept sweep equals a cold one to the last bit
(``tests/analysis/test_sweep_kept.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from designer.analysis import coupling, row_sums
from designer.analysis import facility as facility_mod
from designer.analysis.air_side import HallIndex
from designer.analysis.capacity import Scopes, scope_sums, stranded_capacity, utilization
from designer.analysis.engine import HOURS, Analyzer, Compiled
from designer.analysis.flow import Flow, FlowNetwork, consumer_demand_with, roll_up, roll_up_linear_sparse
from designer.analysis.held_bytes import held_nbytes
from designer.analysis.loads import (
    AI_INDEX,
    WORKLOAD_CLASSES,
    BoolArray,
    FloatArray,
    IntArray,
    RackTable,
    utilisation_matrix,
)
from designer.analysis.results import frozen
from designer.analysis.service import rack_service
from designer.analysis.topology import row_keys
from designer.model.catalog import CatalogEntry
from designer.model.project import Project

CELLS_PER_PASS = 2_000_000
"""Bound on (merged power nodes x columns) per roll-up pass, to bound memory."""
WIDE_CELLS_PER_PASS = 250_000
"""Bound on (rows of the widest figure x columns) per pass: passes whose arrays stay a few MB were
measured ~1.5x faster at 50,000 racks than one pass of the 101 shares (arrays of ~10 MB each)."""


@dataclass(frozen=True, slots=True)
class SweepResult:
    """Design-day figures per inference share, and per year of the active scenario."""

    shares: FloatArray
    ai_density_factor: float
    """Density factor applied to ``ai`` racks in the share sweep (the scenario's first year)."""
    peak_it_kw: FloatArray
    mean_it_kw: FloatArray
    peak_facility_kw: FloatArray
    pue: FloatArray
    """Daily PUE: facility energy over IT energy of the design day."""
    worst_utilization: FloatArray
    """Highest component utilisation over all hours."""
    stranded_power_kw: FloatArray
    """Sum over halls (see ``capacity``), at each share's daily peak."""
    stranded_liquid_kw: FloatArray
    stranded_air_kw: FloatArray
    racks_addable: FloatArray
    """Sum over halls of the racks that still fit before the binding resource runs out."""
    years: FloatArray
    year_shares: FloatArray
    year_density: FloatArray
    year_peak_it_kw: FloatArray
    year_mean_it_kw: FloatArray
    year_peak_facility_kw: FloatArray
    year_pue: FloatArray
    year_worst_utilization: FloatArray
    year_stranded_power_kw: FloatArray
    year_stranded_liquid_kw: FloatArray
    year_stranded_air_kw: FloatArray
    year_racks_addable: FloatArray


@dataclass(frozen=True, slots=True)
class _Columns:
    peak_it: FloatArray
    mean_it: FloatArray
    peak_facility: FloatArray
    pue: FloatArray
    worst: FloatArray
    scope_peak_kw: FloatArray
    scope_liquid_kw: FloatArray
    scope_loss_kw: FloatArray
    """(scopes, columns) the halls' indoor losses riding on the scope's air-cooled racks at its peak hour."""


def _basis(table: RackTable) -> FloatArray:
    """(racks, classes) design kW in the column of each rack's class (AI density left to the columns)."""
    return _basis_of(table.design_kw, table.workload)


def _basis_of(design_kw: FloatArray, workload: IntArray) -> FloatArray:
    """``_basis`` of the racks' design kW and class columns."""
    basis = np.zeros((design_kw.size, len(WORKLOAD_CLASSES)))
    basis[np.arange(design_kw.size), workload] = design_kw
    return basis


@dataclass(frozen=True, slots=True)
class _Prepared:
    """Per-sweep (column-independent) parts: everything linear is reduced to a classes basis."""

    it: FloatArray
    """(classes,) total design kW per class: IT = it @ utilisation."""
    liquid: FloatArray
    power: _Quotient
    """The power network, merged, with its demand basis."""
    cooling_util: FloatArray
    """(cooling components, classes): the cooling network is linear, so utilisation = this @ utilisation."""
    scope: FloatArray
    """(scopes, classes)."""
    scope_liquid: FloatArray
    feed_heat: FloatArray | None
    """(pools, draw classes + 1, classes): the weighted heat that splits the cooling power over the
    fed cooling units (linear like the cooling network), one row per class of units that always draw
    the same (``_draw_classes``), then the pool total; None when the design feeds none."""
    feed_fallback: FloatArray
    """(pools, draw classes + 1): the same by rating (``CoolingFeeds.fallback``)."""
    hall_air: _HallAir | None
    """The halls' air bases for their indoor losses; None when no indoor loss can reach an air unit."""
    cooling_base: FloatArray
    """(distinct reached units, classes) utilisation basis of the racks' heat alone (through / rating)."""
    cooling_losses: _Blocks
    """(distinct reached units, H * K) utilisation per kW of each hall's class-k air heat basis carrying
    that hall's losses per kW of air heat (the losses' share, ``_Blocks.times``)."""


def by_class(rows: FloatArray, util: FloatArray) -> FloatArray:
    """``rows @ util`` for a (rows, classes) basis and (classes, columns) utilisation: a handful of
    terms a cell, summed by numpy's own loop (``np.einsum``). BLAS's matrix product was measured
    erratic at these shapes (a few classes deep, a few hundred rows by a few thousand columns:
    from 0.04 to 7 ms for the same work, by size), einsum steady at the cost of its memory traffic."""
    product: FloatArray = np.einsum("rk,kc->rc", rows, util)
    return product


@dataclass(frozen=True, slots=True)
class _Blocks:
    """A (rows, H * K) matrix whose non-zeros come in blocks of one hall's K classes, kept as one
    (row, hall, K values) triple per non-zero block (a scope or a unit sees its own hall's columns).

    Its product with :meth:`_HallAir.weights`-like columns ``per_air[h] * util[k]`` is taken as
    ``per_air[h] * (values @ util)`` per block, summed per row: no (H * K, columns) array is formed.
    """

    n_rows: int
    rows: IntArray
    halls: IntArray
    values: FloatArray
    """(blocks, K)."""
    gather: sp.csr_matrix | None
    """(rows, blocks) ones summing each row's blocks; None when block i is row i."""

    @classmethod
    def of(cls, matrix: sp.spmatrix, k: int) -> _Blocks:
        coo = sp.coo_matrix(matrix)
        n_rows, n_cols = coo.shape
        n_halls = max(1, n_cols // max(1, k))
        keys = coo.row.astype(np.int64) * n_halls + coo.col // k
        unique, inverse = np.unique(keys, return_inverse=True)
        values = np.zeros((unique.size, k))
        np.add.at(values, (inverse.reshape(-1), coo.col % k), coo.data)
        rows, halls = unique // n_halls, unique % n_halls
        gather = None if np.array_equal(rows, np.arange(n_rows)) else sp.csr_matrix(
            (np.ones(unique.size), (rows, np.arange(unique.size))), shape=(n_rows, unique.size))
        return cls(n_rows, rows, halls, values, gather)

    def at(self, util: FloatArray, per_air: FloatArray, columns: IntArray) -> FloatArray:
        """(rows, days) ``times`` taken at one column a row and day (``columns``, (rows, days)) only."""
        at = columns[self.rows]  # (blocks, days)
        blocks: FloatArray = per_air[self.halls[:, None], at] * np.einsum("bk,kbd->bd", self.values, util[:, at])
        if self.gather is None:
            return blocks
        return np.asarray(self.gather @ blocks)

    def times(self, util: FloatArray, per_air: FloatArray) -> FloatArray:
        """(rows, columns): ``sum over h, k of matrix[row, h * K + k] * per_air[h] * util[k]``."""
        blocks = per_air[self.halls] * by_class(self.values, util)
        if self.gather is None:
            return blocks
        return np.asarray(self.gather @ blocks)


@dataclass(frozen=True, slots=True)
class _HallAir:
    """How the halls' indoor losses ride on their air-cooled racks' air heat (as ``Analyzer.loads``).

    With ``H`` halls and ``K`` classes, column ``h * K + k`` of the stacks is hall ``h``'s class ``k``.
    """

    air: FloatArray
    """(H, K) air heat basis of each hall's air-cooled racks."""
    units: sp.csr_matrix
    """(cooling components, H * K) their air heat through each unit."""
    scopes: _Blocks
    """(scopes, H * K) their air heat in each scope."""
    reached: IntArray
    """Cooling components the losses reach (rows of ``units``); the others keep their linear utilisation."""

    def per_air(self, util: FloatArray, hall_loss: FloatArray) -> FloatArray:
        """(H, columns) each hall's indoor losses per kW of its air-cooled racks' air heat, by column."""
        air = by_class(self.air, util)
        return np.divide(hall_loss, air, out=np.zeros_like(air), where=air > 0)


@dataclass(frozen=True, slots=True)
class _AirStack:
    """The air-cooled racks' air heat basis laid out by hall, and its roll-up through the cooling units.

    ``stacked`` is (racks, H * K) with K entries for each air-cooled rack of a hall with an indoor
    stage (explicit zeros kept, so its layout follows the racks' halls only and a rack's entries sit
    at ``position[rack] * K``); column ``h * K + k`` is hall ``h``'s class ``k``.
    """

    rack_code: IntArray
    """(racks,) compact hall code of each air-cooled rack of a hall with an indoor stage, else -1."""
    position: IntArray
    """(racks,) row of each such rack among them (-1 for the others)."""
    n_halls: int
    stacked: sp.csr_matrix
    units: sp.csc_matrix
    """(cooling components, H * K) the stack rolled up through the cooling network, zeros dropped."""


def _hall_codes(compiled: Compiled, halls: HallIndex) -> tuple[IntArray, IntArray, int]:
    """(compact hall code of each power node, of each air-cooled rack, number of halls).

    The codes number the halls that hold an indoor power stage, in name order (``halls``, the
    engine's cached hall index, already knows where every rack and stage stands); -1 elsewhere.
    """
    stages = halls.loss_to_hall.tocoo()
    present = np.unique(stages.row)
    compact = np.full(len(halls.names), -1, dtype=np.int64)
    compact[present] = np.arange(present.size)
    code = np.full(compiled.power.n_nodes, -1, dtype=np.int64)
    code[stages.col] = compact[stages.row]
    code_of_rack = compact[halls.rack_hall]
    cooling = compiled.cooling
    air_cooled = cooling.rack_node[:, 1] >= 0 if cooling.rack_node.size else np.zeros(code_of_rack.size, dtype=bool)
    code_of_rack[~air_cooled] = -1
    return code, code_of_rack, int(present.size)


def _air_units(compiled: Compiled, stacked: sp.csr_matrix) -> sp.csc_matrix:
    """``stacked`` (or some of its columns) rolled up to the cooling components, zeros dropped.

    Each column flows on its own: a column's entries are the same sums in the same order whichever
    other columns are rolled up with it (``roll_up_linear_sparse``'s products add a column's terms in
    the order of the left operand's row), so a hall's columns can be redone alone.
    """
    cooling = compiled.cooling
    aggregator = cooling.rack_aggregators[1]
    # sparse: each column reaches its own hall's units only (dense, this was nodes x halls x classes)
    demand = sp.csr_matrix(aggregator @ stacked)
    units = sp.csc_matrix(roll_up_linear_sparse(cooling, demand, compiled.cooling_weights)[:cooling.n_components])
    units.eliminate_zeros()
    return units


def _air_stack(compiled: Compiled, code_of_rack: IntArray, n_halls: int, air: FloatArray) -> _AirStack | None:
    """The air stack of ``air`` (racks, K) built whole; None when no indoor loss can reach an air unit."""
    aggregator = compiled.cooling.rack_aggregators[1] if len(compiled.cooling.rack_aggregators) > 1 else None
    if aggregator is None or not aggregator.nnz or not n_halls:
        return None
    k = air.shape[1]
    rows = np.flatnonzero(code_of_rack >= 0)
    position = np.full(code_of_rack.size, -1, dtype=np.int64)
    position[rows] = np.arange(rows.size)
    indptr = np.zeros(code_of_rack.size + 1, dtype=np.int64)
    np.cumsum(np.where(code_of_rack >= 0, k, 0), out=indptr[1:])
    # (racks, H * K), K entries a rack: sparse, so the products below cost what the racks hold
    stacked = sp.csr_matrix((air[rows].ravel(), (code_of_rack[rows, None] * k + np.arange(k)[None, :]).ravel(),
                             indptr), shape=(air.shape[0], n_halls * k))
    return _AirStack(code_of_rack, position, n_halls, stacked, _air_units(compiled, stacked))


def _air_stack_rows(compiled: Compiled, kept: _AirStack, air: FloatArray, racks: IntArray) -> _AirStack:
    """``kept`` with the air heat basis of ``racks`` (``air``, one row each) rewritten and the units of
    their halls' columns redone (the other columns are kept: a hall's columns read only its own racks)."""
    stacked_rows = kept.rack_code[racks] >= 0
    if not stacked_rows.any():
        return kept
    k = air.shape[1]
    inside = racks[stacked_rows]
    data = kept.stacked.data.copy()
    data[(kept.position[inside, None] * k + np.arange(k)[None, :]).ravel()] = air[stacked_rows].ravel()
    stacked = sp.csr_matrix((data, kept.stacked.indices, kept.stacked.indptr), shape=kept.stacked.shape)
    halls = np.unique(kept.rack_code[inside])
    columns = (halls[:, None] * k + np.arange(k)[None, :]).ravel()
    redone = _air_units(compiled, sp.csr_matrix(stacked[:, columns]))
    return replace(kept, stacked=stacked, units=_splice_columns(kept.units, columns, redone))


def _splice_columns(matrix: sp.csc_matrix, columns: IntArray, new: sp.csc_matrix) -> sp.csc_matrix:
    """``matrix`` with its ``columns`` (ascending) replaced by the columns of ``new``."""
    counts = np.diff(matrix.indptr)
    column_of = np.repeat(np.arange(matrix.shape[1]), counts)
    keep = np.ones(matrix.shape[1], dtype=bool)
    keep[columns] = False
    old = np.flatnonzero(keep[column_of])
    new_column_of = columns[np.repeat(np.arange(columns.size), np.diff(new.indptr))]
    order = np.argsort(np.concatenate([column_of[old], new_column_of]), kind="stable")
    indices = np.concatenate([matrix.indices[old], new.indices])[order]
    data = np.concatenate([matrix.data[old], new.data])[order]
    counts = counts.copy()
    counts[columns] = np.diff(new.indptr)
    indptr = np.zeros(matrix.shape[1] + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return sp.csc_matrix((data, indices, indptr), shape=matrix.shape)


def _hall_air(stack: _AirStack | None, scopes: Scopes, k: int) -> _HallAir | None:
    """The halls' air bases of ``stack`` for the indoor losses' air heat (None without a stack)."""
    if stack is None:
        return None
    units = sp.csr_matrix(stack.units)
    air_rows = np.asarray(stack.stacked.sum(axis=0)).reshape(stack.n_halls, k)
    reached = np.flatnonzero(units.getnnz(axis=1) > 0)
    return _HallAir(np.array(air_rows), units[reached], _Blocks.of(scopes.matrix @ stack.stacked, k), reached)


def hall_scopes(scopes: Scopes) -> Scopes:
    """The hall rows of ``scopes`` (the sweep sums its figures over halls; pods would only be dropped)."""
    rows = np.array([i for i, kind in enumerate(scopes.kinds) if kind == "hall"], dtype=np.int64)
    if rows.size == len(scopes.kinds):
        return scopes
    return Scopes(
        ids=tuple(scopes.ids[i] for i in rows.tolist()),
        kinds=tuple(scopes.kinds[i] for i in rows.tolist()),
        membership=scopes.membership,
        matrix=sp.csr_matrix(scopes.matrix[rows]),
        **{name: getattr(scopes, name)[rows] for name in (
            "rack_count", "power_firm_kw", "liquid_firm_kw", "air_firm_kw", "space_free_m2", "floor_free_kg",
            "rack_area_m2", "rack_weight_kg")},
    )


@dataclass(frozen=True, slots=True)
class _Kept:
    """A sweep's prepared parts with the arrays they came from, kept between sweeps (``_prepare``).

    Never written in place: an update copies what it rewrites, so a sweep on another thread (a twin
    analyzer's copy of the compiled networks shares this) reads it safely.
    """

    power: FlowNetwork
    cooling: FlowNetwork
    feeds: object
    halls: HallIndex
    liquid_fraction: FloatArray
    scope_ids: tuple[str, ...]
    membership: IntArray
    served: BoolArray
    design_kw: FloatArray
    workload: IntArray
    """The racks' design kW and classes the preparation was made of; with ``served`` they give its basis
    (``_basis_of(design_kw, workload) * served``, worked out again when needed: kept, it was 2.3 MB at 50k racks)."""
    power_code: IntArray
    stack: _AirStack | None
    power_demand: FloatArray
    cooling_demand: FloatArray
    cooling_flow: Flow
    quotient_plan: _QuotientPlan
    prepared: _Prepared

    def same_inputs(self, compiled: Compiled, halls: HallIndex, table: RackTable, scopes: Scopes) -> bool:
        """Whether only rack design kW and classes can differ from this (same networks, halls, liquid
        fractions and hall scopes)."""
        return (compiled.power is self.power and compiled.cooling is self.cooling and compiled.feeds is self.feeds
                and halls is self.halls and scopes.ids == self.scope_ids
                and np.array_equal(scopes.membership, self.membership)
                and table.liquid_fraction.shape == self.liquid_fraction.shape
                and not _bits_differ(table.liquid_fraction, self.liquid_fraction).any())


def _bits_differ(a: FloatArray, b: FloatArray) -> BoolArray:
    """Where two float arrays of one shape differ to the bit (-0.0 is not 0.0; a NaN is itself)."""
    differ: BoolArray = a.view(np.int64) != b.view(np.int64)
    return differ


def _prepare(analyzer: Analyzer, compiled: Compiled, project: Project, table: RackTable, scopes: Scopes,
             kept: _Kept | None = None) -> _Kept:
    """The sweep's column-independent parts; ``scopes`` are the halls (``hall_scopes``).

    With ``kept`` (an earlier sweep's, see ``_Kept.same_inputs``), only what the racks whose design kW
    or class changed reach is redone: their rows of the basis, of both networks' demand and of the
    cooling roll-up (``row_sums``' row updates, as in ``day_state``), and their halls' columns of the air stack. Each is
    the same sum in the same order as a cold preparation's, and the rest (totals, the merged power
    network, the distinct rows) is rebuilt whole from those arrays, so the figures are the same to
    the last bit as a cold sweep's.
    """
    power, cooling = compiled.power, compiled.cooling
    if np.any(cooling.fixed_loss_kw) or np.any(cooling.square_loss_per_kw):
        raise ValueError("cooling network is expected to be linear")
    halls = analyzer.hall_index(compiled, project, table)
    power_aggregators, cooling_aggregators = compiled.demand_aggregators(table)
    k = len(WORKLOAD_CLASSES)
    air_fraction = 1.0 - table.liquid_fraction
    if kept is not None and kept.same_inputs(compiled, halls, table, scopes):
        served = kept.served
        racks = np.flatnonzero(_bits_differ(table.design_kw, kept.design_kw) | (table.workload != kept.workload))
        basis = _basis_of(kept.design_kw, kept.workload) * served[:, None]  # the kept preparation's, as made
        basis[racks] = 0.0
        basis[racks, table.workload[racks]] = table.design_kw[racks]
        basis[racks] *= served[racks, None]
        power_code, stack = kept.power_code, kept.stack
        if stack is not None:
            stack = _air_stack_rows(compiled, stack, air_fraction[racks, None] * basis[racks], racks)
        power_demand, cooling_demand = kept.power_demand.copy(), kept.cooling_demand.copy()
        rows = row_sums.consumer_rows(power, racks)
        power_demand[rows] = row_sums.demand_rows(power_aggregators, rows, basis)
        rows = row_sums.consumer_rows(cooling, racks)
        cooling_demand[rows] = row_sums.demand_rows(cooling_aggregators, rows, basis)
        cooling_flow = Flow(kept.cooling_flow.through_kw.copy(), kept.cooling_flow.loss_kw.copy())
        row_sums.roll_up_rows(cooling, cooling_demand, compiled.cooling_weights, cooling_flow, rows)
    else:
        # unserved racks draw nothing (``service``), as in ``Analyzer.loads``
        served = rack_service(power, cooling, table.liquid_fraction).served
        basis = _basis(table) * served[:, None]
        power_code, rack_code, n_halls = _hall_codes(compiled, halls)
        stack = _air_stack(compiled, rack_code, n_halls, air_fraction[:, None] * basis)
        power_demand = consumer_demand_with(power_aggregators, power.n_nodes, basis)
        cooling_demand = consumer_demand_with(cooling_aggregators, cooling.n_nodes, basis)
        cooling_flow = roll_up(cooling, cooling_demand, compiled.cooling_weights)
    plan = kept.quotient_plan if kept is not None else None
    if plan is None or plan.network is not power or plan.shares is not compiled.power_shares:
        plan = _quotient_plan(power, compiled.power_shares)
    hall_air = _hall_air(stack, scopes, k)
    reached = hall_air.reached if hall_air is not None else np.zeros(0, dtype=np.int64)
    cooling_through = cooling_flow.through_kw
    cc = cooling.n_components
    feeds = compiled.feeds
    unit_counts = np.zeros((power.n_nodes, 0))
    feed_heat = None
    feed_fallback = np.zeros((len(coupling.POOLS), 1))
    if feeds is not None:
        draw_class, feed_heat, feed_fallback = _draw_classes(feeds, np.asarray(feeds.weights @ cooling_through[:cc]))
        unit_counts = np.zeros((power.n_nodes, feed_heat.shape[1] - 1))
        unit_counts[feeds.class_nodes, draw_class] = 1.0
    base_rows, loss_rows = _reached_utilisation(cooling.capacity_kw[:cc][reached], cooling_through[:cc][reached],
                                                hall_air)
    prepared = _Prepared(
        # einsum: numpy's sum down (racks, 6) columns was measured ~4x slower
        it=np.einsum("rk->k", basis),
        liquid=np.einsum("r,rk->k", table.liquid_fraction, basis),
        power=_quotient(power, compiled.power_shares, power_demand, unit_counts, power_code, plan),
        # identical rows give identical utilisations: keep one of each for the max
        cooling_util=_distinct_rows(utilization(cooling_through[:cc], cooling.capacity_kw[:cc, None])),
        scope=scope_sums(scopes, basis),
        scope_liquid=scope_sums(scopes, table.liquid_fraction[:, None] * basis),
        feed_heat=feed_heat,
        feed_fallback=feed_fallback,
        hall_air=hall_air,
        cooling_base=base_rows,
        cooling_losses=loss_rows,
    )
    return _Kept(power, cooling, compiled.feeds, halls, table.liquid_fraction.copy(), scopes.ids,
                 scopes.membership.copy(), served, table.design_kw.copy(), table.workload.copy(), power_code,
                 stack, power_demand, cooling_demand, cooling_flow, plan, prepared)


def _draw_classes(feeds: coupling.CoolingFeeds, weighted: FloatArray) -> tuple[IntArray, FloatArray, FloatArray]:
    """(class of each unit node, weighted heat and fallback of one node per class plus the totals).

    Unit nodes with equal weighted-heat basis rows and equal fallback draw equal power in every
    column, so the sweep splits the pools once per class (a campus has a hundred unit nodes but a
    handful of kinds).
    """
    n_pools, n = len(coupling.POOLS), feeds.n_nodes
    rows = weighted.reshape(n_pools, n + 1, -1)
    per_node = np.hstack([rows[:, :n, :].transpose(1, 0, 2).reshape(n, -1), feeds.fallback[:, :n].T])
    _, first, draw_class = np.unique(_row_keys(per_node), return_index=True, return_inverse=True)
    keep = np.append(first, n)
    return draw_class.reshape(-1), rows[:, keep, :], feeds.fallback[:, keep]


@dataclass(frozen=True, slots=True)
class _Quotient:
    """The power network with structurally identical nodes merged (exact, see ``_quotient``)."""

    demand: FloatArray
    """(reps, classes) own demand basis of each representative."""
    fixed: FloatArray
    proportional: FloatArray
    square: FloatArray
    inverse_capacity: FloatArray
    """1 / rating of rated components, 0 for the rest (so they never set the worst utilisation)."""
    weight: FloatArray
    """How many original nodes each representative stands for."""
    indoor: BoolArray
    hall_counts: sp.csr_matrix
    """(halls, representatives) how many indoor stages of each hall each one stands for."""
    levels: tuple[tuple[IntArray, sp.csr_matrix], ...]
    """(representatives, inflow matrix reps x all reps) by quotient height."""
    unit_counts: FloatArray
    """(reps, draw classes) how many fed cooling units of each draw class (``_draw_classes``) each
    representative's own demand holds."""


@dataclass(frozen=True, slots=True)
class _QuotientPlan:
    """What ``_quotient`` reads of the network alone (kept while the network and its shares stand)."""

    network: FlowNetwork
    shares: FloatArray
    static_label: FloatArray
    """(nodes,) one number per distinct (loss terms, rating, indoor, component) of each node: equal
    exactly when those are, so it stands for them in the merge keys."""
    levels: tuple[tuple[IntArray, IntArray, IntArray, FloatArray, tuple[tuple[IntArray, IntArray], ...]], ...]
    """Per non-empty up level: (nodes, owner of each supplied edge (local), the edges, their shares,
    (members, their edges' positions) of each degree)."""


def _quotient_plan(network: FlowNetwork, shares: FloatArray) -> _QuotientPlan:
    n_comp, n_nodes = network.n_components, network.n_nodes
    order = np.argsort(network.edge_source, kind="stable")
    starts = np.searchsorted(network.edge_source[order], np.arange(n_nodes + 1))
    static = np.column_stack([network.fixed_loss_kw, network.proportional_loss, network.square_loss_per_kw,
                              network.capacity_kw, network.indoor.astype(np.float64),
                              (np.arange(n_nodes) < n_comp).astype(np.float64)])
    label = _same_rows(static)[1].astype(np.float64) if n_nodes else np.zeros(0)
    levels = []
    for level in network.up_levels:
        nodes = level.nodes
        if not nodes.size:
            continue
        degree = starts[nodes + 1] - starts[nodes]
        owner = np.repeat(np.arange(nodes.size), degree)
        offset = np.arange(owner.size) - np.repeat(np.cumsum(degree) - degree, degree)
        edges = order[starts[nodes][owner] + offset]
        first_edge = np.cumsum(degree) - degree
        groups = []
        for d in np.unique(degree).tolist():  # nodes of different degree never match
            members = np.flatnonzero(degree == d)
            groups.append((members, first_edge[members][:, None] + np.arange(d)[None, :]))
        levels.append((nodes, owner, edges, shares[edges], tuple(groups)))
    return _QuotientPlan(network, shares, label, tuple(levels))


def _quotient(network: FlowNetwork, shares: FloatArray, demand_basis: FloatArray, unit_counts: FloatArray,
              indoor_hall: IntArray | None = None, plan: _QuotientPlan | None = None) -> _Quotient:
    """Merge nodes whose whole downstream is identical: same loss terms, rating and own demand,
    and the same consumers (by class) with the same shares. They always carry the same load, so the
    roll-up runs once per class; totals weight each class by its size. Designs built from pod
    templates are full of such repeats (every row of a pod type, every busway of a row type).

    Runs level by level, lowest first, on whole arrays: a node's key is its parameters (as one
    label, ``_QuotientPlan.static_label``), its own demand and its sorted (consumer class, share)
    pairs; representatives are numbered in order of first appearance. The fed cooling units' load is
    not in the basis: ``unit_counts`` (nodes, draw classes) is part of the key instead. ``plan``
    (``_quotient_plan`` of the same network and shares) saves what depends on the network alone.
    """
    if plan is None or plan.network is not network or plan.shares is not shares:
        plan = _quotient_plan(network, shares)
    n_comp, n_nodes = network.n_components, network.n_nodes
    hall_code = np.where(network.indoor, 0, -1) if indoor_hall is None else indoor_hall
    n_halls = int(hall_code.max(initial=-1)) + 1
    # per-node columns of the key that do not depend on the consumers
    own = np.column_stack([plan.static_label, unit_counts,
                           np.asarray(demand_basis, dtype=np.float64).reshape(n_nodes, demand_basis.shape[-1])])
    signature = np.full(n_nodes, -1, dtype=np.int64)
    rep_parts: list[IntArray] = []
    pair_parts: list[tuple[IntArray, IntArray, FloatArray]] = []
    heights_so_far = np.zeros(0, dtype=np.int64)
    n_reps = 0
    for nodes, owner, edges, share, groups in plan.levels:
        child = signature[network.edge_target[edges]]
        sort = np.lexsort((share, child, owner))
        owner, child, share = owner[sort], child[sort], share[sort]
        firsts: list[IntArray] = []
        labels = np.empty(nodes.size, dtype=np.int64)
        label_base = 0
        for members, take in groups:
            first, inverse = _same_rows(np.hstack([own[nodes[members]], child[take], share[take]]))
            labels[members] = label_base + inverse
            firsts.append(members[first])
            label_base += first.size
        first_pos = np.concatenate(firsts)
        # number the level's classes by first appearance
        rank = np.empty(first_pos.size, dtype=np.int64)
        by_position = np.argsort(first_pos, kind="stable")
        rank[by_position] = np.arange(first_pos.size)
        signature[nodes] = n_reps + rank[labels]
        rep_local = first_pos[by_position]
        reps = nodes[rep_local]
        # consumers of each new representative and its height
        pick = np.isin(owner, rep_local)
        local_of = np.full(nodes.size, -1, dtype=np.int64)
        local_of[rep_local] = np.arange(rep_local.size)
        pair_rep = n_reps + local_of[owner[pick]]
        pair_child, pair_share = child[pick], share[pick]
        pair_order = np.argsort(pair_rep, kind="stable")
        pair_rep, pair_child, pair_share = pair_rep[pair_order], pair_child[pair_order], pair_share[pair_order]
        height = np.zeros(reps.size, dtype=np.int64)
        if pair_rep.size:
            np.maximum.at(height, pair_rep - n_reps, heights_so_far[pair_child] + 1)
        heights_so_far = np.concatenate([heights_so_far, height])
        rep_parts.append(reps)
        pair_parts.append((pair_rep, pair_child, pair_share))
        n_reps += reps.size
    rep = np.concatenate(rep_parts) if rep_parts else np.zeros(0, dtype=np.int64)
    height = heights_so_far
    all_rep = np.concatenate([p[0] for p in pair_parts]) if pair_parts else np.zeros(0, dtype=np.int64)
    all_child = np.concatenate([p[1] for p in pair_parts]) if pair_parts else np.zeros(0, dtype=np.int64)
    all_share = np.concatenate([p[2] for p in pair_parts]) if pair_parts else np.zeros(0)
    levels = []
    local = np.empty(rep.size, dtype=np.int64)
    inside = np.flatnonzero((hall_code >= 0) & (signature >= 0))
    # (halls, reps): merged nodes carry the same loss, so a hall's loss is its count of each times that loss
    hall_counts = sp.csc_matrix((np.ones(inside.size), (hall_code[inside], signature[inside])),
                                shape=(max(n_halls, 1), rep.size))
    for h in range(int(height.max(initial=-1)) + 1):
        members = np.flatnonzero(height == h)
        local[members] = np.arange(members.size)
        pick = height[all_rep] == h
        levels.append((members, sp.csr_matrix((all_share[pick], (local[all_rep[pick]], all_child[pick])),
                                              shape=(members.size, rep.size))))
    capacity = network.capacity_kw[rep]
    rated = (rep < n_comp) & (capacity > 0)
    return _Quotient(
        demand=demand_basis[rep],
        fixed=network.fixed_loss_kw[rep],
        proportional=network.proportional_loss[rep],
        square=network.square_loss_per_kw[rep],
        inverse_capacity=np.where(rated, 1.0 / np.where(rated, capacity, 1.0), 0.0),
        weight=np.bincount(signature, minlength=rep.size).astype(np.float64),
        indoor=network.indoor[rep],
        hall_counts=sp.csr_matrix(hall_counts),
        levels=tuple(levels),
        unit_counts=unit_counts[rep],
    )


def _same_rows(rows: FloatArray) -> tuple[IntArray, IntArray]:
    """(first row of each group of equal rows, group of each row), as ``np.unique`` of ``_row_keys``
    with ``return_index`` and ``return_inverse`` but with the groups in another order (callers number
    them by first appearance). Rows compare by their bits (-0.0 counts as 0.0), sorted column by
    column as integers: several times faster than sorting the rows as opaque keys."""
    n = rows.shape[0]
    bits = np.ascontiguousarray(np.asarray(rows + 0.0, dtype=np.float64).reshape(n, -1)).view(np.int64)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    order = np.lexsort(bits.T[::-1]) if bits.shape[1] else np.arange(n)
    ordered = bits[order]
    starts = np.ones(n, dtype=bool)
    starts[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.cumsum(starts) - 1
    return order[starts].astype(np.int64), inverse  # lexsort is stable: the first of each group


def _row_keys(rows: FloatArray) -> NDArray[np.void]:
    """One opaque key per row, equal exactly when the rows are equal (-0.0 counts as 0.0)."""
    return row_keys(np.asarray(rows + 0.0, dtype=np.float64))


def _reached_utilisation(capacity: FloatArray, base: FloatArray,
                         hall_air: _HallAir | None) -> tuple[FloatArray, _Blocks]:
    """(base, losses) utilisation rows of the units the losses reach, one of each distinct pair.

    A unit's utilisation is ``base @ util + losses.times(util, per_air)``; units whose rows are equal in both
    (the same kind of unit in the same place of a repeated hall) always read the same, so only one
    of each is kept for the worst case, as for the linear cooling rows. The loss rows stay sparse
    (a unit sees its own hall's columns only).
    """
    inverse = np.where(capacity > 0, 1.0 / np.where(capacity > 0, capacity, 1.0), 0.0)
    base_rows = inverse[:, None] * base
    k = base.shape[1]
    if hall_air is None:
        return base_rows, _Blocks.of(sp.csr_matrix((base_rows.shape[0], 0)), k)
    loss_rows = sp.csr_matrix(sp.diags(inverse) @ hall_air.units) if base_rows.shape[0] else \
        sp.csr_matrix((0, hall_air.units.shape[1]))
    if base_rows.shape[0]:
        keep = _distinct_sparse_rows(base_rows, loss_rows, hall_air.air.shape[1])
        base_rows, loss_rows = base_rows[keep], sp.csr_matrix(loss_rows[keep])
    return base_rows, _Blocks.of(loss_rows, k)


def _distinct_block_rows(dense: FloatArray, rows: sp.csr_matrix, block: int) -> IntArray | None:
    """``_distinct_sparse_rows`` when every row's non-zeros lie in one block of ``block`` columns (a
    unit sees one hall's classes): each row becomes (dense part, block index, the block's values) and
    the keys are compared in one ``np.unique``. None when some row spans two blocks."""
    n = dense.shape[0]
    counts = np.diff(rows.indptr)
    owner = np.repeat(np.arange(n), counts)
    which = rows.indices // block
    first = np.full(n, -1, dtype=np.int64)  # the block of each row's first entry (-1: no entry)
    filled = counts > 0
    first[filled] = which[rows.indptr[:-1][filled]]
    if np.any(which != first[owner]):
        return None
    values = np.zeros((n, block))
    values[owner, rows.indices % block] = rows.data
    keys = _row_keys(np.hstack([dense, first[:, None].astype(np.float64), values]))
    return np.sort(np.unique(keys, return_index=True)[1]).astype(np.int64)


def _distinct_sparse_rows(dense: FloatArray, sparse: sp.csr_matrix, block: int = 0) -> IntArray:
    """Indices (ascending) of the first of each distinct row of ``[dense, sparse]``: rows are equal
    exactly when their dense parts are and their sparse parts have the same non-zeros (-0.0 counts as
    0.0, as in ``_row_keys``). With ``block``, rows whose non-zeros each lie in one block of that many
    columns are compared in one ``np.unique`` (``_distinct_block_rows``)."""
    rows = sp.csr_matrix(sparse, copy=True)
    rows.data = rows.data + 0.0
    rows.eliminate_zeros()
    rows.sort_indices()
    blocked = _distinct_block_rows(dense, rows, block) if block > 0 else None
    if blocked is not None:
        return blocked
    dense_keys = _row_keys(dense)
    indptr, indices, data = rows.indptr, rows.indices, rows.data
    seen: dict[tuple[bytes, bytes, bytes], int] = {}
    for i in range(dense.shape[0]):
        lo, hi = indptr[i], indptr[i + 1]
        seen.setdefault((dense_keys[i].tobytes(), indices[lo:hi].tobytes(), data[lo:hi].tobytes()), i)
    return np.array(sorted(seen.values()), dtype=np.int64)


def _distinct_rows(rows: FloatArray) -> FloatArray:
    """One of each distinct row (in order of first appearance)."""
    if rows.shape[0] == 0:
        return rows
    first = np.unique(_row_keys(rows), return_index=True)[1]
    return rows[np.sort(first)]


def _widest(prepared: _Prepared) -> int:
    """Rows of the widest (rows, columns) array ``_evaluate`` forms."""
    hall_air = prepared.hall_air
    return int(max(2 + prepared.cooling_util.shape[0] + 2 * prepared.scope.shape[0],
               prepared.cooling_losses.values.shape[0], hall_air.scopes.values.shape[0] if hall_air is not None else 0,
               hall_air.air.shape[0] if hall_air is not None else 0))


def _power_pass(quotient: _Quotient, util: FloatArray, unit_kw: FloatArray | None = None,
                n_halls: int = 0) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """(loss, indoor loss, worst utilisation, (n_halls, columns) indoor loss by hall) per column, rolled
    up on the merged network.

    ``unit_kw`` (draw classes, columns) adds the fed cooling units' electrical load.
    """
    q = quotient
    passed = np.zeros((q.demand.shape[0], util.shape[1]))
    loss_total = np.zeros(util.shape[1])
    indoor_total = np.zeros(util.shape[1])
    losses = np.zeros((q.demand.shape[0] if n_halls else 0, util.shape[1]))
    worst = np.zeros(util.shape[1])
    for members, inflow in q.levels:
        load = q.demand[members] @ util + inflow @ passed
        if unit_kw is not None:
            load += q.unit_counts[members] @ unit_kw
        stage_loss = (q.fixed[members, None] + q.proportional[members, None] * load
                      + q.square[members, None] * load * load)
        loss_total += q.weight[members] @ stage_loss
        indoor_total += (q.weight[members] * q.indoor[members]) @ stage_loss
        if n_halls:
            losses[members] = stage_loss
        worst = np.maximum(worst, (q.inverse_capacity[members, None] * load).max(axis=0, initial=0.0))
        passed[members] = load + stage_loss
    # each hall's indoor loss: its count of each merged stage times that stage's loss, in one product
    by_hall = np.asarray(q.hall_counts[:n_halls] @ losses) if n_halls else np.zeros((0, util.shape[1]))
    return loss_total, indoor_total, worst, by_hall


def _evaluate(
    compiled: Compiled,
    plant: tuple[facility_mod.CoolingSystem, FloatArray, FloatArray],
    prepared: _Prepared,
    util: FloatArray,
    days: int,
) -> _Columns:
    """Figures of ``days`` design days given as (classes, days * 24) utilisation columns; ``plant`` is
    the cooling system and the design day's dry and wet bulb (``Analyzer.cooling_system``, ``design_day``)."""
    # every linear figure in one product: IT, liquid heat, cooling utilisations, scope IT (the scopes'
    # liquid heat and losses are wanted at each scope's peak hour only: taken there, below)
    n_cool, n_scope = prepared.cooling_util.shape[0], prepared.scope.shape[0]
    linear = by_class(np.vstack([prepared.it, prepared.liquid, prepared.cooling_util, prepared.scope]), util)
    it, liquid = linear[0], linear[1]
    worst_cooling = linear[2:2 + n_cool].max(axis=0, initial=0.0)
    scope_rows = linear[2 + n_cool:2 + n_cool + n_scope]
    n_halls = prepared.hall_air.air.shape[0] if prepared.hall_air is not None else 0
    loss, indoor, worst_power, hall_loss = _power_pass(prepared.power, util, n_halls=n_halls)
    system, dry, wet = plant
    shape = (days, HOURS)
    day = facility_mod.facility_power(it.reshape(shape), loss.reshape(shape), liquid.reshape(shape),
                                      (it - liquid + indoor).reshape(shape), system, dry, wet)
    facility_day = np.asarray(day.facility_kw)
    feeds = compiled.feeds
    if feeds is not None and prepared.feed_heat is not None:
        # the fed cooling units' share of that cooling power, rolled up again (as ``Analyzer.loads``)
        unit_kw = coupling.split_pools(prepared.feed_heat @ util, prepared.feed_fallback, coupling.pool_kw(day))
        coupled_loss, _, worst_power, _ = _power_pass(prepared.power, util, unit_kw)
        facility_day = facility_day + (coupled_loss - loss).reshape(shape)
    # each scope at the hour of its peak IT: (scopes, days) the column of that hour
    scope_it = scope_rows.reshape(n_scope, days, HOURS)
    peak_hour = scope_it.argmax(axis=2)
    peak_column = np.arange(days)[None, :] * HOURS + peak_hour
    scope_kw = np.take_along_axis(scope_it, peak_hour[..., None], axis=2)[..., 0]
    scope_liquid_kw = np.einsum("sk,ksd->sd", prepared.scope_liquid, util[:, peak_column])
    scope_loss_kw = np.zeros((n_scope, days))
    if prepared.hall_air is not None:
        # the halls' indoor losses ride on their air-cooled racks' air heat to the air units (as ``Analyzer.loads``)
        per_air = prepared.hall_air.per_air(util, hall_loss)
        scope_loss_kw = prepared.hall_air.scopes.at(util, per_air, peak_column)
        reached = by_class(prepared.cooling_base, util) + prepared.cooling_losses.times(util, per_air)
        worst_cooling = np.maximum(worst_cooling, reached.max(axis=0, initial=0.0))
    worst = np.maximum(worst_power, worst_cooling)
    it_day = it.reshape(shape)
    it_energy = it_day.sum(axis=1)
    return _Columns(
        peak_it=it_day.max(axis=1),
        mean_it=it_day.mean(axis=1),
        peak_facility=facility_day.max(axis=1),
        pue=np.divide(facility_day.sum(axis=1), it_energy, out=np.full(days, np.nan), where=it_energy > 0),
        worst=worst.reshape(shape).max(axis=1),
        scope_peak_kw=scope_kw,
        scope_liquid_kw=scope_liquid_kw,
        scope_loss_kw=scope_loss_kw,
    )


def sweep(
    project: Project,
    catalog: Mapping[str, CatalogEntry],
    shares: FloatArray | None = None,
    *,
    analyzer: Analyzer | None = None,
    year: int | None = None,
    keep: bool = True,
) -> SweepResult:
    """Peak and mean IT, facility peak, daily PUE, worst utilisation and stranded capacity per share.

    ``shares`` defaults to 0, 0.01, ..., 1. The share sweep applies the AI density factor of the
    active scenario's first year; the year sweep uses each year's own share and factor. A phased
    design is swept as built in ``year`` (default the first year), and each year of the year sweep
    on the design as built that year.

    ``keep`` False: a preparation made anew is not kept for the next sweep (one kept still serves while
    it stands): a phased design's other years, whose year column alone is read, keep theirs only within
    ``KEPT_YEAR_SWEEPS_BYTES``.
    """
    analyzer = analyzer or Analyzer()
    if analyzer.phased(project):
        return _phased_sweep(project, catalog, shares, analyzer, year)
    grid = np.linspace(0.0, 1.0, 101) if shares is None else np.clip(np.asarray(shares, dtype=np.float64), 0.0, 1.0)
    compiled = analyzer.compile(project, catalog)
    table = compiled.rack_table
    assert table is not None
    profiles = analyzer.profiles_for(project)
    base = analyzer.scenario_for(project, None, None)

    all_scopes = analyzer.scopes(compiled, project, table)
    cached = compiled.sweep_cache
    if cached is not None and cached[0] is table and cached[1] is all_scopes:
        kept, scopes = cached[2]
    else:
        scopes = hall_scopes(all_scopes)
        kept = _prepare(analyzer, compiled, project, table, scopes, cached[2][0] if cached is not None else None)
        compiled.sweep_cache = (table, all_scopes, (kept, scopes)) if keep else None
        analyzer.keep_sweep(compiled.sweep_cache)
    prepared = kept.prepared
    parts: list[_Columns] = []
    plant = (analyzer.cooling_system(compiled, project), *analyzer.design_day(project))
    # as many shares per pass as keep the merged power network's columns under CELLS_PER_PASS
    per_pass = max(1, min(grid.size, CELLS_PER_PASS // max(1, prepared.power.demand.shape[0] * HOURS),
                          WIDE_CELLS_PER_PASS // max(1, _widest(prepared) * HOURS)))
    for start in range(0, grid.size, per_pass):
        chunk = grid[start:start + per_pass]
        util = utilisation_matrix(profiles, chunk)
        util[AI_INDEX] *= base.ai_density_factor
        parts.append(_evaluate(compiled, plant, prepared, util, chunk.size))
    scenario = project.active_scenario
    years = scenario.years if scenario is not None else ()
    year_util = np.zeros((len(WORKLOAD_CLASSES), 0))
    for entry in years:
        u = utilisation_matrix(profiles, entry.inference_share)
        u[AI_INDEX] *= entry.ai_density_factor
        year_util = np.concatenate([year_util, u], axis=1)
    year_cols = _evaluate(compiled, plant, prepared, year_util, len(years)) if years else None

    def cat(name: str) -> FloatArray:
        return np.concatenate([getattr(p, name) for p in parts]) if parts else np.zeros(0)


    def hall_totals(columns: list[_Columns]) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """(stranded power, liquid, air, racks addable) summed over halls, per column."""
        if not columns:
            return np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0)
        peak = np.concatenate([c.scope_peak_kw for c in columns], axis=1)
        liquid = np.concatenate([c.scope_liquid_kw for c in columns], axis=1)
        loss = np.concatenate([c.scope_loss_kw for c in columns], axis=1)
        st = stranded_capacity(scopes, peak, liquid, peak - liquid + loss)
        return (st.stranded_power_kw.sum(axis=0), st.stranded_liquid_kw.sum(axis=0),
                st.stranded_air_kw.sum(axis=0), np.nansum(st.racks_addable, axis=0))

    stranded = hall_totals(parts)
    year_stranded = hall_totals([year_cols] if year_cols is not None else [])

    def year_field(name: str) -> FloatArray:
        return frozen(np.asarray(getattr(year_cols, name))) if year_cols is not None else frozen(np.zeros(0))

    return SweepResult(
        shares=frozen(grid.copy()),
        ai_density_factor=base.ai_density_factor,
        peak_it_kw=frozen(cat("peak_it")),
        mean_it_kw=frozen(cat("mean_it")),
        peak_facility_kw=frozen(cat("peak_facility")),
        pue=frozen(cat("pue")),
        worst_utilization=frozen(cat("worst")),
        stranded_power_kw=frozen(stranded[0]),
        stranded_liquid_kw=frozen(stranded[1]),
        stranded_air_kw=frozen(stranded[2]),
        racks_addable=frozen(stranded[3]),
        years=frozen(np.array([e.year for e in years], dtype=np.float64)),
        year_shares=frozen(np.array([e.inference_share for e in years], dtype=np.float64)),
        year_density=frozen(np.array([e.ai_density_factor for e in years], dtype=np.float64)),
        year_peak_it_kw=year_field("peak_it"),
        year_mean_it_kw=year_field("mean_it"),
        year_peak_facility_kw=year_field("peak_facility"),
        year_pue=year_field("pue"),
        year_worst_utilization=year_field("worst"),
        year_stranded_power_kw=frozen(year_stranded[0]),
        year_stranded_liquid_kw=frozen(year_stranded[1]),
        year_stranded_air_kw=frozen(year_stranded[2]),
        year_racks_addable=frozen(year_stranded[3]),
    )


_YEAR_FIELDS = ("year_peak_it_kw", "year_mean_it_kw", "year_peak_facility_kw", "year_pue", "year_worst_utilization",
                "year_stranded_power_kw", "year_stranded_liquid_kw", "year_stranded_air_kw", "year_racks_addable")


KEPT_YEAR_SWEEPS_BYTES = 32 * 2**20
"""A phased sweep keeps the other years' preparations too while, each as large as the shown year's, they
fit this together (at 10,000 racks ~2 MB each: kept, the next sweep after an edit redoes only what it
reached; at 50,000 racks ~10 MB each: not kept, each year's is made afresh, the phased sweep ~35 % slower)."""

_KEPT_PARTS = (_Kept, _Prepared, _Blocks, _HallAir, _AirStack, _QuotientPlan, _Quotient, Flow)
_NOT_THE_SWEEPS = frozenset({"power", "cooling", "feeds", "halls", "liquid_fraction", "network"})
"""Fields of a kept preparation's parts that are the compiled networks' or the rack table's."""


def preparation_nbytes(kept: object) -> int:
    """The bytes of a sweep's kept preparation's own arrays (``held_bytes.held_nbytes``)."""
    return held_nbytes(kept, _KEPT_PARTS, _NOT_THE_SWEEPS)


def _phased_sweep(project: Project, catalog: Mapping[str, CatalogEntry], shares: FloatArray | None,
                  analyzer: Analyzer, year: int | None) -> SweepResult:
    """The share sweep on the design as built in ``year``; each scenario year on its own year's design.

    Years that see the same design share one view, so this costs one year pass per distinct design.
    """
    built = analyzer.year_view(project, year)
    assert built is not None
    result = sweep(built[0], catalog, shares, analyzer=built[1])
    cached = built[1].compile(built[0], catalog).sweep_cache
    keep = cached is not None and preparation_nbytes(cached[2][0]) * result.years.size <= KEPT_YEAR_SWEEPS_BYTES
    columns: dict[int, list[float]] = {name_index: [] for name_index in range(len(_YEAR_FIELDS))}
    swept: list[tuple[Analyzer, SweepResult]] = [(built[1], result)]
    for index, entry_year in enumerate(result.years.astype(int).tolist()):
        view = analyzer.year_view(project, entry_year)
        assert view is not None
        own = next((done for child, done in swept if child is view[1]), None)
        if own is None:
            # the year column alone: a preparation made for it is kept only within ``KEPT_YEAR_SWEEPS_BYTES``
            own = sweep(view[0], catalog, np.zeros(0), analyzer=view[1], keep=keep)
            swept.append((view[1], own))
        for name_index, name in enumerate(_YEAR_FIELDS):
            columns[name_index].append(float(getattr(own, name)[index]))
    fields: dict[str, Any] = {name: frozen(np.array(columns[i], dtype=np.float64))
                              for i, name in enumerate(_YEAR_FIELDS)}
    return replace(result, **fields)
