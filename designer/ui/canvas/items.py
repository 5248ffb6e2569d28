"""Graphics items of the floor plan: placed items, their labels, connections and the hall itself.

Scene units are millimetres; y points down, as in the model.
"""

from __future__ import annotations

import math
from typing import ClassVar

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGradient,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsRectItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from designer.model import effective
from designer.model.catalog import CatalogEntry
from designer.model.geometry import drawn_size_mm
from designer.model.records import Connection, Door, Hall, Obstacle, PlacedItem, Underlay
from designer.model.roles import NOT_FLOOR_STANDING
from designer.model.types import ItemKind, ObstacleKind
from designer.ui.canvas import style
from designer.ui.canvas.floor_picture import PictureTile
from designer.ui.plain_text import plain_html

Z_HALL, Z_OBSTACLE, Z_FLOOR, Z_EQUIPMENT, Z_RACK, Z_OVERHEAD = 0, 1, 5, 9, 10, 11
Z_UNDERLAY = 0.5
"""Over the hall's floor and grid (or they would hide it), under walls, doors and every item."""
Z_CONNECTION, Z_LABEL, Z_PREVIEW = 20, 25, 30
ITEM_ID_KEY = 0
"""``QGraphicsItem.data`` key holding the model id."""

LABEL_HEIGHT_MM = 140
"""Labels are drawn to scale (like text in a CAD drawing), so the scene's index can cull them:
items that ignore the view's transformation cannot be culled and made every repaint visit all
10,000 labels of a large hall."""
LABEL_FONT = QFont()
LABEL_FONT.setPixelSize(LABEL_HEIGHT_MM)
_LABEL_METRICS = QFontMetricsF(LABEL_FONT)


_NO_BUTTONS = Qt.MouseButton.NoButton
_SELECTABLE = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
_ALIGN_CENTRE = Qt.AlignmentFlag.AlignCenter
_NO_PEN = Qt.PenStyle.NoPen
_RECT = QGraphicsRectItem
"""The Qt setters themselves, for the item's own changes (which tell its tile once, not per setter)."""


class LabelItem(QGraphicsItem):
    """Upright text, drawn to scale in mm, on a coloured chip centred on its item.

    A top-level item above the connection overlay, made only while labels are shown (level of
    detail) and moved by the scene together with its item.
    """

    def __init__(self, text: str, chip: QBrush, colour: QColor) -> None:
        super().__init__()
        self.setAcceptedMouseButtons(_NO_BUTTONS)
        self.setZValue(Z_LABEL)
        self._text = ""
        self._rect = QRectF()
        self._chip, self._colour = chip, colour
        self.set_text(text)

    def set_text(self, text: str) -> None:
        if text == self._text:
            return
        self.prepareGeometryChange()
        self._text = text
        width = _LABEL_METRICS.horizontalAdvance(text) + LABEL_HEIGHT_MM * 0.5
        height = _LABEL_METRICS.height() + LABEL_HEIGHT_MM * 0.15
        self._rect = QRectF(-width / 2, -height / 2, width, height)
        self.update()

    def text(self) -> str:
        return self._text

    def set_colours(self, chip: QBrush, colour: QColor) -> None:
        self._chip, self._colour = chip, colour
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setPen(_NO_PEN)
        painter.setBrush(self._chip)
        radius = LABEL_HEIGHT_MM * 0.25
        painter.drawRoundedRect(self._rect, radius, radius)
        painter.setFont(LABEL_FONT)
        painter.setPen(self._colour)
        painter.drawText(self._rect, _ALIGN_CENTRE, self._text)


