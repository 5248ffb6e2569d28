"""Uncaught exceptions become a logged traceback and a dialog; the app and the open design carry on."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QObject, Qt, QtMsgType, Signal, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

log = logging.getLogger("designer.crash")
qt_log = logging.getLogger("designer.qt")

SUMMARY = (
    "Something went wrong inside DC Designer. The last action may not have completed, "
    "but your design is still open: check it, then save your work."
)
MAX_DIALOGS_PER_SESSION = 20
"""After this many, errors are only logged (a handler failing on every repaint must not bury the user)."""

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def format_details(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """The text behind "Copy details": version, platform and the traceback."""
    from PySide6 import __version__ as pyside_version

    from designer import __version__

    head = f"DC Designer {__version__}, Python {sys.version.split()[0]}, PySide6 {pyside_version}, {sys.platform}\n"
    return head + "".join(traceback.format_exception(exc_type, exc, tb))


def build_error_dialog(parent: QWidget | None, summary: str, details: str) -> QMessageBox:
    """A warning box with the summary, a "Copy details" button that copies the traceback, and OK."""
    box = QMessageBox(QMessageBox.Icon.Critical, "DC Designer: unexpected error", summary, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # an exception's text may quote a file: never render it
    box.setInformativeText(details.strip().splitlines()[-1] if details.strip() else "")
    box.setDetailedText(details)
    copy_button = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Ok)
    box.setDefaultButton(QMessageBox.StandardButton.Ok)
    # An ActionRole button would close the box; keep it open after copying.
    copy_button.clicked.disconnect()
    copy_button.clicked.connect(lambda: _copy_to_clipboard(details))
    box.setObjectName("ErrorDialog")
    copy_button.setObjectName("CopyDetailsButton")
    return box


def _copy_to_clipboard(text: str) -> None:
    clipboard = QApplication.clipboard()
    if clipboard is not None:
        clipboard.setText(text)


def show_error_dialog(parent: QWidget | None, summary: str, details: str) -> None:
    """Show the error dialog modally (tests replace this function)."""
    build_error_dialog(parent, summary, details).exec()


class _GuiBridge(QObject):
    """Carries errors from other threads to the GUI thread (a queued signal)."""

    error = Signal(str)


class CrashHandler:
    """Replaces ``sys.excepthook`` and ``threading.excepthook`` while installed."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.dialogs_shown = 0
        self._showing = False
        self._bridge = _GuiBridge()
        self._bridge.moveToThread(app.thread())
        self._bridge.error.connect(self._show)
        self._previous_hook: ExceptHook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        self._previous_qt_handler: object = None

    def install(self) -> None:
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook
        self._previous_qt_handler = qInstallMessageHandler(qt_message_handler)

    def uninstall(self) -> None:
        sys.excepthook = self._previous_hook
        threading.excepthook = self._previous_thread_hook
        qInstallMessageHandler(self._previous_qt_handler)  # type: ignore[arg-type]

    def excepthook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):  # Ctrl+C in a terminal: quit as usual
            sys.__excepthook__(exc_type, exc, tb)
            self.app.quit()
            return
        self._report(exc_type, exc, tb)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        self._report(args.exc_type, args.exc_value, args.exc_traceback, thread=args.thread)

    def _report(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
        thread: threading.Thread | None = None,
    ) -> None:
        try:
            details = format_details(exc_type, exc, tb)
            where = f" in thread {thread.name}" if thread is not None else ""
            log.error("uncaught exception%s\n%s", where, details)
            if threading.current_thread() is threading.main_thread():
                self._show(details)
            else:
                self._bridge.error.emit(details)
        except Exception:  # the handler itself must never raise: fall back to stderr
            sys.__excepthook__(exc_type, exc, tb)

    def _show(self, details: str) -> None:
        if self._showing or self.dialogs_shown >= MAX_DIALOGS_PER_SESSION:
            return  # logged already; one dialog at a time
        self._showing = True
        self.dialogs_shown += 1
        try:
            show_error_dialog(self.app.activeWindow(), SUMMARY, details)
        except Exception:
            log.exception("cannot show the error dialog")
        finally:
            self._showing = False


def qt_message_handler(msg_type: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's own warnings go to our log instead of vanishing on stderr."""
    where = f" ({context.file}:{context.line})" if context.file else ""
    qt_log.log(_QT_LEVELS.get(msg_type, logging.WARNING), "%s%s", message, where)


_installed: CrashHandler | None = None


def install_crash_handler(app: QApplication) -> None:
    """Log uncaught exceptions (any thread) and show them in a dialog; log Qt's warnings."""
    global _installed
    if _installed is not None:
        return
    _installed = CrashHandler(app)
    _installed.install()


def uninstall_crash_handler() -> None:
    """Put back the hooks that were there before (tests)."""
    global _installed
    if _installed is not None:
        _installed.uninstall()
        _installed = None


def installed_handler() -> CrashHandler | None:
    return _installed
