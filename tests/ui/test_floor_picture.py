"""Zoomed-out floors drawn as cached tile pictures: edits and colours redraw them; picking, tooltips
and drags work as when every item paints itself."""

from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtWidgets import QApplication, QGraphicsItem

from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.io.resources import examples_dir
from designer.model.types import WorkloadClass
from designer.ui.canvas import style
from designer.ui.canvas.floor_picture import PICTURE_MAX_SCALE
from designer.ui.canvas.overlay import apply_overlay
from designer.ui.commands import MoveItemsCommand, UpdateItemsCommand
from designer.ui.main_window import MainWindow

PICTURE_SCALE = 0.02
"""Pixels per mm of the tests' zoomed-out view: a 600 x 1200 mm rack is 12 x 24 px."""
NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents


def _zoom_to(view, scale: float, centre: QPointF) -> None:  # type: ignore[no-untyped-def]
    view.zoom_by(scale / view.current_scale())
    view.centerOn(centre)


def _pixel(view, scene_pos: QPointF) -> QColor:  # type: ignore[no-untyped-def]
    """The colour shown at ``scene_pos``, as the viewport paints it now."""
    return view.viewport().grab().toImage().pixelColor(view.mapFromScene(scene_pos))


@pytest.fixture
def pictured(canvas):  # type: ignore[no-untyped-def]
    """The canvas with a row of racks, zoomed out far enough for the floor picture."""
    ids = canvas.editor.place_row("rack.air", 4, 3000, 3000)
    canvas.document.set_selection([])  # placing selects the new row
    first = canvas.document.project.items[ids[0]]
    _zoom_to(canvas.view, PICTURE_SCALE, QPointF(first.x_mm, first.y_mm))
    assert canvas.scene.picture.enabled
    canvas.ids = ids
    return canvas


def _centre(canvas, item_id: str) -> QPointF:  # type: ignore[no-untyped-def]
    item = canvas.document.project.items[item_id]
    return QPointF(item.x_mm, item.y_mm)


def test_zoomed_out_items_are_drawn_by_their_tile_and_zoomed_in_by_themselves(pictured):  # type: ignore[no-untyped-def]
    scene, view = pictured.scene, pictured.view
    graphic = scene.items_by_id[pictured.ids[0]]
    colour = QColor(graphic.fill_colour)
    assert graphic.flags() & NO_CONTENTS and graphic.picture_tile is not None
    assert _pixel(view, _centre(pictured, pictured.ids[0])) == colour  # drawn, by the tile
    _zoom_to(view, PICTURE_MAX_SCALE * 3, _centre(pictured, pictured.ids[0]))
    assert not scene.picture.enabled and not graphic.flags() & NO_CONTENTS
    assert not graphic.picture_tile.isVisible()
    below_label = _centre(pictured, pictured.ids[0]) + QPointF(0, 400)  # zoomed in, the label covers the centre
    assert _pixel(view, below_label) == colour  # the same look, painted by the item
    # moved far while zoomed in (out of its tile's old bounds): zoomed out again, the picture shows it there
    document = pictured.document
    item = document.project.items[pictured.ids[0]]
    document.undo_stack.push(MoveItemsCommand(document.project, {item.id: (item.x_mm + 30_000, item.y_mm + 9000)}))
    far = QPointF(item.x_mm + 30_000, item.y_mm + 9000)
    _zoom_to(view, PICTURE_SCALE, far)
    assert scene.picture.enabled and _pixel(view, far) == colour


def test_an_edit_redraws_the_cached_picture(pictured):  # type: ignore[no-untyped-def]
    scene, view, document = pictured.scene, pictured.view, pictured.document
    rack_id = pictured.ids[1]
    centre = _centre(pictured, rack_id)
    graphic = scene.items_by_id[rack_id]
    tile = graphic.picture_tile
    old = _pixel(view, centre)
    assert old == QColor(graphic.fill_colour)
    renders = tile.renders
    assert _pixel(view, centre) == old and tile.renders == renders  # nothing changed: the pixmap is reused
    # a model edit that changes the rack's colour (its workload class) redraws the picture
    item = document.project.items[rack_id]
    workload = WorkloadClass.STORAGE if graphic.fill_colour != style.RACK_COLOURS[WorkloadClass.STORAGE] \
        else WorkloadClass.NETWORK
    document.undo_stack.push(UpdateItemsCommand(document.project, [replace(item, workload=workload)], "Workload"))
    assert _pixel(view, centre) == QColor(style.RACK_COLOURS[workload]) != old
    assert tile.renders > renders
    # an overlay colour (what the colour modes paint through) does too
    apply_overlay(scene, {rack_id: "#123456"})
    assert _pixel(view, centre) == QColor("#123456")
    # a look set from outside with Qt's own setter (a compare view, say) shows in the picture too
    scene.items_by_id[pictured.ids[2]].setBrush(QColor("#ff00ff"))
    assert _pixel(view, _centre(pictured, pictured.ids[2])) == QColor("#ff00ff")
    # a move: the old place shows the floor, the new one the rack
    document.undo_stack.push(MoveItemsCommand(document.project, {rack_id: (item.x_mm, item.y_mm + 6000)}))
    assert _pixel(view, centre) != QColor("#123456")
    assert _pixel(view, QPointF(item.x_mm, item.y_mm + 6000)) == QColor("#123456")
    document.undo_stack.undo()
    assert _pixel(view, centre) == QColor("#123456")


