"""The training swing at the utility feed per scenario year, on and beside the transition chart.

A checkpoint or restart of a synchronous training job swings the hall's power within about a second
(``designer.analysis.autonomy``). Per year of the active scenario:

- ``SwingSeries`` marks on the transition chart, at each year's inference share, the step at the
  utility (MW; over the one-second swing also its ramp in MW/s) and the battery smoothing that holds
  the feed to the utility's ramp limit, drawn as a line (hover a mark for every figure);
- ``SwingsTable`` (the Training Swings dock beside the Transition, shown from View ▸ Dashboard) lists
  step, ramp, battery MW and kWh, red where the UPS batteries hold less.

The figures come with the electrical checks, after the idle analysis: until then, and after an edit,
both show nothing (never a stale or made-up figure).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGraphicsItem,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.analysis.autonomy import STEP_RISE_S, SwingEstimate
from designer.ui.dashboard.charts import PURPLE, VERMILLION, TransitionChart

HEADERS = ("Year\n(inf.)", "Step\nMW", "Ramp\nMW/s", "Batt.\nMW", "Batt.\nkWh")
OVER_COLOUR = QColor("#b8321a")
SMALLER = 0.85
"""The table's text against the window's: it must fit beside four charts of 420 px on a 1920 px screen."""
SAMPLE_ROW = ("2031 100%", "88.88", "88.88", "88.88", "88.88")
"""The widest row expected, for the table's width before any figures arrive."""


def _shown(swings: Sequence[SwingEstimate]) -> list[tuple[bool, SwingEstimate]]:
    """(is the analysed point, estimate): the analysed point (first) unless it is one of the scenario years
    that follow, then each year."""
    years = {(s.year, round(s.inference_share, 6)) for s in swings[1:]}
    return [(i == 0, s) for i, s in enumerate(swings) if i or (s.year, round(s.inference_share, 6)) not in years]


def shown_swings(swings: Sequence[SwingEstimate]) -> list[SwingEstimate]:
    """The estimates the table shows, one a row."""
    return [s for _now, s in _shown(swings)]


def swing_rows(swings: Sequence[SwingEstimate]) -> list[tuple[str, ...]]:
    """The table's rows, one per ``shown_swings``: the analysed point as "now", then the years.

    Battery MW and kWh are the smoothing that holds the utility to its ramp limit ("0" within it)."""
    rows: list[tuple[str, ...]] = []
    for now, swing in _shown(swings):
        year = "now" if now else (str(swing.year) if swing.year is not None else "-")
        smoothing = swing.smoothing_kw / 1000
        energy = "∞" if not math.isfinite(swing.smoothing_kwh) else f"{swing.smoothing_kwh:,.2f}"
        rows.append((f"{year} {swing.inference_share:.0%}", f"{swing.step_kw / 1000:,.2f}",
                     f"{swing.ramp_kw_per_s / 1000:,.2f}", f"{smoothing:,.2f}" if smoothing > 0 else "0",
                     energy if smoothing > 0 else "0"))
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
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        font = self.table.font()  # a size smaller than the charts' text: five columns in ~220 px beside four charts
        font.setPointSizeF(font.pointSizeF() * SMALLER)
        self.table.setFont(font)
        self.table.horizontalHeader().setFont(font)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setToolTip("A checkpoint or restart drops the training racks from their running level to an idle "
                              "floor within about a second: the step and ramp at the utility feed, and the battery "
                              "power, time and energy that hold the feed to the utility's ramp limit")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)
        self.swings: tuple[SwingEstimate, ...] = ()
        # as wide as its columns and no wider: the charts beside it take the rest
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self._fit_width([SAMPLE_ROW])

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self.table.minimumWidth() + 4, hint.height())

    def _fit_width(self, rows: Sequence[tuple[str, ...]]) -> None:
        """Every column in view, from the first layout on: the dock takes the table's width from the charts
        beside it (a width set only when the figures arrive comes after the window laid its docks out)."""
        metrics = self.table.fontMetrics()
        padding = metrics.horizontalAdvance("0")
        columns = sum(max(metrics.horizontalAdvance(text) for text in (*HEADERS[c].split("\n"), *(r[c] for r in rows)))
                      + padding for c in range(len(HEADERS)))
        # no room kept for a vertical scroll bar: a scenario of a dozen years fits the chart dock's height
        self.table.setMinimumWidth(columns + 2 * self.table.frameWidth())

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
        self.caption.setText(f"Utility ramp limit {limit / 1000:,.2f} MW/s; UPS batteries "
                             f"{swings[0].battery_kwh:,.0f} kWh")
        rows = swing_rows(swings)
        self.table.setRowCount(len(rows))
        for r, (row, swing) in enumerate(zip(rows, shown_swings(swings), strict=True)):
            tip = (f"{swing.training_racks} training racks, {swing.training_nameplate_kw / 1000:,.2f} MW nameplate: "
                   + ("the step is within the utility's ramp limit" if swing.within_limit else
                      f"batteries give {swing.smoothing_kw / 1000:,.2f} MW for {swing.smoothing_s:,.1f} s"
                      + ("" if swing.covered else f", more than the {swing.battery_kwh:,.0f} kWh they hold")))
            for c, text in enumerate(row):
                cell = QTableWidgetItem(text)
                cell.setToolTip(tip)
                if c:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c >= 3 and not swing.covered:
                    cell.setForeground(OVER_COLOUR)
                self.table.setItem(r, c, cell)
        self._fit_width([SAMPLE_ROW, *rows])


