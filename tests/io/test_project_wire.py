"""The msgspec fast path of the loader (``project_wire``) accepts only what the checking reader accepts,
gives the same records, and leaves every refusal (duplicate keys above all) to the checking reader."""

from __future__ import annotations

import json
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from designer.io import project_file, project_wire
from designer.io.catalog_io import load_catalog
from designer.io.errors import ProjectFileError
from designer.model import Project

CATALOG = load_catalog(include_user=False)
RACK = "rack.gb200_nvl72_ai"
HALL = {"id": "hall-1", "name": "Hall 1", "outline_mm": [[0, 0], [20000, 0], [20000, 20000], [0, 20000]]}
ITEMS = [
    {"id": "ups-1", "catalog_id": RACK, "hall_id": "hall-1", "x_mm": 1000, "y_mm": 1000},
    {"id": "rack-1", "catalog_id": RACK, "hall_id": "hall-1", "x_mm": 3000.5, "y_mm": 1000, "rotation_deg": 90,
     "label": "Row A: rack 1", "design_kw": 120, "workload": "ai", "phase": "L1L2L3", "in_service_year": 2027},
]
CONNECTIONS = [
    {"id": "c-1", "kind": "power", "source": "ups-1", "target": "rack-1", "feed": "A"},
    {"id": "c-2", "kind": "cooling", "source": "ups-1", "target": "rack-1", "medium": "liquid"},
]


def _document(items: list[dict] | None = None, connections: list[dict] | None = None) -> dict:  # type: ignore[type-arg]
    return {"format": "dc-designer-project", "schema_version": 1, "metadata": {"title": "t"}, "halls": [HALL],
            "items": ITEMS if items is None else items,
            "connections": CONNECTIONS if connections is None else connections}


def _checking(text: bytes) -> Project:
    """The project as the checking reader reads it (the fast path not used)."""
    return project_file.project_from_document(project_file.document_from_text(text), CATALOG, consume=True)


def _same(first: Project, second: Project) -> bool:
    return (first.items == second.items and first.connections == second.connections
            and first.halls == second.halls and first.metadata == second.metadata)


def test_a_plain_file_takes_the_fast_path_and_gives_the_checking_readers_project() -> None:
    text = json.dumps(_document()).encode()
    wire = project_wire.read_wire(text)
    assert wire is not None  # the colon in the label ("Row A: rack 1") is inside a string: still conclusive
    assert len(wire.items) == 2 and len(wire.connections) == 2
    assert wire.items[1].rotation_deg == 90.0 and wire.items[1].in_service_year == 2027
    assert _same(project_file.project_from_text(text, CATALOG), _checking(text))


@pytest.mark.parametrize("text, path", [
    # a key twice in an item, in a connection, in a hall, at the top level
    ('{"id": "ups-1", "id": "ups-2",', "$.items[0]"),
    ('{"id": "c-1", "kind": "power", "kind": "power",', "$.connections[0]"),
    ('{"id": "hall-1", "name": "Hall 1", "name": "Hall 1",', "$.halls[0]"),
    ('{"format": "dc-designer-project", "format": "dc-designer-project",', "$"),
])
def test_a_key_given_twice_is_refused_with_its_path(text: str, path: str) -> None:
    base = json.dumps(_document())
    first = {"$.items[0]": '{"id": "ups-1",', "$.connections[0]": '{"id": "c-1", "kind": "power",',
             "$.halls[0]": '{"id": "hall-1", "name": "Hall 1",', "$": '{"format": "dc-designer-project",'}[path]
    assert first in base
    raw = base.replace(first, text, 1).encode()
    assert project_wire.read_wire(raw) is None
    with pytest.raises(ProjectFileError) as caught:
        project_file.project_from_text(raw, CATALOG)
    assert "appears twice" in caught.value.problem and caught.value.json_path == path


def test_a_repeated_key_with_a_colon_in_a_string_still_falls_back() -> None:
    # the label's colon makes the plain count one higher; the exact count (strings blanked) finds the repeat
    raw = json.dumps(_document()).replace('"x_mm": 1000, "y_mm": 1000}', '"x_mm": 1000, "y_mm": 1000, "y_mm": 5}',
                                          1).encode()
    assert project_wire.read_wire(raw) is None


