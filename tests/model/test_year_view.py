"""A year view (``designer.model.year_view.YearView``) reads the live project's records and columns through
the set of items absent that year, holding no copy of its own; it still says exactly what a plain copy of
that year's design says, and a snapshot of it stays as it was while the live project is edited."""

from __future__ import annotations

from dataclasses import replace

import pytest
from model.test_columns import check, new_project

from designer.model.events import ChangeAction, ChangeEvent, Collection
from designer.model.project import ModelError, Project
from designer.model.records import Connection, PlacedItem
from designer.model.types import ConnectionKind
from designer.model.year_view import YearView


def shares_the_live_arrays(view: Project, live: Project) -> bool:
    """Every data column of ``view`` is the live project's own array; only the live marks are its own."""
    mine, theirs = view.columns, live.columns
    return (all(getattr(mine, name) is getattr(theirs, name)
                for name in ("item_catalog", "item_design_kw", "item_hall", "connection_source", "connection_kind"))
            and mine.item_alive is not theirs.item_alive)


def three_items() -> Project:
    live = new_project()
    live.add_items([PlacedItem("u", "ups.a", "hall-1", 0, 0), PlacedItem("r1", "rack.a", "hall-1", 0, 0),
                    PlacedItem("r2", "rack.b", "hall-1", 0, 0, design_kw=9.0)])
    live.add_connections([Connection("c1", ConnectionKind.POWER, "u", "r1"),
                          Connection("c2", ConnectionKind.POWER, "u", "r2")])
    return live


def test_a_view_reads_the_live_records_and_columns_through_its_absent_items() -> None:
    live = three_items()
    view = YearView(live, frozenset({"r1"}))
    assert view._columns is None and view._items == {} and view._connections == {}  # nothing copied
    assert list(view.items) == ["u", "r2"] and len(view.items) == 2
    assert "r1" not in view.items and "r2" in view.items
    with pytest.raises(KeyError):
        view.items["r1"]
    assert [i.id for i in view.items.values()] == ["u", "r2"]
    assert [k for k, _ in view.items.items()] == ["u", "r2"]
    assert list(reversed(view.items)) == ["r2", "u"]  # from the last, as a dict's
    assert list(view.connections) == ["c2"] and len(view.connections) == 1  # c1 ends at r1
    assert "c1" not in view.connections and view.connections.get("c1") is None
    assert [c.id for c in view.connections.values()] == ["c2"]
    assert [c.id for c in view.connections_of("u")] == ["c2"] and view.connections_of("r1") == []
    assert list(view.columns.item_alive) == [1, 0, 1]  # u, r2 stand; r1 (slot 1) does not
    assert list(view.columns.connection_alive) == [0, 1]
    assert shares_the_live_arrays(view, live)
    check(view)
    assert view.halls is live.halls and view.pods is live.pods
    assert view.state() == live.without_items(frozenset({"r1"})).state()


def test_a_view_follows_the_live_edits_it_is_told_of() -> None:
    live = three_items()
    view = YearView(live, frozenset({"r1"}))
    heard: list[ChangeEvent] = []
    view.events.subscribe(heard.append)
    live.update_items([replace(live.items["r2"], design_kw=4.0)])
    view.release_columns()  # what ``YearViews`` does on a live edit of the columns
    assert view.items["r2"].design_kw == 4.0
    assert shares_the_live_arrays(view, live)  # the live copied its columns before writing: read anew
    check(view)
    live.add_items([PlacedItem("r9", "rack.a", "hall-2", 0, 0), PlacedItem("r10", "rack.a", "hall-2", 0, 0)])
    view.hide(["r10"])  # added, not standing that year
    view.release_columns()
    assert list(view.items) == ["u", "r2", "r9"]
    check(view)
    live.add_connections([Connection("c3", ConnectionKind.POWER, "u", "r10")])
    assert "c3" not in view.connections
    removed = live.remove_items(["r1", "r2"])  # r1 was absent, r2 stood
    assert view.forget(["r1", "r2"]) == ("r2",)
    assert view.absent == {"r10"}
    view.release_columns()
    assert list(view.items) == ["u", "r9"] and len(view.items) == 2
    check(view)
    assert [c.id for c in removed.connections] == ["c1", "c2"]
    view.tell(ChangeEvent(ChangeAction.REMOVED, Collection.ITEMS, ("r2",)))
    assert heard == [ChangeEvent(ChangeAction.REMOVED, Collection.ITEMS, ("r2",))]


def test_a_removal_of_connections_says_what_it_removed() -> None:
    live = three_items()
    heard: list[ChangeEvent] = []
    live.events.subscribe(heard.append)
    live.remove_connections(["c1"])
    assert heard[-1].removed == (Connection("c1", ConnectionKind.POWER, "u", "r1"),)
    assert heard[-1] == ChangeEvent(ChangeAction.REMOVED, Collection.CONNECTIONS, ("c1",))  # not compared


def test_a_snapshot_of_a_view_stays_as_it_was() -> None:
    live = three_items()
    view = YearView(live, frozenset({"r1"}))
    copy = view.snapshot()
    kept = view.kept_connections()
    live.update_items([replace(live.items["r2"], design_kw=1.0)])
    live.remove_connections(["c2"])
    view.release_columns()
    assert copy.items["r2"].design_kw == 9.0 and list(copy.connections) == ["c2"]
    assert list(kept) == ["c2"]  # the reader that kept them reads them as they were
    assert view.items["r2"].design_kw == 1.0 and list(view.connections) == []
    check(copy)
    check(view)
    less = view.without_items(frozenset({"r2", "nowhere"}))
    assert list(less.items) == ["u"] and len(less.items) == 1


def test_nothing_is_edited_through_a_view() -> None:
    live = three_items()
    view = YearView(live, frozenset())
    with pytest.raises(ModelError):
        view.move_items({"u": (1.0, 1.0)})
    with pytest.raises(ModelError):
        view.remove_connections(["c1"])
    assert live.items["u"].x_mm == 0 and "c1" in live.connections
    assert view.new_id("u") == live.new_id("u")  # ids are the live project's
