"""The published JSON Schema agrees with the loader on the bundled files and on broken ones."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from designer.io.resources import examples_dir, resources_dir

SCHEMA = json.loads((resources_dir() / "schema" / "dcplan-1.schema.json").read_text(encoding="utf-8"))
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "schema-v1.dcplan"


@pytest.mark.parametrize("path", [*sorted(examples_dir().glob("*.dcplan")), GOLDEN], ids=lambda p: p.stem)
def test_bundled_files_validate_against_the_schema(path: Path) -> None:
    jsonschema.Draft202012Validator(SCHEMA).validate(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["items"][0].update(x_mm="left"),
        lambda d: d["items"][0].update(liquid_fraction=1.5),
        lambda d: d["connections"][0].update(medium="air"),
        lambda d: d.update(schema_version=2),
        lambda d: d["items"][0].update(evil=1),
        lambda d: d["settings"].update(air_class="XYZ"),
        lambda d: d["items"][0].update(id="rack\n1"),
        lambda d: d["items"][0].update(id="rack\u202e1"),
        lambda d: d["catalog"][2]["loss"].update(square=0.45),
    ],
    ids=["wrong-type", "fraction-above-1", "power-with-medium", "future-version", "unknown-field", "air-class",
         "id-newline", "id-bidi", "loss-heater"],
)
def test_schema_rejects_what_the_loader_rejects(mutate) -> None:  # type: ignore[no-untyped-def]
    document = json.loads(GOLDEN.read_text(encoding="utf-8"))
    mutate(document)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(document)
