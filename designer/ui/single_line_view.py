"""SingleLineView: the power chain as a single-line diagram, generated from the model and the analysis.

The layout is ``designer.analysis.single_line`` (Qt-free); this is a thin view over it: one graphics
item per box and one for all the lines. It is laid out again after each analysis (or when shown,
if the design changed while it was hidden). Selecting boxes selects their items in the document,
and a selection made elsewhere selects the boxes that show those items.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneMouseEvent,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyleOptionGraphicsItem,
    QVBoxLayout,
    QWidget,
)

from designer.analysis import Results
from designer.analysis.electrical import ElectricalResults
from designer.analysis.single_line import SldLayout, SldNode, group_of_items, single_line_layout
from designer.analysis.single_line_labels import label_hooks
from designer.model.catalog import merged_catalog
from designer.ui.document import Document
from designer.ui.single_line_paint import paint_links, paint_node, paint_rows
from designer.ui.zoom_view import ZoomView

ALL_HALLS = ""
DETAIL_PX_PER_MM = 1.2
"""Below this zoom the boxes are drawn without their text (3 mm text would be under 4 px)."""
LARGE_DESIGN_ITEMS = 3_000
"""A design with more items opens its diagram on the current hall (all halls stays a click away)."""


class SldNodeItem(QGraphicsItem):
    """One box of the diagram."""

    def __init__(self, node: SldNode) -> None:
        super().__init__()
        self.node = node
        self.setPos(node.x_mm, node.y_mm)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setToolTip("\n".join(node.lines()) + "\nDouble-click to show it on the floor plan")
        self.double_clicked: list[SldNode] = []

    def boundingRect(self) -> QRectF:
        return QRectF(-1.0, -1.0, self.node.width_mm + 2.0, self.node.height_mm + 2.0)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        # text under about 4 px high is not drawn: a zoomed-out campus paints thousands of boxes at once
        detail = option.levelOfDetailFromTransform(painter.worldTransform()) >= DETAIL_PX_PER_MM
        paint_node(painter, self.node, QRectF(0, 0, self.node.width_mm, self.node.height_mm),
                   selected=self.isSelected(), detail=detail)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        scene = self.scene()
        if isinstance(scene, SingleLineScene):
            scene.node_activated.emit(list(self.node.item_ids))
        event.accept()


class SldLinesItem(QGraphicsItem):
    """Every line and the row titles, painted at once (hundreds of polylines, one item)."""

    def __init__(self, layout: SldLayout) -> None:
        super().__init__()
        self.layout_ = layout
        self.setZValue(-1)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.layout_.width_mm, self.layout_.height_mm)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        paint_rows(painter, self.layout_)
        paint_links(painter, self.layout_)


class SingleLineScene(QGraphicsScene):
    node_activated = Signal(list)
    """Item ids of a double-clicked box."""


class SingleLineView(QWidget):
    """The diagram of one document, with a hall filter; follows the analysis and the selection."""

    show_on_plan = Signal(list)
    """Item ids to show on the floor plan (a double-clicked box)."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.results: Results | None = None
        self.electrical: tuple[Results, ElectricalResults] | None = None
        """The electrical figures of the boxes' labels and the results they were worked out from."""
        self.layout_: SldLayout | None = None
        self.node_items: dict[str, SldNodeItem] = {}
        self.stale = True
        self._syncing = False
        self.scene = SingleLineScene(self)
        self.scene.node_activated.connect(self.show_on_plan)
        self.view = ZoomView(self.scene, self)
        self.view.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.view.setBackgroundBrush(Qt.GlobalColor.white)
        header = QHBoxLayout()
        header.setContentsMargins(6, 4, 6, 0)
        header.addWidget(QLabel("Diagram of"))
        self.hall_combo = QComboBox(self)
        self.hall_combo.setToolTip("The whole design, or one hall with everything upstream of it")
        self.hall_combo.currentIndexChanged.connect(lambda _i: self.relayout(fit=True))
        header.addWidget(self.hall_combo)
        self.summary = QLabel("")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        key = QLabel('<span style="color:#1f5fbf">━ A path</span>  <span style="color:#b8321a">╍ B path</span>  '
                     '<span style="color:#5b626c">━ single / shared</span>')
        for label in (self.summary, key):  # they give way (clipped) rather than widen the window
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.hall_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.hall_combo.setMinimumContentsLength(6)
        header.addWidget(self.summary, 3)
        header.addWidget(key, 2)
        fit = QPushButton("Fit")
        fit.clicked.connect(self.view.zoom_to_fit)
        header.addWidget(fit)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addLayout(header)
        box.addWidget(self.view)
        self.scene.selectionChanged.connect(self._on_scene_selection_changed)
        document.selection_changed.connect(self._on_document_selection_changed)
        document.project_changed.connect(self._on_document_project_changed)
        document.project_replaced.connect(self._on_document_project_replaced)
        document.halls_changed.connect(self._fill_hall_combo)
        self._fill_hall_combo()
        self._default_to_current_hall()

    # ----------------------------------------------------------------- layout
    def hall_filter(self) -> str | None:
        value = self.hall_combo.currentData()
        return value or None

    def _fill_hall_combo(self) -> None:
        current = self.hall_combo.currentData()
        self.hall_combo.blockSignals(True)
        self.hall_combo.clear()
        self.hall_combo.addItem("all halls", ALL_HALLS)
        for hall in self.document.project.halls.values():
            self.hall_combo.addItem(hall.name or hall.id, hall.id)
        self.hall_combo.setCurrentIndex(max(self.hall_combo.findData(current), 0))
        self.hall_combo.blockSignals(False)

    def _default_to_current_hall(self) -> None:
        """A large design opens on the current hall's diagram: a campus's whole chain is thousands of boxes."""
        project = self.document.project
        if len(project.items) > LARGE_DESIGN_ITEMS and project.halls:
            # the current hall if it holds racks (a substation's own diagram is two boxes), else the first that does
            items = project.items.values()
            # one catalog look-up per entry, not per item (a 50k campus opens with this)
            racks = {c for c in {i.catalog_id for i in items} if self.document.entry_of(c).is_rack}
            with_racks = {i.hall_id for i in items if i.catalog_id in racks}
            current = self.document.current_hall_id
            hall_id = current if current in with_racks else next((h for h in project.halls if h in with_racks), current)
            index = self.hall_combo.findData(hall_id)
            if index >= 0:
                self.hall_combo.blockSignals(True)
                self.hall_combo.setCurrentIndex(index)
                self.hall_combo.blockSignals(False)

    def show_results(self, results: Results) -> None:
        self.results = results
        if self.electrical is not None and self.electrical[0] is not results:
            # figures of earlier results are never shown again (the labels read only those of the results shown:
            # the boxes already read "electrical figures follow"), so they go now, with the results they came
            # from: at 50k racks ~60 MB otherwise held while the next checks are worked out
            self.electrical = None
        self.stale = True
        if self.isVisible():
            self.relayout()

    def show_electrical(self, results: Results, electrical: ElectricalResults) -> None:
        """Label the boxes with ``electrical`` (ratings, kVA, amps, feeds) while ``results`` are the ones shown."""
        self.electrical = (results, electrical)
        if results is self.results:
            self.stale = True
            if self.isVisible():
                self.relayout()

    def labelled(self) -> bool:
        """Whether the electrical figures of the results shown are in (the boxes carry their labels)."""
        return self.electrical is not None and self.results is not None and self.electrical[0] is self.results

    def relayout(self, fit: bool = False) -> None:
        """Lay the diagram out again from the model and the latest results."""
        document = self.document
        catalog = merged_catalog(document.catalog, document.project.custom_catalog)

        def entry_of(catalog_id: str):  # type: ignore[no-untyped-def]
            return catalog.get(catalog_id) or document.entry_of(catalog_id)

        first = self.layout_ is None
        # electrical labels only of the results shown: after an edit they wait for the next electrical figures
        electrical = self.electrical[1] if self.electrical is not None and self.labelled() else None
        hooks = label_hooks(document.project, catalog, electrical)
        self.layout_ = single_line_layout(document.project, entry_of, self.results, hooks=hooks,
                                          hall_id=self.hall_filter())
        self.stale = False
        self._syncing = True
        try:
            self.scene.clear()
            self.node_items = {}
            self.scene.addItem(SldLinesItem(self.layout_))
            for node in self.layout_.nodes:
                item = SldNodeItem(node)
                self.scene.addItem(item)
                self.node_items[node.id] = item
            self.scene.setSceneRect(QRectF(0, 0, self.layout_.width_mm, self.layout_.height_mm))
        finally:
            self._syncing = False
        self._on_document_selection_changed()
        racks = sum(n.count for n in self.layout_.nodes if n.kind == "Racks")
        groups = sum(1 for n in self.layout_.nodes if n.kind == "Racks")
        self.summary.setText(f"  {len(self.layout_.nodes) - groups} boxes of equipment, {racks} racks in "
                             f"{groups} groups" + ("" if self.results is not None else " (not analysed yet)")
                             + ("" if self.results is None or electrical is not None else
                                "; electrical figures follow"))
        if fit or first:
            self.view.zoom_to_fit()

    def showEvent(self, event: object) -> None:  # type: ignore[override]
        super().showEvent(event)  # type: ignore[arg-type]
        if self.stale or self.layout_ is None:
            self.relayout()

    # ----------------------------------------------------------------- selection
    def selected_node_ids(self) -> list[str]:
        return [item.node.id for item in self.scene.selectedItems() if isinstance(item, SldNodeItem)]

    def _on_scene_selection_changed(self) -> None:
        if self._syncing:
            return
        ids = [i for item in self.scene.selectedItems() if isinstance(item, SldNodeItem) for i in item.node.item_ids]
        items = self.document.project.items
        halls = [items[i].hall_id for i in ids if i in items]
        self._syncing = True
        try:
            # the floor plan holds one hall's selection: follow the selection to its hall
            if halls and self.document.current_hall_id not in halls:
                self.document.set_current_hall(halls[0])
            self.document.set_selection(ids)
        finally:
            self._syncing = False

    def _on_document_selection_changed(self) -> None:
        if self._syncing or self.layout_ is None:
            return
        wanted = group_of_items(self.layout_, self.document.selected_ids())
        self._syncing = True
        try:
            for node_id, item in self.node_items.items():
                item.setSelected(node_id in wanted)
        finally:
            self._syncing = False

    # ----------------------------------------------------------------- model
    def _on_document_project_changed(self, _event: object) -> None:
        self.stale = True  # laid out again with the next results (or when shown)

    def _on_document_project_replaced(self) -> None:
        self.results = None
        self.electrical = None
        self.layout_ = None
        self._fill_hall_combo()
        self.hall_combo.blockSignals(True)
        self.hall_combo.setCurrentIndex(0)
        self.hall_combo.blockSignals(False)
        self._default_to_current_hall()
        self.stale = True
        if self.isVisible():
            self.relayout(fit=True)
