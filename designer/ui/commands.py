"""Undo commands: each edit is one QUndoCommand whose redo()/undo() call Project methods only."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from PySide6.QtGui import QUndoCommand

from designer.model.catalog import CatalogEntry
from designer.model.project import Project
from designer.model.records import Connection, PlacedItem, PodInstance
from designer.model.types import ItemKind

_KIND_NOUNS = {ItemKind.RACK: "rack", ItemKind.POWER: "power unit", ItemKind.COOLING: "cooling unit"}


def describe_items(items: Iterable[PlacedItem], entry_of: Callable[[str], CatalogEntry] | None = None) -> str:
    """A short noun phrase for undo texts: "8 racks", "cdu-1", "3 items"."""
    items = list(items)
    if len(items) == 1:
        return items[0].label or items[0].id
    kinds = {entry_of(item.catalog_id).kind if entry_of is not None else None for item in items}
    noun = _KIND_NOUNS.get(kinds.pop(), "item") if len(kinds) == 1 else "item"  # type: ignore[arg-type]
    return _plural(len(items), noun)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class AddItemsCommand(QUndoCommand):
    """Add pods, then items, then connections; undo removes them all again."""

    def __init__(
        self,
        project: Project,
        items: Sequence[PlacedItem],
        connections: Sequence[Connection] = (),
        pods: Sequence[PodInstance] = (),
        text: str | None = None,
    ) -> None:
        super().__init__(text or f"Add {_plural(len(items), 'item')}")
        self._project = project
        self._items = tuple(items)
        self._connections = tuple(connections)
        self._pods = tuple(pods)

    def redo(self) -> None:
        for pod in self._pods:
            self._project.add_pod(pod)
        self._project.add_items(self._items)
        self._project.add_connections(self._connections)

    def undo(self) -> None:
        self._project.remove_items([item.id for item in self._items])
        for pod in reversed(self._pods):
            self._project.remove_pod(pod.id)


class RemoveItemsCommand(QUndoCommand):
    """Remove items with their connections; pods left empty go too. Undo restores everything."""

    def __init__(self, project: Project, item_ids: Iterable[str], text: str | None = None) -> None:
        ids = list(dict.fromkeys(item_ids))
        super().__init__(text or f"Delete {_plural(len(ids), 'item')}")
        self._project = project
        self._ids = ids
        self._removed_items: tuple[PlacedItem, ...] = ()
        self._removed_connections: tuple[Connection, ...] = ()
        self._removed_pods: list[PodInstance] = []

    def redo(self) -> None:
        removing = set(self._ids)
        pod_ids = {self._project.items[i].pod_id for i in self._ids} - {None}
        emptied = [
            pod_id
            for pod_id in sorted(p for p in pod_ids if p is not None)
            if all(item.id in removing for item in self._project.items_in_pod(pod_id))
        ]
        removed = self._project.remove_items(self._ids)
        self._removed_items, self._removed_connections = removed.items, removed.connections
        self._removed_pods = [self._project.remove_pod(pod_id) for pod_id in emptied]

    def undo(self) -> None:
        for pod in self._removed_pods:
            self._project.add_pod(pod)
        self._project.add_items(self._removed_items)
        self._project.add_connections(self._removed_connections)


class MoveItemsCommand(QUndoCommand):
    """Move items to new centres; the old centres are read when the command is made.

    With ``merge_nudges`` consecutive moves of the same items (arrow-key nudges) merge into one
    undo step.
    """

    NUDGE_ID = 1001

    def __init__(
        self,
        project: Project,
        new_positions: Mapping[str, tuple[float, float]],
        text: str | None = None,
        *,
        merge_nudges: bool = False,
    ) -> None:
        super().__init__(text or f"Move {_plural(len(new_positions), 'item')}")
        self._project = project
        self._new = {i: (float(x), float(y)) for i, (x, y) in new_positions.items()}
        self._old = {i: (project.items[i].x_mm, project.items[i].y_mm) for i in new_positions}
        self._merge = merge_nudges

    def id(self) -> int:
        return self.NUDGE_ID if self._merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, MoveItemsCommand) or set(other._new) != set(self._new):
            return False
        self._new = dict(other._new)
        return True

    def redo(self) -> None:
        self._project.move_items(self._new)

    def undo(self) -> None:
        self._project.move_items(self._old)


class UpdateItemsCommand(QUndoCommand):
    """Replace items by new versions (rotation, label, overrides, pod membership)."""

    def __init__(self, project: Project, new_items: Sequence[PlacedItem], text: str) -> None:
        super().__init__(text)
        self._project = project
        self._new = tuple(new_items)
        self._old = tuple(project.items[item.id] for item in new_items)

    def redo(self) -> None:
        self._project.update_items(self._new)

    def undo(self) -> None:
        self._project.update_items(self._old)


class AddConnectionsCommand(QUndoCommand):
    def __init__(self, project: Project, connections: Sequence[Connection], text: str | None = None) -> None:
        super().__init__(text or f"Connect {_plural(len(connections), 'link')}")
        self._project = project
        self._connections = tuple(connections)

    def redo(self) -> None:
        self._project.add_connections(self._connections)

    def undo(self) -> None:
        self._project.remove_connections([c.id for c in self._connections])


class RemoveConnectionsCommand(QUndoCommand):
    def __init__(self, project: Project, connection_ids: Iterable[str], text: str | None = None) -> None:
        ids = list(dict.fromkeys(connection_ids))
        super().__init__(text or f"Disconnect {_plural(len(ids), 'link')}")
        self._project = project
        self._ids = ids
        self._removed: tuple[Connection, ...] = ()

    def redo(self) -> None:
        self._removed = self._project.remove_connections(self._ids)

    def undo(self) -> None:
        self._project.add_connections(self._removed)


class UngroupPodCommand(QUndoCommand):
    """Dissolve a pod: its items stay where they are but no longer move as one."""

    def __init__(self, project: Project, pod_id: str, text: str | None = None) -> None:
        pod = project.pods[pod_id]
        super().__init__(text or f"Ungroup {pod.label or pod.id}")
        self._project = project
        self._pod = pod
        self._old_items = tuple(project.items_in_pod(pod_id))

    def redo(self) -> None:
        self._project.update_items([replace(item, pod_id=None) for item in self._old_items])
        self._project.remove_pod(self._pod.id)

    def undo(self) -> None:
        self._project.add_pod(self._pod)
        self._project.update_items(self._old_items)


class UpdatePodsCommand(QUndoCommand):
    """Replace pod records by new versions (their in-service and retirement years)."""

    def __init__(self, project: Project, new_pods: Sequence[PodInstance], text: str) -> None:
        super().__init__(text)
        self._project = project
        self._new = tuple(new_pods)
        self._old = tuple(project.pods[pod.id] for pod in new_pods)

    def redo(self) -> None:
        for pod in self._new:
            self._project.update_pod(pod)

    def undo(self) -> None:
        for pod in self._old:
            self._project.update_pod(pod)
