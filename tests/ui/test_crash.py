"""Uncaught exceptions are logged and shown, the app and the document carry on; logging goes to a rotating file."""

import logging
import threading
from logging.handlers import RotatingFileHandler

import pytest
from PySide6.QtCore import QTimer, qWarning
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from designer.ui import crash
from designer.ui.logging_setup import configure_logging
from designer.ui.main_window import MainWindow


@pytest.fixture
def dialogs(monkeypatch, qapp):  # type: ignore[no-untyped-def]
    """Install the handler with a dialog that only records what it would show."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(crash, "show_error_dialog", lambda parent, summary, details: shown.append((summary, details)))
    crash.install_crash_handler(qapp)
    yield shown
    crash.uninstall_crash_handler()


@pytest.fixture
def log_records(caplog):  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    return caplog


def _raise_in_event_loop(qtbot, error: BaseException) -> None:  # type: ignore[no-untyped-def]
    fired = []

    def fail() -> None:
        fired.append(True)
        raise error

    QTimer.singleShot(0, fail)
    qtbot.waitUntil(lambda: bool(fired))
    qtbot.wait(10)


def test_an_exception_in_a_handler_is_logged_and_shown(qtbot, dialogs, log_records):  # type: ignore[no-untyped-def]
    _raise_in_event_loop(qtbot, RuntimeError("the inspector tripped"))
    assert len(dialogs) == 1
    summary, details = dialogs[0]
    assert "design is still open" in summary
    assert "RuntimeError: the inspector tripped" in details and "Traceback" in details
    assert any("the inspector tripped" in r.getMessage() for r in log_records.records if r.levelno == logging.ERROR)


def test_the_window_and_document_survive_a_failing_action(qtbot, dialogs, project, catalog, pod_templates, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    window = MainWindow(catalog, pod_templates, project)
    qtbot.addWidget(window)
    window.show()
    window.editor.place_row("rack.air", 3, 3000, 3000)
    before = window.document.project.state()
    broken = QAction("Broken", window)
    broken.triggered.connect(lambda: 1 / 0)
    broken.trigger()  # a direct call raises in the caller; let the event loop deliver one too
    QTimer.singleShot(0, broken.trigger)
    qtbot.wait(20)
    assert dialogs and "ZeroDivisionError" in dialogs[-1][1]
    assert window.isVisible() and window.document.project.state() == before
    window.editor.place_row("rack.air", 1, 9000, 9000)  # still editable
    assert len(window.document.project.items) == 4
    window.action_undo.trigger()
    assert window.document.project.state() == before


def test_a_worker_thread_exception_reaches_the_gui_thread(qtbot, dialogs, log_records):  # type: ignore[no-untyped-def]
    def work() -> None:
        raise ValueError("worker failed")

    thread = threading.Thread(target=work, name="analysis-worker")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(dialogs))
    assert "ValueError: worker failed" in dialogs[0][1]
    assert any("analysis-worker" in r.getMessage() for r in log_records.records)


def test_a_storm_of_errors_shows_a_bounded_number_of_dialogs(qtbot, dialogs):  # type: ignore[no-untyped-def]
    handler = crash.installed_handler()
    assert handler is not None
    for n in range(crash.MAX_DIALOGS_PER_SESSION + 5):
        try:
            raise KeyError(n)
        except KeyError as error:
            handler.excepthook(KeyError, error, error.__traceback__)
    assert len(dialogs) == crash.MAX_DIALOGS_PER_SESSION


def test_qt_warnings_are_logged(dialogs, log_records):  # type: ignore[no-untyped-def]
    qWarning("a Qt warning for the log")
    assert any(
        "a Qt warning for the log" in r.getMessage() and r.name == "designer.qt" and r.levelno == logging.WARNING
        for r in log_records.records
    )


def test_uninstall_restores_the_previous_hooks(qapp):  # type: ignore[no-untyped-def]
    import sys

    before, before_thread = sys.excepthook, threading.excepthook
    crash.install_crash_handler(qapp)
    assert sys.excepthook != before
    crash.uninstall_crash_handler()
    assert sys.excepthook == before and threading.excepthook == before_thread


def test_the_error_dialog_has_a_copy_button_that_copies_the_traceback(qtbot):  # type: ignore[no-untyped-def]
    details = "Traceback (most recent call last):\n  File 'x.py', line 1\nRuntimeError: boom\n"
    QApplication.clipboard().setText("")
    box = crash.build_error_dialog(None, crash.SUMMARY, details)
    qtbot.addWidget(box)
    copy_button = box.findChild(QPushButton, "CopyDetailsButton")
    assert copy_button is not None and copy_button.text() == "Copy details"
    assert box.detailedText() == details and "RuntimeError: boom" in box.informativeText()
    seen: dict[str, object] = {}

    def click_copy_then_ok() -> None:
        copy_button.click()
        seen["visible_after_copy"] = box.isVisible()
        seen["clipboard"] = QApplication.clipboard().text()
        box.button(QMessageBox.StandardButton.Ok).click()

    QTimer.singleShot(0, click_copy_then_ok)
    result = box.exec()
    assert seen == {"visible_after_copy": True, "clipboard": details}
    assert box.clickedButton() is box.button(QMessageBox.StandardButton.Ok)
    assert result is not None


def test_show_error_dialog_closes_with_ok(qtbot):  # type: ignore[no-untyped-def]
    def press_ok() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        box.button(QMessageBox.StandardButton.Ok).click()

    QTimer.singleShot(0, press_ok)
    crash.show_error_dialog(None, crash.SUMMARY, "RuntimeError: shown\n")  # returns once OK is pressed


def test_configure_logging_writes_a_rotating_file(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DC_DESIGNER_USER_DIR", str(tmp_path))
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = configure_logging()
        configure_logging()  # twice: still one file handler
        ours = [h for h in root.handlers if isinstance(h, RotatingFileHandler) and h not in before]
        assert len(ours) == 1 and ours[0].maxBytes == 1_000_000 and ours[0].backupCount == 5
        assert path == tmp_path / "logs" / "dc-designer.log"
        logging.getLogger("designer.test").warning("written to the file")
        ours[0].flush()
        assert "written to the file" in path.read_text(encoding="utf-8")
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
        logging.captureWarnings(False)


def test_configure_logging_survives_an_unwritable_folder(tmp_path, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DC_DESIGNER_USER_DIR", str(blocker))
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        configure_logging()
        assert "cannot write the log" in capsys.readouterr().err
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
        logging.captureWarnings(False)
