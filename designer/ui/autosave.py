"""Autosave: a copy of the open design written every minute while it has unsaved changes, offered back after a crash."""

from __future__ import annotations

import json
import logging
import os
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from designer.io.atomic_write import atomic_write_bytes
from designer.io.errors import FileFormatError
from designer.io.project_file import MAX_PROJECT_BYTES, check_loadable, project_from_text, project_to_pieces
from designer.io.resources import user_data_dir
from designer.io.safe_read import read_regular_file
from designer.model.catalog import Catalog
from designer.model.project import Project
from designer.ui.autosave_claim import AutosaveClaim, claim, is_claimed_elsewhere
from designer.ui.document import Document
from designer.ui.plain_text import show_warning

if TYPE_CHECKING:
    from designer.ui.document_controller import DocumentController

log = logging.getLogger(__name__)

AUTOSAVE_INTERVAL_MS = 60_000
SETTLE_MS = 4_000
"""A burst of edits is autosaved this long after its last edit, so a crash loses seconds, not a minute."""
DATA_SUFFIX = ".dcplan"
SIDECAR_SUFFIX = ".autosave.json"
SIDECAR_FORMAT = "dc-designer-autosave"
MAX_SIDECAR_BYTES = 64_000


def autosave_dir() -> Path:
    """Where autosaves live: ``user_data_dir()/autosave``."""
    return user_data_dir() / "autosave"


@dataclass(frozen=True, slots=True)
class RecoveryInfo:
    """One autosave found on disk: what it was, and whether it can be restored (``problem`` empty)."""

    name: str
    folder: Path
    saved_at: datetime | None
    original_path: Path | None
    title: str
    item_count: int
    problem: str = ""

    @property
    def data_path(self) -> Path:
        return self.folder / (self.name + DATA_SUFFIX)

    @property
    def sidecar_path(self) -> Path:
        return self.folder / (self.name + SIDECAR_SUFFIX)

    def describe(self) -> str:
        """One line for the recovery dialog."""
        when = self.saved_at.astimezone().strftime("%Y-%m-%d %H:%M") if self.saved_at else "unknown time"
        what = self.title or (self.original_path.name if self.original_path else "Untitled")
        where = str(self.original_path) if self.original_path else "never saved"
        text = f"{when} — {what} ({where}), {self.item_count} items"
        return f"{text} — damaged: {self.problem}" if self.problem else text


@dataclass(frozen=True, slots=True)
class Recovery:
    """A restored design: put ``project`` in the window with ``original_path`` and mark it unsaved."""

    project: Project
    original_path: Path | None
    info: RecoveryInfo
    claim: AutosaveClaim | None = None
    """The exclusive claim on the autosave, held until it is saved or discarded."""


def remove_autosave(info: RecoveryInfo) -> bool:
    """Delete an autosave's data and sidecar (missing files are fine); False when another instance
    has claimed it (it is left alone)."""
    held = claim(info.folder, info.name)
    if held is None:
        return False
    try:
        _unlink_autosave(info)
    finally:
        held.release()
    return True


def _unlink_autosave(info: RecoveryInfo) -> None:
    for path in (info.data_path, info.sidecar_path):
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            log.warning("cannot remove autosave %s: %s", path, error)


def _pid_alive_elsewhere(pid: object) -> bool:
    """True when ``pid`` is another running process (its autosaves are not ours to recover)."""
    if not isinstance(pid, int) or pid <= 0 or pid == os.getpid() or os.name != "posix":
        return False  # on Windows os.kill would terminate the process: never probe there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _read_sidecar(path: Path) -> dict[str, object]:
    if not os.path.lexists(path):
        raise FileNotFoundError(path)
    # a regular file of bounded size only: a named pipe here would hang the start of the app
    raw = read_regular_file(path, max_bytes=MAX_SIDECAR_BYTES, error=FileFormatError)
    data = json.loads(raw.decode("utf-8"))
    if not isinstance(data, dict) or data.get("format") != SIDECAR_FORMAT:
        raise ValueError("not an autosave sidecar")
    return data


