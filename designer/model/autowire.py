"""Auto-connect beyond the racks: wire the equipment chains, keeping the A and B paths apart.

Power runs utility -> MV switchgear / ATS -> transformer -> LV board -> UPS -> busway / PDU / RPP:
each item without a power feed gets one from the nearest item of the closest upstream stage that
the design has (a UPS goes straight to a transformer when there is no LV board). Cooling runs heat
rejection -> chiller -> CDU / air units the same way, each unit on every unit of its supplier's
kind in that hall (one water loop, so N+1 plant covers a failure). The plan is only records: the editor shows it
as a preview and applies it as one undo step.

A and B: a distribution item takes the side of the rack cords it feeds (a busway feeding A cords is
on the A path), and every supplier chosen for it joins that side. An item is fed only from its own
side or from an item not yet on a side; when none has the capacity the other side is used and the
item is listed in ``shared`` so that the user sees where A and B meet.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from designer.model.autoconnect import EntryOf, auto_connect, rack_kw, rack_liquid_fraction
from designer.model.catalog import CatalogEntry
from designer.model.project import Project
from designer.model.records import Connection, PlacedItem
from designer.model.roles import (
    COOLING_STAGE_BY_ROLE,
    DRY_REJECTION_ROLES,
    LIQUID_UNIT_ROLES,
    POWER_STAGE_BY_ROLE,
    SELF_REJECTING_ROLES,
)
from designer.model.types import (
    ConnectionKind,
    CoolingMedium,
    FeedSide,
    ItemKind,
    Role,
)

LAST_POWER_STAGE = POWER_STAGE_BY_ROLE[Role.RACK] - 1
"""Rack PDUs and power shelves: the stage just above the racks."""
OTHER_HALL_MM = 1e9
"""Added to the distance to an item in another hall: a supplier in the same hall is preferred."""


@dataclass(frozen=True, slots=True)
class WiringPlan:
    """What auto-connect would add; nothing is changed until the editor applies it."""

    connections: tuple[Connection, ...]
    racks_connected: int
    equipment_connected: int
    unserved: tuple[str, ...]
    """Racks left without a feed they need."""
    unfed: tuple[str, ...]
    """Equipment left without a supplier (none upstream with the spare capacity)."""
    shared: tuple[str, ...]
    """Items fed across from the other side's path: where A and B are not kept apart."""
    cooling_powered: int = 0
    """Cooling units given their power feeds (A and B cords where they have two)."""

    def summary(self) -> str:
        """One line for the status bar and the preview banner."""
        parts = [_count(len(self.connections), "connection")]
        if self.racks_connected:
            parts.append(_count(self.racks_connected, "rack"))
        if self.equipment_connected:
            parts.append(_count(self.equipment_connected, "equipment item"))
        if self.cooling_powered:
            parts.append(f"power to {_count(self.cooling_powered, 'cooling unit')}")
        text = "Auto-connect: " + ", ".join(parts)
        if self.unserved:
            text += f"; {_count(len(self.unserved), 'rack')} without a supplier with spare capacity"
        if self.unfed:
            text += f"; {_count(len(self.unfed), 'item')} without an upstream supplier with spare capacity"
        if self.shared:
            text += f"; A and B meet at {_count(len(self.shared), 'item')}"
        return text


    def undo_text(self) -> str:
        """``Auto-connect 4 racks and 3 equipment items`` for the undo history."""
        parts = []
        if self.racks_connected:
            parts.append(_count(self.racks_connected, "rack"))
        if self.equipment_connected:
            parts.append(_count(self.equipment_connected, "equipment item"))
        if self.cooling_powered:
            parts.append(f"power to {_count(self.cooling_powered, 'cooling unit')}")
        if not parts:
            return "Auto-connect " + _count(len(self.connections), "link")
        return "Auto-connect " + (parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1])


