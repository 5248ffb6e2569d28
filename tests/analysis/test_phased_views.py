"""The per-year views of a phased design follow every edit of the live project like a fresh analysis."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from analysis.analysis_builders import TEST_CATALOG, flat_profiles
from analysis.test_runway_hand import two_phase
from hypothesis import given, settings
from hypothesis import strategies as st

from designer.analysis.engine import Analyzer
from designer.analysis.results import Results
from designer.analysis.sweep import sweep
from designer.model import Connection, ConnectionKind, PlacedItem, Project
from designer.model.phasing import absent_ids, windows


def fresh(project: Project, year: int) -> Results:
    """A new analyzer on a plain copy of the design as built in ``year`` (no views involved)."""
    built = project.without_items(absent_ids(windows(project), year))
    plain = Project(metadata=built.metadata, site=built.site, settings=built.settings)
    for hall in built.halls.values():
        plain.add_hall(hall)
    plain.add_items(replace(i, in_service_year=None, retirement_year=None) for i in built.items.values())
    plain.add_connections(built.connections.values())
    for scenario in built.scenarios.values():
        plain.add_scenario(scenario)
    return Analyzer(profiles=flat_profiles(0.8), climates={}).analyze(plain, TEST_CATALOG, year=year)


def same(a: Results, b: Results) -> None:
    assert list(a.rack_ids) == list(b.rack_ids)
    assert list(a.component_ids) == list(b.component_ids)
    np.testing.assert_allclose(a.component_load_kw, b.component_load_kw)
    assert [f.code for f in a.findings] == [f.code for f in b.findings]


def test_views_follow_edits() -> None:
    d = two_phase()
    project = d.project
    live = Analyzer(profiles=flat_profiles(0.8), climates={})
    years = (2025, 2026, 2027)

    def check() -> None:
        for year in years:
            same(live.analyze(project, TEST_CATALOG, year=year), fresh(project, year))

    check()
    view = live.year_view(project, 2027)
    assert view is not None
    project.move_items({"R8": (9_000.0, 9_000.0), "R2": (8_000.0, 8_000.0)})  # a later rack and a standing one
    check()
    moved = live.year_view(project, 2027)
    assert moved is not None and moved[0] is view[0], "a move is forwarded to the view, not a rebuild"
    assert moved[0].items["R8"].x_mm == 9_000.0
    assert "R8" not in live.year_view(project, 2025)[0].items  # type: ignore[index]
    project.update_items([replace(project.items["R3"], design_kw=50.0)])  # an override, same years
    check()
    project.update_items([replace(project.items["R9"], in_service_year=2026)])  # a new window
    check()
    assert live.analyze(project, TEST_CATALOG, year=2026).rack_ids.size == 7
    project.update_items([replace(project.items["R1"], retirement_year=2027)])  # retired
    check()
    assert "R1" not in list(live.analyze(project, TEST_CATALOG, year=2027).rack_ids)
    project.add_items([PlacedItem("R13", "t.rack100", "H1", 20_000.0, 20_000.0, in_service_year=2027)])
    project.add_connections([Connection("p-new", ConnectionKind.POWER, "UPS1", "R13")])
    check()
    project.remove_connections(["p-new"])
    project.remove_items(["R13", "R10"])
    check()


def test_a_design_without_years_is_analysed_as_it_is() -> None:
    d = two_phase(second_phase_year=None)
    a = Analyzer(profiles=flat_profiles(0.8), climates={})
    assert not a.phased(d.project)
    assert a.year_view(d.project, 2026) is None
    assert a.analyze(d.project, TEST_CATALOG, year=2026).rack_ids.size == 6


def test_sweep_years_follow_the_build_out() -> None:
    d = two_phase()
    a = Analyzer(profiles=flat_profiles(0.8), climates={})
    result = sweep(d.project, TEST_CATALOG, np.linspace(0, 1, 5), analyzer=a)
    # flat profiles: 6 racks x 80 kW in 2025 and 2026, 12 x 80 kW in 2027
    assert result.year_peak_it_kw == pytest.approx([480.0, 480.0, 960.0])
    assert result.peak_it_kw == pytest.approx([480.0] * 5)  # the share sweep: the first year's design
    later = sweep(d.project, TEST_CATALOG, np.linspace(0, 1, 5), analyzer=a, year=2027)
    assert later.peak_it_kw == pytest.approx([960.0] * 5)


OPERATIONS = ("move", "override", "years", "retire", "add", "remove", "connect", "disconnect")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 10_000)), min_size=1, max_size=8))
def test_random_edits_keep_every_year_as_a_fresh_analysis(steps: list[tuple[str, int]]) -> None:
    d = two_phase()
    project = d.project
    live = Analyzer(profiles=flat_profiles(0.8), climates={})
    for year in (2025, 2026, 2027):
        live.analyze(project, TEST_CATALOG, year=year)  # every year's view built before the edits
    for operation, seed in steps:
        racks = sorted(i for i in project.items if i.startswith("R"))
        rack = project.items[racks[seed % len(racks)]] if racks else None
        if operation == "move" and rack is not None:
            project.move_items({rack.id: (rack.x_mm + 100.0, rack.y_mm)})
        elif operation == "override" and rack is not None:
            project.update_items([replace(rack, design_kw=50.0 + seed % 40)])
        elif operation == "years" and rack is not None:
            project.update_items([replace(rack, in_service_year=(None, 2026, 2027)[seed % 3], retirement_year=None)])
        elif operation == "retire" and rack is not None:
            project.update_items([replace(rack, in_service_year=None, retirement_year=2026 + seed % 2)])
        elif operation == "add":
            new_id = project.new_id("R")
            project.add_items([PlacedItem(new_id, "t.rack100", "H1", 30_000.0, 30_000.0,
                                          in_service_year=(None, 2026)[seed % 2])])
            project.add_connections([Connection(project.new_id("p"), ConnectionKind.POWER, "UPS1", new_id)])
        elif operation == "remove" and rack is not None:
            project.remove_items([rack.id])
        elif operation == "connect" and rack is not None:
            project.add_connections([Connection(project.new_id("c"), ConnectionKind.COOLING, "CRAH1", rack.id)])
        elif operation == "disconnect" and rack is not None:
            links = project.connections_of(rack.id)
            if links:
                project.remove_connections([links[seed % len(links)].id])
        for year in (2025, 2026, 2027):
            same(live.analyze(project, TEST_CATALOG, year=year), fresh(project, year))
