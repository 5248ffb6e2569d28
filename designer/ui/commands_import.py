"""Undo commands for imports: rows of an item table, a hall from a DCIM inventory. Model methods only."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from designer.io.dcim_import import DcimImport, apply_dcim, revert_dcim
from designer.io.items_csv import ItemsImport, apply_import, revert_import
from designer.model.project import Project


class ImportItemsCommand(QUndoCommand):
    """Every good row of an item table in one step: items added and updated, their feeds replaced."""

    def __init__(self, project: Project, plan: ItemsImport, source_name: str) -> None:
        super().__init__(f"Import {len(plan.add) + len(plan.update):,} items from {source_name}")
        self._project = project
        self._plan = plan

    def redo(self) -> None:
        apply_import(self._project, self._plan)

    def undo(self) -> None:
        revert_import(self._project, self._plan)


class ImportHallCommand(QUndoCommand):
    """A hall built from an inventory, with its racks, power items and connections."""

    def __init__(self, project: Project, imported: DcimImport) -> None:
        super().__init__(f"Import hall {imported.hall.name}")
        self._project = project
        self._imported = imported

    def redo(self) -> None:
        apply_dcim(self._project, self._imported)

    def undo(self) -> None:
        revert_dcim(self._project, self._imported)
