"""Command line: ``dc-designer [FILE]`` opens the app; subcommands work headless, without Qt."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from designer import __version__

SUBCOMMANDS = ("validate", "info", "analyze", "export", "bench", "paths", "climate", "compare", "diff", "import-items",
               "import-dcim", "import-device-types", "sites")
EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_UNEXPECTED = 0, 1, 2, 3
MAX_BENCH_RACKS = 200_000
MAX_BENCH_REPEATS = 100


class CliError(Exception):
    """A problem with the command line or its input: printed as one line, exit status 2."""


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in SUBCOMMANDS:
            return _run_subcommand(args)
        return _run_gui(args)
    except CliError as error:
        print(f"dc-designer: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a crash must not read as "error findings" (exit 1)
        return _unexpected(error)


def _unexpected(error: BaseException) -> int:
    """One line on stderr and exit status 3 for an error that is a bug (or a resource limit), not bad input."""
    text = " ".join(str(error).split())
    if len(text) > 300:
        text = text[:260] + f"... ({len(text):,} characters)"
    print(f"dc-designer: unexpected error: {type(error).__name__}: {text}", file=sys.stderr)
    return EXIT_UNEXPECTED


# ---------------------------------------------------------------------------- GUI
def _run_gui(args: list[str]) -> int:
    parser = _ErrorRaisingParser(
        prog="dc-designer",
        description="Design AI data-center floor plans with their power and cooling chains.",
        epilog="Headless commands: " + ", ".join(SUBCOMMANDS) + " (dc-designer COMMAND --help).",
    )
    parser.add_argument("file", nargs="?", type=Path, help="project file (.dcplan) to open")
    parser.add_argument("--version", action="version", version=f"dc-designer {__version__}")
    options = parser.parse_args(args)
    if options.file is not None and not options.file.exists():
        raise CliError(f"{options.file}: no such file")
    try:
        from designer.ui.app import run_gui
    except ImportError as error:
        raise CliError(f"the desktop interface is not available ({error})") from None
    return run_gui(options.file)


# ---------------------------------------------------------------------------- headless
def _run_subcommand(args: list[str]) -> int:
    from designer.export_cli import bounded_int

    parser = _ErrorRaisingParser(prog="dc-designer")
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check a project file; exit 0 if valid, 2 if not")
    validate.add_argument("file", type=Path)

    info = sub.add_parser("info", help="counts, design kW by workload class, halls and pods")
    info.add_argument("file", type=Path)
    info.add_argument("--json", action="store_true", help="print a JSON document")

    analyze = sub.add_parser("analyze", help="power, cooling, capacity, single failures, PUE")
    analyze.add_argument("file", type=Path)
    analyze.add_argument("--share", type=_share, help="inference share 0..1 (overrides the scenario year)")
    analyze.add_argument("--year", type=bounded_int("--year", 1900, 2200), help="scenario year")
    analyze.add_argument("--hour", type=bounded_int("--hour", 0, 23),
                         help="hour of the design day, 0..23 (default: peak hour)")
    analyze.add_argument("--json", action="store_true", help="print a JSON document")
    analyze.add_argument("--rack-type", metavar="CATALOG_ID",
                         help="rack type the headroom counts (default: the design's most common rack)")
    analyze.add_argument("--years", action="store_true",
                         help="also analyse every scenario year on the design as built that year (phased "
                         "build-out) and give the runway; exit 1 if any year has an error finding")
    analyze.add_argument("--growth-racks", type=bounded_int("--growth-racks", 0, 100_000), default=0,
                         metavar="N", help="with --years: the runway's growth rule, N more racks a year in each hall")
    analyze.add_argument("--growth-template", metavar="ID",
                         help="with --years: the runway's growth rule, copies of this pod template a year in the "
                         "free floor space (placed and analysed); space binds when no copy fits")
    analyze.add_argument("--growth-copies", type=bounded_int("--growth-copies", 1, 1000), default=None, metavar="N",
                         help="with --growth-template: copies a year (default 1)")
    analyze.add_argument("--growth-hall", metavar="HALL_ID",
                         help="with --growth-template: the hall to grow in (default: the halls in turn)")

    bench = sub.add_parser("bench", help="time the analysis (and the editor) on synthetic campuses")
    bench.add_argument(
        "--racks", type=bounded_int("--racks", 1, MAX_BENCH_RACKS), nargs="+", default=[1000, 10000, 50000]
    )
    bench.add_argument("--repeats", type=bounded_int("--repeats", 1, MAX_BENCH_REPEATS), default=5)
    bench.add_argument("--json", action="store_true", help="one JSON object per line")
    bench.add_argument("--save", type=Path, help="also write the largest generated campus as a project file")

    sub.add_parser("paths", help="where the bundled resources and the user's own catalog and pods are")

    climate = sub.add_parser("climate", help="give a project the site's own climate: an EPW file or typed-in "
                             "monthly normals (JSON); the project file is rewritten (a backup is kept)")
    climate.add_argument("file", type=Path, help="project file (.dcplan)")
    source = climate.add_mutually_exclusive_group(required=True)
    source.add_argument("--epw", type=Path, help="EnergyPlus weather file: its 8760 hours and monthly normals")
    source.add_argument("--normals", type=Path, help='JSON {"name", "source", "licence", "elevation_m", '
                        '"high_c": [12], "low_c": [12], "dew_point_c": [12]}')
    source.add_argument("--clear", action="store_true", help="drop the site's own climate (use climate_id again)")
    climate.add_argument("--licence", default="", help="the weather data's licence, stored with it")

    from designer.export_cli import add_export_parser

    add_export_parser(sub, _positive_int, _share)
    from designer.sites_cli import add_sites_parser

    add_sites_parser(sub)
    from designer.compare_cli import add_parsers as add_compare_parsers

    add_compare_parsers(sub)

    from designer.import_cli import HANDLERS as IMPORT_HANDLERS
    from designer.import_cli import add_import_parsers

    add_import_parsers(sub)

    options = parser.parse_args(args)
    handler = {
        **IMPORT_HANDLERS,
        "validate": _cmd_validate,
        "info": _cmd_info,
        "analyze": _cmd_analyze,
        "export": _cmd_export,
        "bench": _cmd_bench,
        "paths": _cmd_paths,
        "climate": _cmd_climate,
        "sites": _cmd_sites,
        "compare": _cmd_compare,
        "diff": _cmd_diff,
    }[options.command]
    return handler(options)


class _ErrorRaisingParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise CliError(f"{message} (see {self.prog} --help)")


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--share {text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"--share {text} must be between 0 and 1")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text} must be positive")
    return value


def _load(path: Path):  # type: ignore[no-untyped-def]
    """Catalog and project, or a CliError naming the file, the JSON path and the problem."""
    from designer.io.catalog_io import load_catalog
    from designer.io.errors import FileFormatError
    from designer.io.project_file import load_project
    from designer.model.catalog import merged_catalog

    warnings: list[str] = []
    try:
        catalog = load_catalog(warnings=warnings)
    except FileFormatError as error:
        raise CliError(f"catalog: {error.one_line()}") from None
    for warning in warnings:
        print(f"dc-designer: warning: {warning}", file=sys.stderr)
    try:
        project = load_project(path, catalog)
    except FileFormatError as error:
        raise CliError(error.one_line()) from None
    return merged_catalog(catalog, project.custom_catalog), project


def _cmd_validate(options: argparse.Namespace) -> int:
    _catalog, project = _load(options.file)
    print(
        f"{options.file}: valid ({len(project.halls)} halls, {len(project.items)} items, "
        f"{len(project.connections)} connections)"
    )
    return EXIT_OK


def project_summary(project, catalog) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Counts, design kW by workload class, halls and pods, as plain data."""
    from designer.model import ItemKind
    from designer.model.effective import design_kw, workload

    kinds: Counter[str] = Counter()
    kw_by_workload: dict[str, float] = defaultdict(float)
    racks_by_workload: Counter[str] = Counter()
    racks_by_hall: Counter[str] = Counter()
    for item in project.items.values():
        entry = catalog[item.catalog_id]
        kinds[entry.kind.value] += 1
        if entry.kind is ItemKind.RACK:
            cls = workload(item, entry).value
            kw_by_workload[cls] += design_kw(item, entry)
            racks_by_workload[cls] += 1
            racks_by_hall[item.hall_id] += 1
    pods_by_template: Counter[str] = Counter(p.template_id for p in project.pods.values())
    return {
        "title": project.metadata.title,
        "site": project.site.name,
        "items": len(project.items),
        "items_by_kind": dict(sorted(kinds.items())),
        "connections": len(project.connections),
        "racks_by_workload": dict(sorted(racks_by_workload.items())),
        "design_kw_by_workload": {k: round(v, 1) for k, v in sorted(kw_by_workload.items())},
        "design_kw_total": round(sum(kw_by_workload.values()), 1),
        "halls": [
            {"id": h.id, "name": h.name, "area_m2": round(h.area_m2, 1), "racks": racks_by_hall.get(h.id, 0)}
            for h in project.halls.values()
        ],
        "pods": dict(sorted(pods_by_template.items())),
        "scenarios": [s.name for s in project.scenarios.values()],
    }