def _info_from_sidecar(name: str, folder: Path, data: dict[str, object]) -> RecoveryInfo:
    saved_raw = data.get("saved_at")
    saved_at = datetime.fromisoformat(saved_raw) if isinstance(saved_raw, str) else None
    if saved_at is not None and saved_at.tzinfo is None:
        saved_at = saved_at.replace(tzinfo=UTC)  # written by hand or by an older version: assume UTC
    original = data.get("original_path")
    title = data.get("title")
    count = data.get("item_count")
    return RecoveryInfo(
        name=name,
        folder=folder,
        saved_at=saved_at,
        original_path=Path(original) if isinstance(original, str) and original else None,
        title=title if isinstance(title, str) else "",
        item_count=count if isinstance(count, int) and not isinstance(count, bool) else 0,
    )


def pending_recoveries(folder: Path | None = None) -> list[RecoveryInfo]:
    """Autosaves left behind by sessions that ended without saving or discarding, newest first.

    A damaged autosave (unreadable sidecar, missing data) is listed with ``problem`` set, never raised.
    Autosaves of other running instances are left alone.
    """
    folder = autosave_dir() if folder is None else Path(folder)
    if not folder.is_dir():
        return []
    found: list[RecoveryInfo] = []
    names = {p.name[: -len(SIDECAR_SUFFIX)] for p in folder.glob("*" + SIDECAR_SUFFIX)}
    names |= {p.stem for p in folder.glob("*" + DATA_SUFFIX) if not p.name.startswith(".")}
    for name in sorted(names):
        sidecar = folder / (name + SIDECAR_SUFFIX)
        if is_claimed_elsewhere(folder, name):
            continue  # another instance is restoring it or wrote it
        try:
            data = _read_sidecar(sidecar)
            if _pid_alive_elsewhere(data.get("pid")):
                continue
            info = _info_from_sidecar(name, folder, data)
        except (OSError, ValueError, TypeError) as error:
            problem = "no description" if isinstance(error, FileNotFoundError) else f"unreadable description ({error})"
            info = RecoveryInfo(name, folder, None, None, "", 0, problem)
        if not info.problem and not info.data_path.is_file():
            info = replace(info, problem="the design is missing")
        if info.problem:
            log.warning("damaged autosave %s: %s", folder / name, info.problem)
        found.append(info)
    oldest = datetime.min.replace(tzinfo=UTC)
    found.sort(key=lambda i: i.saved_at or oldest, reverse=True)
    return found


def load_recovery(info: RecoveryInfo, catalog: Catalog) -> Recovery:
    """The design stored in an autosave; raises FileFormatError or OSError when it cannot be read."""
    if info.problem:
        raise FileFormatError(info.problem)
    raw = read_regular_file(info.data_path, max_bytes=MAX_PROJECT_BYTES, error=FileFormatError)
    project = project_from_text(raw, catalog)
    return Recovery(project, info.original_path, info)


