"""Schema upgrades for project files: a chain of pure functions over plain dicts, one per version step."""

from __future__ import annotations

from collections.abc import Callable

from designer.io.errors import ProjectFileError
from designer.io.safe_read import quoted

PROJECT_FORMAT = "dc-designer-project"
CURRENT_SCHEMA_VERSION = 1

Document = dict[str, object]
Migration = Callable[[Document], Document]

MIGRATIONS: dict[int, Migration] = {}
"""``MIGRATIONS[n]`` turns a version-n document into a version n+1 document without mutating its input."""


def upgrade(document: Document, migrations: dict[int, Migration] | None = None, current: int | None = None) -> Document:
    """Bring a parsed project document up to the current schema version, or explain why not."""
    steps = MIGRATIONS if migrations is None else migrations
    target = CURRENT_SCHEMA_VERSION if current is None else current
    if document.get("format") != PROJECT_FORMAT:
        found = document.get("format")
        raise ProjectFileError(
            f"not a dc-designer project (format is {quoted(found)}, expected {PROJECT_FORMAT!r})", json_path="$.format"
        )
    version = document.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ProjectFileError("schema_version must be an integer", json_path="$.schema_version")
    if version > target:
        raise ProjectFileError(
            f"the file uses schema version {version}, written by a newer dc-designer; "
            f"this version reads up to {target}",
            json_path="$.schema_version",
        )
    if version < 1:
        raise ProjectFileError(f"schema version {version} does not exist", json_path="$.schema_version")
    while version < target:
        step = steps.get(version)
        if step is None:
            raise ProjectFileError(f"no upgrade from schema version {version}", json_path="$.schema_version")
        document = step(document)
        version += 1
        document["schema_version"] = version
    return document
