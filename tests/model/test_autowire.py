"""Auto-connect of the equipment chains: stage by stage, A and B kept on separate paths (no Qt)."""

from designer.model import (
    Catalog,
    CatalogEntry,
    Confidence,
    Connection,
    ConnectionKind,
    CoolingMedium,
    FeedSide,
    Hall,
    ItemKind,
    PlacedItem,
    Project,
    Role,
)
from designer.model.autowire import plan_auto_connect


def _entry(entry_id: str, kind: ItemKind, role: Role, kw: float, **extra: object) -> CatalogEntry:
    return CatalogEntry(id=entry_id, kind=kind, role=role, name=entry_id, width_mm=600, depth_mm=1200,
                        source="test", confidence=Confidence.ESTIMATE, capacity_kw=kw, **extra)  # type: ignore[arg-type]


CATALOG = Catalog([
    _entry("rack", ItemKind.RACK, Role.RACK, 50),
    _entry("utility", ItemKind.POWER, Role.UTILITY, 20000),
    _entry("mv", ItemKind.POWER, Role.MV_SWITCHGEAR, 10000),
    _entry("xfmr", ItemKind.POWER, Role.TRANSFORMER, 2500),
    _entry("ups", ItemKind.POWER, Role.UPS, 1000),
    _entry("busway", ItemKind.POWER, Role.BUSWAY, 800),
    _entry("inrow", ItemKind.COOLING, Role.IN_ROW, 200, medium=CoolingMedium.AIR),
    _entry("cdu", ItemKind.COOLING, Role.CDU, 500, medium=CoolingMedium.LIQUID),
    _entry("chiller", ItemKind.COOLING, Role.CHILLER_WATER, 1500),
    _entry("chiller.air", ItemKind.COOLING, Role.CHILLER_AIR, 1500),
    _entry("dry", ItemKind.COOLING, Role.DRY_COOLER, 2000),
    _entry("tower", ItemKind.COOLING, Role.COOLING_TOWER, 3000),
])


def _project(*items: tuple[str, str, float, float]) -> Project:
    project = Project()
    project.add_hall(Hall("h", "H", ((0, 0), (60000, 0), (60000, 60000), (0, 60000))))
    project.add_items([PlacedItem(i, c, "h", x, y) for i, c, x, y in items])
    return project


def _fed_by(plan, kind: ConnectionKind) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {c.target_id: c.source_id for c in plan.connections
            if c.kind is kind and not c.target_id.startswith("r")}


def test_power_chain_is_wired_stage_by_stage_with_a_and_b_apart() -> None:
    project = _project(
        ("r1", "rack", 9000, 0), ("r2", "rack", 9000, 1200),
        ("bus-a", "busway", 10000, 0), ("bus-b", "busway", 10000, 2000),
        # ups-1 is the nearest UPS to both busways; t-1 the nearest transformer to both UPSs and
        # mv-1 the nearest switchgear to both transformers: nearest-only wiring would put A and B on one path
        ("ups-1", "ups", 12000, 0), ("ups-2", "ups", 20000, 2000),
        ("t-1", "xfmr", 13000, 0), ("t-2", "xfmr", 30000, 0),
        ("mv-1", "mv", 14000, 5000), ("mv-2", "mv", 50000, 0),
        ("u-1", "utility", 0, 0),
    )
    plan = plan_auto_connect(project, CATALOG.__getitem__, project.new_id)
    feeds = {(c.target_id, c.feed): c.source_id for c in plan.connections if c.target_id in ("r1", "r2")}
    # the rack step labels the nearer busway A: r1 (1,000 vs 2,236 mm) bus-a, r2 (1,562 vs 1,281 mm)
    # bus-b; the labels are then turned so that each busway is on one side: bus-a A, bus-b B
    assert feeds == {("r1", FeedSide.A): "bus-a", ("r1", FeedSide.B): "bus-b",
                     ("r2", FeedSide.A): "bus-a", ("r2", FeedSide.B): "bus-b"}
    a_bus, b_bus = "bus-a", "bus-b"
    fed = _fed_by(plan, ConnectionKind.POWER)
    # bus A takes the nearest UPS (ups-1); bus B may not share it: ups-2
    # ups-1 (A) -> t-1 (nearest); ups-2 (B): t-1 is 7,280 mm away, t-2 10,198 mm, but t-1 is on A -> t-2
    # t-1 -> mv-1 (5,099 mm); t-2: mv-1 is 16,763 mm, mv-2 20,000 mm, but mv-1 is on A -> mv-2
    # both switchgears -> the one utility (a source: A and B may meet there)
    assert fed == {a_bus: "ups-1", b_bus: "ups-2", "ups-1": "t-1", "ups-2": "t-2", "t-1": "mv-1", "t-2": "mv-2",
                   "mv-1": "u-1", "mv-2": "u-1"}
    assert plan.equipment_connected == 8 and not plan.shared and not plan.unfed
    assert all(c.feed is FeedSide.SINGLE for c in plan.connections if c.target_id in fed)
    assert not project.connections  # a plan changes nothing


