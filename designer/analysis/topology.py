"""Power and cooling graphs from a project's connections, and the checks on their shape.

The checks run on integer-indexed scipy.sparse adjacency (``IndexedGraph``); the networkx
DiGraphs (``Topology.power`` / ``.cooling``) are built on first use for interactive queries. The
per-edit arithmetic lives in ``flow.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

from designer.analysis.findings import Finding, id_list, merged_catalog, sort_findings
from designer.analysis.loads import BoolArray, IntArray
from designer.model.catalog import CatalogEntry
from designer.model.project import Project
from designer.model.records import Connection
from designer.model.types import (
    COOLING_STAGE_BY_ROLE,
    HEAT_REJECTION_ROLES,
    POWER_STAGE_BY_ROLE,
    SOURCE_ROLES,
    ConnectionKind,
    CoolingMedium,
    FeedSide,
    Role,
)

LIQUID_UNIT_ROLES = frozenset({Role.CDU, Role.IMMERSION_TANK})


class IndexedGraph:
    """One graph's valid connections as integer arrays (node ``i`` is ``nodes[i]``), for fast checks."""

    def __init__(self, nodes: list[str], roles: Mapping[str, Role], connections: tuple[Connection, ...]) -> None:
        self.nodes = tuple(nodes)
        self.index = {n: i for i, n in enumerate(nodes)}
        self.roles = tuple(roles[n] for n in nodes)
        n = len(nodes)
        src = np.fromiter((self.index[c.source_id] for c in connections), dtype=np.int64, count=len(connections))
        dst = np.fromiter((self.index[c.target_id] for c in connections), dtype=np.int64, count=len(connections))
        self.successors = sp.csr_matrix((np.ones(src.size), (src, dst)), shape=(n, n))
        self.predecessors = sp.csr_matrix(self.successors.T)
        self.in_degree = np.diff(self.predecessors.indptr)
        self.out_degree = np.diff(self.successors.indptr)
        self._ancestors: dict[int, frozenset[int]] = {}

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

    def ancestors_or_self(self, i: int) -> frozenset[int]:
        found = self._ancestors.get(i)
        if found is None:
            seen = {i}
            stack = [i]
            pred = self.predecessors
            while stack:
                node = stack.pop()
                for parent in pred.indices[pred.indptr[node]:pred.indptr[node + 1]].tolist():
                    if parent not in seen:
                        seen.add(parent)
                        stack.append(parent)
            found = self._ancestors[i] = frozenset(seen)
        return found


@dataclass(frozen=True)
class Topology:
    """The valid connections of each graph plus what was wrong with the rest.

    ``power`` and ``cooling`` are networkx DiGraphs (node keys are item ids, built on first use)
    of the connections that passed the type, direction and cycle checks, so they are acyclic;
    edges carry ``id``, ``feed`` and ``medium`` attributes and nodes a ``role``. ``entries`` maps
    every item whose catalog entry is known to that entry.
    """

    power_connections: tuple[Connection, ...]
    cooling_connections: tuple[Connection, ...]
    power_index: IndexedGraph
    cooling_index: IndexedGraph
    entries: Mapping[str, CatalogEntry]
    rack_ids: tuple[str, ...]
    invalid_connection_ids: frozenset[str]
    findings: tuple[Finding, ...]

    @cached_property
    def power(self) -> nx.DiGraph:
        return _digraph(self.power_index, self.power_connections)

    @cached_property
    def cooling(self) -> nx.DiGraph:
        return _digraph(self.cooling_index, self.cooling_connections)


def _digraph(index: IndexedGraph, connections: tuple[Connection, ...]) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from((n, {"role": r}) for n, r in zip(index.nodes, index.roles, strict=True))
    # Parallel connections between the same two items collapse to one edge in the graph;
    # the flow arrays keep them apart.
    graph.add_edges_from((c.source_id, c.target_id, {"id": c.id, "feed": c.feed, "medium": c.medium})
                         for c in connections)
    return graph


def item_entries(project: Project, catalog: Mapping[str, CatalogEntry]) -> tuple[dict[str, CatalogEntry], list[str]]:
    """Item id -> catalog entry, and the ids of items whose entry is unknown."""
    entries = merged_catalog(catalog, project.custom_catalog)
    resolved: dict[str, CatalogEntry] = {}
    unknown: list[str] = []
    for item in project.items.values():
        entry = entries.get(item.catalog_id)
        if entry is None:
            unknown.append(item.id)
        else:
            resolved[item.id] = entry
    return resolved, unknown


