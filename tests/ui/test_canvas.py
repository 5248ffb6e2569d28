"""The canvas: palette drops, mouse drags, keyboard edits, pods, connections, and following the model."""

from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication

from designer.model.records import Connection, PlacedItem
from designer.model.types import ConnectionKind, CoolingMedium, FeedSide
from designer.ui.canvas.scene import EditMode
from designer.ui.canvas.view import CATALOG_MIME, LABEL_MIN_SCALE, POD_MIME


def drop(canvas, mime_type: str, payload: str, scene_pos: QPointF) -> QDropEvent:  # type: ignore[no-untyped-def]
    """Enter, move and drop on the viewport, the way a palette drag would."""
    mime = QMimeData()
    mime.setData(mime_type, payload.encode("utf-8"))
    point = canvas.view.mapFromScene(scene_pos)
    viewport = canvas.view.viewport()
    actions = Qt.DropAction.CopyAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point, actions, mime, buttons, modifiers)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    move = QDragMoveEvent(point, actions, mime, buttons, modifiers)
    QApplication.sendEvent(viewport, move)
    event = QDropEvent(QPointF(point), actions, mime, buttons, modifiers)
    QApplication.sendEvent(viewport, event)
    return event


def drag(qtbot, canvas, start: QPointF, end: QPointF, modifier=Qt.KeyboardModifier.NoModifier):  # type: ignore[no-untyped-def]
    viewport = canvas.view.viewport()
    a, b = canvas.view.mapFromScene(start), canvas.view.mapFromScene(end)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, modifier, a)
    middle = QPoint((a.x() + b.x()) // 2, (a.y() + b.y()) // 2)
    for point in (middle, b):
        # QTest.mouseMove carries no modifiers, so send the moves by hand
        local = QPointF(point)
        move = QMouseEvent(
            QEvent.Type.MouseMove,
            local,
            QPointF(viewport.mapToGlobal(point)),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.LeftButton,
            modifier,
        )
        QApplication.sendEvent(viewport, move)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, modifier, b)


def click(qtbot, canvas, at: QPointF, modifier=Qt.KeyboardModifier.NoModifier):  # type: ignore[no-untyped-def]
    qtbot.mouseClick(canvas.view.viewport(), Qt.MouseButton.LeftButton, modifier, canvas.view.mapFromScene(at))


def add_racks(canvas, count: int, catalog_id: str = "rack.air", y: float = 3000.0) -> list[str]:  # type: ignore[no-untyped-def]
    return canvas.editor.place_row(catalog_id, count, 3000, y)


def test_palette_drop_places_a_snapped_item(canvas):  # type: ignore[no-untyped-def]
    event = drop(canvas, CATALOG_MIME, "rack.air", QPointF(1000, 1000))
    assert event.isAccepted()
    project = canvas.document.project
    (item,) = project.items.values()
    # a 600 x 1200 footprint: its corner (700, 400) snaps to (600, 600) on the 600 mm grid
    assert (item.x_mm, item.y_mm) == (900.0, 1200.0)
    assert item.catalog_id == "rack.air" and item.hall_id == "hall-1"
    assert canvas.scene.items_by_id[item.id].pos() == QPointF(900, 1200)
    assert canvas.document.selected_ids() == [item.id]
    canvas.document.undo_stack.undo()
    assert not project.items and not canvas.scene.items_by_id


