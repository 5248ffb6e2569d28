"""Connection rules and auto-connect: pure model code, no Qt."""

import pytest

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
from designer.model.autoconnect import ConnectionRefused, auto_connect, connection_between


def _entry(entry_id: str, kind: ItemKind, role: Role, kw: float, **extra: object) -> CatalogEntry:
    return CatalogEntry(
        id=entry_id,
        kind=kind,
        role=role,
        name=entry_id,
        width_mm=600,
        depth_mm=1200,
        source="test",
        confidence=Confidence.ESTIMATE,
        capacity_kw=kw,
        **extra,  # type: ignore[arg-type]
    )


CATALOG = Catalog(
    [
        _entry("rack", ItemKind.RACK, Role.RACK, 50),
        _entry("rack.liquid", ItemKind.RACK, Role.RACK, 100, liquid_fraction=1.0),
        _entry("ups", ItemKind.POWER, Role.UPS, 1000),
        _entry("pdu", ItemKind.POWER, Role.FLOOR_PDU, 120),
        _entry("rack_pdu", ItemKind.POWER, Role.RACK_PDU, 20),
        _entry("cdu", ItemKind.COOLING, Role.CDU, 500, medium=CoolingMedium.LIQUID),
        _entry("crah", ItemKind.COOLING, Role.CRAH, 100, medium=CoolingMedium.AIR),
    ]
)


def _project(*items: PlacedItem, hall: str = "h") -> Project:
    project = Project()
    project.add_hall(Hall("h", "H", ((0, 0), (50000, 0), (50000, 50000), (0, 50000))))
    project.add_hall(Hall("h2", "H2", ((0, 0), (50000, 0), (50000, 50000), (0, 50000))))
    project.add_items(items)
    return project


def _item(item_id: str, catalog_id: str, x: float, y: float = 0.0, hall: str = "h") -> PlacedItem:
    return PlacedItem(item_id, catalog_id, hall, x, y)


def test_connection_between_follows_the_chain_whichever_way_dragged() -> None:
    project = _project(_item("r", "rack", 0), _item("p", "pdu", 5000), _item("c", "cdu", 9000))
    power = connection_between(project, CATALOG.__getitem__, "r", "p", feed=FeedSide.B, new_id=project.new_id)
    assert (power.kind, power.source_id, power.target_id, power.feed) == (ConnectionKind.POWER, "p", "r", FeedSide.B)
    cooling = connection_between(project, CATALOG.__getitem__, "c", "r", feed=FeedSide.A, new_id=project.new_id)
    assert (cooling.kind, cooling.source_id, cooling.medium) == (ConnectionKind.COOLING, "c", CoolingMedium.LIQUID)
    # floor distribution and a cooling unit: the PDU powers the CDU, whichever way dragged
    feed = connection_between(project, CATALOG.__getitem__, "c", "p", feed=FeedSide.A, new_id=project.new_id)
    assert (feed.kind, feed.source_id, feed.target_id, feed.feed) == (ConnectionKind.POWER, "p", "c", FeedSide.A)
    project.add_connections([power])
    with pytest.raises(ConnectionRefused, match="already feeds"):
        connection_between(project, CATALOG.__getitem__, "p", "r", feed=FeedSide.B, new_id=project.new_id)


def test_a_rack_pdu_cannot_power_a_cooling_unit() -> None:
    project = _project(_item("rp", "rack_pdu", 0), _item("c", "cdu", 9000))
    with pytest.raises(ConnectionRefused, match="not in the same"):
        connection_between(project, CATALOG.__getitem__, "rp", "c", feed=FeedSide.A, new_id=project.new_id)


def test_a_and_b_come_from_suppliers_with_different_upstream_sources() -> None:
    project = _project(
        _item("ups-1", "ups", 0, 20000),
        _item("ups-2", "ups", 10000, 20000),
        # pdu-1 and pdu-2 both hang off ups-1; pdu-3 (further away) off ups-2
        _item("pdu-1", "pdu", 0),
        _item("pdu-2", "pdu", 700),
        _item("pdu-3", "pdu", 6000),
        _item("r", "rack", 300, 2000),
    )
    project.add_connections(
        [
            Connection("u1", ConnectionKind.POWER, "ups-1", "pdu-1"),
            Connection("u2", ConnectionKind.POWER, "ups-1", "pdu-2"),
            Connection("u3", ConnectionKind.POWER, "ups-2", "pdu-3"),
        ]
    )
    result = auto_connect(project, CATALOG.__getitem__, project.new_id, ["r"])
    feeds = {c.feed: c.source_id for c in result.connections if c.kind is ConnectionKind.POWER}
    assert feeds[FeedSide.A] in {"pdu-1", "pdu-2"} and feeds[FeedSide.B] == "pdu-3"


def test_capacity_hall_and_single_feed() -> None:
    # one 120 kW PDU: two 50 kW racks fit, the third does not; the rack in the other hall is left alone
    project = _project(
        _item("pdu", "pdu", 0),
        _item("r1", "rack", 1000),
        _item("r2", "rack", 2000),
        _item("r3", "rack", 3000),
        _item("far", "rack", 0, hall="h2"),
    )
    result = auto_connect(project, CATALOG.__getitem__, project.new_id)
    power = [c for c in result.connections if c.kind is ConnectionKind.POWER]
    assert sorted(c.target_id for c in power) == ["r1", "r2"]
    assert {c.feed for c in power} == {FeedSide.SINGLE}
    assert set(result.unserved) == {"r1", "r2", "r3", "far"}  # none has air cooling


def test_cooling_by_medium_and_existing_feeds_are_kept() -> None:
    project = _project(
        _item("cdu", "cdu", 0),
        _item("crah", "crah", 0, 5000),
        _item("l", "rack.liquid", 1000),
        _item("a", "rack", 2000),
        _item("pa", "pdu", 0, 3000),
        _item("pb", "pdu", 0, 4000),
    )
    project.add_connections([Connection("keep", ConnectionKind.POWER, "pa", "a", FeedSide.A)])
    result = auto_connect(project, CATALOG.__getitem__, project.new_id)
    cooling = {(c.source_id, c.target_id, c.medium) for c in result.connections if c.kind is ConnectionKind.COOLING}
    assert cooling == {("cdu", "l", CoolingMedium.LIQUID), ("crah", "a", CoolingMedium.AIR)}
    power_a = [c for c in result.connections if c.target_id == "a" and c.kind is ConnectionKind.POWER]
    assert [(c.source_id, c.feed) for c in power_a] == [("pb", FeedSide.B)]
    # the 100 kW liquid rack fits neither PDU once rack "a" (50 kW on each feed) is on them
    assert result.racks_connected == 2 and result.unserved == ("l",)
    project.add_connections(result.connections)
    assert not auto_connect(project, CATALOG.__getitem__, project.new_id).connections