class FootprintItem(QGraphicsRectItem):
    """Top view of a placed item: its body with a dark band on the front (cold-aisle) face.

    A plain Qt rect item (the band is a gradient in its brush), so drawing 10,000 of them runs no
    Python per frame. The scene sets the look when the selection or the placement problems change,
    and makes the label only while labels are shown.

    ``paint`` is the one per-item paint path: zoomed in, Qt calls it; zoomed out, the floor picture
    (``floor_picture.PictureTile``) calls it to draw the item into its tile's cached pixmap. A
    subclass that draws more (or differently) overrides ``paint`` and calls ``update()`` when what
    it draws changes: ``update`` and the Qt setters below (``setBrush``, ``setPen``, ``setPos``,
    ``setRotation``, ``setRect``, ``setOpacity``, ``setVisible``) tell the tile to draw again.
    """

    z_value = Z_EQUIPMENT
    fill_opacity = 1.0

    def __init__(self, item: PlacedItem, entry: CatalogEntry) -> None:
        # what ``update_from`` and ``_apply_look`` would set on a new item, set once: a 50,000-rack hall
        # makes 50,000 of these when it opens (the model id is an attribute, not Qt item data)
        width, depth = drawn_size_mm(entry)
        super().__init__(-width / 2, -depth / 2, width, depth)
        self.setFlag(_SELECTABLE)
        self.setZValue(self.z_value)
        if self.fill_opacity < 1.0:
            _RECT.setOpacity(self, self.fill_opacity)
        self.item_id = item.id
        self.problem = ""
        self.highlighted = False
        self.ghost = False
        """Not in service in the selected year (phased build-out): dimmed with a dashed outline."""
        self.label: LabelItem | None = None
        self._mark: QGraphicsLineItem | None = None
        self.picture_tile: PictureTile | None = None
        """The floor picture tile drawing this item while zoomed out (set by ``FloorPicture``)."""
        self.own_look = True
        """The look is the one this class sets (``_apply_look``); False once someone else set a brush,
        a pen or a rect with the Qt setters: the floor picture then draws it through ``paint``."""
        self.look_opacity = self.fill_opacity
        self.look_visible = True
        self.size_mm = (width, depth)
        self.pod_id = item.pod_id
        self.label_text = item.label or item.id
        _RECT.setPos(self, item.x_mm, item.y_mm)
        self.rotation_deg = 0.0
        if item.rotation_deg:
            _RECT.setRotation(self, item.rotation_deg)
            self.rotation_deg = _RECT.rotation(self)
        self._colour = colour = style.fill_colour(entry, item)
        _RECT.setBrush(self, style.body_brush(colour, depth, False))
        _RECT.setPen(self, style.OUTLINE_PEN)
        if type(self)._on_resized is not FootprintItem._on_resized:  # rect() costs a wrapper per call
            self._on_resized(self.rect())

    # ----------------------------------------------------------------- the floor picture follows
    def _moved(self) -> None:
        tile = self.picture_tile
        if tile is not None:
            tile.member_moved(self)

    def _restyled(self) -> None:
        tile = self.picture_tile
        if tile is not None:
            tile.member_changed(self, look_only=True)

    def setPos(self, *args: object) -> None:  # type: ignore[override]
        _RECT.setPos(self, *args)  # type: ignore[call-overload]
        self._moved()

    def setRotation(self, angle: float) -> None:
        _RECT.setRotation(self, angle)
        self.rotation_deg = _RECT.rotation(self)
        self._moved()

    def setRect(self, *args: object) -> None:  # type: ignore[override]
        _RECT.setRect(self, *args)  # type: ignore[call-overload]
        self.own_look = False
        self._moved()

    def setBrush(self, brush: QBrush | QColor | Qt.GlobalColor | QGradient) -> None:  # type: ignore[override]
        _RECT.setBrush(self, brush)
        self.own_look = False
        self._restyled()

    def setPen(self, pen: QPen | QColor | Qt.GlobalColor | Qt.PenStyle) -> None:  # type: ignore[override]
        _RECT.setPen(self, pen)
        self.own_look = False
        self._restyled()

    def setOpacity(self, opacity: float) -> None:
        _RECT.setOpacity(self, opacity)
        self.look_opacity = _RECT.opacity(self)
        self._restyled()

    def setVisible(self, visible: bool) -> None:
        _RECT.setVisible(self, visible)
        self.look_visible = bool(visible)
        self._restyled()

    def update(self, *args: object) -> None:  # type: ignore[override]
        _RECT.update(self, *args)  # type: ignore[call-overload]
        self._restyled()

    def set_self_painted(self, painted: bool) -> None:
        """Qt paints this item (zoomed in) or its floor picture tile does (zoomed out)."""
        flag = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
        self.setFlag(flag, not painted)
        if self._mark is not None:
            self._mark.setFlag(flag, not painted)

    # ----------------------------------------------------------------- the model item
    def update_from(self, item: PlacedItem, entry: CatalogEntry) -> None:
        """Follow a new version of the model item."""
        width, depth = drawn_size_mm(entry)
        rect = QRectF(-width / 2, -depth / 2, width, depth)
        if rect != self.rect():
            _RECT.setRect(self, rect)
            self._on_resized(rect)
        self.size_mm = (width, depth)
        self.pod_id = item.pod_id
        self.label_text = item.label or item.id
        _RECT.setPos(self, item.x_mm, item.y_mm)
        _RECT.setRotation(self, item.rotation_deg)
        self.rotation_deg = _RECT.rotation(self)
        self._colour = style.fill_colour(entry, item)
        if self.label is not None:
            self.label.setPos(item.x_mm, item.y_mm)
            self.label.set_text(self.label_text)
            self.label.set_colours(*style.label_colours(self._colour))
        self._apply_look()
        self._moved()

    def _on_resized(self, rect: QRectF) -> None:
        """Subclasses add their own marks."""

    def make_label(self) -> LabelItem:
        """The label item, made on first use and put in this item's scene."""
        if self.label is None:
            self.label = LabelItem(self.label_text, *style.label_colours(self._colour))
            self.label.setPos(self.pos())
            if self.ghost:
                self.label.setOpacity(style.GHOST_OPACITY)
        scene = self.scene()
        if scene is not None and self.label.scene() is None:
            scene.addItem(self.label)
        return self.label

    def move_to(self, pos: QPointF) -> None:
        """Move the item and its label together."""
        self.setPos(pos)
        if self.label is not None:
            self.label.setPos(pos)

    def set_problem(self, problem: str) -> None:
        if problem != self.problem:
            self.problem = problem
            self._apply_look()

    def set_ghost(self, ghost: bool) -> None:
        """Show the item as not (yet, or no longer) in service in the selected year, or as standing."""
        if ghost != self.ghost:
            self.ghost = ghost
            self.setOpacity(self.fill_opacity * (style.GHOST_OPACITY if ghost else 1.0))
            if self.label is not None:
                self.label.setOpacity(style.GHOST_OPACITY if ghost else 1.0)
            self._apply_look()

    def set_highlighted(self, highlighted: bool) -> None:
        """Selection look (the scene calls this when the selection changes)."""
        if highlighted != self.highlighted:
            self.highlighted = highlighted
            self._apply_look()

    @property
    def fill_colour(self) -> str:
        return self._colour

    def set_fill_colour(self, colour: str) -> bool:
        """Fill with ``colour`` (an overlay) and match the label's chip; False when nothing changed."""
        if colour == self._colour:
            return False
        self._colour = colour
        if self.own_look:
            _RECT.setBrush(self, style.body_brush(colour, self.size_mm[1], self.highlighted))  # the pen stays
            self._restyled()
        else:
            self.setBrush(style.body_brush(colour, self.rect().height(), self.highlighted))
        if self.label is not None:
            self.label.set_colours(*style.label_colours(colour))
        return True

    def _apply_look(self) -> None:
        rect = self.rect()
        _RECT.setBrush(self, style.body_brush(self._colour, rect.height(), self.highlighted))
        if self.highlighted:
            _RECT.setPen(self, style.SELECTED_PEN)
        elif self.problem:
            _RECT.setPen(self, style.PROBLEM_PEN)
        else:
            _RECT.setPen(self, style.GHOST_PEN if self.ghost else style.OUTLINE_PEN)
        self.own_look = self.rect() == QRectF(-self.size_mm[0] / 2, -self.size_mm[1] / 2, *self.size_mm)
        self._restyled()

    def outline_pen(self) -> QPen:
        """The pen ``_apply_look`` gives (selection, problem, ghost or plain outline)."""
        if self.highlighted:
            return style.SELECTED_PEN
        if self.problem:
            return style.PROBLEM_PEN
        return style.GHOST_PEN if self.ghost else style.OUTLINE_PEN

    def footprint_rect(self) -> QRectF:
        return self.rect()


