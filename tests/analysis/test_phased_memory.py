"""What the per-year views of a phased design keep between analyses, and that keeping less changes no figure."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from typing import cast

import numpy as np
from analysis.analysis_builders import TEST_CATALOG, flat_profiles
from analysis.test_runway_hand import two_phase
from hypothesis import given, settings
from hypothesis import strategies as st
from model.test_columns import Editor, check
from model.test_year_view_columns import shares_the_live_arrays

from designer.analysis.engine import Analyzer
from designer.analysis.phased import YearViews
from designer.analysis.sweep import SweepResult, sweep
from designer.model import PlacedItem, Project

SHARES = np.linspace(0.0, 1.0, 5)


def analyzer() -> Analyzer:
    return Analyzer(profiles=flat_profiles(0.8), climates={})


def identical(a: SweepResult, b: SweepResult) -> None:
    """Every field of two sweeps equal to the bit."""
    for field in dataclasses.fields(a):
        left, right = getattr(a, field.name), getattr(b, field.name)
        if isinstance(left, np.ndarray):
            assert left.tobytes() == right.tobytes(), field.name
        else:
            assert left == right, field.name


def kept_preparation(live: Analyzer, project: Project, year: int) -> bool:
    built = live.year_view(project, year)
    assert built is not None
    compiled = built[1]._compiled
    return compiled is not None and compiled.sweep_cache is not None


def test_a_phased_sweep_keeps_the_shown_years_preparation_only() -> None:
    d = two_phase()  # R7-R12 enter in 2027: 2025 and 2026 share one design, 2027 has its own
    project = d.project
    live = analyzer()
    first = sweep(project, TEST_CATALOG, SHARES, analyzer=live, year=2027)
    identical(first, sweep(project, TEST_CATALOG, SHARES, analyzer=analyzer(), year=2027))
    assert kept_preparation(live, project, 2027)  # the share sweep's, brought up to date after the next edit
    assert not kept_preparation(live, project, 2025), "a year pass's preparation is let go"
    project.update_items([replace(project.items["R2"], design_kw=50.0)])  # a rack standing every year
    again = sweep(project, TEST_CATALOG, SHARES, analyzer=live, year=2027)
    identical(again, sweep(project, TEST_CATALOG, SHARES, analyzer=analyzer(), year=2027))
    # at the flat 0.8 profile R2 draws 0.8 x 50 = 40 kW instead of 0.8 x 100 = 80: 2025-2026 have 6 racks,
    # 5 x 80 + 40 = 440 kW; 2027 adds R7-R12, 440 + 6 x 80 = 920 kW
    assert again.year_peak_it_kw.tolist() == [440.0, 440.0, 920.0]
    # the share sweep on 2025's design now keeps 2025's preparation and lets 2027's go
    sweep(project, TEST_CATALOG, SHARES, analyzer=live, year=2025)
    assert kept_preparation(live, project, 2025) and not kept_preparation(live, project, 2027)


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
