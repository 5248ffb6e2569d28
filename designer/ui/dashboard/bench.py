"""dashboard_bench: time from a share-slider move to repainted charts and canvas overlay (offscreen)."""

from __future__ import annotations

import os
import statistics
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from designer.model.project import Project

N_MOVES = 9
N_IDLE_MOVES = 3
IDLE_MOVE_AFTER_MS = 100
"""A move during the idle pass comes this long after the pass started (the idle timer fired)."""


def dashboard_bench(n_racks: int, moves: int = N_MOVES, project: Project | None = None, *,
                    analysis: bool = True) -> dict[str, float]:
    """Median ms from a slider move to charts and overlay painted, and of the cheap analysis alone.

    Builds ``designer.analysis.synthetic.build_campus(n_racks)`` (or takes ``project``, such a campus
    already built) and opens it in a main window offscreen. Each of ``moves`` slider moves is timed
    through the real event loop: the coordinator's timer fires, the analysis runs, the charts, figures
    and overlay update and the window paints what changed. The canvas is marked dirty on every move so
    that its paint (the whole view, as when the overlay recolours every rack) is always in the figure.
    ``unpainted_moves`` counts moves after which a chart or the canvas did not paint (a broken
    measurement; should be 0). The moves start once the window has settled after opening (its idle pass
    and electrical checks done), as after a user's first look at the design.

    ``slider_during_idle_ms`` (median; ``_worst_ms`` the longest) times ``N_IDLE_MOVES`` more moves, each
    made ``IDLE_MOVE_AFTER_MS`` into the idle pass (the single failures, the headroom, the maintenance
    pairs) that follows a pause of the hand, from the moment of the move to the painted charts: the
    pass must not hold the window meanwhile.

    ``analysis``: also ``analysis_ms``, the cheap analysis alone on an analyzer of its own (False: not made,
    as ``dc-designer bench`` reports it from its analysis figures: a second 50k-rack analyzer beside the
    window's, ~200 MB, was the bench's memory, not the window's).
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from designer.analysis import Analyzer
    from designer.analysis.synthetic import build_campus
    from designer.io.catalog_io import load_catalog
    from designer.model.catalog import merged_catalog
    from designer.ui.main_window import MainWindow

    class PaintCounter(QObject):
        def __init__(self, watched: list[QObject]) -> None:
            super().__init__()
            self.painted: set[int] = set()
            self.watched = watched
            for widget in watched:
                widget.installEventFilter(self)

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.painted.add(id(watched))
            return False

        def all_painted(self) -> bool:
            return all(id(widget) in self.painted for widget in self.watched)

    app = QApplication.instance() or QApplication([])
    catalog = load_catalog(include_user=False)
    started = time.perf_counter()
    if project is None:
        project = build_campus(n_racks, catalog)
    window = MainWindow(catalog, {}, project)
    window.resize(1920, 1080)  # wide enough for the four charts side by side: each one paints every move
    window.show()
    dashboard = window.dashboard
    coordinator = dashboard.coordinator
    coordinator.flush()
    app.processEvents()
    setup_ms = (time.perf_counter() - started) * 1000.0
    # the window painted once, as the user sees it before touching the slider: the charts' first paint
    # (fonts, axis pictures: ~60 ms) is part of opening the window, not of the first move
    window.grab()
    app.processEvents()
    # the idle pass that follows opening (single failures, headroom, then the electrical checks) done
    # first: a move made while it runs is the case ``slider_during_idle_ms`` times, and at 50k racks
    # that pass would otherwise run through most of the plain moves, some moves in it and some not
    _wait(app, lambda: _settled(window))
    # and what its last results left pending (the swings dock taking its width: the bottom row of charts
    # resized and their axes drawn again, ~70 ms at 10k) laid out and painted, as a window is by the time
    # the user moves the slider
    app.processEvents()
    window.grab()
    app.processEvents()
    slider = dashboard.controls.share_slider
    canvas = window.view.viewport()
    # the charts on screen: a saved layout may keep some behind a tab, and those do not paint
    shown = [chart for chart in dashboard.charts() if not chart.visibleRegion().isEmpty()]
    counter = PaintCounter([canvas, *(chart.viewport() for chart in shown)])
    end_to_end: list[float] = []
    unpainted = 0
    shares = [0.2 + 0.6 * i / max(moves - 1, 1) for i in range(moves)]
    try:
        for share in shares:
            counter.painted.clear()
            runs = coordinator.runs
            t0 = time.perf_counter()
            value = round(share * slider.maximum())
            slider.setValue(value if value != slider.value() else value + 1)  # a move must change the share
            deadline = t0 + 10.0
            while coordinator.runs == runs and time.perf_counter() < deadline:
                app.processEvents()  # the coordinator's timer fires and the analysis runs
            canvas.update()
            app.processEvents()  # the pending paints: charts, figures, canvas
            end_to_end.append((time.perf_counter() - t0) * 1000.0)
            unpainted += not counter.all_painted()
        during_idle = _moves_during_idle(app, window, slider, canvas, counter)
        unpainted += sum(not painted for _ms, painted in during_idle)
        analysis_ms: list[float] = []
        if analysis:
            analyzer = Analyzer()
            merged = merged_catalog(catalog, project.custom_catalog)
            analyzer.analyze(project, merged, inference_share=shares[0], failures=False)
            for share in shares:
                t0 = time.perf_counter()
                analyzer.analyze(project, merged, inference_share=share, failures=False)
                analysis_ms.append((time.perf_counter() - t0) * 1000.0)
            analyzer.close()
        results = coordinator.results
        racks = len(results.rack_ids) if results is not None else 0
    finally:
        window.document.undo_stack.setClean()
        window.close()
        window.deleteLater()
        app.processEvents()
    figures = {
        "racks": float(racks),
        "slider_to_charts_ms": statistics.median(end_to_end),
        "slider_to_charts_worst_ms": max(end_to_end),
        "slider_during_idle_ms": statistics.median(ms for ms, _painted in during_idle),
        "slider_during_idle_worst_ms": max(ms for ms, _painted in during_idle),
        "unpainted_moves": float(unpainted),
        "window_setup_ms": setup_ms,
    }
    if analysis_ms:
        figures["analysis_ms"] = statistics.median(analysis_ms)
    return figures


def _settled(window: Any) -> bool:
    """The idle pass and the electrical checks after it done (and none due)."""
    coordinator = window.coordinator
    results = coordinator.results
    return (results is not None and results.failures_analysed and not coordinator.timer.isActive()
            and not coordinator.idle_timer.isActive() and getattr(coordinator, "failures_job", None) is None
            and not window.electrical_timer.isActive() and not getattr(window, "_electrical_jobs", None))


def _wait(app: Any, until: Any, timeout_s: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not until() and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.002)


def _moves_during_idle(app: Any, window: Any, slider: Any, canvas: Any, counter: Any) -> list[tuple[float, bool]]:
    """(ms from the move to the painted charts, whether all painted) for moves made during the idle pass."""
    from PySide6.QtCore import QTimer

    coordinator = window.coordinator
    timed: list[tuple[float, bool]] = []
    for index in range(N_IDLE_MOVES):
        _wait(app, lambda: _settled(window))
        coordinator.run()  # a move, then the hand rests: the idle timer runs
        counter.painted.clear()
        runs: list[int] = []
        moved_at: list[float] = []

        def move(value: int = (index * 37) % slider.maximum(), runs: list[int] = runs,
                 moved_at: list[float] = moved_at) -> None:
            moved_at.append(time.perf_counter())
            runs.append(coordinator.runs)
            slider.setValue(value if value != slider.value() else value + 1)

        # the move is due IDLE_MOVE_AFTER_MS after the idle pass starts; while the pass holds the
        # window's thread, it happens (and its wait counts) only once the pass lets go
        due = time.perf_counter() + (coordinator.idle_timer.interval() + IDLE_MOVE_AFTER_MS) / 1000.0
        QTimer.singleShot(coordinator.idle_timer.interval() + IDLE_MOVE_AFTER_MS, move)
        _wait(app, lambda runs=runs: bool(runs) and coordinator.runs > runs[0])
        canvas.update()
        app.processEvents()  # the pending paints: charts, figures, canvas
        # from when the move was due, or made if the timer fired early (a coarse timer may: the move
        # then took less than its lead, and the figure came out below zero)
        timed.append(((time.perf_counter() - min(due, moved_at[0])) * 1000.0, counter.all_painted()))
    _wait(app, lambda: _settled(window))
    return timed
