"""File ▸ Export: plan sheets, DXF, bill of materials and the stakeholder report from the main window.

Every export runs on a worker thread (``designer.ui.background``) from a snapshot of the project,
behind a progress dialog with Cancel, so the window keeps painting and answering. It renders to
memory first and replaces the target atomically as its last step, so a cancelled or failed export
never leaves a half-written file. The plan and report writers paint with QPainter on QImage,
QPdfWriter and QSvgGenerator, which Qt allows off the GUI thread; none of them touches the canvas'
QGraphicsScene (they draw from the model), which is not thread-safe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QMenu,
    QSpinBox,
    QWidget,
)

from designer.export_cli import DPI_RANGE
from designer.exports import EXPORT_FORMATS, EXPORTS, ExportJob, run_export
from designer.model.catalog import merged_catalog
from designer.ui.background import BackgroundJob
from designer.ui.export.page import PAGE_SIZES, ExportCancelled
from designer.ui.export.plan import STANDARD_SCALES, PlanOptions
from designer.ui.export.plan_painter import COOLING, POWER, UTILISATION
from designer.ui.host import FeatureHost
from designer.ui.menus import menu_titled
from designer.ui.plain_text import show_warning


class PlanOptionsDialog(QDialog):
    """Sheet size, orientation, scale, resolution and overlays of a plan export."""

    def __init__(self, fmt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Export plan as {fmt.upper()}")
        form = QFormLayout(self)
        self.page = QComboBox()
        self.page.addItems(list(PAGE_SIZES))
        self.page.setCurrentText("A3")
        self.orientation = QComboBox()
        self.orientation.addItems(["Landscape", "Portrait"])
        self.scale = QComboBox()
        self.scale.addItem("Largest standard scale that fits", None)
        for s in STANDARD_SCALES:
            self.scale.addItem(f"1:{s}", s)
        self.dpi = QSpinBox()
        self.dpi.setRange(*DPI_RANGE)
        self.dpi.setValue(150)
        self.dpi.setSuffix(" dpi")
        self.dpi.setEnabled(fmt == "png")
        self.power = QCheckBox("Power connections")
        self.cooling = QCheckBox("Cooling connections")
        self.utilisation = QCheckBox("Utilisation colours (runs the analysis)")
        self.utilisation.setChecked(True)
        form.addRow("Page", self.page)
        form.addRow("Orientation", self.orientation)
        form.addRow("Scale", self.scale)
        form.addRow("Resolution", self.dpi)
        form.addRow("Overlays", self.power)
        form.addRow("", self.cooling)
        form.addRow("", self.utilisation)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def options(self) -> PlanOptions:
        overlays = {
            name
            for name, box in ((POWER, self.power), (COOLING, self.cooling), (UTILISATION, self.utilisation))
            if box.isChecked()
        }
        return PlanOptions(
            page=self.page.currentText(),
            landscape=self.orientation.currentIndex() == 0,
            scale=self.scale.currentData(),
            dpi=self.dpi.value(),
            overlays=frozenset(overlays),
        )


class ExportController:
    """Runs the exports of one window's document; tests call :meth:`run` with a path and options."""

    def __init__(self, host: FeatureHost, shown_year: Callable[[], int | None] = lambda: None) -> None:
        self.host = host
        self.shown_year = shown_year
        """The scenario year the window shows (None: the first): exports draw the design as built then."""
        self.last_error = ""
        self.job: BackgroundJob[int | None] | None = None
        """The export running now (its worker thread, progress dialog and Cancel)."""
        self.last_job: BackgroundJob[int | None] | None = None
        self.last_job_year: int | None = None
        """The scenario year the last export showed the design in."""

    # ----------------------------------------------------------------- helpers
    def _hall_id(self) -> str:
        document = self.host.document
        return document.current_hall_id or next(iter(document.project.halls), "")

    def ask_path(self, key: str) -> Path | None:
        export = EXPORTS[key]
        document = self.host.document
        stem = document.path.stem if document.path is not None else "design"
        start = str((document.path.parent if document.path else Path.home()) / f"{stem}{export.suffix}")
        title = export.label.replace("&", "").rstrip("…")
        name, _ = QFileDialog.getSaveFileName(self.host.window(), title, start, export.file_filter)
        return Path(name) if name else None

    # ----------------------------------------------------------------- exports
    def run(self, key: str, path: Path | None = None, plan_options: PlanOptions | None = None) -> bool:
        """Export ``key`` (an id of ``designer.exports.EXPORTS``) to ``path`` (asks when None); True when written."""
        if EXPORTS[key].plan and plan_options is None:
            dialog = PlanOptionsDialog(key, self.host.window())
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            plan_options = dialog.options()
        if path is None:
            path = self.ask_path(key)
            if path is None:
                return False
        self.last_error = ""
        try:
            self._export(key, Path(path), plan_options)
        except ExportCancelled:
            self._status("Export cancelled; nothing was written")
            return False
        except (ValueError, OSError) as error:
            self.last_error = str(error)
            if self.host.window().isVisible():
                show_warning(self.host.window(), "Export failed", str(error))
            self._status(f"Export failed: {error}")
            return False
        year = self.last_job_year
        self._status(f"Exported {path}" + (f" (as built in {year})" if year is not None else ""))
        return True

    def _export(self, key: str, path: Path, plan_options: PlanOptions | None) -> None:
        """Write the export on a worker thread from a snapshot of the project (the window stays live,
        and may even be edited: the export shows the design as it was when asked for)."""
        export = EXPORTS[key]
        document = self.host.document
        self.last_job_year = self.shown_year()
        job = ExportJob(
            document.project.snapshot(),
            merged_catalog(document.catalog, document.project.custom_catalog),
            self._hall_id(),
            path,
            plan=plan_options,
            source=document.path,
            year=self.last_job_year,
        )
        title = export.progress_title or f"Exporting {export.label.replace('&', '').rstrip('…')}"
        self.job = BackgroundJob(partial(run_export, key, job))
        try:
            self.job.run_with_dialog(self.host.window(), title)
        finally:
            self.last_job, self.job = self.job, None

    def _status(self, text: str) -> None:
        self.host.statusBar().showMessage(text, 8000)


