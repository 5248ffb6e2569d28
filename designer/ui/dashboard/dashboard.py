"""Dashboard: wires the state, the coordinator, the controls, charts, headline, compare dock and overlay."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QDockWidget, QFrame, QMainWindow, QMenu, QScrollArea, QWidget

from designer.analysis import Analyzer, Results, SweepResult
from designer.analysis.autonomy import SwingEstimate
from designer.ui.canvas.colour_modes import MODE_NAMES, ColourMode
from designer.ui.canvas.colouring import CanvasColouring
from designer.ui.canvas.overlay import apply_overlay
from designer.ui.canvas.scene import FloorScene
from designer.ui.canvas.view import FloorView
from designer.ui.dashboard.charts import CoolingChart, DayProfileChart, TransitionChart, UtilizationChart
from designer.ui.dashboard.compare import CompareDock
from designer.ui.dashboard.controls import MixControlsPanel
from designer.ui.dashboard.coordinator import AnalysisCoordinator
from designer.ui.dashboard.headline import HeadlineFigures
from designer.ui.dashboard.series import (
    cooling_series,
    day_series,
    headline_figures,
    sweep_peaks_kw,
    transition_series,
    utilisation_series,
)
from designer.ui.dashboard.state import DashboardState, timeline_years
from designer.ui.dashboard.swings import SwingSeries, SwingsTable
from designer.ui.document import Document

QWIDGETSIZE_MAX = (1 << 24) - 1
"""Qt's largest widget size (QWIDGETSIZE_MAX), to undo a fixed height."""


