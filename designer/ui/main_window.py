"""MainWindow: the canvas in the middle, panels around it, menus, toolbar, status bar and file handling."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QToolBar,
    QWidget,
)

from designer import __version__
from designer.analysis import Analyzer, Finding, Results
from designer.analysis.electrical import ElectricalResults, electrical_figures
from designer.analysis.electrical_plan import drop_plans_of
from designer.io.errors import FileFormatError
from designer.model import effective
from designer.model.catalog import Catalog, merged_catalog
from designer.model.hall_shapes import rectangle_mm
from designer.model.pods import PodTemplate
from designer.model.project import Project
from designer.model.records import Hall
from designer.model.types import ConnectionKind, FeedSide, ItemKind
from designer.ui.background import BackgroundJob, user_waiting
from designer.ui.canvas.place_row_dialog import PlaceRowDialog
from designer.ui.canvas.scene import EditMode
from designer.ui.canvas.widget import FloorCanvas
from designer.ui.commands_hall import AddHallCommand, RemoveHallCommand, UpdateHallCommand
from designer.ui.compare_actions import install_compare_actions
from designer.ui.dashboard import Dashboard
from designer.ui.dashboard.dashboard import set_corners
from designer.ui.dashboard.runway_dialog import make_runway_action
from designer.ui.document import Document
from designer.ui.document_controller import APPLICATION, ORGANISATION, DocumentController, new_project
from designer.ui.electrical_actions import install_electrical_actions
from designer.ui.export.actions import install_export_actions
from designer.ui.hall_dialog import HallDialog
from designer.ui.heap import release_free_memory, settle_after_open
from designer.ui.import_actions import install_import_actions
from designer.ui.panels import InspectorDock, PaletteDock, ProblemsPanel, UndoHistoryPanel
from designer.ui.panels.live_figures import install_live_figures
from designer.ui.plain_text import show_critical
from designer.ui.project_dialogs import edit_project_properties, edit_site
from designer.ui.sites_dialog import install_decide_menu
from designer.ui.view_tabs import ViewTabs, view_actions
from designer.ui.what_if import WhatIfOverlay, WhatIfResult
from designer.ui.window_layout import apply_default_layout, default_size

if TYPE_CHECKING:
    from designer.ui.presentation import PresentationWindow

ELECTRICAL_DELAY_MS = 250
FIRST_PAINT_WAIT_MS = 2_000
"""The first analysis waits at most this long for the floor's first paint (see ``_analyse_after_first_paint``)."""
"""After the idle analysis, the electrical checks wait this long (restarted by each new idle result)."""

class PlacementFinding:
    """A canvas placement problem in the shape the problems panel reads."""

    def __init__(self, item_id: str, message: str) -> None:
        self.severity = "warning"
        self.code = "placement"
        self.message = message
        self.item_ids = (item_id,)


DOCK_LAYOUT_VERSION = 4
"""Bumped whenever the docks change, so a layout saved by an older version is not restored half-broken."""


