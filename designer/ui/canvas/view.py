"""FloorView: zoom, pan, level of detail, palette drops and keyboard nudges over a FloorScene."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView, QWidget

from designer.ui.canvas.floor_picture import PICTURE_MAX_SCALE
from designer.ui.canvas.scene import FloorScene
from designer.ui.zoom_view import pan_step

CATALOG_MIME = "application/x-dc-designer-catalog-id"
POD_MIME = "application/x-dc-designer-pod-id"

LABEL_MIN_SCALE = 0.06
"""Pixels per millimetre below which labels are hidden (a 600 mm rack is then under 36 px wide)."""
MIN_SCALE, MAX_SCALE = 0.0015, 3.0
OPENING_SCALE = 0.03
"""The scale before the first zoom to fit: under ``PICTURE_MAX_SCALE``, as the scene starts in picture mode
(``FloorScene.__init__``), so a big hall's items are not switched to painting themselves and back while
the window opens."""
ZOOM_STEP = 1.25


class FloorView(QGraphicsView):
    """The canvas widget. Emits requests; the editor turns them into commands."""

    cursor_moved = Signal(float, float)
    """Cursor position in scene millimetres."""
    zoom_changed = Signal(float)
    catalog_dropped = Signal(str, QPointF)
    pod_dropped = Signal(str, QPointF)
    nudge_requested = Signal(int, int, bool)
    """(dx, dy) in steps, fine: steps are 100 mm instead of one tile."""
    painted = Signal()
    """The viewport was just painted (the window holds its first analysis back until the floor shows)."""

    def __init__(self, scene: FloorScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.floor_scene = scene
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setBackgroundBrush(QBrush(QColor("#dfe2e6")))
        self.setAcceptDrops(True)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._pan_from: QPoint | None = None
        self._space_down = False
        self.rubberBandChanged.connect(self._on_rubber_band_changed)
        self.scale(OPENING_SCALE, OPENING_SCALE)
        self._after_zoom()

    # ----------------------------------------------------------------- zoom
    def current_scale(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by ``factor`` (clamped), keeping ``anchor`` (viewport point) still when given."""
        target = min(max(self.current_scale() * factor, MIN_SCALE), MAX_SCALE)
        factor = target / self.current_scale()
        if abs(factor - 1.0) < 1e-9:
            return
        old_anchor = self.transformationAnchor()
        if anchor is not None:
            view_point = anchor.toPoint()
            before = self.mapToScene(view_point)
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
            self.scale(factor, factor)
            drift = self.mapFromScene(before) - view_point
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + drift.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() + drift.y())
        else:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
            self.scale(factor, factor)
        self.setTransformationAnchor(old_anchor)
        self._after_zoom()

    def zoom_in(self) -> None:
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / ZOOM_STEP)

    def fit_rect(self, rect: QRectF) -> None:
        if rect.isEmpty():
            return
        margin = max(rect.width(), rect.height()) * 0.04 + 300
        self.fitInView(rect.adjusted(-margin, -margin, margin, margin), Qt.AspectRatioMode.KeepAspectRatio)
        scale = self.current_scale()
        clamped = min(max(scale, MIN_SCALE), MAX_SCALE)
        if clamped != scale:
            self.scale(clamped / scale, clamped / scale)
        self._after_zoom()

    def zoom_to_fit(self) -> None:
        """Show the whole hall."""
        self.fit_rect(self.floor_scene.hall_rect())

    def zoom_to_selection(self) -> None:
        rect = QRectF()
        for graphic in self.floor_scene.selectedItems():
            rect = rect.united(graphic.sceneBoundingRect())
        if not rect.isEmpty():
            self.fit_rect(rect)

    def _after_zoom(self) -> None:
        scale = self.current_scale()
        self._tell_label_area()
        self.floor_scene.set_lod_labels(scale >= LABEL_MIN_SCALE)
        self.floor_scene.set_picture_mode(scale < PICTURE_MAX_SCALE)
        self.floor_scene.picture.zoomed()
        self.zoom_changed.emit(scale)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(ZOOM_STEP**steps, event.position())
        event.accept()

    def _tell_label_area(self) -> None:
        """The scene makes the labels of a big hall only where the view looks (with a margin of half a
        view each side, so a short pan finds them made). Not while zoomed out (no labels there, and a
        zoom to fit scrolls before it says its new scale)."""
        if self.current_scale() < LABEL_MIN_SCALE or self.scene() is None:  # None: the scene went first
            return
        area = self.mapToScene(self.viewport().rect()).boundingRect()
        self.floor_scene.set_label_area(area.adjusted(-area.width() / 2, -area.height() / 2,
                                                      area.width() / 2, area.height() / 2))

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self._tell_label_area()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._tell_label_area()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self.painted.emit()

    # ----------------------------------------------------------------- pan and keys
    def _on_rubber_band_changed(self, rect: QRect, from_scene: QPointF, to_scene: QPointF) -> None:
        if rect.isNull() and from_scene.isNull() and to_scene.isNull():
            self.floor_scene.finish_rubber_band()
        else:
            self.floor_scene.rubber_banding = True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        fine = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        arrows = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}
        if key in arrows:
            self.nudge_requested.emit(*arrows[key], fine)
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key == Qt.Key.Key_Minus:
            self.zoom_out()
        elif key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        elif key == Qt.Key.Key_Escape:
            self.floor_scene.cancel_drag()
        else:
            super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = False
            self.viewport().unsetCursor()
        else:
            super().keyReleaseEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton or (
            self._space_down and event.button() == Qt.MouseButton.LeftButton
        ):
            self._pan_from = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        scene_pos = self.mapToScene(event.position().toPoint())
        self.cursor_moved.emit(scene_pos.x(), scene_pos.y())
        if self._pan_from is not None:
            self._pan_from = pan_step(self, self._pan_from, event.position().toPoint())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None and event.button() in (Qt.MouseButton.MiddleButton, Qt.MouseButton.LeftButton):
            self._pan_from = None
            if self._space_down:
                self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            else:
                self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    # ----------------------------------------------------------------- drops from the palette
    @staticmethod
    def _accepts(event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        mime = event.mimeData()
        return mime is not None and (mime.hasFormat(CATALOG_MIME) or mime.hasFormat(POD_MIME))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._accepts(event):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()  # files go on to the main window

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._accepts(event):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if not self._accepts(event):
            event.ignore()
            return
        mime = event.mimeData()
        scene_pos = self.mapToScene(event.position().toPoint())
        if mime.hasFormat(POD_MIME):
            self.pod_dropped.emit(bytes(mime.data(POD_MIME).data()).decode("utf-8"), scene_pos)
        else:
            self.catalog_dropped.emit(bytes(mime.data(CATALOG_MIME).data()).decode("utf-8"), scene_pos)
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
