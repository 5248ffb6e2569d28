"""Halls from the GUI: new hall, hall properties (outline, columns, floor) and delete, all undoable."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from designer.model.records import PlacedItem
from designer.model.types import AirManagement, FloorType, ObstacleKind
from designer.ui import main_window as main_window_module
from designer.ui.hall_dialog import OUTLINE, HallDialog
from designer.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, project, catalog, pod_templates, monkeypatch):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Discard)
    win = MainWindow(catalog, pod_templates, project)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def _answer_with(monkeypatch, fill):  # type: ignore[no-untyped-def]
    """Make HallDialog.exec fill the fields with ``fill(dialog)`` and press OK (as a user would)."""

    def exec_(dialog: HallDialog) -> int:
        fill(dialog)
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(main_window_module.HallDialog, "exec", exec_)


def test_a_new_hall_is_added_made_current_and_undone(window, monkeypatch):  # type: ignore[no-untyped-def]
    def fill(dialog: HallDialog) -> None:
        dialog.name_edit.setText("Annex")
        dialog.width_spin.setValue(48.0)
        dialog.depth_spin.setValue(24.5)
        dialog.floor_combo.setCurrentIndex(dialog.floor_combo.findData(FloorType.RAISED))
        dialog.columns_check.setChecked(True)
        dialog.pitch_x_spin.setValue(12.0)
        dialog.pitch_y_spin.setValue(12.0)

    _answer_with(monkeypatch, fill)
    project = window.document.project
    before = set(project.halls)
    window.action_new_hall.trigger()
    (new_id,) = set(project.halls) - before
    hall = project.halls[new_id]
    assert hall.name == "Annex" and hall.outline_mm == ((0, 0), (48_000, 0), (48_000, 24_500), (0, 24_500))
    assert hall.floor_type is FloorType.RAISED
    # columns every 12 m inside 48 x 24.5 m: x 12, 24, 36 by y 12, 24 -> 6
    assert sum(o.kind is ObstacleKind.COLUMN for o in hall.obstacles) == 6
    assert window.document.current_hall_id == new_id
    assert window.hall_combo.currentText() == "Annex"
    window.document.undo_stack.undo()
    assert set(project.halls) == before


def test_hall_properties_reshape_the_hall_and_undo(window, monkeypatch):  # type: ignore[no-untyped-def]
    def fill(dialog: HallDialog) -> None:
        dialog.shape_combo.setCurrentIndex(OUTLINE)
        dialog.outline_edit.setPlainText("0, 0\n30, 0\n30, 10\n12, 10\n12, 20\n0, 20")
        dialog.air_combo.setCurrentIndex(dialog.air_combo.findData(AirManagement.OPEN))

    _answer_with(monkeypatch, fill)
    project = window.document.project
    hall_id = window.document.current_hall_id
    old = project.halls[hall_id]
    window.action_hall_properties.trigger()
    assert project.halls[hall_id].outline_mm[3] == (12_000, 10_000)
    assert project.halls[hall_id].air_management is AirManagement.OPEN
    assert window.document.undo_stack.undoText().startswith("Change hall")
    window.document.undo_stack.undo()
    assert project.halls[hall_id] == old


def test_a_bad_outline_keeps_the_dialog_open_and_says_where(qtbot, window):  # type: ignore[no-untyped-def]
    hall = window.document.project.halls[window.document.current_hall_id]
    dialog = HallDialog(hall, new=False, parent=window)
    qtbot.addWidget(dialog)
    dialog.shape_combo.setCurrentIndex(OUTLINE)
    dialog.outline_edit.setPlainText("0, 0\n30, 0\nthirty, 20")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.text() == "Shape: line 3: 'thirty, 20' is not a corner (two numbers, x and y in metres)"
    dialog.name_edit.setText("  ")
    dialog.outline_edit.setPlainText("0, 0\n30, 0\n30, 20")
    dialog.accept()
    assert dialog.error_label.text() == "Name: a hall needs a name"


def test_only_an_empty_hall_that_is_not_the_last_can_be_deleted(window, monkeypatch):  # type: ignore[no-untyped-def]
    project = window.document.project
    _answer_with(monkeypatch, lambda dialog: dialog.name_edit.setText("Spare"))
    window.action_new_hall.trigger()
    spare = window.document.current_hall_id
    project.add_items([PlacedItem("x", "rack.air", spare, 2_000, 2_000)])
    window.action_delete_hall.trigger()
    assert spare in project.halls
    assert "still holds 1 items" in window.statusBar().currentMessage()
    project.remove_items(["x"])
    window.action_delete_hall.trigger()
    assert spare not in project.halls and window.document.current_hall_id in project.halls
    window.document.undo_stack.undo()
    assert project.halls[spare].name == "Spare"


def test_the_last_hall_is_kept(window):  # type: ignore[no-untyped-def]
    project = window.document.project
    for hall_id in list(project.halls)[1:]:
        for item_id in [i.id for i in project.items.values() if i.hall_id == hall_id]:
            project.remove_items([item_id])
        project.remove_hall(hall_id)
    window.document.set_current_hall(next(iter(project.halls)))
    only = window.document.current_hall_id
    for item_id in [i.id for i in project.items.values() if i.hall_id == only]:
        project.remove_items([item_id])
    window.action_delete_hall.trigger()
    assert only in project.halls
    assert "only hall" in window.statusBar().currentMessage()


def test_weather_file_import_sets_the_site_climate_and_undoes(window, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    from weather_files import write_epw

    path = tmp_path / "site.epw"
    write_epw(path)
    importer = window.weather_import
    monkeypatch.setattr(importer, "ask_for_path", lambda: path)
    monkeypatch.setattr(importer, "ask_for_licence", lambda climate: "CC0")
    project = window.document.project
    before = project.site
    window.action_import_weather.trigger()
    climate = project.site.climate
    assert climate is not None and climate.licence == "CC0" and len(climate.hourly_dry_bulb_c) == 8760
    assert window.document.undo_stack.undoText() == "Site climate from site.epw"
    window.document.undo_stack.undo()
    assert project.site == before
