"""The project's columns (``Project.columns``) say exactly what its records say after any edits.

Random sequences of edits (add, remove, update and move items; add, remove and update connections;
remove-then-restore as an undo does; snapshots and year views edited on both sides) are replayed,
and after each the live slots of every project's columns are checked field by field against its
records, in record order. The thresholds for dropping the columns on a big batch and for squeezing
out dead slots are lowered so that both paths run.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.model import columns as columns_module
from designer.model import project as project_module
from designer.model.columns import FEEDS, KINDS, MEDIA, WORKLOADS, ProjectColumns
from designer.model.project import Project
from designer.model.records import Connection, Hall, PlacedItem, PodInstance
from designer.model.types import ConnectionKind, CoolingMedium, FeedSide, WorkloadClass

CATALOG_IDS = ("rack.a", "rack.b", "ups.a", "crah.a")


def expected_rows(project: Project) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """(items, connections) as the columns should hold them, from the records."""
    items = [(item.id, item.catalog_id, item.design_kw, item.liquid_fraction, item.weight_kg, item.workload,
              item.hall_id, item.pod_id) for item in project.items.values()]
    connections = [(c.id, c.source_id, c.target_id, c.kind, c.feed, c.medium) for c in project.connections.values()]
    return items, connections


def column_rows(project: Project) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """(items, connections) read from the live slots of the columns, ids from the record order."""
    columns = project.columns
    item_slots = [slot for slot, alive in enumerate(columns.item_alive) if alive]
    connection_slots = [slot for slot, alive in enumerate(columns.connection_alive) if alive]
    assert len(item_slots) == len(project.items) and len(connection_slots) == len(project.connections)
    id_of_slot = dict(zip(item_slots, project.items, strict=True))

    def optional(value: float) -> float | None:
        return None if math.isnan(value) else value

    items = [(item_id, columns.catalog_ids[columns.item_catalog[s]], optional(columns.item_design_kw[s]),
              optional(columns.item_liquid_fraction[s]), optional(columns.item_weight_kg[s]),
              None if columns.item_workload[s] < 0 else WORKLOADS[columns.item_workload[s]],
              columns.hall_ids[columns.item_hall[s]],
              None if columns.item_pod[s] < 0 else columns.pod_ids[columns.item_pod[s]])
             for item_id, s in zip(project.items, item_slots, strict=True)]
    connections = [
        (connection_id, id_of_slot[columns.connection_source[s]], id_of_slot[columns.connection_target[s]],
         KINDS[columns.connection_kind[s]], FEEDS[columns.connection_feed[s]], MEDIA[columns.connection_medium[s]])
        for connection_id, s in zip(project.connections, connection_slots, strict=True)]
    if columns.item_slot is not None:
        assert columns.item_slot == dict(zip(project.items, item_slots, strict=True))
    if columns.connection_slot is not None:
        assert columns.connection_slot == dict(zip(project.connections, connection_slots, strict=True))
    return items, connections


def check(project: Project) -> None:
    assert column_rows(project) == expected_rows(project)


def new_project() -> Project:
    project = Project()
    for hall_id in ("hall-1", "hall-2"):
        project.add_hall(Hall(hall_id, "Hall", ((0.0, 0.0), (10_000.0, 0.0), (10_000.0, 10_000.0))))
    project.add_pod(PodInstance("pod-1", "template", "hall-1"))
    project.add_pod(PodInstance("pod-2", "template", "hall-2"))
    return project


HALLS = ("hall-2", "hall-1")
PODS = (None, "pod-2", "pod-1")
WORKLOAD_CHOICES = (None, WorkloadClass.AI, WorkloadClass.STORAGE)


class Editor:
    """Replays coded edits on a set of projects (the first, then its snapshots and year views)."""

    def __init__(self) -> None:
        self.projects = [new_project()]
        self.counter = 0

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.counter}"

    def apply(self, op: str, pick: int, size: int) -> None:
        project = self.projects[pick % len(self.projects)]
        items, connections = list(project.items.values()), list(project.connections.values())
        if op == "add_items":
            project.add_items([PlacedItem(self.fresh("item"), CATALOG_IDS[(pick + k) % len(CATALOG_IDS)],
                                          HALLS[(pick + k) % 2], 0.0, 0.0, design_kw=[None, 12.5][(pick + k) % 2],
                                          liquid_fraction=[None, 0.25, 1.0][(pick + k) % 3],
                                          weight_kg=[None, 900.0][(pick + k) % 2], pod_id=PODS[(pick + k) % 3],
                                          workload=WORKLOAD_CHOICES[(pick + k) % 3])
                               for k in range(size)])
        elif op == "remove_items" and items:
            project.remove_items([items[(pick + k) % len(items)].id for k in range(min(size, len(items)))])
        elif op == "restore" and items:  # remove, then put back as an undo does
            removed = project.remove_items([items[(pick + k) % len(items)].id for k in range(min(size, len(items)))])
            project.add_items(removed.items)
            project.add_connections(removed.connections)
        elif op == "update_items" and items:
            chosen = {items[(pick + k) % len(items)].id: items[(pick + k) % len(items)] for k in range(size)}
            project.update_items([replace(item, catalog_id=CATALOG_IDS[(pick + len(item.id)) % len(CATALOG_IDS)],
                                          design_kw=None if item.design_kw else 7.0,
                                          liquid_fraction=None if item.liquid_fraction is not None else 0.5,
                                          weight_kg=None if item.weight_kg else 1100.0,
                                          workload=WORKLOAD_CHOICES[(pick + len(item.id) + 1) % 3],
                                          hall_id=HALLS[(pick + len(item.id)) % 2],
                                          pod_id=PODS[(pick + len(item.id) + 2) % 3])
                                  for item in chosen.values()])
        elif op == "move_items" and items:
            project.move_items({items[pick % len(items)].id: (float(pick), 1.0)})
        elif op == "add_connections" and len(items) >= 2:
            project.add_connections([
                Connection(self.fresh("c"), [ConnectionKind.POWER, ConnectionKind.COOLING][(pick + k) % 2],
                           items[(pick + k) % len(items)].id, items[(pick + k + 1) % len(items)].id,
                           feed=FEEDS[(pick + k) % 3], medium=MEDIA[(pick + k) % 2])
                for k in range(size) if (pick + k) % len(items) != (pick + k + 1) % len(items)])
        elif op == "remove_connections" and connections:
            project.remove_connections([connections[(pick + k) % len(connections)].id
                                        for k in range(min(size, len(connections)))])
        elif op == "update_connections" and connections:
            chosen_connections = {c.id: c for c in (connections[(pick + k) % len(connections)] for k in range(size))}
            project.update_connections([
                replace(c, kind=ConnectionKind.COOLING if c.kind is ConnectionKind.POWER else ConnectionKind.POWER,
                        feed=FEEDS[(FEEDS.index(c.feed) + 1) % 3],
                        medium=CoolingMedium.LIQUID if c.medium is CoolingMedium.AIR else CoolingMedium.AIR)
                for c in chosen_connections.values()])
        elif op == "snapshot":
            self.projects.append(project.snapshot())
        elif op == "without_items" and items:
            self.projects.append(project.without_items(frozenset(items[(pick + k) % len(items)].id
                                                                 for k in range(min(size, len(items))))))


OPS = ("add_items", "remove_items", "restore", "update_items", "move_items", "add_connections",
       "remove_connections", "update_connections", "snapshot", "without_items")


@pytest.fixture
def small_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(project_module, "LAZY_INDEX_BATCH", 6)  # batches of 7+ drop the columns
    monkeypatch.setattr(columns_module, "MIN_COMPACT", 2)  # squeeze dead slots out early


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 1000), st.integers(1, 9)), max_size=60))
def test_columns_follow_the_records_through_any_edits(small_thresholds: None, ops: list[tuple[str, int, int]]) -> None:
    editor = Editor()
    for op, pick, size in ops:
        editor.apply(op, pick, size)
        for project in editor.projects:
            check(project)


def test_a_hand_sequence_reads_back_slot_by_slot(small_thresholds: None) -> None:
    project = new_project()
    project.add_items([PlacedItem("u", "ups.a", "hall-1", 0, 0), PlacedItem("r1", "rack.a", "hall-1", 0, 0),
                       PlacedItem("r2", "rack.b", "hall-1", 0, 0, design_kw=9.0)])
    project.add_connections([Connection("c1", ConnectionKind.POWER, "u", "r1", feed=FeedSide.A),
                             Connection("c2", ConnectionKind.POWER, "u", "r2", feed=FeedSide.B)])
    project.remove_items(["r1"])  # takes c1 with it: slots 1 (r1) and 0 (c1) die, nothing moves
    columns = project.columns
    assert list(columns.item_alive) == [1, 0, 1]
    assert list(columns.connection_alive) == [0, 1]
    assert (columns.connection_source[1], columns.connection_target[1]) == (0, 2)  # u -> r2 by slot
    assert FEEDS[columns.connection_feed[1]] is FeedSide.B
    assert columns.catalog_ids == ["ups.a", "rack.a", "rack.b"]
    assert columns.item_design_kw[2] == 9.0 and math.isnan(columns.item_design_kw[0])
    check(project)


def test_a_snapshot_shares_the_columns_until_either_side_edits() -> None:
    project = new_project()
    project.add_items([PlacedItem("a", "ups.a", "hall-1", 0, 0), PlacedItem("b", "rack.a", "hall-1", 0, 0)])
    copy = project.snapshot()
    assert copy.columns.item_catalog is project.columns.item_catalog  # nothing copied yet
    project.update_items([replace(project.items["b"], catalog_id="rack.b")])
    assert copy.columns.item_catalog is not project.columns.item_catalog
    check(project)
    check(copy)
    assert copy.columns.catalog_ids == ["ups.a", "rack.a"]  # the snapshot kept what it saw


def test_a_big_batch_leaves_the_columns_to_be_built_from_the_records(small_thresholds: None) -> None:
    project = new_project()
    project.add_items([PlacedItem(f"r{k}", "rack.a", "hall-1", 0, 0) for k in range(7)])  # 7 > 6: dropped
    assert project._columns is None
    assert isinstance(project.columns, ProjectColumns)
    check(project)
    project.add_items([PlacedItem("r-late", "rack.b", "hall-1", 0, 0)])  # kept in step from now on
    check(project)
