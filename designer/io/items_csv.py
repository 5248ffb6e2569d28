"""Placed items as a table (CSV / XLSX): export one row per item, import rows through a column mapping.

The import is Qt-free and in three steps, so the app can show a preview and the CLI can print it:
``read_table`` (table_read.py) -> :func:`plan_import` (each row checked against the project and the
catalog; every problem names its line) -> :func:`apply_import` (all good rows in one change, which
:func:`revert_import` undoes). Cells are never evaluated: a cell starting with ``= + - @`` is text,
and in a number column it is a problem of that row. The export escapes such text with a leading
``'`` (and a text that starts with ``'`` gets a second one), which the import takes off again, so
an exported table reads back unchanged.

Feeds: the item's incoming connections, ``source-id (A); source-id (B); cdu-1 (liquid)``. A power
feed names the cord (A, B, single), a cooling feed the medium (air, liquid).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from designer.io.atomic_write import write_export
from designer.io.project_file import MAX_COORDINATE_MM, MAX_WEIGHT_KG
from designer.io.safe_read import cut, is_plain_id
from designer.io.table_read import Table
from designer.model.catalog import Catalog, CatalogEntry
from designer.model.phases import phase_problem
from designer.model.phasing import YEAR_MAX, YEAR_MIN, years_problem
from designer.model.project import Project
from designer.model.records import Connection, PlacedItem
from designer.model.roles import RATING_OVERRIDE_ROLES
from designer.model.types import ConnectionKind, CoolingMedium, FeedSide, Phase, WorkloadClass

FIELDS: tuple[str, ...] = (
    "id", "catalog_id", "hall", "x", "y", "rotation_deg", "label", "design_kw", "workload", "liquid_fraction",
    "feeds", "group", "pod", "weight_kg", "phase", "in_service_year", "retirement_year",
)  # fmt: skip
"""The fields a column can be mapped to, in the export's column order."""
REQUIRED_FIELDS = ("catalog_id", "x", "y")
FIELD_LABELS: Mapping[str, str] = {
    "id": "Id", "catalog_id": "Catalog id or type", "hall": "Hall", "x": "X", "y": "Y",
    "rotation_deg": "Rotation deg", "label": "Label", "design_kw": "Design kW", "workload": "Workload",
    "liquid_fraction": "Liquid fraction", "feeds": "Feeds", "group": "Group", "pod": "Pod", "weight_kg": "Weight kg",
    "phase": "Phase", "in_service_year": "In service year", "retirement_year": "Retirement year",
}  # fmt: skip
EXPORT_HEADER: tuple[str, ...] = tuple("X mm" if f == "x" else "Y mm" if f == "y" else FIELD_LABELS[f] for f in FIELDS)
UNIT_MM: Mapping[str, float] = {"mm": 1.0, "m": 1000.0, "ft": 304.8}
MAX_LABEL_CHARS = 200
MAX_DESIGN_KW = 10_000.0
MAX_FEEDS = 16
ITEMS_SHEET = "Items"

_SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "id": ("id", "itemid", "name", "asset", "assettag"),
    "catalog_id": ("catalogid", "catalog", "type", "catalogidortype", "model", "devicetype", "racktype"),
    "hall": ("hall", "hallid", "room", "location"),
    "x": ("x", "xmm", "xm", "xft", "posx", "positionx"),
    "y": ("y", "ymm", "ym", "yft", "posy", "positiony"),
    "rotation_deg": ("rotation", "rotationdeg", "rot", "angle", "orientation"),
    "label": ("label", "tag", "rackname"),
    "design_kw": ("designkw", "kw", "power", "powerkw", "itkw", "ratingkw"),
    "workload": ("workload", "workloadclass"),
    "liquid_fraction": ("liquidfraction", "liquid", "liquidshare"),
    "feeds": ("feeds", "feed", "suppliers", "fedby"),
    "group": ("group", "redundancygroup"),
    "pod": ("pod", "podid"),
    "weight_kg": ("weightkg", "weight"),
    "phase": ("phase", "phases"),
    "in_service_year": ("inserviceyear", "inservice", "commissioned"),
    "retirement_year": ("retirementyear", "retired", "retiredin", "decommissioned"),
}
_UPDATE_FIELDS: Mapping[str, str] = {
    "hall": "hall_id", "rotation_deg": "rotation_deg", "label": "label", "design_kw": "design_kw",
    "workload": "workload", "liquid_fraction": "liquid_fraction", "group": "group", "pod": "pod_id",
    "weight_kg": "weight_kg", "phase": "phase", "in_service_year": "in_service_year",
    "retirement_year": "retirement_year",
}  # fmt: skip
"""Optional fields and the PlacedItem attribute each sets: kept as they are when the table has no column."""
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+\.\d+$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,(\d{1,2}|\d{4,})$")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FEED_RE = re.compile(r"^(?P<source>.+?)\s*\((?P<tag>[^()]*)\)$")
_POWER_TAGS = {"a": FeedSide.A, "b": FeedSide.B, "single": FeedSide.SINGLE}
_COOLING_TAGS = {"air": CoolingMedium.AIR, "liquid": CoolingMedium.LIQUID}


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def guess_mapping(header: Sequence[str]) -> dict[str, int]:
    """field -> column index, from the header's names (each column used at most once).

    A name is matched as written ("Design kW") and without a trailing unit ("Pos X (m)" -> "Pos X").
    """
    mapping: dict[str, int] = {}
    for keys in ([_key(name) for name in header], [_key(_UNIT_TAIL.sub("", name)) for name in header]):
        for name in FIELDS:
            if name in mapping:
                continue
            for synonym in _SYNONYMS[name]:
                if synonym in keys and keys.index(synonym) not in mapping.values():
                    mapping[name] = keys.index(synonym)
                    break
    return mapping


_UNIT_TAIL = re.compile(r"\s*[(\[]?\s*(mm|m|ft|feet|metres|meters|millimetres|deg|degrees)\s*[)\]]?\s*$", re.IGNORECASE)


def mapping_by_names(header: Sequence[str], names: Mapping[str, str]) -> tuple[dict[str, int], list[str]]:
    """field -> column index from field -> header name (a remembered or typed mapping), and what is missing."""
    mapping: dict[str, int] = {}
    missing: list[str] = []
    for name, column in names.items():
        if name not in FIELDS:
            missing.append(f"{name!r} is not a field (fields: {', '.join(FIELDS)})")
        elif column in header:
            mapping[name] = list(header).index(column)
        else:
            missing.append(f"the table has no column {cut(column, 60)!r} for {name}")
    return mapping, missing


def guess_unit(header: Sequence[str], mapping: Mapping[str, int]) -> str:
    """The coordinate unit the x column's header names ("X m", "x (ft)"), else mm."""
    if "x" not in mapping:
        return "mm"
    match = re.search(r"(?:^|[\s(\[_])(mm|m|ft)[)\]]?\s*$", header[mapping["x"]].strip().lower())
    return match.group(1) if match else "mm"


def missing_required(mapping: Mapping[str, int]) -> list[str]:
    return [FIELD_LABELS[name] for name in REQUIRED_FIELDS if name not in mapping]


# ====================================================================== planning
@dataclass(frozen=True, slots=True)
class RowResult:
    """One data row: the item it gives (None when a problem stops it) and the problems found."""

    line: int
    item: PlacedItem | None
    action: str
    """"add", "update" or "skip"."""
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    """Things the import decided that are not problems (a catalog name resolved to its id, ...)."""
    given: tuple[str, str] = ("", "")
    """The row's id and catalog id or type as written (shown for a skipped row)."""


