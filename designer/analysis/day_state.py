"""The design day's loads kept between analyses and brought up to date row by row after an edit.

An edit of a few racks (a move, a design kW or workload override) changes only those racks' rows
of the (racks, hours) load arrays. Through the sparse products and the roll-up it reaches only the
consumer nodes of those racks and their suppliers, and, through the halls' indoor losses, the racks
of the halls whose losses moved. ``DayState`` keeps the last evaluation's arrays and recomputes
just those rows, each exactly as the full computation does it: a CSR product's row is the same sum
in the same order whether the product is taken over all rows or over a few (scipy's
``csr_matvecs`` adds each row's terms in index order, independently of the other rows), and the
element-wise steps do not depend on the other rows at all. So the figures are the same to the last
bit as a cold evaluation's; ``tests/analysis/test_day_state.py`` compares them.

A share move (a year change too) changes the ``ai`` racks' rows only, a third of the campus's racks
but reaching every consumer node: an update of that many rows redoes every row in place
(``fill_networks``), with the consumers' demand and the day's totals summed in two parts by class
(``ClassSplit``, the cold evaluation likewise) so that the ``ai`` part is one product of node sums
and the share's utilisation row.

The arrays are rewritten in place (copying them would cost what the recomputation saves), so the
``Loads`` of one evaluation hold only until the analyzer's next one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import scipy.sparse as sp

from designer.analysis.air_side import HallIndex
from designer.analysis.capacity import Scopes
from designer.analysis.flow import (
    DeltaPlan,
    Flow,
    FlowNetwork,
    roll_up,
    roll_up_extra,
    roll_up_into,
)
from designer.analysis.held_bytes import held_nbytes
from designer.analysis.loads import AI_INDEX, BoolArray, FloatArray, IntArray, RackTable
from designer.analysis.loss_pairs import HallLossState, PairSums, add_rows, new_state, pair_sums, spread, take_sums
from designer.analysis.loss_pairs import fill as loss_fill
from designer.analysis.loss_pairs import rack_loss_heat as _rack_loss_heat
from designer.analysis.loss_pairs import update_rows as loss_rows
from designer.analysis.row_sums import NO_ROWS as _NO_ROWS
from designer.analysis.row_sums import (
    consumer_rows,
    cut_columns,
    demand_rows,
    product_rows,
    roll_up_rows,
)
from designer.analysis.service import RackService
from designer.analysis.topology import MEDIA
from designer.model.types import CoolingMedium

if TYPE_CHECKING:
    from designer.analysis.compiled import Compiled

_LIQUID_COLUMN = MEDIA.index(CoolingMedium.LIQUID)  # as ``headroom.class_ratings`` weighs cooling by medium


@dataclass(slots=True)
class ScopeDay:
    """(scopes, hours) sums of the racks' IT, liquid heat and loss heat (None: no rack carries losses).

    The IT and liquid heat are summed in two parts by class, as the consumers' demand
    (``ClassSplit``): ``fixed`` (the other racks' rows) plus ``ai_kw`` times the ``ai`` utilisation row."""

    scopes: object
    weighted: object
    it: FloatArray
    liquid: FloatArray
    loss: FloatArray | None
    ai: BoolArray
    """(racks,) which racks were ``ai`` when ``parts`` were cut."""
    parts: tuple[tuple[sp.csr_matrix, sp.csr_matrix], tuple[sp.csr_matrix, sp.csr_matrix]]
    """(the scope matrix, ``weighted``), each cut into (the other racks' entries, the ``ai`` racks')."""
    fixed: tuple[FloatArray, FloatArray]
    """(scopes, hours) the other racks' IT and liquid heat."""
    ai_kw: tuple[FloatArray, FloatArray]
    """(scopes,) the served ``ai`` racks' design kW with the density factor, and its liquid part."""
    loss_pairs: PairSums | None = None
    """The scope matrix's (scope, hall) pairs carrying the loss heat (``loss_pairs``); None before the
    racks carry any."""


@dataclass(slots=True)
class FedDay:
    """Per network: the racks' rating weights by medium, the class ratings (``headroom.class_ratings``)
    and the nameplate each node feeds (``headroom.nameplate_fed_kw`` before its cut to components)."""

    shares: tuple[FloatArray, ...]
    weights: tuple[tuple[FloatArray | None, ...], ...]
    ratings: tuple[FloatArray, ...]
    rating: tuple[FloatArray, ...]
    fed: tuple[FloatArray, ...]
    by_target: tuple[tuple[IntArray, IntArray], ...] = ()
    """Per network, (indptr, edges) of the edges into each node, each node's in edge order (``_edges_of``)."""
    by_source: tuple[tuple[IntArray, IntArray], ...] = ()
    """Per network, the same of the edges out of each node."""


@dataclass(slots=True)
class ClassSplit:
    """The racks' sums cut in two by class: the ``ai`` racks, whose utilisation is the inference
    share's mix, and the rest, which a share move leaves alone.

    A consumer node's demand is ``fixed + ai_kw x u``: ``fixed`` the sum of its other racks' IT rows,
    ``ai_kw`` the sum of its served ``ai`` racks' design kW with the density factor, ``u`` the ``ai``
    utilisation row. The cold evaluation sums it so too, so a share move redoes only the product
    ``ai_kw x u`` and the roll-ups (the same bits as a cold evaluation at the new share). The IT and
    liquid heat totals of the day are cut the same way.
    """

    ai: BoolArray
    """(racks,) which racks were ``ai`` when the parts were cut (a class change cuts them again)."""
    parts: tuple[tuple[tuple[sp.csr_matrix, sp.csr_matrix], ...], ...]
    """Per network, per aggregator with racks: (the other racks' entries, the ``ai`` racks' entries)."""
    fixed: tuple[FloatArray, FloatArray]
    """Per network (nodes, hours): the other racks' demand."""
    ai_kw: tuple[FloatArray, FloatArray]
    """Per network (nodes,): the served ``ai`` racks' design kW with the density factor."""
    totals: FloatArray
    """(2, racks) weights of the IT and liquid heat totals: 1 and the liquid fraction, 0 on ``ai`` racks."""
    ai_totals: FloatArray
    """(2, racks) the same weights on the ``ai`` racks only."""
    it_fixed: FloatArray
    """(2, hours) the other racks' IT and liquid heat."""
    it_ai_kw: FloatArray
    """(2,) the served ``ai`` racks' design kW and its liquid part."""
    first: tuple[int, int]
    """Per network, the first node any rack reaches (the consumer nodes follow the components)."""
    block_fixed: FloatArray | None = None
    """(blocks, 2, hours) ``it_fixed`` of each block of ``TOTAL_BLOCK`` racks (``_split_sums``)."""
    block_ai: FloatArray | None = None
    """(blocks, 2) ``it_ai_kw`` of each block of racks."""


@dataclass(slots=True)
class DayState:
    """The last evaluation's inputs and arrays (see the module docstring).

    ``power_flow``/``power_demand`` are the racks-only roll-up and demand while ``update_day`` works,
    and carry the fed cooling units' load after ``refresh_fed``; ``fed_flow``/``fed_demand`` are the
    same objects. ``refresh_fed`` keeps the racks-only values of the rows it rewrites (``racks_only``)
    and ``unfeed`` puts them back before the next update reads them.
    ``cooling_base`` is the cooling demand of the racks' heat, ``cooling_demand`` with the halls'
    indoor losses on top (a separate array).
    """

    compiled: object
    aggregators: tuple[tuple[Any, ...], tuple[Any, ...]]
    halls: HallIndex
    utilisation: FloatArray
    density: float
    served: BoolArray
    design_kw: FloatArray
    workload: IntArray
    demand_it: FloatArray
    rack_it: FloatArray
    power_demand: FloatArray
    power_flow: Flow
    fed_demand: FloatArray
    fed_flow: Flow
    cooling_base: FloatArray
    cooling_demand: FloatArray
    cooling_flow: Flow
    loss: HallLossState | None
    use_loss: bool
    """Whether the halls' losses went on the cooling demand (the air aggregator has entries and some
    rack carries loss heat)."""
    service: RackService | None = None
    """The racks' service with nothing failed (``service.rack_service``) of these networks and fractions."""
    plan_rows: IntArray = field(default_factory=lambda: _NO_ROWS)
    """Every row ``roll_up_extra`` rewrites (the feed plan's nodes)."""
    scope_racks: IntArray | None = None
    """Racks whose IT changed since the scope sums were last taken (None: all of them)."""
    scope_kw_racks: IntArray | None = None
    """Those of them whose design kW, class or density factor changed (None: all): none after share
    moves alone, whose ``ai`` parts of the sums (design kW x the share's row) then stand."""
    scope_day: ScopeDay | None = None
    """The scopes' sums of the last analysis (``scope_day``)."""
    fed_racks: IntArray | None = None
    """Racks whose design kW or class changed since the nameplate fed was last worked out (None: all)."""
    fed_day: FedDay | None = None
    """The nameplate each component feeds, of the last analysis (``fed_day``)."""
    split: ClassSplit | None = None
    """The demand and the totals cut by class (``ClassSplit``); None before the first evaluation."""
    racks_only: tuple[FloatArray, FloatArray, FloatArray] | None = None
    """The racks-only through, loss (at ``plan_rows``) and demand (at ``fed_nodes``) that ``refresh_fed``
    overwrote with the fed units' load (None: the arrays hold the racks-only values)."""
    fed_nodes: IntArray = field(default_factory=lambda: _NO_ROWS)
    """The power nodes whose demand ``refresh_fed`` raised by the fed units' load."""
    coefficient: FloatArray | None = None
    """(racks, 1) the served design kW with the density factor (``_served_coefficient``)."""
    racks_only_spare: tuple[FloatArray, FloatArray] | None = None
    """The (through, loss) copies ``unfeed`` put back: the plan rows' racks-only values until an update
    rewrites some of them (``refresh_fed`` reads only those again)."""

    def same_service(self, compiled: object, aggregators: tuple[tuple[Any, ...], tuple[Any, ...]]) -> bool:
        """Whether ``service`` stands: the same networks and the same liquid fractions (the demand
        aggregators are kept exactly while the fractions stand)."""
        return (self.service is not None and compiled is self.compiled
                and all(a is b for a, b in zip(aggregators[0], self.aggregators[0], strict=True))
                and all(a is b for a, b in zip(aggregators[1], self.aggregators[1], strict=True)))

    def same_inputs(self, compiled: object, aggregators: tuple[tuple[Any, ...], tuple[Any, ...]],
                    halls: HallIndex, utilisation: FloatArray, served: BoolArray) -> bool:
        """Whether only rack rows can have changed since this state (same networks, weights, halls,
        liquid fractions, served racks and utilisation columns): a utilisation or density change
        moves the rows of the racks of the classes it touches (``changed_racks``)."""
        return (compiled is self.compiled and halls is self.halls and utilisation.shape == self.utilisation.shape
                and all(a is b for a, b in zip(aggregators[0], self.aggregators[0], strict=True))
                and all(a is b for a, b in zip(aggregators[1], self.aggregators[1], strict=True))
                and np.array_equal(served, self.served))

    def changed_racks(self, table: RackTable, utilisation: FloatArray,
                      density: float) -> tuple[IntArray, IntArray]:
        """(racks whose IT rows change from this state's to ``table`` at ``utilisation`` and ``density``,
        those of them whose nameplate changes).

        The first are the racks whose design kW or workload class differ, those of a class whose
        utilisation row moved (a share change moves the ``ai`` row only) and, when the density moved,
        the ``ai`` racks; the second leave out the racks that only changed utilisation. Records
        ``utilisation`` and ``density`` as this state's (``update_day`` reads them)."""
        edited = (table.design_kw != self.design_kw) | (table.workload != self.workload)
        classes = ~(utilisation == self.utilisation).all(axis=1)
        moved = edited
        if density != self.density:
            edited = edited | ((table.workload == AI_INDEX) | (self.workload == AI_INDEX))
            moved = edited
            self.density = density
        if classes.any():
            moved = moved | classes[table.workload] | classes[self.workload]
            self.utilisation[...] = utilisation
        return np.flatnonzero(moved), np.flatnonzero(edited)

    def note_scope_changes(self, racks: IntArray | None, fed_racks: IntArray | None) -> None:
        """Add rows to those the scope sums and the nameplate fed must redo (None: all)."""
        self.scope_racks = _union(self.scope_racks, racks)
        self.scope_kw_racks = _union(self.scope_kw_racks, fed_racks)
        self.fed_racks = _union(self.fed_racks, fed_racks)


def _union(kept: IntArray | None, more: IntArray | None) -> IntArray | None:
    """The sorted union of two sets of sorted unique rows (None: all); no sort when one is empty (a
    share move notes 15,000 racks at 50,000: their union with nothing cost 2 ms)."""
    if kept is None or more is None:
        return None
    if not kept.size:
        return more
    return kept if not more.size else np.union1d(kept, more)


def plan_rows(plan: DeltaPlan | None) -> IntArray:
    """The nodes ``roll_up_extra`` reads and rewrites with ``plan``."""
    if plan is None or not plan.levels:
        return _NO_ROWS
    return np.unique(np.concatenate([level[0] for level in plan.levels]))


def unfeed(state: DayState, demand_only: bool = False) -> None:
    """Put back the racks-only values ``refresh_fed`` overwrote (the fed units' load comes off);
    ``demand_only``: the demand alone, for an update that rolls every row up again (``roll_up_into``
    writes every through and every lossy node's loss, the only losses ``roll_up_extra`` writes)."""
    kept = state.racks_only
    if kept is None:
        return
    through, loss, demand = kept
    state.racks_only_spare = None
    if not demand_only:
        state.power_flow.through_kw[state.plan_rows] = through
        state.power_flow.loss_kw[state.plan_rows] = loss
        state.racks_only_spare = (through, loss)
    state.power_demand[state.fed_nodes] = demand
    state.racks_only = None


def refresh_fed(state: DayState, power: FlowNetwork, class_nodes: IntArray, node_kw: FloatArray,
                plan: DeltaPlan, rewritten: IntArray | None = None) -> None:
    """The units' ``node_kw`` on top of the racks-only roll-up, in place, as ``Analyzer.loads`` adds
    them to a fresh racks-only roll-up: ``roll_up_extra`` reads and rewrites only the plan's rows
    (``plan_rows``), whose racks-only values are kept for ``unfeed`` (the other rows are the same
    racks-only or fed, so no copy of the whole arrays is needed).

    ``rewritten``: the power rows the update since the last refresh rewrote (``update_day``; None:
    any). The copies ``unfeed`` put back still hold the other plan rows' racks-only values, so only
    those rows are read again."""
    unfeed(state)
    flow, rows = state.power_flow, state.plan_rows
    demand = state.power_demand[class_nodes]
    spare, state.racks_only_spare = state.racks_only_spare, None
    if spare is None or rewritten is None or spare[0].shape[0] != rows.size:
        through, loss = flow.through_kw[rows], flow.loss_kw[rows]  # fancy indexing: copies
    else:
        through, loss = spare
        at = np.searchsorted(rows, rewritten)  # the plan rows are sorted (``plan_rows``)
        at = at[at < rows.size]
        at = at[np.isin(rows[at], rewritten, assume_unique=True)] if at.size else at
        if at.size:
            through[at] = flow.through_kw[rows[at]]
            loss[at] = flow.loss_kw[rows[at]]
    state.racks_only = (through, loss, demand)
    state.fed_nodes = class_nodes
    state.power_demand[class_nodes] = demand + node_kw
    roll_up_extra(power, flow, node_kw, plan)


def _uses_loss(loss: HallLossState | None) -> bool:
    """Whether the halls' losses go on the cooling demand: the air aggregator has entries and some rack
    carries loss heat."""
    return loss is not None and loss.cooling is not None and loss.carries()


def _ai_weight(state: DayState) -> FloatArray:
    """(racks, 1) each rack's air heat per kW of IT times its served design kW with the density factor:
    the ``ai`` racks' part of the pairs' air heat (``loss_pairs``)."""
    assert state.loss is not None
    return np.asarray(state.loss.weight[:, None] * _served_coefficient(state), dtype=np.float64)


def rack_loss_heat(state: DayState) -> FloatArray:
    """(racks, hours) the halls' indoor losses riding on each rack's air heat (zeros without losses),
    made when asked for (the single failures' hours): a share move sums them by pair only."""
    if state.loss is None:
        return np.zeros_like(state.rack_it)
    return _rack_loss_heat(state.loss, state.rack_it)


def _served_coefficient(state: DayState) -> FloatArray:
    """(racks, 1) design kW with the density factor (``RackTable.coefficient_kw``), 0 for a rack not
    served: an ``ai`` rack's IT row is this times the ``ai`` utilisation row.

    Kept in ``state.coefficient``: ``_split_sums`` takes it again (``_take_coefficient``) after every
    change of the state's racks, before anything reads it."""
    return state.coefficient if state.coefficient is not None else _take_coefficient(state, None)


def served_coefficient(state: DayState) -> FloatArray:
    """(racks,) ``_served_coefficient``: what ``loads.it_layers_kw`` weighs the racks' classes by."""
    return _served_coefficient(state)[:, 0]


def _take_coefficient(state: DayState, racks: IntArray | None) -> FloatArray:
    """``_served_coefficient`` worked out again at ``racks`` (None: all), those being every rack whose
    design kW, class or density moved (``update_day``); each row is the same element-wise product
    whichever rows are taken."""
    kept = state.coefficient
    if racks is None or kept is None or kept.shape[0] != state.design_kw.size:
        coefficient = np.where(state.workload == AI_INDEX, state.design_kw * state.density, state.design_kw)
        if state.rack_it is not state.demand_it:
            coefficient = coefficient * state.served
        state.coefficient = kept = np.asarray(coefficient[:, None], dtype=np.float64)
    elif racks.size:
        design = state.design_kw[racks]
        coefficient = np.where(state.workload[racks] == AI_INDEX, design * state.density, design)
        if state.rack_it is not state.demand_it:
            coefficient = coefficient * state.served[racks]
        kept[racks, 0] = coefficient
    return kept


def _cut(state: DayState, table: RackTable) -> ClassSplit:
    """The parts of ``state``'s aggregators and totals for the racks' classes now (sums not yet taken)."""
    compiled: Compiled = state.compiled  # type: ignore[assignment]
    ai = np.asarray(table.workload == AI_INDEX)
    other = ~ai
    parts = tuple(tuple((cut_columns(a, other), cut_columns(a, ai)) for a in aggregators if a is not None)
                  for aggregators in state.aggregators)
    hours = state.rack_it.shape[1]
    nodes = (compiled.power.n_nodes, compiled.cooling.n_nodes)
    fraction = table.liquid_fraction
    return ClassSplit(ai, parts, (np.zeros((nodes[0], hours)), np.zeros((nodes[1], hours))),
                      (np.zeros(nodes[0]), np.zeros(nodes[1])),
                      np.vstack([other.astype(np.float64), fraction * other]),
                      np.vstack([ai.astype(np.float64), fraction * ai]), np.zeros((2, hours)), np.zeros(2),
                      (_first_row(parts[0], nodes[0]), _first_row(parts[1], nodes[1])))


def _first_row(parts: tuple[tuple[sp.csr_matrix, sp.csr_matrix], ...], n_nodes: int) -> int:
    """The first row with an entry in any of ``parts`` (``n_nodes`` when none has one)."""
    firsts = [int(np.argmax(m.indptr[1:] > 0)) for pair in parts for m in pair if m.nnz]
    return min(firsts, default=n_nodes)


TOTAL_BLOCK = 1024
"""Racks per block of the day's IT and liquid heat totals (``_split_sums``)."""


def _split_sums(state: DayState, rows: tuple[IntArray, IntArray] | None, fixed: bool,
                racks: IntArray | None = None) -> None:
    """Take ``state.split``'s sums again: the ``ai`` racks' design kW always, the other racks' demand
    and totals when ``fixed``; at the consumer ``rows`` of each network, or all (None).

    The totals are summed by blocks of ``TOTAL_BLOCK`` racks, then the blocks' sums added (the same
    way in a cold evaluation); only the blocks of ``racks`` (the racks whose rows changed; None:
    every block) are summed again."""
    split = state.split
    assert split is not None
    coefficient = _take_coefficient(state, racks if rows is not None else None)
    rack_it = state.rack_it
    for n, parts in enumerate(split.parts):
        if rows is None:
            if fixed:
                out = split.fixed[n]
                out.fill(0.0)
                for other, _ai in parts:
                    out += other @ rack_it
            kw = np.zeros((split.ai_kw[n].size, 1))
            for _other, ai in parts:
                kw += ai @ coefficient
            split.ai_kw[n][:] = kw[:, 0]
        else:
            at = rows[n]
            if fixed:
                split.fixed[n][at] = demand_rows(tuple(other for other, _ai in parts), at, rack_it)
            split.ai_kw[n][at] = demand_rows(tuple(ai for _other, ai in parts), at, coefficient)[:, 0]
    _block_totals(split, rack_it, coefficient, fixed, None if rows is None else racks)


def _block_totals(split: ClassSplit, rack_it: FloatArray, coefficient: FloatArray, fixed: bool,
                  racks: IntArray | None) -> None:
    """``split.it_fixed`` (when ``fixed``) and ``split.it_ai_kw``: each block of racks' products, then
    the blocks added in order, redoing only the blocks of ``racks`` (None: all). A block's product is
    the same sum whichever other blocks are redone, so an edit gives a cold evaluation's bits."""
    n_racks = rack_it.shape[0]
    n_blocks = max(1, -(-n_racks // TOTAL_BLOCK))
    if split.block_fixed is None or split.block_ai is None or split.block_ai.shape[0] != n_blocks:
        split.block_fixed = np.zeros((n_blocks, 2, rack_it.shape[1]))
        split.block_ai = np.zeros((n_blocks, 2))
        racks, fixed_all = None, True
    else:
        fixed_all = fixed
    blocks = range(n_blocks) if racks is None else np.unique(racks // TOTAL_BLOCK).tolist()
    for b in blocks:
        start, end = b * TOTAL_BLOCK, min((b + 1) * TOTAL_BLOCK, n_racks)
        if fixed_all:
            split.block_fixed[b] = split.totals[:, start:end] @ rack_it[start:end]
        split.block_ai[b] = split.ai_totals[:, start:end] @ coefficient[start:end, 0]
    if fixed_all:
        np.sum(split.block_fixed, axis=0, out=split.it_fixed)
    np.sum(split.block_ai, axis=0, out=split.it_ai_kw)


def _assemble(state: DayState, n: int, out: FloatArray, rows: IntArray | None) -> None:
    """Network ``n``'s racks' demand ``fixed + ai_kw x u`` into ``out`` (at ``rows``, or all)."""
    split = state.split
    assert split is not None
    ai_row = state.utilisation[AI_INDEX]
    if rows is None:  # the rows before ``first`` hold no rack: 0 + 0 x u, as the buffers were made
        first = split.first[n]
        np.multiply(split.ai_kw[n][first:, None], ai_row[None, :], out=out[first:])
        np.add(split.fixed[n][first:], out[first:], out=out[first:])
    else:
        out[rows] = split.fixed[n][rows] + split.ai_kw[n][rows, None] * ai_row[None, :]


def _ensure_split(state: DayState, table: RackTable) -> bool:
    """Cut ``state``'s sums anew when a rack changed class to or from ``ai`` (or none are cut yet) and
    take them all; True when it did."""
    ai = table.workload == AI_INDEX
    if state.split is not None and np.array_equal(state.split.ai, ai):
        return False
    state.split = _cut(state, table)
    _split_sums(state, None, True)
    return True


def day_totals(state: DayState) -> tuple[FloatArray, FloatArray]:
    """(hours,) IT and liquid heat of all the racks: the other racks' sums plus the ``ai`` racks' design
    kW times the ``ai`` utilisation row (``ClassSplit``)."""
    split = state.split
    assert split is not None
    ai_row = state.utilisation[AI_INDEX]
    return (split.it_fixed[0] + split.it_ai_kw[0] * ai_row, split.it_fixed[1] + split.it_ai_kw[1] * ai_row)


DENSE_SHARE = 0.2
"""An update of more than this share of the racks redoes every row, in place (``fill_networks``): the
rows it reaches are nearly all anyway (a share change moves every ``ai`` rack), and picking them costs
more than it saves."""


def full_day(compiled: Compiled, table: RackTable, utilisation: FloatArray, density: float, served: BoolArray,
             aggregators: tuple[tuple[Any, ...], tuple[Any, ...]], halls: HallIndex,
             ) -> tuple[DayState, dict[str, float]]:
    """A cold evaluation of the racks' loads, both roll-ups and the halls' loss heat, kept for updates.

    The fed arrays are the racks-only ones (``refresh_fed`` puts the units' load on them in place).
    """
    power, cooling = compiled.power, compiled.cooling
    shape = (len(table.ids), utilisation.shape[1])
    demand_it = np.empty(shape)
    np.multiply(table.coefficient_kw(density)[:, None], utilisation[table.workload], out=demand_it)  # rack_it_kw
    rack_it = demand_it if served.all() else demand_it * served[:, None]
    power_demand = np.zeros((power.n_nodes, shape[1]))  # zeros: ``_assemble`` writes the consumers' rows
    power_flow = Flow(np.empty_like(power_demand), np.zeros_like(power_demand))
    cooling_base = np.zeros((cooling.n_nodes, shape[1]))
    cooling_flow = Flow(np.empty_like(cooling_base), np.zeros_like(cooling_base))
    fed = compiled.feeds is not None and compiled.feed_plan is not None
    loss = None
    if halls.loss_to_hall.nnz:
        loss = new_state(halls, (1.0 - table.liquid_fraction) * halls.air_cooled, cooling.rack_aggregators[1],
                         np.asarray(table.workload == AI_INDEX), shape[1])
    state = DayState(
        compiled=compiled, aggregators=aggregators, halls=halls, utilisation=utilisation.copy(), density=density,
        served=served.copy(), design_kw=table.design_kw.copy(), workload=table.workload.copy(),
        demand_it=demand_it, rack_it=rack_it, power_demand=power_demand, power_flow=power_flow,
        fed_demand=power_demand, fed_flow=power_flow, cooling_base=cooling_base,
        cooling_demand=np.empty_like(cooling_base), cooling_flow=cooling_flow, loss=loss, use_loss=False,
        plan_rows=plan_rows(compiled.feed_plan) if fed else _NO_ROWS)
    unassigned = fill_networks(state, table, None)
    return state, unassigned


def fill_networks(state: DayState, table: RackTable, racks: IntArray | None, kw_moved: bool = True) -> dict[str, float]:
    """Every array of ``state`` after the racks' IT worked out again from ``state.rack_it``, in place:
    the consumers' demand, both roll-ups, the halls' loss heat and the cooling demand, each step as
    ``flow.consumer_demand_with``, ``flow.roll_up`` and ``air_side.hall_loss_heat`` take it (``racks``:
    only those racks' IT moved, None: any; ``kw_moved`` False: none of them changed design kW, class or
    density factor, only utilisation: the ``ai`` racks' design kW sums stand). The fed arrays are left to
    ``refresh_fed``. Returns the unassigned losses per hall."""
    compiled: Compiled = state.compiled  # type: ignore[assignment]
    power, cooling = compiled.power, compiled.cooling
    rack_it = state.rack_it
    if not _ensure_split(state, table):
        assert state.split is not None
        fixed = racks is None or bool((~state.split.ai[racks]).any())
        if fixed or kw_moved:  # else only the share's row moved: the sums stand
            _split_sums(state, None, fixed)
    _assemble(state, 0, state.power_demand, None)
    roll_up_into(power, state.power_demand, compiled.power_weights, state.power_flow)
    unassigned: dict[str, float] = {}
    loss = state.loss
    if loss is not None:
        stage_loss_kw = state.power_flow.loss_kw[:power.n_components]
        unassigned = loss_fill(loss, state.halls, cooling.rack_aggregators[1], stage_loss_kw, rack_it,
                               np.asarray(state.workload == AI_INDEX),
                               _ai_weight(state) if kw_moved or racks is None else None,
                               state.utilisation[AI_INDEX], racks)
    state.use_loss = use_loss = _uses_loss(loss)
    _assemble(state, 1, state.cooling_base, None)
    if use_loss:
        assert loss is not None and loss.cooling is not None
        add_rows(loss.cooling, state.cooling_base, state.cooling_demand)
    else:
        np.copyto(state.cooling_demand, state.cooling_base)
    roll_up_into(cooling, state.cooling_demand, compiled.cooling_weights, state.cooling_flow)
    return unassigned


def update_day(state: DayState, table: RackTable, racks: IntArray,
               fed_racks: IntArray | None = None) -> tuple[IntArray, dict[str, float]]:
    """Bring ``state`` to ``table`` in place, when only the rows ``racks`` (``DayState.changed_racks``)
    differ; ``fed_racks`` of them (default all) changed their design kW or class, not just their
    utilisation. Returns the power rows rewritten (for ``refresh_fed``) and the unassigned losses per hall."""
    compiled: Compiled = state.compiled  # type: ignore[assignment]
    power, cooling, halls = compiled.power, compiled.cooling, state.halls
    dense = racks.size > DENSE_SHARE * state.rack_it.shape[0]
    unfeed(state, demand_only=dense)  # the rows below read the racks-only roll-up
    if racks.size:
        design = table.design_kw[racks]
        workload = table.workload[racks]
        coefficient = np.where(workload == AI_INDEX, design * state.density, design)
        # racks of one class (a share move's): that class's row broadcast, the same products as its copies
        rows = state.utilisation[workload[0]][None, :] if (workload == workload[0]).all() \
            else state.utilisation[workload]
        state.demand_it[racks] = coefficient[:, None] * rows
        if state.rack_it is not state.demand_it:
            state.rack_it[racks] = state.demand_it[racks] * state.served[racks, None]
        state.design_kw[racks] = design
        state.workload[racks] = workload
    rack_it = state.rack_it
    if dense:
        unassigned = fill_networks(state, table, racks, fed_racks is None or bool(fed_racks.size))
        state.note_scope_changes(racks, racks if fed_racks is None else fed_racks)
        return np.arange(power.n_nodes), unassigned
    changed = consumer_rows(power, racks)
    changed_cooling = consumer_rows(cooling, racks)
    _ensure_split(state, table)
    _split_sums(state, (changed, changed_cooling), True, racks)
    _assemble(state, 0, state.power_demand, changed)
    power_rows = roll_up_rows(power, state.power_demand, compiled.power_weights, state.power_flow, changed)
    loss_rows_moved: IntArray | None = _NO_ROWS
    unassigned = {}
    loss = state.loss
    if loss is not None:
        pc = power.n_components
        loss_rows_moved, unassigned = loss_rows(loss, halls, cooling.rack_aggregators[1], state.power_flow.loss_kw[:pc],
                                                rack_it, np.asarray(state.workload == AI_INDEX), _ai_weight(state),
                                                state.utilisation[AI_INDEX], racks, power_rows[power_rows < pc])
    use_loss = _uses_loss(loss)
    changed = changed_cooling
    _assemble(state, 1, state.cooling_base, changed)
    # the losses came onto (or left) the cooling demand, or the pairs were cut again: redo it whole
    if use_loss != state.use_loss or loss_rows_moved is None:
        state.use_loss = use_loss
        state.cooling_demand = state.cooling_base.copy()
        if use_loss:
            assert loss is not None and loss.cooling is not None
            add_rows(loss.cooling, state.cooling_base, state.cooling_demand)
        state.cooling_flow = roll_up(cooling, state.cooling_demand, compiled.cooling_weights)
    else:
        if use_loss:
            assert loss is not None and loss.cooling is not None
            changed = np.union1d(changed, loss_rows_moved)
            add_rows(loss.cooling, state.cooling_base, state.cooling_demand, changed)
        else:
            state.cooling_demand[changed] = state.cooling_base[changed]
        roll_up_rows(cooling, state.cooling_demand, compiled.cooling_weights, state.cooling_flow, changed)
    state.note_scope_changes(racks, racks if fed_racks is None else fed_racks)
    return power_rows, unassigned


def scope_day(state: DayState, scopes: Scopes, weighted: sp.csr_matrix) -> ScopeDay:
    """The scopes' sums of ``state``'s racks (``capacity.scope_sums``; ``weighted`` is the scope matrix
    weighted by liquid fraction; the IT and liquid heat in two parts, ``ScopeDay``), redoing only the
    scopes of the racks changed since the last call (all of them, in place, past a fifth of the racks;
    the other racks' part only when one of them changed)."""
    kept = state.scope_day
    racks = state.scope_racks
    loss = state.loss
    has_loss = loss is not None and loss.carries()
    rack_it = state.rack_it
    ai = np.asarray(state.workload == AI_INDEX)
    if kept is None or kept.scopes is not scopes or kept.weighted is not weighted or not np.array_equal(kept.ai, ai):
        parts = ((cut_columns(scopes.matrix, ~ai), cut_columns(scopes.matrix, ai)),
                 (cut_columns(weighted, ~ai), cut_columns(weighted, ai)))
        n, hours = scopes.matrix.shape[0], rack_it.shape[1]
        kept = ScopeDay(scopes, weighted, np.zeros((n, hours)), np.zeros((n, hours)), None, ai, parts,
                        (np.zeros((n, hours)), np.zeros((n, hours))), (np.zeros(n), np.zeros(n)))
        racks = None
    # the ``ai`` racks' design kW sums stand after share moves alone (no rack's design kW, class or
    # density factor moved): those are none of ``scope_kw_racks``
    kw_racks = None if racks is None else state.scope_kw_racks
    kw_moved = kw_racks is None or bool(kw_racks.size)
    coefficient = _served_coefficient(state) if kw_moved or (
        racks is not None and racks.size <= DENSE_SHARE * rack_it.shape[0]) else None
    ai_row = state.utilisation[AI_INDEX]
    if racks is None or racks.size > DENSE_SHARE * rack_it.shape[0]:
        fixed = racks is None or bool((~ai[racks]).any())
        for k, (other, part) in enumerate(kept.parts):
            if fixed:
                kept.fixed[k][...] = other @ rack_it
            if coefficient is not None:
                kept.ai_kw[k][:] = (part @ coefficient)[:, 0]
        for k, out in enumerate((kept.it, kept.liquid)):
            np.multiply(kept.ai_kw[k][:, None], ai_row[None, :], out=out)
            np.add(kept.fixed[k], out, out=out)
    else:
        # a scope with no ai rack keeps ``fixed + 0 x u``: the same bits at any share (u is finite)
        assert coefficient is not None
        rows = _scope_rows(scopes, racks)
        for k, (other, part) in enumerate(kept.parts):
            kept.fixed[k][rows] = product_rows(other, rows, rack_it)
            kept.ai_kw[k][rows] = product_rows(part, rows, coefficient)[:, 0]
        for k, out in enumerate((kept.it, kept.liquid)):
            out[rows] = kept.fixed[k][rows] + kept.ai_kw[k][rows, None] * ai_row[None, :]
    if not has_loss or loss is None:
        kept.loss = kept.loss_pairs = None
    else:
        # the loss heat by (scope, hall) pair (``loss_pairs``): the air heat of the racks changed since
        # the last call taken again, every pair's share of its hall's losses (which move with any rack)
        pairs = kept.loss_pairs
        air_heat: FloatArray | None = loss.air_heat
        at: IntArray | None = None
        if pairs is None:
            pairs = kept.loss_pairs = pair_sums(scopes.matrix, state.halls.rack_hall, len(state.halls.names), ai,
                                                rack_it.shape[1])
            if coefficient is None:  # new pairs: their ai part too
                coefficient = _served_coefficient(state)
        elif racks is not None and racks.size <= DENSE_SHARE * rack_it.shape[0]:
            at = pairs.pairs_of(racks)
        elif racks is not None and not (~ai[racks]).any():
            air_heat = None  # only ``ai`` racks moved: the other racks' part stands
        take_sums(pairs, air_heat, None if coefficient is None else loss.weight[:, None] * coefficient, ai_row, at)
        spread(pairs, loss.per_air)
        kept.loss = np.asarray(pairs.to_rows @ pairs.loss, dtype=np.float64)
    state.scope_day = kept
    state.scope_racks = state.scope_kw_racks = _NO_ROWS
    return kept


def _scope_rows(scopes: Scopes, racks: IntArray) -> IntArray:
    """The scopes (hall, pod) ``racks`` stand in: the rows of the scope matrix that read them."""
    if not racks.size:
        return _NO_ROWS
    member = scopes.membership[racks].ravel()
    return np.unique(member[member >= 0])


def _rating_weights(network: FlowNetwork, table: RackTable, coefficient: FloatArray,
                    medium_fraction: bool) -> tuple[FloatArray | None, ...]:
    """Each medium's rack weights of ``headroom.class_ratings`` (None for a medium with no rack)."""
    out: list[FloatArray | None] = []
    for m, aggregator in enumerate(network.rack_aggregators):
        weight = coefficient
        if medium_fraction:
            weight = coefficient * (table.liquid_fraction if m == _LIQUID_COLUMN else 1.0 - table.liquid_fraction)
        out.append(weight if aggregator.nnz else None)
    return tuple(out)


def fed_day(state: DayState, table: RackTable, density: float, shares: tuple[FloatArray, FloatArray]) -> FloatArray:
    """(power components + cooling components,) nameplate each component feeds, as
    ``headroom.nameplate_fed_kw`` of ``headroom.class_ratings`` gives it, redoing only the class
    ratings of the racks changed since the last call and the suppliers that feed those classes (the
    same sums in the same order: a bin of ``np.bincount`` adds its own edges in edge order)."""
    compiled: Compiled = state.compiled  # type: ignore[assignment]
    networks = (compiled.power, compiled.cooling)
    kept, racks = state.fed_day, state.fed_racks
    if kept is None or racks is None or any(a is not b for a, b in zip(kept.shares, shares, strict=True)):
        coefficient = table.coefficient_kw(density)
        weights = tuple(_rating_weights(n, table, coefficient, n is compiled.cooling) for n in networks)
        ratings = []
        for network, weight in zip(networks, weights, strict=True):
            out = np.zeros(network.n_nodes)
            for aggregator, w in zip(network.rack_aggregators, weight, strict=True):
                if w is not None:
                    out += aggregator @ w
            ratings.append(out)
        rating = tuple(np.where(np.arange(n.n_nodes) < n.n_components, n.capacity_kw, r)
                       for n, r in zip(networks, ratings, strict=True))
        fed = tuple(np.asarray(np.bincount(n.edge_source, weights=s * r[n.edge_target], minlength=n.n_nodes),
                               dtype=np.float64) for n, s, r in zip(networks, shares, rating, strict=True))
        kept = FedDay(shares, weights, tuple(ratings), rating, fed,
                      tuple(_edge_index(n.edge_target, n.n_nodes) for n in networks),
                      tuple(_edge_index(n.edge_source, n.n_nodes) for n in networks))
    elif racks.size:
        design = table.design_kw[racks]
        coefficient = np.where(table.is_ai[racks], design * density, design)
        for network, weight, ratings, rating, fed, share, into, out_of in zip(
                networks, kept.weights, kept.ratings, kept.rating, kept.fed, kept.shares, kept.by_target,
                kept.by_source, strict=True):
            for m, w in enumerate(weight):
                if w is not None:
                    if network is compiled.cooling:
                        fraction = table.liquid_fraction[racks]
                        w[racks] = coefficient * (fraction if m == _LIQUID_COLUMN else 1.0 - fraction)
                    else:
                        w[racks] = coefficient
            classes = consumer_rows(network, racks)
            if not classes.size:
                continue
            out = np.zeros(classes.size)
            for aggregator, w in zip(network.rack_aggregators, weight, strict=True):
                if w is not None:
                    out += product_rows(aggregator, classes, w[:, None])[:, 0]
            ratings[classes] = out
            rating[classes] = out  # class nodes are never components
            suppliers = np.unique(network.edge_source[_edges_of(into, classes)])
            edges, local = _edges_of(out_of, suppliers, local=True)
            # each supplier's edges in edge order, as the whole bincount adds them
            fed[suppliers] = np.bincount(local, weights=share[edges] * rating[network.edge_target[edges]],
                                         minlength=suppliers.size)
    state.fed_day = kept
    state.fed_racks = _NO_ROWS
    return np.concatenate([f[:n.n_components] for f, n in zip(kept.fed, networks, strict=True)])


def _edge_index(ends: IntArray, n_nodes: int) -> tuple[IntArray, IntArray]:
    """(indptr, edges): the edges of each node (at ``ends``: the edges' targets or sources), each
    node's in edge order."""
    edges = np.argsort(ends, kind="stable")
    indptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(ends, minlength=n_nodes), out=indptr[1:])
    return indptr, edges


@overload
def _edges_of(index: tuple[IntArray, IntArray], nodes: IntArray) -> IntArray: ...


@overload
def _edges_of(index: tuple[IntArray, IntArray], nodes: IntArray, local: bool) -> tuple[IntArray, IntArray]: ...


def _edges_of(index: tuple[IntArray, IntArray], nodes: IntArray,
              local: bool = False) -> IntArray | tuple[IntArray, IntArray]:
    """The edges of ``nodes`` (``_edge_index``), node by node, each node's in edge order; with
    ``local``, also the position in ``nodes`` of each edge's node."""
    indptr, edges = index
    starts = indptr[nodes]
    counts = indptr[nodes + 1] - starts
    ends = np.cumsum(counts)
    positions = np.repeat(starts - (ends - counts), counts) + np.arange(int(ends[-1]) if ends.size else 0)
    if not local:
        return edges[positions]
    return edges[positions], np.repeat(np.arange(nodes.size), counts)


_NOT_THE_DAYS = frozenset({"compiled", "aggregators", "halls", "scopes", "weighted"})
"""Fields of a day's parts that are the compiled networks' (they stay when the day goes)."""

_DAY_PARTS = (DayState, ScopeDay, FedDay, ClassSplit, HallLossState, PairSums, Flow, RackService)


def day_nbytes(state: DayState) -> int:
    """The bytes of the arrays ``state`` holds of its own (``held_bytes.held_nbytes``; not the compiled
    networks'): what letting the day go frees, unless a twin or a result still reads some of it."""
    return held_nbytes(state, _DAY_PARTS, _NOT_THE_DAYS)
