"""AutoConnectPreview: shows an auto-connect plan on the canvas before anything changes.

The planned links are drawn dashed over the plan (one path per line style, however many links),
with a banner that says what the plan does and offers Apply (Enter) and Cancel (Esc). Apply pushes
the whole plan as one undo step; any edit to the design meanwhile drops the preview (it would be stale).
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QKeySequence, QPainterPath, QPen, QShortcut
from PySide6.QtWidgets import QFrame, QGraphicsPathItem, QHBoxLayout, QLabel, QPushButton, QWidget

from designer.model.autowire import WiringPlan
from designer.model.records import Connection
from designer.ui.canvas import style
from designer.ui.canvas.items import Z_PREVIEW
from designer.ui.canvas.scene import FloorScene
from designer.ui.canvas.view import FloorView
from designer.ui.commands import AddConnectionsCommand
from designer.ui.document import Document

BANNER_MARGIN_PX = 10


def preview_pen(connection: Connection) -> QPen:
    """The link's own colour, 2 px and dashed: planned, not yet made."""
    pen = QPen(style.connection_pen(connection).color(), 2.0, Qt.PenStyle.DashLine)
    pen.setCosmetic(True)
    return pen


class PreviewBanner(QFrame):
    """What the plan does, and the two ways out of the preview."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("AutoConnectBanner")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#AutoConnectBanner { background: #fff8e1; border: 1px solid #e0a800;"
                           " border-radius: 4px; } QLabel { color: #1b1e23; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel("", self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.apply_button = QPushButton("Apply", self)
        self.apply_button.setDefault(True)
        self.apply_button.setToolTip("Make these connections (one undo step) — Enter")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Leave the design as it is — Esc")
        layout.addWidget(self.apply_button)
        layout.addWidget(self.cancel_button)

    def place(self, view: FloorView) -> None:
        area = view.viewport().geometry()
        width = min(area.width() - 2 * BANNER_MARGIN_PX, 760)
        self.setFixedWidth(max(width, 200))
        self.adjustSize()
        self.move(area.left() + (area.width() - self.width()) // 2, area.top() + BANNER_MARGIN_PX)


class AutoConnectPreview(QObject):
    """One plan on show; ``finished(applied)`` when the user decides or the design moves on."""

    finished = Signal(bool)

    def __init__(self, document: Document, scene: FloorScene, view: FloorView, plan: WiringPlan,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document, self.scene, self.view, self.plan = document, scene, view, plan
        self.paths: list[QGraphicsPathItem] = []
        self.off_hall = 0
        """Planned links with an end outside the hall on show (counted in the banner, not drawn)."""
        self.banner = PreviewBanner(view)
        self.banner.apply_button.clicked.connect(self.apply)
        self.banner.cancel_button.clicked.connect(self.cancel)
        within = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self._shortcuts = [QShortcut(QKeySequence(key), view, member, context=within)
                           for key, member in ((Qt.Key.Key_Escape, self.cancel), (Qt.Key.Key_Return, self.apply),
                                               (Qt.Key.Key_Enter, self.apply))]
        self._open = True
        document.undo_stack.indexChanged.connect(self._on_design_changed)
        document.project_replaced.connect(self._on_design_changed)
        document.current_hall_changed.connect(self._on_document_current_hall_changed)
        self._draw()
        self.banner.show()
        self.banner.place(view)
        self.banner.raise_()

    # ----------------------------------------------------------------- drawing
    def _draw(self) -> None:
        for path_item in self.paths:
            self.scene.removeItem(path_item)
        self.paths = []
        graphics = self.scene.items_by_id
        paths: dict[tuple[str, str], tuple[QPainterPath, QPen]] = {}
        self.off_hall = 0
        for connection in self.plan.connections:
            source, target = graphics.get(connection.source_id), graphics.get(connection.target_id)
            if source is None or target is None:
                self.off_hall += 1
                continue
            key = (connection.kind.value, connection.feed.value if connection.kind.value == "power"
                   else connection.medium.value)
            if key not in paths:
                paths[key] = (QPainterPath(), preview_pen(connection))
            line = QLineF(source.pos(), target.pos())
            paths[key][0].moveTo(line.p1())
            paths[key][0].lineTo(line.p2())
        for path, pen in paths.values():
            item = QGraphicsPathItem(path)
            item.setPen(pen)
            item.setZValue(Z_PREVIEW)
            item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            self.scene.addItem(item)
            self.paths.append(item)
        text = self.plan.summary().replace("Auto-connect: ", "Auto-connect would add ")
        if self.off_hall:
            text += f" ({self.off_hall} to or in other halls, not drawn here)"
        self.banner.label.setText(text + ".")

    def drawn_segments(self) -> int:
        """How many planned links are drawn on the canvas now."""
        count = 0
        for item in self.paths:
            path = item.path()
            count += sum(1 for i in range(path.elementCount()) if path.elementAt(i).isMoveTo())
        return count

    def end_point(self, index: int) -> QPointF:
        return self.paths[index].path().currentPosition()

    # ----------------------------------------------------------------- decisions
    def apply(self) -> None:
        """Make every planned link, as one undo step."""
        if not self._open:
            return
        plan = self.plan
        self._close()
        if plan.connections:
            self.document.push(AddConnectionsCommand(self.document.project, plan.connections, text=plan.undo_text()))
        self.finished.emit(True)

    def cancel(self) -> None:
        if self._open:
            self._close()
            self.finished.emit(False)

    def _on_design_changed(self, *_args: object) -> None:
        self.cancel()

    def _on_document_current_hall_changed(self, _hall_id: str) -> None:
        if self._open:
            self._draw()

    def _close(self) -> None:
        self._open = False
        self.document.undo_stack.indexChanged.disconnect(self._on_design_changed)
        self.document.project_replaced.disconnect(self._on_design_changed)
        self.document.current_hall_changed.disconnect(self._on_document_current_hall_changed)
        for item in self.paths:
            self.scene.removeItem(item)
        self.paths = []
        for shortcut in self._shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self.banner.hide()
        self.banner.deleteLater()
