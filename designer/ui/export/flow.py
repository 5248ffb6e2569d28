"""A small page-flow layout for printed documents: headings, wrapped text, tables that continue."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPagedPaintDevice

from designer.ui.export.page import INK, MUTED, RULE, Paper

BODY_PT = 9.0
SMALL_PT = 8.0
FOOTER_NUMBER_MM = 40.0
"""Width of the "Page n of N" box at the right of the footer."""


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    """Relative width."""
    align: str = "left"


Cell = str | tuple[str, str]
"""Text, or (text, colour)."""


class Flow:
    """Lays content down the page, starting new pages as needed, with a running header and footer."""

    def __init__(
        self, paper: Paper, device: QPagedPaintDevice, *, header: str, footer: str, total_pages: int | None
    ) -> None:
        self.paper = paper
        self.device = device
        self.header = header
        self.footer = footer
        self.total_pages = total_pages
        self.left, self.right = 18.0, paper.width_mm - 18.0
        self.top, self.bottom = 20.0, paper.height_mm - 16.0
        self.page = 1
        self.y = self.top
        self.section = ""
        self._decorate()

    @property
    def width(self) -> float:
        return self.right - self.left

    def room(self) -> float:
        return self.bottom - self.y

    def new_page(self) -> None:
        if not self.device.newPage():
            raise OSError("could not start a new page")
        self.page += 1
        self.y = self.top
        self._decorate()

    def ensure(self, height: float) -> None:
        """Start a new page unless ``height`` millimetres still fit (a taller block starts at the top)."""
        if self.y + height > self.bottom and self.y > self.top + 0.1:
            self.new_page()

    def _decorate(self) -> None:
        paper = self.paper
        w = paper.width_mm
        if self.page > 1:
            paper.text(
                QRectF(self.left, 8, self.width * 0.55, 5),
                paper.elide(self.header, SMALL_PT, self.width * 0.55),
                SMALL_PT,
                colour=MUTED,
            )
            paper.text(
                QRectF(self.left + self.width * 0.55, 8, self.width * 0.45, 5),
                self.section,
                SMALL_PT,
                colour=MUTED,
                flags=int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            )
            paper.hline(self.left, self.right, 13.5, colour=RULE, width_mm=0.2)
        footer_y = paper.height_mm - 11
        paper.hline(self.left, self.right, footer_y - 1, colour=RULE, width_mm=0.2)
        self._paint_footer(footer_y)
        number = f"Page {self.page}" + (f" of {self.total_pages}" if self.total_pages else "")
        paper.text(
            QRectF(w - 18 - FOOTER_NUMBER_MM, footer_y, FOOTER_NUMBER_MM, 5),
            number,
            SMALL_PT,
            colour=MUTED,
            flags=int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        )

    def _paint_footer(self, footer_y: float) -> None:
        """The footer in full: smaller type when it is long, then two lines; only a text too long even
        for that (a title of hundreds of characters) is cut, at the end of its second line."""
        paper = self.paper
        room = self.width - FOOTER_NUMBER_MM - 2.0
        for pt in (SMALL_PT, 7.0, 6.5):
            if paper.text_width(self.footer, pt) <= room:
                paper.text(QRectF(self.left, footer_y, room, 5), self.footer, pt, colour=MUTED)
                return
        pt = 6.5
        lines = _wrap_lines(paper, self.footer, pt, room)
        if len(lines) > 2:
            lines = [lines[0], paper.elide(" ".join(lines[1:]), pt, room)]
        height = paper.line_height(pt)
        for i, line in enumerate(lines):
            paper.text(QRectF(self.left, footer_y - 0.6 + i * height, room, height), line, pt, colour=MUTED)

    # ----------------------------------------------------------------- content
    def heading(self, text: str, *, new_page: bool = False, keep: float = 40.0) -> None:
        """A section heading, kept together with at least ``keep`` mm of what follows."""
        self.section = text
        if new_page and self.y > self.top + 0.1:
            self.new_page()
        else:
            self.ensure(12 + keep)
        self.paper.text(QRectF(self.left, self.y, self.width, 8), text, 14, bold=True)
        self.y += 8.5
        self.paper.hline(self.left, self.right, self.y, colour=INK, width_mm=0.35)
        self.y += 3.0

    def subheading(self, text: str, keep: float = 25.0) -> None:
        self.ensure(7 + keep)
        self.paper.text(QRectF(self.left, self.y, self.width, 6), text, 11, bold=True)
        self.y += 7.0

    def paragraph(self, text: str, pt: float = BODY_PT, colour: QColor = INK, after: float = 2.5) -> None:
        """Wrapped text; a paragraph taller than the room left is split line by line across pages."""
        paper = self.paper
        for line in _wrap_lines(paper, text, pt, self.width):
            h = paper.line_height(pt)
            self.ensure(h)
            paper.text(QRectF(self.left, self.y, self.width, h), line, pt, colour=colour)
            self.y += h
        self.y += after

    def space(self, mm: float) -> None:
        self.y += mm

    def block(self, height: float, paint: Callable[[QRectF], None]) -> None:
        """A figure of fixed height: moved to the next page whole when it does not fit."""
        self.ensure(height)
        paint(QRectF(self.left, self.y, self.width, height))
        self.y += height

    def table(
        self, columns: Sequence[Column], rows: Sequence[Sequence[Cell]], *, pt: float = SMALL_PT, caption: str = ""
    ) -> None:
        """A table with a header row repeated on every page it continues on; cells wrap."""
        paper = self.paper
        total = sum(c.width for c in columns)
        widths = [c.width / total * self.width for c in columns]
        pad = 1.2
        line = paper.line_height(pt)

        def header() -> None:
            heights = [
                paper.text_height(c.title, pt, w - 2 * pad, bold=True) for c, w in zip(columns, widths, strict=True)
            ]
            h = max(heights) + 2 * pad
            paper.box(QRectF(self.left, self.y, self.width, h), fill="#e9ecef", line=None)
            x = self.left
            for c, w in zip(columns, widths, strict=True):
                paper.text(
                    QRectF(x + pad, self.y + pad, w - 2 * pad, h - 2 * pad),
                    c.title,
                    pt,
                    bold=True,
                    flags=_flags(c.align) | _wrap(paper.wrap_flags(c.title, pt, w - 2 * pad, True)),
                )
                x += w
            self.y += h
            paper.hline(self.left, self.right, self.y, colour=INK, width_mm=0.25)

        if caption:
            self.ensure(line * 4)
            paper.text(QRectF(self.left, self.y, self.width, line * 1.3), caption, pt, italic=True, colour=MUTED)
            self.y += line * 1.3
        self.ensure(line * 4)
        header()
        for index, row in enumerate(rows):
            texts = [cell if isinstance(cell, str) else cell[0] for cell in row]
            heights = [paper.text_height(t, pt, w - 2 * pad) if t else line for t, w in zip(texts, widths, strict=True)]
            h = max(heights) + 2 * pad
            if self.y + h > self.bottom:
                self.new_page()
                if caption:
                    paper.text(
                        QRectF(self.left, self.y, self.width, line * 1.3),
                        f"{caption} (continued)",
                        pt,
                        italic=True,
                        colour=MUTED,
                    )
                    self.y += line * 1.3
                header()
            if index % 2 == 1:
                paper.box(QRectF(self.left, self.y, self.width, h), fill="#f6f7f8", line=None)
            x = self.left
            for cell, column, w in zip(row, columns, widths, strict=True):
                text, colour = (cell, INK) if isinstance(cell, str) else (cell[0], QColor(cell[1]))
                paper.text(
                    QRectF(x + pad, self.y + pad, w - 2 * pad, h - 2 * pad),
                    text,
                    pt,
                    colour=colour,
                    flags=_flags(column.align) | _wrap(paper.wrap_flags(text, pt, w - 2 * pad)),
                )
                x += w
            self.y += h
        paper.hline(self.left, self.right, self.y, colour=INK, width_mm=0.25)
        self.y += 4.0


def _wrap(flags: int) -> int:
    return flags & int(Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextWrapAnywhere)


def _flags(align: str) -> int:
    horizontal = {
        "left": Qt.AlignmentFlag.AlignLeft,
        "right": Qt.AlignmentFlag.AlignRight,
        "center": Qt.AlignmentFlag.AlignHCenter,
    }[align]
    return int(horizontal | Qt.AlignmentFlag.AlignTop)


def _wrap_lines(paper: Paper, text: str, pt: float, width: float) -> list[str]:
    """``text`` broken into lines that fit ``width`` (on spaces; very long words are cut)."""
    lines: list[str] = []
    for raw in text.split("\n"):
        current = ""
        for word in raw.split(" "):
            candidate = f"{current} {word}" if current else word
            if paper.text_width(candidate, pt) <= width or not current:
                current = candidate
            else:
                lines.append(current)
                current = word
            while paper.text_width(current, pt) > width and len(current) > 1:
                cut = len(current)
                while cut > 1 and paper.text_width(current[:cut], pt) > width:
                    cut -= 1
                lines.append(current[:cut])
                current = current[cut:]
        lines.append(current)
    return lines
