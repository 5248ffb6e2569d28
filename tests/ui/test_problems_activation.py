"""Double-clicking a problem selects its items and zooms to them, switching hall when needed."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from designer.model.records import PlacedItem
from designer.ui.main_window import MainWindow


class _Finding:
    def __init__(self, message: str, item_ids: tuple[str, ...]) -> None:
        self.severity, self.code, self.message, self.item_ids = "error", "test", message, item_ids


@pytest.fixture
def window(qtbot, project, catalog, pod_templates, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    win = MainWindow(catalog, pod_templates, project)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_double_clicking_a_problem_selects_and_zooms_to_its_items_in_their_hall(window, qtbot):  # type: ignore[no-untyped-def]
    window.document.project.add_items([PlacedItem("far", "rack.air", "hall-2", 900, 1200),
                                       PlacedItem("near", "rack.air", "hall-1", 5000, 5000)])
    assert window.document.current_hall_id == "hall-1"
    window.view.zoom_to_fit()
    fit_scale = window.view.current_scale()
    panel = window.problems_panel
    panel.set_findings([_Finding("far rack is wrong", ("far",)), _Finding("near rack is wrong", ("near",))])
    row = next(r for r, values in enumerate(panel.visible_rows()) if values[3] == ["far"])
    table = panel.table
    rect = table.visualRect(panel.proxy.index(row, 2))
    assert rect.isValid() and table.viewport().rect().contains(rect.center()), (rect, table.viewport().rect())
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.document.current_hall_id == "hall-2"
    assert window.document.selected_ids() == ["far"]
    graphic = window.scene.items_by_id["far"]
    assert graphic.isSelected()
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert visible.contains(graphic.sceneBoundingRect())
    assert window.view.current_scale() > fit_scale  # zoomed in on the rack, not the whole hall
    window.document.undo_stack.setClean()


def test_the_panel_says_analysing_until_the_first_analysis_reports_never_no_problems(window, qtbot):  # type: ignore[no-untyped-def]
    """An empty table before the design is analysed means "not known yet": the summary must not read
    "No problems" (the first analysis waits for the floor's first paint, a second or two at 50k racks)."""
    panel = window.problems_panel
    assert panel.pending
    assert panel.summary_label.text().startswith("Analysing")
    assert "No problems" not in panel.summary_label.text()
    window.coordinator.flush()
    assert not panel.pending
    assert not panel.summary_label.text().startswith("Analysing")
    # a new design: the last one's findings say nothing of it until its own analysis reports
    window.document.replace_project(window.document.project.snapshot(), None)
    assert panel.pending and panel.summary_label.text().startswith("Analysing")
    window.coordinator.flush()
    assert not panel.pending