def test_other_drops_are_ignored_by_the_canvas(canvas):  # type: ignore[no-untyped-def]
    mime = QMimeData()
    mime.setText("hello")
    enter = QDragEnterEvent(
        QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(canvas.view.viewport(), enter)
    assert not enter.isAccepted()


def test_pod_drop_lands_as_one_group_with_its_connections(qtbot, canvas):  # type: ignore[no-untyped-def]
    drop(canvas, POD_MIME, "pod.test", QPointF(6100, 6100))
    project = canvas.document.project
    (pod,) = project.pods.values()
    members = project.items_in_pod(pod.id)
    assert len(members) == 4 and len(project.connections) == 3
    assert len(canvas.scene.connections_by_id) == 3
    assert {(i.x_mm, i.y_mm) for i in members if i.catalog_id == "rack.air"} == {(5700, 6000), (6300, 6000)}
    assert canvas.document.undo_stack.count() == 1
    # clicking one member selects the whole pod
    canvas.document.set_selection([])
    click(qtbot, canvas, QPointF(5700, 6000))
    assert sorted(canvas.document.selected_ids()) == sorted(i.id for i in members)
    canvas.document.undo_stack.undo()
    assert not project.pods and not project.items and not project.connections


def test_mouse_drag_moves_the_model_in_one_undo_step(qtbot, canvas):  # type: ignore[no-untyped-def]
    ids = add_racks(canvas, 3)
    project = canvas.document.project
    canvas.document.set_selection(ids)
    start_state = project.state()
    stack = canvas.document.undo_stack
    count = stack.count()
    first = project.items[ids[0]]
    drag(qtbot, canvas, QPointF(first.x_mm, first.y_mm), QPointF(first.x_mm + 2000, first.y_mm + 1000))
    assert stack.count() == count + 1
    assert stack.text(stack.count() - 1) == "Move 3 racks"
    moved = project.items[ids[0]]
    # snapped: the corner moved by whole tiles, 2000 -> 1800 and 1000 -> 1200
    assert (moved.x_mm - first.x_mm, moved.y_mm - first.y_mm) == (1800.0, 1200.0)
    assert project.items[ids[2]].x_mm - project.items[ids[0]].x_mm == 1200.0
    for item_id in ids:
        graphic = canvas.scene.items_by_id[item_id]
        assert (graphic.x(), graphic.y()) == (project.items[item_id].x_mm, project.items[item_id].y_mm)
    moved_state = project.state()
    stack.undo()
    assert project.state() == start_state
    assert canvas.scene.items_by_id[ids[0]].pos() == QPointF(first.x_mm, first.y_mm)
    stack.redo()
    assert project.state() == moved_state


def test_shift_drag_moves_freely(qtbot, canvas):  # type: ignore[no-untyped-def]
    (rack_id,) = add_racks(canvas, 1)
    item = canvas.document.project.items[rack_id]
    drag(
        qtbot,
        canvas,
        QPointF(item.x_mm, item.y_mm),
        QPointF(item.x_mm + 2000, item.y_mm),
        Qt.KeyboardModifier.ShiftModifier,
    )
    moved = canvas.document.project.items[rack_id]
    step = canvas.view.mapToScene(QPoint(1, 0)).x() - canvas.view.mapToScene(QPoint(0, 0)).x()
    assert abs(moved.x_mm - item.x_mm - 2000) <= 2 * step  # within a pixel or two of the cursor
    assert moved.x_mm - item.x_mm not in (1800.0, 2400.0)


def test_click_and_ctrl_click_select(qtbot, canvas):  # type: ignore[no-untyped-def]
    ids = add_racks(canvas, 3)
    items = canvas.document.project.items
    click(qtbot, canvas, QPointF(items[ids[0]].x_mm, items[ids[0]].y_mm))
    assert canvas.document.selected_ids() == [ids[0]]
    click(qtbot, canvas, QPointF(items[ids[2]].x_mm, items[ids[2]].y_mm), Qt.KeyboardModifier.ControlModifier)
    assert sorted(canvas.document.selected_ids()) == sorted([ids[0], ids[2]])
    click(qtbot, canvas, QPointF(items[ids[0]].x_mm, items[ids[0]].y_mm), Qt.KeyboardModifier.ControlModifier)
    assert canvas.document.selected_ids() == [ids[2]]
    click(qtbot, canvas, QPointF(20000, 15000))
    assert canvas.document.selected_ids() == []


def test_rubber_band_and_select_all(qtbot, canvas):  # type: ignore[no-untyped-def]
    ids = add_racks(canvas, 4)
    canvas.editor.place_row("rack.air", 2, 3000, 9000)
    canvas.document.set_selection([])
    drag(qtbot, canvas, QPointF(2000, 2000), QPointF(6000, 5000))
    assert sorted(canvas.document.selected_ids()) == sorted(ids)
    canvas.scene.select_all()
    assert len(canvas.document.selected_ids()) == 6


def test_arrow_keys_nudge_by_a_tile_or_100_mm(qtbot, canvas):  # type: ignore[no-untyped-def]
    (rack_id,) = add_racks(canvas, 1)
    x = canvas.document.project.items[rack_id].x_mm
    canvas.view.setFocus()
    qtbot.keyClick(canvas.view, Qt.Key.Key_Right)
    assert canvas.document.project.items[rack_id].x_mm == x + 600
    qtbot.keyClick(canvas.view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert canvas.document.project.items[rack_id].x_mm == x + 500
    qtbot.keyClick(canvas.view, Qt.Key.Key_Down)
    # consecutive nudges of the same items are one undo step
    stack = canvas.document.undo_stack
    assert stack.count() == 2
    stack.undo()
    assert (canvas.document.project.items[rack_id].x_mm, canvas.document.project.items[rack_id].y_mm) == (x, 3000.0)


def test_rotate_turns_the_selection_as_a_block(canvas):  # type: ignore[no-untyped-def]
    ids = add_racks(canvas, 2)
    project = canvas.document.project
    before = project.state()
    canvas.document.set_selection(ids)
    canvas.editor.rotate_selection()
    a, b = project.items[ids[0]], project.items[ids[1]]
    assert a.rotation_deg == b.rotation_deg == 90.0
    assert a.x_mm == b.x_mm and b.y_mm - a.y_mm == 600.0  # the row now runs along y
    assert canvas.scene.items_by_id[ids[0]].rotation() == 90.0
    assert canvas.document.undo_stack.undoText() == "Rotate 2 racks"
    canvas.document.undo_stack.undo()
    assert project.state() == before


def test_copy_paste_duplicate_delete(canvas):  # type: ignore[no-untyped-def]
    ids = add_racks(canvas, 2)
    project = canvas.document.project
    project.add_items([PlacedItem("bus-1", "busway", "hall-1", 5000, 6000)])
    project.add_connections(
        [
            Connection("conn-1", ConnectionKind.POWER, "bus-1", ids[0], FeedSide.A),
            Connection("conn-2", ConnectionKind.POWER, ids[0], ids[1], FeedSide.A),
        ]
    )
    canvas.document.set_selection(ids)
    assert canvas.editor.copy_selection()
    pasted = canvas.editor.paste()
    assert len(pasted) == 2 and not set(pasted) & set(ids)
    assert project.items[pasted[0]].x_mm == project.items[ids[0]].x_mm + 600
    # only the link between the copied items comes along
    copied_links = [c for c in project.connections.values() if c.target_id in pasted]
    assert [(c.source_id, c.target_id) for c in copied_links] == [(pasted[0], pasted[1])]
    duplicated = canvas.editor.duplicate()
    assert len(duplicated) == 2 and len(project.items) == 7
    assert canvas.document.undo_stack.undoText() == "Duplicate 2 racks"
    before_delete = project.state()
    canvas.document.set_selection(ids)
    canvas.editor.delete_selection()
    assert ids[0] not in project.items and "conn-1" not in project.connections
    assert ids[0] not in canvas.scene.items_by_id and "conn-1" not in canvas.scene.connections_by_id
    canvas.document.undo_stack.undo()
    assert project.state() == before_delete
    assert "conn-1" in canvas.scene.connections_by_id


def test_cut_removes_and_paste_brings_back(canvas):  # type: ignore[no-untyped-def]
    ids = add_racks(canvas, 3)
    canvas.document.set_selection(ids)
    canvas.editor.cut_selection()
    assert not canvas.document.project.items
    assert len(canvas.editor.paste()) == 3


def test_delete_a_selected_connection_disconnects(canvas):  # type: ignore[no-untyped-def]
    ids = add_racks(canvas, 1)
    project = canvas.document.project
    project.add_items([PlacedItem("bus-1", "busway", "hall-1", 5000, 6000)])
    project.add_connections([Connection("conn-1", ConnectionKind.POWER, "bus-1", ids[0], FeedSide.A)])
    canvas.document.set_selection(["conn-1"])
    assert canvas.scene.connections_by_id["conn-1"].isSelected()
    canvas.editor.delete_selection()
    assert not project.connections and len(project.items) == 2
    assert canvas.document.undo_stack.undoText() == "Disconnect connection"


def test_align_and_distribute(canvas):  # type: ignore[no-untyped-def]
    project = canvas.document.project
    project.add_items(
        [
            PlacedItem("a", "rack.air", "hall-1", 900, 1200),
            PlacedItem("b", "rack.air", "hall-1", 2100, 3600),
            PlacedItem("c", "rack.air", "hall-1", 6000, 2400),
        ]
    )
    canvas.document.set_selection(["a", "b", "c"])
    canvas.editor.align_left()
    assert {project.items[i].x_mm for i in "abc"} == {900.0}
    canvas.document.undo_stack.undo()
    canvas.editor.align_top()
    assert {project.items[i].y_mm for i in "abc"} == {1200.0}
    canvas.editor.distribute_horizontally()
    xs = [project.items[i].x_mm for i in "abc"]
    assert xs == [900.0, 3450.0, 6000.0]


def test_place_row_side_by_side(canvas):  # type: ignore[no-untyped-def]
    ids = canvas.editor.place_row("rack.liquid", 8, 3000, 3000)
    items = [canvas.document.project.items[i] for i in ids]
    assert [i.x_mm - items[0].x_mm for i in items] == [600.0 * n for n in range(8)]
    assert len({i.y_mm for i in items}) == 1
    assert canvas.document.undo_stack.undoText() == "Place row of 8 racks"
    assert canvas.document.undo_stack.count() == 1


def test_pod_rotates_as_one_and_ungroups(qtbot, canvas):  # type: ignore[no-untyped-def]
    canvas.editor.drop_pod("pod.test", QPointF(6000, 6000))
    project = canvas.document.project
    (pod_id,) = project.pods
    members = sorted(i.id for i in project.items_in_pod(pod_id))
    canvas.document.set_selection(canvas.scene.expand_to_pods(members[:1]))
    assert sorted(canvas.document.selected_ids()) == members
    canvas.editor.rotate_selection()
    assert {project.items[i].rotation_deg for i in members} == {90.0}
    racks = sorted(
        (project.items[i] for i in members if project.items[i].catalog_id == "rack.air"), key=lambda item: item.y_mm
    )
    assert racks[0].x_mm == racks[1].x_mm and racks[1].y_mm - racks[0].y_mm == 600.0
    canvas.editor.ungroup_selection()
    assert not project.pods and all(project.items[i].pod_id is None for i in members)
    canvas.document.set_selection([])
    click(qtbot, canvas, QPointF(racks[0].x_mm, racks[0].y_mm))
    assert canvas.document.selected_ids() == [racks[0].id]
    canvas.document.undo_stack.undo()
    assert list(project.pods) == [pod_id]


def test_drag_of_a_pod_member_moves_the_whole_pod(qtbot, canvas):  # type: ignore[no-untyped-def]
    canvas.editor.drop_pod("pod.test", QPointF(6000, 6000))
    project = canvas.document.project
    before = {i.id: (i.x_mm, i.y_mm) for i in project.items.values()}
    canvas.document.set_selection([])
    drag(qtbot, canvas, QPointF(5700, 6000), QPointF(5700 + 1200, 6000 + 600))
    after = {i.id: (i.x_mm, i.y_mm) for i in project.items.values()}
    deltas = {(after[i][0] - before[i][0], after[i][1] - before[i][1]) for i in before}
    assert deltas == {(1200.0, 600.0)}
    assert canvas.document.undo_stack.count() == 2


def test_opened_pod_lets_single_items_be_picked(qtbot, canvas):  # type: ignore[no-untyped-def]
    canvas.editor.drop_pod("pod.test", QPointF(6000, 6000))
    canvas.editor.open_selected_pods()
    canvas.document.set_selection([])
    click(qtbot, canvas, QPointF(5700, 6000))
    assert len(canvas.document.selected_ids()) == 1
    canvas.editor.close_pods()
    assert len(canvas.document.selected_ids()) == 4


def test_connect_tool_creates_power_and_cooling_links(qtbot, canvas):  # type: ignore[no-untyped-def]
    project = canvas.document.project
    project.add_items(
        [
            PlacedItem("rack-1", "rack.liquid", "hall-1", 3300, 3600),
            PlacedItem("bus-1", "busway", "hall-1", 6000, 8000),
            PlacedItem("cdu-1", "cdu", "hall-1", 12000, 3600),
        ]
    )
    canvas.scene.set_mode(EditMode.CONNECT)
    canvas.editor.feed = FeedSide.B
    drag(qtbot, canvas, QPointF(6000, 8000), QPointF(3300, 3600))
    # dragged the other way round: direction still follows the chain
    drag(qtbot, canvas, QPointF(3300, 3600), QPointF(12000, 3600))
    links = sorted(project.connections.values(), key=lambda c: c.kind)
    assert [(c.kind, c.source_id, c.target_id) for c in links] == [
        (ConnectionKind.COOLING, "cdu-1", "rack-1"),
        (ConnectionKind.POWER, "bus-1", "rack-1"),
    ]
    power = next(c for c in links if c.kind is ConnectionKind.POWER)
    cooling = next(c for c in links if c.kind is ConnectionKind.COOLING)
    assert power.feed is FeedSide.B and cooling.medium is CoolingMedium.LIQUID
    assert len(canvas.scene.connections_by_id) == 2
    assert project.items["rack-1"].x_mm == 3300  # connect mode never moves items
    messages = []
    canvas.editor.message.connect(messages.append)
    drag(qtbot, canvas, QPointF(6000, 8000), QPointF(3300, 3600))  # bus-1 already feeds rack-1 on B
    assert len(project.connections) == 2 and any("already feeds" in m for m in messages)
    # a busway may power a cooling unit: the drag makes a power feed into the CDU
    drag(qtbot, canvas, QPointF(6000, 8000), QPointF(12000, 3600))
    assert {(c.kind, c.source_id, c.target_id) for c in project.connections.values()} >= {
        (ConnectionKind.POWER, "bus-1", "cdu-1")}


def test_auto_connect_feeds_a_and_b_from_different_suppliers(canvas):  # type: ignore[no-untyped-def]
    project = canvas.document.project
    ids = canvas.editor.place_row("rack.liquid", 4, 3000, 3000)
    project.add_items(
        [
            PlacedItem("ups-a", "ups", "hall-1", 2000, 15000),
            PlacedItem("ups-b", "ups", "hall-1", 8000, 15000),
            PlacedItem("bus-a", "busway", "hall-1", 4000, 2000),
            PlacedItem("bus-b", "busway", "hall-1", 4000, 5500),
            PlacedItem("cdu-1", "cdu", "hall-1", 9000, 3600),
            PlacedItem("inrow-1", "inrow", "hall-1", 1800, 3600),
            PlacedItem("inrow-2", "inrow", "hall-1", 20000, 3600),
        ]
    )
    project.add_connections(
        [
            Connection("c-a", ConnectionKind.POWER, "ups-a", "bus-a"),
            Connection("c-b", ConnectionKind.POWER, "ups-b", "bus-b"),
        ]
    )
    canvas.document.set_selection([])
    made = canvas.editor.auto_connect()
    # 4 racks x (A, B, liquid, air) and an A and a B cord into each of the 3 cooling units
    assert made == 4 * 4 + 3 * 2
    assert canvas.document.undo_stack.undoText() == "Auto-connect 4 racks and power to 3 cooling units"
    for unit in ("cdu-1", "inrow-1", "inrow-2"):
        cords = {c.feed: c.source_id for c in project.connections_of(unit) if c.kind is ConnectionKind.POWER}
        assert cords == {FeedSide.A: "ups-a", FeedSide.B: "ups-b"}
    for rack_id in ids:
        feeds = {c.feed: c.source_id for c in project.connections_of(rack_id) if c.kind is ConnectionKind.POWER}
        assert set(feeds) == {FeedSide.A, FeedSide.B} and feeds[FeedSide.A] != feeds[FeedSide.B]
        media = {c.medium: c.source_id for c in project.connections_of(rack_id) if c.kind is ConnectionKind.COOLING}
        assert media[CoolingMedium.LIQUID] == "cdu-1"
    # 20 kW of air heat per rack: the near 70 kW in-row unit takes three, the far one the fourth
    air = [
        c.source_id
        for c in project.connections.values()
        if c.medium is CoolingMedium.AIR and c.kind is ConnectionKind.COOLING
    ]
    assert sorted(air) == ["inrow-1"] * 3 + ["inrow-2"]
    # a second run finds nothing left to do
    assert canvas.editor.auto_connect() == 0
    canvas.document.undo_stack.undo()
    assert len(project.connections) == 2


def test_scene_mirrors_edits_made_outside_the_ui(canvas):  # type: ignore[no-untyped-def]
    project = canvas.document.project
    scene = canvas.scene
    project.add_items([PlacedItem(f"r{i}", "rack.air", "hall-1", 900 + 600 * i, 1200) for i in range(5)])
    project.add_items([PlacedItem("other", "rack.air", "hall-2", 900, 1200)])
    assert set(scene.items_by_id) == {f"r{i}" for i in range(5)}
    project.move_items({"r0": (9000, 9000), "r1": (9600, 9000)})
    assert scene.items_by_id["r0"].pos() == QPointF(9000, 9000)
    assert scene.items_by_id["r0"].make_label().pos() == QPointF(9000, 9000)
    project.add_connections([Connection("c", ConnectionKind.POWER, "r0", "r1")])
    project.move_items({"r1": (12000, 9000)})
    assert scene.connections_by_id["c"].line().p2().x() == 12000
    project.remove_items(["r2", "r3"])
    assert set(scene.items_by_id) == {"r0", "r1", "r4"}
    from dataclasses import replace

    project.update_items([replace(project.items["r4"], rotation_deg=180.0, label="Spine")])
    assert scene.items_by_id["r4"].rotation() == 180.0
    assert scene.items_by_id["r4"].make_label().text() == "Spine"
    project.update_items([replace(project.items["r4"], hall_id="hall-2")])
    assert "r4" not in scene.items_by_id
    graphics = [g for g in scene.items() if g in set(scene.items_by_id.values())]
    assert len(graphics) == 2


def test_switching_halls_shows_the_other_hall(canvas):  # type: ignore[no-untyped-def]
    project = canvas.document.project
    project.add_items(
        [PlacedItem("a", "rack.air", "hall-1", 900, 1200), PlacedItem("b", "rack.air", "hall-2", 900, 1200)]
    )
    canvas.document.set_current_hall("hall-2")
    assert set(canvas.scene.items_by_id) == {"b"}
    canvas.editor.drop_catalog_entry("rack.air", QPointF(3000, 3000))
    assert project.items[canvas.document.selected_ids()[0]].hall_id == "hall-2"


def test_placement_problems_are_flagged(canvas):  # type: ignore[no-untyped-def]
    project = canvas.document.project
    project.add_items(
        [
            PlacedItem("ok-1", "rack.air", "hall-1", 900, 3000),
            PlacedItem("ok-2", "rack.air", "hall-1", 1500, 3000),  # touching, not overlapping
            PlacedItem("wall", "rack.air", "hall-1", 2400, 1200),  # front 0.6 m from the wall
            PlacedItem("over-1", "rack.air", "hall-1", 5000, 5000),
            PlacedItem("over-2", "rack.air", "hall-1", 5300, 5000),
            PlacedItem("outside", "rack.air", "hall-1", 29900, 5000),
            PlacedItem("column", "rack.air", "hall-1", 12300, 12300),
        ]
    )
    canvas.scene.refresh_problems()
    problems = canvas.scene.problems
    assert set(problems) == {"over-1", "over-2", "outside", "column", "wall"}
    assert "overlaps over-2" in problems["over-1"]
    assert "1.2 m clear" in problems["wall"]  # the design's minimum aisle
    assert "outside" in problems["outside"] and "column" in problems["column"]
    assert canvas.scene.items_by_id["over-1"].problem
    project.move_items({"over-2": (8000, 5000)})
    canvas.scene.refresh_problems()
    assert "over-1" not in canvas.scene.problems and not canvas.scene.items_by_id["over-1"].problem


def test_labels_hide_when_zoomed_out_and_layers_toggle(canvas):  # type: ignore[no-untyped-def]
    ids = add_racks(canvas, 2)
    project = canvas.document.project
    project.add_items([PlacedItem("bus-1", "busway", "hall-1", 5000, 6000)])
    project.add_connections([Connection("p", ConnectionKind.POWER, "bus-1", ids[0], FeedSide.A)])
    view, scene = canvas.view, canvas.scene
    view.fit_rect(scene.items_by_id[ids[0]].sceneBoundingRect())
    assert view.current_scale() >= LABEL_MIN_SCALE
    assert scene.items_by_id[ids[0]].label is not None and scene.items_by_id[ids[0]].label.isVisible()
    view.zoom_to_fit()
    while view.current_scale() >= LABEL_MIN_SCALE:
        view.zoom_out()
    assert scene.items_by_id[ids[0]].label is None or not scene.items_by_id[ids[0]].label.isVisible()
    while view.current_scale() < LABEL_MIN_SCALE:
        view.zoom_in()
    assert scene.items_by_id[ids[0]].label.isVisible()
    scene.set_labels_visible(False)
    assert not scene.items_by_id[ids[0]].label.isVisible()
    scene.set_layer_visible(ConnectionKind.POWER, False)
    assert not scene.connections_by_id["p"].isVisible()
    project.add_connections([Connection("p2", ConnectionKind.POWER, "bus-1", ids[1], FeedSide.B)])
    assert not scene.connections_by_id["p2"].isVisible()


def test_wheel_zooms(qtbot, canvas):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QWheelEvent

    view = canvas.view
    before = view.current_scale()
    centre = QPointF(view.viewport().rect().center())
    event = QWheelEvent(
        centre,
        view.viewport().mapToGlobal(centre),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)
    assert view.current_scale() > before


def _send_mouse(viewport, kind, point: QPoint, button, buttons, modifiers=Qt.KeyboardModifier.NoModifier):  # type: ignore[no-untyped-def]
    event = QMouseEvent(kind, QPointF(point), QPointF(viewport.mapToGlobal(point)), button, buttons, modifiers)
    QApplication.sendEvent(viewport, event)


def test_middle_drag_and_space_drag_pan_without_editing(qtbot, canvas):  # type: ignore[no-untyped-def]
    (rack_id,) = add_racks(canvas, 1)
    view, viewport = canvas.view, canvas.view.viewport()
    view.fit_rect(QRectF(0, 0, 8000, 6000))
    state = canvas.document.project.state()
    item = canvas.document.project.items[rack_id]
    start = view.mapFromScene(QPointF(item.x_mm, item.y_mm))
    before = view.mapToScene(viewport.rect().center())
    mid = Qt.MouseButton.MiddleButton
    _send_mouse(viewport, QEvent.Type.MouseButtonPress, start, mid, mid)
    _send_mouse(viewport, QEvent.Type.MouseMove, start + QPoint(100, 40), Qt.MouseButton.NoButton, mid)
    _send_mouse(viewport, QEvent.Type.MouseButtonRelease, start + QPoint(100, 40), mid, Qt.MouseButton.NoButton)
    after = view.mapToScene(viewport.rect().center())
    assert after.x() < before.x() and after.y() < before.y()
    view.setFocus()
    qtbot.keyPress(view, Qt.Key.Key_Space)
    left = Qt.MouseButton.LeftButton
    _send_mouse(viewport, QEvent.Type.MouseButtonPress, start, left, left)
    _send_mouse(viewport, QEvent.Type.MouseMove, start + QPoint(-100, 0), Qt.MouseButton.NoButton, left)
    _send_mouse(viewport, QEvent.Type.MouseButtonRelease, start + QPoint(-100, 0), left, Qt.MouseButton.NoButton)
    qtbot.keyRelease(view, Qt.Key.Key_Space)
    assert view.mapToScene(viewport.rect().center()).x() > after.x()
    assert canvas.document.project.state() == state and canvas.document.undo_stack.count() == 1


def test_escape_during_a_drag_puts_items_back(qtbot, canvas):  # type: ignore[no-untyped-def]
    (rack_id,) = add_racks(canvas, 1)
    item = canvas.document.project.items[rack_id]
    viewport = canvas.view.viewport()
    left = Qt.MouseButton.LeftButton
    a = canvas.view.mapFromScene(QPointF(item.x_mm, item.y_mm))
    _send_mouse(viewport, QEvent.Type.MouseButtonPress, a, left, left)
    _send_mouse(viewport, QEvent.Type.MouseMove, a + QPoint(120, 0), Qt.MouseButton.NoButton, left)
    assert canvas.scene.items_by_id[rack_id].x() != item.x_mm
    canvas.view.setFocus()
    qtbot.keyClick(canvas.view, Qt.Key.Key_Escape)
    _send_mouse(viewport, QEvent.Type.MouseButtonRelease, a + QPoint(120, 0), left, Qt.MouseButton.NoButton)
    assert canvas.scene.items_by_id[rack_id].x() == item.x_mm
    assert canvas.document.project.items[rack_id] == item and canvas.document.undo_stack.count() == 1


def test_zoom_to_selection_and_fit(canvas):  # type: ignore[no-untyped-def]
    (rack_id,) = add_racks(canvas, 1)
    view = canvas.view
    view.zoom_to_fit()
    fit_scale = view.current_scale()
    canvas.document.set_selection([rack_id])
    view.zoom_to_selection()
    assert view.current_scale() > 3 * fit_scale
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(canvas.scene.items_by_id[rack_id].sceneBoundingRect())


def test_placement_problems_with_rotation_and_an_l_shaped_hall(catalog) -> None:  # type: ignore[no-untyped-def]
    from designer.model.geometry import placement_problems
    from designer.model.records import Hall

    # an L: the notch x > 10 m, y < 10 m is outside
    hall = Hall("L", "L", ((0, 0), (10000, 0), (10000, 10000), (20000, 10000), (20000, 20000), (0, 20000)))
    items = [
        PlacedItem("in", "rack.air", "L", 5000, 5000),
        PlacedItem("notch", "rack.air", "L", 15000, 5000),
        PlacedItem("corner", "rack.air", "L", 10000, 10500),  # straddles the inner corner
        PlacedItem("turned-a", "rack.air", "L", 3000, 15000, rotation_deg=45),
        PlacedItem("turned-b", "rack.air", "L", 3500, 15000, rotation_deg=45),
        PlacedItem("apart", "rack.air", "L", 6000, 15000, rotation_deg=45),
    ]
    problems = placement_problems(hall, items, catalog.__getitem__)
    assert set(problems) == {"notch", "corner", "turned-a", "turned-b"}


def test_changing_an_items_type_redraws_it(canvas):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from designer.ui.canvas.items import EquipmentItem, RackItem

    project = canvas.document.project
    project.add_items([PlacedItem("x", "rack.air", "hall-1", 900, 1200)])
    assert isinstance(canvas.scene.items_by_id["x"], RackItem)
    project.update_items([replace(project.items["x"], catalog_id="cdu")])
    assert isinstance(canvas.scene.items_by_id["x"], EquipmentItem)
    assert canvas.scene.items_by_id["x"].footprint_rect().width() == 1200


def test_a_nudge_after_saving_makes_the_document_dirty_again(qtbot, canvas):  # type: ignore[no-untyped-def]
    add_racks(canvas, 1)
    canvas.editor.nudge(1, 0)
    canvas.document.undo_stack.setClean()
    canvas.editor.nudge(1, 0)
    assert canvas.document.is_dirty()


def test_clicking_a_connection_line_selects_it(qtbot, canvas):  # type: ignore[no-untyped-def]
    project = canvas.document.project
    project.add_items(
        [PlacedItem("a", "rack.air", "hall-1", 3300, 3600), PlacedItem("b", "busway", "hall-1", 15000, 3600)]
    )
    project.add_connections([Connection("link", ConnectionKind.POWER, "b", "a", FeedSide.SINGLE)])
    canvas.scene.set_show_all_connections(True)  # by default only the selection's chains are drawn
    click(qtbot, canvas, QPointF(9000, 3600))
    assert canvas.document.selected_connection_ids() == ["link"] and canvas.document.selected_ids() == []
    canvas.editor.delete_selection()
    assert not project.connections


def test_selecting_an_item_draws_what_it_feeds_and_what_feeds_it(qtbot, canvas):  # type: ignore[no-untyped-def]
    project = canvas.document.project
    project.add_items(
        [
            PlacedItem("up", "busway", "hall-1", 15000, 3600),
            PlacedItem("mid", "busway", "hall-1", 15000, 9000),
            PlacedItem("r1", "rack.air", "hall-1", 3300, 3600),
            PlacedItem("r2", "rack.air", "hall-1", 3900, 3600),
        ]
    )
    project.add_connections(
        [
            Connection("c-up", ConnectionKind.POWER, "up", "mid"),
            Connection("c-r1", ConnectionKind.POWER, "mid", "r1", FeedSide.A),
            Connection("c-r2", ConnectionKind.POWER, "up", "r2", FeedSide.A),
        ]
    )
    scene = canvas.scene
    assert not any(g.isVisible() for g in scene.connections_by_id.values())
    canvas.document.set_selection(["mid"])
    visible = {c for c, g in scene.connections_by_id.items() if g.isVisible()}
    assert visible == {"c-up", "c-r1"}  # fed by "up", feeds "r1"; the other rack's feed stays hidden
    canvas.document.set_selection([])
    assert not any(g.isVisible() for g in scene.connections_by_id.values())
    scene.set_show_all_connections(True)
    assert all(g.isVisible() for g in scene.connections_by_id.values())


def test_align_and_distribute_move_a_closed_pod_as_one_block(canvas):  # type: ignore[no-untyped-def]
    canvas.editor.drop_pod("pod.test", QPointF(6000, 6000))
    project = canvas.document.project
    (pod_id,) = project.pods
    members = sorted(i.id for i in project.items_in_pod(pod_id))
    rack1 = next(i.id for i in project.items_in_pod(pod_id) if i.label == "P1")
    project.add_items([PlacedItem("r", "rack.air", "hall-1", 2000, 9000),
                       PlacedItem("s", "rack.air", "hall-1", 12000, 3000)])

    def offsets() -> set[tuple[float, float]]:
        anchor = project.items[rack1]
        return {(project.items[i].x_mm - anchor.x_mm, project.items[i].y_mm - anchor.y_mm) for i in members}

    shape = offsets()
    # the pod spans x 3,600..8,400 (its 4,800 mm busways at x 6,000), y 5,400..7,600; rack P1 at x 5,700
    canvas.document.set_selection([*members, "r"])
    canvas.editor.align_left()
    # left edges on rack r's, 2,000 - 300 = 1,700: the pod shifts by 1,700 - 3,600 = -1,900
    assert project.items[rack1].x_mm == 5700 - 1900 and project.items["r"].x_mm == 2000
    assert offsets() == shape
    canvas.document.undo_stack.undo()
    canvas.editor.align_top()
    # top edges on the pod's (5,400): rack r's centre to 5,400 + 600
    assert project.items["r"].y_mm == 6000 and project.items[rack1].y_mm == 6000
    canvas.document.undo_stack.undo()
    canvas.document.set_selection([*members, "r", "s"])
    canvas.editor.distribute_horizontally()
    # span 1,700..12,300 = 10,600, widths 600 + 4,800 + 600 = 6,000: gaps of 2,300,
    # so the pod's left edge goes to 2,300 + 2,300 = 4,600 (+1,000); r and s stay
    assert project.items[rack1].x_mm == 6700 and offsets() == shape
    assert (project.items["r"].x_mm, project.items["s"].x_mm) == (2000, 12000)
    assert canvas.document.undo_stack.undoText().startswith("Distribute")


def test_align_moves_the_members_of_an_opened_pod_one_by_one(canvas):  # type: ignore[no-untyped-def]
    canvas.editor.drop_pod("pod.test", QPointF(6000, 6000))
    project = canvas.document.project
    (pod_id,) = project.pods
    racks = [i.id for i in project.items_in_pod(pod_id) if i.catalog_id == "rack.air"]
    canvas.editor.open_selected_pods()
    project.add_items([PlacedItem("r", "rack.air", "hall-1", 2000, 9000)])
    canvas.document.set_selection([*racks, "r"])
    canvas.editor.align_left()
    assert {project.items[i].x_mm for i in [*racks, "r"]} == {2000.0}


def test_a_big_halls_labels_are_made_only_where_the_view_looks(qtbot, catalog, pod_templates):  # type: ignore[no-untyped-def]
    from designer.model.project import Project
    from designer.model.records import Hall
    from designer.ui.canvas.items import LabelItem
    from designer.ui.canvas.scene import LAZY_LABEL_ITEMS
    from designer.ui.canvas.widget import FloorCanvas
    from designer.ui.document import Document

    # 60 rows of 40 racks at 600 mm pitch, rows 2.4 m apart: 2,400 racks (over LAZY_LABEL_ITEMS), 24 x 144 m
    count = 2_400
    assert count > LAZY_LABEL_ITEMS
    project = Project()
    project.add_hall(Hall("hall-1", "Big", ((0, 0), (30_000, 0), (30_000, 150_000), (0, 150_000))))
    project.add_items([PlacedItem(f"r{i}", "rack.air", "hall-1", 900 + 600 * (i % 40), 1200 + 2400 * (i // 40))
                       for i in range(count)])
    canvas = FloorCanvas(Document(project, catalog, pod_templates))
    qtbot.addWidget(canvas)
    canvas.resize(1000, 700)
    canvas.show()
    qtbot.waitExposed(canvas)
    view, scene = canvas.view, canvas.scene
    view.zoom_to_fit()
    assert not any(isinstance(g, LabelItem) for g in scene.items())  # zoomed out: none made
    view.fit_rect(scene.items_by_id["r0"].sceneBoundingRect())
    assert view.current_scale() >= LABEL_MIN_SCALE
    first = scene.items_by_id["r0"].label
    assert first is not None and first.isVisible()
    assert scene.items_by_id[f"r{count - 1}"].label is None  # 140 m away: not made
    made = sum(isinstance(g, LabelItem) for g in scene.items())
    assert 0 < made < count // 4
    view.centerOn(scene.items_by_id[f"r{count - 1}"])  # a scroll: the labels there are made
    last = scene.items_by_id[f"r{count - 1}"].label
    assert last is not None and last.isVisible()
    view.zoom_to_fit()
    assert not first.isVisible() and not last.isVisible()
    view.fit_rect(scene.items_by_id["r0"].sceneBoundingRect())
    assert first.isVisible()
