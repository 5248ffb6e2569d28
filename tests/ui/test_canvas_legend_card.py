"""The canvas legend's card: its rounded outline drawn once per size and copied on each repaint."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from designer.ui.canvas.colouring import CARD_EDGE, CARD_FILL, CanvasLegend


def _close(a: QColor, b: QColor, tolerance: int = 24) -> bool:
    return all(abs(x - y) <= tolerance for x, y in
               zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def test_the_card_follows_its_size_and_repaints_from_one_drawing(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The outline runs along the card's edges (the middle of its top edge is the edge colour, the
    middle of its bottom edge too) whatever its size: after the card grows, its new bottom edge is drawn
    (a drawing kept from the old size would leave the fill there), and a second grab reuses the drawing."""
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(600, 600)
    legend = CanvasLegend(host)
    legend.show_legend((("#ff0000", "hot"),), "at 40 % inference")
    host.show()
    qtbot.waitExposed(host)
    first = legend.grab().toImage()
    width, height = first.width(), first.height()
    ratio = first.devicePixelRatio()
    assert _close(first.pixelColor(round(width / 2), 0), CARD_EDGE)
    assert _close(first.pixelColor(round(width / 2), height - 1), CARD_EDGE)
    drawn = legend._card
    assert drawn is not None
    again = legend.grab().toImage()
    assert legend._card is drawn  # the same drawing, copied
    assert again == first
    legend.show_legend((("#ff0000", "hot"), ("#0000ff", "cold"), ("#00ff00", "a much longer row of words")),
                       "at 60 % inference")
    legend.layout().activate()  # the card takes its new size (a fixed-size layout)
    grown = legend.grab().toImage()
    assert grown.height() > height and legend._card is not drawn
    assert _close(grown.pixelColor(round(grown.width() / 2), grown.height() - 1), CARD_EDGE)
    # the old bottom edge row is inside the card now, in its left margin (no child widget there): the
    # fill (near white), no longer the outline a drawing of the old size would have put there
    inside = grown.pixelColor(round(3 * ratio), height - 1)
    assert _close(inside, CARD_FILL) and not _close(inside, CARD_EDGE)
