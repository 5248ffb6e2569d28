"""The connect tool: click-click and drag, snapping onto thin items inside closed pods, refusals said."""

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from designer.model.records import PlacedItem
from designer.model.types import ConnectionKind, FeedSide
from designer.ui.canvas import style
from designer.ui.canvas.interactions import SNAP_PX, ConnectInteraction, SelectInteraction
from designer.ui.canvas.scene import EditMode


def hover(canvas, at: QPointF) -> None:  # type: ignore[no-untyped-def]
    """A mouse move with no button held, as when the pointer glides over the canvas."""
    viewport = canvas.view.viewport()
    point = canvas.view.mapFromScene(at)
    move = QMouseEvent(QEvent.Type.MouseMove, QPointF(point), QPointF(viewport.mapToGlobal(point)),
                       Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, move)


def click(qtbot, canvas, at: QPointF) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(canvas.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     canvas.view.mapFromScene(at))


def near_mm(canvas) -> float:  # type: ignore[no-untyped-def]
    """A distance the snap must bridge: half the snap radius, in scene millimetres."""
    return 0.5 * SNAP_PX / canvas.view.current_scale()


def test_tools_are_interaction_objects(canvas):  # type: ignore[no-untyped-def]
    scene = canvas.scene
    assert isinstance(scene.interaction, SelectInteraction) and scene.mode == EditMode.SELECT
    scene.set_mode(EditMode.CONNECT)
    assert isinstance(scene.interaction, ConnectInteraction) and scene.mode == EditMode.CONNECT
    scene.set_mode(EditMode.SELECT)
    assert isinstance(scene.interaction, SelectInteraction)


def test_click_then_click_connects_and_the_link_stays_drawn(qtbot, canvas):  # type: ignore[no-untyped-def]
    project = canvas.document.project
    project.add_items([PlacedItem("rack-1", "rack.air", "hall-1", 3300, 3600),
                       PlacedItem("bus-1", "busway", "hall-1", 9000, 8000)])
    canvas.document.set_selection([])
    canvas.scene.set_mode(EditMode.CONNECT)
    canvas.editor.feed = FeedSide.B
    messages: list[str] = []
    canvas.editor.message.connect(messages.append)
    click(qtbot, canvas, QPointF(9000, 8000))
    tool = canvas.scene.interaction
    assert tool.source is not None and tool.source.item_id == "bus-1"
    assert not project.connections  # one click only chooses the first item
    hover(canvas, QPointF(3300, 3600))
    assert tool._line.isVisible() and tool._line.line().p2() == QPointF(3300, 3600)  # snapped to the centre
    assert tool._outline.isVisible() and tool._outline.pen() == style.CONNECT_TARGET_PEN
    assert messages[-1] == "Connect bus-1 → rack-1 (power B)"
    click(qtbot, canvas, QPointF(3300, 3600))
    (link,) = project.connections.values()
    assert (link.kind, link.source_id, link.target_id, link.feed) == (ConnectionKind.POWER, "bus-1", "rack-1",
                                                                     FeedSide.B)
    assert tool.source is None and canvas.document.undo_stack.count() == 1
    # nothing is selected, yet the new link is drawn while the tool is active
    assert canvas.scene.connections_by_id[link.id].isVisible()
    canvas.scene.set_mode(EditMode.SELECT)
    assert not canvas.scene.connections_by_id[link.id].isVisible()


