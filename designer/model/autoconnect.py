"""Connection rules for the editor: what a drag between two items means, and auto-connecting racks."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from designer.model import effective
from designer.model.catalog import CatalogEntry
from designer.model.project import Project
from designer.model.records import Connection, PlacedItem
from designer.model.roles import (
    AIR_UNIT_ROLES,
    COOLING_FEEDER_ROLES,
    COOLING_STAGE_BY_ROLE,
    COOLING_UNIT_ROLES,
    LIQUID_UNIT_ROLES,
    POWER_STAGE_BY_ROLE,
    RACK_POWER_SUPPLIERS,
)
from designer.model.types import (
    ConnectionKind,
    CoolingMedium,
    FeedSide,
    ItemKind,
    Role,
)

EntryOf = Callable[[str], CatalogEntry]


class ConnectionRefused(ValueError):
    """Two items that cannot be connected; the message says why, in words for the user."""


def _feeds_cooling(feeder: CatalogEntry, unit: CatalogEntry) -> bool:
    """Whether ``feeder`` may power the cooling unit ``unit`` (``COOLING_FEEDER_ROLES``)."""
    return feeder.role in COOLING_FEEDER_ROLES and unit.role in COOLING_UNIT_ROLES


def rack_kw(item: PlacedItem, entry: CatalogEntry) -> float:
    """The design IT load of a rack (its override, else the catalog figure)."""
    return effective.design_kw(item, entry)


def rack_liquid_fraction(item: PlacedItem, entry: CatalogEntry) -> float:
    return item.liquid_fraction if item.liquid_fraction is not None else entry.liquid_fraction


def connection_between(
    project: Project,
    entry_of: EntryOf,
    first_id: str,
    second_id: str,
    *,
    feed: FeedSide,
    new_id: Callable[[str], str],
) -> Connection:
    """The connection a drag from ``first_id`` to ``second_id`` stands for.

    Power when both are in the power chain, or between a board, UPS or floor distribution and a
    cooling unit (it powers the unit); cooling when both are in the cooling chain. The direction
    follows the chain (supplier upstream), whichever way the user dragged.
    """
    if first_id == second_id:
        raise ConnectionRefused("an item cannot supply itself")
    first, second = project.items[first_id], project.items[second_id]
    first_entry, second_entry = entry_of(first.catalog_id), entry_of(second.catalog_id)
    if first_entry.role is Role.RACK and second_entry.role is Role.RACK:
        raise ConnectionRefused("racks do not supply each other: drag from a supplier to a rack")
    feeder_first = _feeds_cooling(first_entry, second_entry)
    if feeder_first or _feeds_cooling(second_entry, first_entry):
        kind = ConnectionKind.POWER  # the cooling unit's fans, pumps or compressors
        stages = {first_entry.role: 0 if feeder_first else 1, second_entry.role: 1 if feeder_first else 0}
    elif first_entry.in_power_chain and second_entry.in_power_chain:
        kind = ConnectionKind.POWER
        stages = POWER_STAGE_BY_ROLE
    elif first_entry.in_cooling_chain and second_entry.in_cooling_chain:
        kind = ConnectionKind.COOLING
        stages = COOLING_STAGE_BY_ROLE
    else:
        raise ConnectionRefused(
            f"{first_entry.name} and {second_entry.name} are not in the same power or cooling chain"
        )
    source, target, source_entry = first, second, first_entry
    if stages[first_entry.role] > stages[second_entry.role]:
        source, target, source_entry = second, first, second_entry
    for existing in project.connections_of(source.id):
        same_ends = {existing.source_id, existing.target_id} == {source.id, target.id}
        if existing.kind is kind and same_ends and (kind is ConnectionKind.COOLING or existing.feed is feed):
            raise ConnectionRefused(f"{source.id} already feeds {target.id}")
    if kind is ConnectionKind.POWER:
        return Connection(new_id("conn"), kind, source.id, target.id, feed=feed)
    liquid_unit = source_entry.role in LIQUID_UNIT_ROLES
    medium = source_entry.medium or (CoolingMedium.LIQUID if liquid_unit else CoolingMedium.AIR)
    return Connection(new_id("conn"), kind, source.id, target.id, medium=medium)


@dataclass(frozen=True, slots=True)
class AutoConnectResult:
    connections: tuple[Connection, ...]
    racks_connected: int
    unserved: tuple[str, ...]
    """Racks left without a feed they need (no supplier with spare capacity in their hall)."""


def _distance(a: PlacedItem, b: PlacedItem) -> float:
    return math.hypot(a.x_mm - b.x_mm, a.y_mm - b.y_mm)


def auto_connect(
    project: Project,
    entry_of: EntryOf,
    new_id: Callable[[str], str],
    rack_ids: Iterable[str] | None = None,
) -> AutoConnectResult:
    """Wire racks missing a feed to the nearest supplier with spare capacity in the same hall.

    Power: an A and a B feed from two different suppliers, preferring suppliers with different
    upstream sources; with a single supplier in reach the rack gets one single feed. Cooling:
    liquid from a CDU for the liquid share, air from in-row/rear-door/CRAH units for the rest.
    Capacity counts each supplier's existing consumers at their full design load.
    """
    items = project.items
    if rack_ids is None:
        racks = [item for item in items.values() if entry_of(item.catalog_id).kind is ItemKind.RACK]
    else:
        racks = [items[i] for i in rack_ids if i in items and entry_of(items[i].catalog_id).kind is ItemKind.RACK]
    racks.sort(key=lambda item: item.id)

    suppliers: dict[str, list[PlacedItem]] = {"power": [], "air": [], "liquid": []}
    for item in items.values():
        role = entry_of(item.catalog_id).role
        if role in RACK_POWER_SUPPLIERS:
            suppliers["power"].append(item)
        elif role in LIQUID_UNIT_ROLES:
            suppliers["liquid"].append(item)
        elif role in AIR_UNIT_ROLES:
            suppliers["air"].append(item)

    used_kw: dict[str, float] = {}
    upstream: dict[str, frozenset[str]] = {}
    for connection in project.connections.values():
        target = items[connection.target_id]
        target_entry = entry_of(target.catalog_id)
        load = rack_kw(target, target_entry) if target_entry.kind is ItemKind.RACK else 0.0
        if connection.kind is ConnectionKind.COOLING and target_entry.kind is ItemKind.RACK:
            share = rack_liquid_fraction(target, target_entry)
            load *= share if connection.medium is CoolingMedium.LIQUID else 1.0 - share
        used_kw[connection.source_id] = used_kw.get(connection.source_id, 0.0) + load
    for kind_items in suppliers["power"]:
        upstream[kind_items.id] = frozenset(
            c.source_id
            for c in project.connections_of(kind_items.id)
            if c.kind is ConnectionKind.POWER and c.target_id == kind_items.id
        )

    def spare(supplier: PlacedItem) -> float:
        capacity = effective.rating_kw(supplier, entry_of(supplier.catalog_id))
        return math.inf if capacity <= 0 else capacity - used_kw.get(supplier.id, 0.0)

    def nearest(
        rack: PlacedItem, pool: str, load: float, exclude: Iterable[str] = (), avoid: frozenset[str] = frozenset()
    ) -> PlacedItem | None:
        excluded = set(exclude)
        candidates = [
            s for s in suppliers[pool] if s.hall_id == rack.hall_id and s.id not in excluded and spare(s) >= load - 1e-9
        ]
        if not candidates:
            return None
        # prefer a different upstream source (true A/B separation), then distance
        return min(
            candidates,
            key=lambda s: (bool(avoid and upstream.get(s.id, frozenset()) & avoid), _distance(rack, s), s.id),
        )

    created: list[Connection] = []
    connected: set[str] = set()
    unserved: list[str] = []
    for rack in racks:
        entry = entry_of(rack.catalog_id)
        load = rack_kw(rack, entry)
        existing = project.connections_of(rack.id)
        feeds = {c.feed: c.source_id for c in existing if c.kind is ConnectionKind.POWER and c.target_id == rack.id}
        media = {c.medium for c in existing if c.kind is ConnectionKind.COOLING and c.target_id == rack.id}
        missing = False

        def add(
            kind: ConnectionKind, source: PlacedItem, amount: float, rack: PlacedItem = rack, **extra: object
        ) -> None:
            created.append(Connection(new_id("conn"), kind, source.id, rack.id, **extra))  # type: ignore[arg-type]
            used_kw[source.id] = used_kw.get(source.id, 0.0) + amount
            connected.add(rack.id)

        if not feeds:
            first = nearest(rack, "power", load)
            if first is None:
                missing = True
            else:
                second = nearest(rack, "power", load, exclude={first.id}, avoid=upstream.get(first.id, frozenset()))
                if second is None:
                    add(ConnectionKind.POWER, first, load, feed=FeedSide.SINGLE)
                else:
                    add(ConnectionKind.POWER, first, load, feed=FeedSide.A)
                    add(ConnectionKind.POWER, second, load, feed=FeedSide.B)
        elif (FeedSide.A in feeds and FeedSide.B not in feeds) or (FeedSide.B in feeds and FeedSide.A not in feeds):
            have_side = FeedSide.A if FeedSide.A in feeds else FeedSide.B
            other_side = FeedSide.B if have_side is FeedSide.A else FeedSide.A
            have = feeds[have_side]
            other = nearest(rack, "power", load, exclude={have}, avoid=upstream.get(have, frozenset()))
            if other is None:
                missing = True
            else:
                add(ConnectionKind.POWER, other, load, feed=other_side)

        liquid = rack_liquid_fraction(rack, entry)
        needs = []
        if liquid > 0:
            needs.append((CoolingMedium.LIQUID, "liquid", load * liquid))
        if liquid < 1:
            needs.append((CoolingMedium.AIR, "air", load * (1.0 - liquid)))
        for medium, pool, heat_kw in needs:
            if medium in media:
                continue
            cooler = nearest(rack, pool, heat_kw)
            if cooler is None:
                missing = True
            else:
                add(ConnectionKind.COOLING, cooler, heat_kw, medium=medium)
        if missing:
            unserved.append(rack.id)
    return AutoConnectResult(tuple(created), len(connected), tuple(unserved))
