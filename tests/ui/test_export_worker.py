"""Exports on a worker thread: the window's event loop keeps running, Cancel stops the export and
leaves no file, and an edit made meanwhile does not reach the file being written."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QProgressDialog

from designer.analysis.synthetic import build_campus
from designer.exports import ExportJob, run_export
from designer.io.catalog_io import load_catalog
from designer.model.catalog import merged_catalog
from designer.ui import background
from designer.ui.export.bench import measure_export_stall, settle
from designer.ui.export.plan import PlanOptions
from designer.ui.export.plan_painter import UTILISATION
from designer.ui.main_window import MainWindow

STALL_LIMIT_MS = 100.0
"""Issue 16: the longest event-loop stall during an export of the 10k campus stays under this. The
one timed assertion of the suite, asked for by the issue; the bench prints the figure at 50k."""


@pytest.fixture(scope="module")
def real_catalog():  # type: ignore[no-untyped-def]
    return load_catalog(include_user=False)


def _window(qtbot, project, catalog):  # type: ignore[no-untyped-def]
    window = MainWindow(catalog, {}, project)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    window.coordinator.flush()
    window.coordinator.fill_failures()  # the idle analysis, done before the export (it is not part of it)
    window.grab()  # the window as the user sees it before asking for the export: charts and floor painted
    settle(window)  # and the electrical checks that follow the idle analysis done (not part of the export)
    qtbot.wait(50)
    return window


def test_the_event_loop_runs_during_an_export_of_the_10k_campus(qtbot, real_catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, build_campus(10_000, real_catalog), real_catalog)
    controller = window.export_controller
    options = PlanOptions(overlays=frozenset({UTILISATION}))
    stalls = {
        "png": measure_export_stall(controller, "png", tmp_path / "campus.png", options),
        "dxf": measure_export_stall(controller, "dxf", tmp_path / "campus.dxf"),
        "xlsx": measure_export_stall(controller, "xlsx", tmp_path / "campus.xlsx"),
    }
    for key, figures in stalls.items():
        assert figures.written, f"{key}: {controller.last_error}"
        assert figures.beats > 10, key  # the heartbeat ran all along, so the gaps are measured
    worst = max(stalls, key=lambda key: stalls[key].longest_stall_ms)
    stall_ms = stalls[worst].longest_stall_ms
    assert stall_ms < STALL_LIMIT_MS, f"the window did not run its event loop for {stall_ms:.0f} ms during the " \
                                      f"{worst} export"
    window.document.undo_stack.setClean()


def test_cancel_during_an_export_stops_it_and_writes_nothing(qtbot, real_catalog, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, build_campus(1_000, real_catalog), real_catalog)
    seen: list[str] = []

    class CancelMidway(QProgressDialog):
        """Presses Cancel once the export reports its second step (it is under way)."""

        def setLabelText(self, text: str) -> None:
            super().setLabelText(text)
            seen.append(text)
            if len(seen) == 2:
                self.canceled.emit()  # what the Cancel button (or Esc) sends

    monkeypatch.setattr(background, "QProgressDialog", CancelMidway)
    target = tmp_path / "report.pdf"
    assert not window.export_controller.run("report", target)
    assert len(seen) >= 2 and seen[0].startswith("Writing the stakeholder report: ")
    assert window.export_controller.last_job is not None and window.export_controller.last_job.cancelled
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file either
    assert "cancelled" in window.statusBar().currentMessage()
    window.document.undo_stack.setClean()


def test_the_export_writes_the_design_as_it_was_when_asked_for(qtbot, real_catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, build_campus(1_000, real_catalog), real_catalog)
    project = window.document.project
    before = project.snapshot()
    rack = next(iter(sorted(project.items)))
    edited: list[bool] = []

    def edit_while_exporting(done: int, total: int, what: str) -> None:
        if not edited:  # on the window's thread, while the worker lists the snapshot
            project.remove_items([rack])
            edited.append(True)

    real_start = background.BackgroundJob.start

    def start(job) -> None:  # type: ignore[no-untyped-def]
        job.signals.progressed.connect(edit_while_exporting)
        real_start(job)

    background.BackgroundJob.start = start  # type: ignore[method-assign]
    try:
        target = tmp_path / "bom.csv"
        assert window.export_controller.run("csv", target), window.export_controller.last_error
    finally:
        background.BackgroundJob.start = real_start  # type: ignore[method-assign]
    assert edited and rack not in project.items
    catalog = merged_catalog(real_catalog, project.custom_catalog)
    hall_id = window.document.current_hall_id
    for design, name in ((before, "as_asked.csv"), (project.snapshot(), "as_edited.csv")):  # the same writer
        run_export("csv", ExportJob(design, catalog, hall_id, tmp_path / name))
    assert target.read_bytes() == (tmp_path / "as_asked.csv").read_bytes()
    assert target.read_bytes() != (tmp_path / "as_edited.csv").read_bytes()  # the edit did change the list
    window.document.undo_stack.setClean()
