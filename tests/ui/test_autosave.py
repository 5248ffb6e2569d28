"""Autosave: written while there are unsaved changes, removed on save or discard, offered back after a crash."""

import json
import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from designer.io.project_file import load_project, project_to_text
from designer.ui import autosave
from designer.ui.autosave import (
    AutosaveManager,
    RecoveryDialog,
    apply_recovery,
    install_autosave,
    offer_recovery,
    pending_recoveries,
)
from designer.ui.document import Document
from designer.ui.main_window import MainWindow


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "autosave"


@pytest.fixture
def document(qapp, project, catalog, pod_templates):  # type: ignore[no-untyped-def]
    doc = Document(project, catalog, pod_templates)
    yield doc
    doc.deleteLater()


@pytest.fixture
def manager(document, folder):  # type: ignore[no-untyped-def]
    made = AutosaveManager(document, folder)
    yield made
    made.close(discard=False)


@pytest.fixture
def window(qtbot, project, catalog, pod_templates, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    win = MainWindow(catalog, pod_templates, project)
    qtbot.addWidget(win)
    return win


def _edit(document: Document, count: int = 3, x_mm: float = 3000) -> None:
    from designer.model.records import PlacedItem
    from designer.ui.commands import AddItemsCommand

    project = document.project
    items = [PlacedItem(project.new_id("rack"), "rack.air", "hall-1", x_mm + 600 * i, 3000) for i in range(count)]
    document.push(AddItemsCommand(project, items))


def _autosave_files(folder: Path) -> list[str]:
    # the .lock of a live autosave (the claim that keeps other instances off it) is not an autosave file
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock")) if folder.exists() else []


def test_nothing_is_written_while_the_document_is_clean(manager, folder):  # type: ignore[no-untyped-def]
    assert not manager.save_now()
    manager.wait()
    assert _autosave_files(folder) == []


def test_an_edit_is_autosaved_with_its_sidecar(document, manager, folder, catalog):  # type: ignore[no-untyped-def]
    document.path = Path("/designs/hall.dcplan")
    _edit(document)
    assert manager.save_now()
    manager.wait()
    assert manager.data_path is not None and manager.sidecar_path is not None
    assert manager.data_path.read_text(encoding="utf-8") == project_to_text(document.project)
    assert load_project(manager.data_path, catalog).state() == document.project.state()
    sidecar = json.loads(manager.sidecar_path.read_text(encoding="utf-8"))
    assert sidecar["original_path"] == str(Path("/designs/hall.dcplan"))
    assert sidecar["item_count"] == 3 and sidecar["title"] == document.project.metadata.title
    assert datetime.fromisoformat(sidecar["saved_at"]).tzinfo is not None
    assert manager.sidecar_path.name == manager.name + ".autosave.json"
    assert manager.name.startswith("hall-")


def test_the_timer_autosaves_only_after_changes(document, folder, qtbot):  # type: ignore[no-untyped-def]
    manager = AutosaveManager(document, folder, interval_ms=20)
    try:
        qtbot.wait(60)
        manager.wait()
        assert _autosave_files(folder) == []
        _edit(document)
        qtbot.waitUntil(lambda: manager.data_path is not None)
        manager.wait()
        assert manager.data_path.is_file() and manager.sidecar_path.is_file()
        written = manager.data_path.stat().st_mtime_ns
        qtbot.wait(80)  # no new change: the file is left alone
        manager.wait()
        assert manager.data_path.stat().st_mtime_ns == written
    finally:
        manager.close(discard=False)


def test_a_later_autosave_replaces_the_earlier_one(document, manager, folder):  # type: ignore[no-untyped-def]
    _edit(document, 2)
    manager.save_now()
    _edit(document, 1, x_mm=9000)
    manager.save_now()
    manager.wait()
    assert len(_autosave_files(folder)) == 2
    (info,) = pending_recoveries(folder)
    assert info.item_count == 3


def test_saving_removes_the_autosave(document, manager, folder, tmp_path):  # type: ignore[no-untyped-def]
    _edit(document)
    manager.save_now()
    manager.wait()
    assert len(_autosave_files(folder)) == 2
    document.undo_stack.setClean()  # what a successful save does
    manager.wait()
    assert _autosave_files(folder) == [] and manager.name is None
    _edit(document, 1, x_mm=9000)  # editing after the save starts a fresh autosave
    manager.save_now()
    manager.wait()
    assert len(_autosave_files(folder)) == 2


def test_the_window_save_removes_the_autosave(window, folder, tmp_path):  # type: ignore[no-untyped-def]
    manager = install_autosave(window.files, folder)
    window.editor.place_row("rack.air", 4, 3000, 3000)
    manager.save_now()
    manager.wait()
    assert manager.data_path is not None and manager.data_path.is_file()
    window.document.path = tmp_path / "plan.dcplan"
    assert window.files.save()
    manager.wait()
    assert _autosave_files(folder) == []
    manager.close()


def test_discard_and_close_remove_the_autosave(document, manager, folder):  # type: ignore[no-untyped-def]
    _edit(document)
    manager.save_now()
    manager.discard()
    manager.wait()
    assert _autosave_files(folder) == []
    _edit(document, 1, x_mm=9000)
    manager.save_now()
    manager.close()  # the window closed after the user saved or discarded
    assert _autosave_files(folder) == []
    assert not manager.save_now()  # closed: no more writes


def test_undo_back_to_the_saved_state_removes_the_autosave(document, manager, folder):  # type: ignore[no-untyped-def]
    _edit(document)
    manager.save_now()
    document.undo_stack.undo()
    manager.wait()
    assert _autosave_files(folder) == []


def test_a_crash_leaves_a_recovery_that_restores_the_exact_state(document, folder, catalog):  # type: ignore[no-untyped-def]
    crashed = AutosaveManager(document, folder)
    document.path = Path("/designs/hall.dcplan")
    _edit(document, 5)
    crashed.save_now()
    crashed.wait()
    saved_state = document.project.state()
    _edit(document, 1, x_mm=12000)  # made after the last autosave: lost in the crash
    # the process dies here: no save, no discard. A new session over the same folder:
    (info,) = pending_recoveries(folder)
    assert not info.problem and info.item_count == 5 and info.original_path == Path("/designs/hall.dcplan")
    assert "hall.dcplan" in info.describe() and "5 items" in info.describe()
    recovery = autosave.load_recovery(info, catalog)
    assert recovery.project.state() == saved_state
    assert recovery.original_path == Path("/designs/hall.dcplan")
    crashed.close(discard=False)


def test_restoring_into_a_window_marks_it_unsaved_and_keeps_the_autosave(window, folder, catalog, monkeypatch):  # type: ignore[no-untyped-def]
    crashed = AutosaveManager(window.document, folder)
    window.document.path = Path("/designs/hall.dcplan")
    window.editor.place_row("rack.air", 4, 3000, 3000)
    crashed.save_now()
    crashed.wait()
    saved_state = window.document.project.state()
    crashed.close(discard=False)

    def restore_first(dialog: RecoveryDialog) -> int:
        assert dialog.list.count() == 1 and dialog.restore_button.isEnabled()
        dialog.restore_button.click()
        return 1

    monkeypatch.setattr(autosave, "run_recovery_dialog", restore_first)
    window.document.replace_project(window.document.project.__class__(), None)  # a fresh start
    recovery = offer_recovery(window, catalog, folder=folder)
    assert recovery is not None
    manager = install_autosave(window.files, folder)
    apply_recovery(window.files, recovery, manager)
    assert window.document.project.state() == saved_state
    assert window.document.path == Path("/designs/hall.dcplan")
    assert window.document.is_dirty() and window.isWindowModified()
    assert pending_recoveries(folder)  # still there until the user saves or discards
    manager.discard()
    manager.wait()
    assert pending_recoveries(folder) == []
    manager.close()


def test_the_dialog_discards_an_autosave(document, manager, folder, catalog, monkeypatch):  # type: ignore[no-untyped-def]
    _edit(document)
    manager.save_now()
    manager.wait()

    def discard(dialog: RecoveryDialog) -> int:
        dialog.discard_button.click()
        return 0

    monkeypatch.setattr(autosave, "run_recovery_dialog", discard)
    assert offer_recovery(None, catalog, folder=folder) is None
    assert pending_recoveries(folder) == [] and _autosave_files(folder) == []


def test_decide_later_keeps_the_autosave(document, manager, folder, catalog, monkeypatch):  # type: ignore[no-untyped-def]
    _edit(document)
    manager.save_now()
    manager.wait()
    monkeypatch.setattr(autosave, "run_recovery_dialog", lambda dialog: dialog.later_button.click() or 0)
    assert offer_recovery(None, catalog, folder=folder) is None
    assert len(pending_recoveries(folder)) == 1


def test_no_autosaves_means_no_dialog(folder, catalog, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(autosave, "run_recovery_dialog", lambda dialog: pytest.fail("no dialog expected"))
    assert offer_recovery(None, catalog, folder=folder) is None
    assert pending_recoveries(folder / "missing") == []


def test_corrupted_autosaves_are_reported_and_skipped(document, manager, folder, catalog, monkeypatch, caplog):  # type: ignore[no-untyped-def]
    _edit(document)
    manager.save_now()
    manager.wait()
    good = manager.name
    folder.joinpath("broken-json.autosave.json").write_text("{not json", encoding="utf-8")
    folder.joinpath("broken-json.dcplan").write_text("{}", encoding="utf-8")
    folder.joinpath("no-data.autosave.json").write_text(
        json.dumps({"format": "dc-designer-autosave", "title": "x", "item_count": 1}), encoding="utf-8"
    )
    folder.joinpath("no-sidecar.dcplan").write_text("{}", encoding="utf-8")
    folder.joinpath("odd-fields.autosave.json").write_text(
        json.dumps({"format": "dc-designer-autosave", "saved_at": "2020-05-01T10:00:00", "item_count": True}),
        encoding="utf-8",
    )
    folder.joinpath("odd-fields.dcplan").write_text("{}", encoding="utf-8")
    folder.joinpath("bad-time.autosave.json").write_text(
        json.dumps({"format": "dc-designer-autosave", "saved_at": "yesterday"}), encoding="utf-8"
    )
    folder.joinpath("bad-design.autosave.json").write_text(
        json.dumps({"format": "dc-designer-autosave", "saved_at": "2030-01-01T00:00:00+00:00", "title": "bad"}),
        encoding="utf-8",
    )
    truncated = b'{"format": "dc-designer-project", "schema_version": 1, "items": 3'
    folder.joinpath("bad-design.dcplan").write_bytes(truncated)
    infos = {info.name: info for info in pending_recoveries(folder)}
    assert set(infos) == {good, "broken-json", "no-data", "no-sidecar", "bad-design", "odd-fields", "bad-time"}
    assert all(infos[name].problem for name in ("broken-json", "no-data", "no-sidecar", "bad-time"))
    assert infos["odd-fields"].item_count == 0 and infos["odd-fields"].saved_at is not None
    assert not infos[good].problem and not infos["bad-design"].problem  # found out only when loading
    assert "damaged" in caplog.text

    attempts: list[str] = []

    def try_bad_then_good(dialog: RecoveryDialog) -> int:
        for index in range(dialog.list.count()):
            dialog.list.setCurrentRow(index)
            info = dialog.current_info()
            assert info is not None
            assert dialog.restore_button.isEnabled() == (not info.problem)
        if not attempts:  # first round: the newest is "bad-design" (dated 2030)
            dialog.list.setCurrentRow(0)
            attempts.append(dialog.current_info().name)
            dialog.restore_button.click()
        else:
            dialog.select(infos[good])
            attempts.append(dialog.current_info().name)
            dialog.restore_button.click()
        return 1

    monkeypatch.setattr(autosave, "run_recovery_dialog", try_bad_then_good)
    recovery = offer_recovery(None, catalog, folder=folder)
    assert attempts == ["bad-design", good]
    assert recovery is not None and recovery.project.state() == document.project.state()
    assert "cannot restore autosave" in caplog.text


def test_another_running_instance_keeps_its_autosaves(document, manager, folder, monkeypatch):  # type: ignore[no-untyped-def]
    _edit(document)
    manager.save_now()
    manager.wait()
    assert manager.sidecar_path is not None
    data = json.loads(manager.sidecar_path.read_text(encoding="utf-8"))
    assert data["pid"] == os.getpid()
    if os.name == "posix":
        data["pid"] = os.getppid()  # a live process that is not us
        manager.sidecar_path.write_text(json.dumps(data), encoding="utf-8")
        assert pending_recoveries(folder) == []


def test_a_write_failure_is_recorded_not_raised(document, tmp_path):  # type: ignore[no-untyped-def]
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the folder should be")
    manager = AutosaveManager(document, blocker / "autosave")
    try:
        _edit(document)
        assert manager.save_now()
        manager.wait()
        assert "failed" in manager.last_error
    finally:
        manager.close(discard=False)


def test_the_bytes_are_written_off_the_gui_thread(document, manager, monkeypatch):  # type: ignore[no-untyped-def]
    import threading

    threads: list[str] = []
    real_write = autosave.atomic_write_bytes

    def recording_write(path, data, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        real_write(path, data, **kwargs)

    monkeypatch.setattr(autosave, "atomic_write_bytes", recording_write)
    _edit(document)
    manager.save_now()
    manager.wait()
    assert len(threads) == 2 and all(name != threading.main_thread().name for name in threads)
    assert all(name.startswith("autosave") for name in threads)


def test_the_design_is_serialised_off_the_gui_thread_from_a_snapshot(document, manager, monkeypatch, catalog):  # type: ignore[no-untyped-def]
    import threading

    started, release = threading.Event(), threading.Event()
    threads: list[str] = []
    real_to_pieces = autosave.project_to_pieces

    def slow_to_pieces(project):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        started.set()
        release.wait(5)  # the GUI goes on editing while the worker serialises
        return real_to_pieces(project)

    monkeypatch.setattr(autosave, "project_to_pieces", slow_to_pieces)
    _edit(document)
    saved_state = document.project.state()
    assert manager.save_now()
    assert started.wait(5)
    document.project.set_metadata(replace(document.project.metadata, title="edited during the autosave"))
    release.set()
    manager.wait()
    assert threads and all(name.startswith("autosave") for name in threads)
    # the file holds the design as it was when the autosave was taken, not the later edit
    assert load_project(manager.data_path, catalog).state() == saved_state


def test_a_serialisation_error_on_the_worker_is_recorded_not_lost(document, manager, monkeypatch):  # type: ignore[no-untyped-def]
    def broken(project):  # type: ignore[no-untyped-def]
        raise ValueError("a value JSON cannot hold")

    monkeypatch.setattr(autosave, "project_to_pieces", broken)
    _edit(document)
    assert manager.save_now()
    manager.wait()
    assert "could not write the design out: a value JSON cannot hold" in manager.last_error


def test_a_burst_of_edits_is_autosaved_once_it_settles(document, folder, qtbot):  # type: ignore[no-untyped-def]
    # the minute timer is far away: only the settle timer can write within this test
    manager = AutosaveManager(document, folder, interval_ms=3_600_000, settle_ms=30)
    try:
        _edit(document, 1)
        _edit(document, 1, x_mm=6000)
        assert manager.data_path is None  # nothing is written while the edits keep coming
        qtbot.waitUntil(lambda: manager.data_path is not None)
        manager.wait()
        assert len(load_project(manager.data_path, document.catalog).items) == 2
    finally:
        manager.close(discard=False)


def test_after_a_restore_later_designs_start_clean(window, folder, catalog, monkeypatch, tmp_path, make_project):  # type: ignore[no-untyped-def]
    crashed = AutosaveManager(window.document, folder)
    window.editor.place_row("rack.air", 2, 3000, 3000)
    crashed.save_now()
    crashed.wait()
    crashed.close(discard=False)
    monkeypatch.setattr(autosave, "run_recovery_dialog", lambda dialog: dialog.restore_button.click() or 1)
    recovery = offer_recovery(window, catalog, folder=folder)
    assert recovery is not None
    manager = install_autosave(window.files, folder)
    apply_recovery(window.files, recovery, manager)
    assert window.document.is_dirty() and window.isWindowModified()
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append("asked") or QMessageBox.StandardButton.Discard
    )
    window.action_new.trigger()  # discards the restored design (asked once)
    assert asked == ["asked"]
    assert not window.document.is_dirty() and not window.isWindowModified()
    assert "*" not in window.windowTitle().replace("[*]", "")
    from designer.io.project_file import save_project

    untouched = tmp_path / "untouched.dcplan"
    save_project(make_project(), untouched)
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: pytest.fail(f"cannot open: {a[2]}"))
    assert window.files.open_example(untouched)
    assert not window.document.is_dirty() and not window.isWindowModified()
    assert asked == ["asked"]  # neither the new design nor the opened one asked to be saved
    manager.close()
