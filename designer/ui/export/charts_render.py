"""Charts for print and presentation, painted with QPainter from Results and SweepResult.

Vector in PDF and SVG, text in true points. The live dashboard's pyqtgraph charts are drawn for a
screen (cosmetic pixel-wide pens, fonts in screen pixels) and do not scale to paper, so these show
the same series (the sweep's share and year curves, the design day) drawn for a page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath

from designer.analysis.results import Results
from designer.analysis.sweep import SweepResult
from designer.ui.export.page import INK, MUTED, RULE, Paper

# Okabe-Ito colours, as the dashboard uses: distinguishable with colour-blindness
BLUE, ORANGE, SKY, GREEN, PURPLE, VERMILLION, GREY = (
    "#0072B2",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#CC79A7",
    "#D55E00",
    "#8C8C8C",
)


Values = Sequence[float] | NDArray[np.float64]

PUE_MIN_SPAN = 0.2
"""Least span of a PUE axis (dashboard and report): a flat 1.30 shows as 1.20 to 1.40, so a change of
0.01 does not look like a cliff."""


@dataclass(frozen=True)
class Series:
    label: str
    x: Values
    y: Values
    colour: str
    width_pt: float = 1.6
    style: Qt.PenStyle = Qt.PenStyle.SolidLine
    right_axis: bool = False
    markers: bool = False


@dataclass(frozen=True)
class ChartSpec:
    """A line chart with a left axis, an optional right axis and an optional vertical marker."""

    title: str
    x_label: str
    y_label: str
    series: tuple[Series, ...]
    y2_label: str = ""
    x_ticks: tuple[tuple[float, str], ...] = ()
    """Fixed x tick positions and labels (otherwise evenly spaced numbers)."""
    marker_x: float | None = None
    marker_label: str = ""
    y_from_zero: bool = True
    extra: dict[str, float] = field(default_factory=dict)
    y2_min_span: float = 0.0
    """Least span of the right axis (PUE_MIN_SPAN for PUE)."""


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (1-2-5 steps)."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        high = low + 1.0
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step + 1e-9) * step
    ticks = []
    value = start
    while value <= high + step * 1e-6:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high - 1e-9:
        ticks.append(round(value, 10))
    return ticks


def _fmt(value: float, step: float = 0.0) -> str:
    """A tick label with as many decimals as the tick step needs."""
    if step > 0:
        decimals = max(0, -math.floor(math.log10(step) + 1e-9))
        if round(step * 10**decimals, 6) % 1:
            decimals += 1
        return f"{value:,.{decimals}f}"
    if abs(value) >= 100 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def _step(ticks: Sequence[float]) -> float:
    return ticks[1] - ticks[0] if len(ticks) > 1 else 0.0


def _range(series: Sequence[Series], from_zero: bool, min_span: float = 0.0) -> tuple[float, float]:
    values = [float(v) for s in series for v in s.y if math.isfinite(float(v))]
    if not values:
        return 0.0, 1.0
    low, high = min(values), max(values)
    if from_zero:
        low = min(0.0, low)
    else:
        span = max(high - low, abs(high) * 0.02, 0.01)
        low, high = low - 0.1 * span, high + 0.1 * span
        if high - low < min_span:  # centred on the data, at least min_span wide
            middle = (low + high) / 2
            low, high = middle - min_span / 2, middle + min_span / 2
    return low, high if high > low else low + 1.0


def paint_chart(paper: Paper, rect: QRectF, spec: ChartSpec, pt: float = 8.0) -> None:
    """Paint ``spec`` inside ``rect`` (paper millimetres): title, legend row, axes with units."""
    painter = paper.painter
    line = paper.line_height(pt)
    paper.text(
        QRectF(rect.left(), rect.top(), rect.width(), line * 1.3),
        paper.elide(spec.title, pt + 1, rect.width(), bold=True),
        pt + 1,
        bold=True,
    )
    # legend row(s) under the title: never over the data
    x, y = rect.left(), rect.top() + line * 1.4
    for s in spec.series:
        label = s.label + (" (right axis)" if s.right_axis and spec.y2_label else "")
        w = 7.5 + paper.text_width(label, pt - 0.5) + 4
        if x + w > rect.right() and x > rect.left():
            x, y = rect.left(), y + line
        painter.setPen(paper.pen(s.colour, s.width_pt * 0.3528, s.style))
        painter.drawLine(QPointF(x, y + line / 2), QPointF(x + 6, y + line / 2))
        paper.text(QRectF(x + 7.5, y, w, line), label, pt - 0.5)
        x += w
    top = y + line * 1.3
    left_s = [s for s in spec.series if not s.right_axis]
    right_s = [s for s in spec.series if s.right_axis]
    y_low, y_high = _range(left_s, spec.y_from_zero)
    y_ticks = nice_ticks(y_low, y_high)
    y_low, y_high = y_ticks[0], y_ticks[-1]
    y_width = max(paper.text_width(_fmt(t, _step(y_ticks)), pt - 0.5) for t in y_ticks)
    plot_left = rect.left() + line * 1.2 + y_width + 1.5
    plot_right = rect.right()
    y2_ticks: list[float] = []
    if right_s:
        y2_low, y2_high = _range(right_s, False, spec.y2_min_span)
        y2_ticks = nice_ticks(y2_low, y2_high, 4)
        y2_width = max(paper.text_width(_fmt(t, _step(y2_ticks)), pt - 0.5) for t in y2_ticks)
        plot_right = rect.right() - line * 1.2 - y2_width - 1.5
    bottom = rect.bottom() - line * 2.4
    plot = QRectF(plot_left, top, plot_right - plot_left, bottom - top)
    if plot.width() <= 5 or plot.height() <= 5:
        return
    xs = [float(v) for s in spec.series for v in s.x] + [t for t, _ in spec.x_ticks]
    x_low, x_high = (min(xs), max(xs)) if xs else (0.0, 1.0)
    if x_high <= x_low:
        x_low, x_high = x_low - 0.5, x_high + 0.5
    x_ticks = spec.x_ticks or tuple(
        (t, _fmt(t)) for t in nice_ticks(x_low, x_high) if x_low - 1e-9 <= t <= x_high + 1e-9
    )

    def px(v: float) -> float:
        return plot.left() + (v - x_low) / (x_high - x_low) * plot.width()

    def py(v: float, low: float = y_low, high: float = y_high) -> float:
        return plot.bottom() - (v - low) / (high - low) * plot.height()

    paper.box(plot, fill="#fbfbfa", line=None)
    small = pt - 0.5
    for t in y_ticks:
        paper.hline(plot.left(), plot.right(), py(t), colour=RULE, width_mm=0.12)
        paper.text(
            QRectF(plot.left() - y_width - 2.5, py(t) - line / 2, y_width + 1.5, line),
            _fmt(t, _step(y_ticks)),
            small,
            flags=int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        )
    for t, label in x_ticks:
        painter.setPen(paper.pen(INK, 0.15))
        painter.drawLine(QPointF(px(t), plot.bottom()), QPointF(px(t), plot.bottom() + 1.0))
        w = paper.text_width(label, small) + 2
        paper.text(
            QRectF(px(t) - w / 2, plot.bottom() + 1.0, w, line),
            label,
            small,
            flags=int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
        )
    if y2_ticks:
        for t in y2_ticks:
            yy = py(t, y2_ticks[0], y2_ticks[-1])
            painter.setPen(paper.pen(INK, 0.15))
            painter.drawLine(QPointF(plot.right(), yy), QPointF(plot.right() + 1.0, yy))
            paper.text(QRectF(plot.right() + 1.5, yy - line / 2, 20, line), _fmt(t, _step(y2_ticks)), small)
    painter.setPen(paper.pen(INK, 0.25))
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    painter.drawLine(plot.bottomLeft(), plot.topLeft())
    if right_s:
        painter.drawLine(plot.bottomRight(), plot.topRight())
    # axis titles with units
    paper.text(
        QRectF(plot.left(), rect.bottom() - line * 1.2, plot.width(), line * 1.2),
        spec.x_label,
        pt,
        flags=int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
    )
    _vertical_text(paper, QPointF(rect.left(), plot.center().y()), spec.y_label, pt, plot.height())
    if right_s and spec.y2_label:
        _vertical_text(paper, QPointF(rect.right() - line * 1.1, plot.center().y()), spec.y2_label, pt, plot.height())
    painter.save()
    painter.setClipRect(plot.adjusted(-0.5, -0.5, 0.5, 0.5))
    for s in spec.series:
        low, high = (y2_ticks[0], y2_ticks[-1]) if s.right_axis and y2_ticks else (y_low, y_high)
        path = QPainterPath()
        started = False
        points = []
        for xv, yv in zip(s.x, s.y, strict=False):
            xv, yv = float(xv), float(yv)
            if not (math.isfinite(xv) and math.isfinite(yv)):
                started = False
                continue
            point = QPointF(px(xv), py(yv, low, high))
            points.append(point)
            if started:
                path.lineTo(point)
            else:
                path.moveTo(point)
                started = True
        pen = paper.pen(s.colour, s.width_pt * 0.3528, s.style)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        if s.markers:
            painter.setBrush(QColor(s.colour))
            painter.setPen(paper.pen("white", 0.15))
            for point in points:
                painter.drawEllipse(point, 0.9, 0.9)
    painter.restore()
    if spec.marker_x is not None and x_low <= spec.marker_x <= x_high:
        mx = px(spec.marker_x)
        painter.setPen(paper.pen(INK, 0.3, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(mx, plot.top()), QPointF(mx, plot.bottom()))
        if spec.marker_label:
            w = paper.text_width(spec.marker_label, small, bold=True) + 2
            left = min(max(mx + 0.8, plot.left()), plot.right() - w)
            paper.box(QRectF(left, plot.top() + 0.5, w, line), fill="white", line=None)
            paper.text(
                QRectF(left, plot.top() + 0.5, w, line),
                spec.marker_label,
                small,
                bold=True,
                flags=int(Qt.AlignmentFlag.AlignCenter),
            )


def _vertical_text(paper: Paper, anchor: QPointF, text: str, pt: float, length: float) -> None:
    """Text rotated 90 degrees counter-clockwise, centred on the anchor's y, starting at its x."""
    painter = paper.painter
    painter.save()
    painter.translate(anchor.x(), anchor.y())
    painter.rotate(-90)
    h = paper.line_height(pt)
    paper.text(
        QRectF(-length / 2, 0, length, h), paper.elide(text, pt, length), pt, flags=int(Qt.AlignmentFlag.AlignCenter)
    )
    painter.restore()


