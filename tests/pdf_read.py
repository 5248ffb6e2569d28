"""Read back a PDF for the export tests: page count, page sizes in points and text, independently of Qt.

Uses pypdf when installed; otherwise counts the ``/Type /Page`` objects and reads their ``/MediaBox``
from the raw bytes (Qt writes uncompressed page dictionaries), and gives no text.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

MM_PER_PT = 25.4 / 72.0


@dataclass(frozen=True)
class PdfPages:
    sizes_pt: list[tuple[float, float]]
    texts: list[str] | None
    """Text of each page (None without pypdf)."""

    @property
    def count(self) -> int:
        return len(self.sizes_pt)

    def sizes_mm(self) -> list[tuple[float, float]]:
        return [(w * MM_PER_PT, h * MM_PER_PT) for w, h in self.sizes_pt]


def read_pdf(data: bytes) -> PdfPages:
    assert data.startswith(b"%PDF-"), "not a PDF"
    assert data.rstrip().endswith(b"%%EOF"), "PDF not complete"
    try:
        from pypdf import PdfReader
    except ImportError:
        boxes = re.findall(
            rb"/Type\s*/Page\b(?!s).*?/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", data, flags=re.S
        )
        return PdfPages([(float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1 in boxes], None)
    reader = PdfReader(io.BytesIO(data))
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    return PdfPages(sizes, [_plain(p.extract_text() or "") for p in reader.pages])


def _plain(text: str) -> str:
    """Ligatures unfolded (ﬁ -> fi) and runs of white space made one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())