class MainWindow(QMainWindow):
    """One window, one document."""

    def __init__(
        self,
        catalog: Catalog,
        pod_templates: Mapping[str, PodTemplate],
        project: Project | None = None,
        path: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setAcceptDrops(True)
        self.document = Document(project or new_project(), catalog, pod_templates, path, parent=self)
        self.files = DocumentController(self.document, self, self._show_message)
        """Open, save, revert, recent files and the autosave hook (File ▸ ...)."""
        self.canvas = FloorCanvas(self.document, self)
        self.scene, self.view, self.editor = self.canvas.scene, self.canvas.view, self.canvas.editor
        self.dashboard = Dashboard(self.document, self.scene, self.view, parent=self)
        self.coordinator = self.dashboard.coordinator
        self.views = ViewTabs(self.document, self.canvas, self.coordinator, self)
        """The centre: floor plan, site plan and single-line diagram."""
        self.setCentralWidget(self.views)
        self.view_actions = view_actions(self.views, self)
        self._build_docks()
        self._build_actions()
        self._build_menus()
        exports = install_export_actions(
            self, before=self.action_quit,
            shown_year=lambda: self.dashboard.state.valid_year(self.document.project),
        )
        self.export_controller, self.export_menu = exports.controller, exports.menu
        self.export_actions = exports.actions
        self.import_controller = install_import_actions(self, before=self.export_menu.menuAction())
        self.import_menu = self.import_controller.menu
        self.electrical_actions = install_electrical_actions(self)
        self.action_import_underlay = self.import_controller.import_action
        self.action_remove_underlay = self.import_controller.remove_action
        self.action_show_underlay = self.import_controller.show_action
        self.weather_import = self.import_controller.weather
        self.decide_actions = install_decide_menu(self)
        self.action_import_weather = self.import_controller.weather_action
        self._build_toolbar()
        self.presentation: PresentationWindow | None = None
        self._build_status_bar()
        self.what_if = WhatIfOverlay(
            self.document, self.scene, self.canvas,
            self.dashboard.repaint_canvas, self,
        )
        self.dashboard.updated.connect(self.what_if.apply)
        self.compare = install_compare_actions(self, self.file_menu, self.action_compare, self.scene, self.view,
                                               self.canvas, self.dashboard.repaint_canvas,
                                               self.what_if.close, self.dashboard.colouring.legend.hide)
        self.layout_diff = self.compare.layout_diff
        self.dashboard.updated.connect(self.layout_diff.apply)
        self.document.undo_stack.cleanChanged.connect(self.update_title)
        self.files.path_changed.connect(self.update_title)
        self.document.undo_stack.indexChanged.connect(self._update_selection_status)
        self.document.undo_stack.indexChanged.connect(self.update_title)  # the title is the project's
        self.document.selection_changed.connect(self._update_selection_status)
        self.document.project_replaced.connect(self._on_document_project_replaced)
        self.document.current_hall_changed.connect(self._on_document_current_hall_changed)
        self.document.halls_changed.connect(self._fill_hall_combo)
        self.document.catalog_changed.connect(
            lambda: self.palette_dock.set_catalog(self.document.catalog, self.document.pod_templates))
        self.editor.message.connect(self._show_message)
        self.view.cursor_moved.connect(self._on_view_cursor_moved)
        self.view.zoom_changed.connect(self._on_view_zoom_changed)
        self.scene.problems_changed.connect(self._on_scene_problems_changed)
        # the coordinator's one coalescing timer runs the analysis after edits and dashboard view changes
        self.analyzer: Analyzer = self.coordinator.analyzer
        self.analysis_findings: list[Finding] = []
        self.electrical_findings: list[Finding] = []
        """Findings of the electrical checks, run after each idle analysis (kept until the next run)."""
        self._electrical_results: Results | None = None
        self.electrical_timer = QTimer(self)
        self.electrical_timer.setSingleShot(True)
        self.electrical_timer.setInterval(ELECTRICAL_DELAY_MS)
        self.electrical_timer.timeout.connect(self._on_electrical_timer_timeout)
        self._electrical_generation = 0
        self._electrical_jobs: dict[BackgroundJob[ElectricalChecks], tuple[Results, int]] = {}
        """Electrical checks under way on worker threads (kept alive until they report)."""
        self.file_findings: list[Finding] = []
        """Warnings about the user's own catalog and pod files (skipped or replacing bundled ones)."""
        self.coordinator.results_ready.connect(self._on_coordinator_results_ready)
        # the idle pass and the electrical checks run one at a time: each waits while the other runs
        self.coordinator.busy_elsewhere = lambda: bool(self._electrical_jobs)
        self.coordinator.analysis_failed.connect(self._on_coordinator_analysis_failed)
        install_live_figures(self)
        self.problems_panel.set_pending(True)  # until the first analysis reports
        self._on_scene_problems_changed()
        self.coordinator.schedule(self.coordinator.edit_delay_ms)
        self._fill_hall_combo()
        self.update_title()
        self._update_selection_status()
        self.resize(*default_size())
        self._shown_once = False
        self._waiting_first_paint = True
        self._problems_held = False
        self._restore_settings()
        QTimer.singleShot(0, settle_after_open)

    # ----------------------------------------------------------------- construction
    def _build_docks(self) -> None:
        set_corners(self)
        self.palette_dock = PaletteDock(self.document.catalog, self.document.pod_templates, self)
        self.palette_dock.place_requested.connect(self._on_palette_place_requested)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.palette_dock)
        self.inspector_dock = InspectorDock(self.document, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.inspector_dock)
        self.problems_panel = ProblemsPanel(self)
        self.problems_panel.item_activated.connect(self._on_problems_item_activated)
        # the dashboard's charts take the bottom edge; the problems sit below the palette
        self.problems_dock = self._dock(
            "Problems", "ProblemsDock", self.problems_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.history_panel = UndoHistoryPanel(self.document.undo_stack, self)
        self.history_dock = self._dock(
            "History", "HistoryDock", self.history_panel, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.tabifyDockWidget(self.inspector_dock, self.history_dock)
        self.inspector_dock.raise_()
        self.dashboard.install(self)

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _toggle(
        self,
        text: str,
        slot: Callable[[bool], object],
        shortcut: str | None = None,
        tip: str = "",
        checked: bool = True,
    ) -> QAction:
        """A checkable action."""
        action = QAction(text, self)
        action.setCheckable(True)
        action.setChecked(checked)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.toggled.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        key, ed, view = QKeySequence.StandardKey, self.editor, self.view
        files = self.files
        self.action_new = self._action("&New", files.new_document, key.New)
        self.action_open = self._action("&Open…", files.open_dialog, key.Open)
        self.action_save = self._action("&Save", files.save, key.Save)
        self.action_save_as = self._action("Save &As…", files.save_as, key.SaveAs)
        self.action_revert = self._action("&Revert", files.revert)
        self.action_project_properties = self._action(
            "Project &Properties…", lambda: edit_project_properties(self.document, self),
            tip="The design's title, author, revision and notes",
        )
        self.action_site = self._action(
            "S&ite…", lambda: edit_site(self.document, self),
            tip="Site name, location, UTC offset, climate, design ambient and user regions",
        )
        self.action_quit = self._action("&Quit", self.close, key.Quit)
        stack = self.document.undo_stack
        self.action_undo = stack.createUndoAction(self, "&Undo")
        self.action_undo.setShortcut(key.Undo)
        self.action_redo = stack.createRedoAction(self, "&Redo")
        self.action_redo.setShortcut(key.Redo)
        # short texts for the toolbar; the menu entries say what will be undone
        self.toolbar_undo = QAction("Undo", self)
        self.toolbar_undo.triggered.connect(stack.undo)
        stack.canUndoChanged.connect(self.toolbar_undo.setEnabled)
        stack.undoTextChanged.connect(lambda text: self.toolbar_undo.setToolTip(f"Undo {text}"))
        self.toolbar_redo = QAction("Redo", self)
        self.toolbar_redo.triggered.connect(stack.redo)
        stack.canRedoChanged.connect(self.toolbar_redo.setEnabled)
        stack.redoTextChanged.connect(lambda text: self.toolbar_redo.setToolTip(f"Redo {text}"))
        self.toolbar_undo.setEnabled(stack.canUndo())
        self.toolbar_redo.setEnabled(stack.canRedo())
        self.action_cut = self._action("Cu&t", ed.cut_selection, key.Cut)
        self.action_copy = self._action("&Copy", ed.copy_selection, key.Copy)
        self.action_paste = self._action("&Paste", ed.paste, key.Paste)
        self.action_duplicate = self._action("D&uplicate", ed.duplicate, "Ctrl+D")
        self.action_delete = self._action("&Delete", ed.delete_selection, key.Delete)
        self.action_delete.setShortcuts([QKeySequence(key.Delete), QKeySequence(Qt.Key.Key_Backspace)])
        self.action_select_all = self._action("Select &All", self.scene.select_all, key.SelectAll)
        self.action_rotate = self._action("&Rotate 90°", ed.rotate_selection, "R")
        self.action_align_left = self._action("Align &Left", ed.align_left)
        self.action_align_top = self._action("Align &Top", ed.align_top)
        self.action_distribute = self._action("Distribute &Horizontally", ed.distribute_horizontally)
        self.action_place_row = self._action("Place &Row…", self.place_row_dialog, "Ctrl+Shift+R")
        self.action_new_hall = self._action("New &Hall…", self.new_hall_dialog,
                                            tip="Add a hall: a rectangle or typed corners, floor and columns")
        self.action_hall_properties = self._action("&Hall Properties…", self.hall_properties_dialog,
                                                   tip="The current hall's name, outline, floor and columns")
        self.action_delete_hall = self._action("Delete Hall", self.delete_current_hall,
                                               tip="Delete the current hall (it must hold no items)")
        self.action_ungroup = self._action("&Ungroup Pod", ed.ungroup_selection, "Ctrl+Shift+G")
        self.action_open_pod = self._action("&Open Pod (pick items one by one)", ed.open_selected_pods, "Ctrl+E")
        self.action_close_pods = self._action("&Close Pods", ed.close_pods, "Ctrl+Shift+E")
        self.action_zoom_in = self._action("Zoom &In", view.zoom_in, key.ZoomIn)
        self.action_zoom_out = self._action("Zoom &Out", view.zoom_out, key.ZoomOut)
        self.action_zoom_fit = self._action("Zoom to &Fit", view.zoom_to_fit, "F")
        self.action_zoom_selection = self._action("Zoom to &Selection", view.zoom_to_selection, "Shift+F")
        self.action_show_power = self._toggle(
            "Show &Power Connections", lambda on: self.scene.set_layer_visible(ConnectionKind.POWER, on)
        )
        self.action_show_cooling = self._toggle(
            "Show &Cooling Connections", lambda on: self.scene.set_layer_visible(ConnectionKind.COOLING, on)
        )
        self.action_show_labels = self._toggle("Show &Labels", self.scene.set_labels_visible)
        self.action_show_all_connections = self._toggle(
            "Show &All Connections",
            self.scene.set_show_all_connections,
            tip="Draw every connection; when off, only the supply chains of the selection are drawn",
            checked=False,
        )
        self.action_present = self._action(
            "&Present", self.present, "F5", tip="Full-screen presentation for stakeholders (Esc leaves)"
        )
        self.action_auto_connect = self._action(
            "&Auto-connect…",
            self.canvas.preview_auto_connect,
            "Ctrl+Shift+K",
            tip="Wire the selection (or everything): racks to their suppliers, equipment up to the utility and "
                "heat rejection, A and B apart; shows a preview to apply or cancel",
        )
        self.mode_group = QActionGroup(self)
        self.action_select_mode = self._toggle("&Select Tool", self._on_select_mode_toggled, "V", checked=False)
        self.action_connect_mode = self._toggle(
            "&Connect Tool",
            self._on_connect_mode_toggled,
            "C",
            tip="Click or drag from a supplier to a consumer to connect them (Shift keeps the first)",
            checked=False,
        )
        for action in (self.action_select_mode, self.action_connect_mode):
            self.mode_group.addAction(action)
        self.action_select_mode.setChecked(True)
        self.action_save_pod = self._action(
            "Save Selection as &Pod Template…",
            self.save_selection_as_pod,
            tip="Keep the selected items and their connections as a pod template in your user folder",
        )
        self.action_what_if = self._action(
            "&What If This Fails?",
            self.what_if_fails,
            "Ctrl+Shift+W",
            tip="Select the racks that lose power or cooling, and the parts overloaded, if the selected part fails",
        )
        self.action_run_analysis = self._action(
            "&Run Analysis", self.run_analysis, "F9", tip="Check the design now (it also runs shortly after each edit)"
        )
        self.action_about = self._action("&About DC Designer", self.about)
        self.action_compare = self._action(
            "Compare &with…", self.dashboard.compare_with, tip="Show another plan's figures and curves beside this one"
        )

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = self.file_menu = bar.addMenu("&File")
        file_menu.addAction(self.action_new)
        file_menu.addAction(self.action_open)
        self.examples_menu = file_menu.addMenu("Open &Example")
        self.examples_menu.aboutToShow.connect(lambda: self.files.fill_examples_menu(self.examples_menu))
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(lambda: self.files.fill_recent_menu(self.recent_menu))
        file_menu.addSeparator()
        for action in (self.action_save, self.action_save_as, self.action_revert):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.action_project_properties)
        file_menu.addAction(self.action_site)
        file_menu.addSeparator()
        file_menu.addAction(self.action_compare)
        file_menu.addSeparator()
        file_menu.addAction(self.action_quit)
        edit_menu = bar.addMenu("&Edit")
        for action in (
            self.action_undo,
            self.action_redo,
            None,
            self.action_cut,
            self.action_copy,
            self.action_paste,
            self.action_duplicate,
            self.action_delete,
            None,
            self.action_select_all,
            self.action_rotate,
        ):
            edit_menu.addSeparator() if action is None else edit_menu.addAction(action)
        arrange = edit_menu.addMenu("Align / &Distribute")
        for action in (self.action_align_left, self.action_align_top, self.action_distribute):
            arrange.addAction(action)
        edit_menu.addAction(self.action_place_row)
        edit_menu.addSeparator()
        for action in (self.action_ungroup, self.action_open_pod, self.action_close_pods):
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.action_hall_properties)
        edit_menu.addAction(self.action_delete_hall)
        view_menu = bar.addMenu("&View")
        for action in (
            self.view_actions.floor_plan,
            self.view_actions.site_plan,
            self.view_actions.single_line,
            None,
            self.action_zoom_in,
            self.action_zoom_out,
            self.action_zoom_fit,
            self.action_zoom_selection,
            None,
            self.action_show_power,
            self.action_show_cooling,
            self.action_show_all_connections,
            self.action_show_labels,
            None,
            self.action_present,
            None,
        ):
            view_menu.addSeparator() if action is None else view_menu.addAction(action)
        for dock in (self.palette_dock, self.inspector_dock, self.problems_dock, self.history_dock):
            view_menu.addAction(dock.toggleViewAction())
        self.dashboard_menu = view_menu.addMenu("&Dashboard")
        self.dashboard.fill_menu(self.dashboard_menu, self.action_compare)
        insert_menu = bar.addMenu("&Insert")
        for action in (
            self.action_new_hall,
            None,
            self.action_place_row,
            self.action_auto_connect,
            self.action_save_pod,
            None,
            self.action_select_mode,
            self.action_connect_mode,
        ):
            insert_menu.addSeparator() if action is None else insert_menu.addAction(action)
        analysis_menu = bar.addMenu("&Analysis")
        analysis_menu.addAction(self.action_run_analysis)
        analysis_menu.addAction(self.action_what_if)
        self.action_runway = make_runway_action(self, lambda: self.document.project, lambda: self.document.catalog,
                                                lambda: self.coordinator.analyzer, lambda: self.document.pod_templates,
                                                lambda command: self.document.push(command))
        analysis_menu.addAction(self.action_runway)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.action_about)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("MainToolBar")
        self.addToolBar(toolbar)
        for action in (
            self.action_new,
            self.action_open,
            self.action_save,
            None,
            self.toolbar_undo,
            self.toolbar_redo,
            None,
            self.action_select_mode,
            self.action_connect_mode,
        ):
            toolbar.addSeparator() if action is None else toolbar.addAction(action)
        toolbar.addWidget(QLabel(" Feed: "))
        self.feed_combo = QComboBox(toolbar)
        for feed in (FeedSide.A, FeedSide.B, FeedSide.SINGLE):
            self.feed_combo.addItem(feed.value.capitalize() if feed is FeedSide.SINGLE else feed.value, feed)
        self.feed_combo.setToolTip("Which cord a new power connection feeds")
        self.feed_combo.currentIndexChanged.connect(self._on_feed_combo_changed)
        toolbar.addWidget(self.feed_combo)
        toolbar.addSeparator()
        for action in (self.action_rotate, self.action_auto_connect, self.action_zoom_fit):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" Hall: "))
        self.hall_combo = QComboBox(toolbar)
        self.hall_combo.setMinimumContentsLength(14)
        self.hall_combo.currentIndexChanged.connect(self._on_hall_combo_changed)
        toolbar.addWidget(self.hall_combo)

    def _build_status_bar(self) -> None:
        self.cursor_label = QLabel("")
        self.selection_label = QLabel("")
        self.zoom_label = QLabel("")
        for label in (self.selection_label, self.cursor_label, self.zoom_label):
            self.statusBar().addPermanentWidget(label)

    # ----------------------------------------------------------------- status and title
    def update_title(self) -> None:
        title = self.document.project.metadata.title
        self.setWindowTitle(f"{self.document.display_name()}[*] — {title} — DC Designer")
        self.setWindowModified(self.document.is_dirty())

    def _update_selection_status(self) -> None:
        ids = self.document.selected_ids()
        if not ids:
            connections = self.document.selected_connection_ids()
            self.selection_label.setText(f"{len(connections)} connections selected" if connections else "No selection")
            return
        total_kw = total_kg = 0.0
        for item_id in ids:
            item = self.document.project.items[item_id]
            entry = self.document.entry_of(item.catalog_id)
            if entry.kind is ItemKind.RACK:
                total_kw += effective.design_kw(item, entry)
            total_kg += effective.weight_kg(item, entry)
        self.selection_label.setText(f"{len(ids)} selected · {total_kw:,.0f} kW IT · {total_kg:,.0f} kg")

    def _on_view_cursor_moved(self, x_mm: float, y_mm: float) -> None:
        self.cursor_label.setText(f"x {x_mm / 1000:.2f} m  y {y_mm / 1000:.2f} m")

    def _on_view_zoom_changed(self, scale: float) -> None:
        self.zoom_label.setText(f"{scale * 1000:.0f} px/m")

    def _show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _on_scene_problems_changed(self) -> None:
        # the analysis checks every hall; the scene's live check covers edits it has not seen yet
        analysed = {f.item_ids[0] for f in self.analysis_findings
                    if f.code in ("placement", "aisle_clearance") and f.item_ids}
        placement = [
            PlacementFinding(item_id, f"{item_id} {reason}") for item_id, reason in sorted(self.scene.problems.items())
            if item_id not in analysed
        ]
        self.problems_panel.set_findings([*self.file_findings, *self.analysis_findings, *placement])

    def set_file_warnings(self, warnings: list[str]) -> None:
        """Show warnings about the user's catalog and pod files in the Problems panel."""
        self.file_findings = [Finding("warning", "user_files", text) for text in warnings]
        self._on_scene_problems_changed()

    def run_analysis(self) -> None:
        """Analyse the design now, single failures included; the findings reach the problems panel."""
        self.coordinator.run(failures=True)

    def _on_coordinator_results_ready(self, results: Results, _sweep: object) -> None:
        self._release_held_problems()
        self.problems_panel.set_pending(False)
        # any newer analysis supersedes the electrical checks pending or under way
        self._electrical_generation += 1
        if results.failures_analysed:  # the idle pass: the electrical checks follow on a timer of their own
            self._electrical_results = results
            self.electrical_timer.start()
        else:  # the user is at work (an edit, a slider moving): the idle pass that follows brings them back
            self._electrical_results = None
            self.electrical_timer.stop()
        findings = [*results.findings, *self.electrical_findings]
        if findings != self.analysis_findings:  # a share move often leaves them as they were
            self.analysis_findings = findings
            self._on_scene_problems_changed()

    def _on_electrical_timer_timeout(self) -> None:
        """Run the electrical checks on the last idle results, on a worker thread (a second at 10k racks:
        kept off the edit path and off the window's thread), one run at a time; a newer analysis makes
        the answer stale, and it is dropped."""
        if self._electrical_jobs:
            return  # one at a time: the running job's report starts the timer again
        if user_waiting() or self.coordinator.failures_job is not None:  # an export or the idle pass runs: later
            self.electrical_timer.start()
            return
        results, self._electrical_results = self._electrical_results, None
        if results is None:
            return
        project = self.document.project
        snapshot = project.snapshot()
        catalog = merged_catalog(self.document.catalog, project.custom_catalog)
        generation = self._electrical_generation

        def work(_progress: object) -> ElectricalChecks:
            return _electrical_checks(snapshot, catalog, results)

        job: BackgroundJob[ElectricalChecks] = BackgroundJob(work)
        # a bound slot of the window: Qt drops the connection if the window goes first
        job.signals.finished.connect(self._on_electrical_job_finished)
        self._electrical_jobs[job] = (results, generation)
        job.start()

    def _on_electrical_job_finished(self) -> None:
        for job, (results, generation) in list(self._electrical_jobs.items()):
            if job.result is None and job.error is None:
                continue  # still running
            del self._electrical_jobs[job]
            if generation == self._electrical_generation and job.result is not None:
                findings, electrical = job.result
                self._show_electrical_findings(results, findings)
                if electrical is not None:  # the diagram's labels and the swings beside the transition
                    self.views.single_line.show_electrical(results, electrical)
                    self.dashboard.show_swings(electrical.swings)
        if self._electrical_results is not None and not self._electrical_jobs:
            self.electrical_timer.start()  # newer idle results waited for this job
        release_free_memory()  # the job's working memory (its worker's C heap arena) back to the system

    def _show_electrical_findings(self, results: Results, findings: list[Finding]) -> None:
        if findings != self.electrical_findings:
            self.electrical_findings = findings
            self.analysis_findings = [*results.findings, *findings]
            self._on_scene_problems_changed()

    def _on_coordinator_analysis_failed(self, message: str) -> None:
        self._release_held_problems()
        self.problems_panel.set_pending(False)
        self.analysis_findings = [Finding("error", "analysis_failed", message)]
        self._on_scene_problems_changed()

    def _on_problems_item_activated(self, ids: list[str]) -> None:
        self.views.setCurrentWidget(self.canvas)
        items = self.document.project.items
        halls = [items[i].hall_id for i in ids if i in items]
        if halls and self.document.current_hall_id not in halls:
            self.document.set_current_hall(halls[0])
        self.document.set_selection(ids)
        self.view.zoom_to_selection()

    # ----------------------------------------------------------------- halls, modes, palette
    def _fill_hall_combo(self) -> None:
        self.hall_combo.blockSignals(True)
        self.hall_combo.clear()
        for hall in self.document.project.halls.values():
            self.hall_combo.addItem(hall.name or hall.id, hall.id)
        self.hall_combo.setCurrentIndex(max(self.hall_combo.findData(self.document.current_hall_id), 0))
        self.hall_combo.blockSignals(False)

    def _on_hall_combo_changed(self, index: int) -> None:
        hall_id = self.hall_combo.itemData(index)
        if hall_id:
            self.document.set_current_hall(hall_id)

    def _on_document_current_hall_changed(self, hall_id: str) -> None:
        index = self.hall_combo.findData(hall_id)
        if index != self.hall_combo.currentIndex():
            self._fill_hall_combo()

    def _on_document_project_replaced(self) -> None:
        QTimer.singleShot(0, settle_after_open)  # after every view has rebuilt for the new design
        # the last design's findings say nothing of this one: not known until its analysis reports
        self.analysis_findings, self.electrical_findings = [], []
        self.problems_panel.set_pending(True)
        self._on_scene_problems_changed()
        self._fill_hall_combo()
        self.update_title()
        self._update_selection_status()
        self.history_panel.set_undo_stack(self.document.undo_stack)

    def _on_feed_combo_changed(self, index: int) -> None:
        self.editor.feed = self.feed_combo.itemData(index)

    def _on_select_mode_toggled(self, on: bool) -> None:
        if on:
            self.set_mode(EditMode.SELECT)

    def _on_connect_mode_toggled(self, on: bool) -> None:
        if on:
            self.set_mode(EditMode.CONNECT)

    def set_mode(self, mode: str) -> None:
        """Switch the canvas tool (the scene swaps its interaction object and the view's drag mode)."""
        self.scene.set_mode(mode)
        {EditMode.SELECT: self.action_select_mode, EditMode.CONNECT: self.action_connect_mode}[mode].setChecked(True)

    def _on_palette_place_requested(self, record_id: str, is_pod: bool) -> None:
        centre = self.editor.view_centre()
        if is_pod:
            self.editor.drop_pod(record_id, centre)
        else:
            self.editor.drop_catalog_entry(record_id, centre)

    def place_row_dialog(self) -> None:
        selected = self.document.selected_ids()
        default = self.document.project.items[selected[0]].catalog_id if selected else None
        dialog = PlaceRowDialog(self.document.catalog, self, default)
        if dialog.exec() == PlaceRowDialog.DialogCode.Accepted:
            catalog_id, count = dialog.values()
            self.editor.place_row(catalog_id, count)

    # ----------------------------------------------------------------- halls
    def new_hall_dialog(self) -> None:
        project = self.document.project
        template = Hall(project.new_id("hall"), f"Hall {len(project.halls) + 1}", rectangle_mm(30_000, 20_000))
        dialog = HallDialog(template, new=True, parent=self)
        if dialog.exec() == HallDialog.DialogCode.Accepted:
            hall = dialog.hall()
            self.document.push(AddHallCommand(project, hall))
            self.document.set_current_hall(hall.id)
            self.view.zoom_to_fit()

    def hall_properties_dialog(self) -> None:
        project = self.document.project
        hall = project.halls.get(self.document.current_hall_id)
        if hall is None:
            return
        dialog = HallDialog(hall, new=False, parent=self)
        if dialog.exec() == HallDialog.DialogCode.Accepted:
            changed = dialog.hall()
            if changed != hall:
                self.document.push(UpdateHallCommand(project, changed))
                self.view.zoom_to_fit()

    def delete_current_hall(self) -> None:
        project = self.document.project
        hall = project.halls.get(self.document.current_hall_id)
        if hall is None:
            return
        held = sum(item.hall_id == hall.id for item in project.items.values())
        if held:
            self._show_message(f"Hall {hall.name} still holds {held} items: delete or move them first")
            return
        if len(project.halls) == 1:
            self._show_message(f"Hall {hall.name} is the design's only hall")
            return
        self.document.push(RemoveHallCommand(project, hall.id))

    def save_selection_as_pod(self) -> Path | None:
        """Ask for a name, write the selection as a template to the user's pods folder, add it to the palette."""
        from designer.io.pods_io import save_user_pod
        from designer.model.pods import template_from_items

        project = self.document.project
        items = [project.items[i] for i in self.document.selected_ids()]
        if not items:
            self._say("Select the items of the pod first")
            return None
        name, accepted = QInputDialog.getText(self, "Save as Pod Template", "Name of the pod template:")
        if not accepted or not name.strip():
            return None
        slug = "".join(ch if ch.isalnum() else "_" for ch in name.strip().lower()).strip("_")
        ids = {item.id for item in items}
        links = [c for c in project.connections.values() if c.source_id in ids and c.target_id in ids]
        template = template_from_items(f"pod.user.{slug}", name.strip(), items, links)
        try:
            path = save_user_pod(template)
        except (OSError, FileFormatError) as error:
            show_critical(self, "Pod template not saved", f"Cannot write the pod template: {error}")
            return None
        self.document.pod_templates = {**self.document.pod_templates, template.id: template}
        self.palette_dock.set_catalog(self.document.catalog, self.document.pod_templates)
        self._say(f"Saved pod template '{template.name}' ({len(items)} items) to {path}")
        return path

    def what_if_fails(self) -> str:
        """For the one selected component: show what its failure takes down on the canvas (lost racks in
        the error colour, overloaded parts in the warning colour, the rest dimmed) under a banner that Esc
        closes; the affected items are selected and the result is said in the status bar too."""
        selected = self.document.selected_ids()
        if len(selected) != 1:
            return self._say("Select one power or cooling component to see what its failure takes down")
        component = selected[0]
        results = self.coordinator.results
        if results is None or not results.failures_analysed:
            results = self.coordinator.run(failures=True)
        if results is None:
            return self._say("The analysis failed; see the Problems panel")
        try:
            record = results.failure(component)
        except KeyError:
            graphic = self.scene.items_by_id.get(component)
            if graphic is not None and graphic.ghost:  # phased build-out: absent in the year shown
                return self._say(f"{component} is not in service in {self.scene.year}")
            return self._say(f"{component} is not part of the power or cooling chain")
        affected = [*record.racks_without_power, *record.racks_without_cooling, *record.overloaded]
        self.views.setCurrentWidget(self.canvas)
        item = self.document.project.items[component]
        if affected:  # show them where they stand: the canvas draws one hall at a time
            self.document.set_current_hall(self.document.project.items[affected[0]].hall_id)
        self.document.set_selection(affected or [component])
        result = WhatIfResult.from_record(record, item.label or component)
        self.layout_diff.close()  # one view over the canvas colours at a time
        self.what_if.show(result)
        self.dashboard.colouring.legend.hide()  # the banner keys the what-if colours; closing repaints both
        return self._say(result.sentence())

    def _say(self, message: str) -> str:
        self.statusBar().showMessage(message, 20_000)
        return message

    def present(self) -> None:
        """Full-screen presentation of the current hall (F5; Esc leaves)."""
        from designer.ui.presentation import open_presentation

        self.presentation = open_presentation(self.document)

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About DC Designer",
            f"<b>DC Designer</b> {__version__}<br>Floor plans, power and cooling chains for AI "
            "data centers.<br>Apache-2.0",
        )

    # ----------------------------------------------------------------- window events
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_plan(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # type: ignore[override]
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_plan(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.files.open_file(path)

    @staticmethod
    def _dropped_plan(event: QDragEnterEvent | QDropEvent) -> Path | None:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return None
        for url in mime.urls():
            url = QUrl(url)
            if url.isLocalFile() and url.toLocalFile().lower().endswith(".dcplan"):
                return Path(url.toLocalFile())
        return None

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.maybe_save():
            event.ignore()
            return
        self.files.close()  # saved or discarded: the autosave goes
        self.dashboard.close()
        drop_plans_of(self.document.project)  # the electrical checks' kept plan of this design goes with it
        # a project that outlives the window (the bench's campus, measured by one window after another)
        # held the whole window through these listeners: its analyzer, results and scene (~150 MB at 50k)
        self.document.detach()
        self.scene.detach()
        settings = QSettings(ORGANISATION, APPLICATION)
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState(DOCK_LAYOUT_VERSION))
        event.accept()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if not self._state_restored:
                apply_default_layout(self)
            self.view.zoom_to_fit()
            self._analyse_after_first_paint()

    def _analyse_after_first_paint(self) -> None:
        """The first analysis (with the dashboard's charts and the canvas' colours that follow it: about
        a second at 50,000 racks) waits until the floor has been painted once, so the design shows
        first; the editor's usual delay then runs from that paint. If no paint comes (the floor is
        behind another tab), it runs after ``FIRST_PAINT_WAIT_MS``."""
        self.coordinator.hold()
        # the placement check too (0.1 s at 50,000 racks): it runs with the first results
        self._problems_held = self.scene.hold_problems()
        self.view.painted.connect(self._on_view_first_painted)
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, self, self._on_view_first_painted)  # not once the window is gone

    def _on_view_first_painted(self) -> None:
        if self._waiting_first_paint:
            self._waiting_first_paint = False
            self.view.painted.disconnect(self._on_view_first_painted)
            self.coordinator.release(self.coordinator.edit_delay_ms)

    def _release_held_problems(self) -> None:
        """The placement check held back at the first show runs with the first analysis' results."""
        if self._problems_held:
            self._problems_held = False
            self.scene.refresh_problems()

    def _restore_settings(self) -> None:
        settings = QSettings(ORGANISATION, APPLICATION)
        geometry = settings.value("window/geometry")
        state = settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        self._state_restored = isinstance(state, QByteArray) and self.restoreState(state, DOCK_LAYOUT_VERSION)


def menu_titles(window: MainWindow) -> list[str]:
    """The menu bar's titles without accelerators (for tests and docs)."""
    return [action.text().replace("&", "") for action in window.menuBar().actions() if isinstance(action.menu(), QMenu)]


ElectricalChecks = tuple[list[Finding], "ElectricalResults | None"]
"""The findings of the electrical figures, and the figures (None when they could not be worked out)."""


def _electrical_checks(project: Project, catalog: Catalog, results: Results) -> ElectricalChecks:
    """The electrical figures (currents, breakers, cables, phases, autonomy, swings) and their findings."""
    try:
        electrical = electrical_figures(project, catalog, results)
    except (KeyError, ValueError, OSError) as error:  # e.g. a damaged conductor table: say so, keep going
        return [Finding("warning", "analysis_failed", f"electrical checks not run: {error}")], None
    return list(electrical.findings), electrical