@dataclass(frozen=True, slots=True)
class ItemsImport:
    """What an import would do; :func:`apply_import` does it, :func:`revert_import` undoes it."""

    rows: tuple[RowResult, ...]
    add: tuple[PlacedItem, ...]
    update: tuple[PlacedItem, ...]
    """New versions of existing items (same ids)."""
    previous: tuple[PlacedItem, ...]
    """The existing items ``update`` replaces, for the undo."""
    add_connections: tuple[Connection, ...]
    remove_connections: tuple[Connection, ...]
    """Incoming connections of updated items that the feeds column replaces."""
    unit: str = "mm"
    problems: tuple[str, ...] = field(default_factory=tuple)
    """Problems of the whole import (not of a row)."""

    @property
    def problem_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.problems]

    def summary(self) -> str:
        skipped = sum(1 for row in self.rows if row.action == "skip")
        return (f"{len(self.add):,} items to add, {len(self.update):,} to update, "
                f"{len(self.add_connections):,} feeds, {skipped:,} rows skipped")  # fmt: skip


def _text(value: str | float) -> str:
    if isinstance(value, float):
        return f"{value:.15g}"
    text = value.strip()
    if text.startswith("'") and text[1:2] and (text[1:].startswith(FORMULA_STARTS) or text[1] == "'"):
        return text[1:]  # the export's escape of text a spreadsheet would run
    return text


def _number(value: str | float, what: str, problems: list[str], low: float, high: float) -> float | None:
    if isinstance(value, float):
        number = value
    else:
        text = value.strip().replace("\u2212", "-")
        if text.startswith(("=", "@")):
            problems.append(f"{what}: {cut(text, 40)!r} is a formula; formulas are not evaluated (enter the number)")
            return None
        if "," in text:
            if _GROUPED.match(text):  # 1,234.5: thousands separated, a decimal point
                text = text.replace(",", "")
            elif _DECIMAL_COMMA.match(text):  # 1,5 or 12,25: a decimal comma
                text = text.replace(",", ".")
            else:  # 1,500 could be 1.5 or 1500: say so rather than guess
                problems.append(f"{what}: {cut(text, 40)!r} is ambiguous (a decimal or a thousands comma?);"
                                " write it without the comma")  # fmt: skip
                return None
        try:
            number = float(text)
        except ValueError:
            problems.append(f"{what}: {cut(text, 40)!r} is not a number")
            return None
    if not math.isfinite(number):
        problems.append(f"{what}: {cut(str(value), 40)!r} is not a finite number")
        return None
    if not low <= number <= high:
        problems.append(f"{what}: {number:g} is outside {low:g} to {high:g}")
        return None
    return number


def _identifier(text: str, what: str, problems: list[str]) -> str | None:
    if len(text) > 200:
        problems.append(f"{what}: longer than 200 characters")
        return None
    if not is_plain_id(text):
        problems.append(f"{what}: {cut(text, 40)!r} has control or invisible characters")
        return None
    return text


class _Resolver:
    """Catalog ids, entry names, hall ids and hall names, looked up once per import."""

    def __init__(self, project: Project, catalog: Catalog) -> None:
        self.catalog = catalog
        by_name: dict[str, list[str]] = {}
        for entry in catalog.values():
            by_name.setdefault(entry.name.strip().lower(), []).append(entry.id)
        self.by_name = by_name
        self.halls = project.halls
        hall_names: dict[str, list[str]] = {}
        for hall in project.halls.values():
            hall_names.setdefault(hall.name.strip().lower(), []).append(hall.id)
        self.hall_names = hall_names

    def entry(self, text: str, problems: list[str], notes: list[str]) -> CatalogEntry | None:
        entry = self.catalog.get(text)
        if entry is not None:
            return entry
        ids = self.by_name.get(text.lower(), [])
        if len(ids) == 1:
            notes.append(f"type {cut(text, 40)!r} is catalog entry {ids[0]}")
            return self.catalog[ids[0]]
        if ids:
            problems.append(f"type {cut(text, 40)!r} names {len(ids)} catalog entries; give the catalog id")
        else:
            problems.append(f"{cut(text, 60)!r} is neither a catalog id nor a catalog entry name")
        return None

    def hall(self, text: str, problems: list[str]) -> str | None:
        if text in self.halls:
            return text
        ids = self.hall_names.get(text.lower(), [])
        if len(ids) == 1:
            return ids[0]
        problems.append(f"hall {cut(text, 40)!r} is not a hall of the project" if not ids else
                        f"hall {cut(text, 40)!r} names {len(ids)} halls; give the hall id")  # fmt: skip
        return None


