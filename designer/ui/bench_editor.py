"""Editor benchmark: open, repaint and drag figures on one hall of N racks (offscreen Qt)."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from designer.analysis.bench import median_ms
from designer.model import Catalog, Hall, PlacedItem, Project

RACKS_PER_ROW = 24
ROW_BLOCKS = 10
RACK_PITCH_MM = 600.0
ROW_PITCH_MM = 2_400.0  # 1,200 mm rack depth + 1,200 mm aisle
BLOCK_GAP_MM = 1_800.0


def single_hall_project(n_racks: int, catalog: Catalog) -> Project:
    """``n_racks`` racks in one hall, in rows of 24 across ten blocks (the editor draws one hall)."""
    kinds = [e.id for e in catalog.values() if e.is_rack and e.width_mm == 600 and e.depth_mm == 1200][:4]
    block_width = RACKS_PER_ROW * RACK_PITCH_MM + BLOCK_GAP_MM
    rows = -(-n_racks // (RACKS_PER_ROW * ROW_BLOCKS))
    width, depth = ROW_BLOCKS * block_width + 3_000, rows * ROW_PITCH_MM + 3_000
    project = Project()
    project.add_hall(Hall("hall-1", "Bench hall", ((0, 0), (width, 0), (width, depth), (0, depth))))
    items = []
    for index in range(n_racks):
        block, rest = divmod(index, RACKS_PER_ROW)
        row, block = divmod(block, ROW_BLOCKS)
        x = 1_500 + block * block_width + rest * RACK_PITCH_MM + 300
        y = 1_500 + row * ROW_PITCH_MM + 600
        items.append(
            PlacedItem(
                f"rack-{index + 1}", kinds[index % len(kinds)], "hall-1", x, y, 180.0 * (row % 2), f"R{index + 1}"
            )
        )
    project.add_items(items)
    return project


def editor_bench(n_racks: int, catalog: Catalog, repeats: int = 5) -> dict[str, float]:
    """``open_ms``, ``repaint_fit_ms``, ``repaint_1to1_ms`` and ``drag_step_500_ms`` for one hall."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QApplication

    from designer.io.pods_io import load_pod_templates
    from designer.io.project_file import load_project, save_project
    from designer.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    templates = load_pod_templates(catalog, include_user=False)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.dcplan"
        save_project(single_hall_project(n_racks, catalog), path, keep_backup=False)
        start = time.perf_counter()
        window = MainWindow(catalog, templates, load_project(path, catalog), path)
        window.resize(1600, 1000)
        window.show()
        app.processEvents()
        window.view.zoom_to_fit()
        window.view.viewport().grab()
        open_ms = (time.perf_counter() - start) * 1000.0

    viewport = window.view.viewport()
    repaint_fit_ms = median_ms(viewport.grab, repeats)
    window.view.resetTransform()
    window.view._after_zoom()  # as every zoom does: labels appear (level of detail)
    window.view.centerOn(window.scene.items_by_id["rack-1"])
    window.view.viewport().grab()  # the first frame after zooming in creates the labels
    repaint_1to1_ms = median_ms(viewport.grab, repeats)
    window.view.zoom_to_fit()

    window.view.resetTransform()  # a drag happens at working zoom: 0.1 px/mm shows 16 x 10 m of floor
    window.view.scale(0.1, 0.1)
    window.view._after_zoom()
    window.view.centerOn(window.scene.items_by_id["rack-1"])
    app.processEvents()
    selected = [window.scene.items_by_id[f"rack-{i + 1}"] for i in range(min(500, n_racks))]
    step = [0]

    def drag_step() -> None:
        step[0] += 1
        offset = QPointF(10.0 if step[0] % 2 else -10.0, 0.0)
        for graphic in selected:
            graphic.setPos(graphic.pos() + offset)
        app.processEvents()  # the scene repaints the dirty region, as in a real drag step

    drag_ms = median_ms(drag_step, repeats)
    picture = _picture_figures(window, app, repeats)
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()
    app.processEvents()
    return {
        "open_ms": open_ms,
        "repaint_fit_ms": repaint_fit_ms,
        "repaint_1to1_ms": repaint_1to1_ms,
        "drag_step_500_ms": drag_ms,
        **picture,
    }


