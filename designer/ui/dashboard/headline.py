"""HeadlineFigures: the dashboard's big numbers (IT and facility peak, PUE, risk, stranded, latency)."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from designer.analysis.report_json import ERROR_COLOUR
from designer.ui.dashboard.series import FIGURE_TITLES, HeadlineValues, format_figures
from designer.ui.plain_text import plain_html

MAX_ROWS = 3
"""A strip of figures wraps to at most this many rows before the figures start to be cut."""

TOOLTIPS = {
    "it_peak": "Peak IT power over the design day at the current inference share",
    "facility_peak": "Peak facility power (IT + electrical losses + cooling) on the design day",
    "annual_pue": "PUE: facility energy over IT energy across the year, from the site's climate. "
                  "WUE (L/kWh): litres of water the towers and wetted adiabatic coolers evaporate per kWh of IT "
                  "energy. CUE (kg/kWh): kg CO2 of the facility's energy per kWh of IT, at the site's grid carbon "
                  "intensity (* = a default)",
    "racks_at_risk": "Unserved: racks without live power or cooling now (their load is not counted). "
                     "At risk: racks that lose power or cooling when some single component fails "
                     "(computed shortly after the last change)",
    "stranded": "Power capacity that cannot be used because another resource (cooling, space, floor) runs out first",
    "latency": "Fibre round trip to the nearest user region (great circle x 1.5, 1 ms per 100 km); "
               "— until the site's location is set in File > Site",
}


class HeadlineFigures(QWidget):
    """Title / value pairs; ``values[key]`` holds the value label of each figure.

    Laid out in one row (``set_horizontal(True)``: a strip above the floor plan, the default) or in a
    two-column grid (docked at a side).
    """

    layout_changed = Signal()
    """The figures moved to more or fewer rows: the dock may need another height."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HeadlineFigures")
        self.rows = 1
        """Rows of figures in the horizontal layout: 1, or 2 when one row does not fit the width."""
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(8, 4, 8, 4)
        self.grid.setVerticalSpacing(0)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.45)
        big.setBold(True)
        self.values: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        self.context = QLabel("")
        self.context.setObjectName("HeadlineContext")
        for key, title in FIGURE_TITLES:
            caption = QLabel(title)
            caption.setToolTip(TOOLTIPS[key])
            value = QLabel("—")
            value.setFont(big)
            value.setToolTip(TOOLTIPS[key])
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.captions[key], self.values[key] = caption, value
        self.horizontal: bool | None = None
        self.set_horizontal(False)
        self.figures: HeadlineValues | None = None

    def set_horizontal(self, horizontal: bool) -> None:
        """One row of figures (True) or two columns (False)."""
        if horizontal == self.horizontal:
            return
        self.horizontal = horizontal
        self._regrid()

    def _regrid(self) -> None:
        horizontal = bool(self.horizontal)
        grid = self.grid
        for widget in (self.context, *self.captions.values(), *self.values.values()):
            grid.removeWidget(widget)
        for row in range(grid.rowCount()):
            grid.setRowStretch(row, 0)
        for column in range(grid.columnCount()):
            grid.setColumnStretch(column, 0)
        if horizontal:
            grid.setHorizontalSpacing(24)
            grid.addWidget(self.context, 0, 0, 2 * self.rows, 1, Qt.AlignmentFlag.AlignTop)
            per_row = math.ceil(len(FIGURE_TITLES) / self.rows)
            for index, (key, _title) in enumerate(FIGURE_TITLES):
                row, column = 2 * (index // per_row), 1 + index % per_row
                grid.addWidget(self.captions[key], row, column)
                grid.addWidget(self.values[key], row + 1, column)
            grid.setColumnStretch(per_row + 1, 1)
        else:
            grid.setHorizontalSpacing(16)
            grid.addWidget(self.context, 0, 0, 1, 2)
            for index, (key, _title) in enumerate(FIGURE_TITLES):
                row, column = 1 + 2 * (index // 2), index % 2
                grid.addWidget(self.captions[key], row, column)
                grid.addWidget(self.values[key], row + 1, column)
            grid.setRowStretch(1 + 2 * ((len(FIGURE_TITLES) + 1) // 2), 1)

    def width_for_rows(self, rows: int) -> int:
        """Pixels the figures need laid out in ``rows`` rows (each column as wide as its widest figure)."""
        spacing = self.grid.horizontalSpacing()
        margins = self.grid.contentsMargins()
        widths = [max(self.captions[key].sizeHint().width(), self.values[key].sizeHint().width())
                  for key, _title in FIGURE_TITLES]
        per_row = math.ceil(len(widths) / rows)
        columns = [max(widths[i::per_row]) for i in range(per_row)]
        return (self.context.sizeHint().width() + sum(columns) + spacing * len(columns)
                + margins.left() + margins.right())

    def one_row_width(self) -> int:
        """Pixels the figures need side by side in one row."""
        return self.width_for_rows(1)

    def fit_width(self, width: int) -> None:
        """As few rows of figures as fit ``width`` without cutting one, at most MAX_ROWS (horizontal layout)."""
        if not self.horizontal:
            return
        rows = next((r for r in range(1, MAX_ROWS + 1) if self.width_for_rows(r) <= width), MAX_ROWS)
        if rows != self.rows:
            self.rows = rows
            self._regrid()
            self.layout_changed.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_width(event.size().width())

    def follow_dock_area(self, area: Qt.DockWidgetArea) -> None:
        """Lay out for the dock area the figures were moved to (a row at the top or bottom)."""
        self.set_horizontal(area in (Qt.DockWidgetArea.TopDockWidgetArea, Qt.DockWidgetArea.BottomDockWidgetArea))

    def show_figures(self, figures: HeadlineValues) -> None:
        self.figures = figures
        for key, text in format_figures(figures).items():
            self.values[key].setText(text)
        # unserved racks are an error now, not a risk: say so in the error colour
        # (set only on a change: a style sheet set again polishes the label again, on every share move)
        style = f"color: {ERROR_COLOUR};" if figures.racks_unserved else ""
        if self.values["racks_at_risk"].styleSheet() != style:
            self.values["racks_at_risk"].setStyleSheet(style)
        tip = plain_html(f"{TOOLTIPS['annual_pue']}. Grid carbon: {figures.carbon_source}")
        if self.values["annual_pue"].toolTip() != tip:
            self.values["annual_pue"].setToolTip(tip)
        year = f"\nscenario year {figures.year}" if figures.year is not None else ""
        self.context.setText(f"At {figures.inference_share * 100:.1f} % inference{year}")
        self.fit_width(self.width())  # longer values may no longer fit one row

    def text_of(self, key: str) -> str:
        return self.values[key].text()
