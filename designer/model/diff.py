"""What changed between two designs: items added, removed, moved, re-rated or otherwise changed, and
connections added, removed or changed. Items match by id; connections by (kind, supplier, consumer),
so two files that wire the same link under different connection ids agree."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from designer.model.project import Project
from designer.model.records import Connection, PlacedItem

MOVE_TOLERANCE_MM = 0.5
"""A position change at or under this is rounding, not a move."""
ROTATION_TOLERANCE_DEG = 0.01

POSITION_FIELDS = ("hall_id", "x_mm", "y_mm", "rotation_deg")
RATING_FIELDS = ("catalog_id", "design_kw", "workload", "liquid_fraction", "weight_kg")
"""What the item is and what it is rated for: a change here is a re-rating."""
OTHER_FIELDS = ("label", "pod_id", "group")

ConnectionKey = tuple[str, str, str, int]
"""(kind, source id, target id, ordinal): the ordinal tells apart two links between the same pair
(e.g. both cords of a consumer from one board), numbered in the order of their feed and medium."""


@dataclass(frozen=True, slots=True)
class ItemChange:
    """One item present in both designs whose record differs: the fields that changed, before and after."""

    item_id: str
    fields: tuple[str, ...]
    before: PlacedItem
    after: PlacedItem

    @property
    def moved(self) -> bool:
        return any(name in POSITION_FIELDS for name in self.fields)

    @property
    def rerated(self) -> bool:
        return any(name in RATING_FIELDS for name in self.fields)


@dataclass(frozen=True, slots=True)
class ConnectionChange:
    """The same link in both designs with a different cord (feed) or medium."""

    key: ConnectionKey
    before: Connection
    after: Connection


@dataclass(frozen=True, slots=True)
class LayoutDiff:
    """Design B against design A (A is the base)."""

    added: tuple[PlacedItem, ...]
    removed: tuple[PlacedItem, ...]
    changed: tuple[ItemChange, ...]
    connections_added: tuple[Connection, ...]
    connections_removed: tuple[Connection, ...]
    connections_changed: tuple[ConnectionChange, ...]

    @property
    def moved(self) -> tuple[ItemChange, ...]:
        return tuple(change for change in self.changed if change.moved)

    @property
    def rerated(self) -> tuple[ItemChange, ...]:
        return tuple(change for change in self.changed if change.rerated)

    @property
    def reconnected(self) -> tuple[str, ...]:
        """Items present in both designs whose connections differ (an end of an added, removed or
        changed connection), sorted."""
        both_ends: set[str] = set()
        for connection in (*self.connections_added, *self.connections_removed,
                           *(change.after for change in self.connections_changed)):
            both_ends.update((connection.source_id, connection.target_id))
        gone_or_new = {item.id for item in (*self.added, *self.removed)}
        return tuple(sorted(both_ends - gone_or_new))

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.connections_added
                    or self.connections_removed or self.connections_changed)

    def status_by_item(self) -> dict[str, str]:
        """One status per item id for colouring: added, removed, moved, changed (re-rated, re-connected
        or relabelled); a moved item that was also re-rated counts as moved."""
        status = {item.id: "added" for item in self.added}
        status.update({item.id: "removed" for item in self.removed})
        for item_id in self.reconnected:
            status[item_id] = "changed"
        for change in self.changed:
            status[change.item_id] = "moved" if change.moved else "changed"
        return status




def _changed_fields(before: PlacedItem, after: PlacedItem) -> tuple[str, ...]:
    names: list[str] = []
    for name in (*POSITION_FIELDS, *RATING_FIELDS, *OTHER_FIELDS):
        old, new = getattr(before, name), getattr(after, name)
        if name in ("x_mm", "y_mm"):
            if abs(float(old) - float(new)) > MOVE_TOLERANCE_MM:
                names.append(name)
        elif name == "rotation_deg":
            turn = (float(new) - float(old)) % 360.0
            if min(turn, 360.0 - turn) > ROTATION_TOLERANCE_DEG:
                names.append(name)
        elif isinstance(old, float) and isinstance(new, float):
            if not math.isclose(old, new, rel_tol=1e-9, abs_tol=1e-9):
                names.append(name)
        elif old != new:
            names.append(name)
    return tuple(names)


def _by_key(connections: Iterable[Connection]) -> dict[ConnectionKey, Connection]:
    ordered = sorted(connections, key=lambda c: (c.kind.value, c.source_id, c.target_id, c.feed.value,
                                                 c.medium.value, c.id))
    keyed: dict[ConnectionKey, Connection] = {}
    for connection in ordered:
        ordinal = 0
        while (connection.kind.value, connection.source_id, connection.target_id, ordinal) in keyed:
            ordinal += 1
        keyed[(connection.kind.value, connection.source_id, connection.target_id, ordinal)] = connection
    return keyed


def diff_projects(a: Project, b: Project) -> LayoutDiff:
    """What B adds, removes and changes against A, each list sorted by id (connections by key)."""
    items_a, items_b = a.items, b.items
    added = tuple(items_b[i] for i in sorted(items_b.keys() - items_a.keys()))
    removed = tuple(items_a[i] for i in sorted(items_a.keys() - items_b.keys()))
    changed = []
    for item_id in sorted(items_a.keys() & items_b.keys()):
        fields = _changed_fields(items_a[item_id], items_b[item_id])
        if fields:
            changed.append(ItemChange(item_id, fields, items_a[item_id], items_b[item_id]))
    links_a, links_b = _by_key(a.connections.values()), _by_key(b.connections.values())
    links_changed = tuple(
        ConnectionChange(key, links_a[key], links_b[key])
        for key in sorted(links_a.keys() & links_b.keys())
        if (links_a[key].feed, links_a[key].medium) != (links_b[key].feed, links_b[key].medium)
    )
    return LayoutDiff(
        added=added,
        removed=removed,
        changed=tuple(changed),
        connections_added=tuple(links_b[k] for k in sorted(links_b.keys() - links_a.keys())),
        connections_removed=tuple(links_a[k] for k in sorted(links_a.keys() - links_b.keys())),
        connections_changed=links_changed,
    )
