"""SiteView: every hall and plant area of the design to scale on one site plan, coloured by its state.

Click a hall to open it on the floor plan; drag it to move it on the site (one undoable command on
release). Colours are the worst of the hall's state (``designer.analysis.site_state``): racks
unserved in the error colour, racks at risk or parts over their rating in the warning colour, ok
in green; grey until analysed. Areas without racks (substations, plant yards) are hatched.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QPolygonF, QTransform
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPolygonItem,
    QGraphicsScene,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStyleOptionGraphicsItem,
    QVBoxLayout,
    QWidget,
)

from designer.analysis import Results
from designer.analysis.site_state import HallCondition, HallState, hall_states
from designer.model.events import ChangeAction, ChangeEvent, Collection
from designer.model.records import Hall
from designer.model.site_layout import SitePlacement, site_placements
from designer.ui.canvas.colour_modes import OK, OVER, UNKNOWN, WARN
from designer.ui.commands_site import PlaceHallOnSiteCommand
from designer.ui.document import Document
from designer.ui.zoom_view import ZoomView

CONDITION_COLOURS = {
    HallCondition.UNKNOWN: UNKNOWN,
    HallCondition.UNCHECKED: "#7fa8c9",
    HallCondition.NOT_IN_SERVICE: "#c8c8c8",
    HallCondition.OK: OK,
    HallCondition.WARNING: WARN,
    HallCondition.ERROR: OVER,
}
CONDITION_WORDS = {
    HallCondition.OK: "ok: every rack served and survives any single failure",
    HallCondition.WARNING: "racks at risk of a single failure, or parts over their rating",
    HallCondition.ERROR: "racks unserved now",
    HallCondition.UNCHECKED: "served now; single failures not checked yet",
    HallCondition.UNKNOWN: "not analysed yet",
    HallCondition.NOT_IN_SERVICE: "not in service in the analysed year (phased build-out): no state to give",
}
SNAP_MM = 500.0
"""A dragged hall lands on a 0.5 m grid of the site."""
CLICK_SLOP_MM = 1.0


class HallSiteItem(QGraphicsPolygonItem):
    """One hall's outline on the site; the label keeps its size on screen."""

    def __init__(self, hall: Hall, placement: SitePlacement, on_release: Callable[[HallSiteItem, bool], None]) -> None:
        super().__init__(QPolygonF([QPointF(x, y) for x, y in hall.outline_mm]))
        self.hall_id = hall.id
        self._on_release = on_release
        self._pressed_at: QPointF | None = None
        self.setPos(placement.x_mm, placement.y_mm)
        self.setRotation(placement.rotation_deg)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.label = QGraphicsSimpleTextItem(self)
        self.label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        font = QFont()
        font.setPointSizeF(9.0)
        self.label.setFont(font)
        min_x, min_y, max_x, max_y = hall.bounds_mm()
        self.label.setPos((min_x + max_x) / 2, (min_y + max_y) / 2)
        self.current = False
        self.state: HallState | None = None
        self.plant = False

    def show_state(self, name: str, state: HallState, current: bool, item_count: int) -> None:
        self.state, self.current = state, current
        self.plant = state.racks == 0
        colour = QColor(CONDITION_COLOURS[state.condition])
        fill = QColor(colour)
        fill.setAlpha(70 if not self.plant else 45)
        self.setBrush(QBrush(fill, Qt.BrushStyle.BDiagPattern) if self.plant else QBrush(fill))
        pen = QPen(QColor("#ffb000") if current else colour.darker(140), 3.0 if current else 1.8)
        pen.setCosmetic(True)
        self.setPen(pen)
        if self.plant:
            lines = [name, f"plant · {item_count} items", state.words() if state.over else ""]
        else:
            racks = (f"{state.racks} racks" if state.in_service in (None, state.racks)
                     else f"{state.in_service} of {state.racks} racks in service")
            lines = [name, f"{state.it_kw:,.0f} kW IT · {racks}", state.words()]
        self.label.setText("\n".join(line for line in lines if line))
        rect = self.label.boundingRect()  # centred on the hall, in screen pixels
        self.label.setTransform(QTransform.fromTranslate(-rect.width() / 2, -rect.height() / 2))
        self.setToolTip(f"{name}\n{lines[1]}\n{CONDITION_WORDS[state.condition]}\n"
                        "Click to open it; drag to move it on the site")
        self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self.plant:  # a plain base under the hatching so the area reads as ground, not a hole
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#f4f4ef"))
            painter.drawPolygon(self.polygon())
        super().paint(painter, option, widget)

    def contextMenuEvent(self, event: QGraphicsSceneContextMenuEvent) -> None:
        view = self.scene().views()[0] if self.scene() and self.scene().views() else None
        owner = view.parentWidget() if view is not None else None
        if isinstance(owner, SiteView):
            owner.show_hall_menu(self.hall_id, event.screenPos())
        event.accept()

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self._pressed_at = self.pos()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        start, self._pressed_at = self._pressed_at, None
        if start is None or event.button() != Qt.MouseButton.LeftButton:
            return
        moved = (self.pos() - start).manhattanLength() > CLICK_SLOP_MM
        self._on_release(self, moved)


