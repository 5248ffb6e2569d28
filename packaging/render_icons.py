"""Render resources/icons/dc-designer.svg to the PNG sizes desktops and installers ask for.

    QT_QPA_PLATFORM=offscreen python packaging/render_icons.py

Writes ``resources/icons/dc-designer-<N>.png`` for N in 16, 32, 48, 64, 128, 256.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES_PX = (16, 32, 48, 64, 128, 256)
ICONS_DIR = Path(__file__).resolve().parents[1] / "resources" / "icons"


def render(svg: Path, size_px: int, out: Path) -> None:
    """One square, transparent PNG of ``svg`` at ``size_px``."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {svg} is not a valid SVG")
    image = QImage(size_px, size_px, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    if not image.save(str(out), "PNG"):
        raise SystemExit(f"render_icons: cannot write {out}")


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (keeps Qt's GUI state alive)
    svg = ICONS_DIR / "dc-designer.svg"
    for size_px in SIZES_PX:
        out = ICONS_DIR / f"dc-designer-{size_px}.png"
        render(svg, size_px, out)
        print(f"render_icons: {out.relative_to(ICONS_DIR.parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
