"""``dc-designer compare A B ...`` and ``dc-designer diff A B``: headless, without Qt."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from designer.model.catalog import CatalogEntry
from designer.model.project import Project

if TYPE_CHECKING:
    from designer.analysis.compare import Comparison

Loader = Callable[[Path], tuple[Mapping[str, CatalogEntry], Project]]
"""``cli._load``: catalog and project, or a CliError naming the file."""


def comparison_inputs() -> dict[str, object]:
    """What metrics beyond the analysis need (``CaseContext.inputs``), loaded once per comparison by
    every caller (this CLI, File ▸ Compare Options…, the report): e.g. the economics' sourced defaults.
    None today."""
    return {}


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    compare = sub.add_parser("compare", help="two or more designs side by side over the first one's transition "
                             "(one file: it and the options it lists)")
    compare.add_argument("files", type=Path, nargs="+", metavar="FILE",
                         help="project files (.dcplan): two or more, or one that lists options")
    compare.add_argument("--json", action="store_true", help="print a JSON document")
    diff = sub.add_parser("diff", help="what design B adds, removes, moves, re-rates and re-connects against A, "
                          "and what that changes in the figures and findings")
    diff.add_argument("base", type=Path, metavar="A", help="the base design (.dcplan)")
    diff.add_argument("other", type=Path, metavar="B", help="the changed design (.dcplan)")
    diff.add_argument("--json", action="store_true", help="print a JSON document")


def run_compare(options: argparse.Namespace, load: Loader, printable: Callable[[object], str],
                bad_input: type[Exception]) -> int:
    from designer.analysis.compare import CaseInput, compare, comparison_to_json, format_table
    from designer.io.errors import FileFormatError
    from designer.io.project_options import listed_options

    cases: list[CaseInput] = []
    for path in options.files:
        catalog, project = load(path)
        cases.append(CaseInput(_unique_name(path, [c.name for c in cases]), project, catalog))
    if len(cases) == 1:  # one file: it and the options it lists
        try:
            listed = listed_options(cases[0].project, options.files[0])
        except FileFormatError as error:
            raise bad_input(error.one_line()) from None
        for _name, path in listed:
            catalog, project = load(path)
            cases.append(CaseInput(_unique_name(path, [c.name for c in cases]), project, catalog))
    if len(cases) < 2:
        raise bad_input(f"{options.files[0]}: lists no options; compare needs two or more project files "
                        "(or one that lists options)")
    comparison = compare(cases, inputs=comparison_inputs())
    if options.json:
        print(json.dumps(comparison_to_json(comparison), indent=1))
    else:
        print(format_table(comparison, lambda text: printable(text)))
    return 0


def run_diff(options: argparse.Namespace, load: Loader, printable: Callable[[object], str]) -> int:
    from designer.analysis.diff import diff_designs, diff_to_json, format_diff

    catalog_a, a = load(options.base)
    catalog_b, b = load(options.other)
    diff = diff_designs(a, b, catalog_a, catalog_b)
    if options.json:
        print(json.dumps(diff_to_json(diff), indent=1))
    else:
        print(f"{printable(options.base)} -> {printable(options.other)}")
        print(format_diff(diff, lambda text: printable(text)))
    return 0


def options_comparison(project: Project, path: Path, catalog: Mapping[str, CatalogEntry]) -> Comparison | str:
    """``project`` (saved at ``path``) beside the options it lists, for the report; a sentence naming the
    file when an option cannot be read (the report says so rather than failing)."""
    from designer.analysis.compare import CaseInput, compare
    from designer.io.errors import FileFormatError
    from designer.io.project_file import load_project
    from designer.io.project_options import listed_options
    from designer.model.catalog import Catalog, merged_catalog

    base = catalog if isinstance(catalog, Catalog) else Catalog(catalog.values())
    cases = [CaseInput(path.name, project, catalog)]
    try:
        for _name, option in listed_options(project, path):
            other = load_project(option, base)
            cases.append(CaseInput(_unique_name(option, [c.name for c in cases]), other,
                                   merged_catalog(base, other.custom_catalog)))
    except FileFormatError as error:
        return error.one_line()
    except OSError as error:
        return f"{getattr(error, 'filename', None) or path}: {error.strerror or error}"
    return compare(cases, inputs=comparison_inputs())


def _unique_name(path: Path, taken: list[str]) -> str:
    """The file's name; its path when two files share a name."""
    return str(path) if path.name in taken or str(path) in taken else path.name
