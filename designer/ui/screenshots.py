"""Rebuild the README's screenshots of the main window: ``python -m designer.ui.screenshots [folder]``.

Opens the bundled AI-hall example offscreen at 1800 x 1100 with the default dock layout (saved
settings are ignored), sets the inference share, waits for the single failures to be filled in and
grabs the window: ``dashboard-20.png`` and ``dashboard-80.png``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

SHARES = (0.2, 0.8)
SIZE = (1800, 1100)


def grab_dashboards(folder: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    # a throwaway settings folder: the pictures show the default layout, not this machine's
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = QApplication.instance() or QApplication([])
    from designer.io.catalog_io import load_catalog
    from designer.io.project_file import load_project
    from designer.io.resources import examples_dir
    from designer.ui.main_window import MainWindow

    catalog = load_catalog(include_user=False)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for share in SHARES:
        window = MainWindow(catalog, {}, load_project(examples_dir() / "ai_hall.dcplan", catalog))
        window.resize(*SIZE)
        window.show()
        app.processEvents()
        slider = window.dashboard.controls.share_slider
        slider.setValue(round(share * slider.maximum()))
        window.coordinator.flush()
        window.coordinator.fill_failures()
        app.processEvents()
        path = folder / f"dashboard-{round(share * 100)}.png"
        if not window.grab().save(str(path)):
            raise OSError(f"cannot write {path}")
        written.append(path)
        window.document.undo_stack.setClean()
        window.close()
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else Path("docs/screenshots")
    for path in grab_dashboards(folder):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
