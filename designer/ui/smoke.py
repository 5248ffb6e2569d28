"""Self-test of an installed build: ``DC_DESIGNER_SMOKE_SHOT=shot.png dc-designer [FILE]``.

Not for users (packaging/smoke_test.sh sets it). The window opens as usual; after the first
analysis result has been drawn the window is grabbed to ``shot.png`` and the whole screen to
``shot-screen.png`` (under X that is what the X server shows, so it proves the window was really
mapped), then the window closes and the app exits 0. An analysis failure, a failed grab or no
analysis within ``SMOKE_TIMEOUT_S`` logs an error and exits 3. The outcome is logged either way.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

SMOKE_ENV = "DC_DESIGNER_SMOKE_SHOT"
SMOKE_TIMEOUT_S = 120.0
"""The first analysis of the bundled examples takes a few seconds; this only stops a hung app."""
SETTLE_MS = 500
"""After the first results, time for the charts and overlays to repaint before the grab."""
EXIT_OK, EXIT_FAILED = 0, 3

log = logging.getLogger("designer.smoke")


def screen_shot_path(window_shot: Path) -> Path:
    """``shot.png`` -> ``shot-screen.png`` (beside it)."""
    return window_shot.with_name(f"{window_shot.stem}-screen{window_shot.suffix or '.png'}")


class SmokeRun(QObject):
    """Waits for the window's first analysis, grabs it and ends the app through ``exit``."""

    def __init__(
        self,
        window: QMainWindow,
        shot: Path,
        exit: Callable[[int], None] = QApplication.exit,
        timeout_s: float = SMOKE_TIMEOUT_S,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.shot = shot
        self._exit = exit
        self.status: int | None = None
        self._started = time.perf_counter()
        coordinator = window.coordinator  # type: ignore[attr-defined]
        coordinator.results_ready.connect(self._on_results)
        coordinator.analysis_failed.connect(self._on_failed)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.timeout.connect(self._grab_and_close)
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.timeout.connect(self._on_timeout)
        self._watchdog.start(round(timeout_s * 1000))
        log.info("smoke: waiting for the first analysis (at most %.0f s)", timeout_s)

    def _on_results(self, *_args: object) -> None:
        if self.status is None and not self._settle.isActive():
            self._settle.start(SETTLE_MS)

    def _on_failed(self, message: str) -> None:
        self._finish(EXIT_FAILED, f"smoke: the first analysis failed: {message}")

    def _on_timeout(self) -> None:
        self._finish(EXIT_FAILED, f"smoke: no analysis result within {self._watchdog.interval() / 1000:.0f} s")

    def _grab_and_close(self) -> None:
        if self.status is not None:
            return
        elapsed_s = time.perf_counter() - self._started
        window_picture = self.window.grab()
        if window_picture.isNull() or not window_picture.save(str(self.shot)):
            self._finish(EXIT_FAILED, f"smoke: cannot write the window picture to {self.shot}")
            return
        screen = self.window.screen()
        screen_shot = screen_shot_path(self.shot)
        screen_picture = screen.grabWindow(0) if screen is not None else None
        if screen_picture is None or screen_picture.isNull() or not screen_picture.save(str(screen_shot)):
            self._finish(EXIT_FAILED, f"smoke: cannot write the screen picture to {screen_shot}")
            return
        log.info(
            "smoke: first analysis shown after %.1f s in the window titled %r; %d x %d px grabbed to %s, screen to %s",
            elapsed_s, self.window.windowTitle(), window_picture.width(), window_picture.height(), self.shot,
            screen_shot,
        )
        if not self.window.close():  # unsaved changes would ask; a freshly opened plan has none
            self._finish(EXIT_FAILED, "smoke: the window refused to close (the design was modified?)")
            return
        self._finish(EXIT_OK, "smoke: window closed")

    def _finish(self, status: int, message: str) -> None:
        if self.status is not None:
            return
        self.status = status
        self._watchdog.stop()
        self._settle.stop()
        (log.info if status == EXIT_OK else log.error)(message)
        self._exit(status)
