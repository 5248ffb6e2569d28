"""BackgroundJob: a long job (an export) on a worker thread, with a progress dialog and a working Cancel.

The job is a plain function of a progress callback, ``work(progress) -> result``, that touches only
what it was given (an immutable snapshot of the project, the merged catalog, a path): it imports no
widget and shares nothing with the window. The callback forwards progress to the window by a queued
signal and answers False once the user pressed Cancel; the job then raises its own "cancelled" error
before it writes anything. Meanwhile the window's event loop runs: it repaints, its timers fire, and
the dialog's Cancel button works.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")
Progress = Callable[[int, int, str], bool]
"""``progress(done, total, what)``; False asks the job to stop."""
SHOW_AFTER_MS = 300
"""A job done sooner than this shows no dialog at all."""
SWITCH_INTERVAL_S = 0.0005
"""Python's GIL switch interval while any job runs (the default is 5 ms). Each Qt call of the window's
thread (a repaint makes hundreds) lets go of the GIL; with a worker running Python, taking it back
could wait a whole interval each time, so a 10 ms repaint took 100 ms. A shorter interval bounds that
wait; the worker loses a little speed to the extra switches, only while a job runs."""


class _JobsRunning:
    """How many jobs run now; the first to start shortens the switch interval and pauses the cyclic
    collector, the last to end restores both (from whichever thread: the calls are process-wide)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0
        self._interval = sys.getswitchinterval()
        self._gc_was_enabled = True

    def enter(self) -> None:
        with self._lock:
            if self.count == 0:
                self._interval = sys.getswitchinterval()
                sys.setswitchinterval(min(self._interval, SWITCH_INTERVAL_S))
                # No cyclic collection while a job builds its hundreds of thousands of objects (an XLSX
                # of 50,000 racks, the failure cases of the analysis): a full collection holds the GIL
                # for up to seconds, and the window with it. The job's objects go by reference
                # counting; cycles wait for the collection after the last job.
                self._gc_was_enabled = gc.isenabled()
                gc.disable()
            self.count += 1

    def leave(self) -> None:
        with self._lock:
            self.count -= 1
            if self.count == 0:
                sys.setswitchinterval(self._interval)
                if self._gc_was_enabled:
                    gc.enable()


JOBS_RUNNING = _JobsRunning()
_dialog_jobs = [0]
"""Jobs the user is waiting for behind a progress dialog (an export) now."""


def user_waiting() -> bool:
    """Whether the user waits for a job behind a progress dialog (an export). Jobs of the window's own
    (the idle analysis, the electrical checks) wait meanwhile: every worker running Python makes the
    window's thread wait longer for the GIL, and two of them made a 10k-rack export stall the window
    for 400 ms. (A slider moved or items dragged run the analysis, which puts both off by itself.)"""
    return _dialog_jobs[0] > 0


class _Signals(QObject):
    progressed = Signal(int, int, str)
    finished = Signal()


class _Runnable(QRunnable):
    def __init__(self, body: Callable[[], None]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._body = body

    def run(self) -> None:
        self._body()


class BackgroundJob(Generic[T]):
    """One run of ``work`` on the thread pool; :meth:`run_with_dialog` waits for it with the window live."""

    def __init__(self, work: Callable[[Progress], T]) -> None:
        self._work = work
        self._cancel = threading.Event()
        self.signals = _Signals()
        self.result: T | None = None
        self.error: BaseException | None = None
        self.done = False

    # ----------------------------------------------------------------- worker side
    def _run(self) -> None:
        try:
            self.result = self._work(self._progress)
        except BaseException as error:  # handed to the window's thread, raised there
            self.error = error
        finally:
            JOBS_RUNNING.leave()
            with contextlib.suppress(RuntimeError):  # the signals' object went with the app: no one to tell
                self.signals.finished.emit()

    def _progress(self, done: int, total: int, what: str) -> bool:
        self.signals.progressed.emit(done, total, what)
        return not self._cancel.is_set()

    # ----------------------------------------------------------------- window side
    def start(self) -> None:
        JOBS_RUNNING.enter()
        try:
            QThreadPool.globalInstance().start(_Runnable(self._run))
        except BaseException:
            JOBS_RUNNING.leave()
            raise

    def cancel(self) -> None:
        """Ask the job to stop at its next progress report."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run_with_dialog(self, parent: QWidget | None, title: str) -> T:
        """Start the job and wait for it in a local event loop behind a window-modal progress dialog.

        Returns the job's result or raises its error (its own "cancelled" error after Cancel).
        """
        dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
        dialog.setObjectName("BackgroundJobProgress")
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(SHOW_AFTER_MS)
        dialog.setMinimumWidth(380)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self._on_dialog_canceled)
        dialog.setValue(0)
        self.dialog = dialog

        def on_progressed(done: int, total: int, what: str) -> None:
            if self._cancel.is_set():
                return
            dialog.setMaximum(max(total, 1))
            dialog.setValue(min(done, max(total, 1)))
            dialog.setLabelText(f"{title}: {what}…")

        loop = QEventLoop()
        _dialog_jobs[0] += 1
        self.signals.progressed.connect(on_progressed)
        self.signals.finished.connect(self._on_finished)
        self.signals.finished.connect(loop.quit)
        try:
            self.start()
            if not self.done:
                loop.exec()
        finally:
            _dialog_jobs[0] -= 1
            self.signals.progressed.disconnect(on_progressed)
            dialog.reset()
            dialog.hide()
            dialog.deleteLater()
        if self.error is not None:
            raise self.error
        return self.result  # type: ignore[return-value]

    def _on_finished(self) -> None:
        self.done = True

    def _on_dialog_canceled(self) -> None:
        self.cancel()
        dialog = getattr(self, "dialog", None)
        if dialog is not None and not self.done:
            dialog.setLabelText("Cancelling…")
            dialog.setCancelButtonText("")  # pressed: nothing more to press while the job stops
            dialog.show()


def run_in_background(parent: QWidget | None, title: str, work: Callable[[Progress], T]) -> T:
    """``work(progress)`` on a worker thread behind a progress dialog; its result, or its error raised."""
    return BackgroundJob(work).run_with_dialog(parent, title)

