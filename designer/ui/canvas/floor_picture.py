"""FloorPicture: zoomed-out floors drawn as a few cached pixmaps instead of 10,000 item paints.

Below ``PICTURE_MAX_SCALE`` the placed items (racks, equipment, floor elements) paint nothing
themselves (``ItemHasNoContents``: Qt skips them when drawing, but they stay in the scene's index,
so picking, rubber-band selection, hover, tooltips and drags work as before). The floor is cut into
square cells; each cell and z layer has one ``PictureTile`` that draws its members into a pixmap at
the view's scale through each member's own ``paint`` (one paint path for zoomed-in and zoomed-out
floors: an item that paints itself differently shows that way in both). The pixmap is reused until
a member changes (its colour, selection, place, visibility: ``FootprintItem`` reports every change)
or the scale changes. While the user zooms, the old pixmaps are drawn scaled and the tiles are
redrawn sharp once the zoom settles (``SETTLE_MS``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QPainter, QPen, QPixmap, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QStyleOptionGraphicsItem, QWidget

if TYPE_CHECKING:
    from designer.ui.canvas.items import FootprintItem

PICTURE_MAX_SCALE = 0.04
"""Pixels per millimetre below which the floor is drawn as pictures (a 600 mm rack under 24 px).
Kept under the view's label threshold, so pictures never need labels."""
MIN_CELL_MM = 12_000.0
MAX_CELLS_PER_SIDE = 16
SETTLE_MS = 150
"""After the last zoom step, the tiles drawn scaled are redrawn at the new scale this much later."""
MAX_TILE_PIXELS = 4096 * 4096
"""A tile larger than this on screen (a member placed far out) is drawn member by member instead."""
_PLAIN_OPTION = QStyleOptionGraphicsItem()
_NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
_RECT_PAINT = QGraphicsRectItem.paint


