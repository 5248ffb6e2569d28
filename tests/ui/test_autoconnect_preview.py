"""Auto-connect from the canvas: a preview first, then one undo step that undoes all of it."""

from PySide6.QtCore import QPointF, Qt

from designer.model.records import Connection, PlacedItem
from designer.model.types import ConnectionKind, FeedSide


def _design(canvas) -> None:  # type: ignore[no-untyped-def]
    """Four racks between two busways, each busway already on a UPS-less path; two UPSs far apart."""
    canvas.editor.place_row("rack.liquid", 4, 3000, 3000)
    canvas.document.project.add_items([
        PlacedItem("bus-a", "busway", "hall-1", 4000, 2000),
        PlacedItem("bus-b", "busway", "hall-1", 4000, 5500),
        PlacedItem("ups-1", "ups", "hall-1", 9000, 2000),
        PlacedItem("ups-2", "ups", "hall-1", 25000, 9000),
        PlacedItem("cdu-1", "cdu", "hall-1", 9000, 3600),
        PlacedItem("inrow-1", "inrow", "hall-1", 1800, 3600),
    ])
    canvas.document.undo_stack.clear()
    canvas.document.set_selection([])


def test_preview_then_apply_is_one_undo_step(qtbot, canvas):  # type: ignore[no-untyped-def]
    _design(canvas)
    project = canvas.document.project
    before = project.state()
    preview = canvas.preview_auto_connect()
    assert preview is not None and preview.banner.isVisible()
    plan = preview.plan
    # nothing changes while the plan is on show; every planned link is drawn (all ends are in this hall)
    assert project.state() == before and canvas.document.undo_stack.count() == 0
    assert preview.off_hall == 0 and preview.drawn_segments() == len(plan.connections)
    assert "Auto-connect would add" in preview.banner.label.text()
    # racks A/B from the two busways; the busways from different UPSs (ups-1 is nearer to both)
    fed = {c.target_id: c.source_id for c in plan.connections if c.target_id.startswith("bus")}
    assert fed == {"bus-a": "ups-1", "bus-b": "ups-2"} or fed == {"bus-a": "ups-2", "bus-b": "ups-1"}
    # the cooling units' power too, in the same preview: an A cord from the A path's UPS, a B cord from B's
    side_of = {c.source_id: c.feed for c in plan.connections if c.target_id.startswith("rack")
               and c.kind is ConnectionKind.POWER}
    ups_side = {fed[bus]: side_of[bus] for bus in fed}
    for unit in ("cdu-1", "inrow-1"):
        cords = {c.feed: c.source_id for c in plan.connections
                 if c.target_id == unit and c.kind is ConnectionKind.POWER}
        assert set(cords) == {FeedSide.A, FeedSide.B} and ups_side[cords[FeedSide.A]] is FeedSide.A
        assert ups_side[cords[FeedSide.B]] is FeedSide.B
    assert "power to 2 cooling units" in plan.summary()
    preview.banner.apply_button.click()
    assert canvas.autoconnect_preview is None and not preview.paths
    assert set(project.connections) == {c.id for c in plan.connections}
    stack = canvas.document.undo_stack
    assert stack.count() == 1
    assert stack.undoText() == "Auto-connect 4 racks, 2 equipment items and power to 2 cooling units"
    stack.undo()
    assert project.state() == before
    stack.redo()
    assert len(project.connections) == len(plan.connections)


def test_escape_cancels_the_preview_and_an_edit_drops_it(qtbot, canvas):  # type: ignore[no-untyped-def]
    _design(canvas)
    project = canvas.document.project
    before = project.state()
    preview = canvas.preview_auto_connect()
    assert preview is not None
    canvas.view.setFocus()
    qtbot.keyClick(canvas.view, Qt.Key.Key_Escape)
    assert canvas.autoconnect_preview is None and project.state() == before
    assert not any(item in canvas.scene.items() for item in preview.paths)
    # a new preview is dropped by any edit to the design (it would be stale)
    preview = canvas.preview_auto_connect()
    assert preview is not None
    canvas.editor.drop_catalog_entry("rack.air", QPointF(20000, 15000))
    assert canvas.autoconnect_preview is None
    assert not any(c.kind is ConnectionKind.POWER for c in project.connections.values())


def test_enter_applies_and_nothing_to_do_says_so(qtbot, canvas):  # type: ignore[no-untyped-def]
    _design(canvas)
    project = canvas.document.project
    project.add_connections([Connection("c-1", ConnectionKind.POWER, "ups-1", "bus-a", FeedSide.SINGLE)])
    preview = canvas.preview_auto_connect()
    assert preview is not None
    canvas.view.setFocus()
    qtbot.keyClick(canvas.view, Qt.Key.Key_Return)
    assert canvas.autoconnect_preview is None and len(project.connections) > 1
    messages: list[str] = []
    canvas.editor.message.connect(messages.append)
    assert canvas.preview_auto_connect() is None  # everything is wired: no preview
    assert messages and messages[-1].startswith("Auto-connect: 0 connections")
