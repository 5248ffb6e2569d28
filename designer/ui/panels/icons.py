"""Shared colours and small top-view drawings of catalog entries and pod templates (palette, canvas)."""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF

from designer.model.catalog import Catalog, CatalogEntry
from designer.model.pods import PodTemplate
from designer.model.types import CoolingMedium, ItemKind, WorkloadClass
from designer.ui.canvas import style

# The same colours as the floor plan (designer/ui/canvas/style.py), so a palette icon looks like
# the item it drops.
COLOR_BY_WORKLOAD: Mapping[WorkloadClass, str] = style.RACK_COLOURS
"""Fill colour of a rack by its workload class: the canvas's own table, so palette and floor agree."""

COLOR_BY_KIND: Mapping[ItemKind, str] = style.KIND_COLOURS
"""Fill colour of an item by its kind, for items without a more specific colour."""

COLOR_BY_MEDIUM: dict[CoolingMedium, str] = {
    CoolingMedium.AIR: "#7CC4E8",
    CoolingMedium.LIQUID: "#1F5FBF",
}
"""Cooling equipment by the medium it delivers; also the liquid share drawn inside racks."""

COLOR_BY_SEVERITY: dict[str, str] = {
    "error": "#C62828",
    "warning": "#E08E00",
    "info": "#1E6FB8",
}
"""Problem severities (problems panel, canvas overlays)."""

LIQUID_SHARE_COLOR = "#8FE3FF"
"""The rack's liquid-cooled share, drawn at its rear: pale, so it reads on every workload colour."""
FRONT_EDGE_COLOR = "#1A1A1A"
ICON_SIZE_PX = 48
REFERENCE_SPAN_MM = 3000.0
"""Items up to this size share one scale in icons, so a rack and a CRAH compare by size; larger items fit."""


def color_for_entry(entry: CatalogEntry, workload: WorkloadClass | None = None) -> QColor:
    """The fill colour of an item of ``entry`` (racks by workload, else by kind), as on the floor plan."""
    if entry.kind is ItemKind.RACK:
        chosen = workload or entry.workload or WorkloadClass.GENERAL
        return QColor(COLOR_BY_WORKLOAD[chosen])
    return QColor(COLOR_BY_KIND[entry.kind])


def _new_pixmap(size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    return pixmap


def _draw_footprint(
    painter: QPainter,
    rect: QRectF,
    fill: QColor,
    *,
    liquid_fraction: float = 0.0,
    front_mark: bool = True,
) -> None:
    """One footprint in icon coordinates; the front (cold-aisle) face is the top edge (-y)."""
    painter.setPen(QPen(fill.darker(160), 1.0))
    painter.setBrush(QBrush(fill))
    painter.drawRect(rect)
    if liquid_fraction > 0.0:
        # liquid share: a central strip rising from the rear (where the manifolds sit), narrow
        # enough that the workload colour stays visible on both sides
        height = (rect.height() - 2) * liquid_fraction
        strip_width = max(1.5, rect.width() * 0.4)
        band = QRectF(rect.center().x() - strip_width / 2, rect.bottom() - 1 - height, strip_width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor(LIQUID_SHARE_COLOR)))
        painter.drawRect(band)
    if front_mark:
        thickness = max(1.5, min(3.0, rect.height() / 6))
        painter.setPen(QPen(QColor(FRONT_EDGE_COLOR), thickness, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        y = rect.top() + thickness / 2
        painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))


