"""File ▸ Import ▸ Items / NetBox device types / DCIM hall: the dialogs, one undo step, plain text, QSettings."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QMessageBox

from designer.io.catalog_io import load_catalog
from designer.io.items_csv import items_csv_bytes
from designer.io.pods_io import load_pod_templates
from designer.io.project_file import load_project, project_from_text, project_to_text
from designer.io.resources import examples_dir
from designer.ui.data_import import MAPPING_KEY, ItemsImportDialog, ReportDialog
from designer.ui.document_controller import APPLICATION, ORGANISATION
from designer.ui.main_window import MainWindow

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def real_window(qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Discard)
    catalog = load_catalog(include_user=False)
    original = load_project(examples_dir() / "ai_hall.dcplan", catalog)
    empty = project_from_text(project_to_text(original), catalog)
    empty.remove_items(list(empty.items))
    win = MainWindow(catalog, load_pod_templates(catalog), empty)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.original = original  # type: ignore[attr-defined]
    return win


def accept_dialogs(monkeypatch, seen: list[QDialog], fill=None) -> None:  # type: ignore[no-untyped-def]
    def exec_(dialog: QDialog) -> int:
        seen.append(dialog)
        if fill is not None:
            fill(dialog)
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(ItemsImportDialog, "exec", exec_)
    monkeypatch.setattr(ReportDialog, "exec", exec_)


def test_the_import_menu_offers_the_three_imports(real_window) -> None:  # type: ignore[no-untyped-def]
    texts = [a.text() for a in real_window.import_menu.actions() if not a.isSeparator()]
    assert texts[-3:] == ["&Items from CSV/XLSX…", "&NetBox Device Types into My Catalog…",
                          "&Hall from DCIM Inventory (NetBox, RacksDB)…"]  # fmt: skip


def test_items_import_is_one_undo_step_and_remembers_the_mapping(real_window, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    document = real_window.document
    table = tmp_path / "items.csv"
    table.write_bytes(items_csv_bytes(real_window.original))
    seen: list[QDialog] = []
    accept_dialogs(monkeypatch, seen)
    real_window.import_controller.data.import_items(table)
    (dialog,) = seen
    assert dialog.summary.text().startswith("484 items to add, 0 to update, 2,562 feeds, 0 rows skipped")
    assert dialog.unit_combo.currentData() == "mm"
    assert document.project.items == real_window.original.items
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert not document.project.items and not document.project.connections
    assert "Items" not in QSettings(ORGANISATION, APPLICATION).value(MAPPING_KEY, "")
    assert '"x": "X mm"' in QSettings(ORGANISATION, APPLICATION).value(MAPPING_KEY, "")


def test_remembered_mapping_and_row_problems_in_the_preview(real_window, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    table = tmp_path / "odd.csv"
    table.write_text("Asset;Kind;East;North;Note\nA-1;rack.cpu_general;2;3;<b>bold</b>\n"
                     "A-2;<img src=x>;2;3;\n", encoding="utf-8")  # fmt: skip
    QSettings(ORGANISATION, APPLICATION).setValue(
        MAPPING_KEY, '{"id": "Asset", "catalog_id": "Kind", "x": "East", "y": "North", "label": "Note"}')
    QSettings(ORGANISATION, APPLICATION).setValue("import/items_unit", "m")
    seen: list[QDialog] = []

    def fill(dialog: ItemsImportDialog) -> None:
        assert dialog.combos["x"].currentText() == "East" and dialog.unit() == "m"
        first = [dialog.preview.item(0, column).text() for column in range(7)]
        assert first[:2] == ["3", "skip"] and "'<img src=x>' is neither" in first[6]

    accept_dialogs(monkeypatch, seen, fill)
    real_window.import_controller.data.import_items(table)
    item = real_window.document.project.items["A-1"]
    assert (item.x_mm, item.y_mm, item.label) == (2000, 3000, "<b>bold</b>")  # markup stays text


def test_a_required_column_without_mapping_disables_import(real_window, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from designer.io.table_read import read_table

    table = tmp_path / "t.csv"
    table.write_text("foo,bar\n1,2\n", encoding="utf-8")
    dialog = ItemsImportDialog(read_table(table), real_window, real_window)
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled() and "Catalog id or type" in dialog.summary.text()


def test_device_types_go_to_the_user_catalog_and_the_palette(real_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seen: list[QDialog] = []
    accept_dialogs(monkeypatch, seen)
    files = sorted((DATA / "netbox" / "device-types").rglob("*.yaml"))
    real_window.import_controller.data.import_device_types(files)
    (dialog,) = seen
    assert "QM9700.yaml: skipped: no power draw" in dialog.text.toPlainText()
    assert "netbox.dell-poweredge-r650" in real_window.document.catalog
    assert "netbox.dell-poweredge-r650" in load_catalog()  # in the user's catalog folder for the next start


def test_a_netbox_hall_is_one_undo_step(real_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    document = real_window.document
    halls = dict(document.project.halls)
    seen: list[QDialog] = []
    accept_dialogs(monkeypatch, seen)
    real_window.import_controller.data.import_hall(DATA / "dcim" / "netbox-demo-v3.6-dcim-power-subset.json")
    (dialog,) = seen
    assert "assumed:" in dialog.text.toPlainText()
    new = [hall for hall in document.project.halls.values() if hall.id not in halls]
    assert [hall.name for hall in new] == ["MDF (NetBox)"] and document.current_hall_id == new[0].id
    assert len(document.project.items) == 26 + 48 + 4
    document.undo_stack.undo()
    assert dict(document.project.halls) == halls and not document.project.items


def test_a_hostile_inventory_is_reported_as_plain_text(real_window, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr("designer.ui.data_import.show_critical", lambda parent, title, text: shown.append(text))
    bad = tmp_path / "<img src=x>.yml"
    bad.write_text("rooms: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    assert real_window.import_controller.data.import_hall(bad) is None
    assert len(shown) == 1 and "safe YAML" in shown[0] and "<img src=x>.yml" in shown[0]


def test_a_large_table_is_checked_on_request(real_window, qtbot, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from designer.io.table_read import read_table

    monkeypatch.setattr("designer.ui.data_import.AUTO_CHECK_ROWS", 1)
    table = tmp_path / "t.csv"
    table.write_text("id,catalog_id,x,y\nb-1,rack.cpu_general,1000,1000\nb-2,rack.nope,1,1\n", encoding="utf-8")
    dialog = ItemsImportDialog(read_table(table), real_window, real_window)
    qtbot.addWidget(dialog)
    assert dialog.plan is None and "press Check Rows" in dialog.summary.text()
    assert dialog.check_button.isVisibleTo(dialog)
    dialog.accept()  # checks, shows the bad row and waits
    assert dialog.plan is not None and dialog.result() == 0 and dialog.preview.item(0, 0).text() == "3"
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_the_readme_import_pictures_can_be_rebuilt(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QImage

    from designer.ui.import_screenshots import grab_imports

    paths = grab_imports(tmp_path)
    assert [path.name for path in paths] == ["import-items-mapping.png", "import-dcim-racksdb.png"]
    assert all(not QImage(str(path)).isNull() for path in paths)
