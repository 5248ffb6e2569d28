"""File ▸ Export: plan sheets, DXF, bill of materials and the stakeholder report from the main window.

Every export renders to memory first and replaces the target atomically, so a cancelled or failed
export never leaves a half-written file. Long exports show a cancellable progress dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QMenu,
    QProgressDialog,
    QSpinBox,
    QWidget,
)

from designer.analysis.engine import analyze
from designer.analysis.findings import merged_catalog
from designer.analysis.results import Results
from designer.export_cli import DPI_RANGE
from designer.ui.export.page import PAGE_SIZES, ExportCancelled
from designer.ui.export.plan import STANDARD_SCALES, PlanExporter, PlanOptions
from designer.ui.export.plan_painter import COOLING, POWER, UTILISATION
from designer.ui.menus import menu_titled
from designer.ui.plain_text import show_warning

EXPORTS = (
    ("plan_png", "Plan as &PNG…", "PNG image (*.png)"),
    ("plan_svg", "Plan as &SVG…", "SVG drawing (*.svg)"),
    ("plan_pdf", "Plan as P&DF…", "PDF document (*.pdf)"),
    ("dxf", "&DXF drawing…", "DXF drawing (*.dxf)"),
    ("bom_csv", "Bill of materials (&CSV)…", "CSV table (*.csv)"),
    ("bom_xlsx", "Bill of materials (&XLSX)…", "Excel workbook (*.xlsx)"),
    ("report", "Stakeholder &report…", "PDF document (*.pdf)"),
)


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
    """Runs the exports of one main window; tests call :meth:`run` with a path and options."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.last_error = ""

    # ----------------------------------------------------------------- helpers
    def _catalog(self) -> Any:
        document = self.window.document
        return document.catalog.merged(document.project.custom_catalog.values())

    def _results(self) -> Results:
        document = self.window.document
        return analyze(document.project, merged_catalog(document.catalog, document.project.custom_catalog))

    def _hall_id(self) -> str:
        document = self.window.document
        return document.current_hall_id or next(iter(document.project.halls), "")

    def ask_path(self, key: str) -> Path | None:
        label, pattern = next((t, p) for k, t, p in EXPORTS if k == key)
        document = self.window.document
        stem = document.path.stem if document.path is not None else "design"
        suffix = pattern.split("*")[1].rstrip(")")
        start = str((document.path.parent if document.path else Path.home()) / f"{stem}{suffix}")
        name, _ = QFileDialog.getSaveFileName(self.window, label.replace("&", "").rstrip("…"), start, pattern)
        return Path(name) if name else None

    def _with_progress(self, title: str, work: Callable[[Callable[[int, int, str], bool]], Any]) -> Any:
        dialog = QProgressDialog(title, "Cancel", 0, 100, self.window)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setValue(0)

        def progress(done: int, total: int, what: str) -> bool:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(done)
            dialog.setLabelText(f"{title}: {what}")
            QCoreApplication.processEvents()
            return not dialog.wasCanceled()

        try:
            return work(progress)
        finally:
            dialog.reset()
            dialog.deleteLater()

    # ----------------------------------------------------------------- exports
    def run(self, key: str, path: Path | None = None, plan_options: PlanOptions | None = None) -> bool:
        """Export ``key`` (see EXPORTS) to ``path`` (asks when None); True when a file was written."""
        if key.startswith("plan_") and plan_options is None:
            dialog = PlanOptionsDialog(key.split("_")[1], self.window)
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
            if self.window.isVisible():
                show_warning(self.window, "Export failed", str(error))
            self._status(f"Export failed: {error}")
            return False
        self._status(f"Exported {path}")
        return True

    def _export(self, key: str, path: Path, plan_options: PlanOptions | None) -> None:
        project = self.window.document.project
        catalog = self._catalog()
        if key.startswith("plan_"):
            options = plan_options or PlanOptions()

            def work(progress: Callable[[int, int, str], bool]) -> None:
                if not progress(0, 3, "analysing"):
                    raise ExportCancelled
                results = self._results() if UTILISATION in options.overlays else None
                if not progress(1, 3, "drawing"):
                    raise ExportCancelled
                exporter = PlanExporter(project, catalog, self._hall_id(), options, results=results)
                data = exporter.render(key.split("_")[1])
                if not progress(2, 3, "writing"):
                    raise ExportCancelled
                from designer.io.atomic_write import atomic_write_bytes

                atomic_write_bytes(path, data, keep_backup=False)

            self._with_progress("Exporting the plan", work)
        elif key == "dxf":
            from designer.io.export_dxf import export_dxf

            export_dxf(project, catalog, self._hall_id(), path)
        elif key in ("bom_csv", "bom_xlsx"):
            from designer.io.export_bom import (
                bill_of_materials,
                schedule_rows_from_results,
                write_bom_csv,
                write_bom_xlsx,
            )

            rows = bill_of_materials(project, catalog)
            if key == "bom_csv":
                write_bom_csv(rows, path)
            else:
                write_bom_xlsx(rows, path, schedule_rows_from_results(self._results(), project))
        elif key == "report":
            from designer.ui.export.report import StakeholderReport

            def work(progress: Callable[[int, int, str], bool]) -> None:
                if not progress(0, 1, "analysing"):
                    raise ExportCancelled
                StakeholderReport(project, catalog).export(path, progress)

            self._with_progress("Writing the stakeholder report", work)
        else:
            raise ValueError(f"unknown export {key!r}")

    def _status(self, text: str) -> None:
        status = getattr(self.window, "statusBar", None)
        if callable(status):
            status().showMessage(text, 8000)


def install_export_actions(window: Any) -> None:
    """Add File ▸ Export ▸ ... to ``window`` (a MainWindow with ``document``); idempotent.

    Sets ``window.export_controller`` and ``window.export_actions`` (key -> QAction).
    """
    if getattr(window, "export_controller", None) is not None:
        return
    controller = ExportController(window)
    file_menu = menu_titled(window, "File")
    export_menu = QMenu("&Export", file_menu)
    export_menu.setObjectName("export_menu")
    actions: dict[str, QAction] = {}
    for key, text, _pattern in EXPORTS:
        if key in ("dxf", "report"):
            export_menu.addSeparator()
        action = QAction(text, window)
        action.setObjectName(f"action_export_{key}")
        action.triggered.connect(lambda _checked=False, k=key: controller.run(k))
        export_menu.addAction(action)
        actions[key] = action
    # before the Quit action's separator, after the save actions
    quit_action = getattr(window, "action_quit", None)
    entries = file_menu.actions()
    anchor = None
    if quit_action is not None and quit_action in entries:
        index = entries.index(quit_action)
        anchor = entries[index - 1] if index > 0 and entries[index - 1].isSeparator() else quit_action
    if anchor is not None:
        file_menu.insertMenu(anchor, export_menu)
        file_menu.insertSeparator(anchor)
    else:
        file_menu.addMenu(export_menu)
    window.export_menu = export_menu
    window.export_controller = controller
    window.export_actions = actions