def cooling_unit_power_kw(entry: CatalogEntry) -> float:
    """Estimated electrical draw of a cooling unit at its rated duty: fans and pumps per kW of heat, plus
    the compressor at its mechanical COP where the entry has one. Used only to check a supplier's room."""
    rated = entry.capacity_kw
    draw = rated * (entry.number("fan_kw_per_kw", 0.0) + entry.number("pump_kw_per_kw", 0.0))
    cop = entry.number("cop_mechanical", 0.0)
    return draw + (rated / cop if cop > 0 else 0.0)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _distance(a: PlacedItem, b: PlacedItem) -> float:
    d = math.hypot(a.x_mm - b.x_mm, a.y_mm - b.y_mm)
    return d if a.hall_id == b.hall_id else d + OTHER_HALL_MM


class _Chain:
    """Loads, capacities and A/B sides of one chain (power or cooling) while a plan is made."""

    def __init__(self, project: Project, entry_of: EntryOf, kind: ConnectionKind,
                 planned: Sequence[Connection]) -> None:
        self.project, self.entry_of, self.kind = project, entry_of, kind
        self.links = [c for c in (*project.connections.values(), *planned) if c.kind is kind]
        self.targets: dict[str, list[Connection]] = {}
        self.fed: set[str] = set()
        self.parallel: Counter[tuple[str, str]] = Counter()
        """Links into one consumer on the same cord or medium: they share its load."""
        for link in self.links:
            self.targets.setdefault(link.source_id, []).append(link)
            self.fed.add(link.target_id)
            self.parallel[self._key(link)] += 1
        self.load_kw: dict[str, float] = {}
        self.side: dict[str, FeedSide] = {}
        self._used_kw: dict[str, float] = {}

    def add(self, links: Sequence[Connection]) -> None:
        """New links into one consumer; they share its load (counted once all of them are in)."""
        used = [self.used_kw(link.source_id) for link in links]
        for link in links:
            self.links.append(link)
            self.targets.setdefault(link.source_id, []).append(link)
            self.fed.add(link.target_id)
            self.parallel[self._key(link)] += 1
        for link, before in zip(links, used, strict=True):
            self._used_kw[link.source_id] = before + self.link_load_kw(link)

    def _key(self, link: Connection) -> tuple[str, str]:
        return link.target_id, link.feed.value if self.kind is ConnectionKind.POWER else link.medium.value

    def used_kw(self, item_id: str) -> float:
        """What a supplier already carries (worked out once, then kept up to date by ``add``)."""
        used = self._used_kw.get(item_id)
        if used is None:
            used = self._used_kw[item_id] = sum(self.link_load_kw(link) for link in self.targets.get(item_id, []))
        return used

    def link_load_kw(self, link: Connection) -> float:
        """What one link carries: a rack's design load (its air or liquid share for cooling), or the
        load already worked out for the equipment downstream, shared equally with the links in
        parallel with it (N+1 coolers, two feeds on one cord)."""
        target = self.project.items[link.target_id]
        entry = self.entry_of(target.catalog_id)
        share_of = max(self.parallel[self._key(link)], 1)
        if entry.kind is not ItemKind.RACK:
            return self.load_kw.get(target.id, 0.0) / share_of
        load = rack_kw(target, entry)
        if self.kind is ConnectionKind.COOLING:
            share = rack_liquid_fraction(target, entry)
            load *= share if link.medium is CoolingMedium.LIQUID else 1.0 - share
        return load / share_of

    def settle(self, item_id: str) -> None:
        """Work out ``item_id``'s load and side from what it feeds (call downstream items first)."""
        links = self.targets.get(item_id, [])
        self.load_kw[item_id] = sum(self.link_load_kw(link) for link in links)
        votes: Counter[FeedSide] = Counter()
        for link in links:
            side = link.feed if link.feed is not FeedSide.SINGLE else self.side.get(link.target_id)
            if side in (FeedSide.A, FeedSide.B) and self.kind is ConnectionKind.POWER:
                votes[side] += 1
        if votes and item_id not in self.side:
            self.side[item_id] = max((FeedSide.A, FeedSide.B), key=lambda s: votes[s])

    def spare_kw(self, item: PlacedItem) -> float:
        capacity = self.entry_of(item.catalog_id).capacity_kw
        return math.inf if capacity <= 0 else capacity - self.used_kw(item.id)


