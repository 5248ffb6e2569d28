"""Whether a design's file would open again (``check_loadable``), found without building a second design.

Saving first checks the design with the loader's own rules, so that a design the loader would refuse is
never written. The check was ``project_from_document(project_to_document(project))``: a dict for each of
the 535,500 records of a 50,000-rack campus and a second complete Project built from them, ~212 MB beside
the open design and ~2.3 s for every File > Save and autosave. This one holds ~2 MB and takes ~0.35 s.

The small sections (metadata, site, settings, catalog, halls, pods, scenarios) still go through the reader
as written. The items and connections are looked at ``ROWS_PER_BLOCK`` records at a time, as the writer
encodes them, in the reader's order:

- a block whose records are plainly what the reader accepts (``_items_plain``, ``_ConnectionColumns.plain``:
  the reader's column checks, made on the records' fields instead of their dicts) is not written out;
- any other block is written into dicts and read by the reader's own functions (``_items_fast``, else
  record by record), which raise its first problem at its JSON path;
- the cross-checks keep the halls' and pods' ids, and look the items' and connections' up in the project's
  own maps, whose keys are the records' ids (checked block by block: a project whose maps were filled
  around the model is checked the old way, as one whole document).

The reader refuses what it reads in the file's order, then the references (``_check_references``: each id
used once, every hall, pod, catalog entry, item and scenario named exists), then the overrides
(``check_item_overrides``); a read problem comes first wherever it is, so the first reference and override
problems are kept (not raised) until every record has been read. The model's own checks when the loader
builds the design (``add_items``, ``add_connections``...: ids, references, years, a hall's outline) refuse
nothing those have not refused already, so no Project is built.

Every ProjectFileError is the one the loader gives (message and JSON path; ``tests/io/test_load_check.py``
compares them). A record the writer cannot turn into JSON at all (a field of a wrong type) raises the
writer's own exception, as the save would; when the design also holds a refusal elsewhere, which of the two
comes first may differ from the old check, which wrote every record before it read one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, KeysView, Sequence
from dataclasses import dataclass
from itertools import islice
from operator import attrgetter, eq
from typing import Any

from designer.io import project_file
from designer.io.errors import ProjectFileError
from designer.io.item_overrides import check_item_overrides
from designer.io.migrations import upgrade
from designer.io.project_file import (
    MAX_COORDINATE_MM,
    MAX_DESIGN_KW,
    MAX_LABEL_CHARS,
    MAX_ROTATION_DEG,
    MAX_WEIGHT_KG,
    ROWS_PER_BLOCK,
    _connections_fast,
    _connections_to_dicts,
    _item_to_dict,
    _items_fast,
    _numbers_in,
    _plain_ids,
    _read_connection,
    _read_item,
    _read_list,
    _read_scenario,
    project_from_document,
    project_to_document,
    read_head,
)
from designer.io.reader import Node
from designer.model.catalog import Catalog
from designer.model.phasing import YEAR_MAX, YEAR_MIN
from designer.model.project import Project
from designer.model.records import Connection, PlacedItem, PodInstance
from designer.model.types import ConnectionKind, CoolingMedium, FeedSide, Phase, WorkloadClass

_FirstUse = tuple[str, int]
"""Where an id was first used: (list, index), as ``_check_references`` words it."""


def check_loadable(project: Project, catalog: Catalog) -> None:
    """Raise ProjectFileError (with the JSON path) when the loader would refuse the file of ``project``."""
    try:
        _LoadCheck(project).run(catalog)
    except _NotFiledById:  # a map filled around the model: the whole document, as before
        project_from_document(project_to_document(project), catalog)


def _blocks(records: Iterator[Any]) -> Iterator[list[Any]]:
    while block := list(islice(records, ROWS_PER_BLOCK)):
        yield block


class _LoadCheck:
    """One check of one project: what the reader would keep between its passes, without the records."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.first_use: dict[str, _FirstUse] = {}
        """The halls' and pods' ids (the items' and connections' are the keys of the project's maps)."""
        self.reference_problem: ProjectFileError | None = None
        """The first reference the reader would refuse; raised once every record has been read."""
        self.override_problem: ProjectFileError | None = None
        """The first override the reader would refuse; raised after the references."""

    def run(self, catalog: Catalog) -> None:
        """As ``project_file.project_from_document`` reads the document, section by section."""
        head = read_head(upgrade(project_to_document(self.project, big_lists=False)), catalog)
        root, full_catalog, settings, halls, pods = head.root, head.catalog, head.settings, head.halls, head.pods
        hall_ids = [hall.id for hall in halls]
        self._claim_halls_and_pods(hall_ids, pods)
        self._items(full_catalog, frozenset(hall_ids), frozenset(pod.id for pod in pods))
        self._connections()
        scenarios = _read_list(root, "scenarios", _read_scenario, max_count=1_000)
        if self.reference_problem is None:
            self._claim_scenarios([scenario.id for scenario in scenarios])
        active = settings.active_scenario_id
        if self.reference_problem is None and active and active not in {scenario.id for scenario in scenarios}:
            self._refuse(f"unknown scenario {active!r}", "$.settings.active_scenario_id")
        if self.reference_problem is not None:
            raise self.reference_problem
        if self.override_problem is not None:
            raise self.override_problem

    def _refuse(self, problem: str, json_path: str) -> None:
        if self.reference_problem is None:
            self.reference_problem = ProjectFileError(problem, json_path=json_path)

    def _duplicate(self, record_id: str, first: _FirstUse, where: str, index: int) -> None:
        self._refuse(f"duplicate id {record_id!r} (first used at $.{first[0]}[{first[1]}].id)",
                     f"$.{where}[{index}].id")

    def _first_use(self, record_id: str) -> _FirstUse | None:
        """Where ``record_id`` is first used among the halls, pods, items and connections."""
        first = self.first_use.get(record_id)
        if first is not None:
            return first
        for where, records in (("items", self.project.items), ("connections", self.project.connections)):
            if record_id in records:
                return where, list(records).index(record_id)
        return None

    # ------------------------------------------------------------------ small sections
    def _claim_halls_and_pods(self, hall_ids: list[str], pods: list[PodInstance]) -> None:
        """``_check_references`` on the halls and pods (a few thousand at most)."""
        for index, hall_id in enumerate(hall_ids):
            first = self.first_use.setdefault(hall_id, ("halls", index))
            if first != ("halls", index):
                return self._duplicate(hall_id, first, "halls", index)
        known_halls = set(hall_ids)
        for index, pod in enumerate(pods):
            first = self.first_use.setdefault(pod.id, ("pods", index))
            if first != ("pods", index):
                return self._duplicate(pod.id, first, "pods", index)
            if pod.hall_id not in known_halls:
                return self._refuse(f"unknown hall {pod.hall_id!r}", f"$.pods[{index}].hall_id")
        return None

    def _claim_scenarios(self, scenario_ids: list[str]) -> None:
        for index, scenario_id in enumerate(scenario_ids):
            first = self._first_use(scenario_id)
            if first is None and scenario_id in scenario_ids[:index]:
                first = "scenarios", scenario_ids.index(scenario_id)
            if first is not None:
                return self._duplicate(scenario_id, first, "scenarios", index)
        return None

    # ------------------------------------------------------------------ items
    def _items(self, catalog: Catalog, hall_ids: frozenset[str], pod_ids: frozenset[str]) -> None:
        items = self.project.items
        _check_count(len(items), "items", _max_items())
        keys, start = iter(items), 0
        for block in _blocks(iter(items.values())):
            read = block if _items_plain(block) else _read_items(block, start)
            ids = _filed_by_id(read, keys)
            if self.reference_problem is None:
                self._item_references(read, ids, start, catalog, hall_ids, pod_ids)
            if self.override_problem is None:
                try:
                    check_item_overrides(read, catalog, start=start)
                except ProjectFileError as error:
                    self.override_problem = error
            start += len(block)

    def _item_references(self, items: list[PlacedItem], ids: list[str], start: int, catalog: Catalog,
                         hall_ids: frozenset[str], pod_ids: frozenset[str]) -> None:
        """``_check_references`` on a block of items (their ``ids`` are distinct: the keys of the project's map)."""
        pods = set(map(attrgetter("pod_id"), items))
        pods.discard(None)
        if (self.first_use.keys().isdisjoint(ids)
                and all(catalog_id in catalog for catalog_id in set(map(attrgetter("catalog_id"), items)))
                and hall_ids.issuperset(map(attrgetter("hall_id"), items)) and pod_ids >= pods):
            return None
        for index, item in enumerate(items, start):  # the first problem, worded as the reader does
            first = self.first_use.get(item.id)
            if first is not None:
                return self._duplicate(item.id, first, "items", index)
            if item.catalog_id not in catalog:
                return self._refuse(f"unknown catalog id {item.catalog_id!r}", f"$.items[{index}].catalog_id")
            if item.hall_id not in hall_ids:
                return self._refuse(f"unknown hall {item.hall_id!r}", f"$.items[{index}].hall_id")
            if item.pod_id is not None and item.pod_id not in pod_ids:
                return self._refuse(f"unknown pod {item.pod_id!r}", f"$.items[{index}].pod_id")
        return None

    # ------------------------------------------------------------------ connections
    def _connections(self) -> None:
        """Read after every item: the items' ids are the keys of their map, each read as an id."""
        connections, items = self.project.connections, self.project.items.keys()
        _check_count(len(connections), "connections", 4 * _max_items())
        # an id used twice, looked for once on the maps (the smaller one's keys looked up in the other's):
        # the connections' keys are their ids (else ``_NotFiledById`` is raised before any such problem is)
        clash = not (self.first_use.keys().isdisjoint(connections.keys()) and items.isdisjoint(connections.keys()))
        keys, start = iter(connections), 0
        for block in _blocks(iter(connections.values())):
            read, columns = block, _ConnectionColumns.of(block, items)
            if columns is None or not columns.plain(block):
                read = _read_connections(block, start)
                columns = _ConnectionColumns.of(read, items)
                assert columns is not None  # the reader makes Connections
            _check_filed(columns.ids, keys)
            if self.reference_problem is None and not (
                    columns.ends_good() and (not clash or columns.ids_new(self.first_use.keys(), items))):
                self._connection_references(read, start, items)
            start += len(block)

    def _connection_references(self, connections: list[Connection], start: int, items: KeysView[str]) -> None:
        """``_check_references`` on a block of connections (their ids are distinct: the keys of the map)."""
        for index, connection in enumerate(connections, start):
            first = self.first_use.get(connection.id)
            if first is None and connection.id in items:
                first = self._first_use(connection.id)
            if first is not None:
                return self._duplicate(connection.id, first, "connections", index)
            source, target = connection.source_id, connection.target_id
            if source in items and target in items and source != target:
                continue
            for end, value in (("source", source), ("target", target)):
                if value not in items:
                    return self._refuse(f"connection refers to a missing item {value!r}",
                                        f"$.connections[{index}].{end}")
            return self._refuse("connection links an item to itself", f"$.connections[{index}]")
        return None