class PictureTile(QGraphicsItem):
    """The members of one cell and z layer, drawn as one pixmap at the view's scale."""

    def __init__(self, owner: FloorPicture, z_value: float) -> None:
        super().__init__()
        self.owner = owner
        self.setZValue(z_value)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.members: dict[FootprintItem, None] = {}
        """In stacking order (insertion order, as Qt stacks items of one z)."""
        self._entries: dict[FootprintItem, _Entry | None] = {}
        """How each member is drawn: its batch and rectangle, or None (through its ``paint``)."""
        self._changed: set[FootprintItem] = set()
        """Members whose entry is out of date."""
        self._restyled: set[FootprintItem] = set()
        """Members whose look (not place) changed: a recolour recomputes only their batch key."""
        self._bounds_stale = False
        self._bounds = QRectF()
        self._pixmap: QPixmap | None = None
        self._key: tuple[float, float, float, float] | None = None
        self._pixmap_scene_rect = QRectF()
        self.stale = True
        """A member changed since the pixmap was drawn."""
        self.renders = 0
        """How many times the pixmap was drawn (tests check that an edit redraws it)."""

    # ----------------------------------------------------------------- members
    def add(self, graphic: FootprintItem) -> None:
        self.members[graphic] = None
        graphic.picture_tile = self
        self.member_moved(graphic)

    def remove(self, graphic: FootprintItem) -> None:
        if graphic in self.members:
            del self.members[graphic]
            self._entries.pop(graphic, None)
            self._changed.discard(graphic)
            self._restyled.discard(graphic)
            graphic.picture_tile = None
            self.member_changed(None)

    def member_changed(self, graphic: FootprintItem | None, *, look_only: bool = False) -> None:
        """``graphic`` (a member) looks different (``look_only``: its colour, pen, opacity or visibility;
        else its place too): draw the pixmap again at the next paint."""
        if graphic is not None:
            (self._restyled if look_only else self._changed).add(graphic)
        if not self.stale:
            self.stale = True
            if self.isVisible():
                self.update()

    def member_moved(self, graphic: FootprintItem) -> None:
        """A member moved, turned or resized: the tile's bounds grow to cover it."""
        if not self.owner.enabled:  # zoomed in (a drag of 500 racks): the bounds are taken when zooming out
            self._bounds_stale = True
            self._changed.add(graphic)
            return
        rect = graphic.sceneBoundingRect()
        if not self._bounds.contains(rect):
            self.prepareGeometryChange()
            self._bounds = self._bounds.united(rect) if not self._bounds.isNull() else rect
        self.member_changed(graphic)

    def cover(self, rect: QRectF) -> None:
        """New members (``FloorPicture.add_new``) lie within ``rect``: the bounds grow once for all."""
        if not self.owner.enabled:
            self._bounds_stale = True
            return
        if not self._bounds.contains(rect):
            self.prepareGeometryChange()
            self._bounds = self._bounds.united(rect) if not self._bounds.isNull() else rect
        self.member_changed(None)

    def refresh_bounds(self) -> None:
        """Cover every member again (after moves made while the pictures were off)."""
        if self._bounds_stale:
            self._bounds_stale = False
            bounds = QRectF()
            for graphic in self.members:
                rect = graphic.sceneBoundingRect()
                bounds = bounds.united(rect) if not bounds.isNull() else rect
            if bounds != self._bounds:
                self.prepareGeometryChange()
                self._bounds = bounds
            self.stale = True

    def drop_pixmap(self) -> None:
        self._pixmap = None
        self._key = None

    def cached_bytes(self) -> int:
        pixmap = self._pixmap
        return 0 if pixmap is None else pixmap.width() * pixmap.height() * 4

    # ----------------------------------------------------------------- painting
    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if not self.members:
            return
        world = painter.worldTransform()
        if world.isRotating():  # no view here turns the floor; draw the members directly if one does
            self._paint_members(painter)
            return
        ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        scale_x, scale_y = world.m11() * ratio, world.m22() * ratio
        dx, dy = world.dx() * ratio, world.dy() * ratio
        key = (scale_x, scale_y, dx - math.floor(dx), dy - math.floor(dy))
        if self._pixmap is not None and not self.stale and key != self._key and self.owner.settling:
            # zooming: the old pixmap scaled (smooth) until the zoom settles, then drawn sharp
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawPixmap(self._pixmap_scene_rect, self._pixmap, QRectF(self._pixmap.rect()))
            painter.restore()
            self.owner.redraw_later()
            return
        device = QTransform(scale_x, 0.0, 0.0, scale_y, dx, dy)
        rect = device.mapRect(self._bounds)
        if rect.width() * rect.height() > MAX_TILE_PIXELS or max(abs(rect.left()), abs(rect.right()),
                                                                   abs(rect.top()), abs(rect.bottom())) > 1e7:
            self._paint_members(painter)  # a member far out stretches the tile: no pixmap that large
            return
        left, top = math.floor(rect.left()) - 1, math.floor(rect.top()) - 1
        if self._pixmap is None or self.stale or key != self._key:
            width = max(1, math.ceil(rect.right()) + 1 - left)
            height = max(1, math.ceil(rect.bottom()) + 1 - top)
            self._render(device * QTransform.fromTranslate(-left, -top), width, height)
            self._key = key
            self._pixmap_scene_rect = world.inverted()[0].mapRect(
                QRectF(left / ratio, top / ratio, width / ratio, height / ratio))
        pixmap = self._pixmap
        assert pixmap is not None
        painter.save()
        painter.setWorldTransform(QTransform.fromScale(1.0 / ratio, 1.0 / ratio))
        painter.drawPixmap(left, top, pixmap)
        painter.restore()
        self.owner.touch(self)

    def _render(self, base: QTransform, width: int, height: int) -> None:
        pixmap = self._pixmap
        if pixmap is None or pixmap.width() != width or pixmap.height() != height:
            pixmap = QPixmap(width, height)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setWorldTransform(base)
        self._paint_members(painter)
        painter.end()
        self._pixmap = pixmap
        self.stale = False
        self.renders += 1

    def _paint_members(self, painter: QPainter) -> None:
        """Each visible member (and its marks) as its own ``paint`` draws it, in its own coordinates.

        Members that wear the look their class gives them (``FootprintItem.own_look``), turned by a
        multiple of 90°, opaque, without marks and painted by Qt's rect item are the bulk of a floor:
        they are filled and outlined together, one ``drawRects`` per look, with the same brush relative
        to each rectangle (``style.body_brush_object``) and the same pen. The rest go through ``paint``.
        """
        from designer.ui.canvas import style

        base = painter.worldTransform()
        entries = self._entries
        for graphic in self._changed:
            entries[graphic] = _entry(graphic)
        for graphic in self._restyled:
            entry = entries.get(graphic)
            if graphic not in self._changed and entry is not None:
                entries[graphic] = _restyled_entry(graphic, entry)
            elif graphic not in self._changed:
                entries[graphic] = _entry(graphic)
        self._changed.clear()
        self._restyled.clear()
        batches: dict[_Key, list[QRectF]] = {}
        pens: dict[_Key, QPen] = {}
        others: list[FootprintItem] = []
        for graphic in self.members:
            entry = entries.get(graphic, _MISSING)
            if entry is _MISSING:
                entry = entries[graphic] = _entry(graphic)
            if entry is None:
                if graphic.look_visible:
                    others.append(graphic)
                continue
            key, rect, pen, _geometry = entry  # type: ignore[misc]
            rects = batches.get(key)
            if rects is None:
                rects = batches[key] = []
                pens[key] = pen
            rects.append(rect)
        for key, rects in batches.items():
            colour, depth, highlighted, quarter, _pen = key
            painter.setPen(pens[key])
            painter.setBrush(style.body_brush_object(colour, depth, highlighted, quarter))
            painter.drawRects(rects)
        for graphic in others:
            painter.setOpacity(graphic.effectiveOpacity())
            painter.setWorldTransform(graphic.sceneTransform() * base)
            graphic.paint(painter, _PLAIN_OPTION, None)
            for child in graphic.childItems():
                if child.isVisible():
                    painter.setWorldTransform(child.sceneTransform() * base)
                    child.paint(painter, _PLAIN_OPTION, None)
        painter.setOpacity(1.0)
        painter.setWorldTransform(base)