# --------------------------------------------------------------------------- charts from results
MW = 1000.0


def transition_chart(sweep: SweepResult, marker_share: float | None = None, marker_label: str = "") -> ChartSpec:
    """Peak and mean IT and facility peak (MW) against the inference share, design-day PUE on the right."""
    share = np.asarray(sweep.shares) * 100.0
    ticks = tuple((float(t), f"{t:.0f}") for t in range(0, 101, 20))
    return ChartSpec(
        title="Transition: design-day power and PUE vs inference share",
        x_label="Inference share of AI energy (%)",
        y_label="Power (MW)",
        y2_label="PUE (design day)",
        y2_min_span=PUE_MIN_SPAN,
        series=(
            Series("Peak IT", share, np.asarray(sweep.peak_it_kw) / MW, BLUE),
            Series("Mean IT", share, np.asarray(sweep.mean_it_kw) / MW, SKY, style=Qt.PenStyle.DashLine),
            Series("Facility peak", share, np.asarray(sweep.peak_facility_kw) / MW, VERMILLION),
            Series("PUE", share, np.asarray(sweep.pue), GREEN, width_pt=1.2, right_axis=True),
        ),
        x_ticks=ticks,
        marker_x=None if marker_share is None else marker_share * 100.0,
        marker_label=marker_label,
    )


