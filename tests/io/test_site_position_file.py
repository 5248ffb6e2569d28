"""A hall's site position in the project file: optional, range-checked, written back only when set."""

from __future__ import annotations

import json

import jsonschema
import pytest

from designer.io.errors import ProjectFileError
from designer.io.project_file import project_from_document, project_to_document
from designer.io.resources import resources_dir
from designer.model.catalog import Catalog
from designer.model.project import Project
from designer.model.records import Hall

SCHEMA = json.loads((resources_dir() / "schema" / "dcplan-1.schema.json").read_text(encoding="utf-8"))


def _document(**site: object) -> dict[str, object]:
    project = Project()
    project.add_hall(Hall("hall-1", "Hall 1", ((0, 0), (20_000, 0), (20_000, 10_000), (0, 10_000))))
    document = project_to_document(project)
    document["halls"][0].update(site)  # type: ignore[index]
    return document


def test_an_old_hall_has_no_site_position_and_is_written_without_one() -> None:
    document = _document()
    project = project_from_document(document, Catalog())
    hall = project.halls["hall-1"]
    assert (hall.site_x_mm, hall.site_y_mm, hall.site_rotation_deg) == (None, None, 0.0)
    assert "site_x_mm" not in project_to_document(project)["halls"][0]  # type: ignore[index]


def test_a_site_position_round_trips() -> None:
    document = _document(site_x_mm=120_000, site_y_mm=-4_500.5, site_rotation_deg=-90)
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    project = project_from_document(document, Catalog())
    hall = project.halls["hall-1"]
    assert (hall.site_x_mm, hall.site_y_mm, hall.site_rotation_deg) == (120_000, -4_500.5, 270)
    again = project_from_document(json.loads(json.dumps(project_to_document(project))), Catalog())
    assert again.state() == project.state()


@pytest.mark.parametrize(
    ("site", "path", "words"),
    [
        ({"site_x_mm": 1.0}, "$.halls[0].site_x_mm", "both"),
        ({"site_x_mm": 2e7, "site_y_mm": 0}, "$.halls[0].site_x_mm", "maximum"),
        ({"site_x_mm": 0, "site_y_mm": "north"}, "$.halls[0].site_y_mm", "number"),
        ({"site_x_mm": 0, "site_y_mm": 0, "site_rotation_deg": 400}, "$.halls[0].site_rotation_deg", "maximum"),
    ],
)
def test_a_bad_site_position_is_refused_with_its_path(site: dict[str, object], path: str, words: str) -> None:
    document = _document(**site)
    with pytest.raises(ProjectFileError) as raised:
        project_from_document(document, Catalog())
    assert raised.value.json_path == path and words in str(raised.value)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(document)