@dataclass(frozen=True, slots=True)
class _ConnectionColumns:
    """A block of connections' ids and ends, looked at once for both the reading and the references."""

    ids: list[object]
    sources: list[object]
    targets: list[object]
    ends_known: bool
    """Every end is a string equal to one of the items' ids."""

    @classmethod
    def of(cls, records: list[Connection], items: KeysView[str]) -> _ConnectionColumns | None:
        """None when a record is not a Connection (the writer and the reader then say what it is)."""
        if set(map(type, records)) != {Connection}:
            return None
        sources = list(map(attrgetter("source_id"), records))
        targets = list(map(attrgetter("target_id"), records))
        ends_known = _strings(sources) and _strings(targets) and items >= set(sources) and items >= set(targets)
        return cls(list(map(attrgetter("id"), records)), sources, targets, ends_known)

    def plain(self, records: list[Connection]) -> bool:
        """The checks of ``_connections_fast`` on the records' fields (see ``_items_plain``): the writer
        writes a power connection's feed and a cooling one's medium, each of its enumeration. Known ends
        are items' ids, and every item has been read by now, each id as one: they read as ids too."""
        return (set(map(type, map(attrgetter("kind"), records))) <= {ConnectionKind}
                and set(map(type, map(attrgetter("feed"), records))) <= {FeedSide}
                and set(map(type, map(attrgetter("medium"), records))) <= {CoolingMedium}
                and _plain_ids(self.ids)
                and (self.ends_known or (_plain_ids(self.sources) and _plain_ids(self.targets))))

    def ends_good(self) -> bool:
        """Every end a known item, and no connection from an item to itself."""
        return self.ends_known and not any(map(eq, self.sources, self.targets))

    def ids_new(self, small_ids: KeysView[str], items: KeysView[str]) -> bool:
        """No id used before, by a hall, pod or item."""
        return small_ids.isdisjoint(self.ids) and items.isdisjoint(self.ids)


