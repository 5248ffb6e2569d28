"""Interaction modes of the floor canvas as objects (orange-canvas-core's ``UserInteraction``).

The scene hands each mouse event to its current interaction first; an interaction that does not
handle an event returns False and the scene's default (Qt) handling runs. Switching tools swaps the
object: no mode strings are tested inside the scene's mouse handlers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QPainterPath, QPolygonF
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsPathItem, QGraphicsSceneMouseEvent

from designer.model.autoconnect import ConnectionRefused
from designer.model.geometry import rotated_extent_mm, snap_centre
from designer.model.records import Connection
from designer.ui.canvas import style
from designer.ui.canvas.items import Z_PREVIEW, FootprintItem
from designer.ui.commands import MoveItemsCommand, describe_items

if TYPE_CHECKING:
    from designer.ui.canvas.scene import FloorScene

SNAP_PX = 10.0
"""How near (screen pixels) the cursor must come to an item for the connect tool to snap onto it."""

ConnectionCheck = Callable[[str, str], Connection]
"""The connection a link between two ids would make; raises ConnectionRefused with the reason."""


class UserInteraction:
    """One tool of the canvas. Subclasses override the handlers they need; True means handled."""

    name: ClassVar[str] = ""
    rubber_band_selects: ClassVar[bool] = False
    """Whether an empty-space drag draws the view's selection band while this tool is active."""

    def __init__(self, scene: FloorScene) -> None:
        self.scene = scene

    def start(self) -> None:
        """The tool became active."""

    def end(self) -> None:
        """The tool is put away: remove anything it drew."""
        self.cancel()

    def cancel(self) -> None:
        """Escape, or the scene was rebuilt: drop any gesture in progress."""

    def rebuild_started(self) -> None:
        """The scene is about to draw afresh (another hall, another design): by default, drop the gesture."""
        self.cancel()

    def rebuild_finished(self) -> None:
        """The scene shows the (new) current hall."""

    def mouse_press(self, event: QGraphicsSceneMouseEvent) -> bool:
        return False

    def mouse_move(self, event: QGraphicsSceneMouseEvent) -> bool:
        return False

    def mouse_release(self, event: QGraphicsSceneMouseEvent) -> bool:
        return False


@dataclass
class _Drag:
    anchor: FootprintItem
    press: QPointF
    starts: dict[str, QPointF]
    moved: bool = False


