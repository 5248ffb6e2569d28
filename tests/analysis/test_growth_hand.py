"""The pod-template growth rule of the runway, worked out on paper (arithmetic in the comments)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from analysis.analysis_builders import TEST_CATALOG, flat_profiles

from designer.analysis.engine import Analyzer
from designer.analysis.growth import GrowthCancelled, GrowthError, check_rule, plan_growth, template_runway
from designer.analysis.runway import SITE_ID, growth_template_text, runway_rule_text, runway_to_json
from designer.model import Connection, ConnectionKind, Hall, PlacedItem, Project, Scenario, ScenarioYear
from designer.model.pods import PodTemplate, PodTemplateItem
from designer.model.records import DesignSettings


def pair(design_kw: float | None = None) -> PodTemplate:
    """Two 600 x 1200 mm racks side by side facing -y: with the 1.2 m aisle, a 1,200 x 2,400 mm block."""
    return PodTemplate("pair", "Pair", "", (PodTemplateItem("r1", "t.rack100", -300.0, 0.0, design_kw=design_kw),
                                           PodTemplateItem("r2", "t.rack100", 300.0, 0.0, design_kw=design_kw)), ())


def design() -> Project:
    """Hall H1, 12 x 4.8 m on 600 mm tiles (20 columns x 8 rows: two bands of 4 rows, 10 pair blocks a band,
    20 in all), holds six 100 kW racks at x 300 ... 3,300, y 1,800: they and their aisle fill the first three
    blocks of band 1, so 17 blocks are free. The plant stands in hall H2 (60 x 40 m): utility -> lossless
    1,250 kW UPS -> the six racks, 20 CRAHs of 150 kW cool them. Scenario years 2025, 2026, 2028, 2030."""
    project = Project()
    project.add_hall(Hall("H1", "Hall 1", ((0, 0), (12_000, 0), (12_000, 4_800), (0, 4_800)), tile_mm=600.0))
    project.add_hall(Hall("H2", "Plant", ((0, 0), (60_000, 0), (60_000, 40_000), (0, 40_000))))
    plant = [PlacedItem("U1", "t.utility", "H2", 1000.0, 1000.0),
             PlacedItem("UPS1", "t.ups_lossless", "H2", 3000.0, 1000.0)]
    crahs = [PlacedItem(f"CRAH{n}", "t.crah150", "H2", 1000.0 * n, 10_000.0) for n in range(1, 21)]
    racks = [PlacedItem(f"R{n}", "t.rack100", "H1", 300.0 + 600.0 * (n - 1), 1800.0) for n in range(1, 7)]
    project.add_items([*plant, *crahs, *racks])
    links = [Connection("p0", ConnectionKind.POWER, "U1", "UPS1")]
    links += [Connection(f"p{r.id}", ConnectionKind.POWER, "UPS1", r.id) for r in racks]
    links += [Connection(f"c{c.id}{r.id}", ConnectionKind.COOLING, c.id, r.id) for c in crahs for r in racks]
    project.add_connections(links)
    project.add_scenario(Scenario("sc", "Growth", tuple(ScenarioYear(y, 0.2) for y in (2025, 2026, 2028, 2030))))
    project.set_settings(replace(DesignSettings(), active_scenario_id="sc"))
    return project


def analyzer() -> Analyzer:
    return Analyzer(profiles=flat_profiles(0.8), climates={})


def test_space_binds_when_the_floor_is_full() -> None:
    # pairs of 10 kW racks (8 kW each at 0.8), 4 a year from 2026 (the year after the first) to 2030:
    # 2026-2029 place 4 each (16 of the 17 free blocks), 2030 the last one: the growth stops in 2030,
    # the hall full after it.
    project = design()
    template = pair(design_kw=10.0)
    plan = plan_growth(project, TEST_CATALOG, template, 4, "H1")
    assert plan.years == (2026, 2027, 2028, 2029, 2030)
    assert [plan.copies_in(y) for y in plan.years] == [4, 4, 4, 4, 1]
    assert plan.stopped_in == 2030
    assert plan.full_from == {"H1": 2030}
    # the first copy: band 1, columns 6-7: centre x = 6 x 600 + 600 = 4,200, y = 1,800
    first = plan.pods[0]
    assert sorted((i.x_mm, i.y_mm) for i in first.items) == [(3900.0, 1800.0), (4500.0, 1800.0)]
    assert first.pod.in_service_year == 2026 and first.pod.hall_id == "H1"
    assert len(project.items) == 28  # the design itself is untouched

    runway, _ = template_runway(project, TEST_CATALOG, template, 4, "H1", analyzer=analyzer(), plan=plan)
    hall = runway.scope("H1")
    # power: firm 1,250 kW x 0.8 = 1,000 kW; used 80 kW per 100 kW rack, 8 kW per growth rack.
    # 2025: 480 kW, 6 racks, 80 a rack: (1,000 - 480) / 80 = 6.5
    # 2026: 4 copies = 8 racks: 480 + 64 = 544 kW over 14 racks = 38.857 a rack: 456 / 38.857 = 11.735
    # 2028: 12 copies = 24 racks: 480 + 192 = 672 kW over 30 = 22.4 a rack: 328 / 22.4 = 14.643
    # 2030: 17 copies = 34 racks: 480 + 272 = 752 kW over 40 = 18.8 a rack: 248 / 18.8 = 13.191
    assert hall.resource("power").racks_left == pytest.approx((6.5, 456 / (544 / 14), 328 / 22.4, 248 / 18.8))
    # space by area: 57.6 m2 less 0.72 m2 a rack; a rack with its aisles 1.8 m2. 2028: 30 racks:
    # (57.6 - 21.6) / 1.8 = 20 racks; 2030: the floor holds no further pair: 0, so space runs out in 2030
    space = hall.resource("space")
    assert space.racks_left[2] == pytest.approx(20.0)
    assert space.racks_left[3] == 0.0
    assert space.runs_out == 2030
    assert (hall.binding, hall.runs_out) == ("space", 2030)
    assert (runway.scope(SITE_ID).binding, runway.scope(SITE_ID).runs_out) == ("space", 2030)
    assert runway_rule_text(runway, {"H1": "Hall 1"}) == (
        "growth rule: 4 x pod template Pair (pair) a year in Hall 1, from the year after the first; 17 copies placed; "
        "from 2030 not all copies fit (space binds)")
    document = runway_to_json(runway)["growth_template"]
    assert document == {"id": "pair", "name": "Pair", "copies_per_year": 4, "hall": "H1", "stopped_in": 2030,
                        "unfed_halls": [],
                        "copies_placed": [{"year": y, "hall": "H1", "copies": n}
                                          for y, n in ((2026, 4), (2027, 4), (2028, 4), (2029, 4), (2030, 1))]}


def test_power_binds_before_the_floor_is_full() -> None:
    # pairs of 100 kW racks, one a year from 2026: 2028 holds 3 copies (2026, 2027, 2028) = 6 more racks,
    # 12 at 80 kW = 960 kW of 1,000: room 40 / 80 = 0.5 rack, below one: power runs out in 2028.
    # 2026: 8 racks, 640 kW: (1,000 - 640) / 80 = 4.5. Space: 5 copies of 17 free blocks, never full.
    project = design()
    runway, plan = template_runway(project, TEST_CATALOG, pair(), 1, None, analyzer=analyzer())
    assert [plan.copies_in(y) for y in plan.years] == [1, 1, 1, 1, 1]
    assert plan.stopped_in is None and plan.full_from == {}  # H2 (no hall given) is never reached
    hall = runway.scope("H1")
    assert hall.resource("power").racks_left[:3] == pytest.approx((6.5, 4.5, 0.5))
    assert (hall.binding, hall.runs_out) == ("power", 2028)
    assert hall.resource("space").runs_out is None


def test_without_a_hall_the_halls_with_fed_racks_fill_in_turn() -> None:
    # 20 copies a year: H1 (the only hall with fed racks) takes its 17 free blocks; the plant hall H2 is no
    # target, so 3 copies find no room: the growth stops in 2026
    project = design()
    plan = plan_growth(project, TEST_CATALOG, pair(), 20, years=(2026,))
    assert plan.copies_in(2026, "H1") == 17 and plan.copies_in(2026, "H2") == 0
    assert plan.full_from == {"H1": 2026}
    assert plan.stopped_in == 2026
    # each H1 copy rack is fed like its nearest rack: UPS1 and the 20 CRAHs
    first = plan.pods[0]
    assert sorted(c.source_id for c in first.connections if c.target_id == first.items[0].id) == sorted(
        ["UPS1", *(f"CRAH{n}" for n in range(1, 21))])
    # asked into H2, which has no rack to feed them like: they fit, unfed, and that is said
    into_h2 = plan_growth(project, TEST_CATALOG, pair(), 20, "H2", years=(2026,))
    assert into_h2.copies_in(2026, "H2") == 20 and into_h2.unfed == ("H2",)
    assert all(not p.connections for p in into_h2.pods)
    assert "no fed rack" in growth_template_text(into_h2.rule(), {"H2": "Plant"})


def test_bad_rules_name_the_argument() -> None:
    project = design()
    templates = {"pair": pair()}
    with pytest.raises(GrowthError, match="growth template 'nope'"):
        check_rule(project, TEST_CATALOG, templates, "nope", 1, None)
    with pytest.raises(GrowthError, match="growth copies 0"):
        check_rule(project, TEST_CATALOG, templates, "pair", 0, None)
    with pytest.raises(GrowthError, match="growth hall 'H9'"):
        check_rule(project, TEST_CATALOG, templates, "pair", 1, "H9")
    no_racks = PodTemplate("crah", "CRAH", "", (PodTemplateItem("c1", "t.crah150", 0.0, 0.0),), ())
    with pytest.raises(GrowthError, match="no racks"):
        check_rule(project, TEST_CATALOG, {"crah": no_racks}, "crah", 1, None)


def test_progress_can_stop_the_template_runway() -> None:
    seen: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, what: str) -> bool:
        seen.append((done, total, what))
        return done < 1  # stop before the second year

    with pytest.raises(GrowthCancelled):
        template_runway(design(), TEST_CATALOG, pair(), 1, "H1", analyzer=analyzer(), progress=progress)
    assert seen == [(0, 4, "analysing 2025"), (1, 4, "analysing 2026")]
