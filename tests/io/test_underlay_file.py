"""A hall's underlay lives in the .dcplan: exact round trip, schema, limits with JSON paths."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest

from designer.io.errors import ProjectFileError
from designer.io.import_dxf import read_dxf, underlay_from_drawing
from designer.io.project_file import load_project, project_from_text, project_to_text, save_project
from designer.io.resources import resources_dir
from designer.model import Catalog, Project
from designer.model.records import Underlay

DOOR = Path(__file__).resolve().parents[1] / "data" / "dxf" / "ezdxf_wipeout_door.dxf"
SCHEMA = json.loads((resources_dir() / "schema" / "dcplan-1.schema.json").read_text(encoding="utf-8"))


def _with_underlay(project: Project, underlay: Underlay) -> str:
    hall = next(iter(project.halls.values()))
    project.update_hall(dataclasses.replace(hall, underlay=underlay))
    return hall.id


@pytest.fixture
def door_underlay() -> Underlay:
    drawing = read_dxf(DOOR, unit="mm")
    return underlay_from_drawing(drawing, offset_mm=(1200.5, -300.0), rotation_deg=-15.0)


def test_a_hall_with_an_underlay_saves_loads_and_saves_byte_identically(
    tmp_path: Path, small_project: Project, small_catalog: Catalog, door_underlay: Underlay
) -> None:
    hall_id = _with_underlay(small_project, door_underlay)
    first = tmp_path / "a.dcplan"
    save_project(small_project, first)
    loaded = load_project(first, small_catalog)
    assert loaded.halls[hall_id].underlay == door_underlay
    assert loaded.state() == small_project.state()
    second = tmp_path / "b.dcplan"
    save_project(loaded, second)
    assert first.read_bytes() == second.read_bytes()


def test_the_underlay_is_compact_and_validates_against_the_schema(
    small_project: Project, door_underlay: Underlay
) -> None:
    _with_underlay(small_project, dataclasses.replace(door_underlay, visible=False))
    document = json.loads(project_to_text(small_project))
    stored = document["halls"][0]["underlay"]
    assert stored["unit"] == "mm" and stored["visible"] is False and stored["rotation_deg"] == -15
    assert stored["offset_mm"] == [1200.5, -300]
    assert len(stored["segments_mm"]) == 4 * 468
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    stored["segments_mm"].append(1.0)
    stored["unit"] = "furlong"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(document)


def test_a_hall_without_an_underlay_writes_no_underlay_field(small_project: Project) -> None:
    document = json.loads(project_to_text(small_project))
    assert all("underlay" not in hall for hall in document["halls"])


@pytest.mark.parametrize(
    ("mutate", "path", "problem"),
    [
        (lambda u: u.update(segments_mm=[0, 0, 1]), "$.halls[0].underlay.segments_mm", "not a multiple of 4"),
        (lambda u: u["segments_mm"].__setitem__(5, "x"), "$.halls[0].underlay.segments_mm[5]", "expected a number"),
        (lambda u: u["segments_mm"].__setitem__(6, 2e7), "$.halls[0].underlay.segments_mm[6]", "more than 10 km"),
        (lambda u: u["segments_mm"].__setitem__(7, True), "$.halls[0].underlay.segments_mm[7]", "expected a number"),
        (lambda u: u.update(unit="furlong"), "$.halls[0].underlay.unit", "is not one of"),
        (lambda u: u.update(offset_mm=[1, 2, 3]), "$.halls[0].underlay.offset_mm", "more than the limit of 2"),
        (lambda u: u.update(evil=1), "$.halls[0].underlay", "unknown field 'evil'"),
        (lambda u: u.pop("segments_mm"), "$.halls[0].underlay", "'segments_mm' is missing"),
    ],
    ids=["not-4", "string", "far", "boolean", "unit", "offset", "unknown", "missing"],
)
def test_a_broken_underlay_names_its_json_path(  # type: ignore[no-untyped-def]
    small_project: Project, small_catalog: Catalog, door_underlay: Underlay, mutate, path: str, problem: str
) -> None:
    _with_underlay(small_project, door_underlay)
    document = json.loads(project_to_text(small_project))
    mutate(document["halls"][0]["underlay"])
    with pytest.raises(ProjectFileError) as info:
        project_from_text(json.dumps(document), small_catalog)
    assert info.value.json_path == path
    assert problem in info.value.problem


def test_too_many_underlay_segments_are_refused(small_project: Project, small_catalog: Catalog) -> None:
    _with_underlay(small_project, Underlay(segments_mm=(0.0, 0.0, 1.0, 1.0)))
    document = json.loads(project_to_text(small_project))
    document["halls"][0]["underlay"]["segments_mm"] = [0] * (4 * 200_001)
    with pytest.raises(ProjectFileError, match="more than the limit of 200000"):
        project_from_text(json.dumps(document), small_catalog)
