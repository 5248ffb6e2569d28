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
The id -> slot maps are built only when an edit needs them (``ensure_slots``): a file just opened, or
a snapshot, reads its columns without ever paying for the half-million-entry map of its connections.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Sequence
from copy import copy
from operator import attrgetter

from designer.model.records import Connection, PlacedItem
from designer.model.types import ConnectionKind, CoolingMedium, FeedSide, WorkloadClass

KINDS: tuple[ConnectionKind, ...] = tuple(ConnectionKind)
"""Kind codes of ``connection_kind``: ``KINDS[code]``."""
FEEDS: tuple[FeedSide, ...] = tuple(FeedSide)
"""Feed codes of ``connection_feed``."""
MEDIA: tuple[CoolingMedium, ...] = tuple(CoolingMedium)
"""Medium codes of ``connection_medium``."""
WORKLOADS: tuple[WorkloadClass, ...] = tuple(WorkloadClass)
"""Workload codes of ``item_workload`` (-1: none)."""
_WORKLOAD_CODE = {w.value: i for i, w in enumerate(WORKLOADS)}
# keyed by the members' values: enum members hash in Python, strings in C
_KIND_CODE = {k.value: i for i, k in enumerate(KINDS)}
_FEED_CODE = {f.value: i for i, f in enumerate(FEEDS)}
_MEDIUM_CODE = {m.value: i for i, m in enumerate(MEDIA)}
_ITEM_COLUMNS = ("item_alive", "item_catalog", "item_design_kw", "item_liquid_fraction", "item_weight_kg",
                 "item_workload", "item_hall", "item_pod")
_INTERNED = ("catalog_ids", "_catalog_code", "hall_ids", "_hall_code", "pod_ids", "_pod_code")
_CONNECTION_COLUMNS = ("connection_alive", "connection_source", "connection_target", "connection_kind",
                       "connection_feed", "connection_medium")

MIN_COMPACT = 1024
"""Dead slots are squeezed out only past this many (and once they outnumber the live ones)."""


