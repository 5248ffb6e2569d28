"""Phase assignments and electrical settings in project files: saved, loaded back, range-checked at load."""

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
from designer.model.types import Phase

SCHEMA = json.loads((resources_dir() / "schema" / "dcplan-1.schema.json").read_text(encoding="utf-8"))
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "schema-v1.dcplan"
# items of the small project, in order: util-1, ups-a, ups-b, rack-1, rack-2, cdu-1 (racks three-phase)


def test_phase_and_settings_survive_a_save_and_load(tmp_path: Path, small_project: Project,
                                                    small_catalog: Catalog) -> None:
    project = small_project
    project.update_items([replace(project.items["rack-1"], phase=Phase.ALL)])
    project.set_settings(replace(project.settings, phase_imbalance_limit=0.15, cable_slack=0.2,
                                 cable_vertical_mm=2500.0, voltage_drop_limit=0.05, conductor_material="aluminium",
                                 cable_standard="nec", utility_ramp_kw_per_s=250.0, continuous_derating=1.0))
    path = tmp_path / "e.dcplan"
    save_project(project, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    by_id = {item["id"]: item for item in document["items"]}
    assert by_id["rack-1"]["phase"] == "L1L2L3"
    assert "phase" not in by_id["rack-2"]
    assert document["settings"]["cable_standard"] == "nec"
    loaded = load_project(path, small_catalog)
    assert loaded.state() == project.state()
    jsonschema.Draft202012Validator(SCHEMA).validate(document)


def test_an_old_file_loads_with_the_electrical_defaults() -> None:
    project = load_project(GOLDEN, Catalog())
    assert all(item.phase is None for item in project.items.values())
    settings = project.settings
    assert (settings.phase_imbalance_limit, settings.cable_standard, settings.conductor_material) == (
        0.1, "iec", "copper")


ITEM_CASES = [
    ("unknown phase", 3, "L4", "is not one of"),
    ("one phase on a three-phase rack", 3, "L1", "three-phase load"),
    ("a phase on a UPS", 1, "L1L2L3", "a ups does not"),
    ("a phase as a number", 3, 1, "expected a string"),
]


@pytest.mark.parametrize("what, index, value, words", ITEM_CASES, ids=[c[0] for c in ITEM_CASES])
def test_impossible_phases_are_refused_with_their_json_path(
    small_project: Project, small_catalog: Catalog, what: str, index: int, value: object, words: str
) -> None:
    document = json.loads(project_to_text(small_project))
    document["items"][index]["phase"] = value
    with pytest.raises(ProjectFileError) as caught:
        project_from_text(json.dumps(document), small_catalog)
    assert caught.value.json_path == f"$.items[{index}].phase"
    assert words.casefold() in str(caught.value).casefold()


SETTING_CASES = [
    ("phase_imbalance_limit", 1.5, "above the maximum"),
    ("cable_slack", -0.1, "below the minimum"),
    ("voltage_drop_limit", 0, "below the minimum"),
    ("utility_ramp_kw_per_s", "fast", "expected a number"),
    ("conductor_material", "gold", "is not one of"),
    ("cable_standard", "bs7671", "is not one of"),
]


@pytest.mark.parametrize("field, value, words", SETTING_CASES, ids=[c[0] for c in SETTING_CASES])
def test_out_of_range_settings_are_refused(small_project: Project, small_catalog: Catalog, field: str,
                                           value: object, words: str) -> None:
    document = json.loads(project_to_text(small_project))
    document["settings"][field] = value
    with pytest.raises(ProjectFileError) as caught:
        project_from_text(json.dumps(document), small_catalog)
    assert caught.value.json_path == f"$.settings.{field}"
    assert words.casefold() in str(caught.value).casefold()
