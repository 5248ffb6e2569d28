"""SwingsTable: the training swing at the utility feed per scenario year, shown beside the transition chart.

A checkpoint or restart of a synchronous training job swings the hall's power within about a second
(``designer.analysis.autonomy``). Per year of the active scenario (and the analysed point first) the
table gives the step and ramp at the utility, the utility's ramp limit and the battery smoothing that
holds the feed to it. The figures come with the electrical checks, after the idle analysis: until
then the table says they are pending, never a stale or made-up figure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.analysis.autonomy import SwingEstimate

HEADERS = ("Year, share", "Step MW", "Ramp MW/s", "Battery smoothing")
OVER_COLOUR = QColor("#b8321a")


def smoothing_words(swing: SwingEstimate) -> str:
    """``none needed``, or ``2.4 MW for 4.8 s, 3.2 kWh`` (with ``, batteries short`` when they hold less)."""
    if swing.within_limit:
        return "none needed"
    if not math.isfinite(swing.smoothing_s):
        return f"{swing.smoothing_kw / 1000:,.1f} MW (no ramp limit set)"
    words = f"{swing.smoothing_kw / 1000:,.1f} MW for {swing.smoothing_s:,.1f} s, {swing.smoothing_kwh:,.1f} kWh"
    return words if swing.covered else words + ", batteries short"


def swing_rows(swings: Sequence[SwingEstimate]) -> list[tuple[str, str, str, str]]:
    """The table's rows: the analysed point ("now"), then each scenario year."""
    rows = []
    for index, swing in enumerate(swings):
        year = "now" if index == 0 else (str(swing.year) if swing.year is not None else "-")
        if index == 0 and swing.year is not None:
            year = f"now ({swing.year})"
        rows.append((f"{year}, {swing.inference_share:.0%} inf.", f"{swing.step_kw / 1000:,.2f}",
                     f"{swing.ramp_kw_per_s / 1000:,.2f}", smoothing_words(swing)))
    return rows


class SwingsTable(QWidget):
    """The swings per year in a small table under a line naming the utility's ramp limit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SwingsTable")
        self.caption = QLabel("Training swings: waiting for the electrical checks")
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        for column in range(len(HEADERS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.setToolTip("A checkpoint or restart drops the training racks from their running level to an idle "
                              "floor within about a second: the step and ramp at the utility feed, and the battery "
                              "power, time and energy that hold the feed to the utility's ramp limit")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)
        self.swings: tuple[SwingEstimate, ...] = ()

    def clear(self, why: str = "waiting for the electrical checks") -> None:
        """No figures to show (an edit made the last ones stale, or none were worked out yet)."""
        self.swings = ()
        self.table.setRowCount(0)
        self.caption.setText(f"Training swings: {why}")

    def show_swings(self, swings: Sequence[SwingEstimate]) -> None:
        self.swings = tuple(swings)
        if not swings or all(s.training_racks == 0 for s in swings):
            self.table.setRowCount(0)
            self.caption.setText("Training swings: no training racks in service, so no swing at the utility")
            return
        limit = swings[0].limit_kw_per_s
        self.caption.setText(f"Training swings at the utility feed (its ramp limit {limit / 1000:,.2f} MW/s; "
                             f"UPS batteries {swings[0].battery_kwh:,.0f} kWh)")
        rows = swing_rows(swings)
        self.table.setRowCount(len(rows))
        for r, (row, swing) in enumerate(zip(rows, swings, strict=True)):
            for c, text in enumerate(row):
                cell = QTableWidgetItem(text)
                if c in (1, 2):
                    cell.setTextAlignment(int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter))
                if c == len(row) - 1 and not swing.covered:
                    cell.setForeground(OVER_COLOUR)
                self.table.setItem(r, c, cell)


__all__ = ["HEADERS", "SwingsTable", "smoothing_words", "swing_rows"]
