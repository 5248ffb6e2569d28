"""The single-line diagram on a sheet (PDF, SVG or PNG) with the plan sheets' title block and a key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage

from designer.analysis.single_line import SldLayout
from designer.io.project_file import write_export
from designer.model.project import Project
from designer.ui.export.page import INK, MUTED, Paper, page_key, page_size_mm, render_sheet, sheet_image
from designer.ui.export.plan import GAP_MM, MARGIN_MM, TITLE_H_MM, TITLE_W_MM, PlanExporter
from designer.ui.single_line_paint import legend_rows, link_pen, paint_layout

FORMATS = ("png", "svg", "pdf")


class SingleLineSheet:
    """Lays out one sheet: the diagram scaled to fit above a strip with the key and the title block."""

    def __init__(self, project: Project, layout: SldLayout, *, page: str = "A3", landscape: bool = True,
                 dpi: int = 150, date: str = "", subtitle: str = "") -> None:
        self.project, self.layout = project, layout
        self.page, self.landscape, self.dpi = page_key(page), landscape, dpi
        self.date, self.subtitle = date, subtitle
        self.width_mm, self.height_mm = page_size_mm(self.page, landscape)
        inner_w = self.width_mm - 2 * MARGIN_MM
        self.strip_rect = QRectF(MARGIN_MM, self.height_mm - MARGIN_MM - TITLE_H_MM, inner_w, TITLE_H_MM)
        self.drawing_rect = QRectF(MARGIN_MM, MARGIN_MM, inner_w, self.strip_rect.top() - GAP_MM - MARGIN_MM)

    def render(self, fmt: str) -> bytes:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise ValueError(f"unknown single-line format {fmt!r} (choose from {', '.join(FORMATS)})")
        return render_sheet(fmt, self.width_mm, self.height_mm, self.paint_sheet, page=self.page,
                            landscape=self.landscape, dpi=self.dpi,
                            title=f"{self.project.metadata.title} - single-line diagram",
                            description="Single-line diagram exported by dc-designer")

    def render_image(self) -> QImage:
        return sheet_image(self.width_mm, self.height_mm, self.dpi, self.paint_sheet)

    def export(self, path: Path, fmt: str | None = None) -> None:
        fmt = (fmt or Path(path).suffix.lstrip(".")).lower()
        write_export(Path(path), self.render(fmt), "single-line diagram")

    # ----------------------------------------------------------------- painting
    def paint_sheet(self, paper: Paper) -> None:
        paper.box(QRectF(MARGIN_MM / 2, MARGIN_MM / 2, self.width_mm - MARGIN_MM, self.height_mm - MARGIN_MM),
                  line=INK, width_mm=0.5)
        self.paint_diagram(paper, self.drawing_rect)
        strip = self.strip_rect
        paper.hline(strip.left(), strip.right(), strip.top() - GAP_MM / 2, colour=INK, width_mm=0.3)
        title_rect = QRectF(strip.right() - TITLE_W_MM, strip.top(), TITLE_W_MM, TITLE_H_MM)
        self.paint_title_block(paper, title_rect)
        self.paint_key(paper, QRectF(strip.left(), strip.top(), title_rect.left() - GAP_MM - strip.left(),
                                     strip.height()))

    def paint_diagram(self, paper: Paper, rect: QRectF) -> None:
        """The whole diagram fitted into ``rect`` (sheet millimetres)."""
        layout = self.layout
        if not layout.nodes:
            paper.text(rect, "The design has no power chain yet", 10, colour=MUTED,
                       flags=int(Qt.AlignmentFlag.AlignCenter))
            return
        scale = min(rect.width() / layout.width_mm, rect.height() / layout.height_mm)
        painter = paper.painter
        painter.save()
        painter.translate(QPointF(rect.center().x() - layout.width_mm * scale / 2,
                                  rect.center().y() - layout.height_mm * scale / 2))
        painter.scale(scale, scale)
        paint_layout(painter, layout)
        painter.restore()

    def paint_title_block(self, paper: Paper, rect: QRectF) -> None:
        meta = self.project.metadata
        paper.box(rect, line=INK, width_mm=0.35)
        head_h = 12.0
        paper.text(QRectF(rect.left() + 2, rect.top() + 1, rect.width() - 4, 6.5),
                   paper.elide(meta.title, 11, rect.width() - 4, bold=True), 11, bold=True)
        paper.text(QRectF(rect.left() + 2, rect.top() + 6.5, rect.width() - 4, 5),
                   paper.elide(self.project.site.name, 7.5, rect.width() - 4), 7.5, colour=MUTED)
        paper.hline(rect.left(), rect.right(), rect.top() + head_h, colour=INK, width_mm=0.2)
        cells = [
            (("Drawing", "Single-line diagram" + (f", {self.subtitle}" if self.subtitle else "")),
             ("Scale", "not to scale")),
            (("Revision", meta.revision or "-"), ("Date", self.date or dt.date.today().isoformat())),
            (("Author", meta.author or "-"),
             ("Sheet", f"{self.page} {'landscape' if self.landscape else 'portrait'}")),
        ]
        row_h = (rect.height() - head_h) / len(cells)
        col_w = rect.width() / 2
        for r, pair in enumerate(cells):
            top = rect.top() + head_h + r * row_h
            for c, (label, value) in enumerate(pair):
                PlanExporter._cell(paper, QRectF(rect.left() + c * col_w, top, col_w, row_h), label, value)
            if r:
                paper.hline(rect.left(), rect.right(), top, colour=INK, width_mm=0.15)
        paper.painter.setPen(paper.pen(INK, 0.15))
        paper.painter.drawLine(QPointF(rect.left() + col_w, rect.top() + head_h),
                               QPointF(rect.left() + col_w, rect.bottom()))

    def paint_key(self, paper: Paper, rect: QRectF) -> None:
        painter = paper.painter
        paper.text(QRectF(rect.left(), rect.top(), rect.width(), 5), "KEY", 6, bold=True, colour=MUTED)
        rows = legend_rows()
        per_column = (len(rows) + 1) // 2
        col_w = min(rect.width() / 2, 90.0)
        for index, (kind, colour, words) in enumerate(rows):
            x = rect.left() + (index // per_column) * col_w
            y = rect.top() + 6.0 + (index % per_column) * 4.2
            if kind == "box":
                fill = QColor(colour)
                fill.setAlpha(60)
                painter.setPen(paper.pen(QColor(colour).darker(130), 0.25))
                painter.setBrush(fill)
                painter.drawRect(QRectF(x, y - 1.4, 6.0, 2.8))
            else:
                pen = link_pen("B" if kind == "dash" else "A" if colour.endswith("bf") else "")
                pen.setWidthF(0.5)
                painter.setPen(pen)
                painter.drawLine(QPointF(x, y), QPointF(x + 6.0, y))
            paper.text(QRectF(x + 8.0, y - 2.0, col_w - 9.0, 4.0), paper.elide(words, 6.5, col_w - 9.0), 6.5)
        paper.text(QRectF(rect.left(), rect.bottom() - 4.5, rect.width(), 4.5),
                   "Boxes: load / rated kW and utilisation; rating as written; load now in kVA and A; incoming feeds "
                   "(A, B, in): breaker, cable, length. Racks grouped by their suppliers.",
                   6, colour=MUTED)


def export_single_line(project: Project, layout: SldLayout, path: Path, *, fmt: str | None = None,
                       page: str = "A3", landscape: bool = True, date: str = "") -> None:
    """Write the diagram as PDF, SVG or PNG (``fmt`` defaults to the path's suffix)."""
    SingleLineSheet(project, layout, page=page, landscape=landscape, date=date).export(Path(path), fmt)
