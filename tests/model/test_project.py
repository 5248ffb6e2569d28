"""The project model: integrity rules, change events, and exact restore of removed records."""

from __future__ import annotations

from dataclasses import replace

import pytest

from designer.model import (
    ChangeAction,
    ChangeEvent,
    Collection,
    Connection,
    ConnectionKind,
    Hall,
    ModelError,
    PlacedItem,
    Project,
    default_timeline,
)


def record_events(project: Project) -> list[ChangeEvent]:
    events: list[ChangeEvent] = []
    project.events.subscribe(events.append)
    return events


def test_add_move_change_remove_emit_one_event_each(small_project: Project) -> None:
    events = record_events(small_project)
    small_project.add_items(
        [PlacedItem("rack-9", "rack.i", "hall-1", 0, 0), PlacedItem("rack-10", "rack.i", "hall-1", 600, 0)]
    )
    small_project.move_items({"rack-9": (1200.0, 0.0), "rack-10": (1800.0, 0.0)})
    small_project.update_items([replace(small_project.items["rack-9"], rotation_deg=90.0)])
    small_project.remove_items(["rack-9", "rack-10"])
    assert [(e.action, e.collection, e.ids) for e in events] == [
        (ChangeAction.ADDED, Collection.ITEMS, ("rack-9", "rack-10")),
        (ChangeAction.MOVED, Collection.ITEMS, ("rack-9", "rack-10")),
        (ChangeAction.CHANGED, Collection.ITEMS, ("rack-9",)),
        (ChangeAction.REMOVED, Collection.ITEMS, ("rack-9", "rack-10")),
    ]


def test_no_event_when_nothing_changes(small_project: Project) -> None:
    events = record_events(small_project)
    item = small_project.items["rack-1"]
    small_project.move_items({"rack-1": (item.x_mm, item.y_mm)})
    small_project.update_items([item])
    assert events == []


