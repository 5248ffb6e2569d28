"""The dashboard's pyqtgraph charts. Each creates its plot items once; ``show_*`` only calls setData."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPalette, QResizeEvent
from PySide6.QtWidgets import QApplication, QGraphicsItem, QToolTip, QWidget

from designer.ui.dashboard.plot_items import StackedAreas, StateBars
from designer.ui.dashboard.series import (
    LAYER_NAMES,
    STATE_NAMES,
    CoolingSeries,
    DaySeries,
    TransitionSeries,
    UtilisationSeries,
    nice_ceiling,
    state_codes,
)
from designer.ui.export.charts_render import PUE_MIN_SPAN
from designer.ui.plain_text import plain_html

# Okabe-Ito colours: distinguishable with colour-blindness, readable on light and dark backgrounds
BLUE, ORANGE, SKY, GREEN, PURPLE, VERMILLION, GREY = (
    "#0072B2", "#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#D55E00", "#8C8C8C")
LAYER_COLOURS = (BLUE, ORANGE, GREY, PURPLE, GREEN)
STATE_COLOURS = {"ok": GREEN, "warn": ORANGE, "over": VERMILLION, "none": GREY}
CAPACITY_STYLES = {"Utility contract": Qt.PenStyle.DashLine, "Transformers": Qt.PenStyle.DashDotLine,
                   "UPS": Qt.PenStyle.DotLine}
VISIBLE_BARS = 40
MW = 1000.0
LEGEND_SAMPLE_PX = 28
"""Width of a legend entry's sample and the gap to its text."""
LEGEND_SIDE_ASPECT = 2.2
"""A chart at least this many times wider than high gets its legend beside the plot, not above it."""
YEAR_LABEL_GAP_PX = 44
"""Least distance between two year labels on the transition chart's top axis ("2025" is ~30 px at 8 pt)."""


def _alpha(colour: str, alpha: int) -> QColor:
    c = QColor(colour)
    c.setAlpha(alpha)
    return c


def swatch(colour: QColor | str, pen: QColor | None = None) -> pg.BarGraphItem:
    """A legend sample for a filled area (legends cannot draw a FillBetweenItem)."""
    return pg.BarGraphItem(x=[0], height=[0], width=1, brush=colour, pen=pg.mkPen(pen) if pen is not None else None)


def year_labels(positions_px: np.ndarray, names: list[str], gap_px: float) -> list[str]:
    """``names`` with those closer than ``gap_px`` to the previous shown one blanked; the last is always
    shown (its too-close predecessor is blanked instead)."""
    shown: list[int] = []
    for index, position in enumerate(positions_px):
        if not shown or position - positions_px[shown[-1]] >= gap_px:
            shown.append(index)
    last = len(names) - 1
    if names and shown[-1] != last:
        if len(shown) > 1 and positions_px[last] - positions_px[shown[-1]] < gap_px:
            shown.pop()
        shown.append(last)
    keep = set(shown)
    return [name if index in keep else "" for index, name in enumerate(names)]


def theme_colours() -> tuple[QColor, QColor]:
    """(background, foreground) from the application palette, so charts follow light and dark themes."""
    palette = QApplication.palette()
    return palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)