class SelectInteraction(UserInteraction):
    """Pick items (a closed pod as a whole) and connections, and move the selection by dragging."""

    name = "select"
    rubber_band_selects = True

    def __init__(self, scene: FloorScene) -> None:
        super().__init__(scene)
        self._drag: _Drag | None = None

    def mouse_press(self, event: QGraphicsSceneMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        scene = self.scene
        picked = scene.pickable_at(event.scenePos())
        if picked is None:
            return False  # the scene clears the selection; the view starts a rubber band
        event.accept()
        group = scene.pod_members(picked.item_id) if isinstance(picked, FootprintItem) else [picked.data(0)]
        current = scene.selected_item_ids() + scene.selected_connection_ids()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if picked.isSelected():
                scene.select_ids([i for i in current if i not in group])
            else:
                scene.select_ids(current + group)
        elif not picked.isSelected():
            scene.select_ids(group)
        if isinstance(picked, FootprintItem) and picked.isSelected():
            starts = {i: scene.items_by_id[i].pos() for i in scene.selected_item_ids()}
            self._drag = _Drag(picked, event.scenePos(), starts)
        return True

    def mouse_move(self, event: QGraphicsSceneMouseEvent) -> bool:
        drag = self._drag
        if drag is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return False
        delta = event.scenePos() - drag.press
        if not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            delta = self._snapped_delta(drag, delta)
        if not drag.moved and delta.isNull():
            return True
        drag.moved = True
        for item_id, start in drag.starts.items():
            self.scene.items_by_id[item_id].move_to(start + delta)
        self.scene.update_connection_ends(drag.starts)
        return True

    def _snapped_delta(self, drag: _Drag, delta: QPointF) -> QPointF:
        """Move so that the grabbed item's footprint corner lands on the tile grid."""
        project = self.scene.document.project
        hall = project.halls.get(self.scene.hall_id)
        if hall is None:
            return delta
        anchor_item = project.items[drag.anchor.item_id]
        rect = drag.anchor.footprint_rect()
        extent = rotated_extent_mm(rect.width(), rect.height(), anchor_item.rotation_deg)
        start = drag.starts[drag.anchor.item_id]
        x0, y0, _, _ = hall.bounds_mm()
        x, y = snap_centre(start.x() + delta.x(), start.y() + delta.y(), extent, hall.tile_mm, (x0, y0))
        return QPointF(x - start.x(), y - start.y())

    def mouse_release(self, event: QGraphicsSceneMouseEvent) -> bool:
        drag, self._drag = self._drag, None
        if drag is None or event.button() != Qt.MouseButton.LeftButton:
            return False
        scene = self.scene
        if drag.moved:
            positions = {
                item_id: (round(scene.items_by_id[item_id].x(), 3), round(scene.items_by_id[item_id].y(), 3))
                for item_id in drag.starts
                if item_id in scene.items_by_id
            }
            project = scene.document.project
            moved_items = [project.items[i] for i in positions]
            text = f"Move {describe_items(moved_items, scene.document.entry_of)}"
            scene.document.push(MoveItemsCommand(project, positions, text))
        elif not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            # a plain click on a selected item narrows the selection to it (and its pod)
            scene.select_ids(scene.pod_members(drag.anchor.item_id))
        return True

    def cancel(self) -> None:
        """Put dragged items back where the model has them."""
        drag, self._drag = self._drag, None
        if drag is not None:
            for item_id, start in drag.starts.items():
                if item_id in self.scene.items_by_id:
                    self.scene.items_by_id[item_id].move_to(start)
            self.scene.update_connection_ends(drag.starts)


@dataclass(frozen=True, slots=True)
class _Hover:
    """What the connect tool would pick at the cursor: an item, and why not when it cannot."""

    graphic: FootprintItem | None
    refusal: str = ""
    connection: Connection | None = None


class ConnectInteraction(UserInteraction):
    """Link two items: click the first then the second, or drag from one to the other.

    A rubber-band line follows the cursor from the first item. The cursor snaps to the nearest item
    within ``SNAP_PX`` pixels (items of closed pods too, and thin busways under labels); once a first
    item is chosen it snaps to the nearest *valid* second one, outlined in green, while an invalid one
    is outlined in red and the status bar says why. Shift keeps the first item for the next link;
    Esc, a right click or a click on empty floor lets it go. Links made while the tool is active stay
    drawn until the tool is put away. The first item is kept when the hall is switched, so a
    supplier in one hall can feed a consumer in another (a plant room's board and a data hall's UPS):
    pick the first, switch hall, pick the second.
    """

    name = "connect"

    def __init__(self, scene: FloorScene) -> None:
        super().__init__(scene)
        self.source: FootprintItem | None = None
        self.remote_source: str | None = None
        """The first item's id when it stands in another hall than the one shown."""
        self._dragging = False
        self._press = QPointF()
        self._hover = _Hover(None)
        self._line = QGraphicsLineItem()
        self._line.setPen(style.PREVIEW_PEN)
        self._line.setZValue(Z_PREVIEW)
        self._line.setVisible(False)
        self._outline = QGraphicsPathItem()
        self._outline.setZValue(Z_PREVIEW)
        self._outline.setVisible(False)
        self._source_outline = QGraphicsPathItem()
        self._source_outline.setPen(style.CONNECT_SOURCE_PEN)
        self._source_outline.setZValue(Z_PREVIEW)
        self._source_outline.setVisible(False)

    # ----------------------------------------------------------------- life cycle
    def start(self) -> None:
        for item in (self._line, self._outline, self._source_outline):
            if item.scene() is None:
                self.scene.addItem(item)
        for view in self.scene.views():
            view.viewport().setCursor(Qt.CursorShape.CrossCursor)
        self.scene.message.emit("Connect: click or drag from a supplier to a consumer (Shift keeps the first)")

    def end(self) -> None:
        self.cancel()
        for item in (self._line, self._outline, self._source_outline):
            if item.scene() is not None:
                self.scene.removeItem(item)
        self.scene.set_pinned_connections(())
        for view in self.scene.views():
            view.viewport().unsetCursor()

    def _drop_stale_source(self) -> None:
        """The first item was deleted (an undo, a delete key) while the tool waited for the second."""
        if self.source is not None and self.source.scene() is not self.scene:
            self.cancel()

    def cancel(self) -> None:
        self.source = None
        self.remote_source = None
        self._dragging = False
        self._hover = _Hover(None)
        self._line.setVisible(False)
        self._outline.setVisible(False)
        self._source_outline.setVisible(False)

    def rebuild_started(self) -> None:
        kept = self.source.item_id if self.source is not None else self.remote_source
        self.cancel()
        self.remote_source = kept

    def rebuild_finished(self) -> None:
        kept = self.remote_source
        if kept is None:
            return
        project = self.scene.document.project
        if kept not in project.items:
            self.remote_source = None
            return
        graphic = self.scene.items_by_id.get(kept)
        if graphic is not None:  # back in the first item's hall
            self.remote_source = None
            self._choose_source(graphic)
            return
        hall = project.halls.get(project.items[kept].hall_id)
        self.scene.message.emit(f"Connect from {kept} in {hall.name if hall else 'another hall'}: click the item "
                                "it feeds or is fed by in this hall (Esc cancels)")

    def source_id(self) -> str | None:
        """The first item's id, in this hall or another."""
        return self.source.item_id if self.source is not None else self.remote_source

    # ----------------------------------------------------------------- picking
    def _radius_mm(self) -> float:
        views = self.scene.views()
        scale = views[0].transform().m11() if views else 1.0
        return SNAP_PX / max(scale, 1e-9)

    def candidates(self, pos: QPointF) -> list[FootprintItem]:
        """Items in a power or cooling chain within the snap radius of ``pos``, nearest first (under
        the cursor: topmost first)."""
        r = self._radius_mm()
        found: list[tuple[float, float, float, FootprintItem]] = []
        document = self.scene.document
        for graphic in self.scene.items(QRectF(pos.x() - r, pos.y() - r, 2 * r, 2 * r)):
            if not isinstance(graphic, FootprintItem) or not graphic.isVisible():
                continue
            if graphic.item_id not in document.project.items:
                continue
            entry = document.entry_for(graphic.item_id)
            if not (entry.in_power_chain or entry.in_cooling_chain):
                continue  # containment, walls: nothing to connect, and they lie under the racks
            local = graphic.mapFromScene(pos)
            rect = graphic.rect()
            dx = max(rect.left() - local.x(), 0.0, local.x() - rect.right())
            dy = max(rect.top() - local.y(), 0.0, local.y() - rect.bottom())
            distance = math.hypot(dx, dy)
            if distance <= r:
                found.append((distance, -graphic.zValue(), rect.width() * rect.height(), graphic))
        found.sort(key=lambda f: f[:3])
        return [f[3] for f in found]

    def hover_at(self, pos: QPointF) -> _Hover:
        """The item the tool would take at ``pos``: the nearest (with a first item: the nearest valid)."""
        near = self.candidates(pos)
        source = self.source_id()
        if source is None:
            return _Hover(near[0] if near else None)
        refused: _Hover | None = None
        for graphic in near:
            if graphic.item_id == source:
                continue
            try:
                connection = self.scene.connection_check(source, graphic.item_id)
            except ConnectionRefused as refusal:
                refused = refused or _Hover(graphic, str(refusal))
                continue
            return _Hover(graphic, "", connection)
        return refused or _Hover(None)

    # ----------------------------------------------------------------- drawing
    @staticmethod
    def _outline_path(graphic: FootprintItem) -> QPainterPath:
        path = QPainterPath()
        path.addPolygon(QPolygonF(graphic.mapToScene(graphic.rect())))
        path.closeSubpath()
        return path

    def _show_hover(self, pos: QPointF) -> None:
        self._drop_stale_source()
        hover = self.hover_at(pos)
        changed = hover.graphic is not self._hover.graphic or hover.refusal != self._hover.refusal
        self._hover = hover
        if hover.graphic is None:
            self._outline.setVisible(False)
        else:
            self._outline.setPath(self._outline_path(hover.graphic))
            self._outline.setPen(style.CONNECT_REFUSED_PEN if hover.refusal else style.CONNECT_TARGET_PEN)
            self._outline.setVisible(True)
        if self.source is not None:
            end = hover.graphic.pos() if hover.graphic is not None and not hover.refusal else pos
            self._line.setLine(QLineF(self.source.pos(), end))
            self._line.setVisible(True)
        if changed and self.source_id() is not None:
            if hover.refusal and hover.graphic is not None:
                self.scene.message.emit(f"Cannot connect {self.source_id()} to {hover.graphic.item_id}: "
                                        f"{hover.refusal}")
            elif hover.connection is not None:
                self.scene.message.emit(f"Connect {describe_connection(hover.connection)}")

    def _choose_source(self, graphic: FootprintItem) -> None:
        self.source = graphic
        self._source_outline.setPath(self._outline_path(graphic))
        self._source_outline.setVisible(True)
        self._line.setLine(QLineF(graphic.pos(), graphic.pos()))
        self._line.setVisible(True)
        self.scene.message.emit(f"Connect from {graphic.item_id}: click or release on the item it feeds or is fed by")

    def _link_to(self, pos: QPointF, keep_source: bool) -> bool:
        """Connect the first item to the valid item at ``pos``; False (and the reason said) when none."""
        source = self.source_id()
        hover = self.hover_at(pos)
        if source is None or hover.graphic is None:
            return False
        if hover.refusal:
            self.scene.message.emit(f"Cannot connect {source} to {hover.graphic.item_id}: {hover.refusal}")
            return False
        connections = self.scene.document.project.connections
        before = set(connections)
        self.scene.connect_requested.emit(source, hover.graphic.item_id)
        made = set(connections) - before
        self.scene.set_pinned_connections(self.scene.pinned_connections | made)
        if not keep_source:
            self.cancel()
        self._show_hover(pos)
        return bool(made)

    # ----------------------------------------------------------------- mouse
    def mouse_press(self, event: QGraphicsSceneMouseEvent) -> bool:
        if event.button() == Qt.MouseButton.RightButton and self.source_id() is not None:
            event.accept()
            self.cancel()
            self.scene.message.emit("Connection cancelled")
            return True
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        event.accept()
        self._drop_stale_source()
        pos = event.scenePos()
        self._press = pos
        keep = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if self.source_id() is None:
            near = self.candidates(pos)
            if not near:
                self.scene.message.emit("Connect: click or drag from an item")
                return True
            self._choose_source(near[0])
            self._dragging = True
            self._show_hover(pos)
            return True
        # the first item is chosen: this click picks the second
        near = self.candidates(pos)
        if not near:
            self.cancel()
            self.scene.message.emit("Connection cancelled")
        elif near[0] is self.source:
            self._dragging = True  # pressed on the first item again: a drag from it may follow
        else:
            self._link_to(pos, keep)  # a refusal keeps the first item for another try
        return True

    def mouse_move(self, event: QGraphicsSceneMouseEvent) -> bool:
        self._show_hover(event.scenePos())
        return True

    def mouse_release(self, event: QGraphicsSceneMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return self.source_id() is not None
        if not self._dragging:
            return True
        self._dragging = False
        pos = event.scenePos()
        if QLineF(pos, self._press).length() <= self._radius_mm() / 2:
            return True  # a click on the first item: the next click picks the second
        keep = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if not self._link_to(pos, keep) and not keep:
            self.cancel()  # a drag that ends nowhere useful lets go (the status bar says why)
        return True


def describe_connection(connection: Connection) -> str:
    """``ups-1 → bus-3 (power A)`` for the status bar and the undo history."""
    what = (
        f"{connection.kind.value} {connection.feed.value}"
        if connection.kind.value == "power"
        else f"{connection.medium.value} cooling"
    )
    return f"{connection.source_id} → {connection.target_id} ({what})"


INTERACTIONS: dict[str, type[UserInteraction]] = {
    SelectInteraction.name: SelectInteraction,
    ConnectInteraction.name: ConnectInteraction,
}
"""The tools by name (the toolbar's actions choose by name)."""
