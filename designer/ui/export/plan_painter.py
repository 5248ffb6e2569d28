"""A lightweight painter of one hall straight from the model: outline, items, connections, utilisation.

Independent of the editor's scene (no selection, no level of detail, no editor state), so the same
picture goes to PNG, SVG, PDF, the stakeholder report and the presentation window.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPolygonF

from designer.analysis.results import Results
from designer.model.catalog import CatalogEntry, merged_catalog
from designer.model.effective import design_kw, workload
from designer.model.geometry import drawn_size_mm
from designer.model.phasing import standing
from designer.model.project import Project
from designer.model.records import Connection, Hall, PlacedItem
from designer.model.roles import NOT_FLOOR_STANDING
from designer.model.types import ConnectionKind, CoolingMedium, FeedSide, ItemKind, WorkloadClass
from designer.ui.canvas.style import GHOST_OPACITY, KIND_COLOURS, RACK_COLOURS
from designer.ui.export.page import Paper

POWER, COOLING, UTILISATION = "power", "cooling", "utilisation"
OVERLAYS = (POWER, COOLING, UTILISATION)

CONNECTION_STYLES: dict[tuple[str, str], tuple[str, Qt.PenStyle, str]] = {
    ("power", "A"): ("#d62728", Qt.PenStyle.SolidLine, "Power feed A"),
    ("power", "B"): ("#1f4fd6", Qt.PenStyle.DashLine, "Power feed B"),
    ("power", "single"): ("#e07b00", Qt.PenStyle.DashDotLine, "Power, single feed"),
    ("cooling", "liquid"): ("#0b3d91", Qt.PenStyle.SolidLine, "Cooling, liquid"),
    ("cooling", "air"): ("#00a5b8", Qt.PenStyle.DotLine, "Cooling, air"),
}
UTILISATION_STOPS = ((0.0, "#2e8b57"), (0.6, "#8cc04b"), (0.8, "#f2c14e"), (0.95, "#f08a24"), (1.0, "#d62728"))
OVER_CAPACITY = "#8b0000"
AT_RISK = "#e01010"
HALL_FILL, HALL_LINE, GRID = "#f7f7f4", "#2b2f36", "#e2e2dc"
UNDERLAY_LINE = "#b4b9c0"
"""The architect's drawing under the plan: lighter than every line of ours, darker than the grid."""


def utilisation_colour(fraction: float) -> QColor:
    """Green (idle) through yellow (80 %) to red (100 %); dark red above capacity; grey when unknown."""
    if not math.isfinite(fraction):
        return QColor("#c8ccd2")
    if fraction > 1.0 + 1e-9:
        return QColor(OVER_CAPACITY)
    fraction = max(0.0, fraction)
    for (x0, c0), (x1, c1) in pairwise(UTILISATION_STOPS):
        if fraction <= x1:
            t = 0.0 if x1 == x0 else (fraction - x0) / (x1 - x0)
            a, b = QColor(c0), QColor(c1)
            return QColor.fromRgbF(
                a.redF() + (b.redF() - a.redF()) * t,
                a.greenF() + (b.greenF() - a.greenF()) * t,
                a.blueF() + (b.blueF() - a.blueF()) * t,
            )
    return QColor(UTILISATION_STOPS[-1][1])


def connection_style(connection: Connection) -> tuple[str, Qt.PenStyle, str]:
    if connection.kind is ConnectionKind.POWER:
        return CONNECTION_STYLES[("power", connection.feed.value)]
    return CONNECTION_STYLES[("cooling", connection.medium.value)]


@dataclass(frozen=True, slots=True)
class _Shape:
    item: PlacedItem
    entry: CatalogEntry
    width_mm: float
    depth_mm: float
    layer: int


