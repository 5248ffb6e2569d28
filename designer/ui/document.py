"""The open document: a project, the catalog it is drawn from, its undo stack, path and selection."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from designer.model.catalog import Catalog, CatalogEntry
from designer.model.events import ChangeAction, ChangeEvent, Collection
from designer.model.pods import PodTemplate
from designer.model.project import Project
from designer.model.types import Confidence, ItemKind, Role


def unknown_entry(catalog_id: str) -> CatalogEntry:
    """Stands in for a catalog id that neither the catalog nor the project defines."""
    return CatalogEntry(
        id=catalog_id,
        kind=ItemKind.FLOOR,
        role=Role.CONTAINMENT,
        name=f"Unknown ({catalog_id})",
        width_mm=600.0,
        depth_mm=600.0,
        source="",
        confidence=Confidence.ESTIMATE,
    )


class Document(QObject):
    """One open design. Views follow ``project.events``; edits go through :meth:`push`."""

    project_replaced = Signal()
    project_changed = Signal(object)
    """A ChangeEvent of the project (every model edit, done, undone or redone): the one signal the
    analysis and the views that recompute from the whole design follow."""
    selection_changed = Signal()
    current_hall_changed = Signal(str)
    halls_changed = Signal()
    """A hall was added, removed or edited (names for the hall switcher)."""
    catalog_changed = Signal()
    """Entries were added to ``catalog`` (an import into the user's catalog): the palette rebuilds."""

    def __init__(
        self,
        project: Project,
        catalog: Catalog,
        pod_templates: Mapping[str, PodTemplate],
        path: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.pod_templates = pod_templates
        self.undo_stack = QUndoStack(self)
        self.path = path
        self._selection: list[str] = []
        self._current_hall_id = ""
        self.project = project
        self._attach(project)

    # ----------------------------------------------------------------- project
    def replace_project(self, project: Project, path: Path | None) -> None:
        """Show another project in this document; the undo history starts afresh."""
        self.project.events.unsubscribe(self._on_project_event)
        self.undo_stack.clear()
        self.undo_stack.setClean()  # clear() keeps a resetClean() (a restored autosave) dirty
        self.project = project
        self.path = path
        self._selection = []
        self._attach(project)
        self.project_replaced.emit()
        self.current_hall_changed.emit(self._current_hall_id)
        self.selection_changed.emit()

    def _attach(self, project: Project) -> None:
        project.events.subscribe(self._on_project_event)
        self._current_hall_id = next(iter(project.halls), "")

    def detach(self) -> None:
        """Stop listening to the project: its window closes, and the project may outlive it."""
        with contextlib.suppress(ValueError):  # detached already
            self.project.events.unsubscribe(self._on_project_event)

    def push(self, command: QUndoCommand) -> None:
        self.undo_stack.push(command)

    def is_dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def display_name(self) -> str:
        return self.path.name if self.path is not None else "Untitled"

    # ----------------------------------------------------------------- catalog
    def entry_of(self, catalog_id: str) -> CatalogEntry:
        """The entry for ``catalog_id``: the project's own entries first, then the catalog."""
        found = self.project.custom_catalog.get(catalog_id) or self.catalog.get(catalog_id)
        return found if found is not None else unknown_entry(catalog_id)

    def add_catalog_entries(self, entries: Iterable[CatalogEntry]) -> None:
        """Use ``entries`` from now on (added to the user's catalog file by an import; not a project edit)."""
        self.catalog = self.catalog.merged(entries)
        self.catalog_changed.emit()

    def entry_for(self, item_id: str) -> CatalogEntry:
        """The catalog entry of a placed item."""
        return self.entry_of(self.project.items[item_id].catalog_id)

    # ----------------------------------------------------------------- halls
    @property
    def current_hall_id(self) -> str:
        return self._current_hall_id

    @current_hall_id.setter
    def current_hall_id(self, hall_id: str) -> None:
        self.set_current_hall(hall_id)

    def set_current_hall(self, hall_id: str) -> None:
        if hall_id != self._current_hall_id and hall_id in self.project.halls:
            self._current_hall_id = hall_id
            self.set_selection([])
            self.current_hall_changed.emit(hall_id)

    # ----------------------------------------------------------------- selection
    def selected_ids(self) -> list[str]:
        """Ids of the selected items (connections are in :meth:`selected_connection_ids`)."""
        items = self.project.items
        return [i for i in self._selection if i in items]

    def selected_connection_ids(self) -> list[str]:
        connections = self.project.connections
        return [i for i in self._selection if i in connections]

    def set_selection(self, ids: Iterable[str]) -> None:
        """Select items and/or connections by id; unknown ids are ignored."""
        known = [i for i in dict.fromkeys(ids) if i in self.project.items or i in self.project.connections]
        if known != self._selection:
            self._selection = known
            self.selection_changed.emit()

    def _on_project_event(self, event: ChangeEvent) -> None:
        self.project_changed.emit(event)
        if event.action is ChangeAction.REMOVED and event.collection in (Collection.ITEMS, Collection.CONNECTIONS):
            gone = set(event.ids)
            if any(i in gone for i in self._selection):
                self._selection = [i for i in self._selection if i not in gone]
                self.selection_changed.emit()
        elif event.collection is Collection.HALLS:
            self.halls_changed.emit()
            if self._current_hall_id not in self.project.halls:
                self._current_hall_id = next(iter(self.project.halls), "")
                self.current_hall_changed.emit(self._current_hall_id)
            elif not self._current_hall_id and self.project.halls:
                self._current_hall_id = next(iter(self.project.halls))
                self.current_hall_changed.emit(self._current_hall_id)
