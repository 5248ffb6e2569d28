"""Paper: a QPainter whose geometry is in millimetres of paper, with text set in true points.

Geometry is drawn in millimetres (the painter is scaled once); text is drawn unscaled in device
pixels with point-sized fonts, so glyph metrics and hinting stay those of a normal-sized font
whatever the device (a 1200 dpi PDF page, a 150 dpi PNG, a 96 dpi widget).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
    QPen,
)
from PySide6.QtSvg import QSvgGenerator

PAGE_SIZES: dict[str, QPageSize.PageSizeId] = {
    "A4": QPageSize.PageSizeId.A4,
    "A3": QPageSize.PageSizeId.A3,
    "Letter": QPageSize.PageSizeId.Letter,
    "Tabloid": QPageSize.PageSizeId.Tabloid,
}
FONT_FAMILY = "DejaVu Sans"
INK = QColor("#1d2127")
MUTED = QColor("#5b626c")
RULE = QColor("#b9bec6")


class ExportCancelled(Exception):
    """The user cancelled a long export; nothing was written."""


ProgressCallback = Callable[[int, int, str], bool]
"""``progress(done, total, what)``; returning False cancels the export."""


def page_key(page: str) -> str:
    """The canonical page name for ``page`` (case-insensitive), or ValueError listing the choices."""
    for key in PAGE_SIZES:
        if key.lower() == page.strip().lower():
            return key
    raise ValueError(f"unknown page size {page!r} (choose from {', '.join(PAGE_SIZES)})")


def page_size_mm(page: str, landscape: bool) -> tuple[float, float]:
    """(width, height) of a sheet in millimetres."""
    size = QPageSize(PAGE_SIZES[page_key(page)]).size(QPageSize.Unit.Millimeter)
    short, long = sorted((size.width(), size.height()))
    return (long, short) if landscape else (short, long)


def pdf_writer(buffer: QBuffer, page: str, landscape: bool, dpi: int, title: str) -> QPdfWriter:
    """A PDF writer into ``buffer`` with no margins, so the paint rect is the whole sheet."""
    writer = QPdfWriter(buffer)
    writer.setResolution(dpi)
    writer.setTitle(title)
    writer.setCreator("dc-designer")
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    writer.setPageLayout(
        QPageLayout(
            QPageSize(PAGE_SIZES[page_key(page)]), orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter
        )
    )
    return writer


def open_buffer() -> tuple[QByteArray, QBuffer]:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    return data, buffer


def image_for_page(width_mm: float, height_mm: float, dpi: float) -> QImage:
    """A white ARGB image of the sheet at ``dpi`` whose dots-per-metre say so."""
    size = QSize(round(width_mm / 25.4 * dpi), round(height_mm / 25.4 * dpi))
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    image.fill(QColor("white"))
    return image


SHEET_PDF_DPI = 1200
"""Resolution of PDF sheets: geometry in millimetres stays exact, text in true points."""


def render_sheet(fmt: str, width_mm: float, height_mm: float, paint: Callable[[Paper], None], *, page: str,
                 landscape: bool, dpi: int, title: str, description: str) -> bytes:
    """One sheet of ``width_mm`` x ``height_mm`` painted by ``paint``, as PNG, SVG or PDF bytes.

    PNG at ``dpi``; SVG sized at ``dpi`` (at least 72); PDF on ``page`` at ``SHEET_PDF_DPI``.
    """
    data, buffer = open_buffer()
    if fmt == "png":
        image = sheet_image(width_mm, height_mm, dpi, paint)
        if not image.save(buffer, "PNG"):
            raise OSError("could not encode the PNG image")
        buffer.close()
        return bytes(data.data())
    if fmt == "svg":
        svg = QSvgGenerator()
        svg_dpi = max(72, dpi)
        size = QSize(round(width_mm / 25.4 * svg_dpi), round(height_mm / 25.4 * svg_dpi))
        svg.setOutputDevice(buffer)
        svg.setSize(size)
        svg.setViewBox(QRect(0, 0, size.width(), size.height()))
        svg.setResolution(svg_dpi)
        svg.setTitle(title)
        svg.setDescription(description)
        device: QSvgGenerator | QPdfWriter = svg
    else:
        device = pdf_writer(buffer, page, landscape, SHEET_PDF_DPI, title)
    painter = QPainter()
    if not painter.begin(device):
        raise OSError(f"could not start painting the {fmt.upper()} file")
    try:
        paint(Paper(painter, device, width_mm, height_mm))
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())


def sheet_image(width_mm: float, height_mm: float, dpi: float, paint: Callable[[Paper], None]) -> QImage:
    """The sheet painted by ``paint`` on a white image at ``dpi``."""
    image = image_for_page(width_mm, height_mm, dpi)
    painter = QPainter(image)
    try:
        paint(Paper(painter, image, width_mm, height_mm))
    finally:
        painter.end()
    return image


class Paper:
    """Drawing helpers over a painter: millimetre geometry, point-sized text."""

    def __init__(self, painter: QPainter, device: QPaintDevice, width_mm: float, height_mm: float) -> None:
        self.painter = painter
        self.device = device
        self.width_mm = width_mm
        self.height_mm = height_mm
        # device pixels per millimetre, measured from the device so PDF, SVG, images and widgets agree
        self.k = device.width() / width_mm if width_mm > 0 else 1.0
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.resetTransform()
        painter.scale(self.k, self.k)
        self._fonts: dict[tuple[float, bool, bool], QFont] = {}

    # ----------------------------------------------------------------- fonts and text
    def font(self, pt: float, bold: bool = False, italic: bool = False) -> QFont:
        key = (pt, bold, italic)
        font = self._fonts.get(key)
        if font is None:
            font = QFont(FONT_FAMILY)
            # point sizes are converted with the device's logical dpi; correct when it differs
            # from the pixel density measured above (e.g. a widget on a high-dpi screen)
            logical = self.device.logicalDpiY() or 96
            font.setPointSizeF(pt * (self.k * 25.4) / logical)
            font.setBold(bold)
            font.setItalic(italic)
            self._fonts[key] = font
        return font

    def metrics(self, pt: float, bold: bool = False) -> QFontMetricsF:
        return QFontMetricsF(self.font(pt, bold), self.device)

    def text_width(self, text: str, pt: float, bold: bool = False) -> float:
        """Width of one line of ``text`` in millimetres."""
        return self.metrics(pt, bold).horizontalAdvance(text) / self.k

    def line_height(self, pt: float, bold: bool = False) -> float:
        return self.metrics(pt, bold).lineSpacing() / self.k

    def text_height(self, text: str, pt: float, width_mm: float, bold: bool = False) -> float:
        """Height in millimetres of ``text`` wrapped to ``width_mm``."""
        rect = self.metrics(pt, bold).boundingRect(
            QRectF(0, 0, max(width_mm * self.k, 1.0), 1e7),
            self.wrap_flags(text, pt, width_mm, bold),
            text,
        )
        return rect.height() / self.k

    def wrap_flags(self, text: str, pt: float, width_mm: float, bold: bool = False) -> int:
        """Word wrap, or wrap anywhere when a single word is wider than ``width_mm`` (never clip)."""
        metrics = self.metrics(pt, bold)
        limit = width_mm * self.k
        if any(metrics.horizontalAdvance(word) > limit for word in text.split()):
            return int(Qt.TextFlag.TextWrapAnywhere | Qt.AlignmentFlag.AlignLeft)
        return int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft)

    def elide(self, text: str, pt: float, width_mm: float, bold: bool = False) -> str:
        return self.metrics(pt, bold).elidedText(text, Qt.TextElideMode.ElideRight, width_mm * self.k)

    def text(
        self,
        rect_mm: QRectF,
        text: str,
        pt: float,
        *,
        bold: bool = False,
        italic: bool = False,
        colour: QColor = INK,
        flags: int = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
    ) -> None:
        """Draw ``text`` inside ``rect_mm`` (add ``Qt.TextWordWrap`` to ``flags`` to wrap)."""
        painter = self.painter
        painter.save()
        painter.scale(1.0 / self.k, 1.0 / self.k)
        painter.setFont(self.font(pt, bold, italic))
        painter.setPen(QPen(colour))
        k = self.k
        painter.drawText(
            QRectF(rect_mm.x() * k, rect_mm.y() * k, rect_mm.width() * k, rect_mm.height() * k), flags, text
        )
        painter.restore()

    # ----------------------------------------------------------------- shapes
    def pen(self, colour: QColor | str, width_mm: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
        pen = QPen(QColor(colour), width_mm, style)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        return pen

    def box(
        self,
        rect_mm: QRectF,
        *,
        fill: QColor | str | None = None,
        line: QColor | str | None = INK,
        width_mm: float = 0.2,
    ) -> None:
        painter = self.painter
        painter.setPen(self.pen(line, width_mm) if line is not None else Qt.PenStyle.NoPen)
        painter.setBrush(QColor(fill) if fill is not None else Qt.BrushStyle.NoBrush)
        painter.drawRect(rect_mm)

    def hline(self, x0: float, x1: float, y: float, colour: QColor | str = RULE, width_mm: float = 0.2) -> None:
        self.painter.setPen(self.pen(colour, width_mm))
        self.painter.drawLine(QRectF(x0, y, x1 - x0, 0).topLeft(), QRectF(x0, y, x1 - x0, 0).topRight())
