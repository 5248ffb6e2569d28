"""File ▸ Import ▸ Items from CSV/XLSX, NetBox device types, a hall from a DCIM inventory: thin dialogs.

The reading, checking and building are Qt-free (designer.io.table_read / items_csv / netbox_types /
dcim_import); these dialogs choose the mapping, unit and hall, show the preview or the report (every
string from a file as plain text: table cells, QPlainTextEdit, plain labels) and push one undo
command. The last column mapping and unit are kept in QSettings.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.io.dcim_import import DcimImport, import_dcim
from designer.io.errors import FileFormatError
from designer.io.items_csv import (
    FIELD_LABELS,
    FIELDS,
    REQUIRED_FIELDS,
    UNIT_MM,
    ItemsImport,
    guess_mapping,
    guess_unit,
    mapping_by_names,
    mapping_names,
    missing_required,
    plan_import,
)
from designer.io.netbox_types import import_device_types, save_entries, user_catalog_path
from designer.io.table_read import ENCODINGS, XLSX_SUFFIXES, Table, read_table
from designer.model.catalog import merged_catalog
from designer.ui.commands_import import ImportHallCommand, ImportItemsCommand
from designer.ui.document_controller import APPLICATION, ORGANISATION
from designer.ui.host import FeatureHost
from designer.ui.plain_text import plain_label, show_critical

TABLE_FILTER = "Item tables (*.csv *.xlsx *.xlsm);;CSV (*.csv);;Excel workbook (*.xlsx *.xlsm);;All files (*)"
YAML_FILTER = "NetBox device types (*.yaml *.yml);;All files (*)"
DCIM_FILTER = "DCIM inventories (*.json *.yml *.yaml);;NetBox export (*.json);;RacksDB (*.yml *.yaml);;All files (*)"
MAPPING_KEY = "import/items_mapping"
UNIT_KEY = "import/items_unit"
PREVIEW_ROWS = 500
AUTO_CHECK_ROWS = 20_000
"""Up to this many rows the preview follows every change of the mapping; a larger table (checking
200,000 rows takes several seconds) is checked when asked to, or on Import."""
NOT_IMPORTED = "(not imported)"


def remembered_mapping() -> dict[str, str]:
    """field -> column header of the last accepted import (empty when none or unreadable)."""
    raw = QSettings(ORGANISATION, APPLICATION).value(MAPPING_KEY, "")
    try:
        value = json.loads(str(raw)) if raw else {}
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if k in FIELDS and isinstance(v, str)}


def remember_mapping(names: dict[str, str], unit: str) -> None:
    settings = QSettings(ORGANISATION, APPLICATION)
    settings.setValue(MAPPING_KEY, json.dumps(names))
    settings.setValue(UNIT_KEY, unit)


class ItemsImportDialog(QDialog):
    """Column mapping, unit, default hall and a preview of every row's problems; Import applies the good rows."""

    def __init__(self, table: Table, host: FeatureHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import items from a table")
        self.setObjectName("ItemsImportDialog")
        self.table = table
        self.document = host.document
        self.plan: ItemsImport | None = None
        layout = QVBoxLayout(self)
        source = f"{Path(table.file).name}: {len(table.rows):,} rows, {len(table.header)} columns"
        source += f" (sheet {table.sheet})" if table.sheet else f" ({table.encoding})"
        layout.addWidget(plain_label(QLabel(source)))
        mapping_box = QGroupBox("Columns")
        grid = QGridLayout(mapping_box)
        self.combos: dict[str, QComboBox] = {}
        guessed = guess_mapping(table.header)
        remembered, _missing = mapping_by_names(table.header, remembered_mapping())
        guessed = {name: index for name, index in guessed.items() if index not in remembered.values()} | remembered
        for position, name in enumerate(FIELDS):
            combo = QComboBox()
            combo.setObjectName(f"map_{name}")
            combo.addItem(NOT_IMPORTED, -1)
            for index, header in enumerate(table.header):
                combo.addItem(header or f"(column {index + 1})", index)  # item text is plain text
            if name in guessed:
                combo.setCurrentIndex(guessed[name] + 1)
            label = FIELD_LABELS[name] + (" *" if name in REQUIRED_FIELDS else "")
            grid.addWidget(QLabel(label), position // 2, (position % 2) * 2)
            grid.addWidget(combo, position // 2, (position % 2) * 2 + 1)
            combo.currentIndexChanged.connect(self._on_choice_changed)
            self.combos[name] = combo
        layout.addWidget(mapping_box)
        options = QFormLayout()
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("unit_combo")
        for unit in UNIT_MM:
            self.unit_combo.addItem({"mm": "millimetres (mm)", "m": "metres (m)", "ft": "feet (ft)"}[unit], unit)
        unit = guess_unit(table.header, self.mapping())
        stored = str(QSettings(ORGANISATION, APPLICATION).value(UNIT_KEY, ""))
        if unit == "mm" and stored in UNIT_MM and remembered:
            unit = stored
        self.unit_combo.setCurrentIndex(list(UNIT_MM).index(unit))
        options.addRow("X and Y in", self.unit_combo)
        self.hall_combo = QComboBox()
        for hall in self.document.project.halls.values():
            self.hall_combo.addItem(hall.name, hall.id)
        current = self.hall_combo.findData(self.document.current_hall_id)
        self.hall_combo.setCurrentIndex(max(current, 0))
        options.addRow("Rows without a hall go to", self.hall_combo)
        layout.addLayout(options)
        self.summary = plain_label(QLabel())
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.preview = QTableWidget(0, 7)
        self.preview.setObjectName("preview")
        self.preview.setHorizontalHeaderLabels(
            ["Line", "Action", "Id", "Catalog id", "X mm", "Y mm", "Problems and notes"])
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview.verticalHeader().setVisible(False)
        layout.addWidget(self.preview, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.check_button = self.buttons.addButton("Check Rows", QDialogButtonBox.ButtonRole.ActionRole)
        self.check_button.clicked.connect(self.check_rows)
        self.check_button.setVisible(len(table.rows) > AUTO_CHECK_ROWS)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.unit_combo.currentIndexChanged.connect(self._on_choice_changed)
        self.hall_combo.currentIndexChanged.connect(self._on_choice_changed)
        self.resize(900, 640)
        self._on_choice_changed()

    def mapping(self) -> dict[str, int]:
        return {name: int(combo.currentData()) for name, combo in self.combos.items() if int(combo.currentData()) >= 0}

    def unit(self) -> str:
        return str(self.unit_combo.currentData())

    def _on_choice_changed(self, *_args: object) -> None:
        mapping = self.mapping()
        used = list(mapping.values())
        if len(used) != len(set(used)):
            self._show_blocked("Each column can feed one field only.")
            return
        missing = missing_required(mapping)
        if missing:
            self._show_blocked(f"Choose a column for: {', '.join(missing)}.")
            return
        if len(self.table.rows) > AUTO_CHECK_ROWS:
            self.plan = None
            self.preview.setRowCount(0)
            self.summary.setText(f"{len(self.table.rows):,} rows: press Check Rows to see their problems "
                                 "(Import checks them too).")  # fmt: skip
            self.import_button.setEnabled(True)
            self.check_button.setEnabled(True)
            return
        self.check_rows()

    def check_rows(self) -> None:
        """Check every row against the design and the catalog; fill the summary and the preview."""
        mapping = self.mapping()
        if missing_required(mapping) or len(set(mapping.values())) != len(mapping):
            return
        project = self.document.project
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        try:
            self.plan = plan_import(self.table, mapping, project, merged_catalog(self.document.catalog,
                                    project.custom_catalog), unit=self.unit(),
                                    default_hall_id=self.hall_combo.currentData())  # fmt: skip
        finally:
            QApplication.restoreOverrideCursor()
        plan = self.plan
        bad = len(plan.problem_rows)
        text = plan.summary() + (f". {bad:,} rows have problems (listed first); they are left out." if bad else ".")
        if plan.problems:
            text = "; ".join(plan.problems)
        self.summary.setText(text)
        self.import_button.setEnabled(bool(plan.add or plan.update))
        self._fill_preview(plan)

    def _show_blocked(self, text: str) -> None:
        self.plan = None
        self.summary.setText(text)
        self.import_button.setEnabled(False)
        self.preview.setRowCount(0)

    def _fill_preview(self, plan: ItemsImport) -> None:
        rows = sorted(plan.rows, key=lambda row: (not row.problems, row.line))[:PREVIEW_ROWS]
        self.preview.setRowCount(len(rows))
        for index, row in enumerate(rows):
            item = row.item
            values = [
                str(row.line), row.action, item.id if item else row.given[0], item.catalog_id if item else row.given[1],
                f"{item.x_mm:,.0f}" if item else "", f"{item.y_mm:,.0f}" if item else "",
                "; ".join([*row.problems, *row.notes]),
            ]  # fmt: skip
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)  # a table item never renders rich text
                if row.problems:
                    cell.setForeground(Qt.GlobalColor.darkRed)
                self.preview.setItem(index, column, cell)
        self.preview.resizeColumnsToContents()

    def accept(self) -> None:
        if self.plan is None:
            self.check_rows()
            if self.plan is not None and self.plan.problem_rows:
                return  # first show the rows that would be left out; Import again applies the rest
        if self.plan is None or not (self.plan.add or self.plan.update):
            return
        remember_mapping(mapping_names(self.table.header, self.mapping()), self.unit())
        super().accept()


class ReportDialog(QDialog):
    """A read-only report (mapped / assumed / skipped) with an accept button; the text is plain text."""

    def __init__(self, title: str, lines: list[str], accept_text: str, parent: QWidget | None = None,
                 site_field: bool = False) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("ImportReportDialog")
        layout = QVBoxLayout(self)
        self.text = QPlainTextEdit()
        self.text.setObjectName("report")
        self.text.setReadOnly(True)
        self.text.setPlainText("\n".join(lines))
        layout.addWidget(self.text, 1)
        self.site_edit: QLineEdit | None = None
        self.reread_button: QPushButton | None = None
        if site_field:
            row = QHBoxLayout()
            row.addWidget(QLabel("Site or room"))
            self.site_edit = QLineEdit()
            self.site_edit.setPlaceholderText("empty: the one with the most racks")
            row.addWidget(self.site_edit, 1)
            self.reread_button = QPushButton("Read Again")
            row.addWidget(self.reread_button)
            layout.addLayout(row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.accept_button = self.buttons.addButton(accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(820, 520)


class DataImports:
    """The three import actions of File ▸ Import."""

    def __init__(self, host: FeatureHost, menu: QMenu) -> None:
        self.host = host
        self.document = host.document
        parent = host.window()
        self.items_action = QAction("&Items from CSV/XLSX…", parent)
        self.items_action.setObjectName("action_import_items")
        self.items_action.triggered.connect(self.import_items)
        self.types_action = QAction("&NetBox Device Types into My Catalog…", parent)
        self.types_action.setObjectName("action_import_device_types")
        self.types_action.triggered.connect(self.import_device_types)
        self.dcim_action = QAction("&Hall from DCIM Inventory (NetBox, RacksDB)…", parent)
        self.dcim_action.setObjectName("action_import_dcim")
        self.dcim_action.triggered.connect(self.import_hall)
        menu.addSeparator()
        for action in (self.items_action, self.types_action, self.dcim_action):
            menu.addAction(action)

    # ----------------------------------------------------------------- items
    def import_items(self, path: Path | None = None, encoding: str = "auto") -> ItemsImportDialog | None:
        """Ask for a table, show the mapping dialog and push one command (returns the dialog, for tests)."""
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self.host.window(), "Import items", "", TABLE_FILTER)
            if not name:
                return None
            path = Path(name)
        table = self._read_table(path, encoding)
        if table is None:
            return None
        dialog = ItemsImportDialog(table, self.host, self.host.window())
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.apply_items(dialog)
        return dialog

    def apply_items(self, dialog: ItemsImportDialog) -> None:
        assert dialog.plan is not None
        command = ImportItemsCommand(self.document.project, dialog.plan, Path(dialog.table.file).name)
        self.document.push(command)
        self._status(command.text())

    def _read_table(self, path: Path, encoding: str) -> Table | None:
        while True:
            problem: FileFormatError | None = None
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
            try:
                return read_table(path, encoding=encoding)
            except FileFormatError as error:
                problem = error
            finally:
                QApplication.restoreOverrideCursor()
            if "encoding" not in problem.problem or path.suffix.lower() in XLSX_SUFFIXES:
                show_critical(self.host.window(), "Cannot read the table", problem.one_line())
                return None
            choice = self._ask_encoding(problem.one_line())
            if choice is None:
                return None
            encoding = choice

    def _ask_encoding(self, problem: str) -> str | None:
        dialog = QDialog(self.host.window())
        dialog.setWindowTitle("Choose the table's encoding")
        layout = QVBoxLayout(dialog)
        label = plain_label(QLabel(problem))
        label.setWordWrap(True)
        layout.addWidget(label)
        combo = QComboBox()
        for name in ENCODINGS[1:]:
            combo.addItem(name)
        combo.setCurrentText("cp1252")
        layout.addWidget(combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        return combo.currentText() if dialog.exec() == QDialog.DialogCode.Accepted else None

    # ----------------------------------------------------------------- device types
    def import_device_types(self, paths: list[Path] | None = None) -> ReportDialog | None:
        if paths is None:
            names, _ = QFileDialog.getOpenFileNames(self.host.window(), "NetBox device types", "", YAML_FILTER)
            paths = [Path(name) for name in names]
        if not paths:
            return None
        report = import_device_types(paths)
        entries = report.entries
        target = user_catalog_path()
        lines = [*report.lines(), "", f"{len(entries)} entries for your catalog ({target}); "
                 f"{len(report.results) - len(entries)} files skipped."]  # fmt: skip
        dialog = ReportDialog("Import NetBox device types", lines, f"Add {len(entries)} to My Catalog",
                              self.host.window())  # fmt: skip
        dialog.accept_button.setEnabled(bool(entries))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return dialog
        try:
            save_entries(entries, target)
        except (OSError, FileFormatError) as error:
            show_critical(self.host.window(), "Device types not saved", f"Cannot write {target}: {error}")
            return dialog
        self.document.add_catalog_entries(entries)
        self._status(f"{len(entries)} device types added to your catalog ({target.name})")
        return dialog

    # ----------------------------------------------------------------- DCIM hall
    def import_hall(self, path: Path | None = None) -> ReportDialog | None:
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self.host.window(), "Hall from a DCIM inventory", "", DCIM_FILTER)
            if not name:
                return None
            path = Path(name)
        imported = self._read_inventory(path, None)
        if imported is None:
            return None
        dialog = ReportDialog("Import a hall from a DCIM inventory", imported.report_lines(), "Add Hall",
                              self.host.window(), site_field=True)  # fmt: skip
        state = {"imported": imported}

        def reread() -> None:
            assert dialog.site_edit is not None
            again = self._read_inventory(path, dialog.site_edit.text().strip() or None)
            if again is not None:
                state["imported"] = again
                dialog.text.setPlainText("\n".join(again.report_lines()))

        assert dialog.reread_button is not None
        dialog.reread_button.clicked.connect(reread)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.apply_hall(state["imported"])
        return dialog

    def apply_hall(self, imported: DcimImport) -> None:
        self.document.push(ImportHallCommand(self.document.project, imported))
        self.document.set_current_hall(imported.hall.id)
        self._status(f"Hall {imported.hall.name}: {len(imported.items)} items from {Path(imported.source).name}")

    def _read_inventory(self, path: Path, site: str | None) -> DcimImport | None:
        project = self.document.project
        problem: FileFormatError | None = None
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        try:
            return import_dcim(path, project, merged_catalog(self.document.catalog, project.custom_catalog),
                               site=site)  # fmt: skip
        except FileFormatError as error:
            problem = error
        finally:
            QApplication.restoreOverrideCursor()
        show_critical(self.host.window(), "Cannot import the inventory", problem.one_line())
        return None

    def _status(self, text: str) -> None:
        self.host.statusBar().showMessage(text, 8000)
