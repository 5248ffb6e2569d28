"""Bill of materials and component schedule: build the rows, write them as CSV or XLSX."""

from __future__ import annotations

import copy
import csv
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from designer.io.bibliography import references
from designer.io.project_file import write_export
from designer.model import effective
from designer.model.catalog import Catalog, merged_catalog
from designer.model.project import Project
from designer.model.roles import RATING_OVERRIDE_ROLES
from designer.model.types import ItemKind, Role

if TYPE_CHECKING:  # typing only: no analysis at run time; openpyxl only when an XLSX is written
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    from designer.analysis.electrical import ElectricalResults
    from designer.analysis.results import Results

KIND_ORDER = {kind: index for index, kind in enumerate(ItemKind)}

BOM_HEADER = (
    "Catalog id", "Name", "Kind", "Role", "Count", "Unit rating kW", "Total rating kW",
    "Unit weight kg", "Total weight kg", "Footprint mm", "Source", "Confidence", "Overrides",
)  # fmt: skip
SCHEDULE_HEADER = (
    "Id", "Label", "Kind", "Role", "Load kW", "Capacity kW", "Utilization", "Worst single-failure utilization",
    "Capacity from",
)  # fmt: skip
CABLE_HEADER = (
    "Cable", "Material", "Standard", "Runs", "Conductor sets", "Total length m", "Largest breaker A",
)  # fmt: skip
CABLE_SCHEDULE_HEADER = (
    "Connection", "From", "To", "Feed", "Voltage V", "Phases", "Design A", "Breaker A", "Cable", "Route m",
    "Length m", "Voltage drop", "Same hall",
)  # fmt: skip
BUSWAY_HEADER = ("Busway", "Run length m")
BOM_SHEET = "Bill of materials"
CABLE_SHEET = "Cables"
CABLE_SCHEDULE_SHEET = "Cable schedule"
SCHEDULE_SHEET = "Component schedule"
REFERENCES_SHEET = "References"
KW_FORMAT = "#,##0.0"
KG_FORMAT = "#,##0"
COUNT_FORMAT = "0"
SHARE_FORMAT = "0.0%"


@dataclass(frozen=True, slots=True)
class BomRow:
    """One catalog entry used by the design: how many, their ratings and weights, and the source.

    Racks are rated by design IT kW (per-item overrides included in the total; the unit figure is
    the catalog default), power equipment by rated kW, cooling equipment by rated thermal kW.
    Equipment re-rated by a per-item override (a UPS with fewer modules) and racks of an overridden
    weight get a row of their own, with the override as the unit figure; ``overrides`` says so.
    """

    catalog_id: str
    name: str
    kind: str
    role: str
    count: int
    unit_rating_kw: float
    total_rating_kw: float
    unit_weight_kg: float
    total_weight_kg: float
    footprint_mm: str
    source: str
    confidence: str
    overrides: str = ""
    """What per-item overrides the row carries ("" when none), e.g. "rating 625 kW (catalog 1,250 kW)"."""


@dataclass(frozen=True, slots=True)
class BomTotal:
    """A subtotal per kind or the grand total. ``total_rating_kw`` is None for the grand total:
    IT kW, electrical kW and thermal kW do not add up to anything meaningful."""

    label: str
    count: int
    total_rating_kw: float | None
    total_weight_kg: float


@dataclass(frozen=True, slots=True)
class ComponentScheduleRow:
    """One power or cooling component at the analysed hour. Utilisations are fractions (1.0 = 100 %);
    ``worst_single_failure_utilization`` is NaN when failures were not analysed."""

    id: str
    label: str
    kind: str
    role: str
    load_kw: float
    capacity_kw: float
    utilization: float
    worst_single_failure_utilization: float
    capacity_from: str = ""
    """"override" when the item's rating is its own, "catalog" otherwise ("" without the project)."""


@dataclass(frozen=True, slots=True)
class CableRow:
    """One conductor size of the design: how many runs, how many conductor sets, how many metres."""

    cable: str
    """The conductor size of one set (``240 mm²``, ``250 kcmil``)."""
    material: str
    standard: str
    runs: int
    conductor_sets: int
    total_length_m: float
    """Over every set of every run (a run of 3 parallel sets counts three times its length)."""
    largest_breaker_a: float | None