def build_topology(project: Project, catalog: Mapping[str, CatalogEntry]) -> Topology:
    """Check every connection and build the graphs of the valid ones."""
    entries, unknown = item_entries(project, catalog)
    findings: list[Finding] = []
    if unknown:
        findings.append(
            Finding("error", "unknown_catalog", f"unknown catalog entry for {id_list(unknown)}", tuple(unknown))
        )
    rack_ids = tuple(item_id for item_id, entry in entries.items() if entry.role is Role.RACK)

    candidates: dict[ConnectionKind, list[Connection]] = {ConnectionKind.POWER: [], ConnectionKind.COOLING: []}
    invalid: set[str] = set()
    role_of = {item_id: entry.role for item_id, entry in entries.items()}
    valid_kinds: set[tuple[Role, Role, ConnectionKind]] = set()
    for connection in project.connections.values():
        roles = (role_of.get(connection.source_id), role_of.get(connection.target_id), connection.kind)
        if roles in valid_kinds:
            candidates[connection.kind].append(connection)
            continue
        problem = _connection_problem(connection, entries)
        if problem is None:
            valid_kinds.add(roles)  # type: ignore[arg-type]
            candidates[connection.kind].append(connection)
        else:
            invalid.add(connection.id)
            code, message = problem
            findings.append(Finding("error", code, message, (connection.source_id, connection.target_id)))

    graphs: dict[ConnectionKind, IndexedGraph] = {}
    valid: dict[ConnectionKind, tuple[Connection, ...]] = {}
    for kind, connections in candidates.items():
        stages = POWER_STAGE_BY_ROLE if kind is ConnectionKind.POWER else COOLING_STAGE_BY_ROLE
        nodes = [item_id for item_id, role in role_of.items() if role in stages]
        kept = _drop_cycles(kind, nodes, connections, findings, invalid)
        graphs[kind] = IndexedGraph(nodes, role_of, kept)
        valid[kind] = kept

    power, cooling = graphs[ConnectionKind.POWER], graphs[ConnectionKind.COOLING]
    findings.extend(_path_findings(power, cooling, valid[ConnectionKind.COOLING], entries, rack_ids, project))
    findings.extend(false_redundancy(power, valid[ConnectionKind.POWER], rack_ids))
    return Topology(
        power_connections=valid[ConnectionKind.POWER],
        cooling_connections=valid[ConnectionKind.COOLING],
        power_index=power,
        cooling_index=cooling,
        entries=entries,
        rack_ids=rack_ids,
        invalid_connection_ids=frozenset(invalid),
        findings=sort_findings(findings),
    )


def _drop_cycles(
    kind: ConnectionKind,
    nodes: list[str],
    connections: list[Connection],
    findings: list[Finding],
    invalid: set[str],
) -> tuple[Connection, ...]:
    """The connections not inside a cycle; one finding per cycle (strongly connected set of items)."""
    index = {n: i for i, n in enumerate(nodes)}
    src = np.fromiter((index[c.source_id] for c in connections), dtype=np.int64, count=len(connections))
    dst = np.fromiter((index[c.target_id] for c in connections), dtype=np.int64, count=len(connections))
    adjacency = sp.csr_matrix((np.ones(src.size), (src, dst)), shape=(len(nodes), len(nodes)))
    _, labels = csgraph.connected_components(adjacency, directed=True, connection="strong")
    sizes = np.bincount(labels, minlength=1)
    cyclic = (labels[src] == labels[dst]) & (sizes[labels[src]] > 1)
    if not cyclic.any():
        return tuple(connections)
    for label in np.flatnonzero(sizes > 1):
        members = sorted(nodes[i] for i in np.flatnonzero(labels == label))
        findings.append(Finding("error", "cycle", f"{kind.value} connections form a cycle through {id_list(members)}",
                                tuple(members)))
    invalid.update(c.id for c, bad in zip(connections, cyclic.tolist(), strict=True) if bad)
    return tuple(c for c, bad in zip(connections, cyclic.tolist(), strict=True) if not bad)


