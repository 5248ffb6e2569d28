"""Auto-connect of the cooling units' power: fans, pumps and compressors fed from the power chain.

Room units (CRAH, fan wall, in-row, rear door, CDU, immersion tank) take their power from a UPS
first (cooling that rides through a utility outage, as high-density halls need), then from floor
distribution, then from an LV board; heat rejection and chillers from an LV board first, then a
UPS. A unit with two cords (the catalog parameter ``power_cords``, 2 unless the entry says 1) gets
an A cord from a supplier on the A path and a B cord from one on the B path, from different
upstream sources where the design allows; a unit that draws nothing (a passive rear door) is left
alone. Each supplier must have the spare capacity for the unit's estimated draw (from its catalog
figures; nil when it has none) on top of what it already carries (racks at their design load,
counted per cord as the rack step does).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from designer.model.autoconnect import EntryOf
from designer.model.autowire import LAST_POWER_STAGE, _Chain, _distance, _stage_items, cooling_unit_power_kw
from designer.model.project import Project
from designer.model.records import Connection, PlacedItem
from designer.model.roles import (
    COOLING_STAGE_BY_ROLE,
    COOLING_UNIT_ROLES,
    POWER_STAGE_BY_ROLE,
    ROLE_TABLE,
    SOURCE_ROLES,
)
from designer.model.types import ConnectionKind, FeedSide, Role

ROOM_UNIT_FEEDERS: tuple[frozenset[Role], ...] = (
    frozenset({Role.UPS}), frozenset({Role.FLOOR_PDU, Role.RPP}), frozenset({Role.LV_SWITCHBOARD}))
PLANT_FEEDERS: tuple[frozenset[Role], ...] = (frozenset({Role.LV_SWITCHBOARD}), frozenset({Role.UPS}))
"""Where each kind of cooling unit looks for its power, in order of preference (all ``cooling_feeder`` roles)."""
assert all(ROLE_TABLE[r].cooling_feeder for pools in (ROOM_UNIT_FEEDERS, PLANT_FEEDERS) for pool in pools
           for r in pool)


DRAW_PARAMETERS = ("fan_kw_per_kw", "pump_kw_per_kw", "fan_kw_per_door", "cop_mechanical")


def draws_power(parameters: Mapping[str, object]) -> bool:
    """Whether a cooling unit takes power: unless its catalog entry gives its draw figures and all are
    zero (a passive rear door), it does (an entry without figures is fed: its draw is unknown, not nil)."""
    given = [parameters[key] for key in DRAW_PARAMETERS if key in parameters]
    return not given or any(isinstance(v, int | float) and not isinstance(v, bool) and v > 0 for v in given)


def power_cords(parameters: Mapping[str, object]) -> int:
    """How many power cords a unit has: its catalog's ``power_cords`` (1 or 2, range-checked at load),
    else 2 (an A and a B cord)."""
    value = parameters.get("power_cords")
    return 1 if isinstance(value, int | float) and not isinstance(value, bool) and value < 1.5 else 2


def wire_cooling_power(
    project: Project,
    entry_of: EntryOf,
    new_id: Callable[[str], str],
    planned: Sequence[Connection] = (),
    item_ids: Iterable[str] | None = None,
) -> tuple[list[Connection], list[str], list[str]]:
    """Power links to the cooling units with no power feed (``item_ids`` only, when given), after ``planned``.

    Returns (links, units fed, units left unfed).
    """
    wanted = None if item_ids is None else set(item_ids)
    chain = _Chain(project, entry_of, ConnectionKind.POWER, planned)
    by_stage = _stage_items(project, entry_of, POWER_STAGE_BY_ROLE)
    for stage in range(LAST_POWER_STAGE, 0, -1):  # loads and A/B sides of the existing chain, bottom up
        for item in by_stage.get(stage, []):
            chain.settle(item.id)
    feeders = sorted((item for items in by_stage.values() for item in items
                      if ROLE_TABLE[entry_of(item.catalog_id).role].cooling_feeder), key=lambda i: i.id)
    suppliers_of: dict[str, list[str]] = {}
    for link in chain.links:
        suppliers_of.setdefault(link.target_id, []).append(link.source_id)
    upstream: dict[str, frozenset[str]] = {}

    def ancestors(item_id: str) -> frozenset[str]:
        """Everything upstream of ``item_id`` and itself, sources excluded (A and B may meet there)."""
        known = upstream.get(item_id)
        if known is None:
            upstream[item_id] = frozenset()  # a loop in a hand-made design stops here
            found = {item_id}
            for source in suppliers_of.get(item_id, ()):
                if source in project.items and entry_of(project.items[source].catalog_id).role not in SOURCE_ROLES:
                    found |= ancestors(source)
            known = upstream[item_id] = frozenset(found)
        return known

    links: list[Connection] = []
    fed: list[str] = []
    unfed: list[str] = []
    for unit in sorted(project.items.values(), key=lambda i: i.id):
        entry = entry_of(unit.catalog_id)
        if entry.role not in COOLING_UNIT_ROLES or unit.id in chain.fed:
            continue
        if wanted is not None and unit.id not in wanted:
            continue
        if not draws_power(entry.parameters):
            continue  # nothing to feed (a passive rear door)
        draw_kw = cooling_unit_power_kw(entry)
        chain.load_kw[unit.id] = draw_kw
        room_unit = COOLING_STAGE_BY_ROLE[entry.role] == COOLING_STAGE_BY_ROLE[Role.CRAH]
        pools = ROOM_UNIT_FEEDERS if room_unit else PLANT_FEEDERS
        cords = power_cords(entry.parameters)

        def pick(side: FeedSide | None, avoid: frozenset[str], exclude: str = "",
                 unit: PlacedItem = unit, pools: Sequence[frozenset[Role]] = pools,
                 draw_kw: float = draw_kw) -> PlacedItem | None:
            for pool in pools:
                candidates = [f for f in feeders if entry_of(f.catalog_id).role in pool and f.id != exclude
                              and chain.spare_kw(f) >= draw_kw - 1e-9
                              and (side is None or chain.side.get(f.id) in (None, side))]
                if candidates:
                    # apart from the other cord's path first, then in the unit's hall, on its side, nearest
                    return min(candidates, key=lambda f: (
                        bool(avoid and ancestors(f.id) & avoid), f.hall_id != unit.hall_id,
                        side is not None and chain.side.get(f.id) != side, _distance(unit, f), f.id))
            return None

        if cords == 2:
            first = pick(FeedSide.A, frozenset())
            second = pick(FeedSide.B, ancestors(first.id), exclude=first.id) if first else None
            if first is not None and second is not None:
                made = [Connection(new_id("conn"), ConnectionKind.POWER, first.id, unit.id, feed=FeedSide.A),
                        Connection(new_id("conn"), ConnectionKind.POWER, second.id, unit.id, feed=FeedSide.B)]
            elif first is not None:
                made = [Connection(new_id("conn"), ConnectionKind.POWER, first.id, unit.id)]
            else:
                made = []
        else:
            single = pick(None, frozenset())
            made = [Connection(new_id("conn"), ConnectionKind.POWER, single.id, unit.id)] if single else []
        if not made:
            unfed.append(unit.id)
            continue
        for link in made:  # each cord carries the unit's whole draw (either may lose its supply)
            chain.add([link])
        links.extend(made)
        fed.append(unit.id)
    return links, fed, unfed
