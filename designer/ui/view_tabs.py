"""ViewTabs: the window's centre, switching between the hall's floor plan, the site plan and the single-line diagram.

The site plan opens a hall on the floor plan when one is clicked; the single-line diagram shares the
document's selection and shows a double-clicked box's items on the floor plan (switching hall).
View ▸ Floor Plan / Site Plan / Single-Line Diagram (Ctrl+1/2/3) switch too.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QTabWidget, QWidget

from designer.analysis import Results
from designer.ui.canvas.widget import FloorCanvas
from designer.ui.dashboard.coordinator import AnalysisCoordinator
from designer.ui.document import Document
from designer.ui.single_line_view import SingleLineView
from designer.ui.site_view import SiteView


class ViewTabs(QTabWidget):
    """Floor plan, site plan and single-line diagram of one document."""

    def __init__(self, document: Document, canvas: FloorCanvas, coordinator: AnalysisCoordinator,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ViewTabs")
        self.setDocumentMode(True)
        self.document, self.canvas = document, canvas
        self.site = SiteView(document, self)
        self.single_line = SingleLineView(document, self)
        self.addTab(canvas, "Floor plan")
        self.addTab(self.site, "Site plan")
        self.addTab(self.single_line, "Single-line diagram")
        self.setTabToolTip(0, "The current hall's floor plan (Ctrl+1)")
        self.setTabToolTip(1, "Every hall and plant area on the site, coloured by state (Ctrl+2)")
        self.setTabToolTip(2, "The power chain by stage, from the sources to the racks (Ctrl+3)")
        self.site.hall_entered.connect(self.open_hall)
        self.single_line.show_on_plan.connect(self.show_on_plan)
        coordinator.results_ready.connect(self._on_coordinator_results_ready)
        if coordinator.results is not None:
            self._on_coordinator_results_ready(coordinator.results, None)
        self.currentChanged.connect(self._on_current_changed)

    def _on_coordinator_results_ready(self, results: Results, _sweep: object) -> None:
        self.site.show_results(results)
        self.single_line.show_results(results)

    def open_hall(self, hall_id: str) -> None:
        """Show ``hall_id`` on the floor plan."""
        self.document.set_current_hall(hall_id)
        self.setCurrentWidget(self.canvas)
        self.canvas.view.zoom_to_fit()

    def show_on_plan(self, item_ids: list[str]) -> None:
        """Select ``item_ids`` on the floor plan, in the hall of the first, and zoom to them."""
        items = self.document.project.items
        known = [i for i in item_ids if i in items]
        if not known:
            return
        self.document.set_current_hall(items[known[0]].hall_id)
        self.document.set_selection(known)
        self.setCurrentWidget(self.canvas)
        self.canvas.view.zoom_to_selection()

    def _on_current_changed(self, index: int) -> None:
        if self.widget(index) is not self.canvas:
            return
        # a selection made in the diagram may lie in another hall: show the hall it is in
        selected = self.document.selected_ids()
        items = self.document.project.items
        halls = {items[i].hall_id for i in selected}
        if selected and self.document.current_hall_id not in halls:
            self.document.set_current_hall(items[selected[0]].hall_id)
            self.document.set_selection([i for i in selected if items[i].hall_id == self.document.current_hall_id])


@dataclass(frozen=True, slots=True)
class ViewActions:
    floor_plan: QAction
    site_plan: QAction
    single_line: QAction


def view_actions(tabs: ViewTabs, parent: QWidget) -> ViewActions:
    """View ▸ Floor Plan / Site Plan / Single-Line Diagram actions (Ctrl+1/2/3)."""
    made = []
    for index, (text, key) in enumerate((("&Floor Plan", "Ctrl+1"), ("S&ite Plan", "Ctrl+2"),
                                         ("Single-&Line Diagram", "Ctrl+3"))):
        action = QAction(text, parent)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _checked=False, i=index: tabs.setCurrentIndex(i))
        parent.addAction(action)
        made.append(action)
    return ViewActions(*made)