def _pick(chain: _Chain, consumer: PlacedItem, pools: Sequence[Sequence[PlacedItem]],
          neutral: bool, loop: bool = False) -> tuple[PlacedItem | None, bool]:
    """The nearest supplier with the capacity for ``consumer`` on its side; (supplier, crossed sides).

    ``pools`` are tried in order (the closest upstream stage first), each in the consumer's own hall
    then anywhere; only when no pool has room on its side is the other side used. ``neutral``: the
    pool are sources, where A and B may meet. ``loop``: the supplier's loop (its kind in its hall)
    takes the load together, so their spare capacity counts together.
    """
    load = chain.load_kw.get(consumer.id, 0.0)
    side = None if neutral else chain.side.get(consumer.id)
    spare: dict[str, bool] = {}

    group_room: dict[tuple[str, Role], float] = {}

    def fits(s: PlacedItem) -> bool:
        if s.id not in spare:
            room = chain.spare_kw(s)
            if loop:
                key = (s.hall_id, chain.entry_of(s.catalog_id).role)
                if key not in group_room:
                    group_room[key] = sum(chain.spare_kw(o) for pool in pools for o in pool
                                          if o.hall_id == key[0] and chain.entry_of(o.catalog_id).role is key[1])
                room = group_room[key]
            spare[s.id] = s.id != consumer.id and room >= load - 1e-9
        return spare[s.id]

    def own(s: PlacedItem) -> bool:
        return side is None or chain.side.get(s.id) in (None, side)

    for crossed in (False, True):
        for pool in pools:
            here = [s for s in pool if s.hall_id == consumer.hall_id]
            for candidates in (here, pool):
                found = [s for s in candidates if (crossed or own(s)) and fits(s)]
                if found:
                    best = min(found, key=lambda s: (side is not None and chain.side.get(s.id) != side,
                                                     _distance(consumer, s), s.id))
                    return best, crossed and not own(best)
    return None, False


def _stage_items(project: Project, entry_of: EntryOf, stages: dict[Role, int]) -> dict[int, list[PlacedItem]]:
    by_stage: dict[int, list[PlacedItem]] = {}
    for item in sorted(project.items.values(), key=lambda i: i.id):
        role = entry_of(item.catalog_id).role
        if role is not Role.RACK and role in stages:
            by_stage.setdefault(stages[role], []).append(item)
    return by_stage