class RackItem(FootprintItem):
    z_value = Z_RACK


class EquipmentItem(FootprintItem):
    """Power and cooling equipment: drawn like a rack with a diagonal so it reads as a unit."""

    def _on_resized(self, rect: QRectF) -> None:
        if self._mark is None:
            self._mark = QGraphicsLineItem(self)
            self._mark.setPen(style.OUTLINE_PEN)
            self._mark.setAcceptedMouseButtons(_NO_BUTTONS)
            no_contents = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
            self._mark.setFlag(no_contents, bool(self.flags() & no_contents))  # drawn by the tile, as its item
        self._mark.setLine(
            QLineF(rect.bottomLeft(), QPointF(rect.right(), rect.top() + style.front_band_mm(rect.height())))
        )


class FloorElementItem(FootprintItem):
    """Containment and other floor elements: translucent, under the racks."""

    z_value = Z_FLOOR
    fill_opacity = 0.45


class OverheadItem(EquipmentItem):
    """Busways, rack PDUs, rear doors: mounted over or on racks, drawn above them, see-through."""

    z_value = Z_OVERHEAD
    fill_opacity = 0.75


def graphic_class(entry: CatalogEntry) -> type[FootprintItem]:
    """Which graphics item draws an entry."""
    if entry.kind is ItemKind.FLOOR:
        return FloorElementItem
    if entry.kind is ItemKind.RACK:
        return RackItem
    if entry.role in NOT_FLOOR_STANDING:
        return OverheadItem
    return EquipmentItem