def _cmd_info(options: argparse.Namespace) -> int:
    catalog, project = _load(options.file)
    summary = project_summary(project, catalog)
    if options.json:
        print(json.dumps(summary, indent=2))
        return EXIT_OK
    print(f"{_printable(summary['title'])}  ({options.file})")
    print(f"site: {_printable(summary['site'])}")
    kinds = summary["items_by_kind"]
    assert isinstance(kinds, dict)
    print(
        f"items: {summary['items']} ({', '.join(f'{n} {k}' for k, n in kinds.items())}); "
        f"connections: {summary['connections']}"
    )
    print("design IT kW by workload class:")
    racks = summary["racks_by_workload"]
    assert isinstance(racks, dict)
    for cls, kw in summary["design_kw_by_workload"].items():  # type: ignore[attr-defined]
        print(f"  {cls:<10} {racks[cls]:>6} racks  {kw:>12,.1f} kW")
    print(f"  {'total':<10} {sum(racks.values()):>6} racks  {summary['design_kw_total']:>12,.1f} kW")
    print("halls:")
    for hall in summary["halls"]:  # type: ignore[attr-defined]
        print(f"  {hall['id']}: {_printable(hall['name'])}, {hall['area_m2']:,.0f} m2, {hall['racks']} racks")
    pods = summary["pods"]
    assert isinstance(pods, dict)
    print("pods: " + (", ".join(f"{n} x {t}" for t, n in pods.items()) or "none"))
    return EXIT_OK