def test_removing_an_item_takes_its_connections_and_restoring_gives_the_same_state(small_project: Project) -> None:
    before = small_project.state()
    removed = small_project.remove_items(["rack-1"])
    assert {c.id for c in removed.connections} == {"c3", "c4", "c5"}
    assert "c3" not in small_project.connections
    small_project.add_items(removed.items)
    small_project.add_connections(removed.connections)
    assert small_project.state() == before
    assert [c.id for c in small_project.connections_of("rack-1")] == ["c3", "c4", "c5"]


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda p: p.add_items([PlacedItem("rack-1", "rack.t", "hall-1", 0, 0)]), "already used"),
        (lambda p: p.add_items([PlacedItem("x", "rack.t", "no-hall", 0, 0)]), "unknown hall"),
        (lambda p: p.add_connections([Connection("cx", ConnectionKind.POWER, "ups-a", "ghost")]), "unknown item"),
        (lambda p: p.add_connections([Connection("cx", ConnectionKind.POWER, "ups-a", "ups-a")]), "itself"),
        (lambda p: p.move_items({"ghost": (0.0, 0.0)}), "no item"),
        (lambda p: p.remove_hall("hall-1"), "still holds items"),
    ],
)
def test_integrity_violations_are_refused_and_change_nothing(small_project: Project, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    before = small_project.state()
    with pytest.raises(ModelError, match=message):
        edit(small_project)
    assert small_project.state() == before


def test_batch_add_is_all_or_nothing(small_project: Project) -> None:
    before = small_project.state()
    with pytest.raises(ModelError):
        small_project.add_items([PlacedItem("ok", "rack.t", "hall-1", 0, 0), PlacedItem("bad", "rack.t", "nope", 0, 0)])
    assert small_project.state() == before


def test_new_id_never_collides(small_project: Project) -> None:
    ids = {small_project.new_id("rack") for _ in range(50)}
    assert len(ids) == 50
    assert not ids & set(small_project.items)


def test_default_timeline_runs_from_20_to_80_percent_inference() -> None:
    timeline = default_timeline()
    assert timeline[0].inference_share == pytest.approx(0.2)
    assert timeline[-1].inference_share == pytest.approx(0.8)
    assert [y.year for y in timeline] == sorted(y.year for y in timeline)


def test_a_snapshot_keeps_the_state_while_the_project_is_edited() -> None:
    project = Project()
    project.add_hall(Hall("h", "Hall", ((0, 0), (10_000, 0), (10_000, 10_000), (0, 10_000))))
    project.add_items([PlacedItem("a", "rack", "h", 1_000, 1_000)])
    snapshot = project.snapshot()
    before = project.state()
    heard: list[object] = []
    snapshot.events.subscribe(heard.append)
    project.add_items([PlacedItem("b", "rack", "h", 3_000, 1_000)])
    project.move_items({"a": (2_000.0, 2_000.0)})
    assert snapshot.state() == before
    assert project.state() != before
    assert heard == [], "the snapshot has its own (empty) listeners"


def test_a_snapshot_rebuilds_its_connection_index_from_its_own_connections() -> None:
    from designer.model.records import Connection
    from designer.model.types import ConnectionKind

    project = Project()
    project.add_hall(Hall("h", "Hall", ((0, 0), (10_000, 0), (10_000, 10_000), (0, 10_000))))
    project.add_items([PlacedItem(i, "rack", "h", 1_000 * n, 1_000) for n, i in enumerate(("a", "b", "c"), 1)])
    project.add_connections([Connection("c1", ConnectionKind.POWER, "a", "b")])
    snapshot = project.snapshot()
    project.add_connections([Connection("c2", ConnectionKind.POWER, "a", "c")])  # after the snapshot
    project.remove_connections(["c1"])
    assert [c.id for c in snapshot.connections_of("a")] == ["c1"]
    assert [c.id for c in project.connections_of("a")] == ["c2"]
    snapshot.remove_items(["b"])  # the copy is a whole project: its index works for edits too
    assert snapshot.connections_of("a") == [] and "c1" not in snapshot.connections


def test_a_large_batch_of_connections_leaves_an_index_built_when_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Over LAZY_INDEX_BATCH, add_connections drops the by-item index; the first look-up rebuilds it
    from every connection, and later edits keep it right."""
    from designer.model import project as project_module

    monkeypatch.setattr(project_module, "LAZY_INDEX_BATCH", 2)
    project = Project()
    project.add_hall(Hall("h", "Hall", ((0, 0), (10_000, 0), (10_000, 10_000), (0, 10_000))))
    project.add_items([PlacedItem(i, "rack", "h", 1_000 * n, 1_000) for n, i in enumerate("abcd", 1)])
    project.add_connections([Connection("c0", ConnectionKind.POWER, "a", "d")])  # small: index kept
    project.add_connections([Connection(f"c{n}", ConnectionKind.POWER, "a", t) for n, t in enumerate("bcd", 1)])
    project.add_connections([Connection("c4", ConnectionKind.POWER, "b", "c")])  # small, after the large one
    assert [c.id for c in project.connections_of("a")] == ["c0", "c1", "c2", "c3"]
    assert [c.id for c in project.connections_of("c")] == ["c2", "c4"]
    removed = project.remove_items(["d"])
    assert sorted(c.id for c in removed.connections) == ["c0", "c3"]
    assert [c.id for c in project.connections_of("a")] == ["c1", "c2"]
    with pytest.raises(ModelError, match="unknown item"):
        project.add_connections([Connection(f"x{n}", ConnectionKind.POWER, "a", "ghost") for n in range(3)])
    with pytest.raises(ModelError, match="itself"):
        project.add_connections([Connection(f"y{n}", ConnectionKind.POWER, "b", "b") for n in range(3)])
    assert [c.id for c in project.connections_of("b")] == ["c1", "c4"]


def test_add_pods_adds_all_or_nothing_in_one_event() -> None:
    from designer.model import Hall, PodInstance, Project
    from designer.model.project import ModelError

    project = Project()
    project.add_hall(Hall("h", "Hall", ((0, 0), (5000, 0), (5000, 5000), (0, 5000))))
    events = []
    project.events.subscribe(events.append)
    project.add_pods([PodInstance("p1", "t", "h"), PodInstance("p2", "t", "h")])
    assert list(project.pods) == ["p1", "p2"] and len(events) == 1 and events[0].ids == ("p1", "p2")
    import pytest

    for bad in ([PodInstance("p3", "t", "h"), PodInstance("p3", "t", "h")],  # the same id twice
                [PodInstance("p4", "t", "h"), PodInstance("p5", "t", "nowhere")],  # an unknown hall
                [PodInstance("p6", "t", "h", in_service_year=2030, retirement_year=2030)]):  # retired as it starts
        with pytest.raises(ModelError):
            project.add_pods(bad)
    assert list(project.pods) == ["p1", "p2"]  # nothing of a refused batch was added
