"""Issue 14 item 2: text from a file is shown as plain text in every dialog, tooltip and label.

Qt renders a message box or tooltip whose text looks like HTML: a project key ``<img src="/dev/zero">``
in an error dialog made Qt read /dev/zero until the process died. Each place below is fed that text
and must show it literally. ``displayed_text`` renders the rich text to plain text without loading
any image, so a regression fails here instead of hanging.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsItem, QLabel, QMessageBox

from designer.analysis.findings import Finding
from designer.model.records import Door, Hall, Obstacle
from designer.model.types import ObstacleKind
from designer.ui.canvas.items import DoorItem
from designer.ui.crash import build_error_dialog
from designer.ui.main_window import MainWindow
from designer.ui.panels.inspector import InspectorPanel
from designer.ui.plain_text import displayed_text

HOSTILE = '<img src="/dev/zero"><b>bold</b> & <a href="x">link</a>'
HOSTILE_ID = 'id-<img src="/dev/zero">'  # a printable id: allowed, but never rendered


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(kind, text as displayed) of every message box the code under test opens."""
    seen: list[tuple[str, str]] = []
    for kind in ("critical", "warning", "information"):
        monkeypatch.setattr(
            QMessageBox, kind, lambda *args, _kind=kind, **kwargs: seen.append((_kind, displayed_text(args[2])))
        )
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    return seen


@pytest.fixture
def window(qtbot, project, catalog, pod_templates, shown):  # type: ignore[no-untyped-def]
    win = MainWindow(catalog, pod_templates, project)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_the_error_dialog_of_a_file_shows_its_key_as_text(window: MainWindow, shown, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "hostile.dcplan"
    path.write_text(json.dumps({"format": "dc-designer-project", "schema_version": 1, HOSTILE: 1}))
    assert not window.files.open_file(path, ask=False)
    assert shown == [("critical", f"{path}: unknown field {HOSTILE!r}")]


def test_the_export_failed_warning_shows_the_path_as_text(window: MainWindow, shown, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / HOSTILE / "out.csv"  # the folder does not exist: the write fails naming the path
    assert not window.export_controller.run("csv", target)
    ((kind, text),) = shown
    assert kind == "warning" and str(target) in text and "<img" in text


def test_problem_tooltips_are_text(window: MainWindow) -> None:
    window.problems_panel.set_findings([Finding("error", "code", HOSTILE, (HOSTILE_ID, "rack-1"))])
    model = window.problems_panel.model
    assert displayed_text(model.item(0, 2).toolTip()) == HOSTILE
    assert displayed_text(model.item(0, 3).toolTip()) == f"{HOSTILE_ID}\nrack-1"
    assert model.item(0, 2).text() == HOSTILE  # the cell itself is plain


def test_user_file_warnings_reach_the_problems_panel_as_text(window: MainWindow) -> None:
    window.set_file_warnings([f"user catalog file skipped: /x/{HOSTILE}.json: not valid JSON"])
    rows = window.problems_panel.visible_rows()
    assert ("warning", "user_files", f"user catalog file skipped: /x/{HOSTILE}.json: not valid JSON", []) in rows


def test_obstacle_and_door_tooltips_are_text(window: MainWindow) -> None:
    project = window.document.project
    hall = project.halls["hall-1"]
    column = Obstacle(HOSTILE_ID, ObstacleKind.COLUMN, ((1000, 1000), (1600, 1000), (1600, 1600)), label=HOSTILE)
    door = Door("door-x", 5000, 0, 1200, label=HOSTILE)
    project.update_hall(Hall(**{**_fields(hall), "obstacles": (column,), "doors": (door,)}))
    window.document.replace_project(project, None)
    tips = [displayed_text(item.toolTip()) for item in window.scene.items() if item.toolTip()]
    assert f"column {HOSTILE}" in tips
    assert HOSTILE in tips
    unlabelled = DoorItem(Door(HOSTILE_ID, 0, 0, 900))
    assert displayed_text(unlabelled.toolTip()) == f"door {HOSTILE_ID}"
    assert all(isinstance(item, QGraphicsItem) for item in window.scene.items())


def test_labels_showing_file_text_are_plain(window: MainWindow) -> None:
    inspector = window.findChild(InspectorPanel)
    assert inspector is not None
    labels = [inspector.title_label, *inspector.info_labels.values()]
    assert all(label.textFormat() is Qt.TextFormat.PlainText for label in labels)
    assert all(isinstance(label, QLabel) for label in labels)


def test_the_crash_dialog_shows_the_exception_text_as_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    box = build_error_dialog(None, f"ValueError: {HOSTILE}", f"Traceback\nValueError: {HOSTILE}")
    qtbot.addWidget(box)
    assert box.textFormat() is Qt.TextFormat.PlainText
    assert box.text() == f"ValueError: {HOSTILE}"


def _fields(hall: Hall) -> dict[str, object]:
    return {name: getattr(hall, name) for name in Hall.__dataclass_fields__}


def test_item8_a_design_that_would_not_reopen_is_not_saved(window: MainWindow, shown, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A pod template at x = 9e11 mm placed and saved a design that then could not be opened."""
    from designer.model.records import PlacedItem
    from designer.ui.autosave import install_autosave

    window.document.project.add_items([PlacedItem("far", "rack.air", "hall-1", 9e11, 0.0)])
    path = tmp_path / "far.dcplan"
    assert not window.files._save_to(path)
    assert not path.exists()
    ((kind, text),) = shown
    assert kind == "critical" and text.startswith(f"{path}: $.items[0].x_mm: not saved: the file would not open again")
    manager = install_autosave(window.files, tmp_path / "autosave")
    try:
        window.editor.place_row("rack.air", 1, 3000, 3000)  # an edit, so there is something to autosave
        with qtbot.waitSignal(manager.write_failed, timeout=10_000) as signal:
            manager.save_now()
        assert "x_mm" in signal.args[0]
        assert not list((tmp_path / "autosave").glob("*.dcplan"))
    finally:
        manager.close(discard=False)


def test_item9_the_app_starts_with_a_user_folder_of_bad_files(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A dangling link, a folder named *.json or one bad entry in the user catalog stopped the GUI."""
    from designer.ui.app import create_main_window

    catalog = tmp_path / "user" / "catalog"
    catalog.mkdir(parents=True)
    (catalog / "dangling.json").symlink_to(tmp_path / "gone.json")
    (catalog / "folder.json").mkdir()
    (catalog / "html.json").write_text(HOSTILE)
    monkeypatch.setenv("DC_DESIGNER_USER_DIR", str(tmp_path / "user"))
    window = create_main_window(None)
    qtbot.addWidget(window)
    rows = [row for row in window.problems_panel.visible_rows() if row[1] == "user_files"]
    assert len(rows) == 3 and all(row[0] == "warning" for row in rows)
    assert any(f"{catalog / 'html.json'}: not valid JSON" in row[2] for row in rows)
