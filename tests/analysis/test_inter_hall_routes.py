"""Hand-worked route lengths of runs between halls, measured on the site plan from the halls' positions."""

from __future__ import annotations

from dataclasses import replace

import pytest
from analysis.analysis_builders import TEST_CATALOG, Design, entry, flat_profiles

from designer.analysis.cable_routes import SiteRoutes
from designer.analysis.electrical import FeedFigures, electrical_figures
from designer.model import Catalog, Role, WorkloadClass
from designer.model.records import Hall, PlacedItem

CATALOG = Catalog([
    *TEST_CATALOG.values(),
    entry("e.source", Role.UTILITY, 10_000.0, parameters={"voltage_v": 415.0}),
    entry("e.rpp", Role.RPP, 273.1, parameters={"voltage_v": 415.0, "current_a": 400.0}),
    entry("e.rack", Role.RACK, 20.0, workload=WorkloadClass.GENERAL, parameters={"power_factor": 1.0}),
])
OUTLINE = ((0, 0), (30_000, 0), (30_000, 20_000), (0, 20_000))


def _two_halls(placed: bool) -> Design:
    """The RPP in hall H1 at (1,000, 1,000); its rack in hall H2 at (2,000, 3,000) of H2's own plan."""
    design = Design()
    project = design.project
    project.update_hall(replace(project.halls["H1"], site_x_mm=0.0, site_y_mm=0.0))
    h2 = Hall("H2", "Hall 2", OUTLINE)
    if placed:
        h2 = replace(h2, site_x_mm=50_000.0, site_y_mm=20_000.0, site_rotation_deg=90.0)
    project.add_hall(h2)
    design.add("src", "e.source")
    project.add_items([PlacedItem("rpp", "e.rpp", "H1", 1000.0, 1000.0),
                       PlacedItem("rack", "e.rack", "H2", 2000.0, 3000.0),
                       PlacedItem("crah", "t.crah150", "H2", 5000.0, 5000.0)])
    design.power("src", "rpp")
    design.power("rpp", "rack")
    design.cool("crah", "rack")
    return design


def _rack_feed(design: Design) -> tuple[FeedFigures, set[str]]:
    results = design.analyze(CATALOG, level=1.0)
    figures = electrical_figures(design.project, CATALOG, results, profiles=flat_profiles(1.0))
    (feed,) = figures.feeds_of("rack")
    return feed, {f.code for f in figures.findings}


def test_a_run_between_placed_halls_is_measured_on_the_site() -> None:
    feed, codes = _rack_feed(_two_halls(placed=True))
    # H2's origin at (50,000, 20,000), turned 90° clockwise: (x, y) -> (50,000 - y, 20,000 + x), so the rack
    # at (2,000, 3,000) lies at (47,000, 22,000) on the site; the RPP at (1,000, 1,000) (H1 at the origin).
    # Manhattan: |47,000 - 1,000| + |22,000 - 1,000| = 46,000 + 21,000 = 67,000 mm = 67 m
    # (as if the halls shared an origin it would be 1,000 + 2,000 = 3 m)
    assert feed.route_m == pytest.approx(67.0)
    # length = 67 m x 1.10 slack + 3 m rise and drop = 76.7 m
    assert feed.length_m == pytest.approx(76.7)
    assert not feed.same_hall and feed.route_measured
    assert "cable_length_estimated" not in codes


def test_a_run_to_a_hall_without_a_site_position_is_an_estimate() -> None:
    design = _two_halls(placed=False)
    feed, codes = _rack_feed(design)
    # H1 spans x 0..60,000 at the origin; H2, unplaced, is laid out 10,000 mm to its right: origin at
    # (70,000, 0). Rack on the site at (72,000, 3,000): |72,000 - 1,000| + |3,000 - 1,000| = 73,000 mm
    assert feed.route_m == pytest.approx(73.0)
    assert not feed.route_measured
    assert "cable_length_estimated" in codes


def test_a_busway_in_the_same_hall_still_measures_to_its_axis() -> None:
    busway = entry("e.bus", Role.BUSWAY, 273.1, width_mm=6000.0, depth_mm=200.0)
    source = PlacedItem("bus", "e.bus", "H1", 2000.0, 1000.0)
    # 1,500 mm off the axis, 1,000 mm along it (inside its 3,000 mm half-length): 1,500 mm
    route = SiteRoutes({}).route(source, busway, PlacedItem("r", "e.rack", "H1", 3000.0, 2500.0))
    assert route.route_mm == pytest.approx(1500.0) and route.same_hall and route.sited