class PlanPainter:
    """Paints one hall of a project onto a :class:`Paper` at a given scale (paper mm per model mm)."""

    def __init__(
        self,
        project: Project,
        catalog: Mapping[str, CatalogEntry],
        hall_id: str,
        *,
        overlays: frozenset[str] | set[str] = frozenset(),
        results: Results | None = None,
        year: int | None = None,
    ) -> None:
        """``year`` (default: the analysed year of ``results``): draw the items not in service that year (phased
        build-out) as ghosts."""
        if hall_id not in project.halls:
            halls = ", ".join(f"{h.id} ({h.name})" for h in project.halls.values()) or "none"
            raise ValueError(f"unknown hall {hall_id!r} (halls: {halls})")
        unknown = set(overlays) - set(OVERLAYS)
        if unknown:
            raise ValueError(f"unknown overlay {sorted(unknown)[0]!r} (choose from {', '.join(OVERLAYS)})")
        self.project = project
        self.catalog = merged_catalog(catalog, project.custom_catalog)
        self.hall: Hall = project.halls[hall_id]
        self.overlays = frozenset(overlays)
        self.results = results if UTILISATION in self.overlays else None
        self._shapes = self._collect_shapes()
        drawn = [shape.item for shape in self._shapes]
        shown = year if year is not None else results.year if results is not None else None
        self._ghosts = set() if shown is None else {i.id for i in drawn} - standing(drawn, project.pods, shown)
        self._rack_fraction, self._component_fraction, self._at_risk = self._utilisation()

    # ----------------------------------------------------------------- model reading
    def _collect_shapes(self) -> list[_Shape]:
        shapes = []
        for item in self.project.items.values():
            if item.hall_id != self.hall.id or item.catalog_id not in self.catalog:
                continue
            entry = self.catalog[item.catalog_id]
            width, depth = drawn_size_mm(entry)
            if entry.kind is ItemKind.FLOOR:
                layer = 0
            elif entry.kind is ItemKind.RACK:
                layer = 2
            elif entry.role in NOT_FLOOR_STANDING:
                layer = 3
            else:
                layer = 1
            shapes.append(_Shape(item, entry, width, depth, layer))
        shapes.sort(key=lambda s: s.layer)
        return shapes

    def _utilisation(self) -> tuple[dict[str, float], dict[str, float], set[str]]:
        results = self.results
        if results is None:
            return {}, {}, set()
        rack_fraction: dict[str, float] = {}
        at_risk: set[str] = set()
        rack_index = {str(r): i for i, r in enumerate(results.rack_ids)}
        component_index = {str(c): i for i, c in enumerate(results.component_ids)}
        components: dict[str, float] = {}
        for shape in self._shapes:
            item_id = shape.item.id
            if shape.entry.kind is ItemKind.RACK and item_id in rack_index:
                i = rack_index[item_id]
                rated = design_kw(shape.item, shape.entry)
                rack_fraction[item_id] = float(results.rack_it_kw[i]) / rated if rated > 0 else math.nan
                if not bool(results.rack_survives_single_failures[i]):
                    at_risk.add(item_id)
            elif item_id in component_index:
                components[item_id] = float(results.component_utilization[component_index[item_id]])
        return rack_fraction, components, at_risk

    @property
    def workloads_present(self) -> list[str]:
        """Workload classes of the racks in the hall, in the legend's order."""
        present = {workload(s.item, s.entry).value for s in self._shapes if s.entry.kind is ItemKind.RACK}
        return [w.value for w in RACK_COLOURS if w.value in present]

    def bounds_mm(self) -> QRectF:
        """Model-space rectangle covering the hall outline and everything placed in it."""
        xs = [p[0] for p in self.hall.outline_mm]
        ys = [p[1] for p in self.hall.outline_mm]
        for shape in self._shapes:
            reach = math.hypot(shape.width_mm, shape.depth_mm) / 2
            xs += [shape.item.x_mm - reach, shape.item.x_mm + reach]
            ys += [shape.item.y_mm - reach, shape.item.y_mm + reach]
        return QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))

    def fill(self, shape: _Shape) -> QColor:
        if self.results is not None:
            if shape.entry.kind is ItemKind.RACK:
                return utilisation_colour(self._rack_fraction.get(shape.item.id, math.nan))
            if shape.item.id in self._component_fraction:
                return utilisation_colour(self._component_fraction[shape.item.id])
        if shape.entry.kind is ItemKind.RACK:
            return QColor(RACK_COLOURS.get(workload(shape.item, shape.entry), KIND_COLOURS[ItemKind.RACK]))
        return QColor(KIND_COLOURS.get(shape.entry.kind, "#999999"))

    # ----------------------------------------------------------------- painting
    def paint(self, paper: Paper, origin_mm: QPointF, scale: float, *, labels: bool = True) -> None:
        """Paint with the model point ``bounds_mm().topLeft()`` at paper point ``origin_mm``.

        ``scale`` is paper millimetres per model millimetre (1/100 for 1:100).
        """
        painter = paper.painter
        bounds = self.bounds_mm()
        painter.save()
        painter.translate(origin_mm)
        painter.scale(scale, scale)
        painter.translate(-bounds.left(), -bounds.top())
        unit = 1.0 / scale  # model millimetres per paper millimetre, for line widths

        outline = QPolygonF([QPointF(x, y) for x, y in self.hall.outline_mm])
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(HALL_FILL))
        painter.drawPolygon(outline)
        self._paint_grid(paper, outline, unit)
        self._paint_underlay(paper, bounds, unit)
        for obstacle in self.hall.obstacles:
            colour = {"wall": "#5a5f66", "column": "#3a3e44"}.get(obstacle.kind.value, "#9aa0a8")
            painter.setPen(paper.pen("#2b2f36", 0.1 * unit))
            painter.setBrush(QColor(colour))
            painter.drawPolygon(QPolygonF([QPointF(x, y) for x, y in obstacle.polygon_mm]))
        painter.setPen(paper.pen(HALL_LINE, 0.5 * unit))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPolygon(outline)
        self._paint_doors(paper, unit)
        for shape in self._shapes:
            self._paint_shape(paper, shape, unit)
        self._paint_connections(paper, unit)
        painter.restore()
        if labels:
            self._paint_labels(paper, origin_mm, scale, bounds)

    def _paint_grid(self, paper: Paper, outline: QPolygonF, unit: float) -> None:
        tile = self.hall.tile_mm
        if tile <= 0 or tile / unit < 2.0:  # closer than 2 mm on paper: a grey smear, not a grid
            return
        painter = paper.painter
        painter.save()
        path = QPainterPath()
        path.addPolygon(outline)
        painter.setClipPath(path, Qt.ClipOperation.IntersectClip)
        painter.setPen(paper.pen(GRID, 0.08 * unit))
        box = outline.boundingRect()
        x = math.floor(box.left() / tile) * tile
        while x <= box.right():
            painter.drawLine(QPointF(x, box.top()), QPointF(x, box.bottom()))
            x += tile
        y = math.floor(box.top() / tile) * tile
        while y <= box.bottom():
            painter.drawLine(QPointF(box.left(), y), QPointF(box.right(), y))
            y += tile
        painter.restore()

    def _paint_underlay(self, paper: Paper, bounds: QRectF, unit: float) -> None:
        """The hall's CAD drawing in thin light grey, clipped to the plan's area (it may be a whole site)."""
        underlay = self.hall.underlay
        if underlay is None or not underlay.visible or underlay.segment_count == 0:
            return
        painter = paper.painter
        painter.save()
        painter.setClipRect(bounds, Qt.ClipOperation.IntersectClip)
        painter.translate(*underlay.offset_mm)
        painter.rotate(underlay.rotation_deg)
        path = QPainterPath()
        flat = underlay.segments_mm
        for i in range(0, len(flat) - 3, 4):
            path.moveTo(flat[i], flat[i + 1])
            path.lineTo(flat[i + 2], flat[i + 3])
        painter.setPen(paper.pen(UNDERLAY_LINE, 0.1 * unit))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.restore()

    def _paint_doors(self, paper: Paper, unit: float) -> None:
        painter = paper.painter
        for door in self.hall.doors:
            painter.save()
            painter.translate(door.x_mm, door.y_mm)
            painter.rotate(door.rotation_deg)
            half = door.width_mm / 2
            painter.setPen(paper.pen(HALL_FILL, 0.9 * unit))
            painter.drawLine(QPointF(-half, 0), QPointF(half, 0))
            painter.setPen(paper.pen(HALL_LINE, 0.18 * unit))
            painter.drawLine(QPointF(-half, 0), QPointF(-half, door.width_mm))
            painter.drawArc(
                QRectF(-half - door.width_mm, -door.width_mm, 2 * door.width_mm, 2 * door.width_mm), 270 * 16, 90 * 16
            )
            painter.restore()

    def _paint_shape(self, paper: Paper, shape: _Shape, unit: float) -> None:
        painter = paper.painter
        item = shape.item
        painter.save()
        painter.translate(item.x_mm, item.y_mm)
        painter.rotate(item.rotation_deg)
        rect = QRectF(-shape.width_mm / 2, -shape.depth_mm / 2, shape.width_mm, shape.depth_mm)
        colour = self.fill(shape)
        if shape.layer == 0:
            colour.setAlphaF(0.35)
        elif shape.layer == 3:
            colour.setAlphaF(0.7)
        # hairline outlines on shapes only a millimetre or two across, or the outline is all one sees
        outline_mm = 0.08 if min(shape.width_mm, shape.depth_mm) / unit > 3.0 else 0.03
        if item.id in self._ghosts:  # not in service in the year drawn: dimmed, dashed
            painter.setOpacity(painter.opacity() * GHOST_OPACITY)
            painter.setPen(paper.pen("#20242a", outline_mm * unit, Qt.PenStyle.DashLine))
        else:
            painter.setPen(paper.pen("#20242a", outline_mm * unit))
        painter.setBrush(QBrush(colour))
        painter.drawRect(rect)
        if shape.layer in (1, 2) and shape.depth_mm / unit >= 1.0:
            band = min(max(shape.depth_mm * 0.14, 60.0), shape.depth_mm / 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colour).darker(190))
            painter.drawRect(QRectF(rect.left(), rect.top(), rect.width(), band))  # the front faces -y
        if item.id in self._at_risk:
            painter.setPen(paper.pen(AT_RISK, 0.35 * unit))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect)
            painter.drawLine(rect.topLeft(), rect.bottomRight())
        painter.restore()

    def _paint_connections(self, paper: Paper, unit: float) -> None:
        kinds = {k for k in (POWER, COOLING) if k in self.overlays}
        if not kinds:
            return
        painter = paper.painter
        items = self.project.items
        offset = {FeedSide.A: -0.35 * unit, FeedSide.B: 0.35 * unit}
        for connection in self.project.connections.values():
            if connection.kind.value not in kinds:
                continue
            source, target = items.get(connection.source_id), items.get(connection.target_id)
            if source is None or target is None or source.hall_id != self.hall.id or target.hall_id != self.hall.id:
                continue
            colour, style, _label = connection_style(connection)
            pen = paper.pen(colour, 0.25 * unit, style)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            shift = offset.get(connection.feed, 0.0) if connection.kind is ConnectionKind.POWER else 0.0
            if connection.kind is ConnectionKind.COOLING and connection.medium is CoolingMedium.AIR:
                shift = 0.7 * unit
            painter.drawLine(
                QPointF(source.x_mm + shift, source.y_mm + shift), QPointF(target.x_mm + shift, target.y_mm + shift)
            )

    def _paint_labels(self, paper: Paper, origin_mm: QPointF, scale: float, bounds: QRectF) -> None:
        """Labels of equipment big enough on paper to hold them (racks are too small at any usual scale)."""
        for shape in self._shapes:
            if shape.layer != 1 or not (shape.item.label or shape.entry.name):
                continue
            turned = round(shape.item.rotation_deg / 90.0) % 2 == 1
            width = (shape.depth_mm if turned else shape.width_mm) * scale
            height = (shape.width_mm if turned else shape.depth_mm) * scale
            text = shape.item.label or shape.item.id
            pt = min(7.0, height / 25.4 * 72 * 0.6)
            if pt < 4.5 or paper.text_width(text, pt) > width * 0.95:
                continue
            cx = origin_mm.x() + (shape.item.x_mm - bounds.left()) * scale
            cy = origin_mm.y() + (shape.item.y_mm - bounds.top()) * scale
            colour = self.fill(shape)
            light = 0.299 * colour.red() + 0.587 * colour.green() + 0.114 * colour.blue() > 150
            paper.text(
                QRectF(cx - width / 2, cy - height / 2, width, height),
                text,
                pt,
                colour=QColor("#111111" if light else "#ffffff"),
                flags=int(Qt.AlignmentFlag.AlignCenter),
            )