def entry_pixmap(entry: CatalogEntry, size: int = ICON_SIZE_PX, workload: WorkloadClass | None = None) -> QPixmap:
    """A top view of ``entry``'s footprint, to scale, centred in a ``size`` square."""
    pixmap = _new_pixmap(size)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    fill = color_for_entry(entry, workload)
    usable = size - 4.0
    if entry.width_mm <= 0 or entry.depth_mm <= 0:
        # no floor footprint (rack PDU, power shelf): a dashed token instead of a shape
        pen = QPen(fill.darker(130), 1.5, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        side = usable * 0.4
        painter.drawEllipse(QRectF((size - side) / 2, (size - side) / 2, side, side))
        painter.end()
        return pixmap
    span = max(entry.width_mm, entry.depth_mm, REFERENCE_SPAN_MM)
    scale = usable / span
    width = max(3.0, entry.width_mm * scale)
    depth = max(3.0, entry.depth_mm * scale)
    rect = QRectF((size - width) / 2, (size - depth) / 2, width, depth)
    liquid = entry.liquid_fraction if entry.kind is ItemKind.RACK else 0.0
    _draw_footprint(painter, rect, fill, liquid_fraction=liquid, front_mark=entry.kind is not ItemKind.FLOOR)
    if entry.kind is ItemKind.COOLING and entry.medium is not None:
        # what the unit delivers: a dot, dark for liquid, pale for air
        radius = max(2.0, min(rect.width(), rect.height()) / 4)
        painter.setPen(QPen(QColor("white"), 1.0))
        painter.setBrush(QBrush(QColor(COLOR_BY_MEDIUM[entry.medium])))
        painter.drawEllipse(rect.center(), radius, radius)
    painter.end()
    return pixmap


def entry_icon(entry: CatalogEntry, size: int = ICON_SIZE_PX) -> QIcon:
    return QIcon(entry_pixmap(entry, size))


def _rotated_extent(width_mm: float, depth_mm: float, rotation_deg: float) -> tuple[float, float]:
    """Axis-aligned width and depth of a footprint rotated by ``rotation_deg``."""
    angle = math.radians(rotation_deg)
    cos_a, sin_a = abs(math.cos(angle)), abs(math.sin(angle))
    return width_mm * cos_a + depth_mm * sin_a, width_mm * sin_a + depth_mm * cos_a


def pod_pixmap(template: PodTemplate, catalog: Mapping[str, CatalogEntry] | Catalog,
               size: int = ICON_SIZE_PX) -> QPixmap:
    """A top view of a pod template: every item with a footprint, fitted into a ``size`` square."""
    pixmap = _new_pixmap(size)
    placed: list[tuple[CatalogEntry, float, float, float, float, WorkloadClass | None]] = []
    for item in template.items:
        entry = catalog.get(item.catalog_id)
        if entry is None or entry.width_mm <= 0 or entry.depth_mm <= 0:
            continue
        width, depth = _rotated_extent(entry.width_mm, entry.depth_mm, item.rotation_deg)
        placed.append((entry, item.x_mm, item.y_mm, width, depth, item.workload))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if not placed:
        painter.setPen(QPen(QColor(COLOR_BY_KIND[ItemKind.RACK]), 1.5, Qt.PenStyle.DashLine))
        painter.drawRect(QRectF(8, 8, size - 16, size - 16))
        painter.end()
        return pixmap
    left = min(x - w / 2 for _, x, _, w, _, _ in placed)
    right = max(x + w / 2 for _, x, _, w, _, _ in placed)
    top = min(y - d / 2 for _, _, y, _, d, _ in placed)
    bottom = max(y + d / 2 for _, _, y, _, d, _ in placed)
    usable = size - 4.0
    scale = usable / max(right - left, bottom - top, 1.0)
    offset_x = (size - (right - left) * scale) / 2 - left * scale
    offset_y = (size - (bottom - top) * scale) / 2 - top * scale
    # a frame around the pod so it reads as one block
    painter.setPen(QPen(QColor("#606060"), 1.0, Qt.PenStyle.DotLine))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(QRectF(offset_x + left * scale - 1, offset_y + top * scale - 1,
                            (right - left) * scale + 2, (bottom - top) * scale + 2))
    for entry, x_mm, y_mm, width, depth, workload in placed:
        rect = QRectF(offset_x + (x_mm - width / 2) * scale, offset_y + (y_mm - depth / 2) * scale,
                      max(1.5, width * scale), max(1.5, depth * scale))
        painter.setPen(QPen(color_for_entry(entry, workload).darker(170), 0.6))
        painter.setBrush(QBrush(color_for_entry(entry, workload)))
        painter.drawRect(rect)
    painter.end()
    return pixmap


def pod_icon(template: PodTemplate, catalog: Mapping[str, CatalogEntry] | Catalog,
             size: int = ICON_SIZE_PX) -> QIcon:
    return QIcon(pod_pixmap(template, catalog, size))


def severity_pixmap(severity: str, size: int = 16) -> QPixmap:
    """A round (error), triangular (warning) or square (info) badge, so severity is not colour alone."""
    pixmap = _new_pixmap(size)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = QColor(COLOR_BY_SEVERITY.get(severity, "#808080"))
    painter.setPen(QPen(color.darker(140), 1.0))
    painter.setBrush(QBrush(color))
    inset = 1.5
    box = QRectF(inset, inset, size - 2 * inset, size - 2 * inset)
    if severity == "error":
        painter.drawEllipse(box)
    elif severity == "warning":
        painter.drawPolygon(QPolygonF([QPointF(size / 2, inset), QPointF(size - inset, size - inset),
                                       QPointF(inset, size - inset)]))
    else:
        painter.drawRoundedRect(box, 3, 3)
    painter.setPen(QPen(QColor("white"), 2.0))
    mid = size / 2
    if severity == "info":
        painter.drawLine(QPointF(mid, mid - 1), QPointF(mid, size - 4.5))
        painter.drawPoint(QPointF(mid, 4.5))
    else:
        low = size - 5.0 if severity == "warning" else size - 4.5
        painter.drawLine(QPointF(mid, 4.5 if severity == "error" else 6.0), QPointF(mid, low - 3.0))
        painter.drawPoint(QPointF(mid, low))
    painter.end()
    return pixmap


@functools.cache
def severity_icon(severity: str, size: int = 16) -> QIcon:
    """Cached: the Problems panel asks for one per row, thousands of times on a large campus."""
    return QIcon(severity_pixmap(severity, size))