class ChartBase(pg.GraphicsLayoutWidget):
    """A titled plot with a legend row above it (the legend never covers the data)."""

    def __init__(self, title: str, legend_columns: int, parent: QWidget | None = None) -> None:
        background, self.foreground = theme_colours()
        super().__init__(parent)
        self.setBackground(background)
        self.setMinimumSize(140, 80)
        self.ci.setContentsMargins(4, 2, 4, 2)
        self.legend = pg.LegendItem(colCount=legend_columns, labelTextColor=self.foreground, labelTextSize="8pt",
                                    frame=False, horSpacing=12)
        self.addItem(self.legend, row=0, col=0)
        self.plot: pg.PlotItem = self.addPlot(row=1, col=0)
        self.chart_title = title
        self.updating = False
        self.plot.setTitle(title, size="10pt", color=self.foreground)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        for name in ("left", "bottom", "right", "top"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg.mkPen(self.foreground))
            axis.setTextPen(pg.mkPen(self.foreground))
            # an axis (with its grid) repaints with any change in the plot; from a pixmap, unless it changed
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.ci.layout.setRowStretchFactor(1, 10)
        self.swatches: list[pg.BarGraphItem] = []
        self.legend_columns = legend_columns
        self.legend_beside = False

    def set_updating(self, updating: bool) -> None:
        """Say in the title that the curves are those of the design before the last change, while the
        new ones are worked out (on a worker: a sweep of a big campus takes a few hundred ms)."""
        if updating != self.updating:
            self.updating = updating
            self._show_title()

    def _show_title(self) -> None:
        title = f"{self.chart_title} (updating…)" if self.updating else self.chart_title
        if title != self.title():  # a new title lays the chart out again
            self.plot.setTitle(title, size="10pt", color=self.foreground)

    def resizeEvent(self, event: QResizeEvent | None) -> None:
        super().resizeEvent(event)
        if self.fit_legend():
            # a re-laid-out top-level graphics layout grows to its preferred size: fit it to the view again
            super().resizeEvent(None)

    def fit_legend(self) -> bool:
        """Keep every legend entry readable: beside the plot in one column when the chart is wide and
        short (a docked strip at the bottom of a small screen), else above it in as many columns as the
        width holds. The plot keeps the rest of the height."""
        legend = getattr(self, "legend", None)  # pyqtgraph resizes once before __init__ has made it
        entries = legend.items if legend is not None else []
        if not entries:
            return False
        changed = False
        # the text's own width: the LabelItem widget around it is stretched by the legend's layout
        widest = max(label.item.boundingRect().width() for _sample, label in entries) + LEGEND_SAMPLE_PX
        side = self.width() >= LEGEND_SIDE_ASPECT * self.height() and self.width() >= widest + 360
        if side != self.legend_beside:
            changed = True
            self.legend_beside = side
            self.ci.removeItem(legend)
            grid = self.ci.layout
            if side:
                self.ci.addItem(legend, row=1, col=1)
                grid.setColumnFixedWidth(1, widest + 16)  # else the plot's stretch squeezes the names
            else:
                self.ci.addItem(legend, row=0, col=0)
                grid.setColumnMinimumWidth(1, 0)
                grid.setColumnMaximumWidth(1, 0)
        spacing = 12
        fits = max(1, int((self.width() - 12 + spacing) // (widest + spacing)))
        columns = 1 if side else min(self.legend_columns, len(entries), fits)
        if columns != legend.columnCount:
            changed = True
            legend.setColumnCount(columns)
        return changed

    def add_swatch(self, colour: QColor | str, name: str, pen: QColor | None = None) -> None:
        sample = swatch(colour, pen)
        self.swatches.append(sample)
        self.legend.addItem(sample, name)

    def set_title(self, title: str) -> None:
        """Retitle (only when the text changes: a new title lays the chart out again)."""
        self.chart_title = title
        self._show_title()

    def title(self) -> str:
        return self.plot.titleLabel.text

    def set_axis_label(self, axis: str, text: str) -> None:
        """Relabel an axis (only when the text changes: a new label lays the chart out again)."""
        if self.plot.getAxis(axis).labelText != text:
            self.plot.setLabel(axis, text)

    def set_y_top(self, top: float, view: pg.ViewBox | None = None) -> None:
        """Y from 0 to ``top`` (only when it changes: a new range redraws the axis and its grid)."""
        view = view or self.plot.vb
        if view.viewRange()[1] != [0.0, top]:
            view.setYRange(0.0, top, padding=0)

    def item_count(self) -> int:
        """Items in the plot (for tests: stays the same across updates)."""
        return len(self.plot.items) + len(self.plot.vb.addedItems)


class DayProfileChart(ChartBase):
    """IT power over the design day stacked by workload, facility power, capacity lines, hour marker."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Design day: IT and facility power", 3, parent)
        plot = self.plot
        plot.setLabel("left", "Power", units="MW")
        plot.setLabel("bottom", "Hour of day (local)")
        plot.getAxis("left").enableAutoSIPrefix(False)
        plot.setXRange(0, 23, padding=0.02)
        plot.getAxis("bottom").setTicks([[(h, str(h)) for h in range(0, 24, 3)], []])
        hours = np.arange(24, dtype=np.float64)
        self.stack = StackedAreas([pg.mkBrush(_alpha(c, 150)) for c in LAYER_COLOURS],
                                  [pg.mkPen(c, width=1) for c in LAYER_COLOURS])
        plot.addItem(self.stack)
        for name, colour in zip(LAYER_NAMES, LAYER_COLOURS, strict=True):
            self.add_swatch(_alpha(colour, 150), name)
        self.facility = pg.PlotDataItem(hours, np.zeros(24), pen=pg.mkPen(VERMILLION, width=2.5))
        plot.addItem(self.facility)
        self.legend.addItem(self.facility, "Facility")
        self.capacity_lines: dict[str, pg.InfiniteLine] = {}
        for (label, style), position in zip(CAPACITY_STYLES.items(), (0.02, 0.36, 0.70), strict=True):
            # labels at different x so that close capacities do not print over each other
            line = pg.InfiniteLine(angle=0, pen=pg.mkPen(self.foreground, width=1.2, style=style),
                                   label=label, labelOpts={"position": position, "color": self.foreground,
                                                           "anchors": [(0, 0), (0, 0)]})
            line.setVisible(False)
            plot.addItem(line)
            self.capacity_lines[label] = line
        self.hour_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(self.foreground, width=1, style=Qt.PenStyle.DotLine))
        plot.addItem(self.hour_line)
        self.off_scale = pg.TextItem("", color=self.foreground, anchor=(1, 0))
        plot.addItem(self.off_scale)
        self.series: DaySeries | None = None

    def show_day(self, series: DaySeries, scale_kw: float = 0.0) -> None:
        """Show ``series``; the y axis reaches at least ``scale_kw`` (the highest facility peak over the
        transition, so that the axis holds still while the share slider moves)."""
        self.series = series
        self.stack.set_layers(series.hours, series.layers_kw / MW)
        self.facility.setData(series.hours, series.facility_kw / MW)
        present = {label: kw for label, kw in series.capacity_kw if kw > 0}
        peak = max(float(series.facility_kw.max(initial=0.0)), scale_kw) / MW
        # scale to the facility peak and the lowest (binding) capacity; higher ones are noted in the corner
        top = max(peak, min(present.values(), default=0.0) / MW) * 1.05
        if any(kw / MW > top for kw in present.values()):
            top *= 1.15  # headroom for the off-scale note in the top corner
        top = nice_ceiling(top)
        off_scale = []
        for label, line in self.capacity_lines.items():
            kw = present.get(label)
            line.setVisible(kw is not None and kw / MW <= top)
            if kw is not None:
                line.setValue(kw / MW)
                text = f"{label} {kw / MW:,.1f} MW"
                if line.label.format != text:
                    line.label.setFormat(text)
                if kw / MW > top:
                    off_scale.append(text)
        self.hour_line.setValue(series.hour)
        self.set_y_top(top)
        note = f"↑ {', '.join(off_scale)}" if off_scale else ""
        if self.off_scale.toPlainText() != note:
            self.off_scale.setText(note)
        self.off_scale.setPos(23.0, top)


class TransitionChart(ChartBase):
    """Peak and mean IT and facility peak against the inference share; PUE on the right axis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Design day vs inference share", 4, parent)
        plot = self.plot
        plot.setLabel("left", "Power", units="MW")
        plot.getAxis("left").enableAutoSIPrefix(False)
        plot.setLabel("bottom", "Inference share (%)")
        plot.setXRange(0, 100, padding=0.02)
        plot.showAxis("right")
        plot.setLabel("right", "PUE (design day)")
        plot.showAxis("top")
        plot.getAxis("top").setStyle(showValues=True)
        plot.getAxis("top").setTicks([[], []])
        self.pue_view = pg.ViewBox()
        plot.scene().addItem(self.pue_view)
        plot.getAxis("right").linkToView(self.pue_view)
        self.pue_view.setXLink(plot)
        plot.vb.sigResized.connect(self._sync_views)
        self.peak_it = pg.PlotDataItem(pen=pg.mkPen(BLUE, width=2))
        self.mean_it = pg.PlotDataItem(pen=pg.mkPen(SKY, width=2))
        self.facility = pg.PlotDataItem(pen=pg.mkPen(VERMILLION, width=2))
        self.pue = pg.PlotCurveItem(pen=pg.mkPen(GREEN, width=2))
        dash = Qt.PenStyle.DashLine
        self.other_peak_it = pg.PlotDataItem(pen=pg.mkPen(BLUE, width=1.5, style=dash))
        self.other_facility = pg.PlotDataItem(pen=pg.mkPen(VERMILLION, width=1.5, style=dash))
        self.other_pue = pg.PlotCurveItem(pen=pg.mkPen(GREEN, width=1.5, style=dash))
        self.years = pg.ScatterPlotItem(size=7, symbol="s", pen=pg.mkPen(self.foreground), brush=pg.mkBrush(BLUE))
        self.current = pg.ScatterPlotItem(size=11, symbol="o", pen=pg.mkPen(self.foreground, width=1.5),
                                          brush=pg.mkBrush(ORANGE))
        self.share_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(self.foreground, width=1, style=Qt.PenStyle.DotLine))
        for item in (self.peak_it, self.mean_it, self.facility, self.other_peak_it, self.other_facility,
                     self.years, self.share_line, self.current):
            plot.addItem(item)
        self.pue_view.addItem(self.pue)
        self.pue_view.addItem(self.other_pue)
        self.legend.addItem(self.peak_it, "Peak IT")
        self.legend.addItem(self.mean_it, "Mean IT")
        self.legend.addItem(self.facility, "Facility peak")
        self.legend.addItem(self.pue, "PUE (right)")
        for item in (self.other_peak_it, self.other_facility, self.other_pue):
            item.setVisible(False)
        # the curves and the years' marks change with the design, not with the share: while the share
        # line and the current point move over them, they paint from a pixmap, not path by path
        for curve in (self.peak_it, self.mean_it, self.facility, self.other_peak_it, self.other_facility):
            curve.curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        for item in (self.pue, self.other_pue, self.years):
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.series: TransitionSeries | None = None
        self._year_ticks: list[tuple[float, str]] = []

    def _sync_views(self) -> None:
        self.pue_view.setGeometry(self.plot.vb.sceneBoundingRect())
        self.pue_view.linkedViewChanged(self.plot.vb, self.pue_view.XAxis)

    def item_count(self) -> int:
        return super().item_count() + len(self.pue_view.addedItems)

    def show_transition(self, series: TransitionSeries | None) -> None:
        self.series = series
        if series is None:
            for item in (self.peak_it, self.mean_it, self.facility, self.pue):
                item.setData([], [])
            self.years.setData([], [])
            return
        self.peak_it.setData(series.share_pct, series.peak_it_kw / MW)
        self.mean_it.setData(series.share_pct, series.mean_it_kw / MW)
        self.facility.setData(series.share_pct, series.peak_facility_kw / MW)
        self.pue.setData(series.share_pct, np.nan_to_num(series.pue, nan=1.0))
        self.years.setData(series.year_share_pct, series.year_peak_it_kw / MW)
        self._label_years()
        self._fit()

    def resizeEvent(self, event: QResizeEvent | None) -> None:
        super().resizeEvent(event)
        self._label_years()

    def _label_years(self) -> None:
        """A tick for every scenario year; labels only where they stay YEAR_LABEL_GAP_PX apart (the last
        year always), so close years never run together: the hidden ones keep their tick mark."""
        series = getattr(self, "series", None)  # pyqtgraph resizes once before __init__ has finished
        if series is None:
            return
        px_per_pct = max(self.plot.vb.width(), 1.0) / 100.0
        labels = year_labels(np.asarray(series.year_share_pct, dtype=np.float64) * px_per_pct,
                             [str(int(y)) for y in series.years], YEAR_LABEL_GAP_PX)
        ticks = [(float(s), label) for s, label in zip(series.year_share_pct, labels, strict=True)]
        if ticks != self._year_ticks:
            self._year_ticks = ticks
            self.plot.getAxis("top").setTicks([ticks, []])

    def show_other(self, series: TransitionSeries | None) -> None:
        """The compared project's curves, dashed (None hides them)."""
        for item in (self.other_peak_it, self.other_facility, self.other_pue):
            item.setVisible(series is not None)
        if series is not None:
            self.other_peak_it.setData(series.share_pct, series.peak_it_kw / MW)
            self.other_facility.setData(series.share_pct, series.peak_facility_kw / MW)
            self.other_pue.setData(series.share_pct, np.nan_to_num(series.pue, nan=1.0))
        self._fit()

    def _fit(self) -> None:
        highs, pues = [0.001], []
        for item in (self.facility, self.other_facility):
            if item.isVisible() and item.yData is not None and len(item.yData):
                highs.append(float(np.nanmax(item.yData)))
        for item in (self.pue, self.other_pue):
            if item.isVisible() and item.yData is not None and len(item.yData):
                pues += [float(np.nanmin(item.yData)), float(np.nanmax(item.yData))]
        self.set_y_top(nice_ceiling(max(highs) * 1.05))
        if pues:
            low, high = min(pues), max(pues)
            span = high - low
            if span * 1.3 < PUE_MIN_SPAN:  # a flat line stays flat: at least PUE_MIN_SPAN around it
                middle = (low + high) / 2
                self.pue_view.setYRange(middle - PUE_MIN_SPAN / 2, middle + PUE_MIN_SPAN / 2, padding=0)
            else:
                self.pue_view.setYRange(low - 0.15 * span, high + 0.15 * span, padding=0)

    def show_current(self, share: float, peak_it_kw: float, peak_facility_kw: float) -> None:
        self.share_line.setValue(share * 100.0)
        self.current.setData([share * 100.0, share * 100.0], [peak_it_kw / MW, peak_facility_kw / MW])


class UtilizationChart(ChartBase):
    """A bar per component (most loaded first): normal utilisation and worst single failure."""

    component_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Component utilisation", 4, parent)
        plot = self.plot
        plot.setLabel("left", "Utilisation (%)")
        plot.setLabel("bottom", "Components by load (click: select)")
        brushes = [pg.mkBrush(STATE_COLOURS[k]) for k in STATE_NAMES]
        light_brushes = [pg.mkBrush(_alpha(STATE_COLOURS[k], 110)) for k in STATE_NAMES]
        self.normal = StateBars(0.42, brushes, [pg.mkPen(None)] * len(STATE_NAMES))
        self.worst = StateBars(0.42, light_brushes, [pg.mkPen(STATE_COLOURS[k]) for k in STATE_NAMES])
        plot.addItem(self.worst)
        plot.addItem(self.normal)
        # the 80 % and 100 % lines are named on the right axis, outside the bars: no label over a bar
        self.rating_line = pg.InfiniteLine(80, angle=0, pen=pg.mkPen(ORANGE, width=1.2, style=Qt.PenStyle.DashLine))
        self.limit_line = pg.InfiniteLine(100, angle=0, pen=pg.mkPen(VERMILLION, width=1.2))
        plot.addItem(self.rating_line)
        plot.addItem(self.limit_line)
        self._warn_at = 0.8
        plot.showAxis("right")
        right = plot.getAxis("right")
        right.setTicks([[(80.0, "80 %"), (100.0, "100 %")], []])
        right.setPen(pg.mkPen(self.foreground))
        right.setTextPen(pg.mkPen(self.foreground))
        self.add_swatch(GREEN, "≤ 80 %")
        self.add_swatch(ORANGE, "> 80 %")
        self.add_swatch(VERMILLION, "> 100 %")
        self.add_swatch(_alpha(GREY, 110), "Worst failure", self.foreground)
        plot.scene().sigMouseClicked.connect(self._on_scene_clicked)
        plot.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.series: UtilisationSeries | None = None
        self.names: dict[str, str] = {}
        """Component id -> the name shown on hover (label, else id); set by the dashboard."""
        self.hovered: str | None = None
        self.failure_top: float | None = None
        """The y top of the last bars with their worst failures analysed (None: none since ``reset_scale``)."""

    def show_utilisation(self, series: UtilisationSeries) -> None:
        self.series = series
        n = len(series.ids)
        x = np.arange(n, dtype=np.float64)
        util = series.utilization * 100.0
        worst = np.nan_to_num(series.worst_failure, nan=0.0) * 100.0
        self.normal.set_bars(x - 0.22, util, state_codes(series.utilization, series.warn_at))
        self.worst.set_bars(x + 0.22, worst, state_codes(series.worst_failure, series.warn_at))
        self._show_threshold(series.warn_at)
        shown = min(n, VISIBLE_BARS)
        self.plot.setXRange(-0.7, max(shown, 1) - 0.3, padding=0)
        high = float(max(np.max(util, initial=0.0), np.max(worst, initial=0.0), 100.0))
        top = nice_ceiling(high * 1.04)
        if np.isfinite(series.worst_failure).any():
            self.failure_top = top
        elif self.failure_top is not None:
            # a share move's bars have no worst failure (the idle pass brings it back): the axis keeps
            # the idle pass's top rather than shrink at the first move and grow at the next pause
            top = max(top, self.failure_top)
        self.set_y_top(top)
        more = f", top {n} of {series.total}" if series.total > n else f", {n}"
        self.set_axis_label("bottom", f"Components by load{more} (hover: name, click: select)")

    def reset_scale(self) -> None:
        """Another design: the y axis no longer keeps the last worst failures' top."""
        self.failure_top = None

    def hover_text(self, component_id: str) -> str:
        """What hovering a component's bars says: its name, role, utilisation and worst single failure."""
        series = self.series
        if series is None or component_id not in series.ids:
            return ""
        index = series.ids.index(component_id)
        name = self.names.get(component_id, component_id)
        title = name if name == component_id else f"{name} ({component_id})"
        worst = series.worst_failure[index]
        worst_text = "not analysed yet" if not np.isfinite(worst) else f"{worst * 100:.0f} %"
        return (f"{title}\n{series.roles[index]}: {series.utilization[index] * 100:.0f} % of rating\n"
                f"worst single failure: {worst_text}")

    def hover_at(self, scene_pos: QPointF) -> str | None:
        """The component under a scene position (None off the bars); remembers it as ``hovered``."""
        vb = self.plot.vb
        component = None
        if vb.sceneBoundingRect().contains(scene_pos):
            point = vb.mapSceneToView(scene_pos)
            component = self.bar_at(point.x()) if point.y() >= 0 else None
        self.hovered = component
        return component

    def _on_scene_mouse_moved(self, scene_pos: QPointF) -> None:
        previous = self.hovered
        component = self.hover_at(scene_pos)
        if component is None:
            if previous is not None:
                QToolTip.hideText()
            return
        if component != previous:
            view_pos = self.mapFromScene(scene_pos)
            # names come from the file: shown literally, never as markup
            QToolTip.showText(self.mapToGlobal(view_pos), plain_html(self.hover_text(component)), self)

    def _show_threshold(self, warn_at: float) -> None:
        """Move the rating line and its legend to the project's continuous rating (when it changes)."""
        if warn_at == self._warn_at:
            return
        self._warn_at = warn_at
        self.rating_line.setValue(warn_at * 100.0)
        self.plot.getAxis("right").setTicks([[(warn_at * 100.0, f"{warn_at:.0%}"), (100.0, "100 %")], []])
        for (_sample, label), text in zip(self.legend.items[:2], (f"≤ {warn_at:.0%}", f"> {warn_at:.0%}"),
                                          strict=True):
            label.setText(text)

    def bar_at(self, x: float) -> str | None:
        """The id of the component whose bars are at plot x (None between or outside the bars)."""
        if self.series is None:
            return None
        index = round(x)
        if 0 <= index < len(self.series.ids) and abs(x - index) <= 0.5:
            return self.series.ids[index]
        return None

    def click_at(self, scene_pos: QPointF) -> str | None:
        """Handle a click at a scene position: emits ``component_clicked`` for a bar."""
        vb = self.plot.vb
        if not vb.sceneBoundingRect().contains(scene_pos):
            return None
        point = vb.mapSceneToView(scene_pos)
        component = self.bar_at(point.x())
        if component is not None and point.y() >= 0:
            self.component_clicked.emit(component)
            return component
        return None

    def _on_scene_clicked(self, event: object) -> None:
        self.click_at(event.scenePos())  # type: ignore[attr-defined]


class CoolingChart(ChartBase):
    """Rack heat into liquid and air over the design day against the heat-rejection plant."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Cooling", 4, parent)
        plot = self.plot
        plot.setLabel("left", "Heat", units="MW")
        plot.getAxis("left").enableAutoSIPrefix(False)
        plot.setLabel("bottom", "Hour of day (local)")
        plot.setXRange(0, 23, padding=0.02)
        plot.getAxis("bottom").setTicks([[(h, str(h)) for h in range(0, 24, 3)], []])
        self.stack = StackedAreas([pg.mkBrush(_alpha(SKY, 160)), pg.mkBrush(_alpha(GREY, 140))],
                                  [pg.mkPen(SKY, width=1), pg.mkPen(GREY, width=1)])
        self.capacity = pg.InfiniteLine(angle=0, pen=pg.mkPen(self.foreground, width=1.2, style=Qt.PenStyle.DashLine),
                                        label="Heat rejection capacity",
                                        labelOpts={"position": 0.02, "color": self.foreground,
                                                   "anchors": [(0, 1), (0, 1)]})
        self.load = pg.ScatterPlotItem(size=10, symbol="d", pen=pg.mkPen(self.foreground), brush=pg.mkBrush(VERMILLION))
        for item in (self.stack, self.capacity, self.load):
            plot.addItem(item)
        self.add_swatch(_alpha(SKY, 160), "Liquid heat")
        self.add_swatch(_alpha(GREY, 140), "Air heat")
        self.legend.addItem(self.load, "Rejection load at hour")
        self.series: CoolingSeries | None = None

    def show_cooling(self, series: CoolingSeries, scale_kw: float = 0.0) -> None:
        """Show ``series``; the y axis reaches at least ``scale_kw`` (the highest IT peak over the transition)."""
        self.series = series
        self.stack.set_layers(series.hours, np.vstack([series.liquid_kw, series.air_kw]) / MW)
        self.capacity.setVisible(series.rejection_capacity_kw > 0)
        self.capacity.setValue(series.rejection_capacity_kw / MW)
        text = f"Heat rejection capacity {series.rejection_capacity_kw / MW:,.1f} MW"
        if self.capacity.label.format != text:
            self.capacity.label.setFormat(text)
        self.load.setData([float(series.hour)], [series.rejection_load_kw / MW])
        high = max(float((series.liquid_kw + series.air_kw).max(initial=0.0)), series.rejection_capacity_kw,
                   series.rejection_load_kw, scale_kw) / MW
        self.set_y_top(nice_ceiling(max(high * 1.05, 0.001)))
        # short (the dock is titled "Cooling"): the chart may be a quarter of a 1366 px screen
        self.set_title(f"Full free cooling {series.free_cooling} at {series.air_class} / {series.liquid_class}")
