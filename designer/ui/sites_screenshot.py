"""Rebuild the README's Sites Side by Side screenshot: ``python -m designer.ui.sites_screenshot [folder]``.

The AI-hall example at every bundled climate, offscreen, 1280 x 860, charted by energy cost.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZE = (1280, 860)


def grab_sites(folder: Path) -> Path:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from designer.analysis.climate import load_climates
    from designer.io.catalog_io import load_catalog
    from designer.io.project_file import load_project
    from designer.io.resources import examples_dir
    from designer.ui.sites_dialog import SitesDialog

    catalog = load_catalog(include_user=False)
    project = load_project(examples_dir() / "ai_hall.dcplan", catalog)
    dialog = SitesDialog(project, dict(load_climates()))
    dialog.resize(*SIZE)
    dialog.compare()
    dialog.metric_combo.setCurrentIndex(dialog.metric_combo.findData("energy_cost"))
    dialog.show()
    app.processEvents()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sites.png"
    dialog.grab().save(str(path))
    dialog.close()
    return path


if __name__ == "__main__":
    print(grab_sites(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")))