def set_corners(window: QMainWindow) -> None:
    """The bottom area (charts) takes the full width; the top area (headline strip) sits between the
    side columns. Call before adding docks: changing corners afterwards leaves stray tab bars."""
    window.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.BottomDockWidgetArea)
    window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.BottomDockWidgetArea)
    window.setCorner(Qt.Corner.TopLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
    window.setCorner(Qt.Corner.TopRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)


class Dashboard(QObject):
    """The live workload-mix dashboard of one document; ``install`` puts its docks into a main window."""

    updated = Signal()
    """Charts, headline and overlay show the latest results."""

    def __init__(
        self,
        document: Document,
        scene: FloorScene,
        view: FloorView,
        analyzer: Analyzer | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.document, self.scene, self.view = document, scene, view
        self.state = DashboardState()
        self.state.reset_to(document.project)
        self.coordinator = AnalysisCoordinator(document, self.state, analyzer, self)
        self.controls = MixControlsPanel(document, self.state)
        self.headline = HeadlineFigures()
        self.day_chart = DayProfileChart()
        self.transition_chart = TransitionChart()
        self.utilization_chart = UtilizationChart()
        self.cooling_chart = CoolingChart()
        self.swings = SwingsTable()
        """The training swings per scenario year, a table beside the transition (filled by the electrical checks)."""
        self.swing_series = SwingSeries(self.transition_chart)
        self.compare = CompareDock(document.catalog)
        self.overlay_enabled = True
        self.colouring = CanvasColouring(document, scene, view, self)
        self._shown_sweep: SweepResult | None = None
        self.docks: dict[str, QDockWidget] = {}
        self.coordinator.results_ready.connect(self._on_coordinator_results_ready)
        self.coordinator.sweep_ready.connect(self._on_coordinator_sweep_ready)
        self.utilization_chart.component_clicked.connect(self.select_component)
        self.compare.other_transition_changed.connect(self.transition_chart.show_other)
        document.project_replaced.connect(self._on_document_project_replaced)
        document.project_changed.connect(self._on_document_project_changed)
        document.current_hall_changed.connect(self._on_document_current_hall_changed)
        self.state.subscribe(self._on_state_changed)
        self.show_year_on_canvas()

    def show_year_on_canvas(self) -> None:
        """The canvas shows the design as built in the dashboard's year (the first year by default)."""
        project = self.document.project
        year = self.state.valid_year(project)
        if year is None:
            years = timeline_years(project)
            year = years[0] if years else None
        self.scene.set_year(year)

    def _on_state_changed(self, name: str) -> None:
        if name == "year":
            self.show_year_on_canvas()

    # ----------------------------------------------------------------- docks and menus
    def charts(self) -> list[QWidget]:
        return [self.day_chart, self.transition_chart, self.utilization_chart, self.cooling_chart]

    def install(self, window: QMainWindow) -> None:
        """Add the docks: the headline figures as a strip above the floor plan, the mix controls on the
        right (below the inspector), the charts along the whole bottom (the bottom area takes both
        corners), the compare dock hidden until used.
        """
        def dock(title: str, name: str, widget: QWidget, scroll: bool = False) -> QDockWidget:
            d = QDockWidget(title, window)
            d.setObjectName(name)
            if scroll:  # forms scroll rather than force a minimum window size
                area = QScrollArea(d)
                area.setWidgetResizable(True)
                area.setFrameShape(QFrame.Shape.NoFrame)
                area.setWidget(widget)
                d.setWidget(area)
            else:
                d.setWidget(widget)
            self.docks[name] = d
            return d

        set_corners(window)
        headline = dock("Headline Figures", "HeadlineDock", self.headline, scroll=True)
        headline.dockLocationChanged.connect(self.headline.follow_dock_area)
        headline.dockLocationChanged.connect(lambda _area: self._fit_headline_dock())
        self.headline.layout_changed.connect(self._fit_headline_dock)
        window.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, headline)
        self.headline.follow_dock_area(Qt.DockWidgetArea.TopDockWidgetArea)
        self._fit_headline_dock()
        controls = dock("Workload Mix", "MixControlsDock", self.controls, scroll=True)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, controls)
        charts = [dock("Day Profile", "DayProfileDock", self.day_chart),
                  dock("Transition", "TransitionDock", self.transition_chart),
                  dock("Utilisation", "UtilizationDock", self.utilization_chart),
                  dock("Cooling", "CoolingDock", self.cooling_chart)]
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, charts[0])
        for before, after in itertools.pairwise(charts):
            window.splitDockWidget(before, after, Qt.Orientation.Horizontal)
        # the swings are marked on the transition chart; their table, beside it, is a View ▸ Dashboard toggle away
        swings = dock("Training Swings", "SwingsDock", self.swings)
        window.splitDockWidget(charts[1], swings, Qt.Orientation.Horizontal)
        swings.hide()
        compare = dock("Compare", "CompareDock", self.compare, scroll=True)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, compare)
        compare.hide()

    def _fit_headline_dock(self) -> None:
        """A strip of figures is exactly as high as its one or two rows; docked at a side it scrolls."""
        area = self.docks["HeadlineDock"].widget()
        if not isinstance(area, QScrollArea):
            return
        if self.headline.horizontal:
            area.setFixedHeight(self.headline.sizeHint().height() + 2 * area.frameWidth())
        else:
            area.setMinimumHeight(0)
            area.setMaximumHeight(QWIDGETSIZE_MAX)

    def fill_menu(self, menu: QMenu, compare_action: QAction) -> None:
        """View ▸ Dashboard: the docks, the canvas overlay and Compare with…"""
        for dock in self.docks.values():
            menu.addAction(dock.toggleViewAction())
        menu.addSeparator()
        self.action_overlay = QAction("Colour Canvas by &Load", menu)
        self.action_overlay.setCheckable(True)
        self.action_overlay.setChecked(self.overlay_enabled)
        self.action_overlay.setStatusTip("Colour the floor plan by the analysis (the mode below), with a legend")
        self.action_overlay.toggled.connect(self.set_overlay_enabled)
        menu.addAction(self.action_overlay)
        modes = menu.addMenu("Colour &Mode")
        group = QActionGroup(modes)
        self.colour_mode_actions: dict[ColourMode, QAction] = {}
        for mode, name in MODE_NAMES.items():
            action = modes.addAction(name)
            action.setCheckable(True)
            action.setChecked(mode is self.colouring.mode)
            action.triggered.connect(lambda _checked=False, m=mode: self.colouring.set_mode(m))
            group.addAction(action)
            self.colour_mode_actions[mode] = action
        self.colouring.mode_changed.connect(self._on_colouring_mode_changed)
        self.action_play = QAction("&Play Timeline", menu)
        self.action_play.triggered.connect(lambda: self.controls.set_playing(not self.state.playing))
        menu.addAction(self.action_play)
        menu.addSeparator()
        menu.addAction(compare_action)

    def compare_with(self) -> None:
        """Ask for another plan and show the comparison dock."""
        dock, controls = self.docks.get("CompareDock"), self.docks.get("MixControlsDock")
        if dock is not None:
            window = dock.parentWidget()
            # tabbed with the controls the first time it is shown (a hidden dock tabbed from the start
            # leaves a stray tab bar in Qt 6.11's layout)
            if (isinstance(window, QMainWindow) and controls is not None and dock.isHidden() and not dock.isFloating()
                    and controls.isVisible() and dock not in window.tabifiedDockWidgets(controls)):
                window.tabifyDockWidget(controls, dock)
            dock.show()
            dock.raise_()
        self.compare.open_dialog()

    # ----------------------------------------------------------------- results
    def _on_coordinator_results_ready(self, results: Results, sweep: SweepResult | None) -> None:
        self.show_results(results, sweep)

    def _on_coordinator_sweep_ready(self, sweep: SweepResult | None) -> None:
        """A sweep from the worker thread: the charts drawn from it (the transition, and the day and cooling
        charts' scales) follow; the rest of the last results stands."""
        results = self.coordinator.results
        if results is None:
            return
        day = day_series(results)
        facility_scale_kw, it_scale_kw = sweep_peaks_kw(sweep)
        self.day_chart.show_day(day, facility_scale_kw)
        if sweep is not self._shown_sweep:
            self._shown_sweep = sweep
            self.transition_chart.show_transition(transition_series(sweep) if sweep is not None else None)
        self.transition_chart.show_current(results.inference_share, results.peak_it_kw, results.peak_facility_kw)
        self.transition_chart.set_updating(self.coordinator.sweep_pending)
        self.cooling_chart.show_cooling(cooling_series(day, results, self.document.project), it_scale_kw)

    def show_results(self, results: Results, sweep: SweepResult | None) -> None:
        project = self.document.project
        day = day_series(results)
        facility_scale_kw, it_scale_kw = sweep_peaks_kw(sweep)
        self.day_chart.show_day(day, facility_scale_kw)
        self.controls.set_ai_racks_present(day.ai_design_kw > 0)
        if sweep is not self._shown_sweep:
            self._shown_sweep = sweep
            self.transition_chart.show_transition(transition_series(sweep) if sweep is not None else None)
        self.transition_chart.show_current(results.inference_share, results.peak_it_kw, results.peak_facility_kw)
        self.transition_chart.set_updating(self.coordinator.sweep_pending)
        bars = utilisation_series(results)
        items = project.items
        self.utilization_chart.names = {i: (items[i].label or i) if i in items else i for i in bars.ids}
        self.utilization_chart.show_utilisation(bars)
        self.cooling_chart.show_cooling(cooling_series(day, results, project), it_scale_kw)
        figures = headline_figures(results, project)
        self.headline.show_figures(figures)
        self.compare.show_results(results, project, figures)
        self.colouring.show(results)  # repaints only the items whose colour changed
        self.updated.emit()

    # ----------------------------------------------------------------- overlay and selection
    def set_overlay_enabled(self, on: bool) -> None:
        self.overlay_enabled = on
        if on and self.colouring.results is None:
            self.colouring.results = self.coordinator.results
        self.colouring.set_enabled(on)

    def repaint_canvas(self) -> None:
        """Give every item on the canvas its colour again, after something else painted over them
        (the what-if view): the colour mode's, or the catalog's when the colouring is off."""
        if self.overlay_enabled and self.colouring.results is not None:
            self.colouring.repaint_all()
        else:
            apply_overlay(self.scene, dict.fromkeys(self.scene.items_by_id, None))

    def _on_colouring_mode_changed(self, mode: str) -> None:
        action = getattr(self, "colour_mode_actions", {}).get(ColourMode(mode))
        if action is not None:
            action.setChecked(True)

    def _on_document_current_hall_changed(self, _hall_id: str) -> None:
        self.colouring.repaint_all()

    def show_swings(self, swings: Sequence[SwingEstimate]) -> None:
        """The training swings of the electrical checks, per scenario year: on the transition chart and in its tab."""
        self.swings.show_swings(swings)
        self.swing_series.show(swings)

    def _on_document_project_changed(self, _event: object) -> None:
        self.swings.clear("the design changed: waiting for the electrical checks")
        self.swing_series.show([])
        self.colouring.invalidate()  # an edit may have rebuilt items in their normal colours: paint them again

    def _on_document_project_replaced(self) -> None:
        self.utilization_chart.reset_scale()
        self.swings.clear()
        self.swing_series.show([])
        self.colouring.invalidate()
        self.colouring.results = None
        self.state.reset_to(self.document.project)
        self.show_year_on_canvas()

    def select_component(self, component_id: str) -> None:
        """Select a component on the canvas (switching hall if needed) and centre the view on it."""
        items = self.document.project.items
        if component_id not in items:
            return
        hall_id = items[component_id].hall_id
        if hall_id != self.document.current_hall_id:
            self.document.set_current_hall(hall_id)
        self.document.set_selection([component_id])
        graphic = self.scene.items_by_id.get(component_id)
        if graphic is not None:
            self.view.centerOn(graphic)

    def close(self) -> None:
        self.controls.play_timer.stop()
        self.state.unsubscribe(self._on_state_changed)
        self.coordinator.close()
