"""The whole-column reference check passes exactly the documents the record-by-record check passes.

Each broken reference below must still be reported by the record checks, at its JSON path.
"""

from __future__ import annotations

import copy

import pytest

from designer.io.errors import ProjectFileError
from designer.io.project_file import project_from_document, project_to_document
from tests.support import build_small_catalog, build_small_project


def _document() -> dict:  # type: ignore[type-arg]
    return project_to_document(build_small_project())


CATALOG = build_small_catalog()


def test_a_plain_document_loads() -> None:
    assert project_from_document(_document(), CATALOG).state() == build_small_project().state()


@pytest.mark.parametrize("path, value, problem", [
    (("items", 2, "id"), "ups-a", "$.items[2].id: duplicate id 'ups-a' (first used at $.items[1].id)"),
    (("connections", 1, "id"), "rack-1", "$.connections[1].id: duplicate id 'rack-1' (first used at $.items[3].id)"),
    (("items", 3, "catalog_id"), "nope", "$.items[3].catalog_id: unknown catalog id 'nope'"),
    (("items", 3, "hall_id"), "nowhere", "$.items[3].hall_id: unknown hall 'nowhere'"),
    (("connections", 0, "target"), "ghost", "$.connections[0].target: connection refers to a missing item 'ghost'"),
    (("connections", 2, "source"), "rack-1", "$.connections[2]: connection links an item to itself"),
    (("settings", "active_scenario_id"), "later", "$.settings.active_scenario_id: unknown scenario 'later'"),
])
def test_each_broken_reference_is_reported_where_it_is(path: tuple, value: str, problem: str) -> None:  # type: ignore[type-arg]
    document = copy.deepcopy(_document())
    node = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(ProjectFileError) as caught:
        project_from_document(document, CATALOG)
    assert problem in str(caught.value)