def make_item_graphic(item: PlacedItem, entry: CatalogEntry) -> FootprintItem:
    return graphic_class(entry)(item, entry)


def item_tooltip(item: PlacedItem, entry: CatalogEntry, problem: str) -> str:
    """Made when the user hovers, not for every item up front."""
    text = f"{item.label or item.id}: {entry.name}"
    if entry.capacity_kw:
        own = "design_kw" in effective.overridden(item, entry)
        text += f" ({effective.design_kw(item, entry):g} kW{', override' if own else ''})"
    return text + (f"\n⚠ {problem}" if problem else "")


class ConnectionItem(QGraphicsLineItem):
    """A supply link drawn centre to centre; A and B feeds are offset so both stay visible."""

    OFFSET_MM: ClassVar[dict[str, float]] = {"A": -80.0, "B": 80.0}

    def __init__(self, connection: Connection) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(Z_CONNECTION)
        self.connection_id = connection.id
        self.setData(ITEM_ID_KEY, connection.id)
        self.connection = connection
        self._pen = style.connection_pen(connection)
        self.highlighted = False
        self.setPen(self._pen)

    def set_ends(self, start: QPointF, end: QPointF) -> None:
        offset = self.OFFSET_MM.get(self.connection.feed.value, 0.0) if self.connection.kind.value == "power" else 0.0
        line = QLineF(start, end)
        if offset and line.length() > 0:
            normal = line.normalVector().unitVector()
            shift = QPointF(normal.dx() * offset, normal.dy() * offset)
            line = QLineF(start + shift, end + shift)
        if line != self.line():
            self.setLine(line)

    def set_highlighted(self, highlighted: bool) -> None:
        if highlighted != self.highlighted:
            self.highlighted = highlighted
            self.setPen(style.CONNECTION_SELECTED_PEN if highlighted else self._pen)

    def tooltip(self) -> str:
        c = self.connection
        what = f"feed {c.feed.value}" if c.kind.value == "power" else c.medium.value
        return f"{c.kind.value} {c.source_id} → {c.target_id} ({what})"


class HallItem(QGraphicsItem):
    """The hall outline with its tile grid (grid lines skipped when they would be too dense)."""

    def __init__(self, hall: Hall) -> None:
        super().__init__()
        self.setZValue(Z_HALL)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self.set_hall(hall)

    def set_hall(self, hall: Hall) -> None:
        self.prepareGeometryChange()
        self.hall = hall
        self._polygon = QPolygonF([QPointF(x, y) for x, y in hall.outline_mm])
        self._clip = QPainterPath()
        self._clip.addPolygon(self._polygon)
        self._clip.closeSubpath()
        self._bounds = self._polygon.boundingRect().adjusted(-100, -100, 100, 100)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.HALL_BRUSH)
        painter.drawPolygon(self._polygon)
        tile = self.hall.tile_mm
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if tile > 0 and tile * lod >= 8:
            exposed = option.exposedRect.intersected(self._polygon.boundingRect())
            x0, y0, _, _ = self.hall.bounds_mm()
            painter.save()
            painter.setClipPath(self._clip)
            painter.setPen(style.GRID_PEN)
            lines = []
            first = x0 + math.ceil((exposed.left() - x0) / tile) * tile
            x = first
            while x <= exposed.right():
                lines.append(QLineF(x, exposed.top(), x, exposed.bottom()))
                x += tile
            y = y0 + math.ceil((exposed.top() - y0) / tile) * tile
            while y <= exposed.bottom():
                lines.append(QLineF(exposed.left(), y, exposed.right(), y))
                y += tile
            painter.drawLines(lines)
            painter.restore()
        painter.setPen(style.HALL_PEN)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPolygon(self._polygon)


