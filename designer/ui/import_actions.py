"""File ▸ Import ▸ a DXF drawing as the current hall's underlay; remove it; View ▸ Show Underlay; and the
data imports of designer.ui.data_import (items from a table, NetBox device types, a DCIM hall).

The drawing is read by the Qt-free ``designer.io.import_dxf``; the dialog only chooses the unit (the
header's ``$INSUNITS`` is often missing or wrong, so the size in metres is shown as the unit
changes), where the drawing goes and whether its extents become the hall outline. Every change is
one ``SetUnderlayCommand`` on the undo stack.
"""

from __future__ import annotations

import dataclasses
import math
import threading
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressDialog,
    QWidget,
)

from designer.io.import_dxf import (
    INSUNITS,
    MAX_SPAN_MM,
    UNIT_MM,
    DxfDrawing,
    DxfImportCancelled,
    DxfImportError,
    read_dxf,
    underlay_from_drawing,
)
from designer.model.records import Hall, PointMm, Underlay
from designer.ui.commands_underlay import SetUnderlayCommand
from designer.ui.data_import import DataImports
from designer.ui.host import FeatureHost
from designer.ui.menus import menu_titled
from designer.ui.plain_text import plain_label, show_critical
from designer.ui.weather_import import WeatherImport

UNIT_NAMES = {"mm": "millimetres", "cm": "centimetres", "m": "metres", "in": "inches", "ft": "feet"}
DXF_FILTER = "DXF drawings (*.dxf);;All files (*)"
MIN_OUTLINE_MM = 1_000.0
"""A project file refuses a hall smaller than 1 m across..."""
MAX_FLOOR_MM = 10_000_000.0
"""... or one reaching more than 10 km from the origin."""


