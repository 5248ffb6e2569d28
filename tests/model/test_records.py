"""``records_from_columns`` builds the same records as the constructor, and refuses a column set that
does not match the class's fields (so a field added to a record cannot be silently left unset)."""

from __future__ import annotations

from dataclasses import fields

import pytest

from designer.model.records import Connection, Hall, PlacedItem, records_from_columns
from designer.model.types import ConnectionKind, CoolingMedium, FeedSide, Phase, WorkloadClass


def _columns(records: list[object]) -> dict[str, list[object]]:
    return {f.name: [getattr(record, f.name) for record in records] for f in fields(records[0])}  # type: ignore[arg-type]


ITEMS = [
    PlacedItem("rack-1", "rack.a", "hall-1", 1000.0, 2000.0),
    PlacedItem("rack-2", "rack.b", "hall-1", 3000.5, -4.0, 90.0, "Row A", "pod-1", "g", 120.0, WorkloadClass.AI,
               0.8, 1500.0, Phase.ALL, 2027, 2031),
]
CONNECTIONS = [
    Connection("c-1", ConnectionKind.POWER, "ups-1", "rack-1", FeedSide.A),
    Connection("c-2", ConnectionKind.COOLING, "crah-1", "rack-1", medium=CoolingMedium.LIQUID),
]


@pytest.mark.parametrize("records", [ITEMS, CONNECTIONS])
def test_the_records_equal_the_constructors_field_for_field(records: list[object]) -> None:
    built = records_from_columns(type(records[0]), len(records), _columns(records))
    assert built == records
    for made, given in zip(built, records, strict=True):
        assert type(made) is type(given)
        for f in fields(given):  # type: ignore[arg-type]
            assert getattr(made, f.name) is getattr(given, f.name)  # every slot set, to the very object given
        assert hash(made) == hash(given)


def test_the_records_stay_frozen() -> None:
    built = records_from_columns(Connection, 2, _columns(CONNECTIONS))
    with pytest.raises(AttributeError):
        built[0].id = "other"  # type: ignore[misc]


def test_a_missing_or_unknown_column_is_refused() -> None:
    columns = _columns(ITEMS)
    del columns["retirement_year"]  # as if a field were added to PlacedItem and not to the reader
    with pytest.raises(TypeError, match=r"missing \['retirement_year'\]"):
        records_from_columns(PlacedItem, 2, columns)
    columns = _columns(ITEMS) | {"colour": ["red", "blue"]}
    with pytest.raises(TypeError, match=r"unknown \['colour'\]"):
        records_from_columns(PlacedItem, 2, columns)


def test_a_column_of_another_length_is_refused() -> None:
    columns = _columns(CONNECTIONS)
    columns["medium"] = columns["medium"][:1]
    with pytest.raises(ValueError, match="'medium': 1"):
        records_from_columns(Connection, 2, columns)


def test_only_frozen_slots_dataclasses_without_post_init_are_built() -> None:
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class NoSlots:
        a: int

    @dataclass(frozen=True, slots=True)
    class Checked:
        a: int

        def __post_init__(self) -> None:
            assert self.a > 0

    for cls in (NoSlots, Checked):
        with pytest.raises(TypeError, match="not a frozen slots dataclass"):
            records_from_columns(cls, 1, {"a": [1]})
    assert records_from_columns(Hall, 0, {f.name: [] for f in fields(Hall)}) == []
