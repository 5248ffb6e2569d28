"""Power and cooling graphs from a project's connections, and the checks on their shape.

The items and connections are read as arrays from ``Project.columns`` (kept by the model as it is
edited), not record by record. The checks run on integer-indexed scipy.sparse adjacency
(``IndexedGraph``); the networkx DiGraphs (``Topology.power`` / ``.cooling``) are built on first use
for interactive queries. The per-edit arithmetic lives in ``flow.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Final

import networkx as nx
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse import csgraph

from designer.analysis.findings import Finding, id_list, sort_findings
from designer.analysis.loads import BoolArray, FloatArray, IntArray
from designer.analysis.rack_inputs import RackInputs, rack_inputs
from designer.model import columns as model_columns
from designer.model import effective
from designer.model.catalog import CatalogEntry, merged_catalog
from designer.model.project import Project
from designer.model.records import Connection
from designer.model.roles import (
    COOLING_FEEDER_ROLES,
    COOLING_STAGE_BY_ROLE,
    COOLING_UNIT_ROLES,
    HEAT_REJECTION_ROLES,
    LIQUID_UNIT_ROLES,
    POWER_STAGE_BY_ROLE,
    SOURCE_ROLES,
)
from designer.model.types import (
    ConnectionKind,
    CoolingMedium,
    FeedSide,
    Role,
)

SELF_CONTAINED = "self_contained"
"""Catalog parameter (bool) of a cooling unit that rejects its own heat (a DX unit with its condenser)."""

ROLES: tuple[Role, ...] = tuple(Role)
"""Role codes: ``ROLES[code]``; -1 stands for an item of unknown catalog entry."""
ROLE_CODE: dict[Role, int] = {r: i for i, r in enumerate(ROLES)}
FEEDS: tuple[FeedSide, ...] = (FeedSide.A, FeedSide.B, FeedSide.SINGLE)
"""Feed codes, in the order feed names sort (A < B < single)."""
FEED_CODE: dict[FeedSide, int] = {f: i for i, f in enumerate(FEEDS)}
MEDIA: tuple[CoolingMedium, ...] = (CoolingMedium.LIQUID, CoolingMedium.AIR)
"""Medium codes (and the column order of a cooling network's rack-to-consumer map)."""
MEDIUM_CODE: dict[CoolingMedium, int] = {m: i for i, m in enumerate(MEDIA)}


def role_table(roles: Iterable[Role], values: Mapping[Role, int] | None = None, default: int = -1) -> IntArray:
    """Lookup table by role code (one extra last slot, so code -1 reads ``default``)."""
    table = np.full(len(ROLES) + 1, default, dtype=np.int64)
    for role in roles:
        table[ROLE_CODE[role]] = 1 if values is None else values[role]
    return table


RACK_CODE = ROLE_CODE[Role.RACK]
_IS_SOURCE = role_table(SOURCE_ROLES, default=0).astype(bool)
_IS_REJECTION = role_table(HEAT_REJECTION_ROLES, default=0).astype(bool)
_IS_LIQUID_UNIT = role_table(LIQUID_UNIT_ROLES, default=0).astype(bool)
_IS_COOLING_FEEDER = role_table(COOLING_FEEDER_ROLES, default=0).astype(bool)
_IS_COOLING_UNIT = role_table(COOLING_UNIT_ROLES, default=0).astype(bool)
_POWER_STAGE_WITH_UNITS = {**POWER_STAGE_BY_ROLE, **dict.fromkeys(COOLING_UNIT_ROLES, POWER_STAGE_BY_ROLE[Role.RACK])}
_STAGE = {
    ConnectionKind.POWER: role_table(_POWER_STAGE_WITH_UNITS, _POWER_STAGE_WITH_UNITS),
    ConnectionKind.COOLING: role_table(COOLING_STAGE_BY_ROLE, COOLING_STAGE_BY_ROLE),
}
"""Stage of each role per graph; in the power graph a cooling unit is a consumer at the racks' stage."""


def _valid_by_roles() -> BoolArray:
    """Whether a connection is of the right type and direction, by (kind, source role, target role):
    flat, kind 0 power then 1 cooling, each (role slot, role slot) with slot -1 an unknown entry."""
    slots = np.arange(len(ROLES) + 1)
    src, dst = np.repeat(slots, slots.size), np.tile(slots, slots.size)
    tables = []
    for kind in (ConnectionKind.POWER, ConnectionKind.COOLING):
        stage = _STAGE[kind]
        valid = (src != RACK_CODE) & (stage[src] >= 0) & (stage[dst] >= 0) & (stage[src] <= stage[dst])
        if kind is ConnectionKind.POWER:
            # a cooling unit supplies no power, and only a board, UPS or floor distribution feeds one
            valid &= ~(_IS_COOLING_UNIT[src] | (_IS_COOLING_UNIT[dst] & ~_IS_COOLING_FEEDER[src]))
        tables.append(valid)
    return np.concatenate(tables)


_VALID_BY_ROLES = _valid_by_roles()


STABLE: Final = "stable"
"""The sort kind of the graph build. Its keys (item, node and connection indices) mostly come in order
already, items and connections being listed as they were made (a campus row by row): a stable sort
(timsort) then runs in a few linear passes, where numpy's default introsort takes ~10-30 times longer
(50,000 racks: 245,000 pair keys sorted in 0.5 ms instead of 15 ms); on keys in random order it is
~1.3 times slower. A sort's values are the same whatever its kind; an argsort of keys with ties is used
only where the order among tied keys does not matter, or must be the earliest first (stable)."""


def _run_starts(ordered: IntArray) -> BoolArray:
    """Where each run of equal values of the sorted ``ordered`` starts."""
    fresh = np.empty(ordered.size, dtype=bool)
    fresh[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=fresh[1:])
    return fresh


def unique_counts(values: IntArray) -> tuple[IntArray, IntArray]:
    """``np.unique(values, return_counts=True)`` of integers by a stable sort (``STABLE``)."""
    ordered = np.sort(values, kind=STABLE)
    fresh = _run_starts(ordered)
    return ordered[fresh], np.diff(np.append(np.flatnonzero(fresh), ordered.size))


def unique_inverse(values: IntArray) -> tuple[IntArray, IntArray]:
    """``np.unique(values, return_inverse=True)`` of a 1-D array of integers by a stable sort (``STABLE``)."""
    sorter = np.argsort(values, kind=STABLE)
    ordered = values[sorter]
    fresh = _run_starts(ordered)
    inverse = np.empty(ordered.size, dtype=np.intp)
    inverse[sorter] = np.cumsum(fresh) - 1
    return ordered[fresh], inverse


def padded_rows(counts: IntArray, values: IntArray) -> IntArray:
    """Runs of ``values`` (consecutive, of lengths ``counts``) as rows padded with -1."""
    width = int(counts.max(initial=0))
    rows = np.full((counts.size, width), -1, dtype=np.int64)
    # each value's flat position: its row's start in ``rows`` plus its place in its run (one index
    # array into the flat rows: half the time of a (row, column) pair of them)
    shift = np.arange(counts.size) * width - (np.cumsum(counts) - counts)
    rows.reshape(-1)[np.arange(values.size) + np.repeat(shift, counts)] = values
    return rows


def row_keys(rows: NDArray[np.int64] | NDArray[np.float64]) -> NDArray[np.void]:
    """One opaque key per row of a 2-D array, equal exactly when the rows are (bitwise) equal."""
    packed = np.ascontiguousarray(rows)
    return packed.view(np.dtype((np.void, packed.itemsize * max(packed.shape[1], 1)))).reshape(-1)


def equal_rows(rows: IntArray) -> tuple[IntArray, IntArray]:
    """(first row of each group of equal rows, group of each row) of a 2-D array of integers >= -1:
    the groups of ``np.unique(row_keys(rows), return_index=True, return_inverse=True)``, numbered in
    another order. Rows whose columns fit one int64 side by side are grouped by one (stable) sort of
    that key; others by a stable sort of the columns (both far quicker than sorting byte keys)."""
    n, width = rows.shape
    if not n:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    # each column's maximum on its own: ~5 times quicker than ``rows.max(axis=0)`` for a few columns
    bits = [(int(rows[:, column].max()) + 2).bit_length() for column in range(width)]
    if sum(bits) <= 62:
        key = np.zeros(n, dtype=np.int64)
        for column, size in zip(range(width), bits, strict=True):
            key = (key << size) | (rows[:, column] + 1)
        sorter = np.argsort(key, kind=STABLE)  # a group's earliest row comes first
        ordered_key = key[sorter]
        fresh = np.ones(n, dtype=bool)
        fresh[1:] = ordered_key[1:] != ordered_key[:-1]
        first = sorter[fresh]
    else:
        sorter = np.lexsort(rows.T[::-1])  # stable: a group's earliest row comes first
        ordered = rows[sorter]
        fresh = np.ones(n, dtype=bool)
        fresh[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
        first = sorter[fresh]
    group = np.empty(n, dtype=np.int64)
    group[sorter] = np.cumsum(fresh) - 1
    return first, group


def sorted_pairs(major: IntArray, minor: IntArray) -> tuple[IntArray, IntArray]:
    """``major`` and ``minor`` (integers >= 0) reordered by (major, minor), as ``np.lexsort((minor,
    major))`` would; by one sort of a combined key when it fits an int64."""
    if not major.size:
        return major, minor
    span = int(minor.max()) + 1
    if (int(major.max()) + 1) * span < 2**62:
        key = np.sort(major * span + minor, kind=STABLE)
        return key // span, key % span
    order = np.lexsort((minor, major))
    return major[order], minor[order]


@dataclass(frozen=True, slots=True)
class EdgeArrays:
    """One graph's valid connections in connection order, as node indices of its ``IndexedGraph``."""

    source: IntArray
    target: IntArray
    feed: IntArray
    """Index into ``FEEDS`` (power only: cooling connections read ``single``)."""
    medium: IntArray
    """Index into ``MEDIA`` (cooling only: power connections read ``air``)."""


class IndexedGraph:
    """One graph's valid connections as integer arrays (node ``i`` is ``nodes[i]``), for fast checks."""

    def __init__(self, nodes: list[str], role_codes: IntArray, source: IntArray, target: IntArray,
                 node_array: NDArray[np.object_] | None = None, successors: sp.csr_matrix | None = None, *,
                 entry_keys: IntArray) -> None:
        """``node_array``: ``nodes`` as an object array, ``successors``: ``_adjacency(source, target)``,
        when the caller has them."""
        self.nodes = tuple(nodes)
        self.role_codes = role_codes
        self.entry_keys = entry_keys
        """Each node's catalog entry as a key into ``Topology.entry_table`` (nodes of one key share
        the entry object; an entry's figures are worked out once per key, not once per node)."""
        n = len(nodes)
        self.node_array = node_array if node_array is not None else _object_array(self.nodes)
        """``nodes`` as an object array (pick many ids at once by index)."""
        self.successors = successors if successors is not None else _adjacency(source, target, n)
        self.predecessors = sp.csr_matrix(self.successors.T)
        self.in_degree = np.diff(self.predecessors.indptr)
        self.out_degree = np.diff(self.successors.indptr)

    @cached_property
    def index(self) -> dict[str, int]:
        """Item id -> node index."""
        return {n: i for i, n in enumerate(self.nodes)}

    @cached_property
    def roles(self) -> tuple[Role, ...]:
        return tuple(map(ROLES.__getitem__, self.role_codes.tolist()))

    def children(self, i: int) -> IntArray:
        return np.asarray(self.successors.indices[self.successors.indptr[i]:self.successors.indptr[i + 1]],
                          dtype=np.int64)

    def reachable(self, roots: BoolArray) -> BoolArray:
        """Nodes reachable from any root (roots included)."""
        seen = roots.copy()
        frontier = roots.astype(np.float64)
        while frontier.any():
            nxt = (self.predecessors @ frontier) > 0
            frontier = (nxt & ~seen).astype(np.float64)
            seen |= nxt
        return seen


def _object_array(values: Sequence[object]) -> NDArray[np.object_]:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _adjacency(source: IntArray, target: IntArray, n: int) -> sp.csr_matrix:
    """(n, n) csr, 1 per connection (parallel connections add up)."""
    return sp.csr_matrix((np.ones(source.size), (source, target)), shape=(n, n))


@dataclass(frozen=True)
class Topology:
    """The valid connections of each graph plus what was wrong with the rest.

    ``power`` and ``cooling`` are networkx DiGraphs (node keys are item ids, built on first use)
    of the connections that passed the type, direction and cycle checks, so they are acyclic;
    edges carry ``id``, ``feed`` and ``medium`` attributes and nodes a ``role``. ``entries`` maps
    every item whose catalog entry is known to that entry. ``power_edges`` / ``cooling_edges`` hold
    the same connections as arrays over the nodes of ``power_index`` / ``cooling_index``.
    """

    connection_records: Mapping[str, Connection]
    """The project's connections by id when the topology was built (``Project.kept_connections``: an
    edit after the build copies the project's dict first, so these stay as they were)."""
    power_positions: IntArray
    """Positions in ``connections`` of the power graph's connections (in order)."""
    cooling_positions: IntArray
    power_index: IndexedGraph
    cooling_index: IndexedGraph
    entries: Mapping[str, CatalogEntry]
    rack_ids: tuple[str, ...]
    invalid_connection_ids: frozenset[str]
    findings: tuple[Finding, ...]
    power_edges: EdgeArrays
    cooling_edges: EdgeArrays
    rack_inputs: RackInputs | None = None
    """The racks' own fields as the project's columns held them at the build (``rack_table``)."""
    entry_table: tuple[CatalogEntry | None, ...] = ()
    """The catalog entry of each entry key (``IndexedGraph.entry_keys``; None: unknown entry)."""

    @cached_property
    def connections(self) -> list[Connection]:
        """The project's connections when the topology was built (in order; listed on first use, not
        by every build: 452,500 of them at 50,000 racks)."""
        return list(self.connection_records.values())

    @cached_property
    def power_connections(self) -> tuple[Connection, ...]:
        return tuple(map(self.connections.__getitem__, self.power_positions.tolist()))

    @cached_property
    def cooling_connections(self) -> tuple[Connection, ...]:
        return tuple(map(self.connections.__getitem__, self.cooling_positions.tolist()))

    @cached_property
    def power(self) -> nx.DiGraph:
        return _digraph(self.power_index, self.power_connections)

    @cached_property
    def cooling(self) -> nx.DiGraph:
        return _digraph(self.cooling_index, self.cooling_connections)

    def facts(self) -> TopologyFacts:
        """What the analysis reads of this topology once its networks are compiled."""
        return TopologyFacts(self.entries, self.rack_ids, self.invalid_connection_ids, self.findings)


@dataclass(frozen=True, slots=True)
class TopologyFacts:
    """The part of a ``Topology`` the analyzer keeps with its compiled networks (``Compiled.topology``).

    The graphs, connection arrays and connection list are read only to compile the networks; kept with
    them they were ~37 MB at 50k racks, and the racks' inputs (read once, for the rack table) ~3 MB.
    """

    entries: Mapping[str, CatalogEntry]
    rack_ids: tuple[str, ...]
    invalid_connection_ids: frozenset[str]
    findings: tuple[Finding, ...]


def _digraph(index: IndexedGraph, connections: tuple[Connection, ...]) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from((n, {"role": r}) for n, r in zip(index.nodes, index.roles, strict=True))
    # Parallel connections between the same two items collapse to one edge in the graph;
    # the flow arrays keep them apart.
    graph.add_edges_from((c.source_id, c.target_id, {"id": c.id, "feed": c.feed, "medium": c.medium})
                         for c in connections)
    return graph


@dataclass(frozen=True, slots=True)
class _ItemArrays:
    """The project's items as the graph build reads them (in item order, from ``Project.columns``)."""

    ids: list[str]
    entries: dict[str, CatalogEntry]
    """Item id -> catalog entry as the item is fitted (``effective.rated_entry``)."""
    unknown: list[str]
    """Ids of the items whose catalog entry is unknown."""
    rerated: list[str]
    """Ids of the items rated by their own override (``effective.takes_rating_override``)."""
    role_codes: IntArray
    liquid_override: FloatArray
    """Each item's ``liquid_fraction`` override; nan where none."""
    liquid_default: FloatArray
    """Each item's catalog liquid fraction; nan where its entry is unknown."""
    rank: IntArray
    """Item index of each slot of ``Project.columns`` (-1: a removed item's slot)."""
    catalog_code: IntArray
    """Each item's catalog id as a code into ``Project.columns.catalog_ids``."""
    code_entries: list[CatalogEntry | None]
    """The catalog entry of each code (None: unknown)."""
    design_kw: FloatArray
    """Each item's ``design_kw`` override; nan where none."""
    entry_keys: IntArray
    """Each item's entry as a key into ``entry_table``: its catalog code, or past the codes for an item
    rated by its own override (its own entry object)."""
    entry_table: tuple[CatalogEntry | None, ...]


def _item_arrays(project: Project, catalog: Mapping[str, CatalogEntry]) -> _ItemArrays:
    """Entries, role codes and liquid fractions of every item, read per catalog id, not per item."""
    columns = project.columns
    merged = merged_catalog(catalog, project.custom_catalog)
    entries = dict(merged.items())  # a plain dict: its ``get`` is C
    code_entries = list(map(entries.get, columns.catalog_ids))
    alive = np.frombuffer(columns.item_alive, dtype=np.int8).astype(bool)
    rank = np.cumsum(alive, dtype=np.int64) - 1
    rank[~alive] = -1
    code = np.frombuffer(columns.item_catalog, dtype=np.int64)[alive]
    design = np.frombuffer(columns.item_design_kw, dtype=np.float64)[alive]
    liquid = np.frombuffer(columns.item_liquid_fraction, dtype=np.float64)[alive]
    item_ids = list(project.items)
    if len(item_ids) != code.size:
        raise RuntimeError(f"the project's columns hold {code.size} items, its records {len(item_ids)}")
    known_code = np.array([e is not None for e in code_entries], dtype=bool)
    role_of_code = np.array([-1 if e is None else ROLE_CODE[e.role] for e in code_entries], dtype=np.int64)
    liquid_of_code = np.array([np.nan if e is None else e.liquid_fraction for e in code_entries], dtype=np.float64)
    known = known_code[code]
    found = _object_array(code_entries)[code].tolist()  # a few entry objects: quicker than a map over codes
    unknown = [item_ids[i] for i in np.flatnonzero(~known).tolist()]
    if not unknown:
        by_item: dict[str, CatalogEntry] = dict(zip(item_ids, found, strict=True))
    else:
        by_item = {k: e for k, e in zip(item_ids, found, strict=True) if e is not None}
    items = project.items
    rerated = []
    entry_keys, entry_table = code, list(code_entries)
    for i in np.flatnonzero(~np.isnan(design) & known).tolist():
        item_id = item_ids[i]
        entry = by_item[item_id] = effective.rated_entry(items[item_id], by_item[item_id])
        if entry is not found[i]:
            if entry_keys is code:
                entry_keys = code.copy()
            entry_keys[i] = len(entry_table)
            entry_table.append(entry)
        if effective.takes_rating_override(entry):
            rerated.append(item_id)
    return _ItemArrays(item_ids, by_item, unknown, rerated, role_of_code[code], liquid, liquid_of_code[code], rank,
                       code, code_entries, design, entry_keys, tuple(entry_table))


_MODEL_FEED = np.array([FEED_CODE[f] for f in model_columns.FEEDS], dtype=np.int64)
_MODEL_MEDIUM = np.array([MEDIUM_CODE[m] for m in model_columns.MEDIA], dtype=np.int64)
_MODEL_POWER = model_columns.KINDS.index(ConnectionKind.POWER)


def build_topology(project: Project, catalog: Mapping[str, CatalogEntry]) -> Topology:
    """Check every connection and build the graphs of the valid ones.

    Every check runs on integer arrays (read from ``Project.columns``, kept by the model as it is
    edited); only the connections found wrong are looked at one by one, to word their findings.
    """
    items = _item_arrays(project, catalog)
    entries, unknown = items.entries, items.unknown
    findings: list[Finding] = []
    if unknown:
        findings.append(
            Finding("error", "unknown_catalog", f"unknown catalog entry for {id_list(unknown)}", tuple(unknown))
        )
    rerated = items.rerated
    if rerated:  # an engineer signing the numbers must see which ratings are not the catalog's
        findings.append(Finding("info", "rating_override", f"{len(rerated)} component(s) rated by their own "
                                f"override, not the catalog: {id_list(rerated)}", tuple(rerated)))
    item_ids = items.ids
    role_codes = items.role_codes
    id_array = _object_array(item_ids)
    is_rack_item = role_codes == RACK_CODE
    rack_ids = tuple(id_array[is_rack_item].tolist())

    # the connections as arrays: item index of each end, kind, feed, medium
    records = project.kept_connections()
    listed: list[Connection] = []  # the connections in order: listed only when one is wrong (452,500 at 50k racks)
    columns = project.columns
    live = np.frombuffer(columns.connection_alive, dtype=np.int8).astype(bool)
    # with no removed connection's slot in the columns (the usual case) they are read as they stand, not
    # copied through the mask first (each view is read into a new array at once: none is kept)
    every = bool(live.all())
    source = np.frombuffer(columns.connection_source, dtype=np.int64)
    src = items.rank[source if every else source[live]]
    target = np.frombuffer(columns.connection_target, dtype=np.int64)
    dst = items.rank[target if every else target[live]]
    del source, target
    n_conn = len(records)
    if src.size != n_conn:
        raise RuntimeError(f"the project's columns hold {src.size} connections, its records {n_conn}")
    kinds = np.frombuffer(columns.connection_kind, dtype=np.int8)
    is_power = (kinds if every else kinds[live]) == _MODEL_POWER
    del kinds
    # role slots: the role code, or the last slot for an unknown entry (code -1)
    n_slots = len(ROLES) + 1
    role_slot = role_codes % n_slots
    valid = _VALID_BY_ROLES[(is_power * -n_slots + n_slots + role_slot[src]) * n_slots + role_slot[dst]]
    invalid: set[str] = set()
    for k in np.flatnonzero(~valid).tolist():
        listed = listed or list(records.values())
        connection = listed[k]
        problem = _connection_problem(connection, entries)
        assert problem is not None
        invalid.add(connection.id)
        code, message = problem
        findings.append(Finding("error", code, message, (connection.source_id, connection.target_id)))

    graphs: dict[ConnectionKind, IndexedGraph] = {}
    kept: dict[ConnectionKind, IntArray] = {}
    arrays: dict[ConnectionKind, EdgeArrays] = {}
    node_items_of: dict[ConnectionKind, IntArray] = {}
    # cooling units join the power graph only when a valid power connection reaches them
    fed_unit = np.zeros(len(item_ids), dtype=bool)
    fed_unit[dst[is_power & valid]] = True
    fed_unit &= _IS_COOLING_UNIT[role_codes]
    for kind, mask in ((ConnectionKind.POWER, is_power), (ConnectionKind.COOLING, ~is_power)):
        in_graph = _STAGE[kind][role_codes] >= 0
        if kind is ConnectionKind.POWER:
            in_graph &= ~_IS_COOLING_UNIT[role_codes] | fed_unit
        node_items = node_items_of[kind] = np.flatnonzero(in_graph)
        local = np.full(len(item_ids), -1, dtype=np.int64)
        local[node_items] = np.arange(node_items.size)
        node_array = id_array[node_items]
        nodes = node_array.tolist()
        candidates = np.flatnonzero(mask & valid)
        edge_src, edge_dst = local[src[candidates]], local[dst[candidates]]
        adjacency = _adjacency(edge_src, edge_dst, len(nodes))
        cyclic = _cyclic(kind, nodes, edge_src, edge_dst, findings, adjacency)
        if cyclic.any():
            listed = listed or list(records.values())
            invalid.update(listed[k].id for k in candidates[cyclic].tolist())
            candidates, edge_src, edge_dst = candidates[~cyclic], edge_src[~cyclic], edge_dst[~cyclic]
            adjacency = _adjacency(edge_src, edge_dst, len(nodes))
        kept[kind] = candidates
        # feeds matter for power connections only, media for cooling ones only
        slots = candidates if every else np.flatnonzero(live)[candidates]
        if kind is ConnectionKind.POWER:
            feed = _MODEL_FEED[np.frombuffer(columns.connection_feed, dtype=np.int8)[slots]]
            medium = np.full(candidates.size, MEDIUM_CODE[CoolingMedium.AIR], dtype=np.int64)
        else:
            feed = np.full(candidates.size, FEED_CODE[FeedSide.SINGLE], dtype=np.int64)
            medium = _MODEL_MEDIUM[np.frombuffer(columns.connection_medium, dtype=np.int8)[slots]]
        graphs[kind] = IndexedGraph(nodes, role_codes[node_items], edge_src, edge_dst, node_array, adjacency,
                                    entry_keys=items.entry_keys[node_items])
        arrays[kind] = EdgeArrays(edge_src, edge_dst, feed, medium)

    power, cooling = graphs[ConnectionKind.POWER], graphs[ConnectionKind.COOLING]
    cooling_items = node_items_of[ConnectionKind.COOLING]
    findings.extend(_path_findings(power, cooling, arrays[ConnectionKind.COOLING], items.entry_table,
                                   items.liquid_override[cooling_items], items.liquid_default[cooling_items]))
    findings.extend(false_redundancy(power, arrays[ConnectionKind.POWER]))
    return Topology(
        rack_inputs=rack_inputs(columns, is_rack_item, items.catalog_code, items.code_entries, items.design_kw,
                                items.liquid_override),
        connection_records=records,
        power_positions=kept[ConnectionKind.POWER],
        cooling_positions=kept[ConnectionKind.COOLING],
        power_index=power,
        cooling_index=cooling,
        entries=entries,
        rack_ids=rack_ids,
        invalid_connection_ids=frozenset(invalid),
        findings=sort_findings(findings),
        power_edges=arrays[ConnectionKind.POWER],
        cooling_edges=arrays[ConnectionKind.COOLING],
        entry_table=items.entry_table,
    )


def _cyclic(kind: ConnectionKind, nodes: list[str], src: IntArray, dst: IntArray, findings: list[Finding],
            adjacency: sp.csr_matrix) -> BoolArray:
    """Which connections lie inside a cycle; one finding per cycle (strongly connected set of items).
    ``adjacency``: ``_adjacency(src, dst, len(nodes))``."""
    if not src.size:
        return np.zeros(0, dtype=bool)
    # a cycle runs through items that supply something only: look among them first (the edges into
    # racks and units, most of them, left out), the whole graph's components only when one is there
    supplies = np.zeros(len(nodes), dtype=bool)
    supplies[src] = True
    inner = supplies[dst]
    _, inner_labels = csgraph.connected_components(_adjacency(src[inner], dst[inner], len(nodes)), directed=True,
                                                   connection="strong")
    if np.bincount(inner_labels, minlength=1).max() <= 1:
        return np.zeros(src.size, dtype=bool)
    _, labels = csgraph.connected_components(adjacency, directed=True, connection="strong")
    sizes = np.bincount(labels, minlength=1)
    cyclic = np.asarray((labels[src] == labels[dst]) & (sizes[labels[src]] > 1), dtype=bool)
    if cyclic.any():
        for label in np.flatnonzero(sizes > 1):
            members = sorted(nodes[i] for i in np.flatnonzero(labels == label))
            findings.append(Finding("error", "cycle",
                                    f"{kind.value} connections form a cycle through {id_list(members)}",
                                    tuple(members)))
    return cyclic


def _connection_problem(connection: Connection, entries: Mapping[str, CatalogEntry]) -> tuple[str, str] | None:
    """(code, message) when a connection has the wrong type or direction, else None."""
    source, target = entries.get(connection.source_id), entries.get(connection.target_id)
    if source is None or target is None:
        return "unknown_catalog", f"connection {connection.id} joins an item of unknown catalog entry"
    power = connection.kind is ConnectionKind.POWER
    stages = _POWER_STAGE_WITH_UNITS if power else COOLING_STAGE_BY_ROLE
    what = connection.kind.value
    if source.role is Role.RACK:
        return "rack_feeds", f"rack {connection.source_id} cannot supply {what} to {connection.target_id}"
    if power and source.role in COOLING_UNIT_ROLES:
        return ("wrong_type",
                f"{source.role.value} {connection.source_id} cannot supply power (connection {connection.id})")
    if power and target.role in COOLING_UNIT_ROLES and source.role in stages and (
            source.role not in COOLING_FEEDER_ROLES):
        return ("wrong_type",
                f"{source.role.value} {connection.source_id} cannot feed cooling unit {connection.target_id}: "
                f"feed it from an LV switchboard, a UPS or floor distribution (connection {connection.id})")
    if source.role not in stages:
        return ("wrong_type",
                f"{source.role.value} {connection.source_id} cannot supply {what} (connection {connection.id})")
    if target.role not in stages:
        return "wrong_type", f"{what} connection {connection.id} to {target.role.value} {connection.target_id}"
    if stages[source.role] > stages[target.role]:
        return (
            "wrong_direction",
            f"{what} connection {connection.id} runs from {source.role.value} {connection.source_id} "
            f"back up to {target.role.value} {connection.target_id}",
        )
    return None


def _path_findings(
    power: IndexedGraph,
    cooling: IndexedGraph,
    cooling_edges: EdgeArrays,
    entry_table: Sequence[CatalogEntry | None],
    liquid_override: FloatArray,
    liquid_default: FloatArray,
) -> list[Finding]:
    """Racks and units with no path to supply; ``entry_table``: the entry of each key of
    ``IndexedGraph.entry_keys``; ``liquid_*``: each cooling node's liquid fraction override (nan: none)
    and catalog figure."""
    findings: list[Finding] = []
    powered = power.reachable(_IS_SOURCE[power.role_codes])
    no_power = [power.nodes[i] for i in np.flatnonzero((power.role_codes == RACK_CODE) & ~powered).tolist()]
    if no_power:
        findings.append(
            Finding("error", "no_power_path", f"{len(no_power)} rack(s) have no power path to a utility or generator: "
                    f"{id_list(no_power)}", tuple(no_power))
        )
    unpowered = [power.nodes[i] for i in np.flatnonzero(~powered & (power.out_degree > 0)).tolist()]
    if unpowered:
        findings.append(Finding("warning", "unpowered_component",
                                f"no power path from a source to {id_list(unpowered)}", tuple(unpowered)))
    is_unit = _IS_COOLING_UNIT[power.role_codes]
    dark_units = [power.nodes[i] for i in np.flatnonzero(is_unit & ~powered).tolist()]
    if dark_units:
        findings.append(Finding("warning", "unpowered_cooling",
                                f"{len(dark_units)} cooling unit(s) have a power feed but no power path to a "
                                f"utility or generator: {id_list(dark_units)}", tuple(dark_units)))
    n_fed = int(is_unit.sum())
    if n_fed:
        n_units = int(_IS_COOLING_UNIT[cooling.role_codes].sum())
        if n_units > n_fed:
            findings.append(Finding("info", "cooling_not_fed",
                                    f"{n_units - n_fed} of {n_units} cooling units have no power feed in the "
                                    "design: their power and failures are not analysed"))

    is_rack = cooling.role_codes == RACK_CODE
    roots = ~is_rack & (cooling.in_degree == 0)
    cooled = cooling.reachable(roots)
    no_cooling = [cooling.nodes[i] for i in np.flatnonzero(is_rack & ~cooled).tolist()]
    if no_cooling:
        findings.append(
            Finding("error", "no_cooling_path",
                    f"{len(no_cooling)} rack(s) have no cooling unit: {id_list(no_cooling)}",
                    tuple(no_cooling))
        )
    # only heat rejection (or a self-contained unit) originates cooling (``flow.originates``); with no
    # heat rejection in the design at all, the units reject into the plant the facility model assumes
    if _IS_REJECTION[cooling.role_codes].any():
        # (racks are left out of ``dead`` whatever they read, and feed nothing: only the others are looked at)
        # (and the parameter read once per entry key: the items of an entry share it)
        self_contained = np.zeros(len(cooling.nodes), dtype=bool)
        others = np.flatnonzero(~is_rack)
        keys, entry_of = unique_inverse(cooling.entry_keys[others])
        flags = np.array([e is not None and e.parameters.get(SELF_CONTAINED) is True
                          for e in map(entry_table.__getitem__, keys.tolist())], dtype=bool)
        self_contained[others] = flags[entry_of]
        dead = ~cooling.reachable(_IS_REJECTION[cooling.role_codes] | self_contained) & ~is_rack
        no_rejection = [cooling.nodes[i] for i in np.flatnonzero(dead).tolist()]
        if no_rejection:
            findings.append(Finding("warning", "no_heat_rejection",
                                    f"{len(no_rejection)} cooling unit(s) reject nothing: no path to heat rejection "
                                    f"(racks they alone cool are unserved): {id_list(no_rejection)}",
                                    tuple(no_rejection)))

    # media reaching each rack (liquid counts only from a CDU or an immersion tank)
    to_rack = is_rack[cooling_edges.target]
    liquid_edge = cooling_edges.medium == MEDIUM_CODE[CoolingMedium.LIQUID]
    has_liquid = np.zeros(len(cooling.nodes), dtype=bool)
    has_air = np.zeros(len(cooling.nodes), dtype=bool)
    has_liquid[cooling_edges.target[to_rack & liquid_edge
                                    & _IS_LIQUID_UNIT[cooling.role_codes[cooling_edges.source]]]] = True
    has_air[cooling_edges.target[to_rack & ~liquid_edge]] = True
    rack_nodes = np.flatnonzero(is_rack)
    # each rack's override, else its catalog entry's (not clipped)
    fraction = np.where(np.isnan(liquid_override[rack_nodes]), liquid_default[rack_nodes], liquid_override[rack_nodes])
    liquid, air = has_liquid[rack_nodes], has_air[rack_nodes]
    lacks_liquid = (fraction > 0) & ~liquid
    lacks_air = ~lacks_liquid & (fraction < 1) & (liquid | air) & ~air
    no_liquid = [cooling.nodes[i] for i in rack_nodes[lacks_liquid].tolist()]
    no_air = [cooling.nodes[i] for i in rack_nodes[lacks_air].tolist()]
    if no_liquid:
        findings.append(
            Finding("error", "no_liquid_cooling", f"{len(no_liquid)} liquid-cooled rack(s) have no liquid connection "
                    f"from a CDU or immersion tank: {id_list(no_liquid)}", tuple(no_liquid))
        )
    if no_air:
        findings.append(
            Finding("warning", "no_air_cooling", f"the air-side heat of {len(no_air)} rack(s) goes to no air unit: "
                    f"{id_list(no_air)}", tuple(no_air))
        )
    return findings


def false_redundancy(power: IndexedGraph, edges: EdgeArrays) -> list[Finding]:
    """Racks whose A- and B-side upstream paths meet in a component before the source.

    Any non-source node that is an ancestor (or itself) of both an A supplier and a B supplier of a
    rack is a single point of failure for it. One finding per distinct set of shared components.
    Racks are grouped by their (A suppliers, B suppliers) pair; the upstream sets of all pairs are
    found at once by sparse products.
    """
    n = len(power.nodes)
    # racks and fed cooling units alike: a cooling unit on A and B cords is redundant only if they part
    to_rack = (power.role_codes[edges.target] == RACK_CODE) | _IS_COOLING_UNIT[power.role_codes[edges.target]]
    sided = np.flatnonzero(to_rack & (edges.feed != FEED_CODE[FeedSide.SINGLE]))
    if not sided.size:
        return []
    rack, code = edges.target[sided], edges.feed[sided] * n + edges.source[sided]
    # one row per rack: its distinct (side, supplier) codes, sorted; first connection position
    span = int(code.max()) + 1
    # by (rack, code); ties (parallel connections) in any order: ``position`` only gives each rack's least
    order = (np.argsort(rack * span + code, kind=STABLE) if (int(rack.max()) + 1) * span < 2**62
             else np.lexsort((code, rack)))
    rack, code, position = rack[order], code[order], sided[order]
    fresh = np.ones(rack.size, dtype=bool)
    fresh[1:] = (rack[1:] != rack[:-1]) | (code[1:] != code[:-1])
    first_position = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_position, rack, position)
    rack, code = rack[fresh], code[fresh]
    starts = np.flatnonzero(np.concatenate([[True], rack[1:] != rack[:-1]]))  # sorted: runs of one rack
    racks = rack[starts]
    ends = np.append(starts[1:], rack.size)
    # a rack's codes are sorted: its first is its least (an A supplier if any), its last its greatest (B)
    both = (code[starts] < n) & (code[ends - 1] >= n)
    rows = padded_rows((ends - starts)[both], code[np.repeat(both, ends - starts)])
    racks = racks[both]
    if not racks.size:
        return []
    pair_first, pair_of_rack = equal_rows(rows)
    # pairs in order of their first rack, racks in order of their first connection
    rack_order = np.argsort(first_position[racks], kind=STABLE)  # distinct: a connection is one rack's
    pair_rank = np.full(pair_first.size, -1, dtype=np.int64)
    seen_pairs = pair_of_rack[rack_order]
    first_seen = np.unique(seen_pairs, return_index=True)[1]
    pair_sequence = seen_pairs[np.sort(first_seen)]
    pair_rank[pair_sequence] = np.arange(pair_sequence.size)
    pair_rows = rows[pair_first]

    # upstream (ancestors or self) of each pair's A and B suppliers: columns of two sparse matrices
    n_pairs = pair_rows.shape[0]
    row_idx, col_idx = np.nonzero(pair_rows >= 0)
    codes = pair_rows[row_idx, col_idx]
    a_col, a_node = row_idx[codes < n], codes[codes < n]
    b_col, b_node = row_idx[codes >= n], codes[codes >= n] - n
    # only suppliers are ever upstream: the closure runs over them alone (a fifth of the nodes, and
    # not the edges into racks and units, most of them), numbered ``local``
    supplier = np.flatnonzero(power.out_degree > 0)
    local = np.full(n, -1, dtype=np.int64)
    local[supplier] = np.arange(supplier.size)
    upper = power.out_degree[edges.target] > 0
    parents = _adjacency(local[edges.source[upper]], local[edges.target[upper]], supplier.size)
    upstream = []
    for cols, nodes in ((a_col, a_node), (b_col, b_node)):
        reach = sp.csr_matrix((np.ones(nodes.size), (local[nodes], cols)), shape=(supplier.size, n_pairs))
        while True:
            grown = reach + parents @ reach
            grown.data[:] = 1.0  # a set: every stored entry is a positive count
            if grown.nnz == reach.nnz:
                break
            reach = grown
        upstream.append(reach)
    not_source = sp.diags((~_IS_SOURCE[power.role_codes[supplier]]).astype(np.float64))
    common = (not_source @ upstream[0].multiply(upstream[1])).tocsc()
    common.eliminate_zeros()
    bad = np.diff(common.indptr) > 0
    if not bad.any():
        return []

    shared_by_set: dict[tuple[str, ...], list[str]] = defaultdict(list)
    rack_lists: dict[int, list[str]] = {int(p): [] for p in np.flatnonzero(bad).tolist()}
    for r in rack_order[bad[pair_of_rack[rack_order]]].tolist():
        rack_lists[int(pair_of_rack[r])].append(power.nodes[int(racks[r])])
    for p in pair_sequence[bad[pair_sequence]].tolist():
        shared = supplier[common.indices[common.indptr[p]:common.indptr[p + 1]]]
        in_common = set(shared.tolist())
        nearest = sorted(power.nodes[m] for m in in_common
                         if not any(s in in_common for s in power.children(m).tolist()))
        rest = [power.nodes[m] for m in in_common]
        rest.sort()
        nearest_set = set(nearest)
        rest = [m for m in rest if m not in nearest_set]
        shared_by_set[(*nearest, *rest)].extend(rack_lists[p])
    findings = []
    index = power.index
    for shared_ids, rack_list in shared_by_set.items():
        rack_list.sort()
        n_units = int(_IS_COOLING_UNIT[power.role_codes[[index[i] for i in rack_list]]].sum())
        n_racks = len(rack_list) - n_units
        what = " and ".join([*([f"{n_racks} rack(s)"] if n_racks else []),
                             *([f"{n_units} cooling unit(s)"] if n_units else [])])
        findings.append(
            Finding(
                "error",
                "false_redundancy",
                f"A and B feeds of {what} ({id_list(rack_list, 3)}) meet at "
                f"{id_list(shared_ids, 3)}: a single point of failure",
                (*shared_ids, *rack_list),
            )
        )
    return findings
