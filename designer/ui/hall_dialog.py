"""HallDialog: a new hall or an existing one's name, outline (a rectangle or typed corners in metres),
floor tile and rating, and an optional grid of building columns. It stays open on a bad value and says
which field is wrong."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from designer.model.hall_shapes import (
    ShapeError,
    column_grid,
    format_outline_m,
    parse_outline_m,
    rectangle_mm,
    rectangle_size_mm,
)
from designer.model.records import Hall
from designer.model.types import AirManagement, FloorType, ObstacleKind

AIR_MANAGEMENT_TEXT = {
    AirManagement.FULL: "Full containment, variable-speed fans",
    AirManagement.PARTIAL: "Partial separation, variable-speed fans",
    AirManagement.OPEN: "Open aisles (legacy), fixed-speed fans",
}

RECTANGLE, OUTLINE = 0, 1


def _spin(low: float, high: float, value: float, suffix: str, decimals: int = 2, step: float = 1.0) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setDecimals(decimals)
    spin.setSingleStep(step)
    spin.setSuffix(suffix)
    spin.setValue(value)
    spin.setKeyboardTracking(False)
    return spin


class HallDialog(QDialog):
    """Edit ``hall`` (a template with the id to use for a new one); ``hall()`` gives the result."""

    def __init__(self, hall: Hall, *, new: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New Hall" if new else f"Hall Properties: {hall.name}")
        self._original = hall
        self.name_edit = QLineEdit(hall.name)
        self.shape_combo = QComboBox()
        self.shape_combo.addItems(["Rectangle", "Corner list (L-shapes, …)"])
        size = rectangle_size_mm(hall.outline_mm)
        width_mm, depth_mm = size if size is not None else (30_000.0, 20_000.0)
        self.width_spin = _spin(1.0, 2000.0, width_mm / 1000, " m")
        self.depth_spin = _spin(1.0, 2000.0, depth_mm / 1000, " m")
        self.outline_edit = QPlainTextEdit(format_outline_m(hall.outline_mm))
        self.outline_edit.setPlaceholderText("x, y in metres, one corner per line")
        self.outline_edit.setToolTip("One corner per line as “x, y” in metres, in order around the hall; "
                                     "y grows toward the bottom of the plan")
        rectangle = QWidget()
        rectangle_row = QHBoxLayout(rectangle)
        rectangle_row.setContentsMargins(0, 0, 0, 0)
        rectangle_row.addWidget(QLabel("Width"))
        rectangle_row.addWidget(self.width_spin)
        rectangle_row.addWidget(QLabel("Depth"))
        rectangle_row.addWidget(self.depth_spin)
        self.shape_stack = QStackedWidget()
        self.shape_stack.addWidget(rectangle)
        self.shape_stack.addWidget(self.outline_edit)
        self.shape_combo.currentIndexChanged.connect(self.shape_stack.setCurrentIndex)
        self.shape_combo.setCurrentIndex(RECTANGLE if size is not None else OUTLINE)
        self.tile_spin = _spin(100.0, 2000.0, hall.tile_mm, " mm", 0, 50.0)
        self.floor_combo = QComboBox()
        for floor in FloorType:
            self.floor_combo.addItem(floor.value.capitalize(), floor)
        self.floor_combo.setCurrentIndex(self.floor_combo.findData(hall.floor_type))
        self.rating_spin = _spin(100.0, 20_000.0, hall.floor_rating_kg_m2, " kg/m²", 0, 100.0)
        self.air_combo = QComboBox()
        for management, text in AIR_MANAGEMENT_TEXT.items():
            self.air_combo.addItem(text, management)
        self.air_combo.setCurrentIndex(self.air_combo.findData(hall.air_management))
        self.air_combo.setToolTip("How well the hall keeps supply and return air apart: sets how much air its fans "
                                  "move and whether they slow down (docs/method.md section 5)")
        columns = sum(o.kind is ObstacleKind.COLUMN for o in hall.obstacles)
        self.columns_check = QCheckBox(f"Replace the {columns} columns with a grid" if columns
                                       else "Place building columns on a grid")
        self.pitch_x_spin = _spin(2.0, 100.0, 9.0, " m", 2, 0.5)
        self.pitch_y_spin = _spin(2.0, 100.0, 9.0, " m", 2, 0.5)
        self.column_size_spin = _spin(100.0, 2000.0, 600.0, " mm", 0, 50.0)
        grid = QWidget()
        grid_row = QHBoxLayout(grid)
        grid_row.setContentsMargins(0, 0, 0, 0)
        grid_fields = (("Pitch x", self.pitch_x_spin), ("y", self.pitch_y_spin), ("Size", self.column_size_spin))
        for label, widget in grid_fields:
            grid_row.addWidget(QLabel(label))
            grid_row.addWidget(widget)
        grid.setEnabled(False)
        self.columns_check.toggled.connect(grid.setEnabled)
        self.error_label = QLabel("")
        self.error_label.setObjectName("HallDialogError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #D55E00;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Name", self.name_edit)
        form.addRow("Shape", self.shape_combo)
        form.addRow("", self.shape_stack)
        form.addRow("Floor tile", self.tile_spin)
        form.addRow("Floor", self.floor_combo)
        form.addRow("Floor rating", self.rating_spin)
        form.addRow("Air management", self.air_combo)
        form.addRow("Columns", self.columns_check)
        form.addRow("", grid)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def hall(self) -> Hall:
        """The hall as entered; raises ShapeError naming the field that is wrong."""
        name = self.name_edit.text().strip()
        if not name:
            raise ShapeError("Name: a hall needs a name")
        try:
            if self.shape_combo.currentIndex() == RECTANGLE:
                width_mm, depth_mm = self.width_spin.value() * 1000, self.depth_spin.value() * 1000
                outline = rectangle_mm(round(width_mm, 3), round(depth_mm, 3))
            else:
                outline = parse_outline_m(self.outline_edit.toPlainText())
        except ShapeError as error:
            raise ShapeError(f"Shape: {error}") from None
        obstacles = self._original.obstacles
        if self.columns_check.isChecked():
            try:
                columns = column_grid(outline, self.pitch_x_spin.value() * 1000, self.pitch_y_spin.value() * 1000,
                                      self.column_size_spin.value())
            except ShapeError as error:
                raise ShapeError(f"Columns: {error}") from None
            obstacles = tuple(o for o in obstacles if o.kind is not ObstacleKind.COLUMN) + columns
        return replace(self._original, name=name, outline_mm=outline, tile_mm=self.tile_spin.value(),
                       floor_type=FloorType(self.floor_combo.currentData()),
                       floor_rating_kg_m2=self.rating_spin.value(),
                       air_management=AirManagement(self.air_combo.currentData()),
                       obstacles=obstacles)

    def accept(self) -> None:
        try:
            self.hall()
        except ShapeError as error:
            self.error_label.setText(str(error))
            return
        self.error_label.setText("")
        super().accept()
