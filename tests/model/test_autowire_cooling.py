"""Auto-connect of the cooling units' power: from the right kind of supplier, A and B cords apart."""

from __future__ import annotations

from designer.model import (
    Catalog,
    CatalogEntry,
    Confidence,
    ConnectionKind,
    CoolingMedium,
    FeedSide,
    Hall,
    ItemKind,
    PlacedItem,
    Project,
    Role,
)
from designer.model.autowire import cooling_unit_power_kw, plan_auto_connect


def _entry(entry_id: str, kind: ItemKind, role: Role, kw: float, **extra: object) -> CatalogEntry:
    return CatalogEntry(id=entry_id, kind=kind, role=role, name=entry_id, width_mm=600, depth_mm=1200,
                        source="test", confidence=Confidence.ESTIMATE, capacity_kw=kw, **extra)  # type: ignore[arg-type]


CATALOG = Catalog([
    _entry("rack", ItemKind.RACK, Role.RACK, 50),
    _entry("utility", ItemKind.POWER, Role.UTILITY, 20000),
    _entry("lv", ItemKind.POWER, Role.LV_SWITCHBOARD, 3000),
    _entry("ups", ItemKind.POWER, Role.UPS, 1000),
    _entry("ups.small", ItemKind.POWER, Role.UPS, 101),
    _entry("busway", ItemKind.POWER, Role.BUSWAY, 800),
    _entry("cdu", ItemKind.COOLING, Role.CDU, 500, medium=CoolingMedium.LIQUID,
           parameters={"pump_kw_per_kw": 0.01}),
    _entry("crah.single", ItemKind.COOLING, Role.CRAH, 150, medium=CoolingMedium.AIR,
           parameters={"fan_kw_per_kw": 0.03, "power_cords": 1}),
    _entry("rdhx.passive", ItemKind.COOLING, Role.REAR_DOOR, 25, medium=CoolingMedium.AIR,
           parameters={"fan_kw_per_kw": 0.0}),
    _entry("dry", ItemKind.COOLING, Role.DRY_COOLER, 1000, parameters={"fan_kw_per_kw": 0.02}),
    _entry("chiller", ItemKind.COOLING, Role.CHILLER_AIR, 1500, parameters={"fan_kw_per_kw": 0.03,
                                                                           "cop_mechanical": 3.0}),
])


def _project(*items: tuple[str, str, float, float]) -> Project:
    project = Project()
    project.add_hall(Hall("h", "H", ((0, 0), (60000, 0), (60000, 60000), (0, 60000))))
    project.add_items([PlacedItem(i, c, "h", x, y) for i, c, x, y in items])
    return project


def _two_paths(*extra: tuple[str, str, float, float]) -> Project:
    """Two racks on busways A and B, each busway on its own UPS, each UPS on its own LV board."""
    return _project(
        ("r1", "rack", 9000, 0), ("r2", "rack", 9000, 1200),
        ("bus-a", "busway", 10000, 0), ("bus-b", "busway", 10000, 2000),
        ("ups-a", "ups", 12000, 0), ("ups-b", "ups", 20000, 2000),
        ("lv-a", "lv", 13000, 0), ("lv-b", "lv", 30000, 0),
        ("u-1", "utility", 0, 0), *extra)


def _cords(plan, unit: str) -> dict[FeedSide, str]:  # type: ignore[no-untyped-def]
    return {c.feed: c.source_id for c in plan.connections if c.target_id == unit and c.kind is ConnectionKind.POWER}


def test_room_units_take_a_and_b_from_the_two_ups_paths_and_plant_from_the_boards() -> None:
    project = _two_paths(("cdu-1", "cdu", 11000, 5000), ("dry-1", "dry", 40000, 0))
    plan = plan_auto_connect(project, CATALOG.__getitem__, project.new_id)
    assert _cords(plan, "bus-a") == {FeedSide.SINGLE: "ups-a"}  # the rack path as before
    # the CDU: a UPS first, one cord from each path (cdu-1 is nearer ups-a, but its B cord goes to ups-b)
    assert _cords(plan, "cdu-1") == {FeedSide.A: "ups-a", FeedSide.B: "ups-b"}
    # heat rejection: the LV boards first (mechanical load stays off the UPS), again one per path
    assert _cords(plan, "dry-1") == {FeedSide.A: "lv-a", FeedSide.B: "lv-b"}
    assert plan.cooling_powered == 2 and not plan.unfed
    assert "power to 2 cooling units" in plan.undo_text()


def test_one_cord_units_get_one_feed_and_passive_ones_none() -> None:
    project = _two_paths(("crah-1", "crah.single", 19000, 2000), ("door-1", "rdhx.passive", 9000, 600))
    plan = plan_auto_connect(project, CATALOG.__getitem__, project.new_id)
    assert _cords(plan, "crah-1") == {FeedSide.SINGLE: "ups-b"}  # the nearer UPS
    assert _cords(plan, "door-1") == {}
    assert plan.cooling_powered == 1


def test_a_supplier_without_the_room_is_passed_over() -> None:
    # the chiller draws 1500 * 0.03 + 1500 / 3 = 45 + 500 = 545 kW; there is no LV board, and the one
    # UPS has 101 - 50 (the rack on it) = 51 kW to spare: the chiller is left unfed, and said so
    assert cooling_unit_power_kw(CATALOG["chiller"]) == 545.0
    project = _project(("r1", "rack", 0, 0), ("bus", "busway", 1000, 0), ("ups-s", "ups.small", 2000, 0),
                       ("u-1", "utility", 0, 9000), ("ch-1", "chiller", 3000, 0))
    plan = plan_auto_connect(project, CATALOG.__getitem__, project.new_id)
    assert _cords(plan, "ch-1") == {}
    assert "ch-1" in plan.unfed and plan.cooling_powered == 0
