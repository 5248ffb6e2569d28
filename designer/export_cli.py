"""``dc-designer export``: plans (PNG/SVG/PDF), DXF, bill of materials (CSV/XLSX) and the report, headless.

DXF, CSV and XLSX never load Qt; the Qt-rendered formats start an offscreen QGuiApplication when
there is no display.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from designer.exports import EXPORTS, FORMAT_BY_SUFFIX, ExportJob

FORMATS = tuple(EXPORTS)
PAGES = ("A4", "A3", "Letter", "Tabloid")
OVERLAYS = ("power", "cooling", "utilisation")
DPI_RANGE = (10, 1200)
"""PNG resolution, as the export dialog allows: 2000 dpi took 3.2 GB, 5000 failed in QPainter."""
SCALE_RANGE = (1, 10_000)
"""Plan scale 1:N."""


class ExportError(Exception):
    """Bad input to the export command: printed as one line, exit status 2."""


def add_export_parser(sub: Any, positive_int: Any, share: Any) -> None:
    """The ``export`` subcommand's arguments (``sub`` is the argparse subparsers object)."""
    export = sub.add_parser("export", help="write a plan, DXF, bill of materials or the stakeholder report")
    export.add_argument("file", type=Path)
    export.add_argument("--format", "-f", choices=FORMATS, help="output format (default: from the -o suffix)")
    export.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    export.add_argument("--share", type=share, help="inference share 0..1 for the analysis (default: first year)")
    export.add_argument("--year", type=int, help="the design as built in this year of the active scenario (phased "
                        "build-out: items not yet in service or retired left out, drawn as ghosts on plans); "
                        "default: the first year")
    export.add_argument("--hall", help="hall id or name (default: the first hall with racks)")
    export.add_argument(
        "--dpi", type=bounded_int("--dpi", *DPI_RANGE), default=150, help="PNG resolution, 10..1200 (default 150)"
    )
    export.add_argument("--page", default="A3", help="sheet size for plans: " + ", ".join(PAGES) + " (default A3)")
    export.add_argument("--portrait", action="store_true", help="portrait sheet (default landscape)")
    export.add_argument(
        "--scale",
        type=bounded_int("--scale", *SCALE_RANGE),
        help="plan scale 1:N (default: the largest of 1:50, 1:100, 1:200, 1:500 that fits, else fit to page)",
    )
    export.add_argument(
        "--overlays",
        default="utilisation",
        help="plan overlays, comma-separated: power, cooling, utilisation, or none (default utilisation)",
    )


def bounded_int(option: str, low: int, high: int) -> Any:
    """An argparse type: a whole number from ``low`` to ``high``, else a one-line error naming ``option``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{option} {text[:40]!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{option} {value} must be between {_count(low)} and {_count(high)}")
        return value

    return parse


def _count(value: int) -> str:
    return f"{value:,}" if abs(value) >= 10_000 else str(value)


def run_export(options: argparse.Namespace, catalog: Any, project: Any) -> None:
    """Write the export ``options`` ask for; ExportError for bad input, OSError when writing fails."""
    fmt = options.format or FORMAT_BY_SUFFIX.get(options.output.suffix.lower())
    if fmt is None:
        raise ExportError(
            f"{options.output}: cannot tell the format from the name; give --format ({', '.join(FORMATS)})"
        )
    folder = options.output.parent if str(options.output.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"{options.output}: the folder {folder} does not exist")
    if options.output.is_dir():
        raise ExportError(f"{options.output}: is a folder, give a file name")
    page = next((p for p in PAGES if p.lower() == options.page.lower()), None)
    if page is None:
        raise ExportError(f"--page {options.page}: unknown page size (choose from {', '.join(PAGES)})")
    overlays = _overlays(options.overlays)
    year = checked_year(project, getattr(options, "year", None))
    hall_id = resolve_hall(project, catalog, options.hall)
    export = EXPORTS[fmt]
    plan = None
    if export.needs_qt:
        _ensure_qt_app()
    if export.plan:
        from designer.ui.export.plan import PlanOptions

        plan = PlanOptions(
            page=page, landscape=not options.portrait, scale=options.scale, dpi=options.dpi, overlays=overlays
        )
    job = ExportJob(
        project,
        catalog,
        hall_id,
        options.output,
        plan=plan,
        bom_hall_id=options.hall and hall_id,
        share=options.share,
        source=options.file,
        year=year,
    )
    pages = _checked(lambda: export.write(job))
    if pages is not None:
        print(f"{options.output}: stakeholder report, {pages} pages")
        return
    scope = f"hall {hall_id}" if not export.project_wide or options.hall else "the project"
    print(f"{options.output}: {fmt} of {scope}" + (f", as built in {year}" if year is not None else ""))


def checked_year(project: Any, year: int | None) -> int | None:
    """``year`` when it is one of the active scenario's years; ExportError naming the years otherwise."""
    if year is None:
        return None
    scenario = project.active_scenario
    years = [entry.year for entry in scenario.years] if scenario is not None else []
    if not years:
        raise ExportError(f"--year {year}: the design has no scenario years to choose from")
    if year not in years:
        listing = ", ".join(str(y) for y in years)
        raise ExportError(f"--year {year}: not a year of the scenario {scenario.name!r} (its years: {listing})")
    return year


def _overlays(text: str) -> frozenset[str]:
    names = {part.strip().lower() for part in text.split(",") if part.strip()}
    names = {"utilisation" if n == "utilization" else n for n in names} - {"none"}
    unknown = names - set(OVERLAYS)
    if unknown:
        raise ExportError(f"--overlays: unknown overlay {sorted(unknown)[0]!r} (choose from {', '.join(OVERLAYS)})")
    return frozenset(names)


def resolve_hall(project: Any, catalog: Any, wanted: str | None) -> str:
    """The hall named or id'd by ``wanted``, else the first hall with racks (else the first hall)."""
    halls = project.halls
    if not halls:
        raise ExportError("the project has no halls")
    if wanted:
        for hall in halls.values():
            if wanted in (hall.id, hall.name):
                return str(hall.id)
        listing = ", ".join(f"{h.id} ({h.name})" for h in halls.values())
        raise ExportError(f"--hall {wanted}: no such hall (halls: {listing})")
    from designer.model.types import ItemKind

    with_racks = {
        item.hall_id
        for item in project.items.values()
        if item.catalog_id in catalog and catalog[item.catalog_id].kind is ItemKind.RACK
    }
    return next((str(h) for h in halls if h in with_racks), str(next(iter(halls))))


def _checked(write: Any) -> Any:
    try:
        return write()
    except ValueError as error:
        raise ExportError(str(error).splitlines()[0]) from None


def _ensure_qt_app() -> None:
    """A QGuiApplication for painting; offscreen when no display is available."""
    if "QT_QPA_PLATFORM" not in os.environ and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or sys.platform in ("win32", "darwin")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    try:
        from PySide6.QtGui import QGuiApplication
    except ImportError as error:
        raise ExportError(f"this format needs Qt, which is not available ({error})") from None
    if QGuiApplication.instance() is None:
        _APP.append(QGuiApplication([sys.argv[0] if sys.argv else "dc-designer"]))


_APP: list[Any] = []
"""Keeps the application object alive for the rest of the process."""
