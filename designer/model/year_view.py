"""A year view: the design as built in one year of a phased build-out, read through the live project.

A ``YearView`` is a ``Project`` whose items are the live project's but the ones absent that year, and
whose connections are the live project's between standing items. It holds no records of its own: its
mappings read the live project's dicts as they stand, through the set of absent ids, and its columns are
the live project's arrays with marks of its own (``Project.columns_without``). At 50,000 racks a view with
records of its own held 5-18 MB of dicts (the connections' alone 7-15 MB), for each of a campus's years.

The analysis reads a view as any project. ``designer.analysis.phased.YearViews`` keeps it in step with
the live project's edits: it hides the items added that do not stand that year, forgets the removed
ones, and tells the view's own listeners (its analyzer) of the edits of the records that stand. A view is
read only: its records change with the live project's, never through it.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, Mapping, ValuesView
from itertools import filterfalse
from typing import TypeVar

from designer.model.catalog import CatalogEntry
from designer.model.columns import ProjectColumns
from designer.model.events import ChangeEvent
from designer.model.project import ModelError, Project
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

_Record = TypeVar("_Record")


class _Values(ValuesView[_Record]):
    def __init__(self, mapping: _MaskedRecords[_Record]) -> None:
        super().__init__(mapping)
        self._masked = mapping

    def __iter__(self) -> Iterator[_Record]:
        return self._masked.iter_values()


class _Items(ItemsView[str, _Record]):
    def __init__(self, mapping: _MaskedRecords[_Record]) -> None:
        super().__init__(mapping)
        self._masked = mapping

    def __iter__(self) -> Iterator[tuple[str, _Record]]:
        keys = list(self._masked)
        return zip(keys, map(self._masked.records.__getitem__, keys), strict=True)


class _MaskedRecords(Mapping[str, _Record]):
    """A project's records by id (``records``, read as they stand) but those ``absent`` masks out."""

    __slots__ = ("absent", "records")

    def __init__(self, records: dict[str, _Record], absent: frozenset[str]) -> None:
        self.records = records
        self.absent = absent

    def iter_values(self) -> Iterator[_Record]:
        return map(self.records.__getitem__, self)

    def values(self) -> ValuesView[_Record]:
        return _Values(self)

    def items(self) -> ItemsView[str, _Record]:
        return _Items(self)


class MaskedItems(_MaskedRecords[PlacedItem]):
    """The items of a year view: the live project's but the absent ones (which must all be live items)."""

    __slots__ = ()

    def __getitem__(self, item_id: str) -> PlacedItem:
        if item_id in self.absent:
            raise KeyError(item_id)
        return self.records[item_id]

    def __contains__(self, item_id: object) -> bool:
        return item_id in self.records and item_id not in self.absent

    def __iter__(self) -> Iterator[str]:
        return filterfalse(self.absent.__contains__, self.records)

    def __reversed__(self) -> Iterator[str]:
        """The ids from the last, as a dict's ``reversed`` (without a copy)."""
        return filterfalse(self.absent.__contains__, reversed(self.records))

    def __len__(self) -> int:
        return len(self.records) - len(self.absent)


class MaskedConnections(_MaskedRecords[Connection]):
    """The connections of a year view: the live project's whose two ends stand that year."""

    __slots__ = ()

    def stands(self, connection: Connection) -> bool:
        absent = self.absent
        return connection.source_id not in absent and connection.target_id not in absent

    def __getitem__(self, connection_id: str) -> Connection:
        connection = self.records[connection_id]
        if not self.stands(connection):
            raise KeyError(connection_id)
        return connection

    def __contains__(self, connection_id: object) -> bool:
        connection = self.records.get(connection_id) if isinstance(connection_id, str) else None
        return connection is not None and self.stands(connection)

    def __iter__(self) -> Iterator[str]:
        if not self.absent:
            return iter(self.records)
        stands = self.stands
        return (key for key, connection in self.records.items() if stands(connection))

    def iter_values(self) -> Iterator[Connection]:
        if not self.absent:
            return iter(self.records.values())
        return filter(self.stands, self.records.values())

    def __len__(self) -> int:
        return len(self.records) if not self.absent else sum(map(self.stands, self.records.values()))


