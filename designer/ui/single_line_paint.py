"""Painting the single-line diagram's boxes and lines with a QPainter (shared by the view and the sheets).

Coordinates are the layout's drawing millimetres; text is set through a 10x finer coordinate system
with pixel-sized fonts, so it has the same size on a widget, in a PDF and in an SVG.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen

from designer.analysis.single_line import AT_RISK, UNKNOWN, UNSERVED, SldLayout, SldLink, SldNode
from designer.ui.canvas.colour_modes import OK, OVER, WARN
from designer.ui.canvas.colour_modes import UNKNOWN as UNKNOWN_COLOUR

FONT_FAMILY = "DejaVu Sans"
TEXT_MM = 3.1
LINE_MM = 4.2
TITLE_MM = 3.4
SIDE_COLOURS = {"A": "#1f5fbf", "B": "#b8321a", "": "#5b626c"}
"""A path blue and solid, B path red and dashed, shared or single grey."""
SIDE_STYLES = {"A": Qt.PenStyle.SolidLine, "B": Qt.PenStyle.DashLine, "": Qt.PenStyle.SolidLine}
STATE_COLOURS = {
    "none": "#d3d6db",
    "ok": OK,
    "warn": WARN,
    "over": OVER,
    AT_RISK: WARN,
    UNSERVED: OVER,
    UNKNOWN: UNKNOWN_COLOUR,
}
STATE_WORDS = {
    "ok": "within rating",
    "warn": "above the continuous rating (normally or after a single failure)",
    "over": "over its rating (normally or after a single failure)",
    AT_RISK: "racks a single failure drops",
    UNSERVED: "racks without power now",
    UNKNOWN: "not analysed yet",
}
INK = QColor("#1d2127")
SELECTED = QColor("#ffb000")


def state_colour(state: str) -> QColor:
    return QColor(STATE_COLOURS.get(state, UNKNOWN_COLOUR))


def _font(size_mm: float, bold: bool = False) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setPixelSize(max(1, round(size_mm * 10)))
    font.setBold(bold)
    return font


def paint_node(painter: QPainter, node: SldNode, rect: QRectF, *, selected: bool = False, detail: bool = True) -> None:
    """One box at ``rect`` (drawing mm): a tinted fill and a state-coloured edge, a side tab, its lines
    (``detail`` False: the box alone, for a view zoomed out too far to read them)."""
    colour = state_colour(node.state)
    fill = QColor(colour)
    fill.setAlpha(50)
    painter.setBrush(QBrush(fill))
    edge = QPen(SELECTED if selected else colour.darker(130), 1.2 if selected else 0.5)
    painter.setPen(edge)
    painter.drawRect(rect)
    if not detail:
        return
    if node.side:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(SIDE_COLOURS[node.side]))
        painter.drawRect(QRectF(rect.right() - 5.0, rect.top(), 5.0, 5.0))
        painter.save()
        painter.scale(0.1, 0.1)
        painter.setFont(_font(3.0, bold=True))
        painter.setPen(QColor("white"))
        painter.drawText(QRectF((rect.right() - 5.0) * 10, rect.top() * 10, 50, 50),
                         int(Qt.AlignmentFlag.AlignCenter), node.side)
        painter.restore()
    painter.save()
    painter.scale(0.1, 0.1)
    painter.setPen(INK)
    lines = node.lines()
    for index, line in enumerate(lines):
        bold = index == 0
        painter.setFont(_font(TITLE_MM if bold else TEXT_MM, bold))
        width = (rect.width() - (7.0 if node.side and index == 0 else 2.0)) * 10
        text = painter.fontMetrics().elidedText(line, Qt.TextElideMode.ElideRight, round(width))
        painter.drawText(QRectF((rect.left() + 1.2) * 10, (rect.top() + 0.8 + index * LINE_MM) * 10, width,
                                LINE_MM * 10), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
    painter.restore()


def link_pen(side: str, count: int = 1) -> QPen:
    pen = QPen(QColor(SIDE_COLOURS.get(side, SIDE_COLOURS[""])), 0.45 if count < 4 else 0.7,
               SIDE_STYLES.get(side, Qt.PenStyle.SolidLine))
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


def link_path(link: SldLink) -> QPainterPath:
    path = QPainterPath(QPointF(*link.points_mm[0]))
    for x, y in link.points_mm[1:]:
        path.lineTo(QPointF(x, y))
    return path


def paint_links(painter: QPainter, layout: SldLayout) -> None:
    """Every line, one pen per side: drawn first so the boxes sit on top."""
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for link in layout.links:
        painter.setPen(link_pen(link.side, link.count))
        painter.drawPath(link_path(link))


def paint_rows(painter: QPainter, layout: SldLayout) -> None:
    """The stage titles down the left edge and a faint rule per row."""
    painter.save()
    painter.scale(0.1, 0.1)
    painter.setFont(_font(TEXT_MM, bold=True))
    painter.setPen(QColor("#5b626c"))
    for title, top in layout.rows:
        painter.drawText(QRectF(20, (top - 4.5) * 10, 3000, 40),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), title)
    painter.restore()


def paint_layout(painter: QPainter, layout: SldLayout, selected: frozenset[str] = frozenset()) -> None:
    """The whole diagram in drawing millimetres (the caller sets the transform)."""
    paint_rows(painter, layout)
    paint_links(painter, layout)
    for node in layout.nodes:
        paint_node(painter, node, QRectF(node.x_mm, node.y_mm, node.width_mm, node.height_mm),
                   selected=node.id in selected)


def legend_rows() -> list[tuple[str, str, str]]:
    """(kind, colour, words) for a key: the paths, then the states."""
    rows = [("line", SIDE_COLOURS["A"], "A path"), ("dash", SIDE_COLOURS["B"], "B path"),
            ("line", SIDE_COLOURS[""], "single feed / shared")]
    rows += [("box", STATE_COLOURS[s], words) for s, words in STATE_WORDS.items()]
    return rows
