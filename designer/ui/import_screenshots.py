"""Rebuild the README's pictures of the imports: ``python -m designer.ui.import_screenshots [folder]``.

- ``import-items-mapping.png``: File ▸ Import ▸ Items from CSV/XLSX on a rack list from a spreadsheet
  (its own column names, metres, one row with a problem), with the AI-hall example open;
- ``import-dcim-racksdb.png``: the hall built from RacksDB's Paris example room (53 racks in seven
  rows, three of them rotated), shown in the main window. Reads ``tests/data/dcim`` of a source checkout.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

RACK_LIST = """\ufeffAsset;Model;Room;Pos X (m);Pos Y (m);Rotation;IT kW;Workload;Notes
INF-01;rack.inference_l40s;Data hall 1;40.2;33.0;180;18;inference;row K, cold aisle north
INF-02;rack.inference_l40s;Data hall 1;40.8;33.0;180;18;inference;
INF-03;rack.inference_l40s;Data hall 1;41.4;33.0;180;=B2*2;inference;kW from a formula
INF-04;Inference rack, L40S PCIe servers;Data hall 1;42.0;33.0;180;22;inference;model given by name
INF-05;rack.inference_l4o;Data hall 1;42.6;33.0;180;12;inference;typo in the model
INF-06;rack.inference_l4;Data hall 1;43.2;33.0;180;12;inference;
STO-01;rack.storage;Data hall 1;43.8;33.0;180;;storage;catalog kW
"""


def grab_imports(folder: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = QApplication.instance() or QApplication([])
    from designer.io.catalog_io import load_catalog
    from designer.io.dcim_import import import_dcim
    from designer.io.project_file import load_project
    from designer.io.resources import examples_dir
    from designer.io.table_read import read_table
    from designer.ui.commands_import import ImportHallCommand
    from designer.ui.data_import import ItemsImportDialog
    from designer.ui.main_window import APPLICATION, ORGANISATION, MainWindow

    QSettings(ORGANISATION, APPLICATION).clear()
    catalog = load_catalog(include_user=False)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    window = MainWindow(catalog, {}, load_project(examples_dir() / "ai_hall.dcplan", catalog))
    window.resize(1600, 900)
    window.show()
    app.processEvents()
    table_path = Path(tempfile.mkdtemp()) / "rack-list.csv"
    table_path.write_text(RACK_LIST, encoding="utf-8")
    dialog = ItemsImportDialog(read_table(table_path), window, window)
    dialog.combos["label"].setCurrentIndex(dialog.combos["label"].findText("Notes"))
    dialog.resize(1000, 660)
    dialog.show()
    app.processEvents()
    path = folder / "import-items-mapping.png"
    dialog.grab().save(str(path))
    written.append(path)
    dialog.close()
    data = Path(__file__).resolve().parents[2] / "tests" / "data" / "dcim" / "racksdb" / "examples" / "db"
    if data.is_dir():
        imported = import_dcim(data, window.document.project, catalog)
        window.document.push(ImportHallCommand(window.document.project, imported))
        window.document.set_current_hall(imported.hall.id)
        window.coordinator.flush()
        app.processEvents()
        window.view.zoom_to_fit()
        app.processEvents()
        path = folder / "import-dcim-racksdb.png"
        window.grab().save(str(path))
        written.append(path)
    window.document.undo_stack.setClean()
    window.close()
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs") / "screenshots"
    for shot in grab_imports(target):
        print(shot)
