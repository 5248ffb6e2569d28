"""Headless imports: ``import-items`` (CSV/XLSX rows), ``import-dcim`` (NetBox / RacksDB hall) and
``import-device-types`` (NetBox device-type YAML into the user catalog). No Qt.

Exit status (as every command): 0 everything imported; 1 some rows or files had problems and were
skipped (the rest is written, unless ``--strict``); 2 bad input (an unreadable file, a required
column without a mapping, nothing importable); 3 an unexpected failure.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
IMPORT_COMMANDS = ("import-items", "import-dcim", "import-device-types")


def add_import_parsers(sub: Any) -> None:
    """The three subcommands on the CLI's subparsers."""
    from designer.export_cli import bounded_int

    items = sub.add_parser(
        "import-items", help="add or update placed items from a CSV or XLSX table; writes a new project file",
        description="One row per item: id, catalog id or type, hall, x, y, rotation, label, design kW, workload, "
        "liquid fraction, feeds, group, pod, weight kg. Columns are matched by name unless --map says otherwise. "
        "Exit 0: every row imported; 1: rows with problems were skipped (listed); 2: bad input; 3: unexpected.",
    )
    items.add_argument("plan", type=Path, help="project file (.dcplan)")
    items.add_argument("table", type=Path, help="CSV or XLSX file")
    items.add_argument("-o", "--output", type=Path, required=True, help="project file to write (may be PLAN)")
    items.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                       help="map a field to a column header, e.g. --map x='Pos X' (repeatable)")
    items.add_argument("--unit", choices=("mm", "m", "ft"), help="unit of x and y (default: from the header, else mm)")
    items.add_argument("--hall", help="hall (id or name) of rows without one (default: the first hall)")
    items.add_argument("--sheet", help="XLSX sheet (default: 'Items', else the first)")
    items.add_argument("--encoding", default="auto", choices=("auto", "utf-8", "utf-16", "cp1252", "latin-1"),
                       help="CSV encoding (default: from the byte-order mark, else strict UTF-8)")
    items.add_argument("--strict", action="store_true", help="write nothing when any row has a problem")

    dcim = sub.add_parser(
        "import-dcim", help="a new hall from NetBox exported data (JSON) or a RacksDB inventory (YAML or folder)",
        description="Racks placed in rows, NetBox power panels and feeds wired; prints what was mapped, assumed "
        "and skipped. Exit 0 on success, 2 on bad input, 3 unexpected.",
    )
    dcim.add_argument("plan", type=Path, help="project file (.dcplan)")
    dcim.add_argument("inventory", type=Path, help="NetBox .json, RacksDB datacenter .yml or RacksDB db folder")
    dcim.add_argument("-o", "--output", type=Path, required=True, help="project file to write (may be PLAN)")
    dcim.add_argument("--site", help="NetBox site (name or slug) or RacksDB room (default: the one with most racks)")
    dcim.add_argument("--json", action="store_true", help="print the report as JSON")

    types = sub.add_parser(
        "import-device-types", help="NetBox device-type library YAML files into the user catalog",
        description="Each file becomes a rack PDU or a rack catalog entry, or gets the reason it cannot. "
        "Exit 0: all imported; 1: some files skipped (the rest written); 2: none importable; 3: unexpected.",
    )
    types.add_argument("paths", type=Path, nargs="+", help="YAML files or folders (searched recursively)")
    types.add_argument("-o", "--output", type=Path,
                       help="catalog file to add the entries to (default: netbox-device-types.json in the user "
                       "catalog folder, see 'dc-designer paths')")
    types.add_argument("--per-rack", type=bounded_int("--per-rack", 1, 200),
                       help="devices per rack (default: as many as fit in 36 U)")
    types.add_argument("--dry-run", action="store_true", help="report only; write nothing")


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in text)


def _save(project: Any, output: Path, catalog: Any) -> None:
    """Write ``project`` to ``output`` after checking that the file will open again."""
    from designer.cli import CliError
    from designer.io.atomic_write import NotARegularFileError
    from designer.io.errors import FileFormatError
    from designer.io.project_file import save_project

    try:
        save_project(project, output, catalog=catalog)
    except FileFormatError as error:
        raise CliError(error.one_line()) from None
    except NotARegularFileError as error:
        raise CliError(str(error)) from None
    except OSError as error:
        raise CliError(f"{output}: {error}") from None