class SiteView(QWidget):
    """The site plan of one document; :meth:`show_results` recolours it."""

    hall_entered = Signal(str)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.results: Results | None = None
        self.scene = QGraphicsScene(self)
        self.view = ZoomView(self.scene, self)
        self.view.setBackgroundBrush(QBrush(QColor("#e6ebe1")))
        self.hall_items: dict[str, HallSiteItem] = {}
        header = QHBoxLayout()
        header.setContentsMargins(6, 4, 6, 0)
        hint = QLabel("Site plan: click a hall to open it, drag it to move it on the site")
        hint.setTextFormat(Qt.TextFormat.PlainText)
        self.key = QLabel("")
        self.key.setTextFormat(Qt.TextFormat.RichText)
        for label in (hint, self.key):  # they give way (clipped) rather than widen the window
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        header.addWidget(hint, 3)
        header.addWidget(self.key, 2)
        fit = QPushButton("Fit")
        fit.clicked.connect(self.view.zoom_to_fit)
        header.addWidget(fit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.view)
        self.key.setText("  ".join(
            f'<span style="color:{CONDITION_COLOURS[c]}">■</span> {w}' for c, w in (
                (HallCondition.OK, "ok"), (HallCondition.WARNING, "at risk / over rating"),
                (HallCondition.ERROR, "unserved racks"), (HallCondition.NOT_IN_SERVICE, "not in service"),
                (HallCondition.UNKNOWN, "not analysed"))))
        self._fitted = False
        self._rebuild_pending = False
        document.project_changed.connect(self._on_document_project_changed)
        document.project_replaced.connect(self._on_document_project_replaced)
        document.current_hall_changed.connect(self._on_document_current_hall_changed)
        self.rebuild()

    # ----------------------------------------------------------------- building
    def rebuild(self) -> None:
        """One item per hall, where the site layout puts it."""
        self.scene.clear()
        self.hall_items = {}
        halls = self.document.project.halls
        for hall_id, placement in site_placements(halls).items():
            item = HallSiteItem(halls[hall_id], placement, self._on_hall_released)
            self.scene.addItem(item)
            self.hall_items[hall_id] = item
        if self.isVisible():  # else when shown (showEvent): the states of a 50k campus take 0.1 s
            self.refresh()

    def _on_document_current_hall_changed(self, _hall_id: str) -> None:
        if self.isVisible():  # else when shown
            self.refresh()

    def refresh(self) -> None:
        """Colours and labels from the latest results."""
        project = self.document.project
        states = hall_states(project, self.document.entry_of, self.results)
        counts: dict[str, int] = {}
        for item in project.items.values():
            counts[item.hall_id] = counts.get(item.hall_id, 0) + 1
        for hall_id, item in self.hall_items.items():
            hall = project.halls.get(hall_id)
            if hall is not None and hall_id in states:
                item.show_state(hall.name or hall_id, states[hall_id], hall_id == self.document.current_hall_id,
                                counts.get(hall_id, 0))

    def show_results(self, results: Results) -> None:
        """Recolour from ``results`` now if the plan is on show, else when it is shown."""
        self.results = results
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: object) -> None:  # type: ignore[override]
        super().showEvent(event)  # type: ignore[arg-type]
        self.refresh()
        if not self._fitted:
            self._fitted = True
            self.view.zoom_to_fit()

    # ----------------------------------------------------------------- events
    def show_hall_menu(self, hall_id: str, at: QPoint) -> None:
        """Open, turn by 90° or put back in the automatic layout."""
        menu = QMenu(self)
        menu.addAction("Open Hall", lambda: self.hall_entered.emit(hall_id))
        menu.addAction("Rotate 90° on the Site", lambda: self.rotate_hall(hall_id))
        menu.exec(at)

    def rotate_hall(self, hall_id: str, degrees: float = 90.0) -> None:
        """Turn a hall clockwise about its centre on the site (one undoable step)."""
        project = self.document.project
        hall = project.halls[hall_id]
        placement = site_placements(project.halls)[hall_id]
        min_x, min_y, max_x, max_y = hall.bounds_mm()
        centre = placement.to_site(((min_x + max_x) / 2, (min_y + max_y) / 2))
        turned = SitePlacement(hall_id, 0.0, 0.0, (placement.rotation_deg + degrees) % 360.0)
        cx, cy = turned.to_site(((min_x + max_x) / 2, (min_y + max_y) / 2))
        self.document.push(PlaceHallOnSiteCommand(project, hall_id, round(centre[0] - cx, 1),
                                                  round(centre[1] - cy, 1), turned.rotation_deg))

    def _on_hall_released(self, item: HallSiteItem, moved: bool) -> None:
        if not moved:
            self.hall_entered.emit(item.hall_id)
            return
        x = round(item.pos().x() / SNAP_MM) * SNAP_MM
        y = round(item.pos().y() / SNAP_MM) * SNAP_MM
        self.document.push(PlaceHallOnSiteCommand(self.document.project, item.hall_id, x, y))

    def _on_document_project_changed(self, event: ChangeEvent) -> None:
        if event.collection is not Collection.HALLS:
            return
        if event.action is ChangeAction.MOVED and set(self.hall_items) == set(self.document.project.halls):
            self.place_items()  # in place: the item being released may be the one that moved
        elif not self._rebuild_pending:  # later: an item's own mouse handler may be running
            self._rebuild_pending = True
            QTimer.singleShot(0, self._rebuild_now)

    def _rebuild_now(self) -> None:
        self._rebuild_pending = False
        self.rebuild()

    def place_items(self) -> None:
        """Move the items to where the model's site layout puts them."""
        for hall_id, placement in site_placements(self.document.project.halls).items():
            item = self.hall_items[hall_id]
            item.setPos(placement.x_mm, placement.y_mm)
            item.setRotation(placement.rotation_deg)

    def _on_document_project_replaced(self) -> None:
        self.results = None
        self._fitted = self.isVisible()
        self.rebuild()
        if self.isVisible():
            self.view.zoom_to_fit()