_Key = tuple[str, float, bool, int, int]
_Entry = tuple[_Key, QRectF, QPen, tuple[float, int]]
_MISSING = object()
_PLAIN_CLASSES: dict[type, bool] = {}
"""Whether a class paints as Qt's rect item does (no ``paint`` of its own): looking it up on the class
each time took most of the time of ``_entry``."""


def _entry(graphic: FootprintItem) -> _Entry | None:
    """How the tile draws ``graphic``: its batch (look and quarter turns), rectangle in scene mm and pen;
    None when it must go through its own ``paint`` (another look, a free angle, see-through, marks,
    a class that paints itself) or draws nothing (hidden)."""
    cls = type(graphic)
    plain = _PLAIN_CLASSES.get(cls)
    if plain is None:
        plain = _PLAIN_CLASSES[cls] = cls.paint is _RECT_PAINT
    turns, rest = divmod(graphic.rotation_deg, 90.0)
    if (not plain or rest or not graphic.own_look or not graphic.look_visible or graphic.look_opacity != 1.0
            or graphic._mark is not None):
        return None
    width, depth = graphic.size_mm
    quarter = int(turns) % 4
    pen = graphic.outline_pen()
    key = (graphic.fill_colour, depth, graphic.highlighted, quarter, id(pen))
    x, y = graphic.x(), graphic.y()
    geometry = (depth, quarter)
    if quarter % 2:
        width, depth = depth, width
    return key, QRectF(x - width / 2, y - depth / 2, width, depth), pen, geometry


def _restyled_entry(graphic: FootprintItem, entry: _Entry) -> _Entry | None:
    """``entry`` with the batch of ``graphic``'s new look (its place and shape are unchanged)."""
    if not graphic.own_look or not graphic.look_visible or graphic.look_opacity != 1.0:
        return None
    _key, rect, _pen, geometry = entry
    pen = graphic.outline_pen()
    return (graphic.fill_colour, geometry[0], graphic.highlighted, geometry[1], id(pen)), rect, pen, geometry