class UnderlayDialog(QDialog):
    """Unit, placement and outline of a drawing about to go under ``hall``."""

    def __init__(self, drawing: DxfDrawing, hall: Hall, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import DXF drawing as hall underlay")
        self._drawing = drawing
        form = QFormLayout(self)
        form.addRow("File", plain_label(QLabel(drawing.file_name)))
        header = drawing.header_unit
        code = {unit: code for code, unit in INSUNITS.items()}.get(header or "", 0)
        self.header_label = QLabel(
            f"{UNIT_NAMES[header]} ($INSUNITS = {code})" if header else "not given ($INSUNITS missing or 0)"
        )
        form.addRow("Units in the file", self.header_label)
        self.unit_combo = QComboBox()
        for unit in UNIT_MM:
            self.unit_combo.addItem(f"{UNIT_NAMES[unit]} ({unit})", unit)
        self.unit_combo.setCurrentIndex(list(UNIT_MM).index(drawing.unit))
        form.addRow("Read the drawing in", self.unit_combo)
        self.size_label = QLabel()
        form.addRow("Size", self.size_label)
        self.warnings_label = plain_label(QLabel())
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setStyleSheet("color: #a05a00")
        form.addRow("", self.warnings_label)
        hall_x0, hall_y0, _, _ = hall.bounds_mm()
        self.offset_x = self._metres_box(hall_x0)
        self.offset_y = self._metres_box(hall_y0)
        offsets = QHBoxLayout()
        offsets.addWidget(QLabel("x"))
        offsets.addWidget(self.offset_x)
        offsets.addWidget(QLabel("y"))
        offsets.addWidget(self.offset_y)
        form.addRow("Top-left corner at", offsets)
        self.rotation = QDoubleSpinBox()
        self.rotation.setRange(-360.0, 360.0)
        self.rotation.setDecimals(1)
        self.rotation.setSuffix(" ° clockwise")
        form.addRow("Rotation", self.rotation)
        self.use_outline = QCheckBox("Use the drawing's outer boundary as the hall outline (its extents rectangle)")
        form.addRow("", self.use_outline)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.unit_combo.currentIndexChanged.connect(self._on_unit_combo_changed)
        self._on_unit_combo_changed()

    @staticmethod
    def _metres_box(value_mm: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(-10_000.0, 10_000.0)
        box.setDecimals(3)
        box.setSuffix(" m")
        box.setValue(value_mm / 1000)
        return box

    def drawing(self) -> DxfDrawing:
        """The drawing in the chosen unit."""
        return self._drawing.with_unit(str(self.unit_combo.currentData()))

    def _on_unit_combo_changed(self) -> None:
        try:
            drawing = self.drawing()
        except DxfImportError as error:
            self.size_label.setText("—")
            self.warnings_label.setText(error.problem)
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            self.use_outline.setEnabled(False)
            return
        width, depth = drawing.size_mm
        layers = ", ".join(drawing.layers[:6]) + (" …" if len(drawing.layers) > 6 else "")
        self.size_label.setText(
            f"{width / 1000:,.2f} m × {depth / 1000:,.2f} m  ({len(drawing.segments_mm):,} segments; layers {layers})"
        )
        self.warnings_label.setText("\n".join(drawing.warnings))
        self.warnings_label.setVisible(bool(drawing.warnings))
        fits = max(width, depth) <= MAX_SPAN_MM
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(fits)
        outline_ok = fits and min(width, depth) >= MIN_OUTLINE_MM
        self.use_outline.setEnabled(outline_ok)
        if not outline_ok:
            self.use_outline.setChecked(False)

    def underlay(self) -> Underlay:
        return underlay_from_drawing(
            self.drawing(),
            offset_mm=(self.offset_x.value() * 1000, self.offset_y.value() * 1000),
            rotation_deg=self.rotation.value(),
        )

    def outline_mm(self) -> tuple[PointMm, ...] | None:
        """The new hall outline when asked for: the extents rectangle, placed like the drawing."""
        if not (self.use_outline.isEnabled() and self.use_outline.isChecked()):
            return None
        width, depth = self.drawing().size_mm
        return placed_rectangle_mm(
            width, depth, self.offset_x.value() * 1000, self.offset_y.value() * 1000, self.rotation.value()
        )


def placed_rectangle_mm(
    width_mm: float, depth_mm: float, x_mm: float, y_mm: float, rotation_deg: float
) -> tuple[PointMm, ...]:
    """The rectangle (0, 0)-(width, depth) turned clockwise about its corner and moved to (x, y)."""
    radians = math.radians(rotation_deg)
    cos, sin = math.cos(radians), math.sin(radians)
    corners = ((0.0, 0.0), (width_mm, 0.0), (width_mm, depth_mm), (0.0, depth_mm))
    return tuple((round(x_mm + x * cos - y * sin, 1), round(y_mm + x * sin + y * cos, 1)) for x, y in corners)


class DxfReadJob(QObject):
    """Reads a DXF file on a worker thread; ``progressed`` carries the entities visited, ``done`` the end."""

    progressed = Signal(int)
    done = Signal()

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.drawing: DxfDrawing | None = None
        self.error: DxfImportError | None = None
        self._cancelled = threading.Event()

    def run(self) -> None:
        """The worker thread's body: touches only this job."""
        try:
            self.drawing = read_dxf(self.path, progress=self._report)
        except DxfImportError as error:
            self.error = error
        except Exception as error:  # a bug in a reader must reach the user as a message, not kill the thread
            self.error = DxfImportError(f"cannot read the drawing ({type(error).__name__}: {error})", file=self.path)
        finally:
            self.done.emit()

    def cancel(self) -> None:
        self._cancelled.set()

    def _report(self, visited: int) -> bool:
        self.progressed.emit(visited)
        return not self._cancelled.is_set()


def read_drawing_with_progress(parent: QWidget | None, path: Path) -> DxfDrawing:
    """Read ``path`` on a worker thread behind a progress dialog with Cancel (shown when it takes a while).

    Raises DxfImportError, or DxfImportCancelled when the user cancelled. The interface keeps
    painting meanwhile; Cancel takes effect once the file is parsed, between entities.
    """
    job = DxfReadJob(path)
    dialog = QProgressDialog(f"Reading {path.name}…", "Cancel", 0, 0, parent)
    dialog.setObjectName("DxfReadProgress")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    dialog.setValue(0)
    dialog.canceled.connect(job.cancel)
    job.progressed.connect(lambda visited: dialog.setLabelText(f"Reading {path.name}: {visited:,} entities"))
    loop = QEventLoop()
    job.done.connect(loop.quit)
    worker = threading.Thread(target=job.run, name="dxf-import", daemon=True)
    QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
    try:
        worker.start()
        loop.exec()
        worker.join()
    finally:
        QApplication.restoreOverrideCursor()
        dialog.reset()
        dialog.deleteLater()
    if job.error is not None:
        raise job.error
    assert job.drawing is not None
    return job.drawing


class UnderlayController:
    """File ▸ Import (DXF drawing as hall underlay, Remove Hall Underlay, weather file as site climate) and
    View ▸ Show Underlay."""

    def __init__(self, host: FeatureHost) -> None:
        self.host = host
        self.document = host.document
        parent = host.window()
        self.menu = QMenu("&Import", parent)
        self.menu.setObjectName("import_menu")
        self.import_action = QAction("&DXF Drawing as Hall Underlay…", parent)
        self.import_action.setObjectName("action_import_underlay")
        self.import_action.triggered.connect(self.import_drawing)
        self.remove_action = QAction("&Remove Hall Underlay", parent)
        self.remove_action.setObjectName("action_remove_underlay")
        self.remove_action.triggered.connect(self.remove)
        self.menu.addAction(self.import_action)
        self.menu.addAction(self.remove_action)
        self.weather = WeatherImport(host)
        self.weather_action = QAction("&Weather File (EPW) as Site Climate…", parent)
        self.weather_action.setObjectName("action_import_weather")
        self.weather_action.triggered.connect(self.weather.import_weather)
        self.menu.addSeparator()
        self.menu.addAction(self.weather_action)
        self.data = DataImports(host, self.menu)
        """Items from CSV/XLSX, NetBox device types, a hall from a DCIM inventory."""
        self.show_action = QAction("Show &Underlay", parent)
        self.show_action.setObjectName("action_show_underlay")
        self.show_action.setCheckable(True)
        self.show_action.toggled.connect(self.set_shown)

    def current_hall(self) -> Hall | None:
        return self.document.project.halls.get(self.document.current_hall_id)  # type: ignore[no-any-return]

    def ask_for_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.host.window(), "Import DXF drawing as hall underlay", "", DXF_FILTER)
        return Path(name) if name else None

    def import_drawing(self) -> None:
        hall = self.current_hall()
        if hall is None:
            return
        path = self.ask_for_path()
        if path is None:
            return
        try:
            drawing = read_drawing_with_progress(self.host.window(), path)
        except DxfImportCancelled:
            self._status("Import cancelled")
            return
        except DxfImportError as error:
            show_critical(self.host.window(), "Cannot import the drawing", error.one_line())
            return
        dialog = UnderlayDialog(drawing, hall, self.host.window())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            underlay = dialog.underlay()
        except DxfImportError as error:
            show_critical(self.host.window(), "Cannot import the drawing", error.one_line())
            return
        outline = dialog.outline_mm()
        if outline is not None and max(max(abs(x), abs(y)) for x, y in outline) > MAX_FLOOR_MM:
            # a project file refuses such a hall: better say so now than when the file is opened
            show_critical(
                self.host.window(),
                "Cannot use the drawing as the outline",
                "The outline would reach more than 10 km out.",
            )
            return
        command = SetUnderlayCommand(self.document.project, hall.id, underlay, outline_mm=outline)
        self.document.undo_stack.push(command)
        self._status(f"Underlay {underlay.source_name}: {underlay.segment_count:,} segments under {hall.name}")

    def remove(self) -> None:
        hall = self.current_hall()
        if hall is not None and hall.underlay is not None:
            self.document.undo_stack.push(SetUnderlayCommand(self.document.project, hall.id, None))

    def set_shown(self, shown: bool) -> None:
        hall = self.current_hall()
        if hall is None or hall.underlay is None or hall.underlay.visible == shown:
            return
        underlay = dataclasses.replace(hall.underlay, visible=shown)
        text = f"{'Show' if shown else 'Hide'} underlay of {hall.name}"
        self.document.undo_stack.push(SetUnderlayCommand(self.document.project, hall.id, underlay, text=text))

    def refresh(self, *_args: object) -> None:
        """Enable the actions for the current hall (after an edit, an undo or a hall change)."""
        hall = self.current_hall()
        underlay = hall.underlay if hall is not None else None
        self.remove_action.setEnabled(underlay is not None)
        show = self.show_action
        show.setEnabled(underlay is not None)
        show.blockSignals(True)  # reflect the model without pushing a command
        show.setChecked(underlay is not None and underlay.visible)
        show.blockSignals(False)

    def _status(self, text: str) -> None:
        self.host.statusBar().showMessage(text, 8000)


def install_import_actions(host: FeatureHost, before: QAction | None = None) -> UnderlayController:
    """Add File ▸ Import ▸ ... (before ``before``, the Export menu's action) and View ▸ Show Underlay."""
    controller = UnderlayController(host)
    file_menu = menu_titled(host, "File")
    if before is not None and before in file_menu.actions():
        file_menu.insertMenu(before, controller.menu)
    else:
        file_menu.addMenu(controller.menu)
    menu_titled(host, "View").addAction(controller.show_action)
    document = host.document
    document.undo_stack.indexChanged.connect(controller.refresh)
    document.current_hall_changed.connect(controller.refresh)
    document.project_replaced.connect(controller.refresh)
    controller.refresh()
    return controller
