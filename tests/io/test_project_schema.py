"""The published schema's item and connection parts are generated from the loader's structs
(``project_schema``): the committed file is exactly what the generator writes."""

from __future__ import annotations

import json

import jsonschema
import pytest

from designer.io import project_schema, project_wire
from designer.io.project_file import _plain_id

COMMITTED = project_schema.schema_path().read_text(encoding="utf-8")
SCHEMA = json.loads(COMMITTED)


def test_the_committed_schema_is_the_generated_one() -> None:
    # if this fails after a change to project_wire's structs: python -m designer.io.project_schema
    assert project_schema.schema_text(SCHEMA) == COMMITTED


def test_the_generated_parts_carry_the_structs_ranges_and_descriptions() -> None:
    definitions = SCHEMA["$defs"]
    item = definitions["item"]["properties"]
    assert item["x_mm"] == {"$ref": "#/$defs/coordinate"}
    assert definitions["coordinate"] == {"type": "number", "minimum": -1e7, "maximum": 1e7}
    assert item["liquid_fraction"] == {"type": "number", "minimum": 0.0, "maximum": 1.0}
    assert item["weight_kg"]["maximum"] == project_wire.MAX_WEIGHT_KG and "as built" in item["weight_kg"]["description"]
    assert item["in_service_year"]["minimum"] == 1900 and item["in_service_year"]["maximum"] == 2200
    assert sorted(item["phase"]["enum"]) == ["L1", "L1L2L3", "L2", "L3"]
    assert definitions["id"]["pattern"] == project_wire.ID_PATTERN and definitions["id"]["maxLength"] == 200
    assert definitions["item"]["required"] == ["id", "catalog_id", "hall_id", "x_mm", "y_mm"]
    assert SCHEMA["properties"]["items"]["maxItems"] == project_wire.MAX_ITEMS


def test_a_field_added_to_a_struct_reaches_the_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    import msgspec

    class Wider(project_wire.WireConnection, forbid_unknown_fields=True):
        colour: str = "red"

    monkeypatch.setattr(project_schema, "WireConnection", Wider)
    generated = json.loads(project_schema.schema_text(SCHEMA))
    assert generated["$defs"]["connection"]["properties"]["colour"] == {"type": "string", "default": "red"}
    assert generated != SCHEMA
    assert msgspec.json.decode(b'{"id":"c","kind":"power","source":"a","target":"b","colour":"x"}', type=Wider)


@pytest.mark.parametrize("text", ["rack-1", "Rack 1 (row A)", "r\u00e9sum\u00e9", " x", "a" * 200,
                                  "", " ", "\t", "a\nb", "a\u200bb", "a\u202eb", "a\u00adb", "a\x7fb", "a" * 201])
def test_the_published_id_agrees_with_the_loaders_check(text: str) -> None:
    valid = True
    try:
        jsonschema.validate(text, SCHEMA["$defs"]["id"])
    except jsonschema.ValidationError:
        valid = False
    assert valid == _plain_id(text)