def cable_rows(electrical: ElectricalResults, *, item_ids: set[str] | None = None) -> list[CableRow]:
    """The cables of ``electrical`` by conductor size, smallest first (runs with both ends in ``item_ids`` only
    when given); medium-voltage runs, which the tables do not size, are left out."""
    by_size: dict[str, list[tuple[int, float, float | None, float]]] = {}
    for feed in electrical.feeds:
        if not feed.cable or (item_ids is not None and not {feed.source_id, feed.target_id} <= item_ids):
            continue
        size = feed.cable.split(" x ", 1)[1] if feed.cable_parallel > 1 else feed.cable
        by_size.setdefault(size, []).append((feed.cable_parallel, feed.length_m, feed.breaker_a, feed.cable_area_mm2))
    rows = []
    for size, runs in sorted(by_size.items(), key=lambda pair: pair[1][0][3]):
        breakers = [b for _n, _m, b, _a in runs if b is not None]
        rows.append(CableRow(size, electrical.material, electrical.table_name, len(runs), sum(n for n, *_ in runs),
                             math.fsum(n * m for n, m, _b, _a in runs), max(breakers) if breakers else None))
    return rows


def _cable_values(row: CableRow) -> list[object]:
    return [row.cable, row.material, row.standard, row.runs, row.conductor_sets, round(row.total_length_m, 1),
            row.largest_breaker_a]


def _cable_schedule_values(electrical: ElectricalResults) -> list[list[object]]:
    return [[f.connection_id, f.source_id, f.target_id, f.feed, f.voltage_v, f.phases, _finite(round(f.design_a, 1)),
             f.breaker_a, f.cable, round(f.route_m, 2), round(f.length_m, 2), round(f.voltage_drop, 5),
             "yes" if f.same_hall else "no"] for f in electrical.feeds]