def plan_import(
    table: Table,
    mapping: Mapping[str, int],
    project: Project,
    catalog: Catalog,
    *,
    unit: str = "mm",
    default_hall_id: str | None = None,
) -> ItemsImport:
    """Check every row against ``project`` and ``catalog`` (the merged one) and say what the import would do.

    A row whose id exists in the project updates that item (and, when the feeds column is mapped,
    replaces its incoming connections); a row with a new or empty id adds an item. Rows with a
    problem are skipped, the others can still be applied.
    """
    if unit not in UNIT_MM:
        raise ValueError(f"unknown unit {unit!r} (mm, m or ft)")
    scale = UNIT_MM[unit]
    problems: list[str] = [f"no column for {name}" for name in missing_required(mapping)]
    hall_fallback = default_hall_id if default_hall_id in project.halls else next(iter(project.halls), None)
    if "hall" not in mapping and hall_fallback is None:
        problems.append("the project has no hall to put the items in")
    if problems:
        return ItemsImport(tuple(), (), (), (), (), (), unit, tuple(problems))
    resolver = _Resolver(project, catalog)
    results: list[RowResult] = []
    seen_ids: dict[str, int] = {}
    planned: list[tuple[int, PlacedItem, str, str | float | None]] = []
    id_column = mapping.get("id")
    written_ids = {_text(cells[id_column]) for _line, cells in table.rows
                   if id_column is not None and id_column < len(cells)}  # fmt: skip
    counter = _IdCounter(project, written_ids)
    for line, cells in table.rows:
        def cell(name: str, cells: tuple[str | float, ...] = cells) -> str | float:
            index = mapping.get(name)
            return cells[index] if index is not None and index < len(cells) else ""

        row_problems: list[str] = []
        notes: list[str] = []
        item_id = _identifier(_text(cell("id")), "id", row_problems) if _text(cell("id")) else ""
        type_text = _text(cell("catalog_id"))
        entry = resolver.entry(type_text, row_problems, notes) if type_text else None
        if not type_text:
            row_problems.append("no catalog id or type")
        hall_text = _text(cell("hall"))
        hall_id = resolver.hall(hall_text, row_problems) if hall_text else hall_fallback
        x_mm = _coordinate(cell("x"), "x", unit, scale, row_problems)
        y_mm = _coordinate(cell("y"), "y", unit, scale, row_problems)
        rotation = _optional_number(cell("rotation_deg"), "rotation", row_problems, -360.0, 360.0)
        label = _text(cell("label"))
        if len(label) > MAX_LABEL_CHARS:
            row_problems.append(f"label: longer than {MAX_LABEL_CHARS} characters")
        design_kw = _optional_number(cell("design_kw"), "design kW", row_problems, 0.0, MAX_DESIGN_KW)
        liquid = _optional_number(cell("liquid_fraction"), "liquid fraction", row_problems, 0.0, 1.0)
        weight = _optional_number(cell("weight_kg"), "weight kg", row_problems, 0.0, MAX_WEIGHT_KG)
        workload = _workload(_text(cell("workload")), row_problems)
        phase = _phase(_text(cell("phase")), entry, row_problems)
        in_service = _year(cell("in_service_year"), "in-service year", row_problems)
        retirement = _year(cell("retirement_year"), "retirement year", row_problems)
        if in_service is not None and retirement is not None and (why := years_problem(in_service, retirement)):
            row_problems.append(why)
        group_text = _text(cell("group"))
        group = _identifier(group_text, "group", row_problems) if group_text else None
        pod_text = _text(cell("pod"))
        pod_id = None
        if pod_text:
            if pod_text in project.pods:
                pod_id = pod_text
            else:
                notes.append(f"pod {cut(pod_text, 40)!r} is not a pod of the project; the item is placed on its own")
        rerated = entry is not None and (entry.is_rack or entry.role in RATING_OVERRIDE_ROLES)
        if design_kw is not None and entry is not None and not rerated:
            row_problems.append(f"design kW: a {entry.role.value} takes no rating of its own (racks and re-ratable"
                                " power and cooling equipment do)")  # fmt: skip
        if item_id and item_id in seen_ids:
            row_problems.append(f"id {cut(item_id, 40)!r} is also on line {seen_ids[item_id]}")
        existing = project.items.get(item_id) if item_id else None
        if item_id and existing is None and id_taken(project, item_id):
            row_problems.append(f"id {cut(item_id, 40)!r} is used by another kind of record in the project")
        if row_problems or entry is None or hall_id is None or x_mm is None or y_mm is None:
            results.append(RowResult(line, None, "skip", tuple(row_problems), tuple(notes),
                                     (_text(cell("id")), type_text)))  # fmt: skip
            continue
        if not item_id:
            item_id = counter.next(entry.kind.value)
        seen_ids[item_id] = line
        item = PlacedItem(
            id=item_id, catalog_id=entry.id, hall_id=hall_id, x_mm=x_mm, y_mm=y_mm,
            rotation_deg=(rotation or 0.0) % 360.0, label=label,
            pod_id=pod_id, group=group, design_kw=design_kw, workload=workload, liquid_fraction=liquid,
            weight_kg=weight, phase=phase, in_service_year=in_service, retirement_year=retirement,
        )  # fmt: skip
        if existing is not None:  # an update changes what the table has columns for, nothing else
            kept = {attr: getattr(existing, attr) for name, attr in _UPDATE_FIELDS.items() if name not in mapping}
            item = replace(item, **kept)
        action = "add" if existing is None else "update"
        planned.append((line, item, action, cell("feeds") if "feeds" in mapping else None))
        results.append(RowResult(line, item, action, (), tuple(notes)))
    return _with_feeds(project, results, planned, unit)


