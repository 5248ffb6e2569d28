"""ZoomView: a QGraphicsView with wheel zoom under the cursor, middle-button pan and zoom to fit."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

ZOOM_STEP = 1.2


def pan_step(view: QGraphicsView, last: QPoint, now: QPoint) -> QPoint:
    """Scroll ``view`` by the mouse's move from ``last`` to ``now`` (a drag pan); returns ``now``."""
    delta = now - last
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() - delta.x())
    view.verticalScrollBar().setValue(view.verticalScrollBar().value() - delta.y())
    return now


class ZoomView(QGraphicsView):
    """Wheel zooms about the cursor; the middle button pans; :meth:`zoom_to_fit` shows the whole scene."""

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setBackgroundBrush(QBrush(QColor("#eef0f3")))
        self._pan_from: QPoint | None = None

    def zoom_to_fit(self, margin: float = 0.04) -> None:
        rect = self.scene().itemsBoundingRect()
        if rect.isEmpty():
            return
        pad = max(rect.width(), rect.height()) * margin
        self.fitInView(rect.adjusted(-pad, -pad, pad, pad), Qt.AspectRatioMode.KeepAspectRatio)

    def zoom_to(self, rect: QRectF) -> None:
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            factor = ZOOM_STEP ** steps
            scale = self.transform().m11() * factor
            if 1e-6 < scale < 1e3:
                self.scale(factor, factor)
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton:
            self._pan_from = event.position().toPoint()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            self._pan_from = pan_step(self, self._pan_from, event.position().toPoint())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None and event.button() == Qt.MouseButton.MiddleButton:
            self._pan_from = None
            self.unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)
