"""Per-item overrides in project files: saved, loaded back, range-checked at load with the JSON path."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from designer.io.errors import CatalogFileError, ProjectFileError
from designer.io.pods_io import read_pod_document
from designer.io.project_file import load_project, project_from_text, project_to_text, save_project
from designer.io.resources import resources_dir
from designer.model import Catalog, Project, effective

SCHEMA = json.loads((resources_dir() / "schema" / "dcplan-1.schema.json").read_text(encoding="utf-8"))
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "schema-v1.dcplan"
# items of the small project, in order: util-1, ups-a, ups-b, rack-1, rack-2, cdu-1


def overridden(project: Project) -> Project:
    items = project.items
    project.update_items([
        replace(items["ups-a"], design_kw=625.0),  # a modular UPS with half its modules
        replace(items["cdu-1"], design_kw=900.0),
        replace(items["rack-1"], weight_kg=1250.0, liquid_fraction=0.6),
    ])
    return project


def test_overrides_survive_a_save_and_load(tmp_path: Path, small_project: Project, small_catalog: Catalog) -> None:
    project = overridden(small_project)
    path = tmp_path / "o.dcplan"
    save_project(project, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    by_id = {item["id"]: item for item in document["items"]}
    assert by_id["ups-a"]["design_kw"] == 625
    assert by_id["rack-1"]["weight_kg"] == 1250
    assert "weight_kg" not in by_id["rack-2"]  # optional: absent when not overridden
    loaded = load_project(path, small_catalog)
    assert loaded.state() == project.state()
    jsonschema.Draft202012Validator(SCHEMA).validate(document)


def test_a_file_without_overrides_still_loads() -> None:
    project = load_project(GOLDEN, Catalog())
    assert all(item.weight_kg is None for item in project.items.values())


CASES = [
    # (what, item index, field, value, words in the message)
    ("rating of 0 kW", 1, "design_kw", 0, "above 0 kW"),
    ("weight on a UPS", 1, "weight_kg", 900, "a ups does not"),
    ("weight of 0 kg", 3, "weight_kg", 0, "above 0 kg"),
    ("weight above the limit", 3, "weight_kg", 20_000, "above the maximum"),
    ("weight not a number", 3, "weight_kg", "heavy", "expected a number"),
    ("negative weight", 4, "weight_kg", -1, "below the minimum"),
]


@pytest.mark.parametrize("what, index, field, value, words", CASES, ids=[c[0] for c in CASES])
def test_impossible_overrides_are_refused_with_their_json_path(
    small_project: Project, small_catalog: Catalog, what: str, index: int, field: str, value: object, words: str
) -> None:
    document = json.loads(project_to_text(small_project))
    document["items"][index][field] = value
    with pytest.raises(ProjectFileError) as caught:
        project_from_text(json.dumps(document), small_catalog)
    assert caught.value.json_path == f"$.items[{index}].{field}"
    assert words.casefold() in str(caught.value).casefold()


def test_an_old_design_kw_on_a_role_without_a_rating_override_still_loads_and_counts_for_nothing(
    small_project: Project, small_catalog: Catalog
) -> None:
    document = json.loads(project_to_text(small_project))
    document["items"][0]["design_kw"] = 5000  # util-1: the loader always accepted it
    project = project_from_text(json.dumps(document), small_catalog)
    assert project.items["util-1"].design_kw == 5000
    assert effective.rating_kw(project.items["util-1"], small_catalog["util"]) == 10_000.0


def test_the_schema_bounds_the_weight(small_project: Project) -> None:
    document = json.loads(project_to_text(small_project))
    document["items"][3]["weight_kg"] = 20_000
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(document)


def test_a_pod_template_cannot_smuggle_in_an_impossible_rating(small_catalog: Catalog) -> None:
    document = {
        "format": "dc-designer-pod", "schema_version": 1, "id": "p", "name": "P", "connections": [],
        "items": [{"key": "u", "catalog_id": "ups", "x_mm": 0, "y_mm": 0, "design_kw": 0}],
    }  # fmt: skip
    with pytest.raises(CatalogFileError, match="above 0 kW"):
        read_pod_document(document, small_catalog)
    document["items"] = [{"key": "u", "catalog_id": "ups", "x_mm": 0, "y_mm": 0, "design_kw": 625}]
    assert read_pod_document(document, small_catalog).items[0].design_kw == 625


def test_a_pod_template_saved_from_a_design_keeps_a_rack_weight(small_project: Project,
                                                                small_catalog: Catalog) -> None:
    from designer.io.pods_io import pod_to_document
    from designer.model.pods import place_pod, template_from_items

    rack = replace(small_project.items["rack-1"], weight_kg=1250.0)
    template = template_from_items("t", "T", [rack, small_project.items["ups-a"]], [])
    document = json.loads(json.dumps(pod_to_document(template)))
    placed = place_pod(read_pod_document(document, small_catalog), hall_id="hall-1", x_mm=5000, y_mm=5000,
                       rotation_deg=0.0, new_id=small_project.new_id)
    assert [item.weight_kg for item in placed.items] == [1250.0, None]
    document["items"][1]["weight_kg"] = 900  # a UPS takes no weight override
    with pytest.raises(CatalogFileError, match="a ups does not"):
        read_pod_document(document, small_catalog)
