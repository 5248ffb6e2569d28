"""Power and heat flows compiled to integer-indexed arrays and rolled up level by level.

A ``FlowNetwork`` is built once per topology. Its nodes are the components of one graph (power or
cooling) followed by *rack classes*: racks with identical supplier sets are merged into one consumer
node (one per medium for cooling), because they always share load the same way. That keeps the
arrays small (10,000 racks under 500 busway pairs give 500 consumer nodes) without changing a
single number.

Sharing rule (``sharing``). A consumer's demand is split among its *feed groups* (power: the A,
B and single cords in use; cooling: one group), equally among the live groups, then equally among
the live suppliers of each group. So a 2N rack puts half on its A and half on its B supplier; when
the whole A side is dead the B side carries all of it. Generators are standby: they carry a
group's share only when no other supplier of the group is live (utility lost, ATS transfers).

Liveness (``liveness``). Only sources originate supply (``originates``: utilities and generators;
heat rejection and self-contained cooling units; every cooling unit when the design has no heat
rejection at all, the plant the facility model assumes). A node is live when a path of live
suppliers reaches it from a source; a dead node carries nothing and has no losses.

Each node's *through* load is its own demand plus what its consumers pass up. A power stage adds its
losses ``a*R + b*P + c*P**2/R`` (``R`` = capacity_kw, ``P`` = through, divided by 3 for a UPS in eco
mode) and passes ``P + loss`` upstream. A cooling unit passes the heat it removes plus, optionally,
its own fan or pump power (``fan_kw_per_kw`` / ``pump_kw_per_kw`` times the heat), which its heat
rejection must also reject.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp

from designer.analysis.loads import BoolArray, FloatArray, IntArray
from designer.analysis.topology import (
    FEEDS,
    MEDIA,
    RACK_CODE,
    ROLE_CODE,
    ROLES,
    SELF_CONTAINED,
    STABLE,
    Topology,
    equal_rows,
    padded_rows,
    role_table,
    sorted_pairs,
    unique_counts,
    unique_inverse,
)
from designer.model.catalog import CatalogEntry
from designer.model.roles import (
    AIR_UNIT_ROLES,
    COOLING_UNIT_ROLES,
    HEAT_REJECTION_ROLES,
    LIQUID_UNIT_ROLES,
    SOURCE_ROLES,
)
from designer.model.types import (
    ConnectionKind,
    Role,
)

_IS_COOLING_UNIT = role_table(COOLING_UNIT_ROLES, default=0).astype(bool)


@dataclass(frozen=True, slots=True)
class Level:
    """Nodes at one height and the edges that leave them toward their suppliers."""

    nodes: IntArray
    edges: IntArray


@dataclass(frozen=True, slots=True)
class FlowNetwork:
    """One graph as arrays. Rows ``0 .. n_components-1`` are components, then rack classes, then (power
    only) classes of cooling units with a power feed (``unit_node``)."""

    kind: ConnectionKind
    component_ids: tuple[str, ...]
    roles: tuple[Role, ...]
    n_nodes: int
    capacity_kw: FloatArray
    fixed_loss_kw: FloatArray
    """``a * R`` per node."""
    proportional_loss: FloatArray
    """``b`` per node (power), or fan/pump kW per kW (cooling)."""
    square_loss_per_kw: FloatArray
    """``c / R`` per node."""
    indoor: BoolArray
    """Power: losses that heat the building (not utility/generator, unless parameters say otherwise)."""
    is_root: BoolArray
    """Nodes with no supplier: sources, heat rejection, or loose ends (the top of the level order)."""
    is_source: BoolArray
    """Nodes that originate supply (``originates``): power sources, heat rejection, self-contained units."""
    live: BoolArray
    """Nodes with a path from a live source when nothing has failed (``liveness``); dead nodes carry nothing."""
    edge_source: IntArray
    edge_target: IntArray
    edge_group: IntArray
    edge_standby: BoolArray
    """Edges from standby sources (generators): they carry load only when no other supplier of their
    feed group is live (the ATS transfers on loss of the utility)."""
    group_consumer: IntArray
    up_levels: tuple[Level, ...]
    """By height above the consumers, lowest first: process in order to roll loads up."""
    down_levels: tuple[tuple[IntArray, sp.csr_matrix], ...]
    """By depth below the roots, roots excluded: (nodes, supplier-count matrix (len(nodes), n_nodes))."""
    rack_node: IntArray
    """(racks, media) consumer node of each rack; -1 when the rack has no supplier of that kind/medium.

    Power has one column; cooling has two, liquid then air (``MEDIA``)."""
    class_racks: tuple[IntArray, ...]
    """Rack indices of each consumer node ``n_components + i``."""
    rack_aggregators: tuple[sp.csr_matrix, ...]
    """Per ``rack_node`` column: (n_nodes, racks) 1 where a rack belongs to a consumer node."""
    unit_ids: tuple[str, ...]
    """Power: the cooling units fed by the design (their ids in the cooling network); cooling: empty."""
    unit_node: IntArray
    """Node of each of ``unit_ids``: units with identical feeds share a consumer node, like racks."""
    unit_classes: tuple[IntArray, ...]
    """Unit indices (into ``unit_ids``) of each unit node ``n_components + n_classes + j``."""

    @property
    def n_classes(self) -> int:
        return len(self.class_racks)

    @property
    def n_components(self) -> int:
        return len(self.component_ids)

    @property
    def n_edges(self) -> int:
        return int(self.edge_source.size)

    def group_count(self) -> IntArray:
        """Number of feed groups of every node (0 for nodes with no supplier)."""
        counts = np.zeros(self.n_nodes, dtype=np.int64)
        np.add.at(counts, self.group_consumer, 1)
        return counts


def originates(entry: CatalogEntry, kind: ConnectionKind, assumed_plant: bool) -> bool:
    """Whether ``entry`` originates supply in the ``kind`` chain (the liveness rule's sources).

    Power: the source roles (utility, generator and any future on-site source). Cooling: heat
    rejection, and a unit marked ``self_contained`` in its catalog entry; when the design has no
    heat rejection at all (``assumed_plant``) every cooling unit is taken to reject into the plant
    the facility model assumes (a finding says so).
    """
    if kind is ConnectionKind.POWER:
        return entry.role in SOURCE_ROLES
    if entry.role in HEAT_REJECTION_ROLES or entry.parameters.get(SELF_CONTAINED) is True:
        return True
    return assumed_plant and entry.role in COOLING_UNIT_ROLES


def liveness(network: FlowNetwork, failed: BoolArray | None = None) -> BoolArray:
    """(n_nodes,) nodes with a path of live suppliers from a live source, ``failed`` (components) dead.

    Only sources originate: a root that is not a source is dead, and so is everything it alone supplies.
    Computed top-down by depth; ``network.live`` (nothing failed) bounds every case (failures only remove).
    """
    alive = network.live.copy()
    if failed is not None:
        alive[:network.n_components] &= ~failed
    root = np.ones(network.n_nodes, dtype=bool)
    for nodes, _ in network.down_levels:
        root[nodes] = False
    alive &= ~root | network.is_source
    for nodes, counts in network.down_levels:
        alive[nodes] &= ((counts @ alive.astype(np.float32)) > 0) | network.is_source[nodes]
    return alive


def with_liveness(network: FlowNetwork, failed: BoolArray | None = None) -> FlowNetwork:
    """``network`` with its base liveness set (``failed`` components, e.g. cooling units without
    live power, taken as dead); dead nodes lose their fixed losses (they are not energised)."""
    live = liveness(replace(network, live=np.ones(network.n_nodes, dtype=bool)), failed)
    return replace(network, live=live, fixed_loss_kw=np.where(live, network.fixed_loss_kw, 0.0))


def _loss_terms(entry: CatalogEntry, kind: ConnectionKind, include_aux_heat: bool) -> tuple[float, float, float]:
    """(a*R, b, c/R) for a component."""
    rating = entry.capacity_kw
    if kind is ConnectionKind.POWER:
        if entry.loss is None or rating <= 0:
            return 0.0, 0.0, 0.0
        divisor = 3.0 if entry.parameters.get("eco_mode") is True else 1.0
        return (entry.loss.fixed_fraction * rating / divisor, entry.loss.proportional_fraction / divisor,
                entry.loss.square_fraction / rating / divisor)
    if not include_aux_heat:
        return 0.0, 0.0, 0.0
    if entry.role in AIR_UNIT_ROLES:
        return 0.0, entry.number("fan_kw_per_kw", 0.0), 0.0
    if entry.role in LIQUID_UNIT_ROLES:
        return 0.0, entry.number("pump_kw_per_kw", 0.0), 0.0
    return 0.0, 0.0, 0.0


def _longest_from(start_is_zero: BoolArray, src: IntArray, dst: IntArray, n: int) -> IntArray:
    """Longest-path level of every node: 0 where ``start_is_zero``, else 1 + max over ``src -> dst`` predecessors."""
    level = np.zeros(n, dtype=np.int64)
    for _ in range(n + 1):
        new = np.zeros(n, dtype=np.int64)
        np.maximum.at(new, dst, level[src] + 1)
        new[start_is_zero] = 0
        if np.array_equal(new, level):
            return level
        level = new
    raise ValueError("flow network is not acyclic")


def compile_network(topology: Topology, kind: ConnectionKind, *, include_aux_heat: bool = True) -> FlowNetwork:
    """Arrays of one graph of ``topology`` (only its valid connections), built with whole-array steps."""
    power = kind is ConnectionKind.POWER
    graph = topology.power_index if power else topology.cooling_index
    edges = topology.power_edges if power else topology.cooling_edges
    n_media = 1 if power else len(MEDIA)
    is_rack = graph.role_codes == RACK_CODE
    is_unit = _IS_COOLING_UNIT[graph.role_codes] if power else np.zeros(len(graph.nodes), dtype=bool)
    comp_nodes = np.flatnonzero(~is_rack & ~is_unit)
    component_ids = tuple(graph.node_array[comp_nodes].tolist())
    n_comp = len(component_ids)
    position = np.full(len(graph.nodes), -1, dtype=np.int64)
    position[comp_nodes] = np.arange(n_comp)
    position[is_rack] = np.arange(int(is_rack.sum()))  # racks: index into topology.rack_ids
    group_key = edges.feed if power else np.zeros(edges.source.size, dtype=np.int64)
    medium_col = np.zeros(edges.source.size, dtype=np.int64) if power else edges.medium
    n_keys = len(FEEDS)
    source = position[edges.source]
    to_rack = is_rack[edges.target]
    n_racks = len(topology.rack_ids)

    # merge racks with identical supplier multisets (per medium) into consumer nodes, numbered in
    # order of first appearance over (rack, medium); then the fed cooling units likewise
    rack_edges = np.flatnonzero(to_rack)
    rack_node, class_racks, cls, class_codes = _merge_consumers(
        position[edges.target[rack_edges]] * n_media + medium_col[rack_edges],
        source[rack_edges] * n_keys + group_key[rack_edges], n_racks, n_media, n_comp)
    n_classes = len(class_racks)
    unit_nodes = np.flatnonzero(is_unit)
    unit_ids = tuple(graph.node_array[unit_nodes].tolist())
    position[unit_nodes] = np.arange(unit_nodes.size)
    to_unit = is_unit[edges.target]
    unit_edges = np.flatnonzero(to_unit)
    unit_node, unit_classes, unit_cls, unit_codes = _merge_consumers(
        position[edges.target[unit_edges]], source[unit_edges] * n_keys + group_key[unit_edges], unit_nodes.size, 1,
        n_comp + n_classes)
    n_nodes = n_comp + n_classes + len(unit_classes)
    cls = np.concatenate([cls, n_classes + unit_cls])
    class_codes = np.concatenate([class_codes, unit_codes])

    # edges: component-to-component in connection order, then each class's sorted suppliers
    between = np.flatnonzero(~to_rack & ~to_unit)
    src = np.concatenate([source[between], class_codes // n_keys]).astype(np.int64)
    dst = np.concatenate([position[edges.target[between]], n_comp + cls]).astype(np.int64)
    keys_of_edges = np.concatenate([group_key[between], class_codes % n_keys]).astype(np.int64)
    if src.size:
        combined = dst * n_keys + keys_of_edges
        unique_groups, group_first, group_inverse = np.unique(combined, return_index=True, return_inverse=True)
        group_order = np.argsort(group_first, kind=STABLE)
        group_number = np.empty(group_first.size, dtype=np.int64)
        group_number[group_order] = np.arange(group_first.size)
        edge_group = group_number[group_inverse.reshape(-1)]
        group_consumer = unique_groups[group_order] // n_keys
    else:
        edge_group = group_consumer = np.zeros(0, dtype=np.int64)

    has_supplier = np.zeros(n_nodes, dtype=bool)
    has_supplier[dst] = True
    has_consumer = np.zeros(n_nodes, dtype=bool)
    has_consumer[src] = True

    height = _longest_from(~has_consumer, dst, src, n_nodes)
    depth = _longest_from(~has_supplier, src, dst, n_nodes)
    up_levels: list[Level] = []
    for h in range(int(height.max(initial=0)) + 1):
        nodes = np.flatnonzero(height == h)
        up_levels.append(Level(nodes, np.flatnonzero(height[dst] == h)))
    down_levels = _down_levels(depth, src, dst, n_nodes)

    # component parameters, computed once per catalog entry
    capacity = np.zeros(n_nodes)
    fixed = np.zeros(n_nodes)
    proportional = np.zeros(n_nodes)
    square = np.zeros(n_nodes)
    indoor = np.zeros(n_nodes, dtype=bool)
    # the figures are a function of the entry alone: worked out once per entry key (the items of one
    # catalog entry share it; an item re-rated by its override has its own)
    keys, entry_of = unique_inverse(graph.entry_keys[comp_nodes])
    distinct_entries = [_known(topology.entry_table[k]) for k in keys.tolist()]
    roles = tuple(map(ROLES.__getitem__, graph.role_codes[comp_nodes].tolist()))
    assumed_plant = not power and not any(role in HEAT_REJECTION_ROLES for role in roles)
    is_source = np.zeros(n_nodes, dtype=bool)
    if distinct_entries:
        params = []
        for entry in distinct_entries:
            a, b, c = _loss_terms(entry, kind, include_aux_heat)
            is_indoor = power and bool(entry.parameters.get("indoor", entry.role not in SOURCE_ROLES))
            params.append((entry.capacity_kw, a, b, c, is_indoor, originates(entry, kind, assumed_plant)))
        table = np.array(params, dtype=np.float64)[entry_of]
        capacity[:n_comp], fixed[:n_comp], proportional[:n_comp], square[:n_comp] = table[:, :4].T
        indoor[:n_comp] = table[:, 4] != 0
        is_source[:n_comp] = table[:, 5] != 0
    is_generator = graph.role_codes[comp_nodes] == ROLE_CODE[Role.GENERATOR]
    network = FlowNetwork(
        kind=kind,
        component_ids=component_ids,
        roles=roles,
        n_nodes=n_nodes,
        capacity_kw=capacity,
        fixed_loss_kw=fixed,
        proportional_loss=proportional,
        square_loss_per_kw=square,
        indoor=indoor,
        is_root=~has_supplier,
        is_source=is_source,
        live=np.ones(n_nodes, dtype=bool),
        edge_source=src,
        edge_target=dst,
        edge_group=np.asarray(edge_group, dtype=np.int64),
        edge_standby=is_generator[src] if src.size else np.zeros(0, dtype=bool),
        group_consumer=np.asarray(group_consumer, dtype=np.int64),
        up_levels=tuple(up_levels),
        down_levels=tuple(down_levels),
        rack_node=rack_node,
        class_racks=class_racks,  # int64 arrays already (``_merge_consumers``)
        rack_aggregators=tuple(_aggregator(rack_node[:, m], n_nodes) for m in range(n_media)),
        unit_ids=unit_ids,
        unit_node=unit_node[:, 0],
        unit_classes=unit_classes,
    )
    return with_liveness(network)


def _known(entry: CatalogEntry | None) -> CatalogEntry:
    """The entry of a node of a graph (whose items all have a known entry: ``build_topology``)."""
    if entry is None:
        raise KeyError("a node of the graph has no catalog entry")
    return entry


def _down_levels(depth: IntArray, src: IntArray, dst: IntArray, n_nodes: int) -> list[tuple[IntArray, sp.csr_matrix]]:
    """Per depth below the roots (roots excluded): its nodes and their (nodes, n_nodes) supplier-count
    matrix (float32, parallel edges counted), all levels from one sort of the edges."""
    node_order = np.argsort(depth, kind=STABLE)  # by depth, then node index
    level_start = np.searchsorted(depth[node_order], np.arange(int(depth.max(initial=0)) + 2))
    row = np.empty(n_nodes, dtype=np.int64)
    row[node_order] = np.arange(n_nodes)  # position in that order
    below = depth[dst] > 0
    pairs, counts = unique_counts(row[dst[below]] * n_nodes + src[below])
    pair_row, pair_col = pairs // n_nodes, pairs % n_nodes
    pair_start = np.searchsorted(pair_row, level_start)
    levels = []
    for d in range(1, level_start.size - 1):
        first, last = int(level_start[d]), int(level_start[d + 1])
        lo, hi = int(pair_start[d]), int(pair_start[d + 1])
        indptr = np.searchsorted(pair_row[lo:hi], np.arange(first, last + 1))
        matrix = sp.csr_matrix((counts[lo:hi].astype(np.float32), pair_col[lo:hi], indptr),
                               shape=(last - first, n_nodes))
        levels.append((node_order[first:last], matrix))
    return levels


def _merge_consumers(
    segment: IntArray, code: IntArray, n_consumers: int, n_media: int, first_node: int,
) -> tuple[IntArray, tuple[IntArray, ...], IntArray, IntArray]:
    """Merge consumers with identical supplier multisets into classes, numbered by first appearance.

    ``segment`` is consumer * n_media + medium and ``code`` supplier * len(FEEDS) + feed group, one
    per edge into a consumer. Returns (node of each (consumer, medium), -1 where none; the members
    of each class; class and supplier code of each class's edges).
    """
    node = np.full((n_consumers, n_media), -1, dtype=np.int64)
    segment, code = sorted_pairs(segment, code)
    if not segment.size:
        empty = np.zeros(0, dtype=np.int64)
        return node, (), empty, empty
    starts = np.flatnonzero(np.concatenate([[True], segment[1:] != segment[:-1]]))
    segments = segment[starts]
    rows = padded_rows(np.diff(np.append(starts, segment.size)), code)
    # classes: equal rows, the medium part of the key; grouped by a stable sort of the rows (a
    # class's first member comes first in it), then numbered by first appearance
    first, inverse = equal_rows(np.column_stack([segments % n_media, rows]))
    by_appearance = np.argsort(first, kind=STABLE)
    class_number = np.empty(first.size, dtype=np.int64)
    class_number[by_appearance] = np.arange(first.size)
    seg_class = class_number[inverse]
    node[segments // n_media, segments % n_media] = first_node + seg_class
    member_order = np.argsort(seg_class * segments.size + np.arange(segments.size), kind=STABLE)  # a unique key
    ends = np.cumsum(np.bincount(seg_class, minlength=first.size))
    listed = np.asarray(segments[member_order] // n_media, dtype=np.int64)
    members = tuple(listed[a:b] for a, b in zip((ends - np.bincount(seg_class, minlength=first.size)).tolist(),
                                                 ends.tolist(), strict=True))
    class_rows = rows[first[by_appearance]]
    cls, col = np.nonzero(class_rows >= 0)
    return node, members, cls.astype(np.int64), class_rows[cls, col]


def _aggregator(nodes: IntArray, n_nodes: int) -> sp.csr_matrix:
    member = np.flatnonzero(nodes >= 0)
    row = nodes[member]
    order = np.argsort(row, kind=STABLE)  # by node, racks ascending within (as a COO conversion gives)
    indptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(row, minlength=n_nodes), out=indptr[1:])
    return sp.csr_matrix((np.ones(member.size), member[order], indptr), shape=(n_nodes, nodes.size))


def rack_fractions(network: FlowNetwork, liquid_fraction: FloatArray) -> FloatArray:
    """(racks, media) share of each rack's load that goes to each column of ``rack_node``."""
    if network.kind is ConnectionKind.POWER:
        return np.ones((liquid_fraction.size, 1))
    return np.stack([liquid_fraction, 1.0 - liquid_fraction], axis=1)


def consumer_demand(network: FlowNetwork, rack_load: FloatArray, fractions: FloatArray) -> FloatArray:
    """(n_nodes, columns) own demand: rack loads summed into their consumer nodes.

    ``rack_load`` is (racks, columns); ``fractions`` (racks, media) from ``rack_fractions``.
    """
    return consumer_demand_with(fraction_aggregators(network, fractions), network.n_nodes, rack_load)


def fraction_aggregators(network: FlowNetwork, fractions: FloatArray) -> tuple[sp.csr_matrix | None, ...]:
    """Each medium's rack aggregator with each rack's column scaled by its share of that medium (None
    where the medium has no rack), for ``consumer_demand_with``. The aggregators hold ones, so
    ``(aggregator x fraction) @ load`` is ``aggregator @ (fraction x load)`` to the last bit, for a
    product over (racks,) instead of (racks, columns)."""
    scaled: list[sp.csr_matrix | None] = []
    for m, aggregator in enumerate(network.rack_aggregators):
        fraction = fractions[:, m]
        if not aggregator.nnz or np.all(fraction == 1.0):
            scaled.append(aggregator if aggregator.nnz else None)
            continue
        weighted = sp.csr_matrix(aggregator, copy=True)  # same entries in the same order: same sums
        weighted.data = weighted.data * fraction[weighted.indices]
        scaled.append(weighted)
    return tuple(scaled)


def consumer_demand_with(aggregators: tuple[sp.csr_matrix | None, ...], n_nodes: int,
                         rack_load: FloatArray) -> FloatArray:
    """``consumer_demand`` with the aggregators of ``fraction_aggregators``."""
    demand = np.zeros((n_nodes, rack_load.shape[1]))
    for aggregator in aggregators:
        if aggregator is not None:
            demand += aggregator @ rack_load
    return demand


def sharing(
    live: BoolArray,
    standby: BoolArray,
    group: IntArray,
    consumer: IntArray,
    n_groups: int,
    n_consumers: int,
) -> tuple[FloatArray, FloatArray]:
    """The sharing rule: (share of its consumer's passed load on each edge, live groups per consumer).

    Edges are given by their feed ``group`` and ``consumer``; ``live`` marks edges whose supplier
    is live. Within a group the live non-standby edges share equally; standby edges (generators)
    share only when no non-standby edge of the group is live. The consumer's load is split equally
    among its groups that have a carrying edge.
    """
    primary = live & ~standby
    n_primary = np.bincount(group, weights=primary.astype(np.float64), minlength=n_groups)
    n_standby = np.bincount(group, weights=(live & standby).astype(np.float64), minlength=n_groups)
    carrying = np.where(n_primary[group] > 0, primary, live & standby)
    n_carrying = np.where(n_primary > 0, n_primary, n_standby)
    group_consumer = np.zeros(n_groups, dtype=np.int64)
    group_consumer[group] = consumer
    live_groups = np.asarray(
        np.bincount(group_consumer, weights=(n_carrying > 0).astype(np.float64), minlength=n_consumers),
        dtype=np.float64,
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(carrying, 1.0 / (n_carrying[group] * live_groups[consumer]), 0.0).astype(np.float64)
    return shares, live_groups


def base_shares(network: FlowNetwork) -> FloatArray:
    """(edges,) share of each consumer's passed load carried by each edge when nothing has failed
    (edges from dead suppliers carry nothing: ``FlowNetwork.live``)."""
    shares, _ = sharing(network.live[network.edge_source], network.edge_standby, network.edge_group,
                        network.edge_target, network.group_consumer.size, network.n_nodes)
    return shares


@dataclass(frozen=True, slots=True)
class LevelOrder:
    """The nodes level by level, each level one block of rows: ``roll_up_into`` rolls a copy of the
    demand kept in this order, where a level's rows and (when they are one block, as in a chain of
    stages) its suppliers' rows are slices, not gathers and scatters of every row of the network."""

    nodes: IntArray
    """The node at each position: the levels' nodes one level after the other, each level in its own order."""
    position: IntArray
    """The position of each node (``nodes`` inverted)."""
    bounds: tuple[tuple[int, int], ...]
    """Per level, its rows (start, stop)."""
    suppliers: tuple[slice | IntArray, ...]
    """Per level, the positions of its suppliers in the row order of ``matrices`` (a slice when they
    are one block)."""
    matrices: tuple[sp.csr_matrix, ...]
    """``LevelWeights.matrices`` with their rows in the order of ``suppliers`` (each row's terms kept
    as they were: the same sums)."""
    coefficients: tuple[tuple[FloatArray, FloatArray, FloatArray], ...]
    """Per level, the fixed, proportional and square loss coefficients of its nodes, as (nodes, 1) columns."""


@dataclass(frozen=True, slots=True)
class LevelWeights:
    """Edge shares folded into one sparse matrix per level: suppliers x the level's nodes."""

    suppliers: tuple[IntArray, ...]
    matrices: tuple[sp.csr_matrix, ...]
    lossy: tuple[bool, ...]
    """Whether any node of the level has losses (rack classes have none)."""
    terms: tuple[tuple[bool, bool, bool], ...]
    """Per level, whether any of its nodes has a fixed, a proportional, a square loss term
    (``stage_loss_into`` leaves out the terms no node of the level has)."""
    order: LevelOrder | None = None
    """The level order ``roll_up_into`` works in (None: the levels do not cover every node once)."""


def level_weights(network: FlowNetwork, shares: FloatArray) -> LevelWeights:
    """Precompute the per-level weight matrices of one sharing state (e.g. ``base_shares``)."""
    suppliers: list[IntArray] = []
    matrices: list[sp.csr_matrix] = []
    lossy: list[bool] = []
    terms: list[tuple[bool, bool, bool]] = []
    for level in network.up_levels:
        local = np.full(network.n_nodes, -1, dtype=np.int64)
        local[level.nodes] = np.arange(level.nodes.size)
        edge_sources = network.edge_source[level.edges]
        unique, rows = unique_inverse(edge_sources)
        matrices.append(sp.csr_matrix((shares[level.edges], (rows, local[network.edge_target[level.edges]])),
                                      shape=(unique.size, level.nodes.size)))
        suppliers.append(unique)
        n = level.nodes
        has = (bool(np.any(network.fixed_loss_kw[n])), bool(np.any(network.proportional_loss[n])),
               bool(np.any(network.square_loss_per_kw[n])))
        terms.append(has)
        lossy.append(any(has))
    order = level_order(network, suppliers, matrices)
    return LevelWeights(tuple(suppliers), tuple(matrices), tuple(lossy), tuple(terms), order)


def level_order(network: FlowNetwork, suppliers: list[IntArray], matrices: list[sp.csr_matrix]) -> LevelOrder | None:
    """The ``LevelOrder`` of ``network`` with these per-level suppliers and weight matrices (None when
    its levels are not a partition of its nodes)."""
    levels = network.up_levels
    nodes = np.concatenate([level.nodes for level in levels]) if levels else np.zeros(0, dtype=np.int64)
    if nodes.size != network.n_nodes or not np.array_equal(np.sort(nodes, kind=STABLE), np.arange(network.n_nodes)):
        return None
    position = np.empty(network.n_nodes, dtype=np.int64)
    position[nodes] = np.arange(nodes.size)
    bounds: list[tuple[int, int]] = []
    start = 0
    for level in levels:
        bounds.append((start, start + level.nodes.size))
        start += level.nodes.size
    supplied: list[slice | IntArray] = []
    ordered: list[sp.csr_matrix] = []
    for unique, matrix in zip(suppliers, matrices, strict=True):
        at = position[unique]
        rank = np.argsort(at, kind=STABLE)
        at = at[rank]
        if at.size and at[-1] - at[0] + 1 == at.size:  # one block: a slice
            supplied.append(slice(int(at[0]), int(at[-1]) + 1))
        else:
            supplied.append(at)
        ordered.append(_rows_in_order(matrix, rank))
    coefficients = tuple((network.fixed_loss_kw[level.nodes, None], network.proportional_loss[level.nodes, None],
                          network.square_loss_per_kw[level.nodes, None]) for level in levels)
    return LevelOrder(nodes, position, tuple(bounds), tuple(supplied), tuple(ordered), coefficients)


def _rows_in_order(matrix: sp.csr_matrix, rows: IntArray) -> sp.csr_matrix:
    """``matrix``'s rows in the order ``rows``, each row's stored terms in their own order (so that
    ``csr_matvecs`` adds them as it did)."""
    if np.array_equal(rows, np.arange(rows.size)):
        return matrix
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    counts = np.diff(indptr)[rows]
    new_indptr = np.zeros(rows.size + 1, dtype=indptr.dtype)
    np.cumsum(counts, out=new_indptr[1:])
    # each new row's terms: its old row's, from the old row's start on
    take = np.arange(int(new_indptr[-1])) + np.repeat(indptr[rows] - new_indptr[:-1], counts)
    return sp.csr_matrix((data[take], indices[take], new_indptr), shape=matrix.shape)


def roll_up(network: FlowNetwork, demand: FloatArray, weights: LevelWeights) -> Flow:
    """Push ``demand`` (n_nodes, columns) up the network, lowest level first.

    Each level's nodes are final once their consumers are done: add the stage losses to the
    through load and hand ``load + loss`` to the suppliers with the precomputed shares.
    """
    flow = Flow(np.empty(np.shape(demand), dtype=np.float64), np.zeros(np.shape(demand), dtype=np.float64))
    roll_up_into(network, demand, weights, flow)
    return flow


def roll_up_into(network: FlowNetwork, demand: FloatArray, weights: LevelWeights, flow: Flow) -> None:
    """``roll_up(network, demand, weights)`` written into ``flow``'s arrays: the same steps in the
    same order (``tests/analysis/test_day_state.py`` compares them bit for bit).

    Only the nodes of lossy levels get a loss; ``flow.loss_kw`` is zero elsewhere (as ``roll_up`` leaves
    it, and every function here keeps it: with the weights' ``LevelOrder`` those rows are written zero,
    without it left as they were).

    With the weights' ``LevelOrder`` the loads and losses are worked out on copies in level order (a
    level's rows and its suppliers' rows slices of them) and put back in node order at the end: each
    node still gets the same additions in the same order, so the same bits
    (``tests/analysis/test_flow_order.py``).
    """
    order = weights.order
    if order is None:
        _roll_up_by_node(network, demand, weights, flow)
        return
    rolled = np.take(np.asarray(demand, dtype=np.float64), order.nodes, axis=0, mode="clip")
    lost = np.empty_like(rolled)  # the losses in the same order: every row written (zero off the lossy levels)
    widest = max((stop - start for (start, stop), lossy in zip(order.bounds, weights.lossy, strict=True) if lossy),
                 default=0)
    work = np.empty((widest, rolled.shape[1]))  # the square term's buffer, then the load passed up
    for (start, stop), supplied, matrix, lossy, terms, coefficients in zip(
            order.bounds, order.suppliers, order.matrices, weights.lossy, weights.terms, order.coefficients,
            strict=True):
        passed = rolled[start:stop]
        if lossy:
            stage_loss = _loss_into(coefficients, passed, lost[start:stop], work[:stop - start], terms)
            passed = np.add(passed, stage_loss, out=work[:stop - start])
        else:
            lost[start:stop] = 0.0
        if matrix.shape[0]:
            rolled[supplied] += matrix @ passed
    # mode "clip" (the positions are all in range): with "raise", ``take`` into ``out`` goes through a buffer
    np.take(rolled, order.position, axis=0, out=flow.through_kw, mode="clip")
    np.take(lost, order.position, axis=0, out=flow.loss_kw, mode="clip")


def _roll_up_by_node(network: FlowNetwork, demand: FloatArray, weights: LevelWeights, flow: Flow) -> None:
    """``roll_up_into`` on the arrays in node order (levels that are no partition of the nodes)."""
    through, loss = flow.through_kw, flow.loss_kw
    np.copyto(through, demand)
    widest = max((level.nodes.size for level, lossy in zip(network.up_levels, weights.lossy, strict=True) if lossy),
                 default=0)
    work = np.empty((2, widest, through.shape[1]))
    for level, suppliers, matrix, lossy, terms in zip(network.up_levels, weights.suppliers, weights.matrices,
                                                      weights.lossy, weights.terms, strict=True):
        nodes = level.nodes
        passed = through[nodes]
        if lossy:
            stage_loss = stage_loss_into(network, nodes, passed, work[0, :nodes.size], work[1, :nodes.size], terms)
            loss[nodes] = stage_loss
            passed += stage_loss
        if suppliers.size:
            through[suppliers] += matrix @ passed


def stage_loss_into(network: FlowNetwork, nodes: IntArray, passed: FloatArray, out: FloatArray,
                    spare: FloatArray, terms: tuple[bool, bool, bool] = (True, True, True)) -> FloatArray:
    """``a*R + b*P + c*P**2/R`` of ``nodes`` at ``passed`` into ``out`` (``spare`` a buffer of its shape),
    as ``fixed + proportional * passed + square * passed * passed`` takes it, step by step in that
    order, with no temporary arrays (five per level were most of a 50,000-rack roll-up).

    ``terms`` (``LevelWeights.terms``): which of the fixed, proportional and square terms any node of
    the level has; the others are left out. A left-out term is +0.0 everywhere, and adding +0.0 to a
    loss (never -0.0: the coefficients and loads are finite and not negative) changes no bit, so this is
    the whole formula's value; every roll-up (``roll_up_into``, ``row_sums.roll_up_rows``) takes the
    same terms of a level, so their figures agree to the bit in any case."""
    return _loss_into((network.fixed_loss_kw[nodes, None], network.proportional_loss[nodes, None],
                       network.square_loss_per_kw[nodes, None]), passed, out, spare, terms)


def _loss_into(coefficients: tuple[FloatArray, FloatArray, FloatArray], passed: FloatArray, out: FloatArray,
               spare: FloatArray, terms: tuple[bool, bool, bool]) -> FloatArray:
    """``stage_loss_into`` with the level's (fixed, proportional, square) coefficients given as (nodes, 1)."""
    fixed_kw, proportional_loss, square_per_kw = coefficients
    fixed, proportional, square = terms
    if proportional:
        np.multiply(proportional_loss, passed, out=out)
        if fixed:
            np.add(fixed_kw, out, out=out)
    elif fixed:
        np.copyto(out, fixed_kw)
    elif square:  # the square term alone: computed in place
        np.multiply(square_per_kw, passed, out=out)
        np.multiply(out, passed, out=out)
        return out
    else:
        out.fill(0.0)
        return out
    if square:
        np.multiply(square_per_kw, passed, out=spare)
        np.multiply(spare, passed, out=spare)
        np.add(out, spare, out=out)
    return out


def roll_up_linear_sparse(network: FlowNetwork, demand: sp.csr_matrix, weights: LevelWeights) -> sp.csr_matrix:
    """``roll_up(...).through_kw`` for a sparse ``demand`` on a network whose losses are proportional
    only (the cooling network), kept sparse throughout.

    For many columns that each reach a small part of the network (one hall's racks per column),
    this costs what the columns reach instead of nodes x columns. The same products in the same
    order as ``roll_up``, so the same numbers.
    """
    if np.any(network.fixed_loss_kw) or np.any(network.square_loss_per_kw):
        raise ValueError("roll_up_linear_sparse needs a network with proportional losses only")
    through = sp.csr_matrix(demand, dtype=np.float64)
    n = network.n_nodes
    for level, suppliers, matrix, lossy in zip(network.up_levels, weights.suppliers, weights.matrices, weights.lossy,
                                               strict=True):
        if not suppliers.size:
            continue
        nodes = level.nodes
        passed = through[nodes]
        if lossy:
            passed = passed + sp.diags(network.proportional_loss[nodes]) @ passed
        incoming = sp.csr_matrix(matrix @ passed)
        if incoming.nnz:
            scatter = sp.csr_matrix((np.ones(suppliers.size), (suppliers, np.arange(suppliers.size))),
                                    shape=(n, suppliers.size))
            through = sp.csr_matrix(through + scatter @ incoming)
    return through


@dataclass(frozen=True, slots=True)
class Flow:
    """Loads of every node of a network, one column per hour (or case)."""

    through_kw: FloatArray
    """Load delivered downstream (power) or heat removed (cooling)."""
    loss_kw: FloatArray
    """Power: stage losses; cooling: fan/pump power added to the heat passed up."""


@dataclass(frozen=True, slots=True)
class DeltaPlan:
    """Where extra demand on a few nodes travels: those nodes and their ancestors, level by level."""

    n_affected: int
    extra_local: IntArray
    """Local index (among the affected nodes) of each node given the extra demand."""
    levels: tuple[tuple[IntArray, IntArray, IntArray, sp.csr_matrix, bool], ...]
    """(affected nodes of the level, their local indices, their suppliers' local indices, shares
    matrix suppliers x nodes, lossy)."""


def delta_plan(network: FlowNetwork, shares: FloatArray, nodes: IntArray) -> DeltaPlan:
    """The part of ``level_weights`` that extra demand on ``nodes`` reaches (for ``roll_up_extra``)."""
    affected = np.zeros(network.n_nodes, dtype=bool)
    affected[nodes] = True
    picked = []
    for level in network.up_levels:
        edges = level.edges[affected[network.edge_target[level.edges]]]
        affected[network.edge_source[edges]] = True
        picked.append(edges)
    local = np.full(network.n_nodes, -1, dtype=np.int64)
    local[affected] = np.arange(int(affected.sum()))
    levels = []
    for level, edges in zip(network.up_levels, picked, strict=True):
        rows = level.nodes[affected[level.nodes]]
        if not rows.size:
            continue
        row_of = np.full(network.n_nodes, -1, dtype=np.int64)
        row_of[rows] = np.arange(rows.size)
        suppliers, supplier_rows = unique_inverse(network.edge_source[edges])
        matrix = sp.csr_matrix((shares[edges], (supplier_rows.reshape(-1), row_of[network.edge_target[edges]])),
                               shape=(suppliers.size, rows.size))
        lossy = bool(np.any(network.fixed_loss_kw[rows]) or np.any(network.proportional_loss[rows])
                     or np.any(network.square_loss_per_kw[rows]))
        levels.append((rows, local[rows], local[suppliers], matrix, lossy))
    return DeltaPlan(int(affected.sum()), local[nodes], tuple(levels))


def roll_up_extra(network: FlowNetwork, flow: Flow, extra: FloatArray, plan: DeltaPlan) -> Flow:
    """``flow`` with ``extra`` (plan's nodes, columns) more own demand, re-rolled only where it goes.

    Equal to ``roll_up`` of the summed demand: every node the extra reaches gets its consumers'
    change in passed load (``load + loss``) on top of its load in ``flow``, and its losses anew.
    Updates ``flow``'s arrays in place (pass a flow nobody else holds) and returns it.
    """
    through, loss = flow.through_kw, flow.loss_kw
    incoming = np.zeros((plan.n_affected, extra.shape[1]))
    incoming[plan.extra_local] += extra
    work = np.empty((2, max((level[0].size for level in plan.levels), default=0), extra.shape[1]))
    for rows, rows_local, suppliers_local, matrix, lossy in plan.levels:
        change = incoming[rows_local]
        load = through[rows]
        load += change
        through[rows] = load
        if lossy:
            # fixed + proportional * load + square * load * load, as ``stage_loss_into`` takes every term
            stage_loss = stage_loss_into(network, rows, load, work[0, :rows.size], work[1, :rows.size])
            change += stage_loss
            change -= loss[rows]
            loss[rows] = stage_loss
        if suppliers_local.size:
            incoming[suppliers_local] += matrix @ change
    return flow
