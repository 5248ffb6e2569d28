"""``dc-designer sites FILE [--site NAME,LAT,LON,CLIMATE[,TARIFF[,GRID_G[,LAND]]] ... | --sites sites.json] [--json]``:
the same design at candidate sites, side by side (without --site or --sites: the candidates the project keeps).
Headless; imports no Qt."""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def add_sites_parser(sub: Any) -> None:
    """Register the ``sites`` subcommand on ``sub`` (the CLI's subparsers)."""
    sites = sub.add_parser(
        "sites", help="the same design at candidate sites: PUE, chiller-free hours, energy cost, carbon, water, "
        "NPV and latency side by side")
    sites.add_argument("file", type=Path, help="project file (.dcplan)")
    sites.add_argument("--site", action="append", default=[], metavar="NAME,LAT,LON,CLIMATE[,TARIFF[,GRID_G[,LAND]]]",
                       help="a candidate: climate id of the bundled climates; optional tariff per kWh (project "
                       "currency), grid carbon gCO2/kWh and land/shell cost; repeat for more sites (default: the "
                       "candidate sites kept in the project)")
    sites.add_argument("--sites", type=Path, dest="sites_file", help='JSON {"format": "dc-designer-sites", '
                       '"schema_version": 1, "sites": [{"name", "latitude_deg", "longitude_deg", "climate_id", '
                       '"tariff_per_kwh"?, "grid_region_id"?, "grid_carbon_g_per_kwh"?, "land_cost"?}]}')
    sites.add_argument("--json", action="store_true", help="print a JSON document")


def _origin(used: Any) -> str:
    return f"default [{used.confidence}]: {used.source}" if used.is_default else "set"


def _value(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}" if math.isfinite(value) else "n/a"


def run_sites(options: argparse.Namespace, load: Callable[[Path], Any], error: type[Exception],
              printable: Callable[[object], str]) -> int:
    """Analyse the design at each site; print a table (or JSON). Exit 1 when the design has error findings."""
    from designer.analysis.climate import load_climates
    from designer.analysis.economics_report import money
    from designer.analysis.sites import UnknownClimateError, compare_sites, sites_to_json
    from designer.io.economics_io import load_economics_defaults
    from designer.io.errors import FileFormatError
    from designer.io.sites_io import parse_site_spec, read_sites_file

    candidates = []
    try:
        for spec in options.site:
            candidates.append(parse_site_spec(spec))
        if options.sites_file is not None:
            candidates += read_sites_file(options.sites_file)
    except ValueError as problem:  # FileFormatError is a ValueError too
        text = problem.one_line() if isinstance(problem, FileFormatError) else str(problem)
        raise error(text) from None
    catalog, project = load(options.file)
    if not candidates:  # the candidates kept in the project (Analysis ▸ Sites Side by Side)
        candidates = list(project.settings.economics.candidate_sites)
    if not candidates:
        raise error(f"{options.file}: keeps no candidate sites; give at least one --site NAME,LAT,LON,CLIMATE or "
                    "--sites FILE (or keep candidates in the project: Analysis > Sites Side by Side)")
    try:
        defaults = load_economics_defaults()
    except FileFormatError as problem:
        raise error(f"economics defaults: {problem.one_line()}") from None
    try:
        results = compare_sites(project, catalog, candidates, load_climates(), defaults)
    except UnknownClimateError as problem:
        raise error(str(problem)) from None
    if options.json:
        print(json.dumps({"format": "dc-designer-sites-comparison", "schema_version": 1,
                          "sites": sites_to_json(results)}, indent=1))
    else:
        _print_table(results, money, printable)
    return 1 if any(r.error_findings for r in results) else 0


def _print_table(results: Sequence[Any], money: Callable[[float, str], str],
                 printable: Callable[[object], str]) -> None:
    regions = [lat.region for lat in results[0].latency] if results else []
    head = (f"{'site':<28} {'climate':<18} {'PUE':>6} {'chiller-free h':>14} {'energy/yr':>14} {'CO2 t/yr':>10} "
            f"{'water m3/yr':>11} {'NPV':>14}  " + "  ".join(f"RTT {printable(r)[:12]} ms" for r in regions))
    print(head)
    for r in results:
        currency = r.summary.currency
        own = " (this)" if r.own_site else ""
        print(f"{printable(r.name)[:28 - len(own)] + own:<28} {r.climate_id[:18]:<18} {_value(r.annual_pue, 3):>6} "
              f"{_value(r.chiller_free_h):>14} {money(r.energy_cost, currency):>14} {_value(r.co2_t):>10} "
              f"{_value(r.water_m3):>11} {money(r.npv, currency):>14}  "
              + "  ".join(f"{_value(lat.rtt_ms, 1):>{len(printable(lat.region)[:12]) + 7}}" for lat in r.latency))
    print()
    for r in results:
        grid = f"{r.grid.value:g} gCO2/kWh ({_origin(r.grid)})" if r.grid is not None else "unknown (no CO2)"
        tariff_text = f"{r.tariff.value:g} {r.tariff.unit} ({_origin(r.tariff)})"
        print(f"{printable(r.name)}: tariff {printable(tariff_text)}; grid {printable(grid)}"
              + (f"; land {money(r.land_cost, r.summary.currency)}" if r.land_cost else ""))
    print("Latency: fibre round trip at 1.5 x the great circle, no queueing or server time. "
          "Energy from the climate's weather days; tokens and costs in the project's currency and price year.")
