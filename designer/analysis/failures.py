"""Single failures: every component of a network failed in turn, all cases batched in numpy.

Case ``f`` fails component ``f``. Only its *region* can change: ``D(f)``, the nodes downstream of
``f`` (they may lose a supplier), plus every ancestor of those (they may receive the moved load).
The region is closed under "supplier of", and every consumer outside it keeps its base load and
base sharing, so a case is exact when solved on its region with the base flow from outside
consumers added as a constant.

All regions are laid side by side in one *expanded* network (one node per (case, node) pair,
a few dozen per case in a campus instead of the whole network), and solved together:

* liveness top-down by depth: a node lives when it has not failed, was live with nothing failed,
  and is a source or has a live supplier (boolean propagation; ``flow.liveness``);
* each consumer's demand re-shared among its live suppliers (``flow.py`` sharing rule);
* one roll-up, level by level, with the stage losses.

The expanded network and its shares depend on topology only and are cached with the compiled
network; an evaluation after a load change is a handful of vector operations.

A power failure can also stop cooling units fed from the chain; those cases fail *sets* of cooling
units at once (``evaluate_failed_sets``, on the whole cooling network, one column per distinct set).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from designer.analysis.cancel import checkpoint
from designer.analysis.flow import FlowNetwork, sharing
from designer.analysis.loads import BoolArray, FloatArray, IntArray

OVERLOAD_TOLERANCE = 1e-6
"""Utilisation above ``1 + tolerance`` counts as over capacity (exactly 100 % is at the limit, not over)."""


@dataclass(frozen=True, slots=True)
class FailureStructure:
    """Topology-only part of the single-failure analysis of one network (the expanded network)."""

    case: IntArray
    """(x,) failed component of each expanded node."""
    node: IntArray
    """(x,) original node of each expanded node."""
    alive: BoolArray
    """(x,) the node still has supply in its case (and is not the failed one)."""
    served: BoolArray
    """(x,) the node has at least one live supplier, or is a source."""
    edge: IntArray
    """(xe,) original edge of each expanded edge (its consumer is inside the case's region)."""
    edge_supplier: IntArray
    """(xe,) expanded node of the edge's supplier."""
    levels: tuple[tuple[IntArray, IntArray, sp.csr_matrix], ...]
    """By height: (expanded nodes, their distinct expanded suppliers, shares matrix suppliers x nodes)."""
    edge_consumer: IntArray
    """(xe,) original node of the edge's consumer (``network.edge_target[edge]``)."""
    level_fixed: tuple[FloatArray, ...]
    """Per level: the fixed loss kW of its nodes, zero where not alive (the proportional and square
    terms are taken from the network at each evaluation: two more such arrays were ~9 MB at 50k racks)."""
    level_terms: tuple[tuple[bool, bool], ...]
    """Per level: whether any of its nodes has a proportional, a square loss term. A term that no node has
    is not added: with loads finite and never below +0 it adds exactly +0.0, which leaves every sum as it
    is (as ``flow.stage_loss_into`` skips it)."""
    components: IntArray
    """Expanded nodes that are components (the rest are consumer classes), in order."""
    dead_consumers: IntArray
    """Expanded consumer classes left without supply in their case that were live before, in order."""
    memo: dict[str, Any] = field(default_factory=dict, compare=False)
    # the index arrays (case .. edge_consumer, components, dead_consumers, the levels' rows and suppliers) are
    # kept as int32 (``_INDEX``): at 50k racks int64 made them ~45 MB of the ~77 MB both structures keep;
    # ``evaluate_failures`` indexes with them as they are, a block at a time
    """What follows the topology only, kept for the next pass: the maintenance pairs (``"pairs"``, see
    ``maintenance``). ``evaluate_failures`` keeps nothing here: it takes the base shares at each expanded
    edge a block of edges at a time (kept whole, they were 9 MB at 50k racks held through the pass)."""


def _reachability(network: FlowNetwork) -> sp.csr_matrix:
    """(n_nodes, n_nodes) boolean: row ``n`` marks ``n`` and everything downstream of it."""
    n = network.n_nodes
    adjacency = sp.csr_matrix((np.ones(network.n_edges), (network.edge_source, network.edge_target)), shape=(n, n))
    adjacency.data[:] = 1.0
    reach = sp.identity(n, format="csr")
    for _ in range(len(network.up_levels) + 1):
        grown = reach + adjacency @ reach
        grown.data[:] = 1.0
        if grown.nnz == reach.nnz:
            return sp.csr_matrix(grown)
        reach = sp.csr_matrix(grown)
    return sp.csr_matrix(reach)


def failure_structure(network: FlowNetwork) -> FailureStructure:
    """Build the expanded network of all single-failure cases of ``network``."""
    n_nodes, n_comp = network.n_nodes, network.n_components
    reach = _reachability(network)
    downstream = reach[:n_comp]
    # region(f) = ancestors-or-self of anything downstream of f
    region = sp.csr_matrix(downstream @ reach.T)
    region.sort_indices()
    case = np.repeat(np.arange(n_comp), np.diff(region.indptr))
    node = region.indices.astype(np.int64)
    n_x = node.size
    key = case * n_nodes + node  # sorted: CSR rows in order, columns sorted
    failed = node == case

    # expanded edges: every edge whose consumer is in the case's region (its supplier is then too)
    order = np.argsort(network.edge_target, kind="stable")
    per_target = np.bincount(network.edge_target, minlength=n_nodes)
    starts = np.concatenate([[0], np.cumsum(per_target)])
    counts = per_target[node]
    x_consumer = np.repeat(np.arange(n_x), counts)
    offsets = np.arange(x_consumer.size) - np.repeat(np.cumsum(counts) - counts, counts)
    edge = order[starts[node[x_consumer]] + offsets]
    supplier_key = case[x_consumer] * n_nodes + network.edge_source[edge]
    edge_supplier = np.searchsorted(key, supplier_key)
    # the temporaries go as soon as they are used: at 50k racks each of these is an (expanded edges,) or
    # (expanded nodes,) int64 array of 3-6 MB, and a dozen of them alive at once set this build's peak
    del key, supplier_key, offsets, counts, order, starts, per_target
    # narrowed as soon as no int64 product needs them: a few (expanded edges,) arrays alive at once (~6 MB each
    # in int64 at 50k racks) set this build's peak; each wide original goes before the next is narrowed
    edge_supplier = _narrow(edge_supplier)
    edge = _narrow(edge)
    case = _narrow(case)
    node = _narrow(node)

    # liveness, top-down: alive = not failed and (root or any live supplier)
    depth_of = np.zeros(n_nodes, dtype=np.int64)
    for d, (nodes, _) in enumerate(network.down_levels, start=1):
        depth_of[nodes] = d
    x_depth = depth_of[node]
    # a case can only remove supply: start from the base liveness (dead roots that are not sources stay dead)
    alive = ~failed & network.live[node]
    source = network.is_source[node]
    supplies = sp.csr_matrix((np.ones(edge.size), (x_consumer, edge_supplier)), shape=(n_x, n_x))
    for d in range(1, len(network.down_levels) + 1):
        rows = np.flatnonzero(x_depth == d)
        if rows.size:
            live_suppliers = supplies[rows] @ alive.astype(np.float64)
            alive[rows] &= (live_suppliers > 0) | source[rows]
    del supplies, x_depth, depth_of

    # shares by the sharing rule, per (case, consumer, feed group)
    live_edge = alive[edge_supplier]
    group_key = x_consumer * max(1, network.group_consumer.size) + network.edge_group[edge]
    x_consumer = _narrow(x_consumer)  # int64 for the key's product only
    _, group_index = np.unique(group_key, return_inverse=True)
    del group_key
    group_index = group_index.ravel()
    shares, live_groups = sharing(live_edge, network.edge_standby[edge], group_index, x_consumer,
                                  int(group_index.max(initial=-1)) + 1, n_x)
    served = (live_groups > 0) | source
    del live_edge, group_index, live_groups

    height_of = np.zeros(n_nodes, dtype=np.int32)
    for h, level in enumerate(network.up_levels):
        height_of[level.nodes] = h
    x_height = height_of[node]
    levels = []
    for h in range(len(network.up_levels)):
        rows = np.flatnonzero(x_height == h)
        local = np.full(n_x, -1, dtype=np.int32)
        local[rows] = np.arange(rows.size)
        in_level = np.flatnonzero(x_height[x_consumer] == h)
        suppliers, supplier_rows = np.unique(edge_supplier[in_level], return_inverse=True)
        matrix = sp.csr_matrix((shares[in_level], (supplier_rows.ravel(), local[x_consumer[in_level]])),
                               shape=(suppliers.size, rows.size))
        levels.append((_narrow(rows), _narrow(suppliers), matrix))
    del x_height, height_of, x_consumer, shares
    fixed = network.fixed_loss_kw[node] * alive
    level_fixed = tuple(fixed[rows] for rows, _, _ in levels)
    level_terms = tuple((bool(np.any(network.proportional_loss[node[rows]])),
                         bool(np.any(network.square_loss_per_kw[node[rows]]))) for rows, _, _ in levels)
    del fixed
    component = node < n_comp
    components = _narrow(np.flatnonzero(component))
    dead = _narrow(np.flatnonzero((~component) & (~served) & network.live[node]))
    del component
    edge_consumer = _narrow(network.edge_target[edge])
    return FailureStructure(case, node, alive, served, edge, edge_supplier, tuple(levels), edge_consumer,
                            level_fixed, level_terms, components, dead)


@dataclass(frozen=True, slots=True)
class NetworkFailures:
    """Outcome of every single failure of one network over one or more load states (hours).

    Cases are the components in ``network.component_ids`` order; pairs list (case, node).
    """

    worst_utilization: FloatArray
    """(components,) highest utilisation in normal running or any failure of *another* component,
    over every hour given."""
    worst_hour: IntArray
    """(components,) column (hour) of ``worst_utilization``."""
    worst_case: IntArray
    """(components,) the failed component that gives ``worst_utilization`` (-1: normal running)."""
    lost_case: IntArray
    lost_node: IntArray
    """Consumer nodes (rack classes) that lost all the supply they needed, per case."""
    overloaded_case: IntArray
    overloaded_node: IntArray
    """Live components pushed over capacity in a case (at some hour) that were not over it at that hour before."""
    overloaded_hour: IntArray
    """The first hour at which each overloaded pair is over."""
    region_case: IntArray
    region_node: IntArray
    region_utilization: FloatArray
    """Highest utilisation over the hours of each component inside each case's region (outside it:
    the base value)."""
    region_columns: FloatArray
    """(region pairs, columns) the same utilisation in every column (hour or load state)."""


_INDEX = np.int32
"""Dtype of a failure structure's index arrays (expanded nodes and edges number far below 2**31)."""


def _narrow(a: IntArray) -> IntArray:
    """``a`` as ``_INDEX`` (values checked to fit)."""
    if a.size and (int(a.max()) > np.iinfo(_INDEX).max or int(a.min()) < np.iinfo(_INDEX).min):
        raise OverflowError("failure structure too large for int32 indices")
    return a.astype(_INDEX)


_COMPARE_ROWS = 8192
"""Rows ``_distinct_rows_of`` checks against their group's first row at a time."""


def _distinct_rows_of(rows: FloatArray) -> FloatArray:
    """The rows of ``rows`` with bitwise repeats dropped, in no particular order (for tests that
    only ask whether some row has a property). Rows are grouped by a 64-bit hash of their bits and
    checked against their group's first row; a row that differs from it (a hash collision) is kept."""
    n = rows.shape[0]
    if n <= 1 or not rows.shape[1]:
        return rows
    bits = np.ascontiguousarray(rows).view(np.int64).reshape(n, -1)
    weights = np.random.default_rng(0x5EED).integers(1, np.iinfo(np.int64).max, size=bits.shape[1]) | 1
    with np.errstate(over="ignore"):
        hashes = bits @ weights  # wraps around: a hash, not a sum
    _, first, group = np.unique(hashes, return_index=True, return_inverse=True)
    leader = first[group.reshape(-1)]
    # compared a block of rows at a time: a whole (rows, hours) copy of the leaders was 9.6 MB at 50k racks
    same = np.empty(n, dtype=bool)
    for start in range(0, n, _COMPARE_ROWS):
        stop = min(start + _COMPARE_ROWS, n)
        same[start:stop] = np.all(bits[start:stop] == bits[leader[start:stop]], axis=1)
    keep = np.union1d(first, np.flatnonzero(~same))
    return rows[keep]


def undominated_hours(demand: FloatArray) -> IntArray:
    """Columns of ``demand`` (nodes, hours) not dominated by another: no other hour has at least as
    much demand on every node (and more on one, or the same and an earlier index).

    Loads, losses and so utilisations rise with demand on every node (fixed shares, losses with
    non-negative terms), so every case's worst hour is among these; the rest need not be solved.
    """
    n_hours = demand.shape[1]
    if n_hours <= 1:
        return np.arange(n_hours)
    # equal rows have equal shapes: shape each distinct row once (racks of a kind in a hall repeat)
    demand = _distinct_rows_of(np.asarray(demand, dtype=np.float64))
    # dominance does not change when a row is scaled: compare each distinct row shape once
    top = demand.max(axis=1)
    shapes = np.ascontiguousarray(np.round(demand[top > 0] / top[top > 0, None], 12))
    keys = shapes.view(np.dtype((np.void, shapes.itemsize * n_hours))).reshape(-1)
    rows = shapes[np.unique(keys, return_index=True)[1]] if keys.size else np.zeros((0, n_hours))
    at_least = np.all(rows[:, :, None] >= rows[:, None, :], axis=0)  # [g, h]: hour g >= hour h everywhere
    more = np.any(rows[:, :, None] > rows[:, None, :], axis=0)
    earlier = np.arange(n_hours)[:, None] < np.arange(n_hours)[None, :]
    np.fill_diagonal(at_least, False)
    dominated = np.any(at_least & (more | earlier), axis=0)
    return np.flatnonzero(~dominated)


def evaluate_failures(
    network: FlowNetwork,
    structure: FailureStructure,
    demand: FloatArray,
    base_through: FloatArray,
    base_passed: FloatArray,
    base_shares: FloatArray,
    needs_supply: BoolArray,
) -> NetworkFailures:
    """Every single failure at one or more load states, all solved together.

    ``demand``, ``base_through`` and ``base_passed`` are (n_nodes,) or (n_nodes, hours) with nothing
    failed; ``needs_supply`` marks consumer nodes whose loss counts (e.g. a liquid class with heat).
    Liveness and sharing are topological: only the loads differ between the columns.

    The columns are independent (every operation is element by element, or a sum along the nodes of
    one column): they are solved one at a time, so the working arrays are (expanded nodes,) and only
    the components' utilisation is (hours, cases). Each column gets the same bits as when the columns
    were solved side by side (``tests/analysis/test_failures_blocks.py``).
    """
    checkpoint()  # a stale idle pass stops here (``cancel``)
    s = structure
    n_comp = network.n_components
    n_hours = 1 if np.ndim(demand) == 1 else int(np.shape(demand)[1])
    demand, base_through, base_passed = (np.asarray(a, dtype=np.float64).reshape(a.shape[0], n_hours)
                                         for a in (demand, base_through, base_passed))
    # utilisation, overloads and peaks concern the components only (consumer classes have no rating); they are
    # worked out a block of pairs at a time, their indices int32 (numpy takes them as they are) until the int64
    # results are made at the end
    comp = s.components
    n_pairs = comp.size
    base_capacity = np.where(network.capacity_kw > 0, network.capacity_kw, 1.0)
    base_util = np.where((network.capacity_kw > 0)[:, None], base_through / base_capacity[:, None], 0.0)
    limit = 1.0 + OVERLOAD_TOLERANCE
    base_within = base_util <= limit
    util = np.empty((n_hours, n_pairs))
    over_hours = np.empty((n_hours, n_pairs), dtype=bool)
    for h in range(n_hours):
        through = _region_through(network, s, np.ascontiguousarray(demand[:, h]),
                                  np.ascontiguousarray(base_through[:, h]), np.ascontiguousarray(base_passed[:, h]),
                                  base_shares)
        for start in range(0, n_pairs, BLOCK):
            at = comp[start:start + BLOCK]
            at_node = s.node[at]
            capacity = network.capacity_kw[at_node]
            rated = capacity > 0
            row = util[h, start:start + BLOCK]
            np.take(through, at, out=row)
            row /= np.where(rated, capacity, 1.0)
            row[~rated] = 0.0  # as np.where(rated, ratio, 0.0), without a second array
            row *= s.alive[at]
            over_at = over_hours[h, start:start + BLOCK]
            np.greater(row, limit, out=over_at)
            over_at &= base_within[at_node, h]
        del through  # (expanded nodes,): done with before the next column's
    del base_within
    over = over_hours.any(axis=0)
    checkpoint()
    lost = s.dead_consumers[needs_supply[s.node[s.dead_consumers]]]
    # each pair's highest over the columns and its first column (``util.argmax``), a block of pairs at a time
    peak = np.empty(n_pairs)
    peak_hour = np.empty(n_pairs, dtype=np.int32)
    for start in range(0, n_pairs, BLOCK):
        block = util[:, start:start + BLOCK]
        first = block.argmax(axis=0)
        peak_hour[start:start + BLOCK] = first
        peak[start:start + BLOCK] = block[first, np.arange(block.shape[1])]
    # each component's worst: normal running at its own peak hour, then any other component's failure
    base_peak_hour = base_util[:n_comp].argmax(axis=1) if n_hours else np.zeros(n_comp, dtype=np.int64)
    worst = base_util[np.arange(n_comp), base_peak_hour] if n_hours else np.zeros(n_comp)
    worst_hour = base_peak_hour.astype(np.int64)
    worst_case = np.full(n_comp, -1, dtype=np.int64)
    chosen = _worst_cases(s, peak, worst, n_comp)
    at_node = s.node[comp[chosen]]
    worst[at_node] = peak[chosen]
    worst_hour[at_node] = peak_hour[chosen]
    worst_case[at_node] = s.case[comp[chosen]]
    node, case = s.node[comp].astype(np.int64), s.case[comp].astype(np.int64)
    return NetworkFailures(
        worst_utilization=worst,
        worst_hour=worst_hour,
        worst_case=worst_case,
        lost_case=s.case[lost].astype(np.int64),
        lost_node=s.node[lost].astype(np.int64),
        overloaded_case=case[over],
        overloaded_node=node[over],
        overloaded_hour=over_hours[:, over].argmax(axis=0).astype(np.int64),
        region_case=case,
        region_node=node,
        region_utilization=peak,
        region_columns=util.T,  # a view: a copy of the largest array kept here was only read
    )


def _worst_cases(s: FailureStructure, peak: FloatArray, worst: FloatArray, n_comp: int) -> IntArray:
    """The pairs (indices into ``s.components``) that set a component's worst: per component, its highest
    ``peak`` in another component's failure, the lowest failed component among equals, where above its
    ``worst`` in normal running (which wins a tie). A block of pairs at a time, in pair order, in three
    passes (the highest, then the lowest failed among those at it, then the choice)."""
    comp = s.components
    blocks = range(0, comp.size, BLOCK)

    def others(start: int) -> tuple[IntArray, IntArray, FloatArray, IntArray]:
        at = comp[start:start + BLOCK]
        node, case = s.node[at], s.case[at]
        other = np.flatnonzero(case != node)
        return node[other], case[other], peak[start:start + BLOCK][other], other

    highest = np.full(n_comp, -np.inf)
    for start in blocks:
        nodes, _, values, _ = others(start)
        np.maximum.at(highest, nodes, values)
    lowest = np.full(n_comp, np.iinfo(np.int64).max)
    for start in blocks:
        nodes, failed, values, _ = others(start)
        top = values == highest[nodes]
        np.minimum.at(lowest, nodes[top], failed[top])
    chosen = []
    for start in blocks:
        nodes, failed, values, other = others(start)
        top = values == highest[nodes]
        top &= failed == lowest[nodes]
        top &= values > worst[nodes]
        chosen.append(start + other[top])
    return np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.int64)


