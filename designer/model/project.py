"""The project: one data-center design, edited only through its methods, which emit change events."""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from operator import attrgetter, eq

import numpy as np

from designer.model.catalog import CatalogEntry
from designer.model.columns import ProjectColumns
from designer.model.events import ChangeAction, ChangeEvent, Collection, EventEmitter
from designer.model.phasing import years_problem
from designer.model.records import (
    Connection,
    DesignSettings,
    Hall,
    Metadata,
    PlacedItem,
    PodInstance,
    Scenario,
    Site,
)

LAZY_INDEX_BATCH = 10_000
"""``add_connections`` of more connections than this drops the by-item index instead of updating it:
it is rebuilt from all connections when first needed (opening a 50,000-rack campus saves 0.3 s)."""


class ModelError(ValueError):
    """An edit that would break the project's integrity (duplicate id, missing reference, ...)."""


@dataclass(frozen=True, slots=True)
class RemovedItems:
    """What ``remove_items`` took out, so an undo can put it all back."""

    items: tuple[PlacedItem, ...]
    connections: tuple[Connection, ...]


def _held_elsewhere(records: Mapping[str, object]) -> bool:
    """Whether anything but the project's own attribute holds ``records`` (a snapshot, a year view, a
    reader's local name): then an edit must copy it first. Once every snapshot that shared it is gone
    the project is its one holder, and edits it in place: the first connection edit after the idle
    pass's snapshot was let go copied 452,500 entries at 50k racks (~16 ms) for no one. No other thread
    can take a new reference to it meanwhile: only the project hands it out, on its own thread."""
    return sys.getrefcount(records) > 3  # the attribute, the argument, and getrefcount's own argument