def _with_feeds(
    project: Project,
    results: list[RowResult],
    planned: list[tuple[int, PlacedItem, str, str | float | None]],
    unit: str,
) -> ItemsImport:
    """Resolve the feeds of the planned rows (a source may be another row of the same table)."""
    known = set(project.items) | {item.id for _line, item, _action, _feeds in planned}
    by_line = {row.line: index for index, row in enumerate(results)}
    connections: list[Connection] = []
    removed: list[Connection] = []
    counter = _IdCounter(project, known)
    for line, item, action, feeds in planned:
        if feeds is None:
            continue
        problems: list[str] = []
        parsed = _parse_feeds(_text(feeds), problems, known, item.id)
        if problems:  # the item still comes in; its feeds do not
            index = by_line[line]
            results[index] = replace(results[index], problems=tuple(problems))
            continue
        if action == "update":  # the feeds column says all of the item's supplies: the old ones go
            removed.extend(c for c in project.connections_of(item.id) if c.target_id == item.id)
        for source, kind, feed, medium in parsed:
            connections.append(Connection(counter.next("conn"), kind, source, item.id, feed=feed, medium=medium))
    adds = tuple(item for _line, item, action, _feeds in planned if action == "add")
    updates = tuple(item for _line, item, action, _feeds in planned if action == "update")
    return ItemsImport(
        rows=tuple(results), add=adds, update=updates,
        previous=tuple(project.items[item.id] for item in updates),
        add_connections=tuple(connections), remove_connections=tuple(removed), unit=unit,
    )  # fmt: skip


class _IdCounter:
    """``prefix-N`` ids that the project does not use, nor ``also_taken``, nor this counter handed out."""

    def __init__(self, project: Project, also_taken: Container[str] = ()) -> None:
        self._project = project
        self._also = also_taken
        self._next: dict[str, int] = {}

    def next(self, prefix: str) -> str:
        n = self._next.get(prefix, 0) + 1
        while id_taken(self._project, f"{prefix}-{n}") or f"{prefix}-{n}" in self._also:
            n += 1
        self._next[prefix] = n
        return f"{prefix}-{n}"