def _mm(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def bill_of_materials(project: Project, catalog: Catalog, *, hall_id: str | None = None) -> list[BomRow]:
    """One row per catalog entry used (in ``hall_id`` only when given), sorted by kind then catalog id."""
    entries = merged_catalog(catalog, project.custom_catalog)
    counts: dict[_RowKey, int] = {}
    rating_kw: dict[_RowKey, float] = {}
    rack_overrides: dict[_RowKey, dict[str, int]] = {}
    for item in project.items.values():
        if hall_id is not None and item.hall_id != hall_id:
            continue
        entry = entries.get(item.catalog_id)
        if entry is None:
            raise ValueError(f"item {item.id!r}: unknown catalog id {item.catalog_id!r}")
        values = effective.overridden(item, entry)
        # a re-rated unit or a rack of another weight is another thing to buy or carry in: its own row
        rating = None if entry.is_rack else values.get("design_kw")
        key = (entry.id, rating, values.get("weight_kg"))
        counts[key] = counts.get(key, 0) + 1
        rating_kw[key] = rating_kw.get(key, 0.0) + effective.design_kw(item, entry)
        if entry.is_rack:
            marks = rack_overrides.setdefault(key, {})
            for name in ("design_kw", "liquid_fraction"):
                marks[name] = marks.get(name, 0) + (name in values)
    rows = []

    def order(key: _RowKey) -> tuple[object, ...]:  # by kind, catalog id, then catalog figures first
        return (KIND_ORDER.get(entries[key[0]].kind, len(KIND_ORDER)), key[0], key[1] is not None, key[1] or 0.0,
                key[2] is not None, key[2] or 0.0)

    for key in sorted(counts, key=order):
        count = counts[key]
        catalog_id, rating, weight = key
        entry = entries[catalog_id]
        unit_weight = entry.weight_kg if weight is None else weight
        rows.append(
            BomRow(
                catalog_id=entry.id,
                name=entry.name,
                kind=str(entry.kind),
                role=str(entry.role),
                count=count,
                unit_rating_kw=entry.capacity_kw if rating is None else rating,
                total_rating_kw=rating_kw[key],
                unit_weight_kg=unit_weight,
                total_weight_kg=unit_weight * count,
                footprint_mm=f"{_mm(entry.width_mm)} x {_mm(entry.depth_mm)}",
                source=entry.source,
                confidence=str(entry.confidence),
                overrides=_override_text(entry.capacity_kw, entry.weight_kg, key, count, rack_overrides.get(key, {})),
            )
        )
    return rows


_RowKey = tuple[str, float | None, float | None]
"""(catalog id, rating override of equipment, weight override of racks)."""
_RACK_MARKS = {"design_kw": "design kW", "liquid_fraction": "liquid fraction"}


def _override_text(catalog_kw: float, catalog_kg: float, key: _RowKey, count: int, marks: dict[str, int]) -> str:
    parts = []
    if key[1] is not None:
        parts.append(f"rating {key[1]:,.1f} kW (catalog {catalog_kw:,.1f} kW)".replace(".0 ", " "))
    if key[2] is not None:
        parts.append(f"weight {key[2]:,.0f} kg (catalog {catalog_kg:,.0f} kg)")
    parts += [f"{_RACK_MARKS[name]} overridden on {n} of {count}" for name, n in marks.items() if n]
    return "; ".join(parts)


def bom_references(rows: Sequence[BomRow]) -> list[str]:
    """The full citation of every source key the rows' sources cite (``resources/bibliography.json``)."""
    return references(" ".join(row.source for row in rows))


def bom_totals(rows: Sequence[BomRow]) -> list[BomTotal]:
    """A subtotal per kind present (in BOM order), then the grand total of counts and weights."""
    totals: list[BomTotal] = []
    for kind in dict.fromkeys(row.kind for row in rows):
        of_kind = [row for row in rows if row.kind == kind]
        totals.append(
            BomTotal(
                f"Subtotal {kind}",
                sum(row.count for row in of_kind),
                math.fsum(row.total_rating_kw for row in of_kind),
                math.fsum(row.total_weight_kg for row in of_kind),
            )
        )
    totals.append(
        BomTotal("Total", sum(row.count for row in rows), None, math.fsum(row.total_weight_kg for row in rows))
    )
    return totals


def _bom_values(row: BomRow) -> list[object]:
    return [
        row.catalog_id, row.name, row.kind, row.role, row.count, row.unit_rating_kw, row.total_rating_kw,
        row.unit_weight_kg, row.total_weight_kg, row.footprint_mm, row.source, row.confidence, row.overrides,
    ]  # fmt: skip


def _total_values(total: BomTotal) -> list[object]:
    return [total.label, "", "", "", total.count, None, total.total_rating_kw, None, total.total_weight_kg, "", "", "",
            ""]


def _finite(value: float) -> float | None:
    """``value``, or None (an empty cell) for NaN and infinities, which spreadsheets cannot hold."""
    return value if math.isfinite(value) else None


def _schedule_values(row: ComponentScheduleRow) -> list[object]:
    return [
        row.id, row.label, row.kind, row.role, _finite(row.load_kw), _finite(row.capacity_kw),
        _finite(row.utilization), _finite(row.worst_single_failure_utilization), row.capacity_from,
    ]  # fmt: skip


def _csv_text(header: Sequence[str], records: Iterable[Sequence[object]]) -> bytes:
    stream = io.StringIO(newline="")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(header)
    for record in records:
        writer.writerow(["" if value is None else csv_safe(value) for value in record])
    return stream.getvalue().encode("utf-8", errors="replace")  # a lone surrogate becomes "?"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection")."""


def csv_safe(value: object) -> object:
    """``value`` for a CSV cell: text that a spreadsheet would run as a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _write(path: Path, data: bytes, what: str) -> None:
    write_export(path, data, what)


def write_bom_csv(rows: Sequence[BomRow], path: Path, *, include_totals: bool = True,
                  cables: Sequence[CableRow] | None = None,
                  busways: Sequence[tuple[str, float]] | None = None) -> None:
    """The bill of materials as UTF-8 CSV; the subtotal and total rows follow the item rows. ``cables``
    (conductor sizes and lengths) and ``busways`` (run lengths) follow as tables of their own, each after
    an empty line and its header."""
    records = [_bom_values(row) for row in rows]
    if include_totals:
        records += [_total_values(total) for total in bom_totals(rows)]
    data = _csv_text(BOM_HEADER, records)
    if cables:
        data += b"\r\n" + _csv_text(CABLE_HEADER, [_cable_values(row) for row in cables])
    if busways:
        data += b"\r\n" + _csv_text(BUSWAY_HEADER, [[name, round(length, 2)] for name, length in busways])
    _write(path, data, "bill of materials")


def write_schedule_csv(rows: Sequence[ComponentScheduleRow], path: Path) -> None:
    """The component schedule as UTF-8 CSV; NaN (not analysed) and infinite values are left empty."""
    _write(path, _csv_text(SCHEDULE_HEADER, [_schedule_values(row) for row in rows]), "component schedule")


def write_bom_xlsx(
    rows: Sequence[BomRow],
    path: Path,
    schedule_rows: Sequence[ComponentScheduleRow] | None = None,
    electrical: ElectricalResults | None = None,
    *,
    items_of: Project | None = None,
    items_hall_id: str | None = None,
) -> None:
    """An XLSX workbook: the bill of materials with totals, the component schedule when given, with
    ``electrical`` the cables by size (with busway run lengths) and the cable schedule run by run, and the
    placed items of ``items_of`` (of ``items_hall_id`` only when given) on an "Items" sheet that
    ``dc-designer import-items`` and File ▸ Import ▸ Items read back unchanged.

    Written in openpyxl's write-only mode: each row goes out as it is appended, where a normal
    workbook keeps every cell and sorts them all on save (seconds at 50,000 racks)."""
    from openpyxl import Workbook
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(BOM_SHEET)
    records = [_bom_values(row) for row in rows]
    totals = [_total_values(total) for total in bom_totals(rows)]
    _fill_sheet(sheet, BOM_HEADER, records,
                {5: COUNT_FORMAT, 6: KW_FORMAT, 7: KW_FORMAT, 8: KG_FORMAT, 9: KG_FORMAT},
                totals=totals, total_formats={5: COUNT_FORMAT, 7: KW_FORMAT, 9: KG_FORMAT})
    if schedule_rows is not None:
        schedule = workbook.create_sheet(SCHEDULE_SHEET)
        if schedule_rows:
            over = PatternFill(start_color="FFF4C7C3", end_color="FFF4C7C3", fill_type="solid")
            cells = f"G2:H{len(schedule_rows) + 1}"
            schedule.conditional_formatting.add(cells, CellIsRule(operator="greaterThan", formula=["1"], fill=over))
        _fill_sheet(schedule, SCHEDULE_HEADER, [_schedule_values(row) for row in schedule_rows],
                    {5: KW_FORMAT, 6: KW_FORMAT, 7: SHARE_FORMAT, 8: SHARE_FORMAT})  # fmt: skip
    if electrical is not None:
        cable_sheet = workbook.create_sheet(CABLE_SHEET)
        cables = [_cable_values(row) for row in cable_rows(electrical)]
        cables += [[], list(BUSWAY_HEADER), *([b.item_id, round(b.length_m, 2)] for b in electrical.busways)]
        _fill_sheet(cable_sheet, CABLE_HEADER, [r + [None] * (len(CABLE_HEADER) - len(r)) for r in cables], {})
        _fill_sheet(workbook.create_sheet(CABLE_SCHEDULE_SHEET), CABLE_SCHEDULE_HEADER,
                    _cable_schedule_values(electrical), {12: "0.00%"})
    if items_of is not None:
        from designer.io.items_csv import EXPORT_HEADER, ITEMS_SHEET, item_records

        items = workbook.create_sheet(ITEMS_SHEET)  # plain: the header and the rows, as import-items reads
        items.append(list(EXPORT_HEADER))
        for record in item_records(items_of, items_hall_id):
            _append_row(items, record)
    citations = bom_references(rows)
    if citations:  # the sources the rows cite, in full
        _fill_sheet(workbook.create_sheet(REFERENCES_SHEET), ("Reference",), [(line,) for line in citations], {})
    stream = io.BytesIO()
    workbook.save(stream)
    _write(path, stream.getvalue(), "bill of materials workbook")


_XML_FORBIDDEN_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""The control characters XML 1.0 forbids (tab, line feed and carriage return are allowed)."""


def _cell_value(value: object) -> object:
    """Text an XLSX cell can hold: no control characters XML forbids, no lone surrogates."""
    if not isinstance(value, str):
        return value
    if value.isascii():  # nearly every cell: no surrogate can be in it, so only the control characters
        return _XML_FORBIDDEN_CONTROL.sub(" ", value)
    text = _XML_FORBIDDEN_CONTROL.sub(" ", value)
    return text.encode("utf-8", errors="replace").decode("utf-8")


def _append_row(sheet: WriteOnlyWorksheet, record: Sequence[object],
                styles: Mapping[int, WriteOnlyCell] | None = None) -> None:
    """Append ``record`` to a write-only sheet; a column of ``styles`` (1-based) takes that cell's style
    (font, number format). Text is always stored as text: a label "=1+1" must not become a formula."""
    from openpyxl.cell import WriteOnlyCell

    values: list[object] = [_cell_value(value) for value in record]
    for index, value in enumerate(values):
        style = styles.get(index + 1) if styles else None
        formula_like = isinstance(value, str) and value.startswith("=")
        if style is None and not formula_like:
            continue
        cell = WriteOnlyCell(sheet, value)
        if formula_like:
            cell.data_type = "s"
        if style is not None:
            cell._style = copy.copy(style._style)
        values[index] = cell
    sheet.append(values)


def _styled(sheet: WriteOnlyWorksheet, *, bold: bool = False, number_format: str | None = None) -> WriteOnlyCell:
    """A cell whose style the cells of a column copy (one style lookup per column, not per cell)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet)
    if bold:
        cell.font = Font(bold=True)
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _fill_sheet(
    sheet: WriteOnlyWorksheet, header: Sequence[str], records: Sequence[Sequence[object]], formats: dict[int, str],
    *, totals: Sequence[Sequence[object]] = (), total_formats: Mapping[int, str] | None = None,
) -> None:
    """Header (bold, frozen, filterable), records with number formats by 1-based column, then ``totals``
    (bold, ``total_formats`` by column), column widths fitted to the header and records."""
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(records) + 1)}"
    for index, title in enumerate(header, start=1):  # a write-only sheet takes its widths before its rows
        longest = max([len(title), *(len(str(r[index - 1])) for r in records if r[index - 1] is not None)])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, longest + 2))
    bold = _styled(sheet, bold=True)
    _append_row(sheet, header, dict.fromkeys(range(1, len(header) + 1), bold))
    column_styles = {column: _styled(sheet, number_format=f) for column, f in formats.items()}
    for record in records:
        # a short record still gets its formatted columns, as empty formatted cells
        width = max([len(record), *(c for c in column_styles if c <= len(header))]) if column_styles else len(record)
        _append_row(sheet, [*record, *[None] * (width - len(record))], column_styles)
    total_styles = {column: _styled(sheet, bold=True, number_format=(total_formats or {}).get(column))
                    for column in range(1, len(header) + 1)}
    for values in totals:
        _append_row(sheet, values, {c: s for c, s in total_styles.items() if c <= len(values)})


def schedule_rows_from_results(results: Results, project: Project | None = None) -> list[ComponentScheduleRow]:
    """The component schedule of an analysis, in the results' order; labels come from ``project`` if given."""
    labels = {item.id: item.label for item in project.items.values()} if project is not None else {}
    # components are never racks: a design_kw on one whose role takes a rating is its rating
    rerated = None if project is None else {
        item.id for item in project.items.values() if item.design_kw is not None}
    rows = []
    for index, component_id in enumerate(results.component_ids.tolist()):
        rows.append(
            ComponentScheduleRow(
                id=str(component_id),
                label=labels.get(str(component_id), ""),
                kind=str(results.component_kinds[index]),
                role=str(results.component_roles[index]),
                load_kw=float(results.component_load_kw[index]),
                capacity_kw=float(results.component_capacity_kw[index]),
                utilization=float(results.component_utilization[index]),
                worst_single_failure_utilization=float(results.component_worst_failure_utilization[index]),
                capacity_from="" if rerated is None else "override" if component_id in rerated and Role(
                    str(results.component_roles[index])) in RATING_OVERRIDE_ROLES else "catalog",
            )
        )
    return rows

