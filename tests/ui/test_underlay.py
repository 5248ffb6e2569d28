"""A CAD drawing under the hall: the command, the canvas item and File ▸ Import from the GUI."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QDialog, QGraphicsItem, QMessageBox

from designer.model.records import Underlay
from designer.ui.canvas.items import Z_HALL, Z_RACK, UnderlayItem
from designer.ui.commands_underlay import SetUnderlayCommand
from designer.ui.import_actions import UnderlayDialog
from designer.ui.main_window import MainWindow
from designer.ui.plain_text import displayed_text

DATA = Path(__file__).resolve().parents[1] / "data" / "dxf"
DOOR = DATA / "ezdxf_wipeout_door.dxf"
SPACES = DATA / "nrel_openstudio_inkscape_test2b_space_diagram.dxf"

# two walls as an L and a stub: 3 segments, the first two joined
L_SHAPE = Underlay(
    segments_mm=(0.0, 0.0, 8000.0, 0.0, 8000.0, 0.0, 8000.0, 6000.0, 2000.0, 3000.0, 2000.0, 3600.0),
    source_name="walls.dxf",
    offset_mm=(500.0, 500.0),
)


def underlay_items(scene) -> list[UnderlayItem]:  # type: ignore[no-untyped-def]
    return [item for item in scene.items() if isinstance(item, UnderlayItem)]


def test_the_command_sets_and_undo_redo_restore_the_hall_exactly(canvas) -> None:  # type: ignore[no-untyped-def]
    document = canvas.document
    project = document.project
    before = project.state()
    hall_id = document.current_hall_id
    document.undo_stack.push(SetUnderlayCommand(project, hall_id, L_SHAPE))
    assert project.halls[hall_id].underlay == L_SHAPE
    assert document.undo_stack.undoText() == "Add underlay walls.dxf to " + project.halls[hall_id].name
    after = project.state()
    document.undo_stack.undo()
    assert project.state() == before and project.halls[hall_id].underlay is None
    assert document.undo_stack.isClean()
    document.undo_stack.redo()
    assert project.state() == after


def test_the_canvas_draws_one_underlay_item_below_the_racks_that_nobody_can_select(canvas, qtbot) -> None:  # type: ignore[no-untyped-def]
    document, scene = canvas.document, canvas.scene
    assert underlay_items(scene) == []
    rack_ids = canvas.editor.place_row("rack.air", 3, 3000, 3000)
    document.undo_stack.push(SetUnderlayCommand(document.project, document.current_hall_id, L_SHAPE))
    (item,) = underlay_items(scene)
    assert item is scene.underlay_item and item.segment_count() == 3
    assert item.zValue() < min(scene.items_by_id[i].zValue() for i in rack_ids) <= Z_RACK
    assert item.zValue() > Z_HALL  # above the hall's floor fill, or the fill would hide it
    assert not item.flags() & QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
    assert item.pos() == QPointF(500, 500)
    # the drawn bounds follow the segments: 8 m x 6 m from (500, 500)
    bounds = item.sceneBoundingRect()
    assert bounds.left() == pytest.approx(490) and bounds.right() == pytest.approx(8510)
    # a click on a drawn wall with nothing above it selects nothing
    document.set_selection([])
    qtbot.mouseClick(
        canvas.view.viewport(), Qt.MouseButton.LeftButton, pos=canvas.view.mapFromScene(QPointF(4500, 500))
    )
    assert document.selected_ids() == [] and not scene.selectedItems()
    # moving the drawing moves the item, without a second item
    moved = dataclasses.replace(L_SHAPE, rotation_deg=90.0)
    document.undo_stack.push(SetUnderlayCommand(document.project, document.current_hall_id, moved))
    assert underlay_items(scene) == [item] and item.rotation() == 90
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert underlay_items(scene) == [] and scene.underlay_item is None


def test_a_hidden_underlay_is_not_drawn_and_a_rebuild_keeps_one_item(canvas) -> None:  # type: ignore[no-untyped-def]
    document, scene = canvas.document, canvas.scene
    hidden = Underlay(L_SHAPE.segments_mm, visible=False)
    document.undo_stack.push(SetUnderlayCommand(document.project, document.current_hall_id, hidden))
    scene.rebuild()
    (item,) = underlay_items(scene)
    assert not item.isVisible()


# ------------------------------------------------------------------------------ GUI
@pytest.fixture
def window(qtbot, project, catalog, pod_templates, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Discard)
    win = MainWindow(catalog, pod_templates, project)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def _answer_with(monkeypatch, path: Path, fill) -> list[UnderlayDialog]:  # type: ignore[no-untyped-def]
    """Choose ``path`` in the file dialog; make UnderlayDialog.exec run ``fill(dialog)`` and press OK."""
    shown: list[UnderlayDialog] = []

    def exec_(dialog: UnderlayDialog) -> int:
        shown.append(dialog)
        fill(dialog)
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr("designer.ui.import_actions.UnderlayController.ask_for_path", lambda self: path)
    monkeypatch.setattr(UnderlayDialog, "exec", exec_)
    return shown


def test_the_menu_holds_import_and_remove_before_export(window) -> None:  # type: ignore[no-untyped-def]
    texts = [a.text() for a in window.import_menu.actions() if not a.isSeparator()]
    assert texts == ["&DXF Drawing as Hall Underlay…", "&Remove Hall Underlay", "&Weather File (EPW) as Site Climate…",
                     "&Items from CSV/XLSX…", "&NetBox Device Types into My Catalog…",
                     "&Hall from DCIM Inventory (NetBox, RacksDB)…"]
    file_actions = window.menuBar().actions()[0].menu().actions()
    assert file_actions.index(window.import_menu.menuAction()) + 1 == file_actions.index(
        window.export_menu.menuAction()
    )
    assert not window.action_remove_underlay.isEnabled() and not window.action_show_underlay.isEnabled()


def test_importing_the_door_drawing_in_millimetres_puts_it_under_the_hall(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def fill(dialog: UnderlayDialog) -> None:
        # the header says inches: the dialog shows that and the size it gives (92.7 m, far too big)
        assert dialog.unit_combo.currentData() == "in"
        assert dialog.size_label.text().startswith("92.68 m × 77.68 m")
        dialog.unit_combo.setCurrentIndex(dialog.unit_combo.findData("mm"))
        assert dialog.size_label.text().startswith("3.65 m × 3.06 m  (468 segments")
        dialog.offset_x.setValue(2.0)
        dialog.offset_y.setValue(1.5)
        dialog.use_outline.setChecked(True)

    shown = _answer_with(monkeypatch, DOOR, fill)
    document = window.document
    hall_id = document.current_hall_id
    old_hall = document.project.halls[hall_id]
    window.action_import_underlay.trigger()
    assert len(shown) == 1
    hall = document.project.halls[hall_id]
    underlay = hall.underlay
    assert underlay is not None and underlay.unit == "mm" and underlay.segment_count == 468
    assert underlay.offset_mm == (2000.0, 1500.0) and underlay.source_name == DOOR.name
    assert hall.outline_mm == ((2000.0, 1500.0), (5648.9, 1500.0), (5648.9, 4558.2), (2000.0, 4558.2))
    assert window.scene.underlay_item is not None and window.action_remove_underlay.isEnabled()
    assert window.action_show_underlay.isChecked()
    window.action_show_underlay.trigger()  # View ▸ Show Underlay off: an undoable edit
    assert not document.project.halls[hall_id].underlay.visible  # type: ignore[union-attr]
    assert not window.scene.underlay_item.isVisible()
    window.action_remove_underlay.trigger()
    assert document.project.halls[hall_id].underlay is None and window.scene.underlay_item is None
    for _ in range(3):
        document.undo_stack.undo()
    assert document.project.halls[hall_id] == old_hall
    assert not window.action_remove_underlay.isEnabled()


def test_a_drawing_too_small_for_an_outline_cannot_replace_it(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def fill(dialog: UnderlayDialog) -> None:
        assert dialog.header_label.text() == "not given ($INSUNITS missing or 0)"
        assert "check the unit (in m it would be 3.43 m)" in dialog.warnings_label.text()
        assert not dialog.use_outline.isEnabled()  # 3 mm x 1 mm read as millimetres

    _answer_with(monkeypatch, SPACES, fill)
    outline = window.document.project.halls[window.document.current_hall_id].outline_mm
    window.action_import_underlay.trigger()
    hall = window.document.project.halls[window.document.current_hall_id]
    assert hall.outline_mm == outline and hall.underlay is not None and hall.underlay.unit == "mm"


def test_a_broken_file_shows_the_error_and_changes_nothing(window, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "junk.dxf"
    junk.write_bytes(b"\x00\x01binary")
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: errors.append(displayed_text(text)))
    shown = _answer_with(monkeypatch, junk, lambda dialog: None)
    window.action_import_underlay.trigger()
    assert shown == [] and errors == [f"{junk}: not a DXF file (it does not start with a DXF section)"]
    assert window.document.undo_stack.count() == 0


def test_cancelling_the_dialog_changes_nothing(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("designer.ui.import_actions.UnderlayController.ask_for_path", lambda self: DOOR)
    monkeypatch.setattr(UnderlayDialog, "exec", lambda dialog: int(QDialog.DialogCode.Rejected))
    window.action_import_underlay.trigger()
    assert window.document.undo_stack.count() == 0


def test_an_outline_beyond_10_km_is_refused_before_it_reaches_the_file(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def fill(dialog: UnderlayDialog) -> None:
        dialog.offset_x.setValue(9_999.0)  # m: the 3.6 m room then ends past 10 km
        dialog.unit_combo.setCurrentIndex(dialog.unit_combo.findData("mm"))
        dialog.use_outline.setChecked(True)

    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: errors.append(displayed_text(text)))
    _answer_with(monkeypatch, DOOR, fill)
    window.action_import_underlay.trigger()
    assert errors == ["The outline would reach more than 10 km out."]
    assert window.document.undo_stack.count() == 0