def _picture_figures(window: object, app: object, repeats: int) -> dict[str, float]:
    """The costs of the floor picture at fit (see ``designer.ui.canvas.floor_picture``).

    * ``zoom_step_fit_ms``: the frame after one wheel step out at fit (the tiles drawn scaled);
    * ``settle_fit_ms``: the frame once the zoom settles (every tile drawn again at the new scale);
    * ``recolour_fit_ms``: every item takes a new colour (an overlay) and the floor is repainted.
    """
    from designer.ui.canvas.overlay import apply_overlay

    view = window.view  # type: ignore[attr-defined]
    scene = window.scene  # type: ignore[attr-defined]
    viewport = view.viewport()
    view.zoom_to_fit()
    viewport.grab()
    zooms, settles, recolours = [], [], []
    for index in range(max(3, repeats)):
        factor = 1 / 1.25 if index % 2 == 0 else 1.25
        started = time.perf_counter()
        view.zoom_by(factor)
        viewport.grab()
        zooms.append((time.perf_counter() - started) * 1000.0)
        scene.picture._on_settle_timeout()  # what the settle timer does SETTLE_MS later
        started = time.perf_counter()
        viewport.grab()
        settles.append((time.perf_counter() - started) * 1000.0)
    ids = list(scene.items_by_id)
    for index in range(max(3, repeats)):
        started = time.perf_counter()
        apply_overlay(scene, dict.fromkeys(ids, "#2a6aa8" if index % 2 == 0 else "#9ccbe6"))
        viewport.grab()
        recolours.append((time.perf_counter() - started) * 1000.0)
    apply_overlay(scene, dict.fromkeys(ids, None))
    app.processEvents()  # type: ignore[attr-defined]
    return {"zoom_step_fit_ms": statistics.median(zooms), "settle_fit_ms": statistics.median(settles),
            "recolour_fit_ms": statistics.median(recolours)}


def top_level_windows() -> list[object]:
    """The application's top-level widgets now (none without an application): what ``settle_gui`` keeps."""
    from PySide6.QtWidgets import QApplication

    return list(QApplication.topLevelWidgets()) if QApplication.instance() is not None else []


def settle_gui(keep: list[object]) -> None:
    """Delete the windows a figure left behind (the top-level widgets not in ``keep``, taken before
    it ran: a caller's own windows are not the bench's to delete) and collect their Python side, so
    that the next figure's memory (and the bench's ``peak_rss_mb``) is not stacked on theirs.

    ``deleteLater`` alone waits for an event loop that the bench never runs (``processEvents`` does
    not deliver deferred deletes): a 50,000-rack editor window kept 350 MB to the end. The windows
    are hidden and deleted without a close, so nothing asks to save. The window froze its design out
    of the cyclic collector when it opened (``designer.ui.heap``), as the bench froze its campus: the
    heap is unfrozen for one full collection, then what is left is frozen again.
    """
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool
    from PySide6.QtWidgets import QApplication

    from designer.ui.heap import release_free_memory

    app = QApplication.instance()
    if app is None:
        return
    kept = {id(widget) for widget in keep}
    for widget in QApplication.topLevelWidgets():
        if id(widget) in kept:
            continue
        widget.hide()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    # a pass the windows started on the thread pool (the idle analysis, the electrical checks) runs on
    # after they are gone, holding its snapshot and working memory: under the next figure, it was
    # that figure's memory (and time) until it ended
    QThreadPool.globalInstance().waitForDone()
    app.processEvents()
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    release_free_memory()  # the windows' freed pages back to the system: the next figure starts clean