BLOCK = 65536
"""Expanded edges, then expanded nodes, ``_region_through`` takes at a time (an (edges,) array was 6.4 MB for
the cooling network at 50k racks)."""


def _region_through(network: FlowNetwork, s: FailureStructure, demand: FloatArray, base_through: FloatArray,
                    base_passed: FloatArray, base_shares: FloatArray) -> FloatArray:
    """(expanded nodes,) what each node of each case carries at one column (``evaluate_failures``): ``demand``,
    ``base_through`` and ``base_passed`` are that column's (n_nodes,)."""
    n_x = s.node.size
    # what each expanded node receives from the edges inside its case's region: the base flow of each edge
    # added into its supplier in edge order, a block of edges at a time (``np.add.at`` adds in index order,
    # as ``np.bincount`` does, from +0.0: the same sums to the bit)
    through = np.zeros(n_x)
    for start in range(0, s.edge.size, BLOCK):
        stop = start + BLOCK
        flow = base_passed[s.edge_consumer[start:stop]]
        flow *= base_shares[s.edge[start:stop]]
        np.add.at(through, s.edge_supplier[start:stop], flow)
        del flow
    # then, a block of nodes at a time and in place of what came from inside: own demand if served, plus what
    # passes through from outside the region, max(base through - own demand - inside, 0)
    for start in range(0, n_x, BLOCK):
        stop = start + BLOCK
        nodes = s.node[start:stop]
        own = demand[nodes]
        outside = base_through[nodes]
        outside -= own
        outside -= through[start:stop]
        np.maximum(outside, 0.0, out=outside)
        own *= s.served[start:stop]
        own += outside
        through[start:stop] = own
        del nodes, own, outside
    for (rows, suppliers, matrix), fixed, (has_proportional, has_square) in zip(s.levels, s.level_fixed,
                                                                                s.level_terms, strict=True):
        checkpoint()
        rows_node = s.node[rows]
        load = through[rows]
        # load + fixed + proportional * load + square * load * load, in that order, with fewer temporaries
        # (a term no node of the level has is left out: it would add +0.0, see ``level_terms``)
        passed = load + fixed
        if has_proportional:
            term = network.proportional_loss[rows_node] * load
            passed += term
            del term
        if has_square:
            term = network.square_loss_per_kw[rows_node] * load
            term *= load
            passed += term
            del term
        del rows_node, load
        if suppliers.size:
            # one column: ``matrix @ vector`` sums each row's entries in order from +0.0, as the columns of
            # ``matrix @ (rows, hours)`` do (``tests/analysis/test_failures_blocks.py``)
            through[suppliers] += matrix @ passed
    return through