item_changes = st.dictionaries(
    st.sampled_from(["id", "x_mm", "rotation_deg", "label", "pod_id", "group", "design_kw", "workload",
                     "liquid_fraction", "weight_kg", "phase", "in_service_year", "retirement_year", "extra"]),
    st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=False, allow_infinity=False),
              st.sampled_from(["", " ", "ai", "L1", "L1L2L3", "x" * 201, "a\u200bb", 2030, 1899, 2201, 360.5, -360,
                               1e7, 1e7 + 1, 10_000, 10_000.5, 0.5, 1.5])),
    max_size=4)
connection_changes = st.dictionaries(
    st.sampled_from(["id", "kind", "source", "target", "feed", "medium", "extra"]),
    st.one_of(st.none(), st.integers(), st.sampled_from(["", "power", "cooling", "A", "B", "single", "air", "liquid",
                                                         "ups-1", "rack-1", "ups-1\n"])),
    max_size=3)


@settings(max_examples=300, deadline=None)
@given(item_changes, connection_changes)
def test_the_fast_path_accepts_only_what_the_checking_reader_accepts(item: dict, connection: dict) -> None:  # type: ignore[type-arg]
    raw = json.dumps(_document([ITEMS[0], {**ITEMS[1], **item}], [{**CONNECTIONS[0], **connection}])).encode()
    try:
        expected: Project | None = _checking(raw)
    except ProjectFileError:
        expected = None
    wire = project_wire.read_wire(raw)
    if expected is None:
        with pytest.raises(ProjectFileError):
            project_file.project_from_text(raw, CATALOG)
    else:
        assert _same(project_file.project_from_text(raw, CATALOG), expected)
    if wire is not None and expected is not None:
        assert wire.items == list(expected.items.values())
        assert wire.connections == list(expected.connections.values())


def test_the_limits_are_the_loaders() -> None:
    assert project_wire.MAX_COORDINATE_MM == project_file.MAX_COORDINATE_MM
    assert project_wire.MAX_WEIGHT_KG == project_file.MAX_WEIGHT_KG
    assert project_wire.MAX_ITEMS == project_file.MAX_ITEMS


@pytest.mark.parametrize("items, connections, path, problem", [
    ([ITEMS[0], {**ITEMS[1], "id": "ups-1"}], CONNECTIONS, "$.items[1].id", "duplicate id 'ups-1'"),
    (ITEMS, [CONNECTIONS[0], {**CONNECTIONS[1], "target": "rack-9"}], "$.connections[1].target", "missing item"),
    (ITEMS, [{**CONNECTIONS[0], "id": "hall-1"}], "$.connections[0].id", "duplicate id 'hall-1'"),
    # an end is not checked by the fast path: the model refuses it as no item, the checking reader words it
    (ITEMS, [{**CONNECTIONS[0], "target": "rack-1\u200b"}], "$.connections[0].target", "invisible characters"),
    ([ITEMS[0], {**ITEMS[1], "pod_id": "pod-9"}], CONNECTIONS, "$.items[1].pod_id", "unknown pod"),
    ([ITEMS[0], {**ITEMS[1], "catalog_id": "rack.nope"}], CONNECTIONS, "$.items[1].catalog_id", "unknown catalog"),
])
def test_a_bad_reference_after_the_fast_path_is_worded_by_the_checking_reader(
        items: list[dict], connections: list[dict], path: str, problem: str) -> None:  # type: ignore[type-arg]
    # the fast path leaves duplicate ids and dangling references to the model; its refusal sends the
    # file to the checking reader, whose message names the JSON path
    raw = json.dumps(_document(items, connections)).encode()
    assert project_wire.read_wire(raw) is not None
    with pytest.raises(ProjectFileError) as caught:
        project_file.project_from_text(raw, CATALOG)
    assert caught.value.json_path == path and problem in caught.value.problem


def test_the_writer_spells_numbers_its_own_way_and_they_read_back_the_same() -> None:
    project = project_file.project_from_text(json.dumps(_document()).encode(), CATALOG)
    item = project.items["rack-1"]
    project.update_items([type(item)(**{**{f: getattr(item, f) for f in item.__dataclass_fields__},
                                        "x_mm": 1e-05, "y_mm": 1e6 + 0.5, "design_kw": 1e3})])
    text = project_file.project_to_text(project)
    # msgspec writes 1e-05 as 0.00001 (json: 1e-05); 1000.0 is written as an integer, as always
    assert '"x_mm": 0.00001, "y_mm": 1000000.5' in text and '"design_kw": 1000,' in text
    again = project_file.project_from_text(text.encode(), CATALOG)
    assert again.items == project.items and project_file.project_to_text(again) == text