def _printable(text: object) -> str:
    """Names from a file on one line: a newline or a bidi override in a title must not fake output lines."""
    return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in str(text))


def _cmd_analyze(options: argparse.Namespace) -> int:
    catalog, project = _load(options.file)
    try:
        from designer.analysis.engine import Analyzer
        from designer.analysis.report_json import results_to_json, summarize
    except ImportError as error:
        raise CliError(f"the analysis engine is not available ({error})") from None
    if options.year is not None:
        scenario = project.active_scenario
        if scenario is None or all(y.year != options.year for y in scenario.years):
            years = ", ".join(str(y.year) for y in scenario.years) if scenario else "none"
            raise CliError(f"--year {options.year}: the scenario has no such year (years: {years})")
    rack_type = options.rack_type
    if rack_type is not None:
        entry = project.custom_catalog.get(rack_type) or catalog.get(rack_type)
        if entry is None or entry.role.value != "rack":
            raise CliError(f"--rack-type {rack_type}: no rack of that catalog id in the catalog or the project")
    growth_options = ("--growth-copies", options.growth_copies), ("--growth-hall", options.growth_hall)
    for name, value in growth_options:
        if value is not None and options.growth_template is None:
            raise CliError(f"{name} goes with --growth-template")
    if options.years:
        return _analyze_years(options, project, catalog)
    if options.growth_racks:
        raise CliError("--growth-racks goes with --years")
    if options.growth_template is not None:
        raise CliError("--growth-template goes with --years")
    from designer.analysis.electrical import electrical_figures
    from designer.analysis.electrical_report import electrical_summary, electrical_to_json, with_electrical_findings
    from designer.model.catalog import merged_catalog

    analyzer = Analyzer()  # shared with the economics' study years: the networks compile once
    try:
        results = analyzer.analyze(project, catalog, inference_share=options.share, year=options.year,
                                   hour=options.hour, headroom_rack=rack_type)
        electrical = electrical_figures(project, merged_catalog(catalog, project.custom_catalog), results)
        results = with_electrical_findings(results, electrical)
        economics = _economics(project, catalog, results, analyzer)
    finally:
        analyzer.close()
    if options.json:
        document = {**results_to_json(results), "cue_kg_per_kwh": economics[0]["cue_kg_per_kwh"],
                    "co2_t_per_year": economics[0]["co2_t_per_year"], "economics": economics[0]}
        document["electrical"] = electrical_to_json(electrical)
        print(json.dumps(document, indent=1))
    else:
        print(summarize(results))
        print("\n".join(electrical_summary(electrical)))
        print("\n".join(economics[1]))
    has_error = any(f.severity == "error" for f in results.findings)
    return EXIT_FINDINGS if has_error else EXIT_OK