def test_selection_click_drag_and_tooltip_work_on_the_picture(qtbot, pictured):  # type: ignore[no-untyped-def]
    scene, view, document = pictured.scene, pictured.view, pictured.document
    first, second = pictured.ids[0], pictured.ids[1]
    before = _pixel(view, _centre(pictured, first))
    point = view.mapFromScene(_centre(pictured, first))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    assert document.selected_ids() == [first]
    assert _pixel(view, _centre(pictured, first)) != before  # the selection look reaches the picture
    assert scene.pickable_at(_centre(pictured, second)) is scene.items_by_id[second]  # what tooltips ask
    # drag the selected rack 3 m down: one undo step, the model and the picture follow
    start = document.project.items[first]
    viewport = view.viewport()
    target = view.mapFromScene(QPointF(start.x_mm, start.y_mm + 3000))
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    for step in (QPoint(point.x(), (point.y() + target.y()) // 2), target):
        move = QMouseEvent(QEvent.Type.MouseMove, QPointF(step), QPointF(viewport.mapToGlobal(step)),
                           Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, move)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, target)
    moved = document.project.items[first]
    assert moved.y_mm > start.y_mm + 2000
    assert _pixel(view, QPointF(moved.x_mm, moved.y_mm)) != _pixel(view, _centre(pictured, pictured.ids[3]) +
                                                                   QPointF(0, 6000))  # a rack, not bare floor
    # a rubber band over the row selects it, as zoomed in
    document.set_selection([])
    corner = view.mapFromScene(QPointF(1000, 1000))
    far = view.mapFromScene(QPointF(start.x_mm + 4000, start.y_mm + 1000))
    view.setDragMode(view.DragMode.RubberBandDrag)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, corner)
    move = QMouseEvent(QEvent.Type.MouseMove, QPointF(far), QPointF(viewport.mapToGlobal(far)),
                       Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, move)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, far)
    assert set(document.selected_ids()) == set(pictured.ids[1:])


@pytest.fixture(scope="module")
def real_catalog():  # type: ignore[no-untyped-def]
    return load_catalog(include_user=False)


def test_picture_colours_follow_the_inference_share(qtbot, real_catalog, monkeypatch):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Discard)
    project = load_project(examples_dir() / "modular_campus.dcplan", real_catalog)
    window = MainWindow(real_catalog, {}, project)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    window.coordinator.flush()
    document = window.document
    ai = next(i for i in project.items.values()
              if (i.workload or document.entry_of(i.catalog_id).workload) is WorkloadClass.AI)
    document.set_current_hall(ai.hall_id)
    view, scene = window.view, window.scene
    _zoom_to(view, PICTURE_SCALE, QPointF(ai.x_mm, ai.y_mm))
    assert scene.picture.enabled
    legend = window.dashboard.colouring.legend.geometry()
    shown = view.viewport().rect().adjusted(4, 4, -4, -4)

    def visible_racks() -> list[str]:  # racks whose centre shows the rack itself, on screen, off the legend
        out = []
        for item_id, graphic in scene.items_by_id.items():
            point = view.mapFromScene(graphic.pos())
            if shown.contains(point) and not legend.contains(point) and scene.pickable_at(graphic.pos()) is graphic:
                out.append(item_id)
        return out

    def move_slider(share: float) -> dict[str, str]:
        slider = window.dashboard.controls.share_slider
        slider.setValue(round(share * slider.maximum()))
        window.coordinator.flush()
        return {item_id: graphic.fill_colour for item_id, graphic in scene.items_by_id.items()}

    def pixels(ids: list[str]) -> list[QColor]:
        image = view.viewport().grab().toImage()
        return [image.pixelColor(view.mapFromScene(scene.items_by_id[i].pos())) for i in ids]

    at_20 = move_slider(0.2)
    at_80 = move_slider(0.8)
    changed = [i for i in visible_racks() if at_20[i] != at_80[i]]
    assert changed, "moving the share from 20 % to 80 % changed the colour of no rack on screen"
    move_slider(0.2)
    pictured_20 = pixels(changed)
    move_slider(0.8)
    pictured_80 = pixels(changed)  # the same tiles, redrawn because their racks changed colour
    assert all(a != b for a, b in zip(pictured_20, pictured_80, strict=True))
    scene.set_picture_mode(False)
    assert pixels(changed) == pictured_80  # the picture shows what the items paint themselves
    document.undo_stack.setClean()


def test_new_items_tiles_cover_exactly_their_members(pictured) -> None:  # type: ignore[no-untyped-def]
    from designer.model.records import PlacedItem

    scene = pictured.scene
    project = pictured.document.project
    # a rack turned 90° (its 600 x 1200 footprint lies 1200 x 600), one at a free 30°, a busway (its own class)
    project.add_items([PlacedItem("turned", "rack.air", "hall-1", 9000, 9000, rotation_deg=90.0),
                       PlacedItem("askew", "rack.air", "hall-1", 9000, 12000, rotation_deg=30.0),
                       PlacedItem("bus", "busway", "hall-1", 15000, 9000)])
    for tile in scene.picture.tiles.values():
        expected = QRectF()
        for graphic in tile.members:
            expected = expected.united(graphic.sceneBoundingRect())
        got = tile.boundingRect()
        assert got.contains(expected), (got, expected)
        # no larger than the members: the same edges to a micrometre
        for a, b in ((got.left(), expected.left()), (got.top(), expected.top()),
                     (got.right(), expected.right()), (got.bottom(), expected.bottom())):
            assert abs(a - b) < 1e-3
    turned = scene.items_by_id["turned"].sceneBoundingRect()
    assert (turned.width(), turned.height()) == pytest.approx((1210.0, 610.0))  # 10 mm outline pen: 5 mm each side