def _coordinate(value: str | float, what: str, unit: str, scale: float, problems: list[str]) -> float | None:
    limit = MAX_COORDINATE_MM / scale
    if value == "":
        problems.append(f"{what}: empty")
        return None
    number = _number(value, f"{what} ({unit})", problems, -limit, limit)
    return None if number is None else number * scale


def _optional_number(value: str | float, what: str, problems: list[str], low: float, high: float) -> float | None:
    if isinstance(value, str) and not value.strip():
        return None
    return _number(value, what, problems, low, high)


def _phase(text: str, entry: CatalogEntry | None, problems: list[str]) -> Phase | None:
    if not text:
        return None
    try:
        phase = Phase(text.upper())
    except ValueError:
        problems.append(f"phase {cut(text, 30)!r} is not one of {', '.join(p.value for p in Phase)}")
        return None
    why = phase_problem(entry, phase) if entry is not None else None
    if why:
        problems.append(f"phase: {why}")
        return None
    return phase


def _year(value: str | float, what: str, problems: list[str]) -> int | None:
    number = _optional_number(value, what, problems, YEAR_MIN, YEAR_MAX)
    if number is None:
        return None
    if not float(number).is_integer():
        problems.append(f"{what}: {number} is not a whole year")
        return None
    return int(number)


def _workload(text: str, problems: list[str]) -> WorkloadClass | None:
    if not text:
        return None
    try:
        return WorkloadClass(text.lower())
    except ValueError:
        problems.append(f"workload {cut(text, 30)!r} is not one of {', '.join(w.value for w in WorkloadClass)}")
        return None


def _parse_feeds(
    text: str, problems: list[str], known: set[str], target: str
) -> list[tuple[str, ConnectionKind, FeedSide, CoolingMedium]]:
    parsed: list[tuple[str, ConnectionKind, FeedSide, CoolingMedium]] = []
    parts = [part.strip() for part in text.split(";") if part.strip()]
    if len(parts) > MAX_FEEDS:
        problems.append(f"feeds: {len(parts)} feeds, more than {MAX_FEEDS}")
        return []
    for part in parts:
        match = _FEED_RE.match(part)
        tag = match.group("tag").strip().lower() if match else ""
        source = match.group("source").strip() if match else part
        if tag in _POWER_TAGS:
            parsed.append((source, ConnectionKind.POWER, _POWER_TAGS[tag], CoolingMedium.AIR))
        elif tag in _COOLING_TAGS:
            parsed.append((source, ConnectionKind.COOLING, FeedSide.SINGLE, _COOLING_TAGS[tag]))
        else:
            problems.append(f"feed {cut(part, 40)!r}: write 'source-id (A|B|single)' for power or "
                            "'source-id (air|liquid)' for cooling")  # fmt: skip
            continue
        if source not in known:
            problems.append(f"feed {cut(part, 40)!r}: no item {cut(source, 40)!r} in the project or the table")
        elif source == target:
            problems.append(f"feed {cut(part, 40)!r}: an item cannot feed itself")
    return parsed


# ====================================================================== applying
def apply_import(project: Project, plan: ItemsImport) -> None:
    """Do what ``plan`` says, through the project's methods."""
    if plan.remove_connections:
        project.remove_connections([c.id for c in plan.remove_connections])
    if plan.update:
        project.update_items(plan.update)
    if plan.add:
        project.add_items(plan.add)
    if plan.add_connections:
        project.add_connections(plan.add_connections)


def revert_import(project: Project, plan: ItemsImport) -> None:
    """Undo :func:`apply_import` of ``plan``."""
    if plan.add_connections:
        project.remove_connections([c.id for c in plan.add_connections])
    if plan.add:
        project.remove_items([item.id for item in plan.add])
    if plan.previous:
        project.update_items(plan.previous)
    if plan.remove_connections:
        project.add_connections(plan.remove_connections)


# ====================================================================== export
def _num_text(value: float) -> float:
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else value