def legend_entries(painter: PlanPainter) -> list[tuple[str, str, object]]:
    """(kind, label, style) rows of the legend for what the plan shows."""
    rows: list[tuple[str, str, object]] = []
    if painter.results is not None:
        rows.append(("ramp", "Utilisation (racks: IT load / design kW; plant: load / rating)", None))
        rows.append(("swatch", "Over capacity (> 100 %)", OVER_CAPACITY))
        rows.append(("risk", "Rack unserved, or at risk on a single failure", AT_RISK))
    else:
        names = {"ai": "AI (follows the scenario)"}
        rows += [
            ("swatch", f"{names.get(w, w.capitalize())} rack", RACK_COLOURS[WorkloadClass(w)])
            for w in painter.workloads_present
        ]
        rows += [
            ("swatch", "Power equipment", KIND_COLOURS[ItemKind.POWER]),
            ("swatch", "Cooling equipment", KIND_COLOURS[ItemKind.COOLING]),
        ]
    if POWER in painter.overlays:
        rows += [
            ("line", CONNECTION_STYLES[k][2], CONNECTION_STYLES[k])
            for k in (("power", "A"), ("power", "B"), ("power", "single"))
        ]
    if COOLING in painter.overlays:
        rows += [
            ("line", CONNECTION_STYLES[k][2], CONNECTION_STYLES[k]) for k in (("cooling", "liquid"), ("cooling", "air"))
        ]
    return rows