def _strings(values: list[object]) -> bool:
    """Every value a string (``str.join`` takes nothing else, in one C loop): an end that is a string
    equal to an item's id reads as that id did."""
    try:
        "".join(values)  # type: ignore[arg-type]
    except TypeError:
        return False
    return True


class _NotFiledById(Exception):
    """A record of the project's items or connections is not filed under its own id: only a project whose
    maps were filled around the model (every model method files a record under its id)."""


def _filed_by_id(records: list[Any], keys: Iterator[str]) -> list[str]:
    """The ids of a block's records, which must be the next keys of the project's map."""
    ids = list(map(attrgetter("id"), records))
    _check_filed(ids, keys)
    return ids


def _check_filed(ids: list[Any], keys: Iterator[str]) -> None:
    if ids != list(islice(keys, len(ids))):
        raise _NotFiledById


def _max_items() -> int:
    return project_file.MAX_ITEMS  # as the loader reads it, when called (a test lowers it)


def _check_count(count: int, key: str, max_count: int) -> None:
    """``Node.elements``'s limit on a big list."""
    if count > max_count:
        raise ProjectFileError(f"has {count} entries, more than the limit of {max_count}", json_path=f"$.{key}")


def _read_items(block: list[PlacedItem], start: int) -> list[PlacedItem]:
    """The block written as the file has it and read back by the reader (``_read_list``), which raises
    the first problem at its JSON path."""
    records = [_item_to_dict(item) for item in block]
    read = _items_fast(records)
    if read is not None:
        return read
    return [_read_item(Node(record, f"$.items[{index}]", ProjectFileError))
            for index, record in enumerate(records, start)]