class AutosaveManager(QObject):
    """Writes the document to ``folder`` every ``interval_ms`` while it has unsaved changes, and
    ``settle_ms`` after the last edit of a burst.

    The GUI thread only takes a snapshot of the project (it shares the immutable records, and the
    model is not thread-safe); a single worker thread serialises and writes it, so the interface never
    waits for the disk. One worker keeps writes and removals in order.
    """

    write_failed = Signal(str)
    """An autosave could not be written (emitted from the worker thread; the text says why and where)."""

    def __init__(
        self,
        document: Document,
        folder: Path | None = None,
        interval_ms: int = AUTOSAVE_INTERVAL_MS,
        parent: QObject | None = None,
        settle_ms: int = SETTLE_MS,
    ) -> None:
        super().__init__(parent if parent is not None else document)
        self.document = document
        self.folder = autosave_dir() if folder is None else Path(folder)
        self.last_error: str = ""
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="autosave")
        self._pending: Future[None] | None = None
        self._name: str | None = None
        self._claim: AutosaveClaim | None = None
        self._changed = False
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start()
        # restarted by every edit: fires once the burst has settled (the minute timer still covers a
        # steady stream of edits that never pauses)
        self._settle_timer = QTimer(self)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(settle_ms)
        self._settle_timer.timeout.connect(self._on_settle_timer_timeout)
        document.undo_stack.indexChanged.connect(self._on_undo_stack_index_changed)
        document.undo_stack.cleanChanged.connect(self._on_undo_stack_clean_changed)
        document.project_replaced.connect(self._on_document_project_replaced)

    # ----------------------------------------------------------------- public
    @property
    def name(self) -> str | None:
        """The file name (without suffix) of this document's autosave, once one was written."""
        return self._name

    @property
    def data_path(self) -> Path | None:
        return self.folder / (self._name + DATA_SUFFIX) if self._name else None

    @property
    def sidecar_path(self) -> Path | None:
        return self.folder / (self._name + SIDECAR_SUFFIX) if self._name else None

    def save_now(self) -> bool:
        """Autosave now if there are unsaved changes; returns whether a write was queued."""
        if self._closed or not self.document.is_dirty():
            return False
        project = self.document.project
        snapshot = project.snapshot()  # milliseconds; serialising 10k racks takes ~0.6 s, on the worker
        if self._name is None:
            self._name = self._new_name()
            self._claim = claim(self.folder, self._name)  # other instances leave a live autosave alone
        path = self.document.path
        sidecar = {
            "format": SIDECAR_FORMAT,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "original_path": str(path) if path is not None else None,
            "title": project.metadata.title,
            "item_count": len(project.items),
            "pid": os.getpid(),
        }
        sidecar_bytes = json.dumps(sidecar, ensure_ascii=False, indent=1).encode("utf-8")
        self._changed = False
        self._submit(self._write, self.folder, self._name, snapshot, sidecar_bytes, self.document.catalog)
        return True

    def discard(self) -> None:
        """The user closed without saving: the autosave must not be offered again."""
        self._remove_current()

    def adopt(self, info: RecoveryInfo, held: AutosaveClaim | None = None) -> None:
        """Keep writing to a restored autosave's files, so it stays on disk until saved or discarded.

        ``held`` is the claim taken before restoring; this manager keeps it from now on.
        """
        if self._name is not None and self._name != info.name:
            self._remove_current()
        self.folder = info.folder
        self._name = info.name
        self._claim = held
        self._changed = True

    def wait(self, timeout_s: float | None = 10.0) -> None:
        """Block until the queued writes and removals are done (tests, shutdown)."""
        pending = self._pending
        if pending is not None:
            pending.result(timeout_s)

    def close(self, *, discard: bool = True) -> None:
        """Stop the timer, remove the autosave (the window closed after save or discard) and finish the worker."""
        if self._closed:
            return
        self._timer.stop()
        self._settle_timer.stop()
        self._disconnect()
        if discard:
            self._remove_current()
        self._closed = True
        self._executor.shutdown(wait=True)
        if self._claim is not None:  # kept (not discarded): the lock goes, the autosave stays for next time
            self._claim.release(remove=False)
            self._claim = None

    def _disconnect(self) -> None:
        try:
            stack = self.document.undo_stack
            stack.indexChanged.disconnect(self._on_undo_stack_index_changed)
            stack.cleanChanged.disconnect(self._on_undo_stack_clean_changed)
            self.document.project_replaced.disconnect(self._on_document_project_replaced)
        except (RuntimeError, TypeError):  # already gone with the document
            pass

    # ----------------------------------------------------------------- handlers
    def _on_timer_timeout(self) -> None:
        if self._changed:
            self.save_now()

    def _on_settle_timer_timeout(self) -> None:
        if self._changed:
            self.save_now()

    def _on_undo_stack_index_changed(self, _index: int) -> None:
        self._changed = True
        self._settle_timer.start()

    def _on_undo_stack_clean_changed(self, clean: bool) -> None:
        if clean:  # saved, or back at the saved state: nothing to recover
            self._settle_timer.stop()
            self._remove_current()
            self._changed = False

    def _on_document_project_replaced(self) -> None:
        self._settle_timer.stop()
        self._remove_current()
        self._changed = False

    # ----------------------------------------------------------------- worker
    def _new_name(self) -> str:
        stem = self.document.path.stem if self.document.path is not None else "untitled"
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem)[:40] or "untitled"
        return f"{safe}-{uuid.uuid4().hex[:8]}"

    def _remove_current(self) -> None:
        if self._name is None:
            return
        name, self._name = self._name, None
        held, self._claim = self._claim, None
        self._submit(self._remove, self.folder, name, held)

    def _submit(self, task: object, *args: object) -> None:
        if self._closed:
            return
        self._pending = self._executor.submit(task, *args)  # type: ignore[arg-type]

    def _write(
        self, folder: Path, name: str, snapshot: Project, sidecar: bytes, catalog: Catalog | None = None
    ) -> None:
        # Runs on the worker thread: touches only its arguments (the snapshot is nobody else's).
        # Data first, then the sidecar that describes it, so a listed autosave always has its data.
        try:
            if catalog is not None:  # an autosave the loader refuses could never be restored
                check_loadable(snapshot, catalog)
            data = project_to_pieces(snapshot)  # no text, nor the whole file as one copy, at 50k racks 58 MB each
        except Exception as error:  # a worker must not die silently: the next autosave tries again
            self.last_error = f"autosave could not write the design out: {error}"
            log.exception(self.last_error)
            self.write_failed.emit(self.last_error)
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(folder / (name + DATA_SUFFIX), data, keep_backup=False)
            atomic_write_bytes(folder / (name + SIDECAR_SUFFIX), sidecar, keep_backup=False)
            self.last_error = ""
        except OSError as error:
            self.last_error = f"autosave to {folder} failed: {error}"
            log.warning(self.last_error)
            self.write_failed.emit(self.last_error)

    @staticmethod
    def _remove(folder: Path, name: str, held: AutosaveClaim | None = None) -> None:
        for suffix in (SIDECAR_SUFFIX, DATA_SUFFIX):
            try:
                (folder / (name + suffix)).unlink(missing_ok=True)
            except OSError as error:
                log.warning("cannot remove autosave %s: %s", folder / (name + suffix), error)
        if held is not None:
            held.release()