@dataclass(frozen=True, slots=True)
class ExportMenu:
    """What ``install_export_actions`` built: the controller, File ▸ Export and its actions by format id."""

    controller: ExportController
    menu: QMenu
    actions: dict[str, QAction]


def install_export_actions(
    host: FeatureHost, before: QAction | None = None, shown_year: Callable[[], int | None] = lambda: None
) -> ExportMenu:
    """Add File ▸ Export ▸ ... to ``host``'s menu bar, before the separator above ``before`` (File ▸ Quit);
    ``shown_year`` gives the scenario year the window shows, which the exports draw the design in."""
    controller = ExportController(host, shown_year)
    file_menu = menu_titled(host, "File")
    export_menu = QMenu("&Export", file_menu)
    export_menu.setObjectName("export_menu")
    actions: dict[str, QAction] = {}
    for export in EXPORT_FORMATS:
        if actions and export.menu_group != EXPORTS[list(actions)[-1]].menu_group:
            export_menu.addSeparator()
        action = QAction(export.label, host.window())
        action.setObjectName(f"action_export_{export.id}")
        action.triggered.connect(lambda _checked=False, k=export.id: controller.run(k))
        export_menu.addAction(action)
        actions[export.id] = action
    # before the Quit action's separator, after the save actions
    entries = file_menu.actions()
    anchor = None
    if before is not None and before in entries:
        index = entries.index(before)
        anchor = entries[index - 1] if index > 0 and entries[index - 1].isSeparator() else before
    if anchor is not None:
        file_menu.insertMenu(anchor, export_menu)
        file_menu.insertSeparator(anchor)
    else:
        file_menu.addMenu(export_menu)
    return ExportMenu(controller, export_menu, actions)
