"""The loader's fast paths for items and connections agree with the checking reader on every record.

A record the fast path accepts must give exactly the record the checking reader gives; anything
unusual must fall through to the checking reader (which words the error with its JSON path).
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from designer.io import project_file
from designer.io.errors import ProjectFileError
from designer.io.reader import Node

ids = st.one_of(st.sampled_from(["rack-1", "a", "x" * 200, "x" * 201, "", "  ", "\t"]), st.integers(), st.none(),
                st.text(max_size=5))
numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**30, 10**30), st.booleans(),
                    st.sampled_from([0, 1, 360, -360, 360.0001, 361, 399.5, -360.5, 10_000, 10_000.5, 1.0, 1.0000001,
                                     1.5, -0.0001, 1e7, 1e7 + 1, -1e7 - 1]),
                    st.none(), st.text(max_size=3))
containers = st.sampled_from([[], ["a"], {}, {"a": 1}])
words = ["ai", "training", "inference", "general", "storage", "network", "AI", "", "power", "cooling", "A", "B",
         "single", "air", "liquid"]
choices = st.one_of(containers, st.sampled_from(words), st.none(), st.integers())
DELETE = object()
VALID_ITEM = {"id": "rack-1", "catalog_id": "rack.x", "hall_id": "hall-1", "x_mm": 1200, "y_mm": 600.5}
VALID_CONNECTION = {"id": "c-1", "kind": "power", "source": "ups-1", "target": "rack-1"}


def _changed(base: dict, keys: list[str], values: st.SearchStrategy) -> st.SearchStrategy:  # type: ignore[type-arg]
    """``base`` with a few fields changed, added or deleted: mostly valid records, some not."""
    changes = st.dictionaries(st.sampled_from(keys), st.one_of(values, st.just(DELETE)), max_size=4)
    return changes.map(lambda change: {k: v for k, v in {**base, **change}.items() if v is not DELETE})


item_records = _changed(VALID_ITEM, ["id", "catalog_id", "hall_id", "x_mm", "y_mm", "rotation_deg", "label", "pod_id",
                                     "group", "design_kw", "workload", "liquid_fraction", "extra"],
                        st.one_of(ids, numbers, choices))
connection_records = _changed(VALID_CONNECTION, ["id", "kind", "source", "target", "feed", "medium", "extra"],
                              st.one_of(ids, choices))


def _checking(read, fast_name, record):  # type: ignore[no-untyped-def]
    """What the checking reader makes of ``record`` (the fast path switched off), or None if it refuses."""
    fast = getattr(project_file, fast_name)
    setattr(project_file, fast_name, lambda value: None)
    try:
        return read(Node(record, "$.items[0]", ProjectFileError))
    except ProjectFileError:
        return None
    finally:
        setattr(project_file, fast_name, fast)


@settings(max_examples=600, deadline=None)
@given(item_records)
def test_the_item_fast_path_gives_what_the_checking_reader_gives(record: dict) -> None:  # type: ignore[type-arg]
    fast = project_file._item_fast(record)
    if fast is not None:
        assert fast == _checking(project_file._read_item, "_item_fast", record)


@settings(max_examples=400, deadline=None)
@given(connection_records)
def test_the_connection_fast_path_gives_what_the_checking_reader_gives(record: dict) -> None:  # type: ignore[type-arg]
    fast = project_file._connection_fast(record)
    if fast is not None:
        assert fast == _checking(project_file._read_connection, "_connection_fast", record)


def test_the_fast_paths_take_ordinary_records() -> None:
    item = {"id": "rack-1", "catalog_id": "rack.x", "hall_id": "hall-1", "x_mm": 1200, "y_mm": 600.5,
            "rotation_deg": -90, "label": "R1", "pod_id": "pod-1", "design_kw": 40, "workload": "ai",
            "liquid_fraction": 0.75}
    fast = project_file._item_fast(item)
    assert fast is not None and fast.rotation_deg == 270.0 and fast.x_mm == 1200.0
    assert fast == _checking(project_file._read_item, "_item_fast", item)
    connection = {"id": "c-1", "kind": "power", "source": "ups-1", "target": "rack-1", "feed": "B"}
    assert project_file._connection_fast(connection) == _checking(
        project_file._read_connection, "_connection_fast", connection)
    assert project_file._connection_fast(connection) is not None


def test_unusual_records_go_to_the_checking_reader() -> None:
    base = {"id": "rack-1", "catalog_id": "rack.x", "hall_id": "hall-1", "x_mm": 0, "y_mm": 0}
    for change in ({"x_mm": math.nan}, {"x_mm": True}, {"id": " "}, {"label": "x" * 201}, {"workload": "AI"},
                   {"liquid_fraction": 1.5}, {"design_kw": -1}, {"unknown": 1}, {"rotation_deg": 361}):
        assert project_file._item_fast({**base, **change}) is None, change
    power = {"id": "c", "kind": "power", "source": "a", "target": "b"}
    for change in ({"medium": "air"}, {"feed": "C"}, {"kind": "water"}, {"source": ""}):
        assert project_file._connection_fast({**power, **change}) is None, change


@settings(max_examples=300, deadline=None)
@given(st.lists(connection_records, max_size=6))
def test_the_connection_list_fast_path_gives_what_record_by_record_gives(records: list) -> None:  # type: ignore[type-arg]
    """The whole-list path (column checks) accepts a list exactly when every record's fast path does,
    and then gives the same records."""
    one_by_one = [project_file._connection_fast(record) for record in records]
    batch = project_file._connections_fast(records)
    if None in one_by_one:
        assert batch is None
    else:
        assert batch == one_by_one


def test_a_bad_connection_in_a_long_list_is_reported_at_its_path() -> None:
    records = [{"id": f"c-{i}", "kind": "power", "source": "ups-1", "target": f"rack-{i}"} for i in range(50)]
    records[37] = {**records[37], "feed": "C"}
    assert project_file._connections_fast(records) is None
    root = Node({"connections": records}, "$", ProjectFileError)
    try:
        project_file._read_list(root, "connections", project_file._read_connection, max_count=100,
                                fast=project_file._connections_fast)
    except ProjectFileError as error:
        assert error.json_path == "$.connections[37].feed"
    else:
        raise AssertionError("the bad feed was accepted")


@settings(max_examples=300, deadline=None)
@given(st.lists(item_records, max_size=6))
def test_the_item_list_fast_path_gives_what_record_by_record_gives(records: list) -> None:  # type: ignore[type-arg]
    one_by_one = [project_file._item_fast(record) for record in records]
    batch = project_file._items_fast(records)
    if None in one_by_one:
        assert batch is None
    else:
        assert batch == one_by_one


def test_the_item_list_fast_path_takes_mixed_optional_fields() -> None:
    records = [{**VALID_ITEM, "id": f"r-{i}", "rotation_deg": -90 * i} for i in range(5)]
    records[2] = {**records[2], "design_kw": 40, "workload": "ai", "group": "g-1"}
    records[4] = {**records[4], "label": "R5", "liquid_fraction": 0.5}
    batch = project_file._items_fast(records)
    assert batch is not None and batch == [project_file._item_fast(record) for record in records]
    assert batch[2].design_kw == 40.0 and batch[0].design_kw is None and batch[4].label == "R5"
    assert project_file._items_fast([*records, {**VALID_ITEM, "id": "bad", "x_mm": math.inf}]) is None


def test_an_integer_beyond_any_float_goes_to_the_checking_reader() -> None:
    assert project_file._items_fast([{**VALID_ITEM, "x_mm": 10**400}]) is None