def test_snaps_onto_a_thin_busway_inside_a_closed_pod(qtbot, canvas):  # type: ignore[no-untyped-def]
    project = canvas.document.project
    canvas.editor.drop_pod("pod.test", QPointF(6000, 6000))
    project.add_items([PlacedItem("ups-1", "ups", "hall-1", 3000, 15000)])
    canvas.document.set_selection([])
    assert not canvas.scene.opened_pods
    bus_a = next(i for i in project.items.values() if i.catalog_id == "busway" and i.y_mm == 7200)
    # a 200 mm strip is a few pixels at this zoom: aim beside its right end, not on it
    assert 200 * canvas.view.current_scale() < SNAP_PX
    beside = QPointF(bus_a.x_mm + 2400 + near_mm(canvas) * 0.5, bus_a.y_mm)
    assert canvas.scene.pickable_at(beside) is None
    canvas.scene.set_mode(EditMode.CONNECT)
    click(qtbot, canvas, QPointF(3000, 15000))
    hover(canvas, beside)
    assert canvas.scene.interaction._hover.graphic.item_id == bus_a.id
    click(qtbot, canvas, beside)
    links = [c for c in project.connections.values() if c.source_id == "ups-1"]
    assert [(c.kind, c.target_id) for c in links] == [(ConnectionKind.POWER, bus_a.id)]
    assert not canvas.scene.opened_pods  # the pod stayed closed
    canvas.document.undo_stack.undo()
    assert not [c for c in project.connections.values() if c.source_id == "ups-1"]


def test_drag_still_connects(qtbot, canvas):  # type: ignore[no-untyped-def]
    project = canvas.document.project
    project.add_items([PlacedItem("rack-1", "rack.air", "hall-1", 3300, 3600),
                       PlacedItem("bus-1", "busway", "hall-1", 9000, 8000)])
    canvas.scene.set_mode(EditMode.CONNECT)
    viewport = canvas.view.viewport()
    a, b = canvas.view.mapFromScene(QPointF(9000, 8000)), canvas.view.mapFromScene(QPointF(3300, 3600))
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    move = QMouseEvent(QEvent.Type.MouseMove, QPointF(b), QPointF(viewport.mapToGlobal(b)),
                       Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, move)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)
    assert [(c.source_id, c.target_id) for c in project.connections.values()] == [("bus-1", "rack-1")]


def test_invalid_target_says_why_and_connects_nothing(qtbot, canvas):  # type: ignore[no-untyped-def]
    project = canvas.document.project
    project.add_items([PlacedItem("rack-1", "rack.air", "hall-1", 3300, 3600),
                       PlacedItem("rack-2", "rack.air", "hall-1", 9300, 3600)])
    canvas.scene.set_mode(EditMode.CONNECT)
    messages: list[str] = []
    canvas.editor.message.connect(messages.append)
    click(qtbot, canvas, QPointF(3300, 3600))
    hover(canvas, QPointF(9300, 3600))
    tool = canvas.scene.interaction
    assert tool._outline.isVisible() and tool._outline.pen() == style.CONNECT_REFUSED_PEN
    assert messages[-1] == "Cannot connect rack-1 to rack-2: racks do not supply each other: drag from a supplier " \
                           "to a rack"
    cursor = canvas.view.mapToScene(canvas.view.mapFromScene(QPointF(9300, 3600)))
    assert tool._line.line().p2() == cursor  # follows the cursor: no snap onto a refused item
    click(qtbot, canvas, QPointF(9300, 3600))
    assert not project.connections and canvas.document.undo_stack.count() == 0
    assert tool.source is not None  # a refused click keeps the first item for another try
    canvas.view.setFocus()
    qtbot.keyClick(canvas.view, Qt.Key.Key_Escape)
    assert tool.source is None and not tool._line.isVisible()


def test_a_deleted_first_item_is_let_go(qtbot, canvas):  # type: ignore[no-untyped-def]
    project = canvas.document.project
    canvas.editor.place_row("rack.air", 1, 3300, 3600)
    project.add_items([PlacedItem("bus-1", "busway", "hall-1", 9000, 8000)])
    canvas.scene.set_mode(EditMode.CONNECT)
    click(qtbot, canvas, QPointF(3300, 3600))
    tool = canvas.scene.interaction
    assert tool.source is not None
    canvas.document.undo_stack.undo()  # the rack goes away
    hover(canvas, QPointF(9000, 8000))
    assert tool.source is None and not tool._line.isVisible()
    click(qtbot, canvas, QPointF(9000, 8000))  # starts afresh from the busway
    assert tool.source is not None and tool.source.item_id == "bus-1"


