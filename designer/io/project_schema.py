"""The published JSON Schema of a project file, its item and connection parts generated from the structs
the loader decodes them with (``project_wire``), so the schema and the loader's checks cannot drift.

The small sections (site, halls, settings, catalog...) are read by the checking reader, not by typed
structs: they stay hand-written in the schema file. The generated parts (``$defs`` id, coordinate, item
and connection, and the two big lists) replace whatever the file had; a test keeps the committed file
equal to ``schema_text(committed)``. After changing a struct: ``python -m designer.io.project_schema``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import msgspec

from designer.io.project_wire import KIND_FIELD, MAX_ITEMS, Coordinate, Identifier, WireConnection, WireItem
from designer.io.resources import resources_dir

SCHEMA_FILE = "dcplan-1.schema.json"
_DEF = "#/$defs/"


def schema_path() -> Path:
    return resources_dir() / "schema" / SCHEMA_FILE


def generated_parts() -> tuple[dict[str, Any], dict[str, Any]]:
    """(the generated ``$defs``, the generated top-level ``properties``)."""
    shared = {"id": msgspec.json.schema(Identifier), "coordinate": msgspec.json.schema(Coordinate)}
    (item_ref, connection_ref), components = msgspec.json.schema_components(
        [WireItem, WireConnection], ref_template=_DEF + "{name}")
    enums = {name: component["enum"] for name, component in components.items() if "enum" in component}

    def published(struct: dict[str, Any]) -> dict[str, Any]:
        # the struct's docstring is for the code's readers; enumerations inline; shared types by reference
        properties = {}
        for name, field in struct["properties"].items():
            field = dict(field)
            ref = field.pop("$ref", None)
            if ref is not None:
                field["enum"] = enums[ref.removeprefix(_DEF)]
            for shared_name, schema in shared.items():
                if field == schema:
                    field = {"$ref": _DEF + shared_name}
            properties[name] = field
        return {"type": "object", "required": struct["required"], "additionalProperties": False,
                "properties": properties}

    item = published(components[item_ref["$ref"].removeprefix(_DEF)])
    connection = published(components[connection_ref["$ref"].removeprefix(_DEF)])
    connection["allOf"] = [  # a connection has the optional field of its own kind only
        {"if": {"properties": {"kind": {"const": kind.value}}},
         "then": {"not": {"required": sorted(other for other in KIND_FIELD.values() if other != field)}}}
        for kind, field in KIND_FIELD.items()]
    definitions = {**shared, "item": item, "connection": connection}
    properties = {"items": {"type": "array", "maxItems": MAX_ITEMS, "items": {"$ref": _DEF + "item"}},
                  "connections": {"type": "array", "maxItems": 4 * MAX_ITEMS, "items": {"$ref": _DEF + "connection"}}}
    return definitions, properties


def project_schema(committed: dict[str, Any]) -> dict[str, Any]:
    """The committed schema with its generated parts made afresh (the hand-written rest as it is)."""
    definitions, properties = generated_parts()
    schema = dict(committed)
    schema["properties"] = {**committed["properties"], **properties}
    schema["$defs"] = {**committed["$defs"], **definitions}
    return schema


def schema_text(committed: dict[str, Any]) -> str:
    """The schema file's text: two-space JSON, ASCII, one newline at the end."""
    return json.dumps(project_schema(committed), indent=2, ensure_ascii=True) + "\n"


def main() -> int:
    """Rewrite the schema file with its generated parts made afresh."""
    path = schema_path()
    text = schema_text(json.loads(path.read_text(encoding="utf-8")))
    path.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
