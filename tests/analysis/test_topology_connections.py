"""A topology lists the connections as they were when it was built, though it does not copy them."""

from __future__ import annotations

from analysis.analysis_builders import TEST_CATALOG
from analysis.test_flow_hand import single_rack_on_ups as small_design

from designer.analysis.topology import build_topology


def test_an_edit_after_the_build_leaves_the_topologys_connections_as_they_were() -> None:
    project = small_design().project
    before = list(project.connections.values())
    topology = build_topology(project, TEST_CATALOG)
    project.remove_connections([before[0].id])
    assert len(project.connections) == 2
    assert topology.connections == before  # 3 connections: the dict it holds was copied by the edit, not changed
    assert topology.power_connections == (before[0], before[1])


def test_once_the_topology_is_gone_an_edit_copies_nothing() -> None:
    project = small_design().project
    records = id(project.connections)  # its id only: a reference held here would be a reader
    build_topology(project, TEST_CATALOG)  # dropped at once, as the analyzer drops it after compiling
    project.remove_connections([next(iter(project.connections))])
    assert len(project.connections) == 2
    assert id(project.connections) == records  # edited in place: no reader held it (a copy is made while the
    # old dict still stands, so it would have another id)
