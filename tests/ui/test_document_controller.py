"""DocumentController: file handling of a document without a main window; features set nothing on windows."""

from __future__ import annotations

import ast
from pathlib import Path

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from designer.io.project_file import load_project
from designer.model.records import Hall
from designer.ui.document import Document
from designer.ui.document_controller import DocumentController, new_project

UI = Path(__file__).resolve().parents[2] / "designer" / "ui"


def test_save_revert_and_recent_files_without_a_window(qtbot, catalog, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    parent = QWidget()
    qtbot.addWidget(parent)
    messages: list[str] = []
    document = Document(new_project(), catalog, {}, None, parent=parent)
    files = DocumentController(document, parent, messages.append)
    path = tmp_path / "plan.dcplan"
    document.path = path
    with qtbot.waitSignal(files.path_changed):
        assert files.save()
    assert not document.is_dirty() and messages == [f"Saved {path}"]
    assert str(path.resolve()) in files.recent_files()
    assert set(load_project(path, catalog).halls) == {"hall-1"}
    document.project.add_hall(Hall("hall-2", "Annex", ((0, 0), (5000, 0), (5000, 5000))))
    document.undo_stack.push(QUndoCommand("an unsaved change"))
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Discard)
    assert document.is_dirty()
    files.revert()
    assert set(document.project.halls) == {"hall-1"}, messages
    assert not document.is_dirty()


def test_opening_a_file_after_a_restored_autosave_is_clean(qtbot, catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    document = Document(new_project(), catalog, {}, None, parent=parent)
    files = DocumentController(document, parent, lambda _text: None)
    document.path = tmp_path / "plan.dcplan"
    assert files.save()
    document.undo_stack.resetClean()  # what apply_recovery does: dirty with an empty history
    assert files.open_file(tmp_path / "plan.dcplan", ask=False)
    assert not document.is_dirty()


def test_no_ui_module_sets_attributes_on_a_window() -> None:
    offenders = []
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, ast.AnnAssign | ast.AugAssign) else []
            for target in targets:
                if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                        and target.value.id == "window"):
                    offenders.append(f"{path.name}:{node.lineno} window.{target.attr}")
    assert offenders == []