def _read_connections(block: list[Connection], start: int) -> list[Connection]:
    records = _connections_to_dicts(block)
    read = _connections_fast(records)
    if read is not None:
        return read
    return [_read_connection(Node(record, f"$.connections[{index}]", ProjectFileError))
            for index, record in enumerate(records, start)]


# ====================================================================== plainly readable blocks
# Each test below is sufficient, not necessary: True only when ``_item_to_dict`` (``_connections_to_dicts``)
# writes every record of the block and ``_items_fast`` (``_connections_fast``) reads each back with the same
# ids, references and overrides; anything else goes through the writer and the reader themselves.
def _is_float_or_int(values: list[Any], low: float, high: float) -> bool:
    """Every value an int or float within [low, high] (no NaN): ``_num`` then writes it as a JSON number
    the reader takes, of the same value."""
    return _numbers_in(values, low, high) is not None


def _plain_id_values(values: list[Any]) -> bool:
    """``_plain_ids`` of a column of few distinct values (catalog, hall and pod ids), each looked at once
    (``_plain_id`` is a function of a string's value); an empty column is plain."""
    return not values or (set(map(type, values)) == {str} and _plain_ids(list(set(values))))


def _all_of(kind: type) -> Callable[[list[Any]], bool]:
    return lambda values: set(map(type, values)) <= {kind}


def _years(values: list[Any]) -> bool:
    return set(map(type, values)) <= {int} and min(values) >= YEAR_MIN and max(values) <= YEAR_MAX


_ITEM_OPTIONAL_PLAIN: tuple[tuple[str, Callable[[list[Any]], bool]], ...] = (
    ("pod_id", _plain_id_values), ("group", _plain_id_values),
    ("design_kw", lambda values: _is_float_or_int(values, 0.0, MAX_DESIGN_KW)),
    ("workload", _all_of(WorkloadClass)),
    ("liquid_fraction", lambda values: _is_float_or_int(values, 0.0, 1.0)),
    ("weight_kg", lambda values: _is_float_or_int(values, 0.0, MAX_WEIGHT_KG)),
    ("phase", _all_of(Phase)),
    ("in_service_year", _years), ("retirement_year", _years))
"""``project_file._ITEM_OPTIONALS`` as the records hold them (None: not written)."""


def _items_plain(block: Sequence[PlacedItem]) -> bool:
    """The checks of ``_items_fast`` on the records' fields (see above)."""
    if set(map(type, block)) != {PlacedItem}:
        return False

    def column(name: str) -> list[Any]:
        return list(map(attrgetter(name), block))

    if not (_plain_ids(column("id")) and _plain_id_values(column("catalog_id"))
            and _plain_id_values(column("hall_id"))):
        return False
    if not (_is_float_or_int(column("x_mm"), -MAX_COORDINATE_MM, MAX_COORDINATE_MM)
            and _is_float_or_int(column("y_mm"), -MAX_COORDINATE_MM, MAX_COORDINATE_MM)
            and _is_float_or_int(column("rotation_deg"), -MAX_ROTATION_DEG, MAX_ROTATION_DEG)):
        return False
    labels = column("label")
    if not (set(map(type, labels)) <= {str} and max(map(len, labels)) <= MAX_LABEL_CHARS):
        return False
    for name, plain in _ITEM_OPTIONAL_PLAIN:
        values = column(name)
        if values.count(None) < len(values) and not plain([value for value in values if value is not None]):
            return False
    starts, ends = column("in_service_year"), column("retirement_year")
    return starts.count(None) == len(starts) or ends.count(None) == len(ends) or not any(
        start is not None and end is not None and end <= start for start, end in zip(starts, ends, strict=True))