def item_records(project: Project, hall_id: str | None = None) -> list[list[object]]:
    """One record per item (of ``hall_id`` only when given), in EXPORT_HEADER's order; numbers stay numbers."""
    feeds: dict[str, list[str]] = {}
    for connection in project.connections.values():
        tag = connection.feed.value if connection.kind is ConnectionKind.POWER else connection.medium.value
        feeds.setdefault(connection.target_id, []).append(f"{connection.source_id} ({tag})")
    records: list[list[object]] = []
    for item in project.items.values():
        if hall_id is not None and item.hall_id != hall_id:
            continue
        records.append([
            item.id, item.catalog_id, item.hall_id, _num_text(item.x_mm), _num_text(item.y_mm),
            _num_text(item.rotation_deg) if item.rotation_deg else "", item.label,
            "" if item.design_kw is None else _num_text(item.design_kw),
            "" if item.workload is None else item.workload.value,
            "" if item.liquid_fraction is None else _num_text(item.liquid_fraction),
            "; ".join(feeds.get(item.id, [])), item.group or "", item.pod_id or "",
            "" if item.weight_kg is None else _num_text(item.weight_kg),
            "" if item.phase is None else item.phase.value,
            "" if item.in_service_year is None else item.in_service_year,
            "" if item.retirement_year is None else item.retirement_year,
        ])  # fmt: skip
    return records


def escape_cell(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading ``'``; so does text already starting with one."""
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, "'")):
        return "'" + value
    return value


def items_csv_bytes(project: Project, hall_id: str | None = None) -> bytes:
    """The items as UTF-8 CSV (with a byte-order mark, so spreadsheets read accents right)."""
    stream = io.StringIO(newline="")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(EXPORT_HEADER)
    for record in item_records(project, hall_id):
        writer.writerow([escape_cell(value) for value in record])
    return b"\xef\xbb\xbf" + stream.getvalue().encode("utf-8", errors="replace")


def write_items_csv(project: Project, path: Path, hall_id: str | None = None) -> None:
    write_export(path, items_csv_bytes(project, hall_id), "item table")


def fill_items_sheet(sheet: object, project: Project, hall_id: str | None = None) -> None:
    """Header and item rows on an openpyxl sheet; text stays text (a label "=1+1" is no formula)."""
    sheet.append(list(EXPORT_HEADER))  # type: ignore[attr-defined]
    for row, record in enumerate(item_records(project, hall_id), start=2):
        values = [_xlsx_text(value) for value in record]
        sheet.append(values)  # type: ignore[attr-defined]
        for column, value in enumerate(values, start=1):
            if isinstance(value, str) and value.startswith("="):
                sheet.cell(row, column).data_type = "s"  # type: ignore[attr-defined]


def _xlsx_text(value: object) -> object:
    if not isinstance(value, str):
        return value
    text = "".join(" " if ord(ch) < 32 and ch not in "\t\n\r" else ch for ch in value)
    return text.encode("utf-8", errors="replace").decode("utf-8")


def write_items_xlsx(project: Project, path: Path, hall_id: str | None = None) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ITEMS_SHEET
    fill_items_sheet(sheet, project, hall_id)
    stream = io.BytesIO()
    workbook.save(stream)
    write_export(path, stream.getvalue(), "item workbook")


def problem_lines(plan: ItemsImport, limit: int = 50) -> list[str]:
    """``line N: problem`` for the rows with problems (at most ``limit``, then how many more)."""
    lines = [*plan.problems]
    rows = plan.problem_rows
    for row in rows[:limit]:
        lines.append(f"line {row.line}: " + "; ".join(row.problems))
    if len(rows) > limit:
        lines.append(f"... and {len(rows) - limit:,} more rows with problems")
    return lines


def mapping_names(header: Sequence[str], mapping: Mapping[str, int]) -> dict[str, str]:
    """field -> header name, to remember a mapping between sessions."""
    return {name: header[index] for name, index in mapping.items() if index < len(header)}


def id_taken(project: Project, record_id: str) -> bool:
    """True when any record of ``project`` (item, connection, hall, pod, scenario) has ``record_id``."""
    return any(
        record_id in records
        for records in (project.items, project.connections, project.halls, project.pods, project.scenarios)
    )
