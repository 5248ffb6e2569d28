"""Change events the project emits so views can follow; plain callbacks, no Qt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


class ChangeAction(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    MOVED = "moved"
    CHANGED = "changed"


class Collection(StrEnum):
    ITEMS = "items"
    CONNECTIONS = "connections"
    HALLS = "halls"
    PODS = "pods"
    SCENARIOS = "scenarios"
    SITE = "site"
    METADATA = "metadata"
    SETTINGS = "settings"
    CATALOG = "catalog"


@dataclass(frozen=True, slots=True)
class ChangeEvent:
    """``action`` happened to the records ``ids`` of ``collection`` (ids empty for singletons)."""

    action: ChangeAction
    collection: Collection
    ids: tuple[str, ...] = ()
    removed: tuple[object, ...] = field(default=(), compare=False, repr=False)
    """The records taken out, for a removal of connections: a year view (``designer.model.year_view``)
    tells from their ends which were its own, once the project no longer holds them."""


Listener = Callable[[ChangeEvent], None]


class EventEmitter:
    """Keeps listeners and calls each one per event, in the order they subscribed."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def emit(self, event: ChangeEvent) -> None:
        for listener in list(self._listeners):
            listener(event)
