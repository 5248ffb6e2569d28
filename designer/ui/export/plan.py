"""Plan sheets of one hall as PNG, SVG or PDF: drawing, title block, legend, scale bar, north arrow."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPolygonF

from designer.analysis.results import Results
from designer.io.project_file import write_export
from designer.model.catalog import CatalogEntry
from designer.model.project import Project
from designer.ui.export.page import (
    INK,
    MUTED,
    Paper,
    page_key,
    page_size_mm,
    render_sheet,
    sheet_image,
)
from designer.ui.export.plan_painter import PlanPainter, legend_entries, paint_legend_row

FORMATS = ("png", "svg", "pdf")
STANDARD_SCALES = (50, 100, 200, 500)
MARGIN_MM = 10.0
TITLE_W_MM, TITLE_H_MM = 92.0, 38.0
SCALEBAR_W_MM = 46.0
LEGEND_COL_MM = 46.0
GAP_MM = 4.0


@dataclass(frozen=True, slots=True)
class PlanOptions:
    """How a plan sheet looks. ``scale`` None takes the largest standard scale (1:50, 1:100, 1:200, 1:500)
    at which the hall fits the sheet, or fits it exactly when none does; otherwise 1:scale."""

    page: str = "A3"
    landscape: bool = True
    scale: int | None = None
    dpi: int = 150
    overlays: frozenset[str] = field(default_factory=frozenset)
    date: str = ""


def default_scale(width_mm: float, height_mm: float, room_w_mm: float, room_h_mm: float) -> int | None:
    """The largest drawing among the standard scales that fits ``room`` (None: the hall fits none)."""
    for denominator in STANDARD_SCALES:
        if width_mm / denominator <= room_w_mm + 1e-6 and height_mm / denominator <= room_h_mm + 1e-6:
            return denominator
    return None


def sheet_scale_text(scale: float, fitted: bool) -> str:
    return f"1:{scale:,.0f}" + (" (fit to page)" if fitted else "")


class PlanExporter:
    """Lays out and paints one hall on a sheet; :meth:`render` gives the file's bytes."""

    def __init__(
        self,
        project: Project,
        catalog: Mapping[str, CatalogEntry],
        hall_id: str,
        options: PlanOptions | None = None,
        *,
        results: Results | None = None,
        year: int | None = None,
    ) -> None:
        """``year``: draw the items not in service that year as ghosts (default: the analysed year)."""
        self.project = project
        self.options = options or PlanOptions()
        page_key(self.options.page)  # a clear error for an unknown page before any painting
        if self.options.scale is not None and self.options.scale <= 0:
            raise ValueError(f"scale 1:{self.options.scale} is not a scale")
        overlays = set(self.options.overlays)
        if results is None:
            overlays.discard("utilisation")
        self.plan = PlanPainter(project, catalog, hall_id, overlays=frozenset(overlays), results=results, year=year)
        self.width_mm, self.height_mm = page_size_mm(self.options.page, self.options.landscape)
        self.legend = legend_entries(self.plan)
        self.drawing_rect, self.strip_rect = self._layout()
        self.scale_denominator, self.fitted = self._scale()

    # ----------------------------------------------------------------- layout
    def _layout(self) -> tuple[QRectF, QRectF]:
        inner_w = self.width_mm - 2 * MARGIN_MM
        legend_w = max(inner_w - TITLE_W_MM - SCALEBAR_W_MM - 2 * GAP_MM, LEGEND_COL_MM)
        columns = max(1, int(legend_w // LEGEND_COL_MM))
        rows = math.ceil(len(self.legend) / columns) + (2 if self.plan.results is not None else 0)
        strip_h = max(TITLE_H_MM, 8.0 + rows * 3.9)
        strip = QRectF(MARGIN_MM, self.height_mm - MARGIN_MM - strip_h, inner_w, strip_h)
        drawing = QRectF(MARGIN_MM, MARGIN_MM, inner_w, strip.top() - GAP_MM - MARGIN_MM)
        return drawing, strip

    def _scale(self) -> tuple[float, bool]:
        bounds = self.plan.bounds_mm()
        room = self.drawing_rect.adjusted(4, 4, -4, -4)
        if self.options.scale is None:
            standard = default_scale(bounds.width(), bounds.height(), room.width(), room.height())
            if standard is not None:
                return float(standard), False
            fit = max(bounds.width() / room.width(), bounds.height() / room.height())
            return max(fit, 1e-9), True
        n = float(self.options.scale)
        need_w, need_h = bounds.width() / n, bounds.height() / n
        if need_w > room.width() + 1e-6 or need_h > room.height() + 1e-6:
            fits = [
                s
                for s in STANDARD_SCALES
                if bounds.width() / s <= room.width() and bounds.height() / s <= room.height()
            ]
            orientation = "landscape" if self.options.landscape else "portrait"
            hint = f"use 1:{fits[0]}" if fits else "use a larger page"
            raise ValueError(
                f"hall {self.plan.hall.name!r} ({bounds.width() / 1000:.1f} m x {bounds.height() / 1000:.1f} m) "
                f"does not fit on {page_key(self.options.page)} {orientation} at 1:{self.options.scale}: it needs "
                f"{need_w:.0f} x {need_h:.0f} mm and the drawing area is {room.width():.0f} x {room.height():.0f} mm; "
                f"{hint} or fit to page"
            )
        return n, False

    # ----------------------------------------------------------------- rendering
    def render(self, fmt: str) -> bytes:
        """The sheet as PNG, SVG or PDF bytes."""
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise ValueError(f"unknown plan format {fmt!r} (choose from {', '.join(FORMATS)})")
        return render_sheet(fmt, self.width_mm, self.height_mm, self.paint_sheet, page=self.options.page,
                            landscape=self.options.landscape, dpi=self.options.dpi,
                            title=f"{self.project.metadata.title} - {self.plan.hall.name}",
                            description="Floor plan exported by dc-designer")

    def render_image(self) -> QImage:
        return sheet_image(self.width_mm, self.height_mm, self.options.dpi, self.paint_sheet)

    def export(self, path: Path, fmt: str | None = None) -> None:
        """Render and write atomically: a failure leaves no file (and an old one untouched)."""
        fmt = (fmt or path.suffix.lstrip(".")).lower()
        data = self.render(fmt)
        write_export(Path(path), data, "plan")

    # ----------------------------------------------------------------- sheet parts
    def paint_sheet(self, paper: Paper) -> None:
        paper.box(
            QRectF(MARGIN_MM / 2, MARGIN_MM / 2, self.width_mm - MARGIN_MM, self.height_mm - MARGIN_MM),
            line=INK,
            width_mm=0.5,
        )
        bounds = self.plan.bounds_mm()
        s = 1.0 / self.scale_denominator
        draw = self.drawing_rect
        origin = QPointF(draw.center().x() - bounds.width() * s / 2, draw.center().y() - bounds.height() * s / 2)
        self.plan.paint(paper, origin, s)
        strip = self.strip_rect
        paper.hline(strip.left(), strip.right(), strip.top() - GAP_MM / 2, colour=INK, width_mm=0.3)
        title_rect = QRectF(strip.right() - TITLE_W_MM, strip.bottom() - TITLE_H_MM, TITLE_W_MM, TITLE_H_MM)
        self.paint_title_block(paper, title_rect)
        bar_rect = QRectF(title_rect.left() - GAP_MM - SCALEBAR_W_MM, strip.top(), SCALEBAR_W_MM, strip.height())
        self.paint_scale_and_north(paper, bar_rect)
        self.paint_legend(
            paper, QRectF(strip.left(), strip.top(), bar_rect.left() - GAP_MM - strip.left(), strip.height())
        )

    def paint_title_block(self, paper: Paper, rect: QRectF) -> None:
        meta = self.project.metadata
        date = self.options.date or dt.date.today().isoformat()
        paper.box(rect, line=INK, width_mm=0.35)
        head_h = 12.0
        paper.text(
            QRectF(rect.left() + 2, rect.top() + 1, rect.width() - 4, 6.5),
            paper.elide(meta.title, 11, rect.width() - 4, bold=True),
            11,
            bold=True,
        )
        paper.text(
            QRectF(rect.left() + 2, rect.top() + 6.5, rect.width() - 4, 5),
            paper.elide(self.project.site.name, 7.5, rect.width() - 4),
            7.5,
            colour=MUTED,
        )
        paper.hline(rect.left(), rect.right(), rect.top() + head_h, colour=INK, width_mm=0.2)
        cells = [
            (("Hall", self.plan.hall.name), ("Scale", sheet_scale_text(self.scale_denominator, self.fitted))),
            (("Revision", meta.revision or "-"), ("Date", date)),
            (
                ("Author", meta.author or "-"),
                ("Sheet", f"{page_key(self.options.page)} {'landscape' if self.options.landscape else 'portrait'}"),
            ),
        ]
        row_h = (rect.height() - head_h) / len(cells)
        col_w = rect.width() / 2
        for r, pair in enumerate(cells):
            top = rect.top() + head_h + r * row_h
            for c, (label, value) in enumerate(pair):
                self._cell(paper, QRectF(rect.left() + c * col_w, top, col_w, row_h), label, value)
            if r:
                paper.hline(rect.left(), rect.right(), top, colour=INK, width_mm=0.15)
        paper.painter.setPen(paper.pen(INK, 0.15))
        paper.painter.drawLine(
            QPointF(rect.left() + col_w, rect.top() + head_h), QPointF(rect.left() + col_w, rect.bottom())
        )

    @staticmethod
    def _cell(paper: Paper, cell: QRectF, label: str, value: str) -> None:
        paper.text(
            QRectF(cell.left() + 1.5, cell.top() + 0.6, cell.width() - 3, 3.2),
            label.upper(),
            5.5,
            colour=MUTED,
            flags=int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
        )
        paper.text(
            QRectF(cell.left() + 1.5, cell.top() + 3.4, cell.width() - 3, cell.height() - 3.6),
            paper.elide(value, 8, cell.width() - 3),
            8,
        )

    def paint_scale_and_north(self, paper: Paper, rect: QRectF) -> None:
        painter = paper.painter
        metres_per_mm = self.scale_denominator / 1000.0
        bar_len_m = _nice_length(rect.width() * 0.8 * metres_per_mm)
        bar_mm = bar_len_m / metres_per_mm
        segments = 5 if bar_len_m / 5 == int(bar_len_m / 5) or bar_len_m < 5 else 4
        x0, y0 = rect.left() + 2, rect.bottom() - 12
        paper.text(QRectF(x0, y0 - 7, rect.width(), 4), "Scale bar (metres)", 6.5, colour=MUTED)
        for i in range(segments):
            seg = QRectF(x0 + bar_mm * i / segments, y0 - 2.5, bar_mm / segments, 2)
            paper.box(seg, fill=INK if i % 2 == 0 else QColor("white"), line=INK, width_mm=0.15)
        for i in (0, segments // 2, segments) if segments % 2 == 0 else (0, segments):
            value = bar_len_m * i / segments
            label = f"{value:g}" + (" m" if i == segments else "")
            tx = x0 + bar_mm * i / segments
            paper.text(
                QRectF(tx - 8, y0 - 0.2, 16, 3.5),
                label,
                6.5,
                flags=int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
            )
        # north arrow: plan north is up the sheet (toward -y of the model)
        cx, top = rect.right() - 9, rect.top() + 3
        arrow = QPolygonF(
            [QPointF(cx, top + 2), QPointF(cx + 4, top + 14), QPointF(cx, top + 11), QPointF(cx - 4, top + 14)]
        )
        painter.setPen(paper.pen(INK, 0.2))
        painter.setBrush(INK)
        painter.drawPolygon(arrow)
        paper.text(QRectF(cx - 5, top + 14, 10, 5), "N", 10, bold=True, flags=int(Qt.AlignmentFlag.AlignCenter))
        paper.text(
            QRectF(rect.left() + 2, rect.top() + 3, rect.width() - 22, 12),
            f"Hall {self.plan.hall.area_m2:,.0f} m²\n{len(self.plan._shapes)} items",
            6.5,
            colour=MUTED,
            flags=int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
        )

    def paint_legend(self, paper: Paper, rect: QRectF) -> None:
        paper.text(QRectF(rect.left(), rect.top(), rect.width(), 4.5), "Legend", 8, bold=True)
        columns = max(1, int(rect.width() // LEGEND_COL_MM))
        col_w = rect.width() / columns
        per_column = math.ceil(len(self.legend) / columns)
        for c in range(columns):
            y = rect.top() + 5.5
            for row in self.legend[c * per_column : (c + 1) * per_column]:
                y += paint_legend_row(paper, rect.left() + c * col_w, y, col_w - 2, row) + 0.3


def _nice_length(max_m: float) -> float:
    """The longest 1-2-5 length in metres not above ``max_m``."""
    best = 1.0
    for exponent in range(-1, 5):
        for mantissa in (1, 2, 5):
            value = mantissa * 10.0**exponent
            if value <= max_m:
                best = value
    return best


def export_plan(
    project: Project,
    catalog: Mapping[str, CatalogEntry],
    hall_id: str,
    path: Path,
    *,
    fmt: str | None = None,
    dpi: int = 150,
    page: str = "A3",
    landscape: bool = True,
    scale: int | None = None,
    overlays: frozenset[str] | set[str] = frozenset(),
    results: Results | None = None,
    date: str = "",
) -> None:
    """Write a plan sheet of ``hall_id`` as PNG/SVG/PDF (``fmt`` defaults to the path's suffix).

    Raises ValueError for an unknown hall, page, format or overlay, or a hall that does not fit the
    sheet at ``scale`` (the message suggests one that does); OSError when the file cannot be written.
    """
    options = PlanOptions(page=page, landscape=landscape, scale=scale, dpi=dpi, overlays=frozenset(overlays), date=date)
    PlanExporter(project, catalog, hall_id, options, results=results).export(Path(path), fmt)