@dataclass(frozen=True, slots=True)
class SetFailures:
    """Outcome of failing whole sets of components at once (one column per set), at one load state."""

    lost: BoolArray
    """(n_nodes, sets) consumer nodes that lost all the supply they needed."""
    overloaded: BoolArray
    """(components, sets) live components pushed over capacity that were not over it before."""
    utilization: FloatArray
    """(components, sets) utilisation, 0 for dead components."""


def evaluate_failed_sets(
    network: FlowNetwork,
    failed: BoolArray,
    demand: FloatArray,
    base_utilization: FloatArray,
    needs_supply: BoolArray,
) -> SetFailures:
    """Each column of ``failed`` (components, sets) failed together, on the whole network.

    For the few distinct sets of cooling units that single power failures switch off: the same
    liveness, sharing rule and roll-up as the single failures, solved for all sets side by side.
    ``demand`` is (n_nodes,) own demand at the load state, ``base_utilization`` (components,) with
    nothing failed.
    """
    n_comp, n_sets = network.n_components, failed.shape[1]
    alive = np.repeat(network.live[:, None], n_sets, axis=1)
    alive[:n_comp] &= ~failed
    for nodes, counts in network.down_levels:
        alive[nodes] &= ((counts @ alive.astype(np.float32)) > 0) | network.is_source[nodes, None]
    shares = np.zeros((network.n_edges, n_sets))
    served = np.zeros((network.n_nodes, n_sets), dtype=bool)
    n_groups = network.group_consumer.size
    for k in range(n_sets):
        shares[:, k], live_groups = sharing(alive[network.edge_source, k], network.edge_standby, network.edge_group,
                                            network.edge_target, n_groups, network.n_nodes)
        served[:, k] = (live_groups > 0) | network.is_source
    through = demand[:, None] * served
    passed = np.zeros_like(through)
    for level in network.up_levels:
        nodes = level.nodes
        load = through[nodes]
        passed[nodes] = (load + network.fixed_loss_kw[nodes, None] * alive[nodes]
                         + network.proportional_loss[nodes, None] * load
                         + network.square_loss_per_kw[nodes, None] * load * load)
        edges = level.edges
        if edges.size:
            np.add.at(through, network.edge_source[edges], shares[edges] * passed[network.edge_target[edges]])
    capacity = network.capacity_kw[:n_comp, None]
    rated = capacity > 0
    util = np.where(rated, through[:n_comp] / np.where(rated, capacity, 1.0), 0.0) * alive[:n_comp]
    limit = 1.0 + OVERLOAD_TOLERANCE
    component = np.arange(network.n_nodes) < n_comp
    lost = ~served & (needs_supply & ~component & network.live)[:, None]
    return SetFailures(lost, (util > limit) & (base_utilization <= limit)[:, None], util)


