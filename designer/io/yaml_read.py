"""Reading an untrusted YAML file: bounded size, safe loading only, and a bounded walk of what it built.

``yaml.safe_load`` builds plain data only (a tag such as ``!!python/object`` is an error, never an
object); aliases share one object, so a "billion laughs" document loads small but would explode
when walked. :func:`load_yaml` therefore walks the loaded value once with a budget of nodes,
counting a shared subtree every time it is reached, and refuses the file past it.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from designer.io.errors import FileFormatError
from designer.io.safe_read import cut, read_regular_file

MAX_YAML_NODES = 200_000
"""Values in one document, each alias counted as many times as it is reached (a device type has ~300)."""
MAX_YAML_DEPTH = 50

_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path, *, max_bytes: int, error: type[FileFormatError] = FileFormatError) -> object:
    """The plain data of one YAML document in ``path``; ``error(problem, file=path)`` when it cannot be."""
    raw = read_regular_file(path, max_bytes=max_bytes, error=lambda problem: error(problem, file=path))
    return parse_yaml(raw, file=str(path), error=error)


def parse_yaml(raw: bytes, *, file: str, error: type[FileFormatError] = FileFormatError) -> object:
    """See :func:`load_yaml`: ``raw`` is the file's bytes (UTF-8, or UTF-16 with a byte-order mark)."""
    try:
        document = yaml.load(raw, Loader=_LOADER)  # a SafeLoader: plain data only
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}" if mark is not None else "$"
        problem = exc.problem or exc.context or "not valid YAML"
        if "could not determine a constructor" in str(exc):
            problem = f"not plain data: {cut(str(exc.problem), 120)} (only safe YAML is read; tags are refused)"
        raise error(f"not a safe YAML document: {cut(problem, 200)}", json_path=where, file=file) from None
    except yaml.YAMLError as exc:
        raise error(f"not a YAML document ({cut(str(exc), 200)})", file=file) from None
    except RecursionError:
        raise error("YAML is nested too deeply", file=file) from None
    _check_budget(document, file, error)
    return document


def _check_budget(document: object, file: str, error: type[FileFormatError]) -> None:
    budget = MAX_YAML_NODES
    stack: list[tuple[object, int]] = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        budget -= 1
        if budget < 0:
            raise error(
                f"the document expands to more than {MAX_YAML_NODES:,} values (YAML aliases repeating a"
                " subtree, a 'billion laughs' document?)", file=file)  # fmt: skip
        if depth > MAX_YAML_DEPTH:
            raise error(f"YAML is nested more than {MAX_YAML_DEPTH} levels deep", file=file)
        if isinstance(value, dict):
            stack.extend((child, depth + 1) for child in value.values())
            stack.extend((key, depth + 1) for key in value if isinstance(key, tuple))
        elif isinstance(value, list | tuple):
            stack.extend((child, depth + 1) for child in value)
