"""packaging/check_png.py, the smoke test's blank-screenshot check, on PNGs written by Qt as the app writes them."""

from __future__ import annotations

import importlib.util
import zlib
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("check_png", ROOT / "packaging" / "check_png.py")
assert _spec is not None and _spec.loader is not None
check_png = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_png)


def _save(image: QImage, path: Path) -> Path:
    assert image.save(str(path), "PNG")
    return path


def _busy(width: int = 900, height: int = 600, fmt: QImage.Format = QImage.Format.Format_RGB32) -> QImage:
    """A window-like picture: grey background, 200 coloured boxes, a gradient band, text."""
    image = QImage(width, height, fmt)
    image.fill(QColor(239, 239, 239))
    painter = QPainter(image)
    for i in range(200):
        box = QRect((i * 37) % (width - 40), (i * 53) % (height - 200), 40, 30)
        painter.fillRect(box, QColor.fromHsv(i % 360, 200, 220))
    for x in range(width):
        painter.setPen(QColor(x % 256, 128, 255 - x % 256))
        painter.drawLine(x, height - 150, x, height - 1)
    painter.setPen(Qt.GlobalColor.black)
    painter.drawText(20, 20, "Headline figures 7.51 MW")
    painter.end()
    return image


def test_reads_pixels_as_qt_wrote_them(qapp, tmp_path):  # type: ignore[no-untyped-def]
    image = _busy()
    width, height, bpp, rows = check_png.read_png(_save(image, tmp_path / "busy.png"))
    assert (width, height) == (900, 600)
    for x, y in ((0, 0), (450, 590), (37, 53), (899, 599)):
        colour = image.pixelColor(x, y)
        assert tuple(rows[y][x * bpp : x * bpp + 3]) == (colour.red(), colour.green(), colour.blue())


def test_alpha_pictures_are_read_too(qapp, tmp_path):  # type: ignore[no-untyped-def]
    path = _save(_busy(fmt=QImage.Format.Format_ARGB32), tmp_path / "alpha.png")
    assert check_png.main([str(path)]) == 0


def test_a_window_like_picture_passes(qapp, tmp_path, capsys):  # type: ignore[no-untyped-def]
    assert check_png.main([str(_save(_busy(), tmp_path / "busy.png"))]) == 0
    assert "900 x 600 px" in capsys.readouterr().out


@pytest.mark.parametrize("colour", [QColor(0, 0, 0), QColor(239, 239, 239)])
def test_a_single_colour_picture_fails(qapp, tmp_path, colour):  # type: ignore[no-untyped-def]
    image = QImage(1400, 900, QImage.Format.Format_RGB32)
    image.fill(colour)
    assert check_png.main([str(_save(image, tmp_path / "blank.png"))]) == 1


def test_a_mostly_blank_picture_with_a_few_marks_fails(qapp, tmp_path):  # type: ignore[no-untyped-def]
    image = QImage(1400, 900, QImage.Format.Format_RGB32)
    image.fill(QColor(0, 0, 0))  # an unmapped window on Xvfb's black screen ...
    painter = QPainter(image)
    painter.fillRect(QRect(0, 0, 300, 20), QColor(239, 239, 239))  # ... with only a menu bar's worth drawn
    painter.end()
    assert check_png.main([str(_save(image, tmp_path / "black.png"))]) == 1


def test_a_small_picture_fails(qapp, tmp_path):  # type: ignore[no-untyped-def]
    assert check_png.main([str(_save(_busy(400, 300), tmp_path / "small.png"))]) == 1


def test_not_a_png_is_bad_input(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "shot.png"
    path.write_bytes(b"GIF89a" + bytes(100))
    assert check_png.main([str(path)]) == 2


def test_truncated_pixels_are_bad_input(tmp_path):  # type: ignore[no-untyped-def]
    size = (10).to_bytes(4, "big") * 2  # 10 x 10 px, 8-bit RGB
    header = (13).to_bytes(4, "big") + b"IHDR" + size + bytes([8, 2, 0, 0, 0])
    pixels = zlib.compress(bytes(5 * 31))  # 5 of the 10 rows
    idat = len(pixels).to_bytes(4, "big") + b"IDAT" + pixels
    path = tmp_path / "short.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + header + bytes(4) + idat + bytes(4))
    assert check_png.main([str(path)]) == 2
