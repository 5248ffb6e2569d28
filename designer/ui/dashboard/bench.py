"""dashboard_bench: time from a share-slider move to repainted charts and canvas overlay (offscreen)."""

from __future__ import annotations

import os
import statistics
import time

N_MOVES = 9


def dashboard_bench(n_racks: int, moves: int = N_MOVES) -> dict[str, float]:
    """Median ms from a slider move to charts and overlay painted, and of the cheap analysis alone.

    Builds ``designer.analysis.synthetic.build_campus(n_racks)``, opens it in a main window offscreen,
    moves the share slider ``moves`` times, forces the coalescing timer and paints the whole window
    (charts, headline figures and the canvas with its overlay) once after each move.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from designer.analysis import Analyzer
    from designer.analysis.findings import merged_catalog
    from designer.analysis.synthetic import build_campus
    from designer.io.catalog_io import load_catalog
    from designer.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    catalog = load_catalog(include_user=False)
    started = time.perf_counter()
    project = build_campus(n_racks, catalog)
    window = MainWindow(catalog, {}, project)
    window.resize(1600, 1000)
    window.show()
    dashboard = window.dashboard
    dashboard.coordinator.flush()
    app.processEvents()
    setup_ms = (time.perf_counter() - started) * 1000.0
    slider = dashboard.controls.share_slider
    end_to_end: list[float] = []
    shares = [0.2 + 0.6 * i / max(moves - 1, 1) for i in range(moves)]
    try:
        for share in shares:
            t0 = time.perf_counter()
            slider.setValue(round(share * slider.maximum()))
            dashboard.coordinator.flush()
            app.processEvents()
            window.repaint()  # one synchronous paint of the whole window: charts, figures and canvas
            end_to_end.append((time.perf_counter() - t0) * 1000.0)
        analyzer = Analyzer()
        merged = merged_catalog(catalog, project.custom_catalog)
        analyzer.analyze(project, merged, inference_share=shares[0], failures=False)
        analysis: list[float] = []
        for share in shares:
            t0 = time.perf_counter()
            analyzer.analyze(project, merged, inference_share=share, failures=False)
            analysis.append((time.perf_counter() - t0) * 1000.0)
        analyzer.close()
        results = dashboard.coordinator.results
        racks = len(results.rack_ids) if results is not None else 0
    finally:
        window.document.undo_stack.setClean()
        window.close()
        window.deleteLater()
        app.processEvents()
    return {
        "racks": float(racks),
        "slider_to_charts_ms": statistics.median(end_to_end),
        "analysis_ms": statistics.median(analysis),
        "window_setup_ms": setup_ms,
    }
