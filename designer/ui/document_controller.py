"""DocumentController: open, save, save as, revert, recent files and the autosave hook of one document.

The main window assembles docks and menus and binds File ▸ New/Open/Save/... to this controller;
features that need the file (autosave, recovery) talk to it, not to the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from designer.io.errors import FileFormatError
from designer.io.project_file import load_project, save_project
from designer.io.resources import examples_dir
from designer.model.project import Project
from designer.model.records import Hall
from designer.ui.document import Document
from designer.ui.plain_text import plain_html, show_critical

if TYPE_CHECKING:
    from designer.ui.autosave import AutosaveManager

ORGANISATION = "dc-designer"
APPLICATION = "dc-designer"
FILE_FILTER = "DC Designer plans (*.dcplan);;All files (*)"
MAX_RECENT = 10


def new_project() -> Project:
    """An empty design with one 30 m x 20 m hall."""
    project = Project()
    project.add_hall(Hall(id="hall-1", name="Hall 1", outline_mm=((0, 0), (30000, 0), (30000, 20000), (0, 20000))))
    return project


class DocumentController(QObject):
    """File handling of one :class:`Document`; dialogs open over ``parent_widget``."""

    path_changed = Signal()
    """The document was saved under a name, or became unnamed (the window title follows)."""

    def __init__(self, document: Document, parent_widget: QWidget, say: Callable[[str], None]) -> None:
        super().__init__(parent_widget)
        self.document = document
        self.parent_widget = parent_widget
        self._say = say
        self.autosave: AutosaveManager | None = None
        """Set by ``install_autosave`` when the app runs; tests usually leave it off."""
        self.autosave_failure_shown = False
        """An autosave failure was shown in a dialog (once a session; later ones go to the status bar)."""

    def maybe_save(self) -> bool:
        """Ask what to do with unsaved changes; False means the user cancelled."""
        if not self.document.is_dirty():
            return True
        answer = QMessageBox.question(
            self.parent_widget,
            "Unsaved changes",
            plain_html(f"Save the changes to {self.document.display_name()}?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_document(self) -> None:
        if self.maybe_save():
            self.document.replace_project(new_project(), None)

    def open_dialog(self) -> None:
        start = str(self.document.path.parent) if self.document.path else str(Path.home())
        name, _ = QFileDialog.getOpenFileName(self.parent_widget, "Open Plan", start, FILE_FILTER)
        if name:
            self.open_file(Path(name))

    def open_file(self, path: Path, *, ask: bool = True, remember: bool = True) -> bool:
        """Load ``path`` into the document; on failure the current design stays as it was."""
        if ask and not self.maybe_save():
            return False
        try:
            project = load_project(path, self.document.catalog)
        except FileFormatError as error:
            show_critical(self.parent_widget, "Cannot open plan", error.one_line())
            return False
        except OSError as error:
            show_critical(self.parent_widget, "Cannot open plan", f"{path}: {error.strerror or error}")
            return False
        self.document.replace_project(project, path)
        if remember:
            self.add_recent(path)
        return True

    def open_example(self, path: Path) -> bool:
        """Open a bundled example as a new, unsaved design (saving asks for a name, never overwrites it)."""
        if not self.open_file(path, remember=False):
            return False
        self.document.path = None
        self.path_changed.emit()
        return True

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        start = str(self.document.path) if self.document.path else str(Path.home() / "untitled.dcplan")
        name, _ = QFileDialog.getSaveFileName(self.parent_widget, "Save Plan As", start, FILE_FILTER)
        if not name:
            return False
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(".dcplan")
        return self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        try:
            # checked with the loader's rules first: a design that would not reopen is never written
            save_project(self.document.project, path, catalog=self.document.catalog)
        except (OSError, FileFormatError) as error:
            text = error.one_line() if isinstance(error, FileFormatError) else f"{path}: {error}"
            show_critical(self.parent_widget, "Cannot save plan", text)
            return False
        self.document.path = path
        self.document.undo_stack.setClean()
        self.add_recent(path)
        self.path_changed.emit()
        self._say(f"Saved {path}")
        return True

    def revert(self) -> None:
        path = self.document.path
        if path is None or not self.document.is_dirty():
            return
        answer = QMessageBox.question(
            self.parent_widget,
            "Revert",
            plain_html(f"Discard all changes since {path.name} was saved?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Discard:
            self.open_file(path, ask=False)

    def fill_examples_menu(self, menu: QMenu) -> None:
        """File ▸ Open Example: the bundled examples (filled when the menu opens)."""
        menu.clear()
        examples = sorted(examples_dir().glob("*.dcplan"))
        for path in examples:
            action = menu.addAction(path.name)
            action.triggered.connect(lambda _checked=False, p=path: self.open_example(p))
        if not examples:
            menu.addAction("(no examples installed)").setEnabled(False)

    def recent_files(self) -> list[str]:
        value = QSettings(ORGANISATION, APPLICATION).value("recent_files", [])
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value or []]

    def add_recent(self, path: Path) -> None:
        name = str(path.resolve())
        recent = [name] + [p for p in self.recent_files() if p != name]
        QSettings(ORGANISATION, APPLICATION).setValue("recent_files", recent[:MAX_RECENT])

    def fill_recent_menu(self, menu: QMenu) -> None:
        """File ▸ Open Recent (filled when the menu opens)."""
        menu.clear()
        for name in self.recent_files():
            action = menu.addAction(name)
            action.triggered.connect(lambda _checked=False, p=Path(name): self.open_file(p))
        if menu.isEmpty():
            menu.addAction("(none)").setEnabled(False)

    def close(self) -> None:
        """The window closes after save or discard: nothing is left to recover."""
        if self.autosave is not None:
            self.autosave.close()
