"""Rebuild the README's screenshots of the main window: ``python -m designer.ui.screenshots [folder [name.png ...]]``
(names: only those pictures).

Opens the bundled examples offscreen with the default dock layout for each size (saved settings are
ignored), waits for the single failures to be filled in and grabs the window:

- ``dashboard-20.png`` and ``dashboard-80.png``: the AI hall at 20 % and 80 % inference, 1920 x 1080;
- ``dashboard-1366.png``: the AI hall at 20 % on a 1366 x 768 laptop screen;
- ``what-if.png``: the retrofit's what-if for its shared transformer, 1366 x 768;
- ``compare-options.png``: File ▸ Compare Options… on the two retrofit options;
- ``layout-diff.png``: File ▸ Compare Layout with… of the prefabricated-module option against the
  retrofit, on the legacy hall the AI row leaves, 1920 x 1080;
- ``site-plan.png``: the modular campus's site plan, 1920 x 1080;
- ``single-line.png``: the AI hall's single-line diagram, its upper stages, 1920 x 1080;
- ``phased-ghosts.png``: the phased campus's first module in 2025, its inference pods (in service a
  year later) as ghosts, 1366 x 768;
- ``runway.png``: Analysis ▸ Runway on the campus with a growth rule of 24 racks a year in each hall.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

SHARES = (0.2, 0.8)
SIZE = (1920, 1080)
SMALL_SIZE = (1366, 768)
WHAT_IF = ("retrofit.dcplan", "hall-plant", "xfmr-1")
"""Example, hall and component of the what-if shot: the transformer both UPSs hang from."""
PREFAB = "retrofit_prefab_option.dcplan"
PHASED = ("modular_campus.dcplan", "hall-m1", 2025)
"""Example, hall and year of the ghosts shot."""
PHASED_VIEW_MM = (0.0, 0.0, 36_000.0, 19_000.0)
"""The part of the hall it shows (x, y, width, height): two training and two inference pods."""
RUNWAY_GROWTH = 24
RUNWAY_SIZE = (980, 420)
COMPARE_SIZE = (980, 700)


def grab_dashboards(folder: Path, only: tuple[str, ...] = ()) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    # a throwaway settings folder: the pictures show the default layout, not this machine's
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = QApplication.instance() or QApplication([])
    from designer.io.catalog_io import load_catalog
    from designer.io.project_file import load_project
    from designer.io.resources import examples_dir
    from designer.ui.main_window import APPLICATION, ORGANISATION, MainWindow

    catalog = load_catalog(include_user=False)
    folder.mkdir(parents=True, exist_ok=True)
    written = []

    def shot(example: str, size: tuple[int, int], name: str, share: float | None = None,
             what_if: tuple[str, str] | None = None, then: str = "", phased: tuple[str, int] | None = None) -> None:
        if only and name not in only:
            return
        QSettings(ORGANISATION, APPLICATION).clear()  # each shot starts from the default layout of its size
        window = MainWindow(catalog, {}, load_project(examples_dir() / example, catalog), examples_dir() / example)
        window.resize(*size)
        window.show()
        app.processEvents()
        if share is not None:
            slider = window.dashboard.controls.share_slider
            slider.setValue(round(share * slider.maximum()))
        window.electrical_timer.setInterval(0)
        window.coordinator.flush()
        window.coordinator.fill_failures()
        app.processEvents()
        _wait_for_electrical(app, window)
        if what_if is not None:
            window.document.set_current_hall(what_if[0])
            window.document.set_selection([what_if[1]])
            window.what_if_fails()
            app.processEvents()
            window.view.zoom_to_fit()
        grabbed = window
        if then == "compare":
            dialog = window.compare.open_options()  # the retrofit lists the prefab option: it comes in
            dialog.resize(*COMPARE_SIZE)
            app.processEvents()
            grabbed = dialog
        elif then == "site":
            window.views.setCurrentWidget(window.views.site)
            app.processEvents()
            window.views.site.view.zoom_to_fit()
        elif then == "sld":
            from PySide6.QtCore import QRectF

            sld = window.views.single_line
            window.views.setCurrentWidget(sld)
            app.processEvents()
            layout = sld.layout_
            if layout is not None:  # the sources down to the UPSs, at a size whose box labels read
                sld.view.zoom_to(QRectF(layout.width_mm * 0.3, 0, layout.width_mm * 0.4, layout.height_mm * 0.4))
        elif then == "diff":
            window.layout_diff.load(examples_dir() / "retrofit.dcplan")
            window.document.set_current_hall("hall-legacy")
            app.processEvents()
            window.view.zoom_to_fit()
        if phased is not None:
            window.document.set_current_hall(phased[0])
            window.dashboard.state.set_year(phased[1], window.document.project)
            window.coordinator.flush()
            app.processEvents()
            from PySide6.QtCore import QRectF, Qt

            window.view.fitInView(QRectF(*PHASED_VIEW_MM), Qt.AspectRatioMode.KeepAspectRatio)
        app.processEvents()
        path = folder / name
        if not grabbed.grab().save(str(path)):
            raise OSError(f"cannot write {path}")
        written.append(path)
        window.document.undo_stack.setClean()
        window.close()

    for share in SHARES:
        shot("ai_hall.dcplan", SIZE, f"dashboard-{round(share * 100)}.png", share)
    shot("ai_hall.dcplan", SMALL_SIZE, "dashboard-1366.png", SHARES[0])
    shot(WHAT_IF[0], SMALL_SIZE, "what-if.png", what_if=WHAT_IF[1:])
    shot("retrofit.dcplan", SMALL_SIZE, "compare-options.png", then="compare")
    shot(PREFAB, SIZE, "layout-diff.png", then="diff")
    shot("modular_campus.dcplan", SIZE, "site-plan.png", then="site")
    shot("ai_hall.dcplan", SIZE, "single-line.png", then="sld")
    shot(PHASED[0], SMALL_SIZE, "phased-ghosts.png", phased=PHASED[1:])
    if not only or "runway.png" in only:
        written.append(_runway_shot(folder, catalog, load_project(examples_dir() / PHASED[0], catalog)))
    return written


def _wait_for_electrical(app: object, window: object, timeout_s: float = 120.0) -> None:
    """Until the electrical checks of the shown results are in (the diagram's labels, the swings table)."""
    import time

    deadline = time.monotonic() + timeout_s
    while not window.views.single_line.labelled() and time.monotonic() < deadline:  # type: ignore[attr-defined]
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.02)


def _runway_shot(folder: Path, catalog: object, project: object) -> Path:
    from designer.model.catalog import merged_catalog
    from designer.ui.dashboard.runway_dialog import RunwayDialog

    dialog = RunwayDialog(project, merged_catalog(catalog, project.custom_catalog))  # type: ignore[arg-type,attr-defined]
    dialog.growth_spin.setValue(RUNWAY_GROWTH)
    dialog.resize(*RUNWAY_SIZE)
    dialog.show()
    path = folder / "runway.png"
    if not dialog.grab().save(str(path)):
        raise OSError(f"cannot write {path}")
    dialog.close()
    return path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else Path("docs/screenshots")
    for path in grab_dashboards(folder, tuple(args[1:])):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