class ProjectColumns:
    """Items and connections as columns (see the module docstring). Mutated only by ``Project``."""

    def __init__(self) -> None:
        self.item_alive = array("b")
        """1 for a live item's slot, 0 for a removed one's."""
        self.item_catalog = array("q")
        """Code of each item's catalog id in ``catalog_ids``."""
        self.item_design_kw = array("d")
        """The item's ``design_kw`` override; nan where it has none."""
        self.item_liquid_fraction = array("d")
        """The item's ``liquid_fraction`` override; nan where it has none."""
        self.item_weight_kg = array("d")
        """The item's ``weight_kg`` override; nan where it has none."""
        self.item_workload = array("b")
        """Index of the item's ``workload`` override into ``WORKLOADS``; -1 where it has none."""
        self.item_hall = array("q")
        """Code of each item's hall id in ``hall_ids``."""
        self.item_pod = array("q")
        """Code of each item's pod id in ``pod_ids``; -1 where it has none."""
        self.catalog_ids: list[str] = []
        self._catalog_code: dict[str, int] = {}
        self.hall_ids: list[str] = []
        self._hall_code: dict[str, int] = {}
        self.pod_ids: list[str] = []
        self._pod_code: dict[str, int] = {}
        self.item_slot: dict[str, int] | None = {}
        """Live item id -> slot; None until an edit needs it (``ensure_slots``)."""
        self.dead_items = 0
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
        self.connection_slot: dict[str, int] | None = {}
        """Live connection id -> slot; None until an edit needs it."""
        self.dead_connections = 0

    @classmethod
    def of(cls, items: Sequence[PlacedItem], connections: Sequence[Connection]) -> ProjectColumns:
        """Columns of these records, in this order (every connection's ends among ``items``)."""
        columns = cls()
        columns.add_items(items)
        columns.connection_slot = None  # built if an edit ever needs it
        columns.add_connections(connections)
        return columns

    def shared(self) -> ProjectColumns:
        """Another holder of the same columns (for a snapshot): neither may change them until it has
        taken its own copy (``own_columns``). The id maps stay with this one."""
        twin = ProjectColumns()
        for name in (*_ITEM_COLUMNS, *_CONNECTION_COLUMNS):
            setattr(twin, name, getattr(self, name))
        for name in _INTERNED:
            setattr(twin, name, getattr(self, name))
        twin.item_slot = twin.connection_slot = None
        twin.dead_items, twin.dead_connections = self.dead_items, self.dead_connections
        return twin

    def own_columns(self) -> None:
        """Copy the columns another holder shares, so they can change here."""
        for name in (*_ITEM_COLUMNS, *_CONNECTION_COLUMNS):
            setattr(self, name, getattr(self, name)[:])
        for name in _INTERNED:
            setattr(self, name, copy(getattr(self, name)))

    def ensure_slots(self, item_ids: Iterable[str] | None, connection_ids: Iterable[str] | None) -> None:
        """Build the id -> slot maps asked for (by the live records' ids, in record order) if missing."""
        if self.item_slot is None and item_ids is not None:
            live = [slot for slot, alive in enumerate(self.item_alive) if alive]
            self.item_slot = dict(zip(item_ids, live, strict=True))
        if self.connection_slot is None and connection_ids is not None:
            live = [slot for slot, alive in enumerate(self.connection_alive) if alive]
            self.connection_slot = dict(zip(connection_ids, live, strict=True))

    def _item_slots(self) -> dict[str, int]:
        if self.item_slot is None:
            raise RuntimeError("the project's item columns are edited before their id map is built")
        return self.item_slot

    def _connection_slots(self) -> dict[str, int]:
        if self.connection_slot is None:
            raise RuntimeError("the project's connection columns are edited before their id map is built")
        return self.connection_slot

    # ----------------------------------------------------------------- items
    @staticmethod
    def _intern(names: list[str], codes: dict[str, int], known: list[str]) -> list[int]:
        """Code of each name in ``known`` (new names appended, in order of first use)."""
        for name in [n for n in dict.fromkeys(names) if n not in codes]:
            codes[name] = len(known)
            known.append(name)
        return [codes[name] for name in names]

    def _item_fields(self, items: Sequence[PlacedItem]) -> tuple[array[int], array[float], array[float],
                                                                  array[float], bytes, array[int], array[int]]:
        """Every column's values of ``items`` (but ``item_alive``)."""
        nan = math.nan
        pods = [item.pod_id for item in items]
        pod_codes = self._intern([p for p in pods if p is not None], self._pod_code, self.pod_ids)
        pod_code = iter(pod_codes)
        return (
            array("q", self._intern([i.catalog_id for i in items], self._catalog_code, self.catalog_ids)),
            array("d", [nan if (v := i.design_kw) is None else v for i in items]),
            array("d", [nan if (v := i.liquid_fraction) is None else v for i in items]),
            array("d", [nan if (v := i.weight_kg) is None else v for i in items]),
            bytes([255 if (w := i.workload) is None else _WORKLOAD_CODE[w._value_] for i in items]),
            array("q", self._intern([i.hall_id for i in items], self._hall_code, self.hall_ids)),
            array("q", [-1 if p is None else next(pod_code) for p in pods]),
        )

    def add_items(self, items: Sequence[PlacedItem]) -> None:
        start = len(self.item_alive)
        if self.item_slot is not None:  # else built when an edit needs it
            self.item_slot.update(zip(map(attrgetter("id"), items), range(start, start + len(items)), strict=True))
        self.item_alive.frombytes(b"\x01" * len(items))
        catalog, design, liquid, weight, workload, hall, pod = self._item_fields(items)
        self.item_catalog.extend(catalog)
        self.item_design_kw.extend(design)
        self.item_liquid_fraction.extend(liquid)
        self.item_weight_kg.extend(weight)
        self.item_workload.frombytes(workload)  # 255 reads -1 as a signed byte
        self.item_hall.extend(hall)
        self.item_pod.extend(pod)

    def update_items(self, items: Iterable[PlacedItem]) -> None:
        item_slot = self._item_slots()
        for item in items:
            slot = item_slot[item.id]
            catalog, design, liquid, weight, workload, hall, pod = self._item_fields([item])
            self.item_catalog[slot], self.item_design_kw[slot] = catalog[0], design[0]
            self.item_liquid_fraction[slot], self.item_weight_kg[slot] = liquid[0], weight[0]
            self.item_workload[slot] = array("b", workload)[0]
            self.item_hall[slot], self.item_pod[slot] = hall[0], pod[0]

    def remove_items(self, item_ids: Iterable[str]) -> None:
        """Mark the items dead (their connections must have been removed first)."""
        item_slot = self._item_slots()
        for item_id in item_ids:
            self.item_alive[item_slot.pop(item_id)] = 0
            self.dead_items += 1
        if self.dead_items > MIN_COMPACT and self.dead_items > len(item_slot):
            self._compact_items()

    # ----------------------------------------------------------------- connections
    def add_connections(self, connections: Sequence[Connection], sources: Sequence[str] | None = None,
                        targets: Sequence[str] | None = None) -> None:
        """Append connections (``sources``/``targets``: their ends' ids when the caller has them)."""
        start = len(self.connection_alive)
        n = len(connections)
        slot_of = self._item_slots()
        # list comprehensions into bytes / array constructors: the fastest pure-Python passes found
        # (``array.extend`` of an iterator took twice as long on the 452k connections of a 50k campus)
        self.connection_source.extend(array("q", [slot_of[end] for end in sources] if sources is not None else
                                            [slot_of[c.source_id] for c in connections]))
        self.connection_target.extend(array("q", [slot_of[end] for end in targets] if targets is not None else
                                            [slot_of[c.target_id] for c in connections]))
        self.connection_kind.frombytes(bytes([_KIND_CODE[c.kind._value_] for c in connections]))
        self.connection_feed.frombytes(bytes([_FEED_CODE[c.feed._value_] for c in connections]))
        self.connection_medium.frombytes(bytes([_MEDIUM_CODE[c.medium._value_] for c in connections]))
        self.connection_alive.frombytes(b"\x01" * n)
        if self.connection_slot is not None:
            self.connection_slot.update(zip(map(attrgetter("id"), connections), range(start, start + n),
                                            strict=True))

    def update_connections(self, connections: Iterable[Connection]) -> None:
        """Rewrite kind, feed and medium (a connection's ends never change)."""
        connection_slot = self._connection_slots()
        for connection in connections:
            slot = connection_slot[connection.id]
            self.connection_kind[slot] = _KIND_CODE[connection.kind.value]
            self.connection_feed[slot] = _FEED_CODE[connection.feed.value]
            self.connection_medium[slot] = _MEDIUM_CODE[connection.medium.value]

    def remove_connections(self, connection_ids: Iterable[str]) -> None:
        connection_slot = self._connection_slots()
        for connection_id in connection_ids:
            self.connection_alive[connection_slot.pop(connection_id)] = 0
            self.dead_connections += 1
        if self.dead_connections > MIN_COMPACT and self.dead_connections > len(connection_slot):
            self._compact_connections()

    def remove_at(self, item_positions: Iterable[int], connection_positions: Iterable[int]) -> None:
        """Mark dead the items and connections at these positions of the record order (a copy's
        columns, before its id maps are built: they are then built from its own records)."""
        if self.item_slot is not None or self.connection_slot is not None:
            raise RuntimeError("remove_at is for columns without id maps")
        for column, positions in ((self.item_alive, item_positions), (self.connection_alive, connection_positions)):
            live = [slot for slot, alive in enumerate(column) if alive]
            dead = 0
            for position in positions:
                column[live[position]] = 0
                dead += 1
            if column is self.item_alive:
                self.dead_items += dead
            else:
                self.dead_connections += dead

    # ----------------------------------------------------------------- compaction
    def _compact_items(self) -> None:
        """Squeeze out the dead item slots; the connections' ends are renumbered."""
        item_slot = self._item_slots()
        live = [slot for slot, alive in enumerate(self.item_alive) if alive]
        new_slot = [-1] * len(self.item_alive)  # dead connections may end at dead items: they read -1
        for new, old in enumerate(live):
            new_slot[old] = new
        self.item_slot = {item_id: new_slot[old] for item_id, old in item_slot.items()}
        for name in _ITEM_COLUMNS:
            column = getattr(self, name)
            setattr(self, name, array(column.typecode, map(column.__getitem__, live)))
        self.dead_items = 0
        self.connection_source = array("q", map(new_slot.__getitem__, self.connection_source))
        self.connection_target = array("q", map(new_slot.__getitem__, self.connection_target))

    def _compact_connections(self) -> None:
        connection_slot = self._connection_slots()
        live = [slot for slot, alive in enumerate(self.connection_alive) if alive]
        new_slot = dict(zip(live, range(len(live)), strict=True))
        self.connection_slot = {c: new_slot[s] for c, s in connection_slot.items()}
        for name in _CONNECTION_COLUMNS:
            column = getattr(self, name)
            setattr(self, name, array(column.typecode, map(column.__getitem__, live)))
        self.dead_connections = 0
