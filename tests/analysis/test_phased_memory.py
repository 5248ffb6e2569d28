"""What the per-year views of a phased design keep between analyses, and that keeping less changes no figure."""

from __future__ import annotations

from typing import cast

from hypothesis import given, settings
from hypothesis import strategies as st
from model.test_columns import Editor, check
from model.test_year_view_columns import shares_the_live_arrays

from designer.analysis.engine import Analyzer
from designer.analysis.phased import YearViews
from designer.model import PlacedItem


class _NoAnalyzer:
    def close(self) -> None:
        pass


YEARS = (2025, 2030)
OPS = ("add_items", "remove_items", "restore", "update_items", "move_items", "add_connections",
       "remove_connections", "update_connections")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 1000), st.integers(1, 9)), max_size=40))
def test_year_views_read_the_live_columns_through_any_edits(ops: list[tuple[str, int, int]]) -> None:
    editor = Editor()
    live = editor.projects[0]
    live.add_items([PlacedItem(f"late-{k}", "rack.a", "hall-1", 0, 0, in_service_year=2030) for k in range(3)])
    views = YearViews(lambda: cast(Analyzer, _NoAnalyzer()))
    for op, pick, size in ops:
        editor.apply(op, pick, size)
        for year in YEARS:
            built = views.view(live, year)
            if built is None:  # no item has a year any more
                continue
            check(built[0])
            assert shares_the_live_arrays(built[0], live)
            assert not any(item.in_service_year == 2030 for item in built[0].items.values()) or year == 2030
