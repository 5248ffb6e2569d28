"""The main window: files (open, save, errors, drops), dirty state, title, status bar and menus."""

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from designer.io.project_file import load_project, save_project
from designer.model.records import PlacedItem
from designer.ui import app as app_module
from designer.ui.commands import AddItemsCommand
from designer.ui.main_window import MainWindow, menu_titles
from designer.ui.plain_text import displayed_text


@pytest.fixture
def messages(monkeypatch):  # type: ignore[no-untyped-def]
    """Message boxes never block: errors are recorded, questions answered from ``answers``."""
    shown: dict[str, list] = {"critical": [], "question": [], "answers": []}

    def critical(parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        shown["critical"].append(displayed_text(text))
        return QMessageBox.StandardButton.Ok

    def question(parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        shown["question"].append(displayed_text(text))
        return shown["answers"].pop(0) if shown["answers"] else QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "critical", critical)
    monkeypatch.setattr(QMessageBox, "question", question)
    return shown


@pytest.fixture
def window(qtbot, project, catalog, pod_templates, messages):  # type: ignore[no-untyped-def]
    win = MainWindow(catalog, pod_templates, project)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def _saved_plan(tmp_path: Path, project, name: str = "plan.dcplan") -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    save_project(project, path)
    return path


def test_menus_and_standard_shortcuts(window):  # type: ignore[no-untyped-def]
    assert menu_titles(window) == ["File", "Edit", "View", "Insert", "Analysis", "Help"]
    assert window.action_undo.shortcut().matches(window.action_undo.shortcut()) is not None
    assert window.action_duplicate.shortcut().toString() == "Ctrl+D"
    assert window.action_rotate.shortcut().toString() == "R"
    assert window.action_zoom_fit.shortcut().toString() == "F"


def test_dirty_state_follows_the_undo_stack(window, catalog):  # type: ignore[no-untyped-def]
    assert not window.isWindowModified() and "Untitled" in window.windowTitle()
    window.editor.drop_catalog_entry("rack.air", QPointF(1000, 1000))
    assert window.document.is_dirty() and window.isWindowModified()
    window.action_undo.trigger()
    assert not window.document.is_dirty() and not window.isWindowModified()
    window.action_redo.trigger()
    assert window.isWindowModified()


def test_save_marks_clean_and_round_trips(window, tmp_path, catalog, messages):  # type: ignore[no-untyped-def]
    window.editor.place_row("rack.air", 3, 3000, 3000)
    path = tmp_path / "saved.dcplan"
    window.document.path = path
    assert window.files.save()
    assert not window.isWindowModified() and "saved.dcplan" in window.windowTitle()
    assert load_project(path, catalog).state() == window.document.project.state()
    assert str(path.resolve()) in window.files.recent_files()


def test_open_replaces_the_document(window, tmp_path, make_project):  # type: ignore[no-untyped-def]
    other = make_project()
    other.add_items([PlacedItem("r1", "rack.air", "hall-1", 900, 1200)])
    path = _saved_plan(tmp_path, other)
    replaced = []
    window.document.project_replaced.connect(lambda: replaced.append(True))
    assert window.files.open_file(path)
    assert replaced and set(window.document.project.items) == {"r1"}
    assert set(window.scene.items_by_id) == {"r1"}
    assert window.document.path == path and not window.document.undo_stack.count()
    assert "plan.dcplan" in window.windowTitle()


def test_invalid_file_shows_the_loader_message_and_keeps_the_document(window, tmp_path, messages):  # type: ignore[no-untyped-def]
    window.editor.place_row("rack.air", 2, 3000, 3000)
    before = window.document.project.state()
    project_object = window.document.project
    broken = tmp_path / "broken.dcplan"
    broken.write_text('{"format": "dc-designer-project", "schema_version": 1, "halls": 7}')
    messages["answers"].append(QMessageBox.StandardButton.Discard)
    assert not window.files.open_file(broken)
    assert len(messages["critical"]) == 1 and "broken.dcplan" in messages["critical"][0]
    assert window.document.project is project_object and project_object.state() == before
    assert window.document.undo_stack.count() == 1
    assert not window.files.open_file(tmp_path / "missing.dcplan", ask=False)
    assert len(messages["critical"]) == 2


def test_unsaved_changes_are_asked_about(window, tmp_path, messages):  # type: ignore[no-untyped-def]
    window.editor.place_row("rack.air", 2, 3000, 3000)
    messages["answers"].append(QMessageBox.StandardButton.Cancel)
    window.files.new_document()
    assert len(window.document.project.items) == 2 and len(messages["question"]) == 1
    messages["answers"].append(QMessageBox.StandardButton.Discard)
    window.files.new_document()
    assert not window.document.project.items and not window.isWindowModified()
    assert list(window.document.project.halls) == ["hall-1"]


def test_close_with_unsaved_changes_can_be_cancelled(window, messages):  # type: ignore[no-untyped-def]
    window.editor.place_row("rack.air", 1, 3000, 3000)
    messages["answers"].append(QMessageBox.StandardButton.Cancel)
    assert not window.close()
    assert window.isVisible()
    messages["answers"].append(QMessageBox.StandardButton.Discard)
    assert window.close()


def test_dropping_a_plan_file_opens_it(window, tmp_path, make_project):  # type: ignore[no-untyped-def]
    other = make_project()
    other.add_items([PlacedItem("dropped", "rack.air", "hall-1", 900, 1200)])
    path = _saved_plan(tmp_path, other, "dropped.dcplan")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(
        QPoint(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(
        window,
        QDropEvent(
            QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        ),
    )
    assert set(window.document.project.items) == {"dropped"}


def test_status_bar_shows_selection_totals_and_cursor(window, qtbot):  # type: ignore[no-untyped-def]
    ids = window.editor.place_row("rack.liquid", 3, 3000, 3000)
    window.document.set_selection(ids)
    assert window.selection_label.text() == "3 selected · 300 kW IT · 4,500 kg"
    point = window.view.mapFromScene(QPointF(5000, 4000))
    viewport = window.view.viewport()
    QApplication.sendEvent(
        viewport,
        QMouseEvent(
            QEvent.Type.MouseMove,
            QPointF(point),
            QPointF(viewport.mapToGlobal(point)),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )
    assert window.cursor_label.text().startswith("x 5.0") or window.cursor_label.text().startswith("x 4.9")


def test_hall_combo_switches_halls(window):  # type: ignore[no-untyped-def]
    assert window.hall_combo.count() == 2
    window.hall_combo.setCurrentIndex(1)
    assert window.document.current_hall_id == "hall-2"
    assert window.scene.hall_rect().width() < 11000


def test_layer_toggles_in_the_view_menu(window):  # type: ignore[no-untyped-def]
    from designer.model.types import ConnectionKind

    window.action_show_power.setChecked(False)
    assert not window.scene.layer_visible[ConnectionKind.POWER]
    window.action_show_labels.setChecked(False)
    assert not window.scene.labels_visible


def test_connect_mode_action(window):  # type: ignore[no-untyped-def]
    window.action_connect_mode.trigger()
    assert window.scene.mode == "connect"
    window.action_select_mode.trigger()
    assert window.scene.mode == "select"


def test_placement_problems_reach_the_problems_panel(window):  # type: ignore[no-untyped-def]
    project = window.document.project
    window.document.push(
        AddItemsCommand(
            project,
            [PlacedItem("a", "rack.air", "hall-1", 5000, 5000), PlacedItem("b", "rack.air", "hall-1", 5300, 5000)],
        )
    )
    window.scene.refresh_problems()
    assert window.problems_panel.counts()["warning"] == 2


def test_create_main_window_without_a_path_opens_something(qtbot, monkeypatch, tmp_path, messages):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(app_module, "examples_dir", lambda: tmp_path)
    window = app_module.create_main_window(None)
    qtbot.addWidget(window)
    assert len(window.document.project.halls) == 1 and window.document.path is None
    assert not messages["critical"]


def test_create_main_window_opens_the_ai_hall_example(qtbot, monkeypatch, tmp_path, make_project, messages):  # type: ignore[no-untyped-def]
    from designer.io.catalog_io import load_catalog

    example = make_bundled_like_example(tmp_path, load_catalog(), make_project())
    monkeypatch.setattr(app_module, "examples_dir", lambda: tmp_path)
    assert app_module.default_example() == example
    window = app_module.create_main_window(None)
    qtbot.addWidget(window)
    assert set(window.document.project.items) == {"r1"}
    assert window.document.path is None  # saving the example asks for a new name


def make_bundled_like_example(folder: Path, catalog, project) -> Path:  # type: ignore[no-untyped-def]
    rack_id = next(entry.id for entry in catalog.values() if entry.kind.value == "rack")
    project.add_items([PlacedItem("r1", rack_id, "hall-1", 900, 1200)])
    (folder / "zz_other.dcplan").write_text("not json")
    path = folder / "ai_hall.dcplan"
    save_project(project, path)
    return path


def test_place_row_dialog_action(window, monkeypatch):  # type: ignore[no-untyped-def]
    from designer.ui.canvas.place_row_dialog import PlaceRowDialog

    def accept(dialog):  # type: ignore[no-untyped-def]
        dialog.entry_combo.setCurrentIndex(dialog.entry_combo.findData("rack.liquid"))
        dialog.count_spin.setValue(5)
        return PlaceRowDialog.DialogCode.Accepted

    monkeypatch.setattr(PlaceRowDialog, "exec", accept)
    window.action_place_row.trigger()
    items = list(window.document.project.items.values())
    assert len(items) == 5 and {i.catalog_id for i in items} == {"rack.liquid"}
    assert window.document.undo_stack.undoText() == "Place row of 5 racks"


def test_revert_reloads_the_saved_file(window, tmp_path, messages):  # type: ignore[no-untyped-def]
    path = tmp_path / "r.dcplan"
    window.document.path = path
    assert window.files.save()
    window.editor.place_row("rack.air", 2, 3000, 3000)
    messages["answers"].append(QMessageBox.StandardButton.Discard)
    window.files.revert()
    assert not window.document.project.items and not window.isWindowModified()


def test_recent_and_example_menus(window, tmp_path, monkeypatch, make_project):  # type: ignore[no-untyped-def]
    from designer.ui import document_controller

    path = _saved_plan(tmp_path, make_project(), "recent.dcplan")
    assert window.files.open_file(path)
    window.files.fill_recent_menu(window.recent_menu)
    assert str(path.resolve()) in [a.text() for a in window.recent_menu.actions()]
    monkeypatch.setattr(document_controller, "examples_dir", lambda: tmp_path)
    window.files.fill_examples_menu(window.examples_menu)
    (example,) = window.examples_menu.actions()
    assert example.text() == "recent.dcplan"
    window.document.path = None
    example.trigger()
    assert window.document.path is None  # an example opens as a new design: saving asks for a name
    assert not window.isWindowModified()


def test_window_geometry_is_remembered(qtbot, catalog, pod_templates, messages):  # type: ignore[no-untyped-def]
    first = MainWindow(catalog, pod_templates)
    qtbot.addWidget(first)
    first.show()
    first.resize(701, 503)
    assert first.close()
    second = MainWindow(catalog, pod_templates)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (701, 503)


def test_keyboard_shortcuts_reach_the_editor(window, qtbot):  # type: ignore[no-untyped-def]
    ids = window.editor.place_row("rack.air", 2, 3000, 3000)
    window.activateWindow()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_R)
    assert {window.document.project.items[i].rotation_deg for i in ids} == {90.0}
    qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert len(window.document.project.items) == 4
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert len(window.document.project.items) == 2
    scale = window.view.current_scale()
    qtbot.keyClick(window.view, Qt.Key.Key_Plus)
    assert window.view.current_scale() > scale
    qtbot.keyClick(window.view, Qt.Key.Key_Minus)
    assert abs(window.view.current_scale() - scale) < 1e-9


def test_new_hall_appears_in_the_switcher(window):  # type: ignore[no-untyped-def]
    from designer.model.records import Hall

    window.document.project.add_hall(Hall("hall-3", "Annex", ((0, 0), (5000, 0), (5000, 5000))))
    assert window.hall_combo.count() == 3 and window.hall_combo.itemText(2) == "Annex"


def test_run_gui_shows_a_window_and_returns_the_exit_code(qtbot, monkeypatch, tmp_path, messages):  # type: ignore[no-untyped-def]
    shown = []
    monkeypatch.setattr(app_module, "examples_dir", lambda: tmp_path)
    monkeypatch.setattr(QApplication, "exec", lambda self: shown.append(QApplication.topLevelWidgets()) or 0)
    # the real hooks would stay installed for the rest of the session (and could open dialogs)
    monkeypatch.setattr(app_module, "install_crash_handler", lambda app: None)
    monkeypatch.setattr(app_module, "configure_logging", lambda: tmp_path / "log")
    assert app_module.run_gui(None) == 0
    windows = [w for w in shown[0] if isinstance(w, MainWindow) and w.isVisible()]
    assert windows
    assert any(w.files.autosave is not None for w in windows)  # run_gui autosaves the window it opens
    for w in windows:
        w.close()
        w.deleteLater()


def test_window_has_export_menu_and_presents_on_f5(window, qtbot):  # type: ignore[no-untyped-def]
    assert set(window.export_actions) >= {"dxf", "report"}
    assert window.action_present.shortcut().toString() == "F5"
    assert window.action_run_analysis.shortcut().toString() == "F9"
    window.action_present.trigger()
    assert window.presentation is not None
    qtbot.addWidget(window.presentation)
    window.presentation.close()


def test_show_all_connections_toggle_reaches_the_scene(window):  # type: ignore[no-untyped-def]
    assert not window.scene.show_all_connections
    window.action_show_all_connections.trigger()
    assert window.scene.show_all_connections


def test_analysis_findings_reach_the_problems_panel(window, qtbot):  # type: ignore[no-untyped-def]
    window.editor.place_row("rack.air", 2, 3000, 3000)  # racks with no power or cooling
    qtbot.waitUntil(lambda: bool(window.analysis_findings), timeout=3000)
    codes = {row[1] for row in window.problems_panel.visible_rows()}
    assert codes and "analysis_failed" not in codes
    window.action_run_analysis.trigger()
    assert window.analysis_findings


def test_a_plan_dropped_on_the_canvas_reaches_the_window(window, tmp_path, make_project):  # type: ignore[no-untyped-def]
    other = make_project()
    other.add_items([PlacedItem("via-canvas", "rack.air", "hall-1", 900, 1200)])
    path = _saved_plan(tmp_path, other, "canvas.dcplan")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    viewport = window.view.viewport()
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(30, 30), Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(viewport, QDropEvent(QPointF(30, 30), Qt.DropAction.CopyAction, mime, buttons, mods))
    assert set(window.document.project.items) == {"via-canvas"}


def test_activating_a_problem_shows_its_items_in_their_hall(window):  # type: ignore[no-untyped-def]
    window.document.project.add_items([PlacedItem("far", "rack.air", "hall-2", 900, 1200)])
    window.problems_panel.item_activated.emit(["far"])
    assert window.document.current_hall_id == "hall-2"
    assert window.document.selected_ids() == ["far"] and window.scene.items_by_id["far"].isSelected()


def test_what_if_this_fails_selects_the_racks_that_lose_supply(qtbot, messages):  # type: ignore[no-untyped-def]
    from designer.analysis import analyze
    from designer.io.catalog_io import load_catalog
    from designer.io.pods_io import load_pod_templates
    from designer.io.project_file import load_project
    from designer.io.resources import examples_dir

    catalog = load_catalog(include_user=False)
    project = load_project(examples_dir() / "retrofit.dcplan", catalog)
    window = MainWindow(catalog, load_pod_templates(catalog, include_user=False), project)
    qtbot.addWidget(window)
    # the retrofit's UPSs share one transformer: losing it takes every rack's power
    expected = analyze(project, catalog).failure("xfmr-1")
    assert expected.racks_without_power
    window.document.set_current_hall("hall-plant")  # where the transformer stands
    window.document.set_selection(["xfmr-1"])
    message = window.what_if_fails()
    assert window.document.current_hall_id == "hall-legacy"  # where the racks it takes down stand
    assert set(window.document.selected_ids()) == {
        *expected.racks_without_power,
        *expected.racks_without_cooling,
        *expected.overloaded,
    }
    assert f"{len(expected.racks_without_power)} racks lose power" in message
    window.document.set_selection([])
    assert "Select one" in window.what_if_fails()
    window.document.undo_stack.setClean()


def test_a_selection_saved_as_a_pod_template_reloads_and_reaches_the_palette(window, monkeypatch):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QInputDialog

    from designer.io.pods_io import read_pod_file

    window.editor.place_row("rack.air", 3, 3000, 3000)
    ids = window.document.selected_ids() or list(window.document.project.items)
    window.document.set_selection(ids)
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("My row", True))
    path = window.save_selection_as_pod()
    assert path is not None and path.exists()
    template = read_pod_file(path, window.document.catalog)  # read back as any user template is
    assert template.id == "pod.user.my_row"
    assert len(template.items) == len(ids)
    assert window.palette_dock.row_for("pod.user.my_row") is not None


def test_the_open_design_is_frozen_and_a_replaced_one_is_not_kept_alive(window, qtbot, make_project):  # type: ignore[no-untyped-def]
    import gc
    import weakref

    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=3000)
    window.document.replace_project(make_project(), None)  # one that no fixture holds
    old = weakref.ref(window.document.project)
    qtbot.wait(50)
    window.document.replace_project(make_project(), None)
    qtbot.waitUntil(lambda: old() is None, timeout=3000)
    assert gc.get_freeze_count() > 0, "the new design is frozen in turn"


def test_a_closed_window_stops_listening_to_a_project_that_outlives_it(window, project):  # type: ignore[no-untyped-def]
    # the bench measures one window after another on one campus: a listener left behind kept the whole
    # closed window (its analyzer, results and scene) alive under every later figure
    def owners() -> set[int]:
        return {id(getattr(listener, "__self__", None)) for listener in project.events._listeners}

    assert {id(window.document), id(window.scene)} <= owners()
    window.document.undo_stack.setClean()
    window.close()
    assert not ({id(window.document), id(window.scene)} & owners())
