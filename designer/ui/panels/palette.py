"""The palette: catalog entries and pod templates to drag onto the floor, grouped by kind, searchable."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QDrag, QFont, QIcon, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.model.catalog import Catalog, CatalogEntry
from designer.model.pods import PodTemplate
from designer.model.roles import COOLING_STAGE_BY_ROLE, POWER_STAGE_BY_ROLE, ROLE_LABELS
from designer.model.types import Confidence, ItemKind, Role
from designer.ui.panels.icons import ICON_SIZE_PX, entry_icon, pod_icon

CATALOG_MIME = "application/x-dc-designer-catalog-id"
POD_MIME = "application/x-dc-designer-pod-id"

ID_ROLE = Qt.ItemDataRole.UserRole
IS_POD_ROLE = Qt.ItemDataRole.UserRole + 1
SECONDARY_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3

GROUP_TITLES: tuple[tuple[ItemKind | None, str], ...] = (
    (ItemKind.RACK, "Racks"),
    (ItemKind.POWER, "Power"),
    (ItemKind.COOLING, "Cooling"),
    (ItemKind.FLOOR, "Floor"),
    (None, "Pods"),
)

CONFIDENCE_LABELS: dict[Confidence, str] = {
    Confidence.PRIMARY: "primary source (P)",
    Confidence.SECONDARY: "secondary source (S)",
    Confidence.ESTIMATE: "estimate (E)",
}


def role_label(role: Role) -> str:
    """The user-facing name of a role ("Floor PDU")."""
    return ROLE_LABELS.get(role, role.value.replace("_", " ").capitalize())


def format_kw(value_kw: float) -> str:
    """``1,250 kW`` / ``17.5 kW``: no decimals for whole numbers."""
    if abs(value_kw - round(value_kw)) < 1e-9:
        return f"{round(value_kw):,} kW"
    return f"{value_kw:,.1f} kW"


def format_footprint(width_mm: float, depth_mm: float) -> str:
    """``600×1200 mm``, or ``no footprint``."""
    if width_mm <= 0 or depth_mm <= 0:
        return "no footprint"
    return f"{width_mm:.0f}×{depth_mm:.0f} mm"


def entry_ratings(entry: CatalogEntry) -> str:
    """The key ratings shown under an entry's name: kW, cooling, footprint."""
    parts: list[str] = []
    if entry.kind is ItemKind.RACK:
        if entry.capacity_kw:
            parts.append(format_kw(entry.capacity_kw))
        if entry.liquid_fraction >= 1.0:
            parts.append("liquid 100 %")
        elif entry.liquid_fraction > 0.0:
            parts.append(f"liquid {round(entry.liquid_fraction * 100)} %")
        else:
            parts.append("air")
    else:
        parts.append(role_label(entry.role))
        if entry.capacity_kw:
            rating = format_kw(entry.capacity_kw)
            if entry.medium is not None:
                rating += f" {entry.medium.value}"
            parts.append(rating)
        elif entry.medium is not None:
            parts.append(entry.medium.value)
    parts.append(format_footprint(entry.width_mm, entry.depth_mm))
    return " · ".join(parts)


def entry_tooltip(entry: CatalogEntry) -> str:
    rows = [f"<b>{html.escape(entry.name)}</b>", f"<code>{html.escape(entry.id)}</code>"]
    if entry.manufacturer:
        rows.append(html.escape(entry.manufacturer))
    rows.append(html.escape(entry_ratings(entry)))
    if entry.capacity_range_kw is not None:
        low, high = entry.capacity_range_kw
        rows.append(f"Reference range: {low:,.0f}–{high:,.0f} kW")
    rows.append(f"Source: {html.escape(entry.source)}")
    rows.append(f"Confidence: {CONFIDENCE_LABELS.get(entry.confidence, entry.confidence.value)}")
    return "<br>".join(rows)


def pod_ratings(template: PodTemplate, catalog: Mapping[str, CatalogEntry]) -> str:
    """``8 racks · 1,056 kW IT · 12 items``."""
    racks = 0
    it_kw = 0.0
    for item in template.items:
        entry = catalog.get(item.catalog_id)
        if entry is not None and entry.kind is ItemKind.RACK:
            racks += 1
            it_kw += item.design_kw if item.design_kw is not None else entry.capacity_kw
    parts = [f"{racks} rack{'s' if racks != 1 else ''}"]
    if it_kw:
        parts.append(f"{format_kw(it_kw)} IT")
    parts.append(f"{len(template.items)} items")
    return " · ".join(parts)


def pod_tooltip(template: PodTemplate, catalog: Mapping[str, CatalogEntry]) -> str:
    rows = [f"<b>{html.escape(template.name)}</b>", f"<code>{html.escape(template.id)}</code>",
            html.escape(pod_ratings(template, catalog))]
    if template.description:
        rows.append(html.escape(template.description))
    if template.source:
        rows.append(f"Source: {html.escape(template.source)}")
    return "<br>".join(rows)


