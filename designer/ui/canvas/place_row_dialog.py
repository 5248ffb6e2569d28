"""PlaceRowDialog: asks which catalog entry and how many to place side by side."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QSpinBox, QWidget

from designer.model.catalog import CatalogEntry
from designer.model.types import ItemKind


class PlaceRowDialog(QDialog):
    """Catalog entry (racks first) and a count; ``values()`` gives (catalog id, count)."""

    def __init__(
        self, catalog: Mapping[str, CatalogEntry], parent: QWidget | None = None, default_id: str | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Place Row")
        self.entry_combo = QComboBox(self)
        entries = sorted(catalog.values(), key=lambda e: (e.kind is not ItemKind.RACK, e.kind.value, e.name.casefold()))
        for entry in entries:
            self.entry_combo.addItem(f"{entry.name}  ({entry.id})", entry.id)
        if default_id is not None:
            index = self.entry_combo.findData(default_id)
            if index >= 0:
                self.entry_combo.setCurrentIndex(index)
        self.count_spin = QSpinBox(self)
        self.count_spin.setRange(1, 500)
        self.count_spin.setValue(10)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow("Equipment:", self.entry_combo)
        layout.addRow("Number side by side:", self.count_spin)
        layout.addRow(buttons)

    def values(self) -> tuple[str, int]:
        return str(self.entry_combo.currentData()), self.count_spin.value()