def test_the_writer_still_refuses_a_number_that_is_not_finite() -> None:
    project = project_file.project_from_text(json.dumps(_document()).encode(), CATALOG)
    item = project.items["rack-1"]
    project.update_items([type(item)(**{**{f: getattr(item, f) for f in item.__dataclass_fields__},
                                        "x_mm": float("nan")})])
    with pytest.raises(ValueError, match="JSON compliant"):  # msgspec would have written null
        project_file.project_to_bytes(project)


def test_repeated_strings_are_one_object_each() -> None:
    # the ends of both connections are the items' own id strings, and the two items' catalog and hall
    # ids one string each (msgspec decodes every string as a new object: 4 ends + 2 + 2 strings become 0 + 1 + 1)
    wire = project_wire.read_wire(json.dumps(_document()).encode())
    assert wire is not None
    ups, rack = wire.items
    assert ups.catalog_id is rack.catalog_id and ups.hall_id is rack.hall_id
    for connection in wire.connections:
        assert connection.source_id is ups.id and connection.target_id is rack.id
    assert ups.rotation_deg == 0.0 and rack.rotation_deg == 90.0 and ups.label == "" and ups.pod_id is None


@pytest.mark.parametrize("where, key", [("items", "label"), ("items", "workload"), ("connections", "feed")])
def test_a_null_goes_to_the_checking_reader_which_reads_it_as_absent(where: str, key: str) -> None:
    # the schema (generated from the structs) has no null: the fast path declines, the file still loads
    document = _document([*ITEMS], [*CONNECTIONS])  # copies: the module's lists stay as they are
    document[where][1 if where == "items" else 0] = {**document[where][1 if where == "items" else 0], key: None}
    raw = json.dumps(document).encode()
    assert project_wire.read_wire(raw) is None
    project = project_file.project_from_text(raw, CATALOG)
    assert _same(project, _checking(raw)) and len(project.items) == 2 and len(project.connections) == 2


def test_the_budget_check_counts_the_colons_the_key_count_is_held_against() -> None:
    from designer.io.safe_read import check_json_budget

    # three keys and one colon inside a string: 4 (the fast path blanks the strings only on a mismatch)
    assert check_json_budget(b'{"a": "x:y", "b": [1, {"c": 2}]}', ValueError) == 4
    raw = json.dumps(_document()).encode()
    assert check_json_budget(raw, ValueError) == raw.count(b":")
    assert project_wire.read_wire(raw, colons=raw.count(b":") + 1) is not None  # the exact count still agrees


def test_the_joined_ids_split_into_copies_and_refuse_what_the_column_check_refuses() -> None:
    ids = ["k0", "rack 1", "r\u00e9sum\u00e9"]
    lines = project_wire._printable_lines(ids)
    assert lines is not None
    copies = lines.split("\n")
    assert copies == ids and all(copy is not original for copy, original in zip(copies, ids, strict=True))
    # a newline inside an id, a blank id, a control or format character: refused by both checks
    for bad in (["a\nb", "c"], ["a", "  "], ["a\tb"], ["a\u200bb"], ["\u00a0"]):
        assert project_wire._printable_lines(bad) is None and not project_wire._printable(bad), bad
    for good in (["a", "b c"], ["x"], [" a"]):
        assert project_wire._printable_lines(good) is not None and project_wire._printable(good), good


def test_the_space_is_the_one_printable_whitespace_character() -> None:
    # ``_printable`` looks at each id for a blank one only when the joined ids hold a space
    found = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and c.isprintable()]
    assert found == [" "]


def test_the_fast_path_empties_the_decoded_lists_it_has_read() -> None:
    text = json.dumps(_document()).encode()
    wire = project_wire._DECODER.decode(text)
    (item_run,), (connection_run,) = project_wire._row_chunks(wire.items), project_wire._row_chunks(wire.connections)
    items = project_wire._rows(item_run, project_wire._ITEMS_DECODER)
    connections = project_wire._rows(connection_run, project_wire._CONNECTIONS_DECODER)
    assert items is not None and connections is not None
    read_items = project_wire._items(items, {})
    assert read_items is not None and items == []
    ids = [item.id for item in read_items[0]]
    assert project_wire._connections(connections, dict(zip(ids, ids, strict=True))) is not None
    assert connections == []
