"""HeadlineFigures: the dashboard's big numbers (IT and facility peak, PUE, risk, stranded, latency)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from designer.ui.dashboard.series import FIGURE_TITLES, HeadlineValues, format_figures

TOOLTIPS = {
    "it_peak": "Peak IT power over the design day at the current inference share",
    "facility_peak": "Peak facility power (IT + electrical losses + cooling) on the design day",
    "annual_pue": "Facility energy over IT energy across the year, from the site's climate",
    "racks_at_risk": "Racks that lose power or cooling when some single component fails "
                     "(computed shortly after the last change)",
    "stranded": "Power capacity that cannot be used because another resource (cooling, space, floor) runs out first",
    "latency": "Fibre round trip to the nearest user region (great circle x 1.5, 1 ms per 100 km)",
}


class HeadlineFigures(QWidget):
    """A grid of title / value pairs; ``values[key]`` holds the value label of each figure."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HeadlineFigures")
        layout = QGridLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setHorizontalSpacing(16)
        layout.setVerticalSpacing(2)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.45)
        big.setBold(True)
        self.values: dict[str, QLabel] = {}
        self.context = QLabel("")
        self.context.setObjectName("HeadlineContext")
        layout.addWidget(self.context, 0, 0, 1, 2)
        for index, (key, title) in enumerate(FIGURE_TITLES):
            row, col = 1 + 2 * (index // 2), index % 2
            caption = QLabel(title)
            caption.setToolTip(TOOLTIPS[key])
            value = QLabel("—")
            value.setFont(big)
            value.setToolTip(TOOLTIPS[key])
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(caption, row, col)
            layout.addWidget(value, row + 1, col)
            self.values[key] = value
        layout.setRowStretch(layout.rowCount(), 1)
        self.figures: HeadlineValues | None = None

    def show_figures(self, figures: HeadlineValues) -> None:
        self.figures = figures
        for key, text in format_figures(figures).items():
            self.values[key].setText(text)
        year = f" · scenario year {figures.year}" if figures.year is not None else ""
        self.context.setText(f"At {figures.inference_share * 100:.1f} % inference{year}")

    def text_of(self, key: str) -> str:
        return self.values[key].text()
