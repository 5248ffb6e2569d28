"""Undo commands call model methods only: push, undo and redo restore project.state() exactly."""

from dataclasses import replace

from PySide6.QtGui import QUndoStack

from designer.model.records import Connection, PlacedItem, PodInstance
from designer.model.types import ConnectionKind, FeedSide
from designer.ui.commands import (
    AddConnectionsCommand,
    AddItemsCommand,
    MoveItemsCommand,
    RemoveConnectionsCommand,
    RemoveItemsCommand,
    UngroupPodCommand,
    UpdateItemsCommand,
    describe_items,
)


def _rack(item_id: str, x: float, y: float = 1000.0, **extra: object) -> PlacedItem:
    return PlacedItem(item_id, "rack.air", "hall-1", x, y, **extra)  # type: ignore[arg-type]


def _populated(project):  # type: ignore[no-untyped-def]
    project.add_pod(PodInstance("pod-1", "pod.test", "hall-1"))
    project.add_items(
        [
            _rack("rack-1", 900),
            _rack("rack-2", 1500),
            _rack("rack-3", 2100, pod_id="pod-1"),
            _rack("rack-4", 2700, pod_id="pod-1"),
            PlacedItem("bus-1", "busway", "hall-1", 3000, 3000),
        ]
    )
    project.add_connections(
        [
            Connection("conn-1", ConnectionKind.POWER, "bus-1", "rack-1", FeedSide.A),
            Connection("conn-2", ConnectionKind.POWER, "bus-1", "rack-3", FeedSide.A),
        ]
    )
    return project


def _round_trip(qtbot, project, command):  # type: ignore[no-untyped-def]
    stack = QUndoStack()
    before = project.state()
    stack.push(command)
    after = project.state()
    assert after != before
    stack.undo()
    assert project.state() == before
    stack.redo()
    assert project.state() == after
    stack.undo()
    assert project.state() == before
    return after


def test_add_items_with_pod_and_connections_round_trips(qtbot, project):  # type: ignore[no-untyped-def]
    pod = PodInstance("pod-9", "pod.test", "hall-1")
    items = [_rack("rack-1", 900, pod_id="pod-9"), PlacedItem("bus-1", "busway", "hall-1", 900, 3000, pod_id="pod-9")]
    links = [Connection("conn-1", ConnectionKind.POWER, "bus-1", "rack-1", FeedSide.A)]
    command = AddItemsCommand(project, items, links, pods=[pod], text="Add pod")
    assert command.text() == "Add pod"
    _round_trip(qtbot, project, command)
    assert not project.items and not project.pods and not project.connections


def test_remove_items_restores_connections_and_emptied_pods(qtbot, project):  # type: ignore[no-untyped-def]
    _populated(project)
    after = _round_trip(qtbot, project, RemoveItemsCommand(project, ["rack-3", "rack-4", "rack-1"]))
    items, connections, pods = after[4], after[5], after[6]
    assert set(items) == {"rack-2", "bus-1"}
    assert connections == {}
    assert pods == {}


def test_remove_part_of_a_pod_keeps_the_pod(qtbot, project):  # type: ignore[no-untyped-def]
    _populated(project)
    after = _round_trip(qtbot, project, RemoveItemsCommand(project, ["rack-3"]))
    assert "pod-1" in after[6]


def test_move_and_update_round_trip(qtbot, project):  # type: ignore[no-untyped-def]
    _populated(project)
    command = MoveItemsCommand(project, {"rack-1": (5000, 5000), "rack-2": (6000, 5000)}, text="Move 2 racks")
    assert command.text() == "Move 2 racks"
    _round_trip(qtbot, project, command)
    turned = [replace(project.items["rack-1"], rotation_deg=90.0, label="R1")]
    _round_trip(qtbot, project, UpdateItemsCommand(project, turned, "Rotate rack-1"))


def test_connection_commands_round_trip(qtbot, project):  # type: ignore[no-untyped-def]
    _populated(project)
    link = Connection("conn-9", ConnectionKind.POWER, "bus-1", "rack-2", FeedSide.B)
    _round_trip(qtbot, project, AddConnectionsCommand(project, [link]))
    _round_trip(qtbot, project, RemoveConnectionsCommand(project, ["conn-1", "conn-2"]))


def test_ungroup_round_trip(qtbot, project):  # type: ignore[no-untyped-def]
    _populated(project)
    after = _round_trip(qtbot, project, UngroupPodCommand(project, "pod-1"))
    assert after[6] == {}
    assert after[4]["rack-3"].pod_id is None


def test_describe_items(catalog):  # type: ignore[no-untyped-def]
    racks = [_rack(f"rack-{i}", i * 600) for i in range(8)]
    assert describe_items(racks, catalog.__getitem__) == "8 racks"
    assert describe_items(racks[:1], catalog.__getitem__) == "rack-0"
    mixed = [*racks[:2], PlacedItem("bus-1", "busway", "hall-1", 0, 0)]
    assert describe_items(mixed, catalog.__getitem__) == "3 items"