def cmd_import_items(options: argparse.Namespace) -> int:
    from designer.cli import CliError, _load
    from designer.io.errors import FileFormatError
    from designer.io.items_csv import (
        apply_import,
        guess_mapping,
        guess_unit,
        mapping_by_names,
        missing_required,
        plan_import,
        problem_lines,
    )
    from designer.io.table_read import read_table

    catalog, project = _load(options.plan)
    try:
        table = read_table(options.table, encoding=options.encoding, sheet=options.sheet)
    except FileFormatError as error:
        raise CliError(error.one_line()) from None
    mapping = guess_mapping(table.header)
    names: dict[str, str] = {}
    for text in options.map:
        field, sep, column = text.partition("=")
        if not sep:
            raise CliError(f"--map {text!r}: write FIELD=COLUMN")
        names[field.strip()] = column.strip()
    explicit, problems = mapping_by_names(table.header, names)
    if problems:
        raise CliError(f"{options.table}: " + "; ".join(problems))
    mapping = {name: index for name, index in mapping.items() if index not in explicit.values()} | explicit
    missing = missing_required(mapping)
    if missing:
        raise CliError(f"{options.table}: no column for {', '.join(missing)} (columns: "
                       f"{_printable(', '.join(table.header))}); map one with --map FIELD=COLUMN")  # fmt: skip
    hall = None
    if options.hall is not None:
        hall = options.hall if options.hall in project.halls else next(
            (h.id for h in project.halls.values() if h.name == options.hall), None)  # fmt: skip
        if hall is None:
            raise CliError(f"--hall {options.hall!r}: no such hall in {options.plan}")
    unit = options.unit or guess_unit(table.header, mapping)
    plan = plan_import(table, mapping, project, catalog, unit=unit, default_hall_id=hall)
    if plan.problems:
        raise CliError(f"{options.table}: " + "; ".join(plan.problems))
    print(f"{options.table}: {len(table.rows):,} rows; coordinates in {unit}; "
          + ", ".join(f"{name}={_printable(table.header[index])!r}" for name, index in mapping.items()))  # fmt: skip
    for line in problem_lines(plan):
        print(f"  {_printable(line)}")
    print(plan.summary())
    if not plan.add and not plan.update:
        raise CliError(f"{options.table}: no row could be imported")
    if plan.problem_rows and options.strict:
        print(f"--strict: nothing written ({len(plan.problem_rows):,} rows with problems)")
        return EXIT_FINDINGS
    apply_import(project, plan)
    _save(project, options.output, catalog)
    print(f"wrote {options.output}")
    return EXIT_FINDINGS if plan.problem_rows else EXIT_OK


def cmd_import_dcim(options: argparse.Namespace) -> int:
    from designer.cli import CliError, _load
    from designer.io.dcim_import import apply_dcim, import_dcim, report_json
    from designer.io.errors import FileFormatError

    catalog, project = _load(options.plan)
    try:
        imported = import_dcim(options.inventory, project, catalog, site=options.site)
    except FileFormatError as error:
        raise CliError(error.one_line()) from None
    apply_dcim(project, imported)
    _save(project, options.output, catalog)
    if options.json:
        print(report_json(imported))
    else:
        for line in imported.report_lines():
            print(_printable(line))
        print(f"wrote {options.output}")
    return EXIT_OK


def cmd_import_device_types(options: argparse.Namespace) -> int:
    from designer.cli import CliError
    from designer.io.errors import FileFormatError
    from designer.io.netbox_types import import_device_types, save_entries, user_catalog_path, yaml_files

    paths: list[Path] = []
    for path in options.paths:
        if path.is_dir():
            paths.extend(yaml_files(path))
        else:
            paths.append(path)
    if not paths:
        raise CliError("no YAML files found")
    report = import_device_types(paths, per_rack=options.per_rack)
    for line in report.lines():
        print(_printable(line))
    entries = report.entries
    skipped = len(report.results) - len(entries)
    print(f"{len(entries)} entries, {skipped} files skipped")
    if not entries:
        raise CliError("no device type could be imported")
    if not options.dry_run:
        target = options.output or user_catalog_path()
        try:
            total = save_entries(entries, target)
        except FileFormatError as error:
            raise CliError(error.one_line()) from None
        except OSError as error:
            raise CliError(f"{target}: {error}") from None
        print(f"wrote {target} ({total} entries)", file=sys.stdout)
    return EXIT_FINDINGS if skipped else EXIT_OK


HANDLERS = {
    "import-items": cmd_import_items,
    "import-dcim": cmd_import_dcim,
    "import-device-types": cmd_import_device_types,
}
