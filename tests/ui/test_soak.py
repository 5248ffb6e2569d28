"""GUI soak: thousands of random user actions on the AI-hall example in the main window.

Nothing may escape as an exception, the scene must keep mirroring the model (no leaked or missing
graphics items) and memory must stay flat. ``--long`` runs many more actions.
"""

from __future__ import annotations

import gc
import random
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from designer.io.catalog_io import load_catalog
from designer.io.pods_io import load_pod_templates
from designer.io.resources import examples_dir
from designer.ui.canvas.items import ConnectionItem, FootprintItem, LabelItem
from designer.ui.main_window import MainWindow

MB = 1024 * 1024
MEMORY_GROWTH_LIMIT = 50 * MB
MAX_ITEMS = 2500
"""Above this the soak undoes a while, so memory measures leaks rather than a growing design."""

Key, Mod = Qt.Key, Qt.KeyboardModifier
CTRL, SHIFT = Mod.ControlModifier, Mod.ShiftModifier


def rss_bytes() -> int:
    """Resident memory of this process (Linux /proc; elsewhere the peak from getrusage)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as stream:
            pages = int(stream.read().split()[1])
        import os

        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


@pytest.fixture
def errors(monkeypatch):  # type: ignore[no-untyped-def]
    """Collect anything that reaches sys.excepthook; a message box is an error too (none is expected)."""
    caught: list[str] = []

    def collect(exc_type, exc, tb) -> None:  # type: ignore[no-untyped-def]
        import traceback

        caught.append("".join(traceback.format_exception(exc_type, exc, tb)))

    def message(parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        caught.append(f"message box: {title}: {text}")
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", message)
    monkeypatch.setattr(QMessageBox, "warning", message)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    previous = sys.excepthook
    sys.excepthook = collect
    yield caught
    sys.excepthook = previous


@pytest.fixture
def window(qtbot, errors):  # type: ignore[no-untyped-def]
    catalog = load_catalog()
    win = MainWindow(catalog, load_pod_templates(catalog))
    qtbot.addWidget(win)
    assert win.files.open_example(Path(examples_dir() / "ai_hall.dcplan"))
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    win.view.setFocus()
    yield win
    win.document.undo_stack.setClean()  # closing must not ask


class SoakDriver:
    """Random user actions through keys, mouse, actions and the editor API."""

    def __init__(self, window: MainWindow, qtbot, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
        self.window = window
        self.qtbot = qtbot
        self.rng = rng
        self.view = window.view
        self.document = window.document
        self.catalog_ids = sorted(i for i, entry in window.document.catalog.items() if entry.width_mm > 0)
        self.templates = sorted(window.document.pod_templates)
        self.counts: dict[str, int] = {}
        self.actions = [
            (self.select_random, 14),
            (self.click_item, 6),
            (self.nudge, 12),
            (self.rotate, 5),
            (self.copy_paste, 4),
            (self.duplicate, 3),
            (self.delete, 4),
            (self.undo, 10),
            (self.redo, 6),
            (self.zoom, 6),
            (self.switch_hall, 2),
            (self.place_row, 3),
            (self.place_pod, 2),
            (self.drag_items, 4),
            (self.ungroup, 1),
            (self.align, 2),
            (self.auto_connect, 1),
            (self.select_all_delete_undo, 1),
            (self.process_events, 4),
        ]
        self._weights = [w for _, w in self.actions]

    def step(self) -> None:
        (action,) = self.rng.choices([a for a, _ in self.actions], self._weights)
        self.counts[action.__name__] = self.counts.get(action.__name__, 0) + 1
        if len(self.document.project.items) > MAX_ITEMS:
            for _ in range(20):
                self.document.undo_stack.undo()
            return
        action()

    # ----------------------------------------------------------------- helpers
    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Mod.NoModifier) -> None:
        if not self.view.hasFocus():
            self.window.activateWindow()
            self.view.setFocus()
        self.qtbot.keyClick(self.view, key, modifier)

    def hall_items(self) -> list[str]:
        return sorted(self.window.scene.items_by_id)

    def random_point(self) -> QPointF:
        hall = self.document.project.halls[self.document.current_hall_id]
        x0, y0, x1, y1 = hall.bounds_mm()
        return QPointF(self.rng.uniform(x0, x1), self.rng.uniform(y0, y1))

    # ----------------------------------------------------------------- actions
    def select_random(self) -> None:
        items = self.hall_items()
        if items:
            self.window.scene.select_ids(self.rng.sample(items, min(len(items), self.rng.randint(1, 12))))

    def click_item(self) -> None:
        items = self.hall_items()
        if not items:
            return
        graphic = self.window.scene.items_by_id[self.rng.choice(items)]
        point = self.view.mapFromScene(graphic.pos())
        if self.view.viewport().rect().contains(point):
            modifier = SHIFT if self.rng.random() < 0.3 else Mod.NoModifier
            self.qtbot.mouseClick(self.view.viewport(), Qt.MouseButton.LeftButton, modifier, point)
        else:
            self.view.zoom_to_fit()

    def nudge(self) -> None:
        key = self.rng.choice((Key.Key_Left, Key.Key_Right, Key.Key_Up, Key.Key_Down))
        for _ in range(self.rng.randint(1, 3)):
            self.key(key, SHIFT if self.rng.random() < 0.3 else Mod.NoModifier)

    def rotate(self) -> None:
        self.key(Key.Key_R)

    def copy_paste(self) -> None:
        self.key(Key.Key_C, CTRL)
        self.key(Key.Key_V, CTRL)

    def duplicate(self) -> None:
        self.key(Key.Key_D, CTRL)

    def delete(self) -> None:
        self.key(Key.Key_Delete)

    def undo(self) -> None:
        if self.rng.random() < 0.5:
            self.key(Key.Key_Z, CTRL)
        else:
            self.window.action_undo.trigger()

    def redo(self) -> None:
        if self.rng.random() < 0.5:
            self.key(Key.Key_Z, CTRL | SHIFT)
        else:
            self.window.toolbar_redo.trigger()

    def zoom(self) -> None:
        choice = self.rng.random()
        if choice < 0.4:
            self.key(Key.Key_Plus)
        elif choice < 0.8:
            self.key(Key.Key_Minus)
        elif choice < 0.9:
            self.key(Key.Key_F)
        else:
            self.window.action_zoom_selection.trigger()

    def switch_hall(self) -> None:
        combo = self.window.hall_combo
        combo.setCurrentIndex(self.rng.randrange(combo.count()))

    def place_row(self) -> None:
        point = self.random_point()
        self.window.editor.place_row(self.rng.choice(self.catalog_ids), self.rng.randint(1, 6), point.x(), point.y())

    def place_pod(self) -> None:
        self.window.editor.drop_pod(self.rng.choice(self.templates), self.random_point())

    def drag_items(self) -> None:
        items = self.hall_items()
        if not items:
            return
        graphic = self.window.scene.items_by_id[self.rng.choice(items)]
        viewport = self.view.viewport()
        start = self.view.mapFromScene(graphic.pos())
        if not viewport.rect().contains(start):
            return
        end = start + QPoint(self.rng.randint(-80, 80), self.rng.randint(-80, 80))
        self.qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, Mod.NoModifier, start)
        for point in (start + (end - start) / 2, end):
            move = QMouseEvent(
                QEvent.Type.MouseMove,
                QPointF(point),
                QPointF(viewport.mapToGlobal(point)),
                Qt.MouseButton.NoButton,
                Qt.MouseButton.LeftButton,
                Mod.NoModifier,
            )
            QApplication.sendEvent(viewport, move)
        self.qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, Mod.NoModifier, end)

    def ungroup(self) -> None:
        self.key(Key.Key_G, CTRL | SHIFT)

    def align(self) -> None:
        window = self.window
        self.rng.choice((window.action_align_left, window.action_align_top, window.action_distribute)).trigger()

    def auto_connect(self) -> None:
        """The action shows a preview; half the time it is applied, else it stays until an edit drops it."""
        self.window.action_auto_connect.trigger()
        preview = self.window.canvas.autoconnect_preview
        if preview is not None and self.rng.random() < 0.5:
            preview.apply()

    def select_all_delete_undo(self) -> None:
        self.key(Key.Key_A, CTRL)
        self.key(Key.Key_Delete)
        self.key(Key.Key_Z, CTRL)

    def process_events(self) -> None:
        self.qtbot.wait(self.rng.choice((0, 1, 5)))


def check_scene_mirrors_model(window: MainWindow) -> None:
    """The scene shows exactly the current hall's items and the connections between them."""
    scene, project = window.scene, window.document.project
    hall = window.document.current_hall_id
    in_hall = {i for i, item in project.items.items() if item.hall_id == hall}
    assert set(scene.items_by_id) == in_hall
    graphics = scene.items()
    footprints = [g for g in graphics if isinstance(g, FootprintItem)]
    lines = [g for g in graphics if isinstance(g, ConnectionItem)]
    labels = [g for g in graphics if isinstance(g, LabelItem)]
    assert len(footprints) == len(in_hall), "leaked or missing item graphics"
    assert {g.item_id for g in footprints} == in_hall
    for item_id, graphic in scene.items_by_id.items():
        assert graphic.scene() is scene and (graphic.label is None or graphic.label.scene() is scene), item_id
    shown = {c for c, conn in project.connections.items() if conn.source_id in in_hall and conn.target_id in in_hall}
    assert set(scene.connections_by_id) == shown
    assert len(lines) == len(shown), "leaked or missing connection lines"
    assert len(labels) <= len(in_hall)
    for item_id, graphic in scene.items_by_id.items():
        item = project.items[item_id]
        assert (graphic.pos().x(), graphic.pos().y()) == pytest.approx((item.x_mm, item.y_mm)), item_id
    for connection_id, line in scene.connections_by_id.items():
        connection = project.connections[connection_id]
        assert line.connection == connection
        expected = ConnectionItem(connection)  # drawn afresh from the items' positions
        expected.set_ends(scene.items_by_id[connection.source_id].pos(), scene.items_by_id[connection.target_id].pos())
        got, want = line.line(), expected.line()
        assert [got.x1(), got.y1(), got.x2(), got.y2()] == pytest.approx(
            [want.x1(), want.y1(), want.x2(), want.y2()], abs=1e-6
        ), connection_id
    assert set(window.document.selected_ids()) <= in_hall