def test_one_supplier_for_both_sides_is_used_and_reported() -> None:
    project = _project(("r1", "rack", 9000, 0), ("bus-a", "busway", 10000, 0), ("bus-b", "busway", 10000, 2000),
                       ("ups-1", "ups", 12000, 0))
    plan = plan_auto_connect(project, CATALOG.__getitem__, project.new_id)
    fed = _fed_by(plan, ConnectionKind.POWER)
    assert fed == {"bus-a": "ups-1", "bus-b": "ups-1"}
    assert len(plan.shared) == 1 and plan.unfed == ("ups-1",)  # and nothing upstream of the UPS
    assert "A and B meet at 1 item" in plan.summary() and "1 item without an upstream supplier" in plan.summary()


def test_capacity_moves_a_consumer_to_the_next_supplier() -> None:
    # two busways each feeding 16 racks x 50 kW = 800 kW on single cords (no A/B side); the nearer
    # 1,000 kW UPS takes bus-1 (800 kW), leaving 200 kW: too little for bus-2, which goes to ups-2
    racks = [(f"r{i}", "rack", 1000 + 600 * i, 0) for i in range(32)]
    project = _project(*racks, ("bus-1", "busway", 5000, 1000), ("bus-2", "busway", 5000, 3000),
                       ("ups-1", "ups", 6000, 5000), ("ups-2", "ups", 40000, 5000))
    project.add_connections([Connection(f"c{i}", ConnectionKind.POWER, "bus-1" if i < 16 else "bus-2", f"r{i}")
                             for i in range(32)])
    plan = plan_auto_connect(project, CATALOG.__getitem__, project.new_id, ["bus-1", "bus-2"])
    assert _fed_by(plan, ConnectionKind.POWER) == {"bus-1": "ups-1", "bus-2": "ups-2"}


def test_cooling_plant_is_wired_to_the_units() -> None:
    project = _project(("cdu-1", "cdu", 1000, 0), ("inrow-1", "inrow", 2000, 0), ("ch-1", "chiller", 5000, 0),
                       ("cha-1", "chiller.air", 5500, 0), ("dc-1", "dry", 30000, 0), ("ct-1", "tower", 8000, 0))
    plan = plan_auto_connect(project, CATALOG.__getitem__, project.new_id)
    fed = _fed_by(plan, ConnectionKind.COOLING)
    # the CDU takes warm water from the dry cooler though the chiller is nearer; the in-row unit
    # takes chilled water from the nearest chiller (ch-1 at 3,000 mm, cha-1 at 3,500 mm); the water-
    # cooled chiller rejects to the nearest tower or dry cooler (ct-1); the air-cooled one needs nothing
    assert fed == {"cdu-1": "dc-1", "inrow-1": "ch-1", "ch-1": "ct-1"}
    assert {c.medium for c in plan.connections} == {CoolingMedium.LIQUID}


def test_only_the_selected_equipment_is_wired() -> None:
    project = _project(("ups-1", "ups", 0, 0), ("ups-2", "ups", 1000, 0), ("t-1", "xfmr", 5000, 0))
    plan = plan_auto_connect(project, CATALOG.__getitem__, project.new_id, ["ups-2"])
    assert _fed_by(plan, ConnectionKind.POWER) == {"ups-2": "t-1"}


def test_two_utilities_take_one_side_each() -> None:
    # both UPSs are nearer to u-1 (2,000 and 3,000 mm) than to u-2 (40,000 mm and more): with two
    # sources, the B path must still go to the other one
    project = _project(("r1", "rack", 9000, 0), ("bus-a", "busway", 10000, 0), ("bus-b", "busway", 10000, 2000),
                       ("ups-1", "ups", 12000, 0), ("ups-2", "ups", 13000, 0),
                       ("u-1", "utility", 12000, 2000), ("u-2", "utility", 55000, 0))
    plan = plan_auto_connect(project, CATALOG.__getitem__, project.new_id)
    fed = _fed_by(plan, ConnectionKind.POWER)
    assert fed == {"bus-a": "ups-1", "bus-b": "ups-2", "ups-1": "u-1", "ups-2": "u-2"}
    assert not plan.shared


def test_plant_units_share_a_loop_so_n_plus_one_covers_a_failure() -> None:
    # three 2,000 kW dry coolers and two 500 kW CDUs: each CDU on all three coolers (one water loop)
    project = _project(("cdu-1", "cdu", 1000, 0), ("cdu-2", "cdu", 2000, 0),
                       ("dc-1", "dry", 10000, 0), ("dc-2", "dry", 13000, 0), ("dc-3", "dry", 16000, 0))
    plan = plan_auto_connect(project, CATALOG.__getitem__, project.new_id)
    links = {(c.source_id, c.target_id) for c in plan.connections}
    assert links == {(d, c) for d in ("dc-1", "dc-2", "dc-3") for c in ("cdu-1", "cdu-2")}
    assert plan.equipment_connected == 2
