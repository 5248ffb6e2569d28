"""What the per-year views of a phased design keep between analyses, and that keeping less changes no figure."""

from __future__ import annotations

from dataclasses import replace
from typing import cast

from analysis.analysis_builders import TEST_CATALOG, flat_profiles
from analysis.test_phased_views import fresh
from analysis.test_runway_hand import two_phase
from hypothesis import given, settings
from hypothesis import strategies as st
from model.test_columns import Editor, check
from model.test_year_view import shares_the_live_arrays

from designer.analysis.engine import Analyzer
from designer.analysis.phased import YearViews
from designer.model import Connection, ConnectionKind, PlacedItem


class _NoAnalyzer:
    def close(self) -> None:
        pass

    def watch_day(self, used: object) -> None:
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


def test_every_year_is_a_cold_analysis_to_the_bit_through_edits() -> None:
    """The views read the live columns through masks: each year's figures are still a cold analysis's of
    that year's design, to the bit, after moves, overrides, additions, removals and changes of years."""
    d = two_phase()  # R7-R12 enter in 2027
    project = d.project
    live = Analyzer(profiles=flat_profiles(0.8), climates={})
    years = (2025, 2026, 2027)

    def check_years() -> None:
        for year in years:
            mine, cold = live.analyze(project, TEST_CATALOG, year=year), fresh(project, year)
            assert list(mine.rack_ids) == list(cold.rack_ids)
            for name in ("component_load_kw", "component_utilization", "rack_it_kw", "it_kw", "facility_kw",
                         "component_worst_failure_utilization"):
                assert getattr(mine, name).tobytes() == getattr(cold, name).tobytes(), (year, name)
            assert mine.findings == cold.findings

    check_years()
    project.move_items({"R8": (9_000.0, 9_000.0)})
    project.update_items([replace(project.items["R3"], design_kw=50.0)])
    check_years()
    project.add_items([PlacedItem("R13", "t.rack100", "H1", 20_000.0, 20_000.0, in_service_year=2027)])
    project.add_connections([Connection("p-new", ConnectionKind.POWER, "UPS1", "R13")])
    check_years()
    project.update_items([replace(project.items["R9"], in_service_year=2026)])  # a new window: views rebuilt
    check_years()
    project.remove_connections(["p-new"])
    project.remove_items(["R13", "R2"])
    check_years()
    # 2025 stands on R1, R3-R6: 4 x 0.8 x 100 + 0.8 x 50 (R3's override) = 360 kW at the flat profile
    assert float(live.analyze(project, TEST_CATALOG, year=2025).it_kw.max()) == 360.0
