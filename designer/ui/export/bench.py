"""How live the window stays during an export: the longest gap between heartbeats of a QTimer.

A 5 ms timer on the window's thread records when it fires while File ▸ Export runs; the longest gap
between two beats, less the interval, is how long the event loop was blocked at worst (no repaint,
no click handled). ``export_stall_bench`` prints it for a synthetic campus (``dc-designer bench``).
"""

from __future__ import annotations

import itertools
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QTimer

HEARTBEAT_MS = 5
STALL_EXPORTS = ("png", "dxf", "xlsx")
"""The exports the bench times: a plan sheet with utilisation colours (analysis and painting), the DXF
drawing and the workbook (bill of materials and the analysed schedule). The stakeholder report runs
the same steps plus the sweep and a page per 60 components: minutes at 50k, too long for the bench."""


@dataclass(frozen=True, slots=True)
class StallFigures:
    longest_stall_ms: float
    """Longest time the event loop did not run, over the heartbeat interval."""
    export_ms: float
    beats: int
    written: bool


def measure_export_stall(controller: object, key: str, path: Path, plan_options: object = None) -> StallFigures:
    """Run export ``key`` through ``controller`` (an ``ExportController``) and time the event loop meanwhile."""
    beats: list[float] = []
    timer = QTimer()
    timer.setInterval(HEARTBEAT_MS)
    timer.timeout.connect(lambda: beats.append(time.perf_counter()))
    started = time.perf_counter()
    beats.append(started)
    timer.start()
    try:
        written = controller.run(key, path, plan_options)  # type: ignore[attr-defined]
    finally:
        timer.stop()
    ended = time.perf_counter()
    beats.append(ended)
    gaps = [(b - a) * 1000.0 for a, b in itertools.pairwise(beats)]
    return StallFigures(max(max(gaps) - HEARTBEAT_MS, 0.0), (ended - started) * 1000.0, len(beats) - 2, bool(written))


def settle(window: object, timeout_s: float = 120.0) -> None:
    """Let ``window`` (a ``MainWindow``) finish its own background work (the electrical checks after the
    idle analysis) before an export is timed: that work is not the export's, and a second worker running
    Python beside the export's makes the window wait longer for the GIL."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtCore import QTimer as _Timer

    from designer.ui.background import JOBS_RUNNING

    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline and (
            JOBS_RUNNING.count > 0 or window.electrical_timer.isActive()  # type: ignore[attr-defined]
            or window.coordinator.idle_timer.isActive()):  # type: ignore[attr-defined]
        loop = QEventLoop()
        _Timer.singleShot(10, loop.quit)
        loop.exec()


def export_stall_bench(n_racks: int) -> dict[str, float]:
    """``export_stall_ms``: the longest event-loop stall over the exports in ``STALL_EXPORTS`` of a
    synthetic campus of ``n_racks`` racks, and ``export_<key>_ms`` and ``export_<key>_stall_ms`` for each
    (offscreen window)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from designer.analysis.synthetic import build_campus
    from designer.io.catalog_io import load_catalog
    from designer.ui.export.plan import PlanOptions
    from designer.ui.export.plan_painter import UTILISATION
    from designer.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    catalog = load_catalog(include_user=False)
    window = MainWindow(catalog, {}, build_campus(n_racks, catalog))
    window.resize(1600, 1000)
    window.show()
    window.coordinator.flush()
    window.coordinator.fill_failures()  # what the idle timer would do: not part of any export
    window.grab()  # the window painted once, as the user sees it before asking for an export
    settle(window)  # the electrical checks that follow the idle analysis, on a worker
    app.processEvents()
    figures: dict[str, float] = {}
    stall = 0.0
    try:
        with tempfile.TemporaryDirectory() as folder:
            for key in STALL_EXPORTS:
                options = PlanOptions(overlays=frozenset({UTILISATION})) if key == "png" else None
                measured = measure_export_stall(window.export_controller, key, Path(folder) / f"campus.{key}",
                                                options)
                figures[f"export_{key}_ms"] = measured.export_ms
                figures[f"export_{key}_stall_ms"] = measured.longest_stall_ms
                stall = max(stall, measured.longest_stall_ms)
    finally:
        window.document.undo_stack.setClean()
        window.close()
        window.deleteLater()
        app.processEvents()
    return {"export_stall_ms": stall, **figures}