# ====================================================================== recovery dialog
class RecoveryDialog(QDialog):
    """Lists the autosaves of sessions that did not end cleanly: Restore one, Discard, or decide later."""

    def __init__(self, infos: list[RecoveryInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Recover unsaved work")
        self.chosen: RecoveryInfo | None = None
        self.discarded: list[RecoveryInfo] = []
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("DC Designer did not close normally last time. These unsaved designs were autosaved:", self)
        )
        self.list = QListWidget(self)
        for info in infos:
            row = QListWidgetItem(info.describe(), self.list)
            row.setData(Qt.ItemDataRole.UserRole, info)
            if info.problem:
                row.setForeground(Qt.GlobalColor.darkRed)
        self.list.setCurrentRow(0)
        self.list.currentRowChanged.connect(self._update_buttons)
        self.list.itemDoubleClicked.connect(lambda _row: self._on_restore_clicked())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(self)
        self.restore_button = QPushButton("Restore", self)
        self.discard_button = QPushButton("Discard", self)
        self.later_button = QPushButton("Decide Later", self)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self.discard_button.clicked.connect(self._on_discard_clicked)
        self.later_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 260)
        self._update_buttons()

    def current_info(self) -> RecoveryInfo | None:
        row = self.list.currentItem()
        info = row.data(Qt.ItemDataRole.UserRole) if row is not None else None
        return info if isinstance(info, RecoveryInfo) else None

    def select(self, info: RecoveryInfo) -> None:
        for index in range(self.list.count()):
            if self.list.item(index).data(Qt.ItemDataRole.UserRole) == info:
                self.list.setCurrentRow(index)

    def _update_buttons(self) -> None:
        info = self.current_info()
        self.restore_button.setEnabled(info is not None and not info.problem)
        self.discard_button.setEnabled(info is not None)

    def mark_damaged(self, info: RecoveryInfo, problem: str) -> None:
        """Restoring failed: show why and keep the dialog open."""
        for index in range(self.list.count()):
            row = self.list.item(index)
            if row.data(Qt.ItemDataRole.UserRole) == info:
                damaged = replace(info, problem=problem)
                row.setData(Qt.ItemDataRole.UserRole, damaged)
                row.setText(damaged.describe())
                row.setForeground(Qt.GlobalColor.darkRed)
        self._update_buttons()

    def _on_restore_clicked(self) -> None:
        info = self.current_info()
        if info is not None and not info.problem:
            self.chosen = info
            self.accept()

    def _on_discard_clicked(self) -> None:
        info = self.current_info()
        if info is None:
            return
        if not remove_autosave(info):
            self.mark_damaged(info, "another DC Designer window is restoring it")
            return
        self.discarded.append(info)
        self.list.takeItem(self.list.currentRow())
        if self.list.count() == 0:
            self.reject()
        self._update_buttons()