def wire_equipment(
    project: Project,
    entry_of: EntryOf,
    new_id: Callable[[str], str],
    planned: Sequence[Connection] = (),
    item_ids: Iterable[str] | None = None,
) -> tuple[list[Connection], set[str], list[str], list[str]]:
    """Links feeding equipment that has none (``item_ids`` only, when given), after ``planned``.

    Returns (links, items fed, items left unfed, items fed across from the other side's path).
    """
    wanted = None if item_ids is None else set(item_ids)
    created: list[Connection] = []
    connected: set[str] = set()
    unfed: list[str] = []
    shared: list[str] = []

    def wire(chain: _Chain, consumer: PlacedItem, pools: Sequence[Sequence[PlacedItem]], neutral: bool = False,
             loop: bool = False, **extra: object) -> None:
        """Feed ``consumer`` from the best supplier; ``loop``: from every unit of that supplier's kind
        in its hall as well (a shared water loop: N+1 plant shares the load and covers a failure)."""
        supplier, crossed = _pick(chain, consumer, pools, neutral, loop)
        if supplier is None:
            unfed.append(consumer.id)
            return
        suppliers = [supplier]
        if loop:
            role = entry_of(supplier.catalog_id).role
            suppliers += [s for pool in pools for s in pool if s.id != supplier.id and s.hall_id == supplier.hall_id
                          and entry_of(s.catalog_id).role is role]
        links = [Connection(new_id("conn"), chain.kind, source.id, consumer.id, **extra)  # type: ignore[arg-type]
                 for source in suppliers]
        chain.add(links)
        created.extend(links)
        connected.add(consumer.id)
        side = chain.side.get(consumer.id)
        if crossed:
            shared.append(consumer.id)
        elif side is not None and not neutral:
            chain.side.setdefault(supplier.id, side)

    # power, from the floor distribution up to the sources
    power = _Chain(project, entry_of, ConnectionKind.POWER, planned)
    by_stage = _stage_items(project, entry_of, POWER_STAGE_BY_ROLE)
    for stage in range(LAST_POWER_STAGE, 0, -1):
        upstream = [s for s in range(stage - 1, -1, -1) if by_stage.get(s)]
        for item in by_stage.get(stage, []):
            power.settle(item.id)
        for item in by_stage.get(stage, []):
            if item.id in power.fed or (wanted is not None and item.id not in wanted):
                continue
            if not upstream:
                unfed.append(item.id)
                continue
            # the closest upstream stage first, then the next (a UPS on a transformer when the LV
            # boards are there for the mechanical load and have no room)
            pools = [by_stage[s] for s in upstream]
            if upstream[0] == 0:  # from the utility; generators back it up through an ATS
                utilities = [s for s in pools[0] if entry_of(s.catalog_id).role is Role.UTILITY]
                pools = [utilities or pools[0]]
            wire(power, item, pools, neutral=upstream[0] == 0 and len(pools[0]) < 2)  # one source: A, B meet there
        for item in by_stage.get(stage, []):
            power.settle(item.id)  # suppliers chosen above now count their new consumers

    # cooling, from the units up to heat rejection (plant loops carry water: liquid links)
    cooling = _Chain(project, entry_of, ConnectionKind.COOLING, planned)
    by_stage = _stage_items(project, entry_of, COOLING_STAGE_BY_ROLE)
    for stage in (2, 1):
        for item in by_stage.get(stage, []):
            cooling.settle(item.id)
        for item in by_stage.get(stage, []):
            role = entry_of(item.catalog_id).role
            if item.id in cooling.fed or (wanted is not None and item.id not in wanted) or role in SELF_REJECTING_ROLES:
                continue
            rejection = by_stage.get(0, [])
            chillers = by_stage.get(1, []) if stage == 2 else []
            dry = [s for s in rejection if entry_of(s.catalog_id).role in DRY_REJECTION_ROLES]
            # warm water for CDUs from dry coolers when there are any; chilled water for air units
            pools = [dry, chillers, rejection] if role in LIQUID_UNIT_ROLES else [chillers, rejection]
            pools = [pool for pool in pools if pool]
            if not pools:
                unfed.append(item.id)
                continue
            wire(cooling, item, pools, loop=True, medium=CoolingMedium.LIQUID)
    return created, connected, unfed, shared