def _economics(project, catalog, results, analyzer, known=()) -> tuple[dict[str, object], list[str]]:  # type: ignore[no-untyped-def]
    """The economics block of ``analyze`` (JSON and text lines); bad bundled defaults are a CliError. ``known``:
    analyses of scenario years the study years may reuse."""
    from designer.analysis.economics_report import economics_lines, economics_to_json
    from designer.analysis.economics_years import economics_over_years
    from designer.analysis.profiles import load_profiles
    from designer.io.economics_io import load_economics_defaults
    from designer.io.errors import FileFormatError
    from designer.model.types import WorkloadClass

    try:
        defaults = load_economics_defaults()
    except FileFormatError as error:
        raise CliError(f"economics defaults: {error.one_line()}") from None
    profile = load_profiles(project.site.utc_offset_h).by_class[WorkloadClass.INFERENCE]
    summary = economics_over_years(project, results, catalog, defaults, analyzer=analyzer, known=known,
                                   inference_profile=profile.tolist())
    return economics_to_json(summary), economics_lines(summary)


def _cmd_sites(options: argparse.Namespace) -> int:
    from designer.sites_cli import run_sites

    return run_sites(options, _load, CliError, _printable)


def _analyze_years(options: argparse.Namespace, project, catalog) -> int:  # type: ignore[no-untyped-def]
    """``analyze --years``: the usual document (at --year, else the first year) plus every year and the runway."""
    from designer.analysis.by_year import analyze_years, years_runway, years_text, years_to_json
    from designer.analysis.engine import Analyzer
    from designer.analysis.report_json import results_to_json, summarize

    if options.share is not None:
        raise CliError("--years takes each year's own inference share: leave out --share")
    scenario = project.active_scenario
    if scenario is None or not scenario.years:
        raise CliError(f"{options.file}: --years needs a scenario with years; the design has none")
    template = _growth_template(options, project, catalog)
    analyzer = Analyzer()
    try:
        per_year = analyze_years(project, catalog, analyzer=analyzer)
        if template is not None:
            from designer.analysis.growth import template_runway

            runway, _plan = template_runway(project, catalog, template, options.growth_copies or 1,
                                            options.growth_hall, analyzer=analyzer,
                                            results_by_year={y.year: y.results for y in per_year})
        else:
            runway = years_runway(project, catalog, per_year, float(options.growth_racks))
        main_year = options.year if options.year is not None else per_year[0].year
        if options.hour is None and options.rack_type is None:
            results = next(y.results for y in per_year if y.year == main_year)
        else:
            results = analyzer.analyze(project, catalog, year=main_year, hour=options.hour,
                                       headroom_rack=options.rack_type)
        economics = _economics(project, catalog, results, analyzer, [y.results for y in per_year])
    finally:
        analyzer.close()
    if options.json:
        print(json.dumps({**results_to_json(results), **years_to_json(per_year, runway), "economics": economics[0]},
                         indent=1))
    else:
        print(summarize(results))
        print()
        print(_printable_lines(years_text(per_year, runway)))
        print("\n".join(economics[1]))
    has_error = any(f.severity == "error" for r in (results, *(y.results for y in per_year)) for f in r.findings)
    return EXIT_FINDINGS if has_error else EXIT_OK


