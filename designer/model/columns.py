"""The items' and connections' fields the analysis reads, as flat columns kept in step with each edit.

A design's graph is rebuilt after every connection edit; reading half a million connection records
field by field took most of that rebuild at 50,000 racks. ``ProjectColumns`` holds the same fields as
stdlib ``array`` columns (numpy reads them without a per-record pass), one slot per record, in the
order the records were added. Slots are never reused: a removed record's slot is marked dead, so
the live slots, in slot order, follow the project's own record order (dict insertion order), which
is the order the analysis numbers items and connections in. Dead slots are squeezed out once they
outnumber the live ones.

Ids are interned to integers: a connection's ends are item slots, an item's catalog id is a code into
``catalog_ids``. The project owns one instance and updates it in its edit methods (``Project.columns``).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Sequence
from operator import attrgetter

from designer.model.records import Connection, PlacedItem
from designer.model.types import ConnectionKind, CoolingMedium, FeedSide

KINDS: tuple[ConnectionKind, ...] = tuple(ConnectionKind)
"""Kind codes of ``connection_kind``: ``KINDS[code]``."""
FEEDS: tuple[FeedSide, ...] = tuple(FeedSide)
"""Feed codes of ``connection_feed``."""
MEDIA: tuple[CoolingMedium, ...] = tuple(CoolingMedium)
"""Medium codes of ``connection_medium``."""
_KIND_CODE = {k.value: i for i, k in enumerate(KINDS)}
_FEED_CODE = {f.value: i for i, f in enumerate(FEEDS)}
_MEDIUM_CODE = {m.value: i for i, m in enumerate(MEDIA)}
# enum members hash in Python; their ``_value_`` strings hash in C
_KIND_VALUE, _FEED_VALUE, _MEDIUM_VALUE = attrgetter("kind._value_"), attrgetter("feed._value_"), \
    attrgetter("medium._value_")

MIN_COMPACT = 1024
"""Dead slots are squeezed out only past this many (and once they outnumber the live ones)."""


def _nan_if_none(value: float | None) -> float:
    return math.nan if value is None else value


class ProjectColumns:
    """Items and connections as columns (see the module docstring). Mutated only by ``Project``."""

    def __init__(self) -> None:
        # items
        self.item_slot: dict[str, int] = {}
        self.item_ids: list[str | None] = []
        """Id of each item slot; None where the item was removed."""
        self.item_alive = array("b")
        self.item_catalog = array("q")
        """Code of each item's catalog id in ``catalog_ids``."""
        self.item_design_kw = array("d")
        """The item's ``design_kw`` override; nan where it has none."""
        self.item_liquid_fraction = array("d")
        """The item's ``liquid_fraction`` override; nan where it has none."""
        self.catalog_ids: list[str] = []
        self._catalog_code: dict[str, int] = {}
        self.dead_items = 0
        # connections
        self.connection_slot: dict[str, int] = {}
        self.connection_alive = array("b")
        self.connection_source = array("q")
        """Item slot of each connection's source."""
        self.connection_target = array("q")
        self.connection_kind = array("b")
        """Index into ``KINDS``."""
        self.connection_feed = array("b")
        """Index into ``FEEDS``."""
        self.connection_medium = array("b")
        """Index into ``MEDIA``."""
        self.dead_connections = 0

    @classmethod
    def of(cls, items: Iterable[PlacedItem], connections: Iterable[Connection]) -> ProjectColumns:
        """Columns of these records, in this order (every connection's ends among ``items``)."""
        columns = cls()
        columns.add_items(list(items))
        columns.add_connections(list(connections))
        return columns

    def copy(self) -> ProjectColumns:
        copy = ProjectColumns()
        for name, value in vars(self).items():
            setattr(copy, name, value[:] if isinstance(value, array | list) else
                    dict(value) if isinstance(value, dict) else value)
        return copy

    # ----------------------------------------------------------------- items
    def _catalog_codes(self, catalog_ids: Iterable[str]) -> list[int]:
        codes = self._catalog_code
        known = self.catalog_ids
        result = []
        for catalog_id in catalog_ids:
            code = codes.get(catalog_id)
            if code is None:
                code = codes[catalog_id] = len(known)
                known.append(catalog_id)
            result.append(code)
        return result

    def add_items(self, items: Sequence[PlacedItem]) -> None:
        start = len(self.item_ids)
        ids = list(map(attrgetter("id"), items))
        self.item_ids.extend(ids)
        self.item_slot.update(zip(ids, range(start, start + len(ids)), strict=True))
        self.item_alive.frombytes(b"\x01" * len(ids))
        self.item_catalog.extend(self._catalog_codes(map(attrgetter("catalog_id"), items)))
        self.item_design_kw.extend(map(_nan_if_none, map(attrgetter("design_kw"), items)))
        self.item_liquid_fraction.extend(map(_nan_if_none, map(attrgetter("liquid_fraction"), items)))

    def update_items(self, items: Iterable[PlacedItem]) -> None:
        slots = self.item_slot
        for item in items:
            slot = slots[item.id]
            self.item_catalog[slot] = self._catalog_codes((item.catalog_id,))[0]
            self.item_design_kw[slot] = _nan_if_none(item.design_kw)
            self.item_liquid_fraction[slot] = _nan_if_none(item.liquid_fraction)

    def remove_items(self, item_ids: Iterable[str]) -> None:
        """Mark the items dead (their connections must have been removed first)."""
        for item_id in item_ids:
            slot = self.item_slot.pop(item_id)
            self.item_alive[slot] = 0
            self.item_ids[slot] = None
            self.dead_items += 1
        if self.dead_items > MIN_COMPACT and self.dead_items > len(self.item_slot):
            self._compact_items()

    # ----------------------------------------------------------------- connections
    def add_connections(self, connections: Sequence[Connection], sources: Sequence[str] | None = None,
                        targets: Sequence[str] | None = None) -> None:
        """Append connections (``sources``/``targets``: their ends' ids when the caller has them)."""
        start = len(self.connection_alive)
        n = len(connections)
        slot_of = self.item_slot.__getitem__
        self.connection_source.extend(map(slot_of, sources if sources is not None else
                                          map(attrgetter("source_id"), connections)))
        self.connection_target.extend(map(slot_of, targets if targets is not None else
                                          map(attrgetter("target_id"), connections)))
        self.connection_kind.extend(map(_KIND_CODE.__getitem__, map(_KIND_VALUE, connections)))
        self.connection_feed.extend(map(_FEED_CODE.__getitem__, map(_FEED_VALUE, connections)))
        self.connection_medium.extend(map(_MEDIUM_CODE.__getitem__, map(_MEDIUM_VALUE, connections)))
        self.connection_alive.frombytes(b"\x01" * n)
        self.connection_slot.update(zip(map(attrgetter("id"), connections), range(start, start + n), strict=True))

    def update_connections(self, connections: Iterable[Connection]) -> None:
        """Rewrite kind, feed and medium (a connection's ends never change)."""
        slots = self.connection_slot
        for connection in connections:
            slot = slots[connection.id]
            self.connection_kind[slot] = _KIND_CODE[connection.kind.value]
            self.connection_feed[slot] = _FEED_CODE[connection.feed.value]
            self.connection_medium[slot] = _MEDIUM_CODE[connection.medium.value]

    def remove_connections(self, connection_ids: Iterable[str]) -> None:
        for connection_id in connection_ids:
            self.connection_alive[self.connection_slot.pop(connection_id)] = 0
            self.dead_connections += 1
        if self.dead_connections > MIN_COMPACT and self.dead_connections > len(self.connection_slot):
            self._compact_connections()

    # ----------------------------------------------------------------- compaction
    def _compact_items(self) -> None:
        """Squeeze out the dead item slots; the connections' ends are renumbered."""
        live = [slot for slot, alive in enumerate(self.item_alive) if alive]
        new_slot = [-1] * len(self.item_alive)
        for new, old in enumerate(live):
            new_slot[old] = new
        self.item_ids = [self.item_ids[s] for s in live]
        self.item_slot = {item_id: new for new, item_id in enumerate(self.item_ids) if item_id is not None}
        self.item_alive = array("b", b"\x01" * len(live))
        for name in ("item_catalog", "item_design_kw", "item_liquid_fraction"):
            column = getattr(self, name)
            setattr(self, name, array(column.typecode, map(column.__getitem__, live)))
        self.dead_items = 0
        # dead connections may point at dead items: they read -1, never looked at
        self.connection_source = array("q", map(new_slot.__getitem__, self.connection_source))
        self.connection_target = array("q", map(new_slot.__getitem__, self.connection_target))

    def _compact_connections(self) -> None:
        live = [slot for slot, alive in enumerate(self.connection_alive) if alive]
        new_slot = dict(zip(live, range(len(live)), strict=True))
        self.connection_slot = {c: new_slot[s] for c, s in self.connection_slot.items()}
        for name in ("connection_source", "connection_target", "connection_kind", "connection_feed",
                     "connection_medium"):
            column = getattr(self, name)
            setattr(self, name, array(column.typecode, map(column.__getitem__, live)))
        self.connection_alive = array("b", b"\x01" * len(live))
        self.dead_connections = 0