def year_chart(sweep: SweepResult, marker_year: int | None = None) -> ChartSpec:
    """The scenario's years: peak and mean IT and facility peak (MW), PUE on the right."""
    years = np.asarray(sweep.years)
    ticks = tuple((float(y), f"{int(y)} ({s:.0%})") for y, s in zip(years, sweep.year_shares, strict=False))
    return ChartSpec(
        title="Scenario by year (inference share in brackets)",
        x_label="Year",
        y_label="Power (MW)",
        y2_label="PUE (design day)",
        y2_min_span=PUE_MIN_SPAN,
        series=(
            Series("Peak IT", years, np.asarray(sweep.year_peak_it_kw) / MW, BLUE, markers=True),
            Series(
                "Mean IT", years, np.asarray(sweep.year_mean_it_kw) / MW, SKY, style=Qt.PenStyle.DashLine, markers=True
            ),
            Series("Facility peak", years, np.asarray(sweep.year_peak_facility_kw) / MW, VERMILLION, markers=True),
            Series("PUE", years, np.asarray(sweep.year_pue), GREEN, width_pt=1.2, right_axis=True, markers=True),
        ),
        x_ticks=ticks,
        marker_x=None if marker_year is None else float(marker_year),
        marker_label="" if marker_year is None else str(marker_year),
    )


def day_chart(results: Results) -> ChartSpec:
    """The design day: IT, cooling and facility power (MW) by hour, hourly PUE on the right."""
    hours = np.asarray(results.hours, dtype=np.float64)
    return ChartSpec(
        title="Design day: IT, cooling and facility power by hour",
        x_label="Hour of day (local time)",
        y_label="Power (MW)",
        y2_label="PUE",
        y2_min_span=PUE_MIN_SPAN,
        series=(
            Series("IT", hours, np.asarray(results.it_kw) / MW, BLUE),
            Series("Cooling", hours, np.asarray(results.cooling_kw) / MW, SKY),
            Series("Facility", hours, np.asarray(results.facility_kw) / MW, VERMILLION),
            Series("PUE", hours, np.asarray(results.pue), GREEN, width_pt=1.2, right_axis=True),
        ),
        x_ticks=tuple((float(h), str(h)) for h in range(0, 24, 3)),
        marker_x=float(results.hour),
        marker_label=f"peak hour {results.hour}",
    )


def render_chart_image(spec: ChartSpec, width_px: int, height_px: int, dpi: float = 96.0, pt: float = 8.0) -> QImage:
    """The chart as an image (e.g. for a slide or a quick look); ``dpi`` sets how big the text is."""
    from designer.ui.export.page import image_for_page

    width_mm, height_mm = width_px / dpi * 25.4, height_px / dpi * 25.4
    image = image_for_page(width_mm, height_mm, dpi)
    painter = QPainter(image)
    try:
        paper = Paper(painter, image, width_mm, height_mm)
        paint_chart(paper, QRectF(2, 2, width_mm - 4, height_mm - 4), spec, pt)
    finally:
        painter.end()
    return image


__all__ = [
    "MUTED",
    "ChartSpec",
    "Series",
    "day_chart",
    "nice_ticks",
    "paint_chart",
    "render_chart_image",
    "transition_chart",
    "year_chart",
]
