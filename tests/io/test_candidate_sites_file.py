"""Candidate sites kept in the project file: saved, loaded back, range-checked with the file and JSON path."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from designer.io.errors import ProjectFileError
from designer.io.project_file import load_project, project_from_text, project_to_text, save_project
from designer.io.resources import resources_dir
from designer.model import Catalog, Project
from designer.model.economics import CandidateSite

SCHEMA = json.loads((resources_dir() / "schema" / "dcplan-1.schema.json").read_text(encoding="utf-8"))
SITES = (CandidateSite("Stockholm", 59.33, 18.07, "stockholm", tariff_per_kwh=0.05),
         CandidateSite("Phoenix", 33.45, -112.07, "phoenix", grid_region_id="AZNM", grid_carbon_g_per_kwh=350.0,
                       land_cost=5e6))


def with_sites(project: Project) -> Project:
    economics = replace(project.settings.economics, candidate_sites=SITES)
    project.set_settings(replace(project.settings, economics=economics))
    return project


def test_candidates_survive_a_save_and_load(tmp_path: Path, small_project: Project, small_catalog: Catalog) -> None:
    project = with_sites(small_project)
    path = tmp_path / "p.dcplan"
    save_project(project, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    kept = document["settings"]["economics"]["candidate_sites"]
    assert kept[0] == {"name": "Stockholm", "latitude_deg": 59.33, "longitude_deg": 18.07, "climate_id": "stockholm",
                       "tariff_per_kwh": 0.05}
    assert kept[1]["land_cost"] == 5e6 and kept[1]["grid_region_id"] == "AZNM"
    loaded = load_project(path, small_catalog)
    assert loaded.settings.economics.candidate_sites == SITES
    assert loaded.state() == project.state()
    jsonschema.Draft202012Validator(SCHEMA).validate(document)


def test_a_file_without_candidates_is_written_as_before(small_project: Project, small_catalog: Catalog) -> None:
    text = project_to_text(small_project)
    assert "candidate_sites" not in text
    assert project_from_text(text, small_catalog).settings.economics.candidate_sites == ()


CASES = [
    # (what, field, value, words in the message)
    ("latitude past the pole", "latitude_deg", 95.0, "above the maximum"),
    ("negative tariff", "tariff_per_kwh", -0.1, "below"),
    ("carbon too high", "grid_carbon_g_per_kwh", 5000.0, "gCO2"),
    ("land cost negative", "land_cost", -1.0, "below the minimum"),
    ("empty name", "name", " ", "must not be empty"),
    ("climate not a string", "climate_id", 7, "expected a string"),
    ("unknown field", "colour", "red", "colour"),
]


@pytest.mark.parametrize("what, field, value, words", CASES, ids=[c[0] for c in CASES])
def test_bad_candidates_are_refused_with_file_and_json_path(
    tmp_path: Path, small_project: Project, small_catalog: Catalog, what: str, field: str, value: object,
    words: str,
) -> None:
    document = json.loads(project_to_text(with_sites(small_project)))
    document["settings"]["economics"]["candidate_sites"][1][field] = value
    path = tmp_path / "bad.dcplan"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ProjectFileError) as caught:
        load_project(path, small_catalog)
    assert caught.value.json_path is not None
    assert caught.value.json_path.startswith("$.settings.economics.candidate_sites[1]")
    assert words.casefold() in str(caught.value).casefold()
    assert "bad.dcplan" in caught.value.one_line()
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(document)


def test_candidates_must_be_a_list_of_at_most_200(small_project: Project, small_catalog: Catalog) -> None:
    document = json.loads(project_to_text(with_sites(small_project)))
    document["settings"]["economics"]["candidate_sites"] = [document["settings"]["economics"]["candidate_sites"][0]
                                                            ] * 201
    with pytest.raises(ProjectFileError) as caught:
        project_from_text(json.dumps(document), small_catalog)
    assert caught.value.json_path == "$.settings.economics.candidate_sites"