def swing_tip(swing: SwingEstimate) -> str:
    """Every figure of one year's swing, for a chart mark's tool tip."""
    year = str(swing.year) if swing.year is not None else "analysed point"
    text = (f"{year} ({swing.inference_share:.0%} inference): {swing.training_racks} training racks swing the "
            f"utility feed by {swing.step_kw / 1000:,.2f} MW in about {STEP_RISE_S:g} s "
            f"({swing.ramp_kw_per_s / 1000:,.2f} MW/s; the utility's limit {swing.limit_kw_per_s / 1000:,.2f} MW/s)")
    if swing.within_limit:
        return text + ": within the limit, no smoothing needed"
    text += (f"; the batteries give {swing.smoothing_kw / 1000:,.2f} MW for {swing.smoothing_s:,.1f} s "
             f"({swing.smoothing_kwh:,.2f} kWh)")
    return text + ("" if swing.covered else f", more than the {swing.battery_kwh:,.0f} kWh the UPSs hold")


class SwingSeries:
    """The swings on a transition chart: step and battery smoothing per year, the utility's limit as a line."""

    def __init__(self, chart: TransitionChart) -> None:
        self.chart = chart
        self.step = pg.ScatterPlotItem(size=9, symbol="t1", pen=pg.mkPen(chart.foreground), brush=pg.mkBrush(PURPLE),
                                       hoverable=True, tip=None)
        self.battery = pg.ScatterPlotItem(size=8, symbol="d", pen=pg.mkPen(chart.foreground),
                                          brush=pg.mkBrush(VERMILLION), hoverable=True, tip=None)
        self.limit = pg.InfiniteLine(angle=0, pen=pg.mkPen(PURPLE, width=1, style=Qt.PenStyle.DashDotLine),
                                     label="utility ramp limit",
                                     labelOpts={"position": 0.98, "color": PURPLE, "anchors": [(1, 1), (1, 1)]})
        for item in (self.limit, self.step, self.battery):
            chart.plot.addItem(item)
        for item in (self.step, self.battery):  # they change with the electrical checks, not the share
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        chart.legend.addItem(self.step, "Training swing (MW, MW/s)")
        chart.legend.addItem(self.battery, "Battery smoothing")
        self.step.sigHovered.connect(self._on_hovered)
        self.battery.sigHovered.connect(self._on_hovered)
        self.swings: dict[float, SwingEstimate] = {}
        self.show([])

    def show(self, swings: Sequence[SwingEstimate]) -> None:
        """Mark each scenario year (the analysed point first in ``swings`` is the slider's, not a year)."""
        years = [s for s in swings[1:] if s.training_racks > 0]
        self.swings = {round(s.inference_share * 100.0, 6): s for s in years}
        x = np.array([s.inference_share * 100.0 for s in years])
        self.step.setData(x, np.array([s.step_kw / 1000 for s in years]))
        smoothing = [(xi, s.smoothing_kw / 1000) for xi, s in zip(x.tolist(), years, strict=True) if s.smoothing_kw > 0]
        self.battery.setData([p[0] for p in smoothing], [p[1] for p in smoothing])
        self.limit.setVisible(bool(years))
        if years:
            # a limit in MW/s held over the one-second swing: the largest step the grid takes alone, in MW
            self.limit.setValue(years[0].limit_kw_per_s * STEP_RISE_S / 1000)

    def _on_hovered(self, _item: object, points: Sequence[object], _event: object) -> None:
        from PySide6.QtWidgets import QToolTip

        if not len(points):
            QToolTip.hideText()
            return
        swing = self.swings.get(round(float(points[0].pos().x()), 6))  # type: ignore[attr-defined]
        if swing is not None:
            from PySide6.QtGui import QCursor

            QToolTip.showText(QCursor.pos(), swing_tip(swing), self.chart)


__all__ = ["HEADERS", "SwingSeries", "SwingsTable", "shown_swings", "swing_rows", "swing_tip"]