def orient_rack_feeds(project: Project, planned: Sequence[Connection]) -> list[Connection]:
    """``planned`` with the A/B labels of new dual rack feeds turned so that every supplier is on one side.

    The rack step labels the nearer supplier A; two racks between the same busways may then take
    them the other way round, leaving both busways on both paths. The suppliers are coloured A/B
    through the racks they share (breadth first, existing feeds fixed first) and the new labels follow.
    """
    votes: dict[str, Counter[FeedSide]] = {}
    for link in project.connections.values():
        if link.kind is ConnectionKind.POWER and link.feed in (FeedSide.A, FeedSide.B):
            votes.setdefault(link.source_id, Counter())[link.feed] += 1
    side = {s: max((FeedSide.A, FeedSide.B), key=lambda f: v[f]) for s, v in votes.items()}
    pairs: dict[str, list[Connection]] = {}
    for link in planned:
        if link.kind is ConnectionKind.POWER and link.feed in (FeedSide.A, FeedSide.B):
            pairs.setdefault(link.target_id, []).append(link)
    neighbours: dict[str, set[str]] = {}
    for links in pairs.values():
        if len(links) == 2 and links[0].source_id != links[1].source_id:
            a, b = links[0].source_id, links[1].source_id
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)
    other = {FeedSide.A: FeedSide.B, FeedSide.B: FeedSide.A}
    seeds = [n for n in neighbours if n in side] + sorted(n for n in neighbours if n not in side)
    for seed in seeds:
        if seed not in side:
            side[seed] = FeedSide.A
        frontier = [seed]
        while frontier:
            node = frontier.pop()
            for neighbour in sorted(neighbours[node]):
                if neighbour not in side:
                    side[neighbour] = other[side[node]]
                    frontier.append(neighbour)
    turned: dict[str, Connection] = {}
    for links in pairs.values():
        if len(links) != 2:
            continue
        first, second = links
        wanted = side.get(first.source_id)
        if wanted is not None and wanted != first.feed and side.get(second.source_id) == other[wanted]:
            turned[first.id] = replace(first, feed=second.feed)
            turned[second.id] = replace(second, feed=first.feed)
    return [turned.get(link.id, link) for link in planned]


def spread_over_groups(project: Project, planned: Sequence[Connection],
                       new_id: Callable[[str], str]) -> list[Connection]:
    """``planned`` plus, for each new cooling link to a rack, the same link from the other members of
    the cooling unit's redundancy group (``PlacedItem.group``): the rack step picks one unit, but an
    N+1 group only covers a failure when every rack sits on all of its members."""
    members: dict[tuple[str, str], list[str]] = {}
    for item in sorted(project.items.values(), key=lambda i: i.id):
        if item.group:
            members.setdefault((item.hall_id, item.group), []).append(item.id)
    have = {(c.source_id, c.target_id, c.medium) for c in (*project.connections.values(), *planned)
            if c.kind is ConnectionKind.COOLING}
    out = list(planned)
    for link in planned:
        unit = project.items[link.source_id]
        if link.kind is not ConnectionKind.COOLING or not unit.group:
            continue
        for other in members.get((unit.hall_id, unit.group), []):
            if (other, link.target_id, link.medium) not in have:
                have.add((other, link.target_id, link.medium))
                out.append(Connection(new_id("conn"), ConnectionKind.COOLING, other, link.target_id,
                                      medium=link.medium))
    return out


def plan_auto_connect(
    project: Project,
    entry_of: EntryOf,
    new_id: Callable[[str], str],
    item_ids: Iterable[str] | None = None,
) -> WiringPlan:
    """Racks first (A and B from different suppliers), then the equipment chains above them, then the
    cooling units' power (an A cord from the A path, a B cord from the B path, each checked against its
    direct supplier's room). Upstream of the direct supplier the cooling draw is not added to the
    racks' design load: that estimate (compressors at full duty) is far above the design day's, which
    the analysis then checks at every hour and single failure."""
    from designer.model.autowire_cooling import wire_cooling_power

    ids = None if item_ids is None else list(item_ids)
    racks = auto_connect(project, entry_of, new_id, ids)
    rack_links = spread_over_groups(project, orient_rack_feeds(project, racks.connections), new_id)
    links, connected, unfed, shared = wire_equipment(project, entry_of, new_id, rack_links, ids)
    unit_links, units_fed, units_unfed = wire_cooling_power(project, entry_of, new_id, [*rack_links, *links], ids)
    return WiringPlan((*rack_links, *links, *unit_links), racks.racks_connected, len(connected), racks.unserved,
                      (*unfed, *units_unfed), tuple(shared), cooling_powered=len(units_fed))