def induced_cooling_failures(
    power: FlowNetwork,
    cooling: FlowNetwork,
    unit_cooling_index: IntArray,
    power_outcome: NetworkFailures,
    cooling_demand: FloatArray,
    cooling_utilization: FloatArray,
    needs_cooling: BoolArray,
) -> tuple[dict[int, int], SetFailures] | None:
    """The cooling network with the units each single power failure leaves without supply failed.

    ``unit_cooling_index`` maps ``power.unit_ids`` to cooling components; ``cooling_demand``,
    ``cooling_utilization`` (components) and ``needs_cooling`` are at the hour analysed. Returns
    (power case -> column, the outcome of each distinct set of stopped units, one column each), or
    None when no single power failure stops a cooling unit. The electrical load of the stopped units
    is simply gone from the power case (the survivors' extra fan and pump power is not added:
    second order).
    """
    first_unit = power.n_components + power.n_classes
    is_unit = power_outcome.lost_node >= first_unit
    if not is_unit.any():
        return None
    by_case: dict[int, list[int]] = {}
    for case, node in zip(power_outcome.lost_case[is_unit].tolist(),
                          (power_outcome.lost_node[is_unit] - first_unit).tolist(), strict=True):
        by_case.setdefault(case, []).extend(unit_cooling_index[power.unit_classes[node]].tolist())
    columns: dict[tuple[int, ...], int] = {}
    case_column: dict[int, int] = {}
    for case, members in by_case.items():
        case_column[case] = columns.setdefault(tuple(sorted(members)), len(columns))
    failed = np.zeros((cooling.n_components, len(columns)), dtype=bool)
    for unit_set, column in columns.items():
        failed[list(unit_set), column] = True
    return case_column, evaluate_failed_sets(cooling, failed, cooling_demand, cooling_utilization, needs_cooling)