def _growth_template(options: argparse.Namespace, project, catalog):  # type: ignore[no-untyped-def]
    """The pod template of ``--growth-template`` (checked with its copies and hall), or None."""
    if options.growth_template is None:
        return None
    if options.growth_racks:
        raise CliError("--growth-template and --growth-racks are two growth rules: give one")
    from designer.analysis.growth import GrowthError, check_rule
    from designer.io.pods_io import load_pod_templates

    warnings: list[str] = []
    templates = load_pod_templates(catalog, warnings=warnings)
    for warning in warnings:
        print(f"dc-designer: warning: {_printable(warning)}", file=sys.stderr)
    try:
        return check_rule(project, catalog, templates, options.growth_template, options.growth_copies or 1,
                          options.growth_hall)
    except GrowthError as error:
        raise CliError(_printable(f"--growth-{error.argument}: {error}")) from None


def _printable_lines(text: str) -> str:
    return "\n".join(_printable(line) for line in text.split("\n"))


def _cmd_export(options: argparse.Namespace) -> int:
    from designer.export_cli import ExportError, run_export
    from designer.io.atomic_write import NotARegularFileError

    catalog, project = _load(options.file)
    try:
        run_export(options, catalog, project)
    except ExportError as error:
        raise CliError(str(error)) from None
    except NotARegularFileError as error:  # names the target itself
        raise CliError(str(error)) from None
    except OSError as error:
        raise CliError(f"{options.output}: {error}") from None
    return EXIT_OK


def _cmd_bench(options: argparse.Namespace) -> int:
    try:
        from designer.bench import run_bench
    except ImportError as error:
        raise CliError(f"the benchmark is not available ({error})") from None
    return run_bench(options.racks, repeats=options.repeats, as_json=options.json, save=options.save)


def _cmd_paths(options: argparse.Namespace) -> int:
    from designer.io.resources import resources_dir, user_data_dir

    user = user_data_dir()
    print(f"bundled resources: {resources_dir()}")
    print(f"user catalog:      {user / 'catalog'}")
    print(f"user pod templates: {user / 'pods'}")
    return EXIT_OK


def _cmd_compare(options: argparse.Namespace) -> int:
    from designer.compare_cli import run_compare

    return run_compare(options, _load, _printable, CliError)


def _cmd_diff(options: argparse.Namespace) -> int:
    from designer.compare_cli import run_diff

    return run_diff(options, _load, _printable)


def _cmd_climate(options: argparse.Namespace) -> int:
    """Store the site's own climate in the project (EPW import, typed-in normals) or drop it."""
    from dataclasses import replace

    from designer.io.climate_io import read_epw, read_site_climate
    from designer.io.errors import FileFormatError
    from designer.io.project_file import save_project
    from designer.io.reader import Node

    _catalog, project = _load(options.file)
    try:
        if options.clear:
            climate = None
        elif options.epw is not None:
            climate = read_epw(options.epw)
        else:
            path = options.normals
            if not path.is_file() or path.stat().st_size > 1_000_000:
                raise CliError(f"{path}: not a regular file under 1 MB")
            try:
                document = json.loads(path.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError) as error:
                raise CliError(f"{path}: not JSON ({error})") from None
            climate = read_site_climate(Node(document))
    except FileFormatError as error:
        raise CliError(error.one_line()) from None
    if climate is not None and options.licence:
        climate = replace(climate, licence=options.licence[:500])
    project.set_site(replace(project.site, climate=climate))
    save_project(project, options.file)
    if climate is None:
        print(f"{options.file}: site climate dropped (climate_id {project.site.climate_id!r} applies)")
    else:
        hours = "8760 hours and " if climate.hourly_dry_bulb_c else ""
        print(f"{options.file}: site climate {climate.name!r} stored ({hours}monthly normals; "
              f"highest monthly high {max(climate.high_c):.1f} °C)")
    return EXIT_OK