def _sort_key(entry: CatalogEntry) -> tuple[int, str]:
    stage = POWER_STAGE_BY_ROLE.get(entry.role, COOLING_STAGE_BY_ROLE.get(entry.role, 99))
    return stage, entry.name.casefold()


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [child for child in map(item.child, range(item.childCount())) if child is not None]


def _between(near: QColor, far: QColor, weight: float) -> QColor:
    """``weight`` of ``near`` mixed with the rest of ``far``: a secondary text colour that reads on any
    theme's background (a palette's placeholder colour is often left dark by dark themes)."""
    return QColor.fromRgbF(*(weight * a + (1 - weight) * b for a, b in zip(near.getRgbF()[:3], far.getRgbF()[:3],
                                                                           strict=True)))


class PaletteItemDelegate(QStyledItemDelegate):
    """Draws a leaf row as icon + name + grey ratings line, eliding rather than clipping."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        if index.data(ID_ROLE) is None:
            return super().sizeHint(option, index)
        line = option.fontMetrics.height()
        return QSize(200, max(ICON_SIZE_PX + 4, 2 * line + 8))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        if index.data(ID_ROLE) is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        opt.text = ""
        opt.icon = QIcon()  # draw the background and selection only
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect: QRect = option.rect
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        if icon is not None:
            icon_rect = QRect(rect.left() + 2, rect.top() + (rect.height() - ICON_SIZE_PX) // 2,
                              ICON_SIZE_PX, ICON_SIZE_PX)
            icon.paint(painter, icon_rect)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_color = palette.highlightedText().color() if selected else palette.text().color()
        secondary_color = text_color if selected else _between(palette.text().color(), palette.base().color(), 0.62)
        text_left = rect.left() + ICON_SIZE_PX + 8
        text_width = max(10, rect.right() - text_left - 4)
        metrics = option.fontMetrics
        line = metrics.height()
        top = rect.top() + (rect.height() - 2 * line - 2) // 2
        painter.save()
        name_font = QFont(option.font)
        name_font.setBold(True)
        painter.setFont(name_font)
        painter.setPen(text_color)
        name = index.data(Qt.ItemDataRole.DisplayRole) or ""
        bold_metrics = painter.fontMetrics()
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(QRect(text_left, top, text_width, line), align,
                         bold_metrics.elidedText(name, Qt.TextElideMode.ElideRight, text_width))
        small = QFont(option.font)
        if small.pointSizeF() > 0:
            small.setPointSizeF(small.pointSizeF() * 0.92)
        painter.setFont(small)
        painter.setPen(secondary_color)
        secondary = index.data(SECONDARY_ROLE) or ""
        painter.drawText(QRect(text_left, top + line + 2, text_width, line), align,
                         painter.fontMetrics().elidedText(secondary, Qt.TextElideMode.ElideRight, text_width))
        painter.restore()


class PaletteTree(QTreeWidget):
    """The tree of the palette; ``mimeData`` carries the dragged entry's or pod's id."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setIconSize(QSize(ICON_SIZE_PX, ICON_SIZE_PX))
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformRowHeights(False)
        self.setIndentation(12)
        self.setItemDelegate(PaletteItemDelegate(self))

    def mimeTypes(self) -> list[str]:
        return [CATALOG_MIME, POD_MIME]

    def mimeData(self, items: Sequence[QTreeWidgetItem]) -> QMimeData:
        """The id of the first dragged leaf row, under the catalog or the pod MIME type."""
        mime = QMimeData()
        for item in items:
            item_id = item.data(0, ID_ROLE)
            if item_id is None:
                continue
            mime_type = POD_MIME if item.data(0, IS_POD_ROLE) else CATALOG_MIME
            mime.setData(mime_type, str(item_id).encode("utf-8"))
            mime.setText(str(item_id))
            break
        return mime

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def startDrag(self, supported_actions: Qt.DropAction) -> None:
        """Drag the row's top view (not a picture of the whole row) with the id as MIME data."""
        item = self.currentItem()
        if item is None or item.data(0, ID_ROLE) is None:
            return
        drag = QDrag(self)
        drag.setMimeData(self.mimeData([item]))
        pixmap = item.icon(0).pixmap(ICON_SIZE_PX, ICON_SIZE_PX)
        drag.setPixmap(pixmap)
        drag.setHotSpot(QPoint(pixmap.width() // 2, pixmap.height() // 2))
        drag.exec(Qt.DropAction.CopyAction)


class PaletteDock(QDockWidget):
    """A dock listing what can be placed: catalog entries by kind and pod templates.

    Drag a row onto the floor, or double-click it to place it (``place_requested``).
    """

    place_requested = Signal(str, bool)
    """(catalog id or pod template id, is_pod)"""

    def __init__(self, catalog: Catalog | Mapping[str, CatalogEntry],
                 pod_templates: Mapping[str, PodTemplate], parent: QWidget | None = None) -> None:
        super().__init__("Palette", parent)
        self.setObjectName("PaletteDock")
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        self.search_edit = QLineEdit(body)
        self.search_edit.setPlaceholderText("Search name, id or role…")
        self.search_edit.setClearButtonEnabled(True)
        self.tree = PaletteTree(body)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.tree)
        self.setWidget(body)
        self._groups: dict[str, QTreeWidgetItem] = {}
        self._group_totals: dict[str, int] = {}
        self.search_edit.textChanged.connect(self._on_search_text_changed)
        self.tree.itemDoubleClicked.connect(self._on_tree_item_double_clicked)
        self.set_catalog(catalog, pod_templates)

    # ----------------------------------------------------------------- content
    def set_catalog(self, catalog: Catalog | Mapping[str, CatalogEntry],
                    pod_templates: Mapping[str, PodTemplate]) -> None:
        """Rebuild the rows from ``catalog`` and ``pod_templates`` (keeps the search text)."""
        self.tree.clear()
        self._groups.clear()
        self._group_totals.clear()
        for kind, title in GROUP_TITLES:
            group = QTreeWidgetItem([title])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.tree.addTopLevelItem(group)
            self._groups[title] = group
            if kind is None:
                for template in sorted(pod_templates.values(), key=lambda t: t.name.casefold()):
                    group.addChild(self._pod_row(template, catalog))
            else:
                entries = [entry for entry in catalog.values() if entry.kind is kind]
                for entry in sorted(entries, key=_sort_key):
                    group.addChild(self._entry_row(entry))
            self._group_totals[title] = group.childCount()
        self.tree.expandAll()
        self._apply_filter(self.search_edit.text())

    @staticmethod
    def _entry_row(entry: CatalogEntry) -> QTreeWidgetItem:
        row = QTreeWidgetItem([entry.name])
        row.setIcon(0, entry_icon(entry))
        row.setData(0, ID_ROLE, entry.id)
        row.setData(0, IS_POD_ROLE, False)
        row.setData(0, SECONDARY_ROLE, entry_ratings(entry))
        row.setData(0, SEARCH_ROLE, " ".join(
            (entry.name, entry.id, entry.role.value, role_label(entry.role), entry.manufacturer)).casefold())
        row.setToolTip(0, entry_tooltip(entry))
        row.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
        return row

    @staticmethod
    def _pod_row(template: PodTemplate, catalog: Mapping[str, CatalogEntry]) -> QTreeWidgetItem:
        row = QTreeWidgetItem([template.name])
        row.setIcon(0, pod_icon(template, catalog))
        row.setData(0, ID_ROLE, template.id)
        row.setData(0, IS_POD_ROLE, True)
        row.setData(0, SECONDARY_ROLE, pod_ratings(template, catalog))
        row.setData(0, SEARCH_ROLE, " ".join((template.name, template.id, "pod")).casefold())
        row.setToolTip(0, pod_tooltip(template, catalog))
        row.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
        return row

    # ----------------------------------------------------------------- queries
    def rows(self) -> list[QTreeWidgetItem]:
        """Every leaf row (entries and pods), hidden or not."""
        return [row for group in self._groups.values() for row in _children(group)]

    def row_for(self, item_id: str) -> QTreeWidgetItem | None:
        return next((row for row in self.rows() if row.data(0, ID_ROLE) == item_id), None)

    def visible_ids(self) -> list[str]:
        """Ids of the rows the search leaves visible, in display order."""
        return [row.data(0, ID_ROLE) for row in self.rows() if not row.isHidden()]

    # ----------------------------------------------------------------- handlers
    def _on_search_text_changed(self, text: str) -> None:
        self._apply_filter(text)

    def _apply_filter(self, text: str) -> None:
        tokens = text.casefold().split()
        for title, group in self._groups.items():
            shown = 0
            for row in _children(group):
                haystack = row.data(0, SEARCH_ROLE) or ""
                visible = all(token in haystack for token in tokens)
                row.setHidden(not visible)
                shown += visible
            total = self._group_totals.get(title, group.childCount())
            group.setText(0, f"{title} ({shown} of {total})" if tokens else f"{title} ({total})")
            group.setHidden(bool(tokens) and shown == 0)
            if tokens and shown:
                group.setExpanded(True)

    def _on_tree_item_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        item_id = item.data(0, ID_ROLE)
        if item_id is not None:
            self.place_requested.emit(str(item_id), bool(item.data(0, IS_POD_ROLE)))