class FloorPicture(QObject):
    """The tiles of one scene: which member goes in which tile, and whether the pictures are on."""

    CACHE_BUDGET_BYTES = 96 * 1024 * 1024
    """Pixmaps kept at most (a 10,000-rack hall at fit takes a few MB; panning at the largest
    picture scale over a huge hall would otherwise keep every tile it ever showed)."""

    def __init__(self, scene: QObject) -> None:
        super().__init__(scene)  # goes with its scene, timer and all
        self.scene = scene
        self.enabled = False
        self.settling = False
        self.cell_mm = MIN_CELL_MM
        self.tiles: dict[tuple[int, int, float], PictureTile] = {}
        self._recent: dict[PictureTile, None] = {}
        self._touches = 0
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._on_settle_timeout)

    # ----------------------------------------------------------------- layout
    def reset(self, bounds_mm: tuple[float, float, float, float]) -> None:
        """Forget every tile (the scene removes its items) and size the cells for a floor of ``bounds_mm``."""
        scene = self.scene
        for tile in self.tiles.values():
            for graphic in tile.members:
                graphic.picture_tile = None
            if tile.scene() is not None:
                scene.removeItem(tile)  # type: ignore[attr-defined]
        self.tiles.clear()
        self._recent.clear()
        x0, y0, x1, y1 = bounds_mm
        self.cell_mm = max(MIN_CELL_MM, max(x1 - x0, y1 - y0) / MAX_CELLS_PER_SIDE)

    def _tile_for(self, graphic: FootprintItem) -> PictureTile:
        pos = graphic.pos()
        key = (math.floor(pos.x() / self.cell_mm), math.floor(pos.y() / self.cell_mm), graphic.zValue())
        tile = self.tiles.get(key)
        if tile is None:
            tile = self.tiles[key] = PictureTile(self, graphic.zValue())
            tile.setVisible(self.enabled)
            self.scene.addItem(tile)  # type: ignore[attr-defined]
        return tile

    def add(self, graphic: FootprintItem) -> None:
        self._tile_for(graphic).add(graphic)
        if self.enabled:
            graphic.set_self_painted(False)

    def add_new(self, placed: list[tuple[FootprintItem, float, float]]) -> None:
        """New items, each at (x, y) in scene mm and drawn by its class's look: ``add`` for each, with each
        tile's bounds grown once for all its new members, from their sizes rather than one
        ``sceneBoundingRect`` call per item (a 50,000-rack hall opens with 50,000 of them)."""
        cell, tiles, enabled = self.cell_mm, self.tiles, self.enabled
        covered: dict[PictureTile, list[float]] = {}
        for graphic, x, y in placed:
            z = graphic.zValue()
            key = (math.floor(x / cell), math.floor(y / cell), z)
            tile = tiles.get(key)
            if tile is None:
                tile = self._tile_for(graphic)
            tile.members[graphic] = None
            graphic.picture_tile = tile
            tile._changed.add(graphic)
            if enabled:
                graphic.set_self_painted(False)
            width, depth = graphic.size_mm
            turn = graphic.rotation_deg % 180.0
            if turn == 90.0:
                width, depth = depth, width
            if turn in (0.0, 90.0):  # as QGraphicsRectItem.boundingRect: the rect and half the pen around it
                half = graphic.outline_pen().widthF() / 2
                left, top = x - width / 2 - half, y - depth / 2 - half
                right, bottom = x + width / 2 + half, y + depth / 2 + half
            else:
                rect = graphic.sceneBoundingRect()
                left, top, right, bottom = rect.left(), rect.top(), rect.right(), rect.bottom()
            box = covered.get(tile)
            if box is None:
                covered[tile] = [left, top, right, bottom]
            else:
                box[0], box[1] = min(box[0], left), min(box[1], top)
                box[2], box[3] = max(box[2], right), max(box[3], bottom)
        for tile, (left, top, right, bottom) in covered.items():
            tile.cover(QRectF(left, top, right - left, bottom - top))

    def remove(self, graphic: FootprintItem) -> None:
        tile = graphic.picture_tile
        if tile is not None:
            tile.remove(graphic)

    def relocate(self, graphic: FootprintItem) -> None:
        """After a move is committed: the member goes to the tile of its new cell (tiles stay compact)."""
        tile = graphic.picture_tile
        target = self._tile_for(graphic)
        if tile is not target:
            if tile is not None:
                tile.remove(graphic)
            target.add(graphic)

    # ----------------------------------------------------------------- mode
    def set_enabled(self, on: bool, graphics: list[FootprintItem]) -> None:
        """Pictures on (zoomed out: items stop painting themselves) or off (every item paints itself)."""
        if on == self.enabled:
            return
        self.enabled = on
        for graphic in graphics:
            graphic.set_self_painted(not on)
        for tile in self.tiles.values():
            if on:
                tile.refresh_bounds()
            tile.setVisible(on)
            if not on:
                tile.drop_pixmap()
        if not on:
            self._recent.clear()

    def zoomed(self) -> None:
        """The view's scale changed: draw old pixmaps scaled until the zoom settles."""
        if self.enabled:
            self.settling = True
            self._settle.start()

    def redraw_later(self) -> None:
        if not self._settle.isActive():
            self._settle.start()

    def _on_settle_timeout(self) -> None:
        self.settling = False
        for tile in self.tiles.values():
            if tile.isVisible():
                tile.update()

    def touch(self, tile: PictureTile) -> None:
        """``tile`` was just painted: keep it, and drop the least recently painted over the budget."""
        recent = self._recent
        recent.pop(tile, None)
        recent[tile] = None
        self._touches += 1
        if self._touches % 32 == 0:  # a sum over the tiles now and then, not on every paint
            total = sum(t.cached_bytes() for t in recent)
            while total > self.CACHE_BUDGET_BYTES and len(recent) > 1:
                oldest = next(iter(recent))
                total -= oldest.cached_bytes()
                oldest.drop_pixmap()
                del recent[oldest]

    def pictures_drawn(self) -> int:
        """How many tile pixmaps were drawn so far (for tests and the bench)."""
        return sum(tile.renders for tile in self.tiles.values())


def set_item_self_painted(graphic: QGraphicsItem, painted: bool) -> None:
    """Qt paints ``graphic`` and its children (True) or skips them (False), keeping them pickable."""
    graphic.setFlag(_NO_CONTENTS, not painted)
    for child in graphic.childItems():
        child.setFlag(_NO_CONTENTS, not painted)

