"""StateBars and StackedAreas: the data they hold, what they paint, and bad input."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from designer.ui.dashboard.plot_items import StackedAreas, StateBars


class Rendered:
    """``item`` painted alone in a 200 x 100 px plot with fixed ranges; ``at(x, y)`` reads the colour at a
    point in plot coordinates."""

    def __init__(self, item: pg.GraphicsObject, x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
        self.widget = _plot(item, x_range, y_range)
        self.widget.show()
        QApplication.processEvents()  # lay the plot out at its size
        self.image = self.widget.grab().toImage()
        self.widget.hide()

    def at(self, x: float, y: float) -> QColor:
        scene = self.widget.plotItem.vb.mapViewToScene(QPointF(x, y))
        pixel = self.widget.mapFromScene(scene)
        return self.image.pixelColor(pixel.x(), pixel.y())


def _plot(item: pg.GraphicsObject, x_range: tuple[float, float], y_range: tuple[float, float]) -> pg.PlotWidget:
    widget = pg.PlotWidget()
    widget.setBackground("w")
    widget.hideAxis("left")
    widget.hideAxis("bottom")
    widget.addItem(item)
    widget.setXRange(*x_range, padding=0)
    widget.setYRange(*y_range, padding=0)
    widget.resize(200, 100)
    return widget


def _is(colour: QColor, name: str) -> bool:
    wanted = QColor(name)
    return max(abs(colour.red() - wanted.red()), abs(colour.green() - wanted.green()),
               abs(colour.blue() - wanted.blue())) <= 8


def test_state_bars_paint_each_bar_in_its_state_colour(qtbot):  # type: ignore[no-untyped-def]
    bars = StateBars(0.8, [pg.mkBrush("#ff0000"), pg.mkBrush("#0000ff")], [pg.mkPen(None), pg.mkPen(None)])
    bars.set_bars([0.0, 1.0], [50.0, 100.0], [0, 1])
    picture = Rendered(bars, (-0.5, 1.5), (0.0, 100.0))
    assert _is(picture.at(0.0, 10.0), "#ff0000")
    assert _is(picture.at(0.0, 90.0), "#ffffff"), "the first bar is only 50 high"
    assert _is(picture.at(1.0, 90.0), "#0000ff")
    assert _is(picture.at(0.5, 10.0), "#ffffff"), "0.2 wide gap between the bars"
    assert _is(picture.at(0.0 + 0.35, 10.0), "#ff0000"), "bars are 0.8 wide"
    np.testing.assert_array_equal(bars.heights, [50.0, 100.0])


def test_state_bars_skip_bars_out_of_view_but_bound_all(qtbot):  # type: ignore[no-untyped-def]
    bars = StateBars(0.5, [pg.mkBrush("#00ff00")], [pg.mkPen(None)])
    bars.set_bars(np.arange(300.0), np.full(300, 10.0), np.zeros(300))
    assert bars.dataBounds(0) == (-0.25, 299.25)
    assert bars.dataBounds(1) == (0.0, 10.0)
    assert _is(Rendered(bars, (-0.5, 1.5), (0.0, 10.0)).at(1.0, 5.0), "#00ff00")


def test_state_bars_reject_mismatched_input(qtbot):  # type: ignore[no-untyped-def]
    bars = StateBars(0.5, [pg.mkBrush("r")], [pg.mkPen("r")])
    with pytest.raises(ValueError, match="differ"):
        bars.set_bars([0, 1], [1.0], [0, 0])
    with pytest.raises(ValueError, match=r"state outside 0\.\.0"):
        bars.set_bars([0], [1.0], [1])
    with pytest.raises(ValueError, match="a pen per brush"):
        StateBars(0.5, [pg.mkBrush("r")], [])


def test_stacked_areas_stack_the_layers_and_fill_between(qtbot):  # type: ignore[no-untyped-def]
    stack = StackedAreas([pg.mkBrush("#ff0000"), pg.mkBrush("#0000ff")], [pg.mkPen(None), pg.mkPen(None)])
    # layer 0 is 2 everywhere, layer 1 adds 6: tops at 2 and 8 on a 0..10 axis
    stack.set_layers([0.0, 1.0, 2.0], [[2.0, 2.0, 2.0], [6.0, 6.0, 6.0]])
    np.testing.assert_allclose(stack.tops, [[2.0, 2.0, 2.0], [8.0, 8.0, 8.0]])
    picture = Rendered(stack, (0.0, 2.0), (0.0, 10.0))
    assert _is(picture.at(1.0, 1.0), "#ff0000")
    assert _is(picture.at(1.0, 5.0), "#0000ff")
    assert _is(picture.at(1.0, 9.5), "#ffffff"), "above the stack"
    assert stack.dataBounds(1) == (0.0, 8.0)


def test_stacked_areas_paint_before_data_and_reject_wrong_shapes(qtbot):  # type: ignore[no-untyped-def]
    stack = StackedAreas([pg.mkBrush("r"), pg.mkBrush("b")], [pg.mkPen("r"), pg.mkPen("b")])
    picture = Rendered(stack, (0.0, 1.0), (0.0, 1.0))  # painting with no data must not fail
    assert _is(picture.at(0.5, 0.5), "#ffffff")
    with pytest.raises(ValueError, match="do not match 2 brushes by 3 x values"):
        stack.set_layers([0, 1, 2], [[1, 2, 3]])