def paint_legend_row(
    paper: Paper, x: float, y: float, width: float, row: tuple[str, str, object], pt: float = 7.0
) -> float:
    """One legend row at (x, y); returns its height in millimetres."""
    kind, label, style = row
    painter = paper.painter
    h = max(paper.line_height(pt) * 1.15, 3.6)
    sw = QRectF(x, y + h / 2 - 1.4, 6.0, 2.8)
    if kind == "swatch":
        paper.box(sw, fill=str(style), line="#20242a", width_mm=0.1)
    elif kind == "risk":
        painter.setPen(paper.pen(str(style), 0.35))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(sw)
        painter.drawLine(sw.topLeft(), sw.bottomRight())
    elif kind == "line":
        colour, pen_style, _ = style  # type: ignore[misc]
        pen = paper.pen(colour, 0.45, pen_style)
        painter.setPen(pen)
        painter.drawLine(QPointF(sw.left(), sw.center().y()), QPointF(sw.right(), sw.center().y()))
    elif kind == "ramp":
        return _paint_ramp(paper, x, y, width, label, pt)
    paper.text(QRectF(x + 7.5, y, width - 7.5, h), paper.elide(label, pt, width - 7.5), pt)
    return h


def _paint_ramp(paper: Paper, x: float, y: float, width: float, label: str, pt: float) -> float:
    h = paper.line_height(pt) * 1.15
    text_h = paper.text_height(label, pt, width)
    paper.text(
        QRectF(x, y, width, text_h + 0.5), label, pt, flags=int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
    )
    y += text_h + 0.6
    bar_w = min(width - 4, 40.0)
    steps = 40
    for i in range(steps):
        colour = utilisation_colour(i / (steps - 1))
        paper.box(QRectF(x + bar_w * i / steps, y, bar_w / steps + 0.05, 2.6), fill=colour, line=None)
    paper.box(QRectF(x, y, bar_w, 2.6), fill=None, line="#20242a", width_mm=0.1)
    for fraction in (0.0, 0.5, 0.8, 1.0):
        tx = x + bar_w * fraction
        # the 0 % label starts at the bar's left end so it never pokes out of the legend's column
        left, align = (tx, Qt.AlignmentFlag.AlignLeft) if fraction == 0.0 else (tx - 6, Qt.AlignmentFlag.AlignHCenter)
        paper.text(
            QRectF(left, y + 2.7, 12, h), f"{fraction:.0%}", pt - 1, flags=int(align | Qt.AlignmentFlag.AlignTop)
        )
    return text_h + 0.6 + 2.7 + h
