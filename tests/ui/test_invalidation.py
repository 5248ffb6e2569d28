"""One path from the model to the analysis: every model change, undoable or not, schedules a run;
the dashboard's charts are built from Results alone."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.io.resources import examples_dir
from designer.ui.dashboard import series
from designer.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    # closing a window with unsaved edits asks; the tests discard them
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Discard)
    catalog = load_catalog(include_user=False)
    win = MainWindow(catalog, {}, load_project(examples_dir() / "retrofit.dcplan", catalog))
    qtbot.addWidget(win)
    return win


def test_a_model_change_outside_the_undo_stack_schedules_the_analysis(window) -> None:  # type: ignore[no-untyped-def]
    project = window.document.project
    coordinator = window.coordinator
    coordinator.flush()
    runs = coordinator.runs
    assert not coordinator.timer.isActive()
    item = next(iter(project.items.values()))
    project.move_items({item.id: (item.x_mm + 600.0, item.y_mm)})  # no command: the undo index stays
    assert window.document.undo_stack.index() == 0
    assert coordinator.timer.isActive()
    coordinator.flush()
    assert coordinator.runs == runs + 1


def test_undo_index_alone_schedules_nothing(window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QUndoCommand

    window.coordinator.flush()
    window.document.push(QUndoCommand("nothing"))  # a command that changes no model record
    assert not window.coordinator.timer.isActive()


def test_day_series_reads_results_only(window) -> None:  # type: ignore[no-untyped-def]
    assert list(inspect.signature(series.day_series).parameters) == ["results"]
    results = window.coordinator.run()
    assert results is not None
    day = series.day_series(results)
    np.testing.assert_array_equal(day.layers_kw, results.it_layers_kw)
    np.testing.assert_allclose(day.layers_kw.sum(axis=0), results.it_kw)
    np.testing.assert_array_equal(day.liquid_kw, results.liquid_heat_kw)
    assert len(series.LAYER_NAMES) == day.layers_kw.shape[0]


def test_the_first_analysis_waits_for_the_floors_first_paint(window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    coordinator = window.coordinator
    coordinator.edit_delay_ms = 60_000  # no run from the timer while the test looks (the machine may be slow)
    coordinator.schedule(coordinator.edit_delay_ms)  # a run due, as when the window was made
    window.scene._schedule_problems()  # a placement check due (the design just built)
    runs = coordinator.runs
    window.show()
    assert not coordinator.timer.isActive() and coordinator.runs == runs  # held: the floor shows first
    assert not window.scene._problem_timer.isActive()
    painted: list[bool] = []
    window.view.painted.connect(lambda: painted.append(True))
    for _ in range(200):
        if painted:
            break
        QApplication.processEvents()  # the window is exposed and painted
    assert coordinator.timer.isActive() and coordinator.runs == runs  # the usual edit delay, from the paint
    checks: list[bool] = []
    window.scene.problems_changed.connect(lambda: checks.append(True))
    window.scene.problems = {"stale": "a finding the placement check will not make"}  # so its run shows
    coordinator.flush()
    assert coordinator.runs == runs + 1
    assert checks and "stale" not in window.scene.problems  # the placement check ran with the results


def test_flush_runs_a_held_analysis(window) -> None:  # type: ignore[no-untyped-def]
    coordinator = window.coordinator
    coordinator.schedule(60_000)
    runs = coordinator.runs
    window.show()  # no paint yet: the run is held
    assert not coordinator.timer.isActive()
    coordinator.flush()
    assert coordinator.runs == runs + 1 and coordinator.results is not None
