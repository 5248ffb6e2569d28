"""Colours and pens of the floor plan, made once and shared by every graphics item."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QGradient, QLinearGradient, QPen

from designer.model.catalog import CatalogEntry
from designer.model.records import Connection, PlacedItem
from designer.model.types import ConnectionKind, CoolingMedium, FeedSide, ItemKind, WorkloadClass

DIMMED_OPACITY = 0.22
"""Opacity (times an item's own) of what an overlay does not pick out (``FloorScene.pick_out``)."""

RACK_COLOURS = {
    WorkloadClass.TRAINING: "#6a3d9a",
    WorkloadClass.INFERENCE: "#2e8b57",
    WorkloadClass.AI: "#2f6db5",
    WorkloadClass.GENERAL: "#7d848e",
    WorkloadClass.STORAGE: "#a8741a",
    WorkloadClass.NETWORK: "#178a9c",
}
KIND_COLOURS = {
    ItemKind.RACK: "#7d848e",
    ItemKind.POWER: "#e0822a",
    ItemKind.COOLING: "#3aa0d8",
    ItemKind.FLOOR: "#b9bec6",
}
"""Fill colours of equipment by workload (racks) and family (the rest, ``RoleInfo.family``): one table for
the canvas, the palette icons and the exported plans."""
LEGEND = [(w.value.capitalize() + " rack", c) for w, c in RACK_COLOURS.items()] + [
    ("Power", KIND_COLOURS[ItemKind.POWER]),
    ("Cooling", KIND_COLOURS[ItemKind.COOLING]),
]


def _cosmetic(colour: str | QColor, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(QColor(colour), width, style)
    pen.setCosmetic(True)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    return pen


def _scaled(colour: str, width_mm: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    """A pen measured in millimetres: Qt's own bounding rects then cover it, so no redraw trails."""
    pen = QPen(QColor(colour), width_mm, style)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    return pen


OUTLINE_PEN = _scaled("#20242a", 10.0)
SELECTED_PEN = _scaled("#ffb000", 60.0)
PROBLEM_PEN = _scaled("#e01010", 60.0)
HALL_PEN = _cosmetic("#2b2f36", 2.5)
HALL_BRUSH = QBrush(QColor("#f7f7f4"))
GRID_PEN = _cosmetic("#dcdcd6", 1.0)
WALL_BRUSH = QBrush(QColor("#5a5f66"))
COLUMN_BRUSH = QBrush(QColor("#3a3e44"))
OTHER_OBSTACLE_BRUSH = QBrush(QColor("#9aa0a8"), Qt.BrushStyle.BDiagPattern)
DOOR_PEN = _cosmetic("#2b2f36", 1.5)
DOOR_GAP_PEN = _cosmetic("#f7f7f4", 4.0)
PREVIEW_PEN = _cosmetic("#ff00aa", 2.0, Qt.PenStyle.DashLine)
CONNECT_SOURCE_PEN = _cosmetic("#ff00aa", 3.0)
CONNECT_TARGET_PEN = _cosmetic("#009e73", 3.0)
"""The connect tool's outline of a valid item under the cursor (bluish green, colour-blind safe)."""
CONNECT_REFUSED_PEN = _cosmetic("#d55e00", 3.0, Qt.PenStyle.DashLine)
"""... and of an item it cannot link to (vermilion, dashed so it does not rely on colour alone)."""
GHOST_PEN = _cosmetic("#3c4450", 1.5, Qt.PenStyle.DashLine)
"""Outline of an item not in service in the selected year (phased build-out): dashed, so it does not
rely on the dimming alone."""
GHOST_OPACITY = 0.3
"""Opacity of such an item (times its own, e.g. a floor element's)."""
UNDERLAY_PEN = _cosmetic(QColor(112, 122, 138, 150), 1.0)
"""A CAD drawing under the plan: 1 px, slate grey at 60 % so it reads on the light floor and the dark
canvas around it without competing with the equipment drawn over it."""

_fill_cache: dict[str, tuple[QBrush, QBrush, QColor]] = {}


def fill_colour(entry: CatalogEntry, item: PlacedItem) -> str:
    if entry.kind is ItemKind.RACK:
        workload = item.workload or entry.workload or WorkloadClass.GENERAL
        return RACK_COLOURS.get(workload, KIND_COLOURS[ItemKind.RACK])
    return KIND_COLOURS.get(entry.kind, "#999999")


def brushes_for(colour: str) -> tuple[QBrush, QBrush, QColor]:
    """(body brush, front-edge brush, label colour) for a fill colour; cached."""
    cached = _fill_cache.get(colour)
    if cached is None:
        body = QColor(colour)
        front = body.darker(190)
        lightness = 0.299 * body.red() + 0.587 * body.green() + 0.114 * body.blue()
        text = QColor("#111111") if lightness > 150 else QColor("#ffffff")
        cached = (QBrush(body), QBrush(front), text)
        _fill_cache[colour] = cached
    return cached


def front_band_mm(depth_mm: float) -> float:
    """Depth of the dark band marking the front (cold-aisle) face."""
    return min(max(depth_mm * 0.14, 60.0), depth_mm / 2)


def _highlighted(colour: QColor) -> QColor:
    hue = colour.hsvHueF() if colour.hsvHueF() >= 0 else 0.0
    return QColor.fromHsvF(hue, colour.hsvSaturationF() * 0.55, min(1.0, colour.valueF() * 1.35 + 0.15))


_body_cache: dict[tuple[str, float, bool], QBrush] = {}


def body_brush(colour: str, depth_mm: float, highlighted: bool) -> QBrush:
    """The body fill with the front band as a hard gradient stop (one item, no child to draw)."""
    key = (colour, depth_mm, highlighted)
    cached = _body_cache.get(key)
    if cached is None:
        body = QColor(colour)
        if highlighted:
            body = _highlighted(body)
        front = QColor(colour).darker(190)
        stop = front_band_mm(depth_mm) / depth_mm
        gradient = QLinearGradient(0.0, -depth_mm / 2, 0.0, depth_mm / 2)
        gradient.setColorAt(0.0, front)
        gradient.setColorAt(stop, front)
        gradient.setColorAt(min(stop + 1e-4, 1.0), body)
        gradient.setColorAt(1.0, body)
        cached = _body_cache[key] = QBrush(gradient)
    return cached


_object_cache: dict[tuple[str, float, bool, int], QBrush] = {}


def body_brush_object(colour: str, depth_mm: float, highlighted: bool, quarter_turns: int) -> QBrush:
    """``body_brush`` relative to each rectangle drawn (ObjectMode), turned by ``quarter_turns`` x 90°
    clockwise: the floor picture fills many items with one ``drawRects`` call through it."""
    key = (colour, depth_mm, highlighted, quarter_turns % 4)
    cached = _object_cache.get(key)
    if cached is None:
        body = QColor(colour)
        if highlighted:
            body = _highlighted(body)
        front = QColor(colour).darker(190)
        stop = front_band_mm(depth_mm) / depth_mm
        start, end = {0: ((0.0, 0.0), (0.0, 1.0)), 1: ((1.0, 0.0), (0.0, 0.0)),
                      2: ((0.0, 1.0), (0.0, 0.0)), 3: ((0.0, 0.0), (1.0, 0.0))}[key[3]]
        gradient = QLinearGradient(*start, *end)
        gradient.setCoordinateMode(QGradient.CoordinateMode.ObjectMode)
        gradient.setColorAt(0.0, front)
        gradient.setColorAt(stop, front)
        gradient.setColorAt(min(stop + 1e-4, 1.0), body)
        gradient.setColorAt(1.0, body)
        cached = _object_cache[key] = QBrush(gradient)
    return cached


def label_colours(colour: str) -> tuple[QBrush, QColor]:
    """(chip brush, text colour) of a label on an item of fill ``colour``."""
    return brushes_for(colour)[1], _LABEL_TEXT


_LABEL_TEXT = QColor("#ffffff")
_connection_pens: dict[tuple[str, str], QPen] = {}


def connection_pen(connection: Connection) -> QPen:
    """Power A red solid, B blue dashed, single orange dash-dot; cooling liquid navy, air cyan dotted."""
    if connection.kind is ConnectionKind.POWER:
        key = ("power", connection.feed.value)
        spec = {
            FeedSide.A: ("#d62728", Qt.PenStyle.SolidLine),
            FeedSide.B: ("#1f4fd6", Qt.PenStyle.DashLine),
            FeedSide.SINGLE: ("#e07b00", Qt.PenStyle.DashDotLine),
        }[connection.feed]
    else:
        key = ("cooling", connection.medium.value)
        spec = {
            CoolingMedium.LIQUID: ("#0b3d91", Qt.PenStyle.SolidLine),
            CoolingMedium.AIR: ("#00a5b8", Qt.PenStyle.DotLine),
        }[connection.medium]
    pen = _connection_pens.get(key)
    if pen is None:
        pen = _scaled(spec[0], 60.0, spec[1])
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        _connection_pens[key] = pen
    return pen


CONNECTION_SELECTED_PEN = _scaled("#ffb000", 160.0)
