"""Plot items the dashboard updates on every slider move, made cheap to update and to paint.

- StateBars: pg.BarGraphItem records every bar into a QPicture with a Python call per bar; the
  utilisation chart has hundreds of bars of which about forty are in view.
- StackedAreas: stacked pg.FillBetweenItems rebuild each fill's path once per neighbouring curve
  change; one item holding the whole stack updates once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen, QPolygonF


class DataItem(pg.GraphicsObject):
    """A plot item whose extent is its data's: x from x0 to x1 and y from y0 to y1, in plot units."""

    def __init__(self) -> None:
        super().__init__()
        self._extent: tuple[float, float, float, float] | None = None

    def set_extent(self, extent: tuple[float, float, float, float] | None) -> None:
        """New data: (x0, x1, y0, y1), or None when there is none; repaints."""
        self.prepareGeometryChange()
        self._extent = extent
        self.informViewBoundsChanged()
        self.update()

    def boundingRect(self) -> QRectF:
        if self._extent is None:
            return QRectF()
        x0, x1, y0, y1 = self._extent
        return QRectF(x0, y0, x1 - x0, y1 - y0)

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange: object = None) -> tuple[float, float] | None:
        if self._extent is None:
            return None
        return self._extent[:2] if ax == 0 else self._extent[2:]


class StateBars(DataItem):
    """Bars from 0 to ``heights`` centred on ``x``; ``states[i]`` picks bar i's brush and pen."""

    def __init__(self, width: float, brushes: Sequence[QBrush], pens: Sequence[QPen]) -> None:
        super().__init__()
        if len(brushes) != len(pens):
            raise ValueError(f"StateBars needs a pen per brush, got {len(brushes)} brushes and {len(pens)} pens")
        self.width = width
        self.brushes, self.pens = list(brushes), list(pens)
        self.x: npt.NDArray[np.float64] = np.empty(0)
        self.heights: npt.NDArray[np.float64] = np.empty(0)
        self.states: npt.NDArray[np.int8] = np.empty(0, dtype=np.int8)

    def set_bars(self, x: npt.ArrayLike, heights: npt.ArrayLike, states: npt.ArrayLike) -> None:
        x = np.asarray(x, dtype=np.float64)
        heights = np.asarray(heights, dtype=np.float64)
        states = np.asarray(states, dtype=np.int8)
        if not x.shape == heights.shape == states.shape:
            raise ValueError(f"StateBars: x {x.shape}, heights {heights.shape} and states {states.shape} differ")
        if states.size and (states.min() < 0 or states.max() >= len(self.brushes)):
            raise ValueError(f"StateBars: a state outside 0..{len(self.brushes) - 1}")
        self.x, self.heights, self.states = x, np.nan_to_num(heights, nan=0.0), states
        half = self.width / 2.0
        self.set_extent((float(x.min()) - half, float(x.max()) + half, float(min(self.heights.min(), 0.0)),
                         float(max(self.heights.max(), 0.0))) if x.size else None)

    def paint(self, painter: QPainter, *_args: object) -> None:
        if not self.x.size:
            return
        view = self.viewRect()
        half = self.width / 2.0
        in_view = np.ones(self.x.size, dtype=bool) if view is None else (
            (self.x + half >= view.left()) & (self.x - half <= view.right()))
        for state, (brush, pen) in enumerate(zip(self.brushes, self.pens, strict=True)):
            chosen = np.flatnonzero(in_view & (self.states == state))
            if not chosen.size:
                continue
            painter.setBrush(brush)
            painter.setPen(pen)
            painter.drawRects([QRectF(x - half, 0.0, self.width, h)
                               for x, h in zip(self.x[chosen].tolist(), self.heights[chosen].tolist(), strict=True)])


class StackedAreas(DataItem):
    """Layers stacked from 0 over common x: layer i fills between the sums of layers < i and <= i with
    ``brushes[i]``, its top edge drawn with ``pens[i]``."""

    def __init__(self, brushes: Sequence[QBrush], pens: Sequence[QPen]) -> None:
        super().__init__()
        if len(brushes) != len(pens):
            raise ValueError(f"StackedAreas needs a pen per brush, got {len(brushes)} brushes and {len(pens)} pens")
        self.brushes, self.pens = list(brushes), list(pens)
        self.x: npt.NDArray[np.float64] = np.empty(0)
        self.tops: npt.NDArray[np.float64] = np.empty((len(brushes), 0))
        """(layers, len(x)): the cumulative sums, so ``tops[-1]`` is the total."""
        self._polygons: list[tuple[QPolygonF, QPolygonF]] = []

    def set_layers(self, x: npt.ArrayLike, layers: npt.ArrayLike) -> None:
        """Stack ``layers`` (one row per brush) over ``x``."""
        x = np.asarray(x, dtype=np.float64)
        layers = np.asarray(layers, dtype=np.float64)
        if layers.shape != (len(self.brushes), x.size):
            raise ValueError(f"StackedAreas: layers {layers.shape} do not match {len(self.brushes)} brushes "
                             f"by {x.size} x values")
        self.x = x
        self.tops = np.cumsum(np.nan_to_num(layers, nan=0.0), axis=0)
        xs = x.tolist()
        below = [QPointF(v, 0.0) for v in reversed(xs)]
        self._polygons = []
        for top in self.tops.tolist():
            edge = [QPointF(a, b) for a, b in zip(xs, top, strict=True)]
            self._polygons.append((QPolygonF(edge + below), QPolygonF(edge)))
            below = edge[::-1]
        self.set_extent((float(x.min()), float(x.max()), float(min(self.tops.min(), 0.0)),
                         float(max(self.tops.max(), 0.0))) if x.size else None)

    def paint(self, painter: QPainter, *_args: object) -> None:
        # never raise in paint (Qt is mid-paint); no polygons before the first set_layers
        for (area, edge), brush, pen in zip(self._polygons, self.brushes, self.pens, strict=False):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(brush)
            painter.drawPolygon(area)
            painter.setPen(pen)
            painter.drawPolyline(edge)
