"""The fast path decodes the big lists run by run (``project_wire._row_chunks``): the same records as one
decode and as the checking reader, whatever the run size; a run is never cut inside a record; only one
run's decoded structs live at a time."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from designer.analysis.synthetic import build_campus
from designer.io import project_file, project_wire
from designer.io.catalog_io import load_catalog
from designer.io.errors import ProjectFileError
from designer.model import Project

CATALOG = load_catalog(include_user=False)
CAMPUS = build_campus(300, CATALOG)
CAMPUS_BYTES = project_file.project_to_bytes(CAMPUS)  # the writer's file: one record per line


def _checking(raw: bytes) -> Project:
    """The project as the checking reader reads it (the fast path not used)."""
    return project_file.project_from_document(project_file.document_from_text(raw), CATALOG, consume=True)


def _runs(raw: bytes, key: str) -> list[memoryview]:
    chunks = project_wire._row_chunks(getattr(project_wire._DECODER.decode(raw), key))
    assert chunks is not None
    return chunks


def test_the_writers_file_is_read_in_runs_that_give_the_same_records(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(project_wire, "ROWS_CHUNK_BYTES", 1 << 30)  # runs of 1 GiB: this file is one
    whole = project_wire.read_wire(CAMPUS_BYTES)
    assert whole is not None and len(_runs(CAMPUS_BYTES, "connections")) == 1
    monkeypatch.setattr(project_wire, "ROWS_CHUNK_BYTES", 4096)
    # 2,653 connections of ~110 bytes each (~290 kB): some 70 runs of 4 kB
    assert len(_runs(CAMPUS_BYTES, "connections")) > 50 and len(_runs(CAMPUS_BYTES, "items")) > 10
    in_runs = project_wire.read_wire(CAMPUS_BYTES)
    assert in_runs is not None
    assert in_runs.items == whole.items == list(CAMPUS.items.values())
    assert in_runs.connections == whole.connections == list(CAMPUS.connections.values())
    assert in_runs.document == whole.document
    # a connection's ends are still its items' own strings, across runs
    items = {item.id: item for item in in_runs.items}
    assert all(c.source_id is items[c.source_id].id for c in in_runs.connections)
    # and so is a repeated catalog id over every run of items: one string for each
    assert len({id(item.catalog_id) for item in in_runs.items}) == len({item.catalog_id for item in in_runs.items})


def test_only_one_runs_structs_are_decoded_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(project_wire, "ROWS_CHUNK_BYTES", 4096)
    decoded: list[int] = []
    rows = project_wire._rows

    def counted(chunk: memoryview, decoder: Any) -> list[Any] | None:
        records = rows(chunk, decoder)
        decoded.append(len(chunk))
        return records

    monkeypatch.setattr(project_wire, "_rows", counted)
    assert project_wire.read_wire(CAMPUS_BYTES) is not None
    longest_line = max(map(len, CAMPUS_BYTES.splitlines()))
    # each run is the 4 kB asked for plus the rest of the record it stopped in: never the whole list
    assert len(decoded) > 60 and max(decoded) <= 4096 + longest_line + 2


def test_a_file_on_one_line_is_one_run() -> None:
    raw = json.dumps(json.loads(CAMPUS_BYTES)).encode()
    assert b"\n" not in raw and len(_runs(raw, "connections")) == 1
    wire = project_wire.read_wire(raw)
    assert wire is not None and wire.connections == list(CAMPUS.connections.values())


def test_a_run_cut_inside_a_record_falls_back_to_the_checking_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    # a label that is a list of objects, over lines: ``},\n`` inside the second item. Cut there, the runs'
    # brackets do not balance: the fast path gives up and the checking reader names the label
    document = json.loads(CAMPUS_BYTES)
    document["items"][1]["label"] = [{"x": 1}, {"x": 2}, {"x": 3}]
    raw = json.dumps(document, indent=1).encode()
    monkeypatch.setattr(project_wire, "ROWS_CHUNK_BYTES", 1)
    assert b"},\n" in raw[raw.index(b'"label": ['):raw.index(b'"label": [') + 60]
    assert project_wire.read_wire(raw) is None
    with pytest.raises(ProjectFileError) as caught:
        project_file.project_from_text(raw, CATALOG)
    assert caught.value.json_path == "$.items[1].label"


@pytest.mark.parametrize("value", ["null", "{}", "[]", '"items"', "[1, 2]", "[[]]"])
def test_a_big_list_that_is_not_a_list_of_records_is_read_as_the_checking_reader_reads_it(value: str) -> None:
    for key in ("items", "connections"):
        document = json.loads(CAMPUS_BYTES)
        if key == "items":
            document["connections"] = []  # else every connection's end would dangle
        raw = json.dumps(document).replace(json.dumps(document[key]), value, 1).encode()
        try:
            expected: Project | None = _checking(raw)
        except ProjectFileError:
            expected = None
        if expected is None:
            assert project_wire.read_wire(raw) is None, (key, value)
            with pytest.raises(ProjectFileError):
                project_file.project_from_text(raw, CATALOG)
        else:
            got = project_file.project_from_text(raw, CATALOG)
            assert got.items == expected.items and got.connections == expected.connections, (key, value)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 20_000), st.integers(0, 2))
def test_any_run_size_gives_the_records_of_one_decode(run_bytes: int, indent: int) -> None:
    raw = CAMPUS_BYTES if indent == 0 else json.dumps(json.loads(CAMPUS_BYTES), indent=indent).encode()
    previous = project_wire.ROWS_CHUNK_BYTES
    project_wire.ROWS_CHUNK_BYTES = run_bytes
    try:
        wire = project_wire.read_wire(raw)
    finally:
        project_wire.ROWS_CHUNK_BYTES = previous
    assert wire is not None
    assert wire.items == list(CAMPUS.items.values()) and wire.connections == list(CAMPUS.connections.values())


def test_a_file_the_model_refuses_is_read_again_and_its_error_named(tmp_path: Any,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # a connection given twice: plainly valid record by record (the fast path reads it and lets the
    # file's bytes go), refused by the model; the file is then read again by the checking reader
    document = json.loads(CAMPUS_BYTES)
    document["connections"].append(dict(document["connections"][5]))
    path = tmp_path / "twice.dcplan"
    path.write_bytes(json.dumps(document).encode())
    reads: list[int] = []
    read = project_file.read_regular_file

    def counted(*args: Any, **kwargs: Any) -> bytes:
        reads.append(1)
        return read(*args, **kwargs)

    monkeypatch.setattr(project_file, "read_regular_file", counted)
    assert project_wire.read_wire(path.read_bytes()) is not None
    with pytest.raises(ProjectFileError) as caught:
        project_file.load_project(path, CATALOG)
    assert len(reads) == 2 and caught.value.file == str(path)
    assert caught.value.json_path == f"$.connections[{len(document['connections']) - 1}].id"
    assert caught.value.problem == "duplicate id 'k5' (first used at $.connections[5].id)"
    reads.clear()
    assert project_file.load_project(_saved(tmp_path), CATALOG).items == CAMPUS.items and len(reads) == 1


def _saved(folder: Any) -> Any:
    path = folder / "campus.dcplan"
    path.write_bytes(CAMPUS_BYTES)
    return path