def test_the_window_status_bar_says_why_and_the_toolbar_switches_tools(qtbot, project, catalog, pod_templates):  # type: ignore[no-untyped-def]
    from designer.ui.main_window import MainWindow

    project.add_items([PlacedItem("rack-1", "rack.air", "hall-1", 3300, 3600),
                       PlacedItem("rack-2", "rack.air", "hall-1", 9300, 3600)])
    window = MainWindow(catalog, pod_templates, project)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.view.zoom_to_fit()
    window.action_connect_mode.trigger()
    assert isinstance(window.scene.interaction, ConnectInteraction)
    assert window.view.dragMode() == window.view.DragMode.NoDrag
    viewport = window.view.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     window.view.mapFromScene(QPointF(3300, 3600)))
    point = window.view.mapFromScene(QPointF(9300, 3600))
    QApplication.sendEvent(viewport, QMouseEvent(QEvent.Type.MouseMove, QPointF(point),
                                                 QPointF(viewport.mapToGlobal(point)), Qt.MouseButton.NoButton,
                                                 Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))
    assert window.statusBar().currentMessage().startswith("Cannot connect rack-1 to rack-2: racks do not supply")
    window.action_select_mode.trigger()
    assert isinstance(window.scene.interaction, SelectInteraction)
    assert window.view.dragMode() == window.view.DragMode.RubberBandDrag
    window.document.undo_stack.setClean()


def test_containment_under_the_cursor_is_not_picked(qtbot, canvas):  # type: ignore[no-untyped-def]
    from designer.model.catalog import CatalogEntry
    from designer.model.types import Confidence, ItemKind, Role

    project = canvas.document.project
    project.set_custom_catalog_entry(CatalogEntry(id="aisle", kind=ItemKind.FLOOR, role=Role.CONTAINMENT,
                                                  name="aisle", width_mm=6000, depth_mm=1200, source="test",
                                                  confidence=Confidence.ESTIMATE))
    project.add_items([PlacedItem("cont-1", "aisle", "hall-1", 6000, 8000),
                       PlacedItem("bus-1", "busway", "hall-1", 9000, 8000)])
    canvas.scene.set_mode(EditMode.CONNECT)
    tool = canvas.scene.interaction
    assert [g.item_id for g in tool.candidates(QPointF(4000, 8000))] == []  # only the containment is there
    assert [g.item_id for g in tool.candidates(QPointF(8000, 8000))] == ["bus-1"]


def test_the_first_item_is_kept_across_a_hall_switch(qtbot, canvas):  # type: ignore[no-untyped-def]
    """A UPS in hall 2 feeds a busway in hall 1: pick the UPS, switch hall, pick the busway."""
    project, document = canvas.document.project, canvas.document
    project.add_items([PlacedItem("ups-2", "ups", "hall-2", 5000, 4000),
                       PlacedItem("bus-1", "busway", "hall-1", 9000, 8000)])
    document.set_current_hall("hall-2")
    canvas.view.zoom_to_fit()
    canvas.scene.set_mode(EditMode.CONNECT)
    messages: list[str] = []
    canvas.editor.message.connect(messages.append)
    click(qtbot, canvas, QPointF(5000, 4000))
    tool = canvas.scene.interaction
    assert tool.source is not None and tool.source.item_id == "ups-2"
    document.set_current_hall("hall-1")
    canvas.view.zoom_to_fit()
    assert tool.source is None and tool.remote_source == "ups-2" and tool.source_id() == "ups-2"
    assert messages[-1].startswith("Connect from ups-2 in Hall 2")
    hover(canvas, QPointF(9000, 8000))
    assert tool._outline.isVisible() and tool._outline.pen() == style.CONNECT_TARGET_PEN
    click(qtbot, canvas, QPointF(9000, 8000))
    (link,) = project.connections.values()
    assert (link.source_id, link.target_id, link.kind) == ("ups-2", "bus-1", ConnectionKind.POWER)
    assert tool.source_id() is None  # done: the next click picks a new first item
    # back in the first item's hall it is the first item again, drawn as such; Esc lets it go
    click(qtbot, canvas, QPointF(9000, 8000))
    document.set_current_hall("hall-2")
    document.set_current_hall("hall-1")
    assert tool.source is not None and tool.source.item_id == "bus-1" and tool._source_outline.isVisible()
    tool.cancel()
    assert tool.source_id() is None