class UnderlayItem(QGraphicsItem):
    """A hall's CAD drawing: all segments in one item, drawn with a 1 px cosmetic pen.

    One item however many segments (a 100k-segment drawing must not become 100k items), not
    selectable and deaf to the mouse. The paths are built once and split into tiles, so a repaint of
    a small area (a rack dragged over the drawing, a zoomed-in view) strokes only the tiles it
    exposes. No device cache: at 1:1 on a 300 m drawing its pixmap would be gigapixels. Placed by
    ``setPos``/``setRotation`` from the model's offset and rotation (no rebuild when it moves).
    """

    TILES = 16
    """Tiles per side of the drawing's extents."""

    def __init__(self, underlay: Underlay) -> None:
        super().__init__()
        self.setZValue(Z_UNDERLAY)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self._segments: tuple[float, ...] | None = None
        self._tiles: list[tuple[QRectF, QPainterPath]] = []
        self._bounds = QRectF()
        self.set_underlay(underlay)

    def set_underlay(self, underlay: Underlay) -> None:
        self.underlay = underlay
        if underlay.segments_mm is not self._segments and underlay.segments_mm != self._segments:
            self.prepareGeometryChange()
            self._segments = underlay.segments_mm
            self._tiles = _tiled_paths(underlay.segments_mm, self.TILES)
            bounds = QRectF()
            for rect, _ in self._tiles:
                bounds = bounds.united(rect)
            self._bounds = bounds.adjusted(-10, -10, 10, 10)
            self.update()
        self.setPos(*underlay.offset_mm)
        self.setRotation(underlay.rotation_deg)
        self.setVisible(underlay.visible)

    def segment_count(self) -> int:
        return len(self._segments or ()) // 4

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # crisp hairlines, and 2-3x faster
        painter.setPen(style.UNDERLAY_PEN)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        exposed = option.exposedRect  # type: ignore[attr-defined]
        for rect, path in self._tiles:
            if rect.intersects(exposed):
                painter.drawPath(path)


def _tiled_paths(flat: tuple[float, ...], tiles: int) -> list[tuple[QRectF, QPainterPath]]:
    """The segments grouped by the tile of their start point, one path and its bounds per tile."""
    if len(flat) < 4:
        return []
    xs, ys = flat[0::2], flat[1::2]
    x0, y0 = min(xs), min(ys)
    cell_w = max((max(xs) - x0) / tiles, 1e-9)
    cell_h = max((max(ys) - y0) / tiles, 1e-9)
    paths: dict[int, QPainterPath] = {}
    ends: dict[int, tuple[float, float]] = {}
    for i in range(0, len(flat) - 3, 4):
        xa, ya, xb, yb = flat[i], flat[i + 1], flat[i + 2], flat[i + 3]
        key = min(int((xa - x0) / cell_w), tiles - 1) * tiles + min(int((ya - y0) / cell_h), tiles - 1)
        path = paths.get(key)
        if path is None:
            path = paths[key] = QPainterPath()
        if ends.get(key) != (xa, ya):  # a polyline continues: one lineTo per segment
            path.moveTo(xa, ya)
        path.lineTo(xb, yb)
        ends[key] = (xb, yb)
    return [(path.controlPointRect(), path) for path in paths.values()]


class ObstacleItem(QGraphicsItem):
    """A wall, column or other obstruction."""

    def __init__(self, obstacle: Obstacle) -> None:
        super().__init__()
        self.setZValue(Z_OBSTACLE)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.obstacle = obstacle
        self._polygon = QPolygonF([QPointF(x, y) for x, y in obstacle.polygon_mm])
        self._bounds = self._polygon.boundingRect().adjusted(-20, -20, 20, 20)
        self._brush = {
            ObstacleKind.WALL: style.WALL_BRUSH,
            ObstacleKind.COLUMN: style.COLUMN_BRUSH,
        }.get(obstacle.kind, style.OTHER_OBSTACLE_BRUSH)
        self.setToolTip(plain_html(f"{obstacle.kind.value} {obstacle.label or obstacle.id}"))

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setPen(style.OUTLINE_PEN)
        painter.setBrush(self._brush)
        painter.drawPolygon(self._polygon)


class DoorItem(QGraphicsItem):
    """A door: a gap in the wall with the leaf and its swing."""

    def __init__(self, door: Door) -> None:
        super().__init__()
        self.setZValue(Z_OBSTACLE + 0.5)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.door = door
        self.setPos(door.x_mm, door.y_mm)
        self.setRotation(door.rotation_deg)
        half = door.width_mm / 2
        self._bounds = QRectF(-half - 50, -door.width_mm - 50, door.width_mm + 100, door.width_mm + 100)
        self.setToolTip(plain_html(door.label or f"door {door.id}"))

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        half = self.door.width_mm / 2
        painter.setPen(style.DOOR_GAP_PEN)
        painter.drawLine(QLineF(-half, 0, half, 0))
        painter.setPen(style.DOOR_PEN)
        painter.drawLine(QLineF(-half, 0, -half, -self.door.width_mm))
        painter.drawArc(
            QRectF(-half - self.door.width_mm, -self.door.width_mm, 2 * self.door.width_mm, 2 * self.door.width_mm),
            0,
            90 * 16,
        )