def test_random_user_actions_leave_no_errors_no_leaks_and_flat_memory(window, qtbot, errors, request):  # type: ignore[no-untyped-def]
    actions = 4000 if request.config.getoption("--long") else 500
    driver = SoakDriver(window, qtbot, random.Random(20261126))
    start_state = window.document.project.state()
    warm_up = max(actions // 5, 100)
    baseline = 0
    for n in range(actions):
        driver.step()
        assert not errors, errors[0]
        if n % 50 == 49:
            qtbot.wait(1)
            check_scene_mirrors_model(window)
        if n == warm_up:
            gc.collect()
            qtbot.wait(1)
            baseline = rss_bytes()
    window.run_analysis()
    qtbot.wait(1)
    check_scene_mirrors_model(window)
    gc.collect()
    growth = rss_bytes() - baseline
    assert growth < MEMORY_GROWTH_LIMIT, f"memory grew by {growth / MB:.1f} MB over {actions - warm_up} actions"
    assert not errors, errors[0]
    assert set(driver.counts) == {a.__name__ for a, _ in driver.actions}
    # and the whole history still unwinds to the example exactly
    stack = window.document.undo_stack
    while stack.canUndo():
        stack.undo()
    assert window.document.project.state() == start_state
    check_scene_mirrors_model(window)
    assert not errors, errors[0]
