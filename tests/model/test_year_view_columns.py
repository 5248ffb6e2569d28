"""A year view (``Project.without_items(..., follow=True)``) reads the live project's columns, masked to its
own records, instead of holding a copy; they still say exactly what its records say after any edits."""

from __future__ import annotations

from dataclasses import replace

from model.test_columns import check, new_project

from designer.model.project import Project
from designer.model.records import Connection, PlacedItem
from designer.model.types import ConnectionKind


def shares_the_live_arrays(view: Project, live: Project) -> bool:
    """Every data column of ``view`` is the live project's own array; only the live marks are its own."""
    mine, theirs = view.columns, live.columns
    return (all(getattr(mine, name) is getattr(theirs, name)
                for name in ("item_catalog", "item_design_kw", "item_hall", "connection_source", "connection_kind"))
            and mine.item_alive is not theirs.item_alive)


def test_a_following_view_reads_the_live_columns_through_masks() -> None:
    live = new_project()
    live.add_items([PlacedItem("u", "ups.a", "hall-1", 0, 0), PlacedItem("r1", "rack.a", "hall-1", 0, 0),
                    PlacedItem("r2", "rack.b", "hall-1", 0, 0, design_kw=9.0)])
    live.add_connections([Connection("c1", ConnectionKind.POWER, "u", "r1"),
                          Connection("c2", ConnectionKind.POWER, "u", "r2")])
    view = live.without_items(frozenset({"r1"}), follow=True)
    assert view._columns is None  # nothing copied when made
    assert list(view.columns.item_alive) == [1, 0, 1]  # u, r2 stand; r1 (slot 1) does not
    assert list(view.columns.connection_alive) == [0, 1]  # c1 ends at r1
    assert shares_the_live_arrays(view, live)
    check(view)
    # an edit of the view's records lets its columns go (no copy, no id maps), read again when needed
    view.update_items([replace(view.items["r2"], design_kw=4.0)])
    assert view._columns is None
    live.update_items([replace(live.items["r2"], design_kw=4.0)])  # the live project: the same edit
    assert shares_the_live_arrays(view, live)  # the live copied its columns before writing: read anew
    check(view)
    # records that are not the live's (edited on one side only): the view's columns come from its records
    view.add_items([PlacedItem("r9", "rack.a", "hall-2", 0, 0)])
    assert not shares_the_live_arrays(view, live)
    check(view)
