"""Issue 14 item 10: an orphaned autosave is claimed with an exclusive lock before it is restored,
so two instances never recover the same one (and one's save never deletes the other's data); a
failed autosave write is shown to the user."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from designer.ui import autosave
from designer.ui.autosave import (
    AutosaveManager,
    RecoveryDialog,
    apply_recovery,
    install_autosave,
    offer_recovery,
    pending_recoveries,
)
from designer.ui.autosave_claim import claim, is_claimed_elsewhere
from designer.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]

HOLDER = """
import sys
from pathlib import Path
from designer.ui.autosave_claim import claim
held = claim(Path(sys.argv[1]), sys.argv[2])
print("claimed" if held is not None else "refused", flush=True)
sys.stdin.readline()  # hold the claim until the test lets go
"""


@pytest.fixture
def window(qtbot, project, catalog, pod_templates, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    win = MainWindow(catalog, pod_templates, project)
    qtbot.addWidget(win)
    return win


def _orphan(window: MainWindow, folder: Path) -> str:
    """An autosave left by a session that ended without saving; returns its name."""
    crashed = AutosaveManager(window.document, folder)
    window.editor.place_row("rack.air", 3, 3000, 3000)
    crashed.save_now()
    crashed.wait()
    name = crashed.name
    assert name is not None
    crashed.close(discard=False)
    return name


class OtherInstance:
    """A second app process holding a claim (the lock dies with the process, as after a crash)."""

    def __init__(self, folder: Path, name: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(folder), name],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env={"PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        assert self.process.stdout is not None
        self.answer = self.process.stdout.readline().strip()

    def exit(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        self.process.wait(timeout=30)


def test_an_orphan_restored_by_another_instance_is_not_offered_or_restored_here(  # type: ignore[no-untyped-def]
    window, folder_path, catalog, monkeypatch
) -> None:
    name = _orphan(window, folder_path)
    assert [info.name for info in pending_recoveries(folder_path)] == [name]
    listed = pending_recoveries(folder_path)
    other = OtherInstance(folder_path, name)
    try:
        assert other.answer == "claimed"
        assert is_claimed_elsewhere(folder_path, name)
        assert pending_recoveries(folder_path) == []  # the other instance is restoring it

        marked: list[str] = []

        def restore(dialog: RecoveryDialog) -> int:
            info = dialog.current_info()
            if info is not None and info.problem:
                marked.append(info.problem)
                return 0
            dialog.restore_button.click()
            return 1

        monkeypatch.setattr(autosave, "run_recovery_dialog", restore)
        # this instance listed it before the other claimed it: restoring now must still be refused
        assert offer_recovery(window, catalog, infos=listed) is None
        assert marked == ["another DC Designer window is restoring it"]
        assert (folder_path / f"{name}.dcplan").is_file()  # nothing was deleted under the other instance
    finally:
        other.exit()
    # the other instance ended without saving: the orphan is offered again, and claimed here
    assert len(pending_recoveries(folder_path)) == 1
    monkeypatch.setattr(autosave, "run_recovery_dialog", lambda dialog: dialog.restore_button.click() or 1)
    recovery = offer_recovery(window, catalog, folder=folder_path)
    assert recovery is not None and recovery.claim is not None and recovery.claim.held
    third = OtherInstance(folder_path, name)
    try:
        assert third.answer == "refused"  # while this instance holds it, nobody else can take it
    finally:
        third.exit()
    manager = install_autosave(window.files, folder_path)
    apply_recovery(window.files, recovery, manager)
    manager.discard()
    manager.wait()
    assert not recovery.claim.held and pending_recoveries(folder_path) == []
    manager.close()


def test_a_claim_of_a_dead_process_is_free(folder_path: Path) -> None:
    other = OtherInstance(folder_path, "gone-1234")
    assert other.answer == "claimed"
    other.exit()  # the process ends: the operating system drops its lock
    held = claim(folder_path, "gone-1234")
    assert held is not None
    held.release()
    assert not (folder_path / "gone-1234.lock").exists()


def test_an_autosave_write_failure_is_shown_to_the_user(window, tmp_path, qtbot) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the folder should be")
    manager = install_autosave(window.files, blocker / "autosave")
    try:
        window.editor.place_row("rack.air", 2, 3000, 3000)
        with qtbot.waitSignal(manager.write_failed, timeout=10_000):
            manager.save_now()
        qtbot.waitUntil(lambda: "your unsaved changes are not protected" in window.statusBar().currentMessage())
        assert "autosave to" in window.statusBar().currentMessage()
    finally:
        manager.close(discard=False)


@pytest.fixture
def folder_path(tmp_path: Path) -> Path:
    folder = tmp_path / "autosave"
    folder.mkdir()
    return folder


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_in_the_autosave_folder_does_not_hang_the_start(folder_path: Path) -> None:
    import os

    os.mkfifo(folder_path / "trap.autosave.json")
    os.mkfifo(folder_path / "trap.dcplan")
    (info,) = pending_recoveries(folder_path)
    assert "is a named pipe" in info.problem