def _connection_problem(connection: Connection, entries: Mapping[str, CatalogEntry]) -> tuple[str, str] | None:
    """(code, message) when a connection has the wrong type or direction, else None."""
    source, target = entries.get(connection.source_id), entries.get(connection.target_id)
    if source is None or target is None:
        return "unknown_catalog", f"connection {connection.id} joins an item of unknown catalog entry"
    stages = POWER_STAGE_BY_ROLE if connection.kind is ConnectionKind.POWER else COOLING_STAGE_BY_ROLE
    what = connection.kind.value
    if source.role is Role.RACK:
        return "rack_feeds", f"rack {connection.source_id} cannot supply {what} to {connection.target_id}"
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
    cooling_connections: tuple[Connection, ...],
    entries: Mapping[str, CatalogEntry],
    rack_ids: tuple[str, ...],
    project: Project,
) -> list[Finding]:
    findings: list[Finding] = []
    sources = np.array([role in SOURCE_ROLES for role in power.roles], dtype=bool)
    powered = power.reachable(sources)
    no_power = [r for r in rack_ids if not powered[power.index[r]]]
    if no_power:
        findings.append(
            Finding("error", "no_power_path", f"{len(no_power)} rack(s) have no power path to a utility or generator: "
                    f"{id_list(no_power)}", tuple(no_power))
        )
    unpowered = [power.nodes[i] for i in np.flatnonzero(~powered & (power.out_degree > 0)).tolist()]
    if unpowered:
        findings.append(Finding("warning", "unpowered_component",
                                f"no power path from a source to {id_list(unpowered)}", tuple(unpowered)))

    not_rack = np.array([role is not Role.RACK for role in cooling.roles], dtype=bool)
    roots = not_rack & (cooling.in_degree == 0)
    cooled = cooling.reachable(roots)
    no_cooling = [r for r in rack_ids if not cooled[cooling.index[r]]]
    if no_cooling:
        findings.append(
            Finding("error", "no_cooling_path",
                    f"{len(no_cooling)} rack(s) have no cooling unit: {id_list(no_cooling)}",
                    tuple(no_cooling))
        )
    no_rejection = [cooling.nodes[i] for i in np.flatnonzero(roots & (cooling.out_degree > 0)).tolist()
                    if cooling.roles[i] not in HEAT_REJECTION_ROLES]
    if no_rejection:
        findings.append(Finding("warning", "no_heat_rejection",
                                f"cooling unit(s) with no heat rejection upstream: {id_list(no_rejection)}",
                                tuple(no_rejection)))

    media: dict[str, set[CoolingMedium]] = defaultdict(set)
    for c in cooling_connections:
        if entries[c.target_id].role is Role.RACK:
            if c.medium is CoolingMedium.LIQUID and entries[c.source_id].role not in LIQUID_UNIT_ROLES:
                continue
            media[c.target_id].add(c.medium)
    no_liquid: list[str] = []
    no_air: list[str] = []
    for rack_id in rack_ids:
        fraction = rack_liquid_fraction(project, entries, rack_id)
        if fraction > 0 and CoolingMedium.LIQUID not in media[rack_id]:
            no_liquid.append(rack_id)
        elif fraction < 1 and media[rack_id] and CoolingMedium.AIR not in media[rack_id]:
            no_air.append(rack_id)
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


def rack_liquid_fraction(project: Project, entries: Mapping[str, CatalogEntry], rack_id: str) -> float:
    item = project.items[rack_id]
    return entries[rack_id].liquid_fraction if item.liquid_fraction is None else item.liquid_fraction


def false_redundancy(power: IndexedGraph, connections: Iterable[Connection], rack_ids: Iterable[str]) -> list[Finding]:
    """Racks whose A- and B-side upstream paths meet in a component before the source.

    Any non-source node that is an ancestor (or itself) of both an A supplier and a B supplier of a
    rack is a single point of failure for it. One finding per distinct set of shared components.
    """
    sides: dict[str, tuple[set[int], set[int]]] = {}
    racks = set(rack_ids)
    for c in connections:
        if c.target_id in racks and c.feed is not FeedSide.SINGLE:
            a_side, b_side = sides.setdefault(c.target_id, (set(), set()))
            (a_side if c.feed is FeedSide.A else b_side).add(power.index[c.source_id])

    def upstream(nodes: Iterable[int]) -> set[int]:
        result: set[int] = set()
        for node in nodes:
            result |= power.ancestors_or_self(node)
        return result

    by_pair: dict[tuple[frozenset[int], frozenset[int]], list[str]] = defaultdict(list)
    for rack_id, (a_side, b_side) in sides.items():
        if a_side and b_side:
            by_pair[(frozenset(a_side), frozenset(b_side))].append(rack_id)
    shared_by_set: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for (a_set, b_set), rack_list in by_pair.items():
        common = {n for n in upstream(a_set) & upstream(b_set) if power.roles[n] not in SOURCE_ROLES}
        if common:
            # report the most downstream shared components first: they are the nearest single points
            nearest = sorted(power.nodes[n] for n in common
                             if not any(s in common for s in power.children(n).tolist()))
            rest = sorted(power.nodes[n] for n in common)
            rest = [n for n in rest if n not in nearest]
            shared_by_set[(*nearest, *rest)].extend(rack_list)
    findings = []
    for shared, rack_list in shared_by_set.items():
        rack_list.sort()
        findings.append(
            Finding(
                "error",
                "false_redundancy",
                f"A and B feeds of {len(rack_list)} rack(s) ({id_list(rack_list, 3)}) meet at {id_list(shared, 3)}: "
                "a single point of failure",
                (*shared, *rack_list),
            )
        )
    return findings
