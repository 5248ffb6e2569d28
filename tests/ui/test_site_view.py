"""The site plan: halls to scale coloured by state, click to open one, drag to move it (undoable)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from designer.analysis.site_state import HallCondition
from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.io.resources import examples_dir
from designer.model.types import ConnectionKind, Role
from designer.ui.commands import RemoveConnectionsCommand
from designer.ui.main_window import MainWindow
from designer.ui.site_view import CONDITION_COLOURS, HallSiteItem


@pytest.fixture(scope="module")
def real_catalog():  # type: ignore[no-untyped-def]
    return load_catalog(include_user=False)


@pytest.fixture
def window(qtbot, real_catalog, monkeypatch):  # type: ignore[no-untyped-def]
    """The retrofit example (a computer room and a plant room), analysed, on the site plan tab."""
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Discard)
    win = MainWindow(real_catalog, {}, load_project(examples_dir() / "retrofit.dcplan", real_catalog))
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    win.coordinator.run(failures=True)
    win.views.setCurrentWidget(win.views.site)
    win.views.site.view.zoom_to_fit()
    return win


def _screen_point(window, hall_id: str) -> QPoint:  # type: ignore[no-untyped-def]
    item: HallSiteItem = window.views.site.hall_items[hall_id]
    centre = item.mapToScene(item.polygon().boundingRect().center())
    return window.views.site.view.mapFromScene(centre)


def _mouse(widget: QWidget, kind: QEvent.Type, pos: QPoint, buttons: Qt.MouseButton) -> None:
    event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), Qt.MouseButton.LeftButton, buttons,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def _fill(window, hall_id: str) -> str:  # type: ignore[no-untyped-def]
    colour = QColor(window.views.site.hall_items[hall_id].brush().color())
    colour.setAlpha(255)
    return colour.name()


def test_clicking_a_hall_opens_it_on_the_floor_plan(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert window.document.current_hall_id == "hall-legacy"
    viewport = window.views.site.view.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=_screen_point(window, "hall-plant"))
    assert window.document.current_hall_id == "hall-plant"
    assert window.views.currentWidget() is window.canvas
    assert window.document.undo_stack.count() == 0  # a click is not a move


def test_dragging_a_hall_moves_it_on_the_site_as_one_undo_step(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    project = window.document.project
    for hall_id in project.halls:  # as in a file written before site positions: laid out automatically
        project.place_hall_on_site(hall_id, None, None)
    site = window.views.site
    site.view.zoom_to_fit()
    start = _screen_point(window, "hall-plant")
    before = site.hall_items["hall-plant"].pos()
    end = start + QPoint(120, 60)
    viewport = site.view.viewport()
    _mouse(viewport, QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
    for step in range(1, 7):
        _mouse(viewport, QEvent.Type.MouseMove, start + (end - start) * step / 6, Qt.MouseButton.LeftButton)
    _mouse(viewport, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)
    assert window.document.undo_stack.count() == 1
    assert window.document.current_hall_id == "hall-legacy"  # a drag does not open the hall
    plant, legacy = project.halls["hall-plant"], project.halls["hall-legacy"]
    assert plant.site_placed and plant.site_x_mm is not None and plant.site_x_mm > before.x()
    assert plant.site_x_mm % 500 == 0  # snapped to the site grid
    # the hall laid out automatically beside it was pinned where it stood, so it did not jump
    assert (legacy.site_x_mm, legacy.site_y_mm) == (0.0, 0.0)
    assert site.hall_items["hall-plant"].pos().x() == plant.site_x_mm
    window.document.undo_stack.undo()
    assert not project.halls["hall-plant"].site_placed and not project.halls["hall-legacy"].site_placed
    assert site.hall_items["hall-plant"].pos() == before
    window.document.undo_stack.redo()
    assert project.halls["hall-plant"].site_placed
    assert site.hall_items["hall-plant"].pos().x() == project.halls["hall-plant"].site_x_mm


def test_a_hall_turns_about_its_centre_on_the_site(window) -> None:  # type: ignore[no-untyped-def]
    project, site = window.document.project, window.views.site
    item = site.hall_items["hall-plant"]
    before = item.mapToScene(item.polygon().boundingRect().center())
    site.rotate_hall("hall-plant")
    hall = project.halls["hall-plant"]
    assert hall.site_rotation_deg == 90.0 and window.document.undo_stack.count() == 1
    after = item.mapToScene(item.polygon().boundingRect().center())
    assert abs(after.x() - before.x()) < 1 and abs(after.y() - before.y()) < 1  # turned in place
    width = item.mapToScene(item.polygon()).boundingRect().width()
    assert abs(width - 15_000) < 1  # the 30 m x 15 m room now lies 15 m wide
    window.document.undo_stack.undo()
    assert project.halls["hall-plant"].site_rotation_deg == 0.0


def test_hall_colours_follow_the_analysis(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    site = window.views.site
    # the retrofit's legacy racks hang on one transformer: at risk of a single failure (warning)
    assert site.hall_items["hall-legacy"].state.condition is HallCondition.WARNING
    assert _fill(window, "hall-legacy") == QColor(CONDITION_COLOURS[HallCondition.WARNING]).name()
    assert "racks at risk" in site.hall_items["hall-legacy"].label.text()
    # cut every power feed into the racks: they are unserved, the hall turns to the error colour
    document = window.document
    feeds = [c.id for c in document.project.connections.values() if c.kind is ConnectionKind.POWER
             and document.entry_for(c.target_id).role is Role.RACK]
    document.push(RemoveConnectionsCommand(document.project, feeds))
    window.coordinator.run(failures=False)
    assert site.hall_items["hall-legacy"].state.condition is HallCondition.ERROR
    assert _fill(window, "hall-legacy") == QColor(CONDITION_COLOURS[HallCondition.ERROR]).name()
    assert "66 racks unserved" in site.hall_items["hall-legacy"].label.text()
    assert site.hall_items["hall-plant"].plant  # no racks: drawn as a plant area


def test_the_colour_mode_is_remembered_between_sessions(qtbot, real_catalog) -> None:  # type: ignore[no-untyped-def]
    from designer.ui.canvas.colour_modes import ColourMode

    first = MainWindow(real_catalog, {})
    qtbot.addWidget(first)
    assert first.dashboard.colouring.mode is ColourMode.UTILISATION
    first.dashboard.colouring.legend.combo.setCurrentIndex(
        first.dashboard.colouring.legend.combo.findData(ColourMode.HEAT.value))
    assert first.dashboard.colouring.mode is ColourMode.HEAT
    second = MainWindow(real_catalog, {})
    qtbot.addWidget(second)
    assert second.dashboard.colouring.mode is ColourMode.HEAT
    assert second.dashboard.colour_mode_actions[ColourMode.HEAT].isChecked()
