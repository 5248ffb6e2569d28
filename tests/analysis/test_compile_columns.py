"""The graph build reads the model's columns (``Project.columns``): after edits kept in step with the
records, the compiled networks are exactly those of the same design built afresh from its records.

Each example (and a 10,000-rack synthetic campus) is edited (items removed with their connections,
a feed flipped, a connection removed and put back, rack overrides, a snapshot edited on its own),
then compiled; a copy whose columns are rebuilt from its records must compile to the same arrays,
findings and ids, field by field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from support import make_entry

from designer.analysis.engine import Analyzer, Compiled
from designer.analysis.loads import build_rack_table
from designer.analysis.rack_inputs import rack_table
from designer.analysis.synthetic import build_campus
from designer.analysis.topology import (
    _VALID_BY_ROLES,
    ROLES,
    Topology,
    TopologyFacts,
    _connection_problem,
    build_topology,
)
from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.model.catalog import CatalogEntry
from designer.model.project import Project
from designer.model.records import Connection
from designer.model.types import ConnectionKind, FeedSide, ItemKind, WorkloadClass

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "examples").glob("*.dcplan"))


def same(a: object, b: object, where: str) -> None:
    """``a`` equals ``b`` exactly (arrays bitwise, sparse matrices entry by entry), else fail naming where."""
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape, where
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), where
    elif sp.issparse(a):
        assert sp.issparse(b) and a.shape == b.shape and a.dtype == b.dtype, where
        assert (a != b).nnz == 0, where
    elif dataclasses.is_dataclass(a) and not isinstance(a, type):
        assert type(a) is type(b), where
        for f in dataclasses.fields(a):
            same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, list | tuple):
        assert isinstance(b, list | tuple) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{i}]")
    else:
        assert a == b, where


def compare_topologies(built: Topology, fresh: Topology) -> None:
    for name in ("connections", "power_positions", "cooling_positions", "rack_ids", "invalid_connection_ids",
                 "findings", "power_edges", "cooling_edges"):
        same(getattr(built, name), getattr(fresh, name), f"topology.{name}")
    assert dict(built.entries) == dict(fresh.entries)
    assert list(built.entries) == list(fresh.entries)
    for graph in ("power_index", "cooling_index"):
        a, b = getattr(built, graph), getattr(fresh, graph)
        for name in ("nodes", "role_codes", "successors", "predecessors", "in_degree", "out_degree"):
            same(getattr(a, name), getattr(b, name), f"{graph}.{name}")


def compare(built: Compiled, fresh: Compiled) -> None:
    # the compiled networks keep the topology's facts only (its graphs are compared by compare_topologies)
    same(built.topology, fresh.topology, "topology")
    assert list(built.topology.entries) == list(fresh.topology.entries)
    for name in ("power", "cooling", "power_shares", "cooling_shares", "power_weights", "cooling_weights",
                 "feeds", "feed_plan", "rack_table"):
        same(getattr(built, name), getattr(fresh, name), name)


def rebuilt(project: Project) -> Project:
    """A copy whose columns are built from its records when first read."""
    copy = project.snapshot()
    copy._columns = None
    copy._columns_shared = False
    return copy


def edit(project: Project) -> Project:
    """A few edits of each kind; returns a snapshot taken midway, edited on its own after."""
    items = list(project.items.values())
    project.remove_items([items[len(items) // 3].id, items[len(items) // 2].id])
    connections = list(project.connections.values())
    flipped = connections[len(connections) // 4]
    project.update_connections([replace(flipped, feed=FeedSide.A if flipped.feed is FeedSide.B else FeedSide.B)])
    again = connections[len(connections) // 5]
    project.remove_connections([again.id])
    project.add_connections([again])
    racks = [i for i in project.items.values() if i.catalog_id.startswith("rack")]
    snapshot = project.snapshot()
    if racks:
        project.update_items([replace(racks[0], liquid_fraction=0.5), replace(racks[-1], design_kw=12.0),
                              replace(racks[len(racks) // 2], workload=WorkloadClass.STORAGE, weight_kg=1234.0,
                                      pod_id=None)])
    project.remove_connections([connections[7].id])
    snapshot.remove_items([list(snapshot.items)[1]])
    return snapshot


def check_project(project: Project, catalog: Mapping[str, CatalogEntry]) -> None:
    assert project.columns is not None  # built now (a file's big batch leaves them unbuilt), kept in step after
    for candidate in (project, edit(project)):
        assert candidate._columns is not None
        analyzer, fresh = Analyzer(), Analyzer()
        try:
            compiled = analyzer.compile(candidate, catalog)
            compare(compiled, fresh.compile(rebuilt(candidate), catalog))
            topology = build_topology(candidate, catalog)
            compare_topologies(topology, build_topology(rebuilt(candidate), catalog))
            # the rack table read from the columns is the one read from the records
            from_records = build_rack_table([candidate.items[i] for i in topology.rack_ids], topology.entries,
                                            candidate.halls)
            assert topology.rack_inputs is not None
            same(rack_table(topology.rack_ids, topology.rack_inputs, candidate.halls), from_records, "rack_table")
        finally:
            analyzer.close()
            fresh.close()


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_compile_the_same_from_kept_columns(path: Path) -> None:
    catalog = load_catalog(include_user=False)
    check_project(load_project(path, catalog), catalog)


def test_a_10k_campus_compiles_the_same_from_kept_columns() -> None:
    check_project(build_campus(10_000, {}), {})


def test_the_examples_are_there() -> None:
    assert len(EXAMPLES) >= 4


def test_the_validity_table_agrees_with_the_worded_checks_for_every_role_pair() -> None:
    """A connection is valid by ``_VALID_BY_ROLES`` exactly when ``_connection_problem`` finds nothing
    (the build words a finding for every invalid one): every kind, source role and target role."""
    entries = {f"i-{role.value}": make_entry(f"e-{role.value}", ItemKind.POWER, role) for role in ROLES}
    n_slots = len(ROLES) + 1
    checked = 0
    for kind_offset, kind in enumerate((ConnectionKind.POWER, ConnectionKind.COOLING)):
        for s, source in enumerate(ROLES):
            for d, target in enumerate(ROLES):
                connection = Connection("c", kind, f"i-{source.value}", f"i-{target.value}")
                valid = bool(_VALID_BY_ROLES[(kind_offset * n_slots + s) * n_slots + d])
                assert valid == (_connection_problem(connection, entries) is None), (kind, source, target)
                checked += 1
    assert checked == 2 * len(ROLES) ** 2


def test_the_label_arrays_are_numpy_s_own_string_arrays() -> None:
    from designer.analysis.engine import _str_array

    # numpy's own: as wide as the longest string in code points (a non-BMP one counts 1), at least
    # one wide when empty, trailing NULs dropped alike
    for values in ([], [""], ["power", "power", "cooling"], ["ab", "c\U0001f600d"], ["a\x00"], ("r",) * 3):
        expected = np.array(values, dtype=str)
        got = _str_array(values)
        assert got.dtype == expected.dtype and got.shape == expected.shape
        assert got.tolist() == expected.tolist()
    assert _str_array(["ab", "c\U0001f600d"]).dtype == np.dtype("<U3")


def test_the_compiled_networks_keep_the_topologys_facts_not_its_graphs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The graphs, edge arrays and connection list of a topology are read to compile the networks only
    (~37 MB at 50k racks were kept with them): once compiled, nothing holds the ``Topology``."""
    import gc
    import weakref

    from designer.analysis import engine

    built: list[weakref.ref[Topology]] = []

    def build(project: Project, catalog: Mapping[str, CatalogEntry]) -> Topology:
        topology = build_topology(project, catalog)
        built.append(weakref.ref(topology))
        return topology

    monkeypatch.setattr(engine, "build_topology", build)
    project = build_campus(300, {})
    analyzer = Analyzer()
    try:
        results = analyzer.analyze(project, {}, failures=True)
        compiled = analyzer.compile(project, {})
        gc.collect()
        assert len(built) == 1 and built[0]() is None
        assert type(compiled.topology) is TopologyFacts
        cold = build_topology(project, {})
        assert compiled.topology == cold.facts() and compiled.topology.rack_ids == cold.rack_ids
        assert results.rack_ids.size == len(cold.rack_ids)
    finally:
        analyzer.close()
