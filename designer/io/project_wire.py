"""The fast path of reading a project file: msgspec decodes the JSON straight into typed records.

A 50,000-rack campus has 50,000 items and 450,000 connections. ``json.loads`` with the duplicate-key
hook of ``safe_read.parse_json`` built a dict per record and the checking reader then read each
dict again; here msgspec decodes the items and connections into typed structs (types, enumerations
and numeric ranges checked in C) and the rest of the document into plain values.

This path only ever accepts: on anything unusual (a bad type, a value out of range, an unknown
field or enumeration, a duplicate key, an old schema version, a lone surrogate, a colon inside a
string that makes the duplicate-key count inconclusive...) it returns None, and the caller reads
the file with the record-by-record reader, whose error names the file, the JSON path and the
problem exactly as before. The records it returns pass the same checks as the column-wise fast
readers of ``project_file`` (``_items_fast``, ``_connections_fast``), which it reuses.

Records: the checked columns become records through ``records.records_from_columns`` (no
``__init__`` per record), with repeated strings shared (a connection's ends are its items' own id
strings) and the decoded structs freed before the records are made. The structs are also the one
home of these rules: the published schema's item and connection parts are generated from them
(``project_schema``).

Duplicate keys: msgspec keeps the last value of a repeated key silently. In valid JSON every colon
outside a string separates one key from its value, so when the colons of the text number exactly
the keys decoded, no key was repeated (a repeated key is one colon more than the keys kept).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Annotated, Any, TypeVar

import msgspec
from msgspec import UNSET, Meta, UnsetType

from designer.io.migrations import CURRENT_SCHEMA_VERSION, PROJECT_FORMAT
from designer.model.phasing import YEAR_MAX, YEAR_MIN
from designer.model.records import Connection, PlacedItem, records_from_columns
from designer.model.types import ConnectionKind, CoolingMedium, FeedSide, Phase, WorkloadClass

MAX_COORDINATE_MM = 10_000_000.0
"""As ``project_file.MAX_COORDINATE_MM`` (a test keeps the two equal)."""
MAX_WEIGHT_KG = 10_000.0
"""As ``project_file.MAX_WEIGHT_KG``."""
MAX_ITEMS = 500_000
"""As ``project_file.MAX_ITEMS``; connections may be four times as many."""

ID_PATTERN = ("^(?=.*\\S)[^\\u0000-\\u001f\\u007f-\\u00a0\\u00ad\\u061c\\u1680\\u180e\\u2000-\\u200f"
              "\\u2028-\\u202f\\u205f-\\u206f\\u3000\\ufeff]+$")
"""The published form of an id (``project_file._plain_id``): not blank, no control, format or separator
character. Published, not matched here: the column check (``_printable``) does it over a whole list."""

Identifier = Annotated[str, Meta(min_length=1, max_length=200, extra_json_schema={"pattern": ID_PATTERN})]
Coordinate = Annotated[float, Meta(ge=-MAX_COORDINATE_MM, le=MAX_COORDINATE_MM)]
Rotation = Annotated[float, Meta(ge=-360.0, le=360.0)]
Year = Annotated[int, Meta(ge=YEAR_MIN, le=YEAR_MAX)]


class WireItem(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """A placed item as written in the file (``project_file.ITEM_FIELDS``); UNSET = the field is absent.

    (No null: the writer never writes one; a file that has one is read by the checking reader.)
    ``gc=False``: a struct of strings, numbers and enumerations holds no cycle; untracked, half a
    million of them cost the collector nothing.
    """

    id: Identifier
    catalog_id: Identifier
    hall_id: Identifier
    x_mm: Coordinate
    y_mm: Coordinate
    rotation_deg: Rotation | UnsetType = UNSET
    label: Annotated[str, Meta(max_length=200)] | UnsetType = UNSET
    pod_id: Identifier | UnsetType = UNSET
    group: Identifier | UnsetType = UNSET
    design_kw: Annotated[float, Meta(
        ge=0.0, le=10000.0, description="Racks: design IT kW. UPS, PDU, busway, air unit, CDU and heat rejection: "
        "the rating as fitted (above 0). Other roles take none.")] | UnsetType = UNSET
    workload: WorkloadClass | UnsetType = UNSET
    liquid_fraction: Annotated[float, Meta(ge=0.0, le=1.0)] | UnsetType = UNSET
    weight_kg: Annotated[float, Meta(
        ge=0.0, le=MAX_WEIGHT_KG,
        description="Racks only: the weight as built, replacing the catalog figure; above 0.")] | UnsetType = UNSET
    phase: Annotated[Phase, Meta(
        description="Racks and rack PDUs: the phase(s) taken on their supplier; L1L2L3 for a three-phase load."),
    ] | UnsetType = UNSET
    in_service_year: Annotated[int, Meta(
        ge=YEAR_MIN, le=YEAR_MAX,
        description="First year the item stands (phased build-out); absent = always there or its pod's year."),
    ] | UnsetType = UNSET
    retirement_year: Annotated[int, Meta(
        ge=YEAR_MIN, le=YEAR_MAX, description="First year the item is gone, after the in-service year; "
        "absent = never retired or its pod's year.")] | UnsetType = UNSET


class WireConnection(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """A connection as written in the file (``project_file.CONNECTION_FIELDS``); UNSET = absent, no null."""

    id: Identifier
    kind: ConnectionKind
    source: Identifier
    target: Identifier
    feed: FeedSide | UnsetType = UNSET
    medium: CoolingMedium | UnsetType = UNSET


KIND_FIELD = {ConnectionKind.POWER: "feed", ConnectionKind.COOLING: "medium"}
"""The one optional field a connection of each kind may have (the writer keeps only that one): checked
by ``_connections``, published in the schema."""


class WireDocument(msgspec.Struct, forbid_unknown_fields=True):
    """The top level (``project_file.TOP_FIELDS``): the small sections stay plain JSON values for the
    checking reader; the two big lists stay their text (checked JSON, not yet decoded: ``_rows``)."""

    format: Any = UNSET
    schema_version: Any = UNSET
    metadata: Any = UNSET
    site: Any = UNSET
    settings: Any = UNSET
    catalog: Any = UNSET
    halls: Any = UNSET
    pods: Any = UNSET
    items: msgspec.Raw | UnsetType = UNSET
    connections: msgspec.Raw | UnsetType = UNSET
    scenarios: Any = UNSET


SMALL_SECTIONS = ("format", "schema_version", "metadata", "site", "settings", "catalog", "halls", "pods", "scenarios")
_DECODER = msgspec.json.Decoder(WireDocument)
_ITEMS_DECODER = msgspec.json.Decoder(list[WireItem])
_CONNECTIONS_DECODER = msgspec.json.Decoder(list[WireConnection])
ROWS_CHUNK_BYTES = 1 << 18
"""About how much of a big list's text is decoded at a time (256 KiB: ~2,400 connections). Runs of 2 MiB
made a 50k-rack load ~5% slower (a run's structs and columns no longer near the cache) and its height
~2.7 MB higher."""
_ROW_BREAK = re.compile(rb"\},\n")
"""A record's end, its comma and a line break: where the writer (one record per line) and any indented
writer break between records. A newline is never inside a JSON string, so the comma is between values."""
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_STRING = re.compile(rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"', re.DOTALL)
"""A JSON string (possessive: linear time), blanked out to count the colons outside strings."""
_ITEM_OPTIONAL = ("pod_id", "group", "design_kw", "workload", "liquid_fraction", "weight_kg", "phase",
                  "in_service_year", "retirement_year")


@dataclass(frozen=True, slots=True)
class WireProject:
    """What the fast path read: the small sections as plain values (for the checking reader) and the
    records of the two big lists, already checked."""

    document: dict[str, object]
    items: list[PlacedItem]
    connections: list[Connection]


def read_wire(raw: bytes, colons: int | None = None) -> WireProject | None:
    """The project of the file's bytes by the fast path, or None when the checking reader must read it.

    ``raw`` has passed ``safe_read.check_json_budget``; ``colons`` is the number it returned (None:
    counted here). Ids are ``project_file._plain_id``s: msgspec checks type and length
    (``Identifier``), ``_printable`` the characters over a whole column.
    """
    if b"\\" in raw and _SURROGATE_ESCAPE.search(raw):  # memchr first: most files have no escape at all
        return None  # a lone surrogate is worded by the checking reader (msgspec refuses any)
    try:
        wire = _DECODER.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        return None
    if wire.format != PROJECT_FORMAT or type(wire.schema_version) is not int \
            or wire.schema_version != CURRENT_SCHEMA_VERSION:
        return None  # wrong format or an upgrade to run: the checking reader does both
    document: dict[str, object] = {
        key: value for key in SMALL_SECTIONS if (value := getattr(wire, key)) is not UNSET}
    keys = len(document) + _key_count(list(document.values()))
    items_text, connections_text = wire.items, wire.connections
    keys += (items_text is not UNSET) + (connections_text is not UNSET)
    del wire
    read_items = _read_items(items_text)
    if read_items is None:
        return None
    items, item_keys = read_items
    read_connections = _read_connections(connections_text, list(map(attrgetter("id"), items)))
    if read_connections is None:
        return None
    connections, connection_keys = read_connections
    keys += item_keys + connection_keys
    if colons is None:
        colons = raw.count(b":")
    if colons != keys and _STRING.sub(b'""', raw).count(b":") != keys:
        return None  # a key given twice in one object: the checking reader names it
    return WireProject(document, items, connections)


def _row_chunks(text: msgspec.Raw | UnsetType) -> list[memoryview] | None:
    """A big list's text as the texts of consecutive runs of its records, about ``ROWS_CHUNK_BYTES``
    each, or None when it is not a list (absent or null: no chunk).

    Each run is decoded on its own (``_rows``), so that only one run's decoded structs live at a time
    beside the file's bytes: decoded at once, a 50,000-rack campus's 452,500 connections and 83,000
    items were ~140 MB of structs at the height of a load, beside the 58 MB of bytes. A run ends at a
    record's closing brace followed by a comma and a line break (``_ROW_BREAK``): the comma is outside
    any string (a string holds no raw line break and has nothing after its closing quote), so it
    separates two values; when every run then decodes as a list, every such comma was the list's own
    (a run cut inside a record would leave its brackets unbalanced), and the runs' records are the
    list's, in order. A file written on one line is one run.
    """
    if text is UNSET:
        return []
    view = memoryview(text)
    if view.nbytes == 4 and view.tobytes() == b"null":
        return []
    end = len(view) - 1
    if end < 1 or view[0] != ord("[") or view[end] != ord("]"):
        return None
    chunks = []
    start = 1
    while start + ROWS_CHUNK_BYTES < end and (found := _ROW_BREAK.search(view, start + ROWS_CHUNK_BYTES, end)):
        comma = found.start() + 1
        chunks.append(view[start:comma])
        start = comma + 1
    chunks.append(view[start:end])
    return chunks


def _rows(chunk: memoryview, decoder: msgspec.json.Decoder[list[Any]]) -> list[Any] | None:
    """The records of one run of a big list's text (``_row_chunks``), or None when they do not decode."""
    try:
        return decoder.decode(b"".join((b"[", chunk, b"]")))
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        return None


R = TypeVar("R")


def _read_runs(text: msgspec.Raw | UnsetType, decoder: msgspec.json.Decoder[list[Any]], max_count: int,
               read: Callable[[list[Any]], tuple[list[R], int] | None]) -> tuple[list[R], int] | None:
    """The records of a big list's text, run by run (``read``: one run's decoded structs to its records
    and the keys they were written with), and all their keys; None when any run is not plainly valid."""
    chunks = _row_chunks(text)
    if chunks is None:
        return None
    records: list[R] = []
    keys = 0
    for chunk in chunks:
        wire = _rows(chunk, decoder)
        if wire is None or len(records) + len(wire) > max_count:
            return None
        run = read(wire)
        if run is None:
            return None
        records += run[0]
        keys += run[1]
    return records, keys


def _read_items(text: msgspec.Raw | UnsetType) -> tuple[list[PlacedItem], int] | None:
    """The items of the list's text and the keys they were written with (None: not plainly valid)."""
    same: dict[Any, Any] = {}  # across runs: one string per catalog, hall, pod and group id
    return _read_runs(text, _ITEMS_DECODER, MAX_ITEMS, lambda wire: _items(wire, same))


def _read_connections(text: msgspec.Raw | UnsetType, item_ids: list[str]) -> tuple[list[Connection], int] | None:
    """The connections of the list's text and the keys they were written with (None: not plainly
    valid). An end naming one of ``item_ids`` is that id's own string (``_connections``)."""
    ends = dict(zip(item_ids, item_ids, strict=True))
    return _read_runs(text, _CONNECTIONS_DECODER, 4 * MAX_ITEMS, lambda wire: _connections(wire, ends))


def _key_count(values: list[object]) -> int:
    """The keys of every object inside ``values`` (iterative: JSON nests deep)."""
    count = 0
    stack = values
    while stack:
        value = stack.pop()
        if type(value) is dict:
            count += len(value)
            stack.extend(value.values())
        elif type(value) is list:
            stack.extend(value)
    return count


def _present(column: list[object]) -> int:
    """How many values of the column were in the file (not UNSET)."""
    return len(column) - column.count(UNSET)


def _printable(ids: list[str]) -> bool:
    """No id blank or holding a character that is not printable (the rest of ``project_file._plain_id``:
    msgspec has checked type and length), in C loops: a concatenation is printable exactly when each
    part is. The space is the one printable whitespace character (a test holds it over all of
    Unicode), so printable ids without one have no blank among them, and are not each looked at."""
    joined = "".join(ids)
    return joined.isprintable() and (" " not in joined or not any(map(str.isspace, ids)))


def _printable_lines(ids: list[str]) -> str | None:
    """The ids joined by newlines when ``_printable(ids)`` (else None): the one join both checks them
    and, split once the decoded structs and strings around them are freed, makes their fresh copies in
    one C loop. The kept ids then lie together in memory instead of pinning the allocator's blocks of
    the freed temporaries they were decoded among (a 50,000-rack campus: ~60 MB less resident after a
    load; the items' 83,000 ids gain nothing)."""
    joined = "\n".join(ids)
    if joined.count("\n") != max(len(ids) - 1, 0):
        return None  # a newline inside an id: not printable
    # newlines for spaces: printable separators, so the text is printable exactly when every id is
    if not joined.replace("\n", " ").isprintable() or (" " in joined and any(map(str.isspace, ids))):
        return None
    return joined


def _interned(values: list[Any], same: dict[Any, Any]) -> list[Any]:
    """The column with equal values made one object, the first seen in ``same`` (catalog and hall ids
    repeat over thousands of items: one string each instead of one per record; msgspec decodes every
    string as a new object)."""
    return list(map(same.setdefault, values, values))


def _items(wire: list[WireItem], same: dict[Any, Any]) -> tuple[list[PlacedItem], int] | None:
    """The items and the number of keys they were written with; None when any is not plainly valid
    (the checks of ``project_file._items_fast`` that msgspec has not made). Empties ``wire`` once read:
    its structs are freed before the records are made. ``same``: the repeated ids' one string each
    (``_interned``)."""
    if not wire:
        return [], 0
    count = len(wire)
    read = {name: list(map(attrgetter(name), wire)) for name in WireItem.__struct_fields__}
    wire.clear()

    def column(name: str) -> list[Any]:
        return read.pop(name)

    ids, catalog_ids, hall_ids = column("id"), column("catalog_id"), column("hall_id")
    if not (_printable(ids) and _printable(catalog_ids) and _printable(hall_ids)):
        return None
    rotations, labels = column("rotation_deg"), column("label")
    keys = 5 * count + _present(rotations) + _present(labels)
    labels = [label or "" for label in labels]  # UNSET is false: no label
    # ``or 0.0``: the one zero of this function's constants for every unturned item, not one float each
    columns: dict[str, list[Any]] = {
        "id": ids, "catalog_id": _interned(catalog_ids, same), "hall_id": _interned(hall_ids, same),
        "x_mm": column("x_mm"), "y_mm": column("y_mm"), "label": labels,
        "rotation_deg": [0.0 if r is UNSET else (r % 360.0 or 0.0) for r in rotations]}
    starts: list[Any] = []
    for name in _ITEM_OPTIONAL:
        values = column(name)
        present = _present(values)
        if not present:
            columns[name] = [None] * count
            continue
        keys += present
        values = [None if value is UNSET else value for value in values]
        if name in ("pod_id", "group"):
            if not _printable([value for value in values if value is not None]):
                return None
            values = _interned(values, same)
        if name == "retirement_year" and starts and any(
                start is not None and end is not None and end <= start
                for start, end in zip(starts, values, strict=True)):
            return None
        if name == "in_service_year":
            starts = values
        columns[name] = values
    return records_from_columns(PlacedItem, count, columns), keys


_FEED_OR_SINGLE: dict[object, FeedSide] = {UNSET: FeedSide.SINGLE, **{feed: feed for feed in FeedSide}}
_MEDIUM_OR_AIR: dict[object, CoolingMedium] = {UNSET: CoolingMedium.AIR, **{medium: medium for medium in CoolingMedium}}


def _connections(wire: list[WireConnection], ends: dict[str, str]) -> tuple[list[Connection], int] | None:
    """The connections and the number of keys they were written with; None when any is not plainly
    valid (see ``project_file._connections_fast``). An end naming one of the items' ids (``ends``: each
    to itself) is that id's own string (900,000 ends of a 50,000-rack campus: no string of their own,
    and the model's lookups compare them by identity). Empties ``wire`` once read: its structs and the
    decoded ends' strings are freed before the records are made."""
    count = len(wire)
    if not count:
        return [], 0
    ids, sources, targets, kinds, feeds, media = (
        list(map(attrgetter(name), wire)) for name in ("id", "source", "target", "kind", "feed", "medium"))
    wire.clear()
    # the ends need no check of their own: the model refuses an end that is not one of the items,
    # whose ids were checked (and the caller then reads the file with the checking reader)
    lines = _printable_lines(ids)
    if lines is None:
        return None
    # the writer keeps only the field of the connection's kind (``KIND_FIELD``): power has no medium,
    # cooling no feed (checked on the few distinct combinations, gathered in C)
    for kind, feed, medium in set(zip(kinds, feeds, media, strict=True)):
        given = {"feed": feed is not UNSET, "medium": medium is not UNSET}
        if any(present for name, present in given.items() if name != KIND_FIELD[kind]):
            return None
    keys = 4 * count + _present(feeds) + _present(media)
    sources = list(map(ends.get, sources, sources))  # the decoded strings are freed here (``wire`` is empty)
    targets = list(map(ends.get, targets, targets))
    ids = lines.split("\n")  # the fresh copies (``_printable_lines``); the decoded ids are freed here,
    del lines  # before the records are made
    columns = {"id": ids, "kind": kinds, "source_id": sources, "target_id": targets,
               "feed": list(map(_FEED_OR_SINGLE.__getitem__, feeds)),
               "medium": list(map(_MEDIUM_OR_AIR.__getitem__, media))}
    return records_from_columns(Connection, count, columns), keys
