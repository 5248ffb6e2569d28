"""Project files: round trips, the documented error for every kind of broken file, atomic saves."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from designer.io.errors import ProjectFileError
from designer.io.migrations import CURRENT_SCHEMA_VERSION, PROJECT_FORMAT, upgrade
from designer.io.project_file import (
    MAX_PROJECT_BYTES,
    load_project,
    project_from_text,
    project_to_document,
    project_to_text,
    save_project,
)
from designer.model import Catalog, Project

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "golden"


def document_of(project: Project) -> dict:  # type: ignore[type-arg]
    return json.loads(project_to_text(project))


def load_doc(document: object, catalog: Catalog) -> Project:
    return project_from_text(json.dumps(document), catalog)


def test_save_load_save_is_identical(tmp_path: Path, small_project: Project, small_catalog: Catalog) -> None:
    first = tmp_path / "a.dcplan"
    save_project(small_project, first)
    loaded = load_project(first, small_catalog)
    assert loaded.state() == small_project.state()
    second = tmp_path / "b.dcplan"
    save_project(loaded, second)
    assert first.read_bytes() == second.read_bytes()


def test_custom_catalog_entries_travel_with_the_file(small_project: Project, small_catalog: Catalog) -> None:
    for entry in small_catalog.values():
        small_project.set_custom_catalog_entry(entry)
    loaded = project_from_text(project_to_text(small_project), Catalog())
    assert loaded.state() == small_project.state()


def test_golden_files_of_every_schema_version_load() -> None:
    goldens = sorted(GOLDEN_DIR.glob("*.dcplan"))
    assert goldens, "a golden file of the current schema version must be in tests/golden"
    versions = set()
    for path in goldens:
        versions.add(json.loads(path.read_text())["schema_version"])
        project = load_project(path, Catalog())  # the golden files carry their own catalog entries
        assert project.items and project.connections and project.scenarios
    assert CURRENT_SCHEMA_VERSION in versions


# --------------------------------------------------------------------- broken files
def mutate(document: dict, path: list, value: object) -> dict:  # type: ignore[type-arg]
    target = document
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return document


DELETE = object()

BROKEN_CASES = [
    # (what, path in document, new value, expected JSON path, words in the message)
    ("wrong type", ["items", 0, "x_mm"], "far", "$.items[0].x_mm", "expected a number"),
    ("negative width", ["items", 0, "design_kw"], -5, "$.items[0].design_kw", "below the minimum"),
    (
        "liquid fraction above 1",
        ["items", 3, "liquid_fraction"],
        1.5,
        "$.items[3].liquid_fraction",
        "above the maximum",
    ),
    ("unknown catalog id", ["items", 1, "catalog_id"], "rack.nope", "$.items[1].catalog_id", "unknown catalog id"),
    ("dangling connection", ["connections", 2, "target"], "ghost", "$.connections[2].target", "missing item"),
    ("duplicate id", ["items", 2, "id"], "ups-a", "$.items[2].id", "duplicate id 'ups-a'"),
    ("future version", ["schema_version"], CURRENT_SCHEMA_VERSION + 1, "$.schema_version", "newer dc-designer"),
    ("other format", ["format"], "excel", "$.format", "not a dc-designer project"),
    ("missing field", ["items", 0, "hall_id"], DELETE, "$.items[0]", "required field 'hall_id'"),
    ("unknown field", ["items", 0, "evil"], "x", "$.items[0]", "unknown field 'evil'"),
    ("absurd size", ["halls", 0, "outline_mm", 1, 0], 1e15, "$.halls[0].outline_mm[1][0]", "absurdly large"),
    ("tiny hall", ["halls", 0, "outline_mm"], [[0, 0], [10, 0], [10, 10]], "$.halls[0].outline_mm", "smaller than 1 m"),
    ("bad enum", ["connections", 0, "kind"], "water", "$.connections[0].kind", "not one of"),
    (
        "share above 1",
        ["scenarios", 0, "years", 0, "inference_share"],
        2,
        "$.scenarios[0].years[0].inference_share",
        "above the maximum",
    ),
    ("boolean as number", ["items", 0, "y_mm"], True, "$.items[0].y_mm", "expected a number"),
    ("long string", ["items", 0, "label"], "x" * 20_000, "$.items[0].label", "more than the limit"),
]


@pytest.mark.parametrize("what, path, value, json_path, words", BROKEN_CASES, ids=[c[0] for c in BROKEN_CASES])
def test_broken_documents_give_the_documented_error(
    small_project: Project,
    small_catalog: Catalog,
    what: str,
    path: list,
    value: object,
    json_path: str,
    words: str,  # type: ignore[type-arg]
) -> None:
    document = mutate(document_of(small_project), path, value)
    with pytest.raises(ProjectFileError) as caught:
        load_doc(document, small_catalog)
    assert caught.value.json_path == json_path
    assert words in caught.value.problem


@pytest.mark.parametrize(
    "raw, words",
    [
        (b'{"format": "dc-designer-project", "schema_version": 1, "items": [', "not valid JSON"),
        (
            b'{"format": "dc-designer-project", "schema_version": 1, "site": {"latitude_deg": NaN}}',
            "NaN is not allowed",
        ),
        (b'{"format": "dc-designer-project", "schema_version": 1, "site": {"latitude_deg": 1e999}}', "finite"),
        (b'{"format": "dc-designer-project", "schema_version": 1, "metadata": {"title": "\xff\xfe"}}', "UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"[]", "JSON object"),
        (b"", "not valid JSON"),
    ],
    ids=["truncated", "nan", "infinity", "broken-utf8", "deep-nesting", "not-an-object", "empty"],
)
def test_broken_text_gives_the_documented_error(raw: bytes, words: str, small_catalog: Catalog) -> None:
    with pytest.raises(ProjectFileError) as caught:
        project_from_text(raw, small_catalog)
    assert words in str(caught.value)


def test_truncated_file_error_names_the_file(tmp_path: Path, small_project: Project, small_catalog: Catalog) -> None:
    path = tmp_path / "cut.dcplan"
    path.write_text(project_to_text(small_project)[:300])
    with pytest.raises(ProjectFileError) as caught:
        load_project(path, small_catalog)
    assert caught.value.file == str(path)
    assert str(path) in caught.value.one_line()


def test_oversized_file_is_refused_before_it_is_read(tmp_path: Path, small_catalog: Catalog) -> None:
    path = tmp_path / "huge.dcplan"
    with path.open("wb") as stream:  # a sparse 300 MB file: costs no disk, but its size is real
        stream.truncate(300 * 1024 * 1024)
    assert path.stat().st_size > MAX_PROJECT_BYTES
    with pytest.raises(ProjectFileError, match="larger than the limit"):
        load_project(path, small_catalog)


def test_missing_file_is_a_project_file_error(tmp_path: Path, small_catalog: Catalog) -> None:
    with pytest.raises(ProjectFileError, match="cannot open"):
        load_project(tmp_path / "absent.dcplan", small_catalog)


# --------------------------------------------------------------------- migrations
def test_upgrade_runs_the_chain_of_pure_steps_in_order() -> None:
    def v1_to_v2(doc: dict) -> dict:  # type: ignore[type-arg]
        return {**doc, "renamed": doc.get("old", 0) + 1}

    def v2_to_v3(doc: dict) -> dict:  # type: ignore[type-arg]
        return {**doc, "renamed": doc["renamed"] * 10}

    original = {"format": PROJECT_FORMAT, "schema_version": 1, "old": 4}
    upgraded = upgrade(dict(original), {1: v1_to_v2, 2: v2_to_v3}, current=3)
    assert upgraded["renamed"] == 50  # (4 + 1) * 10
    assert upgraded["schema_version"] == 3
    assert original["schema_version"] == 1  # steps do not mutate their input


def test_missing_upgrade_step_is_a_clear_error() -> None:
    with pytest.raises(ProjectFileError, match="no upgrade from schema version 1"):
        upgrade({"format": PROJECT_FORMAT, "schema_version": 1}, {}, current=2)


# --------------------------------------------------------------------- atomic save
def test_save_keeps_the_previous_file_as_backup(tmp_path: Path, small_project: Project) -> None:
    path = tmp_path / "plan.dcplan"
    save_project(small_project, path)
    old_bytes = path.read_bytes()
    small_project.move_items({"rack-1": (20000.0, 5600.0)})
    save_project(small_project, path)
    assert (tmp_path / "plan.dcplan.bak").read_bytes() == old_bytes
    assert path.read_bytes() != old_bytes


def test_failed_save_leaves_the_old_file_untouched(
    tmp_path: Path, small_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plan.dcplan"
    save_project(small_project, path)
    old_bytes = path.read_bytes()
    small_project.move_items({"rack-1": (20000.0, 5600.0)})

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        save_project(small_project, path)
    assert path.read_bytes() == old_bytes
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_document_has_format_and_version(small_project: Project) -> None:
    document = project_to_document(small_project)
    assert document["format"] == PROJECT_FORMAT
    assert document["schema_version"] == CURRENT_SCHEMA_VERSION