class YearView(Project):
    """``source`` as built in a year: without the items ``absent`` (ids of its items) and their connections."""

    def __init__(self, source: Project, absent: frozenset[str]) -> None:
        super().__init__(metadata=source.metadata, site=source.site, settings=source.settings)
        self._source = source
        self._absent = absent
        self._columns = None

    # ----------------------------------------------------------------- read access (the source's, masked)
    @property
    def absent(self) -> frozenset[str]:
        """The ids of the source's items that do not stand in this view."""
        return self._absent

    def stands(self, item_id: str) -> bool:
        """Whether the source's item ``item_id`` stands in this view."""
        return item_id not in self._absent

    @property
    def columns(self) -> ProjectColumns:
        columns = self._columns
        if columns is None:
            columns = self._columns = self._source.columns_without(self._absent)
        return columns

    @property
    def metadata(self) -> Metadata:
        return self._source.metadata

    @property
    def site(self) -> Site:
        return self._source.site

    @property
    def settings(self) -> DesignSettings:
        return self._source.settings

    @property
    def halls(self) -> Mapping[str, Hall]:
        return self._source.halls

    @property
    def items(self) -> Mapping[str, PlacedItem]:
        return MaskedItems(self._source._items, self._absent)

    @property
    def connections(self) -> Mapping[str, Connection]:
        return MaskedConnections(self._source._connections, self._absent)

    def kept_connections(self) -> Mapping[str, Connection]:
        """The connections as they stand now, for a reader that keeps them (``Project.kept_connections``)."""
        kept = self._source.kept_connections()
        assert isinstance(kept, dict)
        return MaskedConnections(kept, self._absent)

    @property
    def pods(self) -> Mapping[str, PodInstance]:
        return self._source.pods

    @property
    def scenarios(self) -> Mapping[str, Scenario]:
        return self._source.scenarios

    @property
    def custom_catalog(self) -> Mapping[str, CatalogEntry]:
        return self._source.custom_catalog

    @property
    def active_scenario(self) -> Scenario | None:
        return self._source.active_scenario

    def connections_of(self, item_id: str) -> list[Connection]:
        if not self.stands(item_id):
            return []
        absent = self._absent
        return [c for c in self._source.connections_of(item_id)
                if c.source_id not in absent and c.target_id not in absent]

    def items_in_pod(self, pod_id: str) -> list[PlacedItem]:
        return [item for item in self._source.items_in_pod(pod_id) if item.id not in self._absent]

    def _id_taken(self, record_id: str) -> bool:
        return self._source._id_taken(record_id)

    def snapshot(self) -> Project:
        """A view of a snapshot of the source (as ``Project.snapshot``: another thread may read it)."""
        return YearView(self._source.snapshot(), self._absent)

    def without_items(self, item_ids: frozenset[str]) -> Project:
        source = self._source
        return YearView(source.snapshot(), self._absent | {i for i in item_ids if i in source.items})

    def state(self) -> tuple[object, ...]:
        return (self.metadata, self.site, self.settings, dict(self.halls), dict(self.items),
                dict(self.connections), dict(self.pods), dict(self.scenarios), dict(self.custom_catalog))

    # ----------------------------------------------------------------- kept in step (``YearViews``)
    def hide(self, item_ids: Iterable[str]) -> None:
        """The source's items ``item_ids`` (just added to it) do not stand in this view."""
        hidden = frozenset(item_ids)
        if hidden:
            self._absent = self._absent | hidden

    def forget(self, item_ids: Iterable[str]) -> tuple[str, ...]:
        """The source's items ``item_ids`` were removed: the ones that stood in this view, in order."""
        ids = tuple(item_ids)
        gone = self._absent.intersection(ids)
        if gone:
            self._absent = self._absent - gone
        return tuple(i for i in ids if i not in gone)

    def release_columns(self) -> None:
        """Let go of the columns read from the source (read again when next needed): the source edited
        its own, which it copied first, and this view would otherwise hold the copy from before alone."""
        self._columns = None

    def tell(self, event: ChangeEvent) -> None:
        """Tell this view's listeners of an edit of its records (made in the source)."""
        self.events.emit(event)

    # ----------------------------------------------------------------- no edits through a view
    def _items_to_edit(self) -> dict[str, PlacedItem]:
        raise ModelError("a year view is read only: edit the project it shows")

    def _connections_to_edit(self) -> dict[str, Connection]:
        raise ModelError("a year view is read only: edit the project it shows")
