"""Each hall's state on the site plan: unserved racks are an error, at-risk racks a warning, never ok unchecked."""

from __future__ import annotations

import pytest
from analysis.analysis_builders import TEST_CATALOG, Design

from designer.analysis.site_state import HallCondition, hall_states
from designer.model.records import Hall, PlacedItem
from designer.model.types import CoolingMedium, FeedSide


def _two_halls() -> Design:
    """H1: a rack on two utilities through two UPSs (A and B) and on two CDUs: served and redundant.
    H2: one rack on UPS A alone (at risk: a single point of failure) and one rack with no power at all."""
    d = Design()
    d.project.add_hall(Hall("H2", "Hall 2", ((0, 0), (20_000, 0), (20_000, 10_000), (0, 10_000))))
    for item_id, catalog_id in (("util-a", "t.utility"), ("util-b", "t.utility"), ("ups-a", "t.ups"),
                                ("ups-b", "t.ups"), ("cdu-1", "t.cdu"), ("cdu-2", "t.cdu")):
        d.add(item_id, catalog_id)
    d.power("util-a", "ups-a")
    d.power("util-b", "ups-b")
    d.add("r1", "t.rack_dlc")
    d.power("ups-a", "r1", FeedSide.A)
    d.power("ups-b", "r1", FeedSide.B)
    d.project.add_items([PlacedItem("r2", "t.rack_dlc", "H2", 1000, 1000),
                         PlacedItem("r3", "t.rack_dlc", "H2", 2000, 1000)])
    d.power("ups-a", "r2")
    for rack in ("r1", "r2", "r3"):
        d.cool("cdu-1", rack, CoolingMedium.LIQUID)
        d.cool("cdu-2", rack, CoolingMedium.LIQUID)
    return d


def test_the_worst_finding_of_each_hall_sets_its_colour() -> None:
    d = _two_halls()
    states = hall_states(d.project, TEST_CATALOG.__getitem__, d.analyze())
    h1, h2 = states["H1"], states["H2"]
    assert (h1.racks, h1.unserved, h1.at_risk, h1.condition) == (1, 0, 0, HallCondition.OK)
    # r1 is a 100 kW fully liquid-cooled rack at the flat profile's 0.8: 80 kW
    assert h1.it_kw == pytest.approx(80.0)
    assert (h2.racks, h2.unserved, h2.condition) == (2, 1, HallCondition.ERROR)
    assert h2.at_risk == 1 and "1 racks unserved" in h2.words()
    # r3 unserved draws nothing: only r2's 80 kW
    assert h2.it_kw == pytest.approx(80.0)


def test_a_hall_is_not_called_ok_before_its_failures_are_checked() -> None:
    d = _two_halls()
    d.project.remove_items(["r2", "r3"])
    states = hall_states(d.project, TEST_CATALOG.__getitem__, d.analyze(failures=False))
    assert states["H1"].condition is HallCondition.UNCHECKED and states["H1"].at_risk is None
    assert hall_states(d.project, TEST_CATALOG.__getitem__, None)["H1"].condition is HallCondition.UNKNOWN


def test_a_hall_whose_racks_are_not_in_service_yet_is_not_called_ok() -> None:
    """Phased build-out: H2's racks enter service in 2027; in 2025 the hall has no state, not "ok"."""
    from dataclasses import replace

    from designer.model.records import Scenario, ScenarioYear

    d = _two_halls()
    d.project.update_items([replace(d.project.items[r], in_service_year=2027) for r in ("r2", "r3")])
    d.project.add_scenario(Scenario("sc", "Two years", (ScenarioYear(2025, 0.2), ScenarioYear(2027, 0.4))))
    d.project.set_settings(replace(d.project.settings, active_scenario_id="sc"))
    early = hall_states(d.project, TEST_CATALOG.__getitem__, d.analyze(year=2025))
    assert early["H2"].condition is HallCondition.NOT_IN_SERVICE
    assert (early["H2"].racks, early["H2"].in_service) == (2, 0)
    assert "not in service" in early["H2"].words()
    assert early["H1"].condition is HallCondition.OK and early["H1"].in_service == 1
    later = hall_states(d.project, TEST_CATALOG.__getitem__, d.analyze(year=2027))
    assert later["H2"].condition is HallCondition.ERROR and later["H2"].in_service == 2
