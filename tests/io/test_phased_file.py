"""In-service and retirement years in project files: saved, loaded back, range-checked with the JSON path."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from designer.io.errors import ProjectFileError
from designer.io.project_file import load_project, project_from_text, project_to_text, save_project
from designer.io.resources import resources_dir
from designer.model import Catalog, PodInstance, Project

SCHEMA = json.loads((resources_dir() / "schema" / "dcplan-1.schema.json").read_text(encoding="utf-8"))
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "schema-v1.dcplan"


def phased(project: Project) -> Project:
    project.add_pod(PodInstance("pod-9", "pod.x", "hall-1", "Phase 2", in_service_year=2027, retirement_year=2040))
    items = project.items
    project.update_items([
        replace(items["rack-1"], in_service_year=2026),
        replace(items["rack-2"], in_service_year=2025, retirement_year=2030, pod_id="pod-9"),
        replace(items["cdu-1"], pod_id="pod-9"),  # follows its pod's years
    ])
    return project


def test_years_survive_a_save_and_load(tmp_path: Path, small_project: Project, small_catalog: Catalog) -> None:
    project = phased(small_project)
    path = tmp_path / "p.dcplan"
    save_project(project, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    by_id = {item["id"]: item for item in document["items"]}
    assert by_id["rack-1"]["in_service_year"] == 2026 and "retirement_year" not in by_id["rack-1"]
    assert (by_id["rack-2"]["in_service_year"], by_id["rack-2"]["retirement_year"]) == (2025, 2030)
    assert "in_service_year" not in by_id["cdu-1"]
    pod = next(p for p in document["pods"] if p["id"] == "pod-9")
    assert (pod["in_service_year"], pod["retirement_year"]) == (2027, 2040)
    loaded = load_project(path, small_catalog)
    assert loaded.state() == project.state()
    jsonschema.Draft202012Validator(SCHEMA).validate(document)


def test_a_file_without_years_is_written_as_before(small_project: Project) -> None:
    text = project_to_text(small_project)
    assert "in_service_year" not in text and "retirement_year" not in text
    golden = load_project(GOLDEN, Catalog())
    assert all(i.in_service_year is None and i.retirement_year is None for i in golden.items.values())


CASES = [
    # (what, where, field, value, words in the message)
    ("retired before in service", ("items", 3), "retirement_year", 2020, "must come after the in-service year"),
    ("retired the same year", ("items", 3), "retirement_year", 2026, "must come after"),
    ("year too early", ("items", 3), "in_service_year", 1800, "below the minimum"),
    ("year too late", ("items", 4), "retirement_year", 3000, "above the maximum"),
    ("year not a number", ("items", 4), "in_service_year", "2027", "expected"),
    ("year not whole", ("items", 4), "in_service_year", 2027.5, "expected"),
    ("pod retired first", ("pods", 0), "retirement_year", 2001, "must come after"),
]


@pytest.mark.parametrize("what, where, field, value, words", CASES, ids=[c[0] for c in CASES])
def test_impossible_years_are_refused_with_their_json_path(
    small_project: Project, small_catalog: Catalog, what: str, where: tuple[str, int], field: str, value: object,
    words: str,
) -> None:
    document = json.loads(project_to_text(phased(small_project)))
    collection, index = where
    if collection == "items":
        document["items"][index]["in_service_year"] = 2026
    else:
        index = next(i for i, p in enumerate(document["pods"]) if p["id"] == "pod-9")
    document[collection][index][field] = value
    with pytest.raises(ProjectFileError) as caught:
        project_from_text(json.dumps(document), small_catalog)
    assert caught.value.json_path == f"$.{collection}[{index}].{field}"
    assert words.casefold() in str(caught.value).casefold()


def test_the_schema_bounds_the_years(small_project: Project) -> None:
    document = json.loads(project_to_text(phased(small_project)))
    document["items"][3]["in_service_year"] = 1800
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(document)