def run_recovery_dialog(dialog: RecoveryDialog) -> int:
    """Show the dialog modally (tests replace this to click its buttons)."""
    return dialog.exec()


def offer_recovery(
    parent: QWidget | None, catalog: Catalog, infos: list[RecoveryInfo] | None = None, folder: Path | None = None
) -> Recovery | None:
    """Ask whether to restore one of ``infos`` (default: the pending autosaves of ``folder``).

    Returns the restored design, or None when there is nothing to restore or the user declined.
    An autosave that fails to load is shown as damaged in the dialog; it never raises.
    """
    infos = pending_recoveries(folder) if infos is None else infos
    if not infos:
        return None
    dialog = RecoveryDialog(infos, parent)
    try:
        while True:
            dialog.chosen = None
            run_recovery_dialog(dialog)
            info = dialog.chosen
            if info is None:
                return None
            held = claim(info.folder, info.name)
            if held is None:
                dialog.mark_damaged(info, "another DC Designer window is restoring it")
                continue
            if not info.data_path.is_file():  # restored and saved by another window meanwhile
                held.release()
                dialog.mark_damaged(info, "the design is gone (restored in another window)")
                continue
            try:
                return replace(load_recovery(info, catalog), claim=held)
            except (FileFormatError, OSError) as error:
                held.release(remove=False)
                problem = error.one_line() if isinstance(error, FileFormatError) else str(error)
                log.warning("cannot restore autosave %s: %s", info.data_path, problem)
                dialog.mark_damaged(info, problem)
    finally:
        dialog.deleteLater()


def apply_recovery(files: DocumentController, recovery: Recovery, manager: AutosaveManager | None = None) -> None:
    """Show a restored design in ``files``' document: its original path remembered, marked as unsaved."""
    document = files.document
    document.replace_project(recovery.project, recovery.original_path)
    document.undo_stack.resetClean()  # dirty with an empty history: saving is needed to keep it
    if manager is not None:
        manager.adopt(recovery.info, recovery.claim)
    files.path_changed.emit()


def install_autosave(files: DocumentController, folder: Path | None = None) -> AutosaveManager:
    """Autosave ``files``' document every minute while it has unsaved changes (closed with it)."""
    manager = AutosaveManager(files.document, folder, parent=files)
    files.autosave = manager
    manager.write_failed.connect(lambda text: show_autosave_failure(files, text))
    return manager


def show_autosave_failure(files: DocumentController, text: str) -> None:
    """Tell the user an autosave failed: in the status bar until the next message, and once a session
    in a dialog (a full disk or a lost folder means the crash protection is off)."""
    window = files.parent_widget
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(f"{text} — your unsaved changes are not protected; save the plan")
    if not files.autosave_failure_shown and window.isVisible():
        files.autosave_failure_shown = True
        show_warning(window, "Autosave failed", f"{text}\n\nSave the plan to keep your changes.")
