"""The export registry: the CLI and File ▸ Export offer the same formats from one table, without Qt."""

from __future__ import annotations

import subprocess
import sys

from designer.export_cli import FORMATS
from designer.exports import EXPORT_FORMATS, EXPORTS, FORMAT_BY_SUFFIX


def test_every_format_is_complete() -> None:
    assert len(EXPORTS) == len(EXPORT_FORMATS)  # ids are unique
    for export in EXPORT_FORMATS:
        assert export.id and export.label.strip() and callable(export.write)
        assert export.suffix.startswith(".") and len(export.suffix) > 1, export.file_filter
        if export.plan or export.progress_title:
            assert export.needs_qt, export.id


def test_the_cli_offers_the_registry() -> None:
    assert FORMATS == tuple(EXPORTS) == ("png", "svg", "pdf", "dxf", "csv", "xlsx", "items", "report",
                                          "sld-pdf", "sld-svg", "sld-dxf")
    # a bare .pdf is a plan sheet, not the report
    assert FORMAT_BY_SUFFIX == {".png": "png", ".svg": "svg", ".pdf": "pdf", ".dxf": "dxf", ".csv": "csv",
                                ".xlsx": "xlsx"}


def test_the_registry_loads_no_qt() -> None:
    script = "import sys, designer.exports, designer.export_cli; print(sorted(m for m in sys.modules if 'PySide' in m))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
