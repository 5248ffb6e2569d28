"""The save's and the reader's shortcuts give what the plain rules give (``_num``, ``_plain_ids``)."""

from __future__ import annotations

from dataclasses import fields

import msgspec
import pytest

from designer.io import project_file
from designer.model.records import Connection, PlacedItem
from designer.model.types import ConnectionKind, CoolingMedium, FeedSide, Phase, WorkloadClass


def _num_as_written(value: object) -> object:
    """``_num`` before its float shortcut: the rule itself."""
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value  # type: ignore[arg-type]


def test_num_float_shortcut_is_the_rule() -> None:
    # 2**53 = 9,007,199,254,740,992: the first float at or beyond it stays a float; one below becomes an int
    values = [0.0, -0.0, 1.0, -1.5, 2.5, 1e16, -1e16, 2.0**53, -(2.0**53), 2.0**53 - 1, -(2.0**53 - 1),
              1e-300, float("inf"), float("-inf"), 3, -7, True, 10**20]
    for value in values:
        got, want = project_file._num(value), _num_as_written(value)
        assert type(got) is type(want) and got == want, value
    assert type(project_file._num(2.0**53 - 1)) is int and type(project_file._num(2.0**53)) is float
    nan = project_file._num(float("nan"))
    assert isinstance(nan, float) and nan != nan


def test_plain_ids_refuses_blank_and_unprintable_ids() -> None:
    assert project_file._plain_ids(["a b", "c"])  # a space inside an id is printable and not blank
    assert not project_file._plain_ids(["a", " "])  # a blank id, found by the look at each id
    assert not project_file._plain_ids(["a", "   "])
    assert not project_file._plain_ids(["a", "b\tc"])  # a tab is not printable
    assert not project_file._plain_ids(["a", ""])
    assert not project_file._plain_ids(["a", "x" * 201])
    assert project_file._plain_ids(["a", "x" * 200])


def test_rows_are_cut_at_each_row_boundary_and_only_there() -> None:
    # one row: its brackets both come off the one part
    assert project_file._rows_bytes([{"a": 1}]) == b'{"a": 1}'
    assert project_file._rows_bytes([{"a": 1}, {"b": "x"}, {"c": 2.5}]) == (
        b'{"a": 1},\n    {"b": "x"},\n    {"c": 2.5}')
    # "}, {" inside a string: 3 parts for 2 rows, so row by row (the string kept as it is)
    assert project_file._rows_bytes([{"a": "}, {"}, {"b": 2}]) == b'{"a": "}, {"},\n    {"b": 2}'
    # a nested list of records: the same
    assert project_file._rows_bytes([{"p": [{"x": 1}, {"y": 2}]}]) == b'{"p": [{"x": 1}, {"y": 2}]}'
    assert project_file._rows_bytes([]) == b""


def test_a_block_with_a_brace_inside_an_id_is_written_row_by_row() -> None:
    rows = project_file._Rows(["a", "}, {", "b"], lambda block: [{"id": value} for value in block])
    assert list(rows.blocks()) == [b'{"id": "a"},\n    {"id": "}, {"},\n    {"id": "b"}']


def _connections() -> list[Connection]:
    power, cooling = ConnectionKind.POWER, ConnectionKind.COOLING
    return [Connection("p1", power, "a", "b", FeedSide.A, CoolingMedium.AIR),
            Connection("c1", cooling, "a", "b", FeedSide.SINGLE, CoolingMedium.LIQUID),
            Connection("null-pdu", power, "a", "b", FeedSide.SINGLE, CoolingMedium.AIR),  # "null" in the text
            Connection("x}, {y", cooling, "b", "a", FeedSide.SINGLE, CoolingMedium.AIR),  # a row break in an id
            Connection("p2", power, "b", "c", FeedSide.B, CoolingMedium.AIR)]


@pytest.mark.parametrize("rows_per_block", [1, 2, 5, 8_192])
def test_connection_structs_write_the_dicts_text(monkeypatch: pytest.MonkeyPatch, rows_per_block: int) -> None:
    connections = _connections()
    monkeypatch.setattr(project_file, "ROWS_PER_BLOCK", rows_per_block)
    want = project_file._rows_bytes(project_file._connections_to_dicts(connections))  # every dict, then rows
    rows = project_file._Rows(connections, project_file._connections_to_dicts, project_file._connection_rows)
    assert b",\n    ".join(rows.blocks()) == want
    assert want.count(b"\n") == 4  # five rows, "x}, {y" not cut


def test_connection_structs_encode_as_the_dicts() -> None:
    connections = _connections()
    structs, dicts = project_file._connection_rows(connections), project_file._connections_to_dicts(connections)
    assert [msgspec.json.encode(s) for s in structs] == [msgspec.json.encode(d) for d in dicts]
    assert msgspec.json.encode(structs[0]) == b'{"id":"p1","kind":"power","source":"a","target":"b","feed":"A"}'


def _items() -> list[PlacedItem]:
    bare = PlacedItem("r1", "rack-42u", "h1", 600.0, 1200.5)  # no optional field: five keys
    full = PlacedItem("r2", "rack-42u", "h1", 1.0, -2.0, 90.0, "Row A", pod_id="p1", group="g",
                      design_kw=12.0, workload=WorkloadClass.TRAINING, liquid_fraction=0.5, weight_kg=800.0,
                      phase=Phase.L1, in_service_year=2027, retirement_year=2040)
    return [bare, full,
            PlacedItem("r3", "pdu", "h2", 0.0, 0.0, 0.0, ""),  # a zero rotation and an empty label: left out
            PlacedItem("r4", "pdu", "h2", 3, 4, 180.25, "x", retirement_year=2035),  # ints, one year only
            PlacedItem("r5", "pdu", "h2", 2.0**53, -0.0, design_kw=0.0, weight_kg=10**3)]


def test_item_structs_encode_as_the_dicts() -> None:
    items = _items()
    structs, dicts = project_file._item_rows(items), [project_file._item_to_dict(item) for item in items]
    assert [msgspec.json.encode(s) for s in structs] == [msgspec.json.encode(d) for d in dicts]
    assert msgspec.json.encode(structs[0]) == (
        b'{"id":"r1","catalog_id":"rack-42u","hall_id":"h1","x_mm":600,"y_mm":1200.5}')  # 600.0 written 600
    # every field of the item is written, in the struct's order (a field added to PlacedItem must be added
    # to ``_item_to_dict`` and ``_ItemRow`` both: this fails until it is)
    names = [field.name for field in fields(PlacedItem)]
    assert list(dicts[1]) == names == list(project_file._ItemRow.__struct_fields__)


@pytest.mark.parametrize("rows_per_block", [1, 2, 8_192])
def test_item_blocks_write_the_dicts_text(monkeypatch: pytest.MonkeyPatch, rows_per_block: int) -> None:
    items = _items()
    monkeypatch.setattr(project_file, "ROWS_PER_BLOCK", rows_per_block)
    want = project_file._rows_bytes([project_file._item_to_dict(item) for item in items])
    rows = project_file._Rows(items, lambda block: [project_file._item_to_dict(i) for i in block],
                              project_file._item_rows)
    assert b",\n    ".join(rows.blocks()) == want