class Project:
    """A data-center design. Records are immutable; every change goes through a method here."""

    def __init__(
        self,
        *,
        metadata: Metadata | None = None,
        site: Site | None = None,
        settings: DesignSettings | None = None,
    ) -> None:
        self.events = EventEmitter()
        self._metadata = metadata or Metadata()
        self._site = site or Site()
        self._settings = settings or DesignSettings()
        self._halls: dict[str, Hall] = {}
        self._items: dict[str, PlacedItem] = {}
        self._connections: dict[str, Connection] = {}
        self._pods: dict[str, PodInstance] = {}
        self._scenarios: dict[str, Scenario] = {}
        self._custom_catalog: dict[str, CatalogEntry] = {}
        self._by_item: dict[str, set[str]] | None = {}
        """Connection ids by item id; None until first needed in a snapshot (built from the connections)."""
        self._id_counter: dict[str, int] = {}
        self._columns: ProjectColumns | None = ProjectColumns()
        """The items' and connections' analysed fields as columns; None until first needed (a copy,
        or a file just opened: built from the records then, and kept in step with every edit after)."""
        self._columns_shared = False
        """True while ``_columns`` is also a snapshot's: the next edit copies it before changing it."""
        self._items_shared = False
        """True while ``_items`` is also a snapshot's: the next edit copies it before changing it."""
        self._connections_shared = False
        """True while ``_connections`` is also a snapshot's: the next edit copies it before changing it."""

    # ----------------------------------------------------------------- read access
    @property
    def columns(self) -> ProjectColumns:
        """The items' and connections' fields the analysis reads, as columns in record order (read only)."""
        columns = self._columns
        if columns is None:
            columns = self._columns = ProjectColumns.of(list(self._items.values()), list(self._connections.values()))
            self._columns_shared = False
        return columns

    def columns_without(self, absent: AbstractSet[str]) -> ProjectColumns:
        """These columns with the items ``absent`` and the connections touching them marked dead: the arrays
        shared (copied by the side that edits first, as a snapshot's), the marks of its own (a year view's,
        ``designer.model.year_view``: at 50k racks a year's copy of the columns and their id maps held 8-17 MB).
        ``absent`` must be ids of this project's items."""
        columns = self.columns.shared()
        self._columns_shared = True
        alive = np.frombuffer(columns.item_alive, dtype=np.int8)
        standing = ~np.fromiter(map(absent.__contains__, self._items), dtype=bool, count=len(self._items))
        mine = np.zeros(alive.size, dtype=bool)
        mine[np.flatnonzero(alive)[standing]] = True
        linked = np.frombuffer(columns.connection_alive, dtype=np.int8).astype(bool)
        # a dead connection may end at slot -1: its mark is False whatever it reads there
        linked &= mine[np.frombuffer(columns.connection_source, dtype=np.int64)]
        linked &= mine[np.frombuffer(columns.connection_target, dtype=np.int64)]
        columns.item_alive = array("b", mine.astype(np.int8).tobytes())
        columns.connection_alive = array("b", linked.astype(np.int8).tobytes())
        columns.dead_items = alive.size - int(np.count_nonzero(standing))
        columns.dead_connections = linked.size - int(np.count_nonzero(linked))
        return columns

    def _columns_to_edit(self, *, item_map: bool = False, connection_map: bool = False) -> ProjectColumns | None:
        """The columns, ready to follow an edit of the records (call it before changing them): copied
        first if a snapshot shares them, the id maps the edit needs built; None while they are not built."""
        columns = self._columns
        if columns is not None:
            if self._columns_shared:
                columns.own_columns()
                self._columns_shared = False
            columns.ensure_slots(self._items if item_map else None, self._connections if connection_map else None)
        return columns

    # The record dicts are shared with snapshots as the columns are: a snapshot is read on a worker thread
    # while this project is edited on the GUI thread, so neither side may write a dict the other holds.
    # The side that edits first copies it here, on its own thread, before its first write; the shared dict
    # is never written again by anyone (every holder has its flag set), so a worker's reads never race.
    def _items_to_edit(self) -> dict[str, PlacedItem]:
        """The items' dict, ready to change (call it just before writing): copied first if a snapshot shares it."""
        if self._items_shared:
            if _held_elsewhere(self._items):
                self._items = dict(self._items)
            self._items_shared = False
        return self._items

    def _connections_to_edit(self) -> dict[str, Connection]:
        """The connections' dict, ready to change (call it just before writing): copied first if a snapshot
        shares it."""
        if self._connections_shared:
            if _held_elsewhere(self._connections):
                self._connections = dict(self._connections)
            self._connections_shared = False
        return self._connections

    @property
    def _connections_by_item(self) -> dict[str, set[str]]:
        index = self._by_item
        if index is None:
            index = {}
            for connection in self._connections.values():
                index.setdefault(connection.source_id, set()).add(connection.id)
                index.setdefault(connection.target_id, set()).add(connection.id)
            self._by_item = index
        return index

    @property
    def metadata(self) -> Metadata:
        return self._metadata

    @property
    def site(self) -> Site:
        return self._site

    @property
    def settings(self) -> DesignSettings:
        return self._settings

    @property
    def halls(self) -> Mapping[str, Hall]:
        return self._halls

    @property
    def items(self) -> Mapping[str, PlacedItem]:
        return self._items

    @property
    def connections(self) -> Mapping[str, Connection]:
        return self._connections

    def kept_connections(self) -> Mapping[str, Connection]:
        """The connections' dict for a reader that keeps it after the call (``build_topology``): shared as
        a snapshot's is, so the next edit copies it first if the reader still holds it (else edits it in
        place, ``_held_elsewhere``), and the reader goes on reading the connections as they were."""
        self._connections_shared = True
        return self._connections

    @property
    def pods(self) -> Mapping[str, PodInstance]:
        return self._pods

    @property
    def scenarios(self) -> Mapping[str, Scenario]:
        return self._scenarios

    @property
    def custom_catalog(self) -> Mapping[str, CatalogEntry]:
        """Catalog entries carried inside the project file, so it opens on any machine."""
        return self._custom_catalog

    @property
    def active_scenario(self) -> Scenario | None:
        scenario = self._scenarios.get(self._settings.active_scenario_id)
        if scenario is None and self._scenarios:
            return next(iter(self._scenarios.values()))
        return scenario

    def connections_of(self, item_id: str) -> list[Connection]:
        """Every connection that starts or ends at ``item_id``."""
        return [self._connections[c] for c in sorted(self._connections_by_item.get(item_id, ()))]

    def items_in_pod(self, pod_id: str) -> list[PlacedItem]:
        return [item for item in self._items.values() if item.pod_id == pod_id]

    def new_id(self, prefix: str) -> str:
        """An id of the form ``prefix-N`` not used by any record of the project."""
        n = self._id_counter.get(prefix, 0) + 1
        while self._id_taken(f"{prefix}-{n}"):
            n += 1
        self._id_counter[prefix] = n
        return f"{prefix}-{n}"

    def _id_taken(self, record_id: str) -> bool:
        return any(
            record_id in records
            for records in (self._items, self._connections, self._halls, self._pods, self._scenarios)
        )

    # ----------------------------------------------------------------- singletons
    def set_metadata(self, metadata: Metadata) -> None:
        if metadata != self._metadata:
            self._metadata = metadata
            self._emit(ChangeAction.CHANGED, Collection.METADATA)

    def set_site(self, site: Site) -> None:
        if site != self._site:
            self._site = site
            self._emit(ChangeAction.CHANGED, Collection.SITE)

    def set_settings(self, settings: DesignSettings) -> None:
        if settings != self._settings:
            self._settings = settings
            self._emit(ChangeAction.CHANGED, Collection.SETTINGS)

    # ----------------------------------------------------------------- halls
    def add_hall(self, hall: Hall) -> None:
        self._require_new_ids([hall.id])
        if len(hall.outline_mm) < 3:
            raise ModelError(f"hall {hall.id!r}: its outline needs at least 3 points")
        self._halls[hall.id] = hall
        self._emit(ChangeAction.ADDED, Collection.HALLS, (hall.id,))

    def update_hall(self, hall: Hall) -> None:
        self._require_existing(self._halls, [hall.id], "hall")
        if self._halls[hall.id] != hall:
            self._halls[hall.id] = hall
            self._emit(ChangeAction.CHANGED, Collection.HALLS, (hall.id,))

    def place_hall_on_site(self, hall_id: str, x_mm: float | None, y_mm: float | None,
                           rotation_deg: float = 0.0) -> None:
        """Put a hall's origin at (x_mm, y_mm) of the site plan, turned clockwise by ``rotation_deg``
        (None, None: laid out automatically). Emits MOVED: nothing the analysis reads changes."""
        self._require_existing(self._halls, [hall_id], "hall")
        if (x_mm is None) != (y_mm is None):
            raise ModelError(f"hall {hall_id!r}: a site position needs both x and y")
        hall = self._halls[hall_id]
        moved = replace(hall, site_x_mm=None if x_mm is None else float(x_mm),
                        site_y_mm=None if y_mm is None else float(y_mm), site_rotation_deg=float(rotation_deg) % 360.0)
        if moved != hall:
            self._halls[hall_id] = moved
            self._emit(ChangeAction.MOVED, Collection.HALLS, (hall_id,))

    def remove_hall(self, hall_id: str) -> Hall:
        self._require_existing(self._halls, [hall_id], "hall")
        if any(item.hall_id == hall_id for item in self._items.values()):
            raise ModelError(f"hall {hall_id!r} still holds items; remove them first")
        hall = self._halls.pop(hall_id)
        self._emit(ChangeAction.REMOVED, Collection.HALLS, (hall_id,))
        return hall

    # ----------------------------------------------------------------- items
    def add_items(self, items: Iterable[PlacedItem]) -> None:
        """Add items; all or nothing."""
        new = list(items)
        ids = list(map(attrgetter("id"), new))
        added = dict(zip(ids, new, strict=True))  # as in ``add_connections``: the distinct ids and the map to add
        self._require_new_ids(ids, added.keys())
        # halls and pods known and no years, checked on whole columns (C loops); else item by item, in
        # order, to say which item (a file of 83,000 items: a fifth of the time of the loop)
        pod_ids = set(map(attrgetter("pod_id"), new))
        pod_ids.discard(None)
        if not (self._halls.keys() >= set(map(attrgetter("hall_id"), new)) and self._pods.keys() >= pod_ids
                and list(map(attrgetter("in_service_year"), new)).count(None) == len(new)
                and list(map(attrgetter("retirement_year"), new)).count(None) == len(new)):
            self._check_item_references(new)
        if len(new) > LAZY_INDEX_BATCH:
            self._columns = None  # a whole design (a file being opened): built when first needed
        columns = self._columns_to_edit() if new else None
        if new:
            self._items_to_edit().update(added)
        if columns is not None:
            columns.add_items(new)
        if new:
            self._emit(ChangeAction.ADDED, Collection.ITEMS, tuple(ids))

    def _check_item_references(self, items: Iterable[PlacedItem]) -> None:
        """Each item's hall and pod known and its service years in order; the first bad item is named."""
        for item in items:
            if item.hall_id not in self._halls:
                raise ModelError(f"item {item.id!r}: unknown hall {item.hall_id!r}")
            if item.pod_id is not None and item.pod_id not in self._pods:
                raise ModelError(f"item {item.id!r}: unknown pod {item.pod_id!r}")
            if item.in_service_year is not None or item.retirement_year is not None:
                _check_years(f"item {item.id!r}", item.in_service_year, item.retirement_year)

    def remove_items(self, item_ids: Iterable[str]) -> RemovedItems:
        """Remove items and every connection attached to them."""
        ids = list(dict.fromkeys(item_ids))
        self._require_existing(self._items, ids, "item")
        attached = sorted({c for item_id in ids for c in self._connections_by_item.get(item_id, ())})
        removed_connections = self.remove_connections(attached)
        columns = self._columns_to_edit(item_map=True) if ids else None
        records = self._items_to_edit() if ids else self._items
        removed = tuple(records.pop(item_id) for item_id in ids)
        if columns is not None:
            columns.remove_items(ids)
        if removed:
            self._emit(ChangeAction.REMOVED, Collection.ITEMS, tuple(ids))
        return RemovedItems(removed, removed_connections)

    def move_items(self, positions_mm: Mapping[str, tuple[float, float]]) -> None:
        """Move items to new centre positions in one event."""
        self._require_existing(self._items, list(positions_mm), "item")
        items = self._items
        moved: dict[str, PlacedItem] = {}
        for item_id, (x_mm, y_mm) in positions_mm.items():
            item = items[item_id]
            if (item.x_mm, item.y_mm) != (x_mm, y_mm):
                moved[item_id] = replace(item, x_mm=float(x_mm), y_mm=float(y_mm))
        del items  # not a holder of the dict when it is asked for to edit (``_held_elsewhere``)
        if moved:  # written once all are read: a move that changes nothing copies no shared dict
            self._items_to_edit().update(moved)
            self._emit(ChangeAction.MOVED, Collection.ITEMS, tuple(moved))

    def update_items(self, items: Iterable[PlacedItem]) -> None:
        """Replace items by new versions with the same ids (rotation, label, overrides, ...)."""
        new = list(items)
        self._require_existing(self._items, [item.id for item in new], "item")
        self._check_item_references(new)
        changed = [item for item in new if self._items[item.id] != item]
        columns = self._columns_to_edit(item_map=True) if changed else None
        records = self._items_to_edit() if changed else self._items
        for item in changed:
            records[item.id] = item
        if columns is not None:
            columns.update_items(changed)
        if changed:
            self._emit(ChangeAction.CHANGED, Collection.ITEMS, tuple(item.id for item in changed))

    # ----------------------------------------------------------------- connections
    def add_connections(self, connections: Iterable[Connection]) -> None:
        new = list(connections)
        ids = list(map(attrgetter("id"), new))
        # the map to add, built once: it gives the distinct ids to the check (no set of its own) and is
        # then copied into the project's map whole (hashes kept), not pair by pair
        added = dict(zip(ids, new, strict=True))
        self._require_new_ids(ids, added.keys())
        sources, targets = list(map(attrgetter("source_id"), new)), list(map(attrgetter("target_id"), new))
        items = self._items.keys()
        # ``operator.eq``: called without an argument tuple per pair (``str.__eq__`` is; 2.5x slower)
        if not (items >= set(sources) and items >= set(targets)) or any(map(eq, sources, targets)):
            for connection in new:  # say which connection, in order
                for end in (connection.source_id, connection.target_id):
                    if end not in self._items:
                        raise ModelError(f"connection {connection.id!r}: unknown item {end!r}")
                if connection.source_id == connection.target_id:
                    raise ModelError(f"connection {connection.id!r} connects {connection.source_id!r} to itself")
        if len(new) > LAZY_INDEX_BATCH:
            self._columns = None  # a whole design's connections (a file being opened): built when needed
        columns = self._columns_to_edit(item_map=True) if new else None
        if new:
            self._connections_to_edit().update(added)
        del added
        if len(new) > LAZY_INDEX_BATCH:
            self._by_item = None
        if columns is not None:
            columns.add_connections(new, sources, targets)
        index = self._by_item
        for ends in (sources, targets):
            if index is None:
                break
            for connection_id, end in zip(ids, ends, strict=True):
                attached = index.get(end)
                if attached is None:
                    index[end] = {connection_id}
                else:
                    attached.add(connection_id)
        if new:
            self._emit(ChangeAction.ADDED, Collection.CONNECTIONS, tuple(ids))

    def remove_connections(self, connection_ids: Iterable[str]) -> tuple[Connection, ...]:
        ids = list(dict.fromkeys(connection_ids))
        self._require_existing(self._connections, ids, "connection")
        columns = self._columns_to_edit(connection_map=True) if ids else None
        records = self._connections_to_edit() if ids else self._connections
        removed = tuple(records.pop(c) for c in ids)
        if columns is not None:
            columns.remove_connections(ids)
        for connection in removed:
            for end in (connection.source_id, connection.target_id):
                attached = self._connections_by_item.get(end)
                if attached is not None:
                    attached.discard(connection.id)
                    if not attached:
                        del self._connections_by_item[end]
        if removed:
            self.events.emit(ChangeEvent(ChangeAction.REMOVED, Collection.CONNECTIONS, tuple(ids), removed))
        return removed

    def update_connections(self, connections: Iterable[Connection]) -> None:
        new = list(connections)
        self._require_existing(self._connections, [c.id for c in new], "connection")
        for connection in new:
            old = self._connections[connection.id]
            if (old.source_id, old.target_id) != (connection.source_id, connection.target_id):
                raise ModelError(f"connection {connection.id!r}: its ends cannot change; remove and add it")
        changed = [c for c in new if self._connections[c.id] != c]
        columns = self._columns_to_edit(connection_map=True) if changed else None
        records = self._connections_to_edit() if changed else self._connections
        for connection in changed:
            records[connection.id] = connection
        if columns is not None:
            columns.update_connections(changed)
        if changed:
            self._emit(ChangeAction.CHANGED, Collection.CONNECTIONS, tuple(c.id for c in changed))

    # ----------------------------------------------------------------- pods
    def add_pod(self, pod: PodInstance) -> None:
        self._require_new_ids([pod.id])
        if pod.hall_id not in self._halls:
            raise ModelError(f"pod {pod.id!r}: unknown hall {pod.hall_id!r}")
        _check_years(f"pod {pod.id!r}", pod.in_service_year, pod.retirement_year)
        self._pods[pod.id] = pod
        self._emit(ChangeAction.ADDED, Collection.PODS, (pod.id,))

    def add_pods(self, pods: Iterable[PodInstance]) -> None:
        """Add pods; all or nothing, one event (a file's 1,500 pods: one id check, not 1,500)."""
        new = list(pods)
        self._require_new_ids([pod.id for pod in new])
        for pod in new:
            if pod.hall_id not in self._halls:
                raise ModelError(f"pod {pod.id!r}: unknown hall {pod.hall_id!r}")
            _check_years(f"pod {pod.id!r}", pod.in_service_year, pod.retirement_year)
        for pod in new:
            self._pods[pod.id] = pod
        if new:
            self._emit(ChangeAction.ADDED, Collection.PODS, tuple(pod.id for pod in new))

    def update_pod(self, pod: PodInstance) -> None:
        self._require_existing(self._pods, [pod.id], "pod")
        _check_years(f"pod {pod.id!r}", pod.in_service_year, pod.retirement_year)
        if self._pods[pod.id] != pod:
            self._pods[pod.id] = pod
            self._emit(ChangeAction.CHANGED, Collection.PODS, (pod.id,))

    def remove_pod(self, pod_id: str) -> PodInstance:
        """Remove a pod record; its items must have been removed or ungrouped first."""
        self._require_existing(self._pods, [pod_id], "pod")
        if any(item.pod_id == pod_id for item in self._items.values()):
            raise ModelError(f"pod {pod_id!r} still has items; remove or ungroup them first")
        pod = self._pods.pop(pod_id)
        self._emit(ChangeAction.REMOVED, Collection.PODS, (pod_id,))
        return pod

    # ----------------------------------------------------------------- scenarios
    def add_scenario(self, scenario: Scenario) -> None:
        self._require_new_ids([scenario.id])
        self._scenarios[scenario.id] = scenario
        self._emit(ChangeAction.ADDED, Collection.SCENARIOS, (scenario.id,))

    def update_scenario(self, scenario: Scenario) -> None:
        self._require_existing(self._scenarios, [scenario.id], "scenario")
        if self._scenarios[scenario.id] != scenario:
            self._scenarios[scenario.id] = scenario
            self._emit(ChangeAction.CHANGED, Collection.SCENARIOS, (scenario.id,))

    def remove_scenario(self, scenario_id: str) -> Scenario:
        self._require_existing(self._scenarios, [scenario_id], "scenario")
        scenario = self._scenarios.pop(scenario_id)
        self._emit(ChangeAction.REMOVED, Collection.SCENARIOS, (scenario_id,))
        return scenario

    # ----------------------------------------------------------------- custom catalog
    def set_custom_catalog_entry(self, entry: CatalogEntry) -> None:
        if self._custom_catalog.get(entry.id) != entry:
            self._custom_catalog[entry.id] = entry
            self._emit(ChangeAction.CHANGED, Collection.CATALOG, (entry.id,))

    # ----------------------------------------------------------------- snapshot
    def snapshot(self) -> Project:
        """A copy that shares the immutable records (and their dicts, until either side edits) and has no
        listeners: another thread may read it (to serialise an autosave) while this project goes on being edited."""
        copy = Project(metadata=self._metadata, site=self._site, settings=self._settings)
        copy._halls = dict(self._halls)
        # items and connections (83,000 and 452,500 entries at 50k racks, 16.5 MB as copies) are shared
        # until either side edits them, as the columns are (``_items_to_edit``: the editor copies first)
        copy._items, copy._connections = self._items, self._connections
        copy._items_shared = copy._connections_shared = self._items_shared = self._connections_shared = True
        copy._pods = dict(self._pods)
        copy._scenarios = dict(self._scenarios)
        copy._custom_catalog = dict(self._custom_catalog)
        # the index is rebuilt from the connections if the copy ever needs it: copying its 10^4 sets
        # took ~0.2 s at 10k racks, on the GUI thread, each time an autosave was taken
        copy._by_item = None
        copy._id_counter = dict(self._id_counter)
        # the columns are shared until either side edits (then that side copies them first)
        copy._columns = None if self._columns is None else self._columns.shared()
        copy._columns_shared = self._columns_shared = self._columns is not None
        return copy

    def without_items(self, item_ids: frozenset[str]) -> Project:
        """A listener-free copy (as ``snapshot``) without ``item_ids`` and the connections touching them:
        the design as built in a year of a phased build-out (``designer.model.phasing``; a year view that
        follows this project's edits is a ``designer.model.year_view.YearView``)."""
        if not item_ids:
            return self.snapshot()
        shared = self._items_shared, self._connections_shared, self._columns_shared
        copy = self.snapshot()
        # the copy gets records of its own: this project shares no more with it than before
        self._items_shared, self._connections_shared, self._columns_shared = shared
        copy._items = {k: v for k, v in self._items.items() if k not in item_ids}
        copy._connections = {k: c for k, c in self._connections.items()
                             if c.source_id not in item_ids and c.target_id not in item_ids}
        copy._items_shared = copy._connections_shared = copy._columns_shared = False
        columns = copy._columns
        if columns is not None:  # its own columns, without the gone records (no id maps yet)
            columns.own_columns()
            columns.remove_at([i for i, k in enumerate(self._items) if k in item_ids],
                              [i for i, k in enumerate(self._connections) if k not in copy._connections])
        return copy

    # ----------------------------------------------------------------- comparison
    def state(self) -> tuple[object, ...]:
        """Everything the project holds, as comparable values (for tests and change detection)."""
        return (
            self._metadata,
            self._site,
            self._settings,
            dict(self._halls),
            dict(self._items),
            dict(self._connections),
            dict(self._pods),
            dict(self._scenarios),
            dict(self._custom_catalog),
        )

    # ----------------------------------------------------------------- helpers
    def _emit(self, action: ChangeAction, collection: Collection, ids: tuple[str, ...] = ()) -> None:
        self.events.emit(ChangeEvent(action, collection, ids))

    def _require_new_ids(self, ids: list[str], unique: AbstractSet[str] | None = None) -> None:
        """Refuse a blank id, an id given twice in ``ids`` or one already used in the project.
        ``unique``: the distinct ids of ``ids`` when the caller has them (a dict's keys)."""
        if unique is None:
            unique = set(ids)
        # ``keys().isdisjoint(set)`` walks the smaller of the two; ``set.isdisjoint(keys())`` walked every
        # key of the project (half a million) to add one record, and made opening a file quadratic in its pods
        clash = len(unique) != len(ids) or "" in unique or any(
            not records.keys().isdisjoint(unique)
            for records in (self._items, self._connections, self._halls, self._pods, self._scenarios))
        if not clash:
            return
        seen: set[str] = set()  # say which id, in order
        for record_id in ids:
            if not record_id:
                raise ModelError("a record needs a non-empty id")
            if record_id in seen or self._id_taken(record_id):
                raise ModelError(f"id {record_id!r} is already used in this project")
            seen.add(record_id)

    @staticmethod
    def _require_existing(records: Mapping[str, object], ids: list[str], what: str) -> None:
        for record_id in ids:
            if record_id not in records:
                raise ModelError(f"no {what} with id {record_id!r}")


def _check_years(what: str, in_service_year: int | None, retirement_year: int | None) -> None:
    problem = years_problem(in_service_year, retirement_year)
    if problem is not None:
        raise ModelError(f"{what}: {problem}")
