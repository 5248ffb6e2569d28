"""A snapshot shares the project's item and connection dicts until either side edits (copy on write).

Each side must see only its own edits: the side that edits first takes its own copy just before writing,
once, and the other side's dict never changes. A random sequence of edits on a project, its snapshots
and their snapshots is checked against references built record by record (which share nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from designer.model.project import Project
from designer.model.records import Connection, Hall, PlacedItem
from designer.model.types import ConnectionKind, FeedSide

Edit = Callable[[Project], None]


def new_project() -> Project:
    """A UPS feeding two racks (a and b feeds), and a spare rack: 4 items, 2 connections."""
    project = Project()
    project.add_hall(Hall("hall-1", "Hall", ((0.0, 0.0), (10_000.0, 0.0), (10_000.0, 10_000.0))))
    project.add_items([PlacedItem("u", "ups.a", "hall-1", 0.0, 0.0), PlacedItem("r1", "rack.a", "hall-1", 1.0, 0.0),
                       PlacedItem("r2", "rack.a", "hall-1", 2.0, 0.0), PlacedItem("r3", "rack.b", "hall-1", 3.0, 0.0)])
    project.add_connections([Connection("c1", ConnectionKind.POWER, "u", "r1", feed=FeedSide.A),
                             Connection("c2", ConnectionKind.POWER, "u", "r2", feed=FeedSide.B)])
    return project


def index_of(project: Project) -> dict[str, list[str]]:
    """``connections_of`` for every item, as connection ids."""
    return {item_id: [c.id for c in project.connections_of(item_id)] for item_id in project.items}


def expected_index(project: Project) -> dict[str, list[str]]:
    """The same, worked out from the connections alone."""
    return {item_id: sorted(c.id for c in project.connections.values() if item_id in (c.source_id, c.target_id))
            for item_id in project.items}


EDITS: dict[str, Edit] = {
    "add item": lambda p: p.add_items([PlacedItem("r9", "rack.a", "hall-1", 9.0, 0.0)]),
    "remove item": lambda p: p.remove_items(["r1"]),  # takes c1 with it
    "move item": lambda p: p.move_items({"r3": (5.0, 6.0)}),
    "replace item": lambda p: p.update_items([replace(p.items["r2"], catalog_id="rack.b", design_kw=7.5)]),
    "add connection": lambda p: p.add_connections([Connection("c9", ConnectionKind.POWER, "u", "r3")]),
    "remove connection": lambda p: p.remove_connections(["c2"]),
    "replace connection": lambda p: p.update_connections([replace(p.connections["c1"], feed=FeedSide.B)]),
}


def test_a_snapshot_shares_the_dicts_until_an_edit() -> None:
    project = new_project()
    snapshot = project.snapshot()
    assert snapshot.items is project.items and snapshot.connections is project.connections
    assert snapshot.state() == project.state()


@pytest.mark.parametrize("edited_side", ["project", "snapshot"])
@pytest.mark.parametrize("name", list(EDITS))
def test_an_edit_on_either_side_leaves_the_other_as_it_was(name: str, edited_side: str) -> None:
    project = new_project()
    snapshot = project.snapshot()
    edited, other = (project, snapshot) if edited_side == "project" else (snapshot, project)
    shared_items, shared_connections, before = project.items, project.connections, project.state()
    heard: list[object] = []
    other.events.subscribe(heard.append)

    EDITS[name](edited)

    assert edited.state() != before
    assert other.state() == before, "the other side never sees the edit"
    assert other.items is shared_items and other.connections is shared_connections, "nor a new dict"
    assert heard == []
    for side in (project, snapshot):  # each side's connection index follows its own connections
        assert index_of(side) == expected_index(side)
    reference = new_project()
    EDITS[name](reference)  # the same edit on a project that never shared anything
    assert edited.state() == reference.state()


@pytest.mark.parametrize("name", list(EDITS))
def test_the_first_edit_after_a_snapshot_copies_once_and_later_edits_write_that_copy(name: str) -> None:
    project = new_project()
    items, connections = project.items, project.connections
    project.move_items({"u": (0.5, 0.5)})  # no snapshot yet: nothing is copied
    assert project.items is items
    snapshot = project.snapshot()
    start = project.state()
    EDITS[name](project)
    touches_items = name.endswith("item")
    touches_connections = not touches_items or name == "remove item"  # removing r1 removes c1
    # only the dicts the edit writes are copied; the snapshot keeps the ones it was given
    assert (project.items is not items) == touches_items
    assert (project.connections is not connections) == touches_connections
    assert snapshot.items is items and snapshot.connections is connections
    copied_items, copied_connections = project.items, project.connections
    project.move_items({"r3": (11.0, 12.0)})  # later edits of both dicts (u and r3 are always there)
    project.add_connections([Connection("c8", ConnectionKind.COOLING, "u", "r3")])
    project.update_items([replace(project.items["u"], label="UPS")])
    project.remove_connections(["c8"])
    # a dict the first edit copied is written in place from then on; the other was copied by its own
    # first edit just now, once: the snapshot still holds both dicts it was given
    assert (project.items is copied_items) == touches_items
    assert (project.connections is copied_connections) == touches_connections
    assert snapshot.items is items and snapshot.connections is connections
    assert snapshot.state() == start


@pytest.mark.parametrize("name", list(EDITS))
def test_once_the_snapshot_is_gone_an_edit_writes_the_dicts_in_place(name: str) -> None:
    # the idle pass's snapshot is let go when the pass ends: the next edit need not copy 452,500
    # connections (50k racks) for no one
    project = new_project()
    ids = (id(project.items), id(project.connections))
    snapshot = project.snapshot()
    del snapshot
    EDITS[name](project)
    assert (id(project.items), id(project.connections)) == ids
    reference = new_project()
    EDITS[name](reference)
    assert project.state() == reference.state()
    assert index_of(project) == expected_index(project)


def test_a_dict_still_held_by_a_snapshots_reader_is_copied_though_the_snapshot_is_gone() -> None:
    project = new_project()
    snapshot = project.snapshot()
    held = snapshot.connections  # e.g. a worker still iterating what the snapshot gave it
    before = dict(held)
    del snapshot
    EDITS["remove connection"](project)
    assert held == before and project.connections is not held


def test_an_edit_that_changes_nothing_copies_nothing() -> None:
    project = new_project()
    snapshot = project.snapshot()
    project.move_items({"r1": (1.0, 0.0)})  # where it already is
    project.update_items([project.items["r2"]])
    project.update_connections([project.connections["c1"]])
    project.add_items([])
    project.add_connections([])
    project.remove_items([])
    project.remove_connections([])
    assert project.items is snapshot.items and project.connections is snapshot.connections


def test_several_snapshots_in_a_row_keep_what_each_saw() -> None:
    project = new_project()
    first = project.snapshot()
    project.move_items({"r1": (7.0, 7.0)})
    second = project.snapshot()
    third = project.snapshot()
    assert second.items is third.items is project.items and first.items is not project.items
    project.remove_items(["r2"])
    second.add_connections([Connection("c9", ConnectionKind.POWER, "u", "r3")])
    assert first.items["r1"].x_mm == 1.0 and set(first.items) == {"u", "r1", "r2", "r3"}
    assert second.items["r1"].x_mm == 7.0 and set(second.items) == {"u", "r1", "r2", "r3"}
    assert set(second.connections) == {"c1", "c2", "c9"}
    assert set(third.connections) == {"c1", "c2"}
    assert set(third.items) == {"u", "r1", "r2", "r3"} and third.items["r1"].x_mm == 7.0
    assert set(project.items) == {"u", "r1", "r3"} and set(project.connections) == {"c1"}
    third.move_items({"r3": (0.0, 9.0)})
    assert third.items["r3"].y_mm == 9.0 and second.items["r3"].y_mm == 0.0 and project.items["r3"].y_mm == 0.0
    assert first.items["r3"].y_mm == 0.0


def test_a_snapshot_of_a_snapshot_is_independent_of_both() -> None:
    project = new_project()
    child = project.snapshot()
    grandchild = child.snapshot()
    assert grandchild.items is child.items is project.items
    start = project.state()
    child.remove_items(["r1"])
    assert project.state() == start and grandchild.state() == start
    grandchild.update_connections([replace(grandchild.connections["c2"], feed=FeedSide.A)])
    assert project.state() == start and "c1" not in child.connections and child.connections["c2"].feed is FeedSide.B
    project.move_items({"u": (4.0, 4.0)})
    assert grandchild.items["u"].x_mm == 0.0 and child.items["u"].x_mm == 0.0
    assert grandchild.items is not child.items  # child copied on its edit; grandchild kept the first dict
    for side in (project, child, grandchild):
        assert index_of(side) == expected_index(side)


def test_a_year_view_takes_dicts_of_its_own() -> None:
    project = new_project()
    items, connections = project.items, project.connections
    view = project.without_items(frozenset({"r1"}))
    assert set(view.items) == {"u", "r2", "r3"} and set(view.connections) == {"c2"}
    project.move_items({"r2": (8.0, 8.0)})
    project.remove_connections(["c2"])
    assert project.items is items and project.connections is connections  # nothing shared them: no copy
    assert view.items["r2"].x_mm == 2.0 and "c2" in view.connections
    view.remove_items(["r2"])
    assert set(project.items) == {"u", "r1", "r2", "r3"}
    # a view taken while a snapshot shares the dicts leaves them shared: the next edit still copies
    snapshot = project.snapshot()
    project.without_items(frozenset({"r3"}))
    project.move_items({"r3": (1.5, 1.5)})
    assert snapshot.items["r3"].x_mm == 3.0 and project.items is not snapshot.items
    assert project.without_items(frozenset()).items is project.items  # no item left out: a plain snapshot


# ----------------------------------------------------------------- random edits on either side
OPS = ("add_items", "remove_items", "move_items", "update_items", "add_connections", "remove_connections",
       "update_connections", "snapshot", "without_items")


def rebuilt(project: Project) -> Project:
    """A project equal to ``project`` built record by record: it shares no dict with anyone."""
    copy = Project(metadata=project.metadata, site=project.site, settings=project.settings)
    for hall in project.halls.values():
        copy.add_hall(hall)
    copy.add_items(list(project.items.values()))
    copy.add_connections(list(project.connections.values()))
    return copy


def apply(project: Project, op: str, pick: int, serial: int) -> Project | None:
    """One edit chosen by (op, pick); ``serial`` makes new ids. A snapshot or year view op returns the copy."""
    items, connections = list(project.items), list(project.connections)
    if op == "add_items":
        project.add_items([PlacedItem(f"n{serial}", "rack.a", "hall-1", float(pick), 0.0)])
    elif op == "remove_items" and items:
        project.remove_items([items[pick % len(items)]])
    elif op == "move_items" and items:
        project.move_items({items[pick % len(items)]: (float(pick), float(serial))})
    elif op == "update_items" and items:
        item = project.items[items[pick % len(items)]]
        project.update_items([replace(item, design_kw=float(serial))])
    elif op == "add_connections" and len(items) >= 2:
        source, target = items[pick % len(items)], items[(pick + 1) % len(items)]
        project.add_connections([Connection(f"k{serial}", ConnectionKind.POWER, source, target)])
    elif op == "remove_connections" and connections:
        project.remove_connections([connections[pick % len(connections)]])
    elif op == "update_connections" and connections:
        connection = project.connections[connections[pick % len(connections)]]
        feeds = tuple(FeedSide)
        project.update_connections([replace(connection, feed=feeds[(feeds.index(connection.feed) + 1) % len(feeds)])])
    elif op == "snapshot":
        return project.snapshot()
    elif op == "without_items" and items:
        return project.without_items(frozenset({items[pick % len(items)]}))
    return None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 1000), st.integers(0, 1000)), max_size=40))
def test_random_edits_on_any_side_match_references_that_share_nothing(ops: list[tuple[str, int, int]]) -> None:
    projects = [new_project()]
    references = [rebuilt(projects[0])]
    for serial, (op, which, pick) in enumerate(ops):
        k = which % len(projects)
        copy = apply(projects[k], op, pick, serial)
        if copy is None:
            apply(references[k], op, pick, serial)
        else:
            projects.append(copy)
            reference_copy = apply(references[k], op, pick, serial)
            assert reference_copy is not None
            references.append(rebuilt(reference_copy))
        for project, reference in zip(projects, references, strict=True):
            assert project.state() == reference.state()
            assert index_of(project) == index_of(reference)
