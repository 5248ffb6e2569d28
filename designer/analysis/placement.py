"""Placement findings for every hall: overlaps, outside the hall, on an obstacle, aisle clearance.

The geometry lives in ``model.geometry`` (numpy over a bucket grid); this module turns it into
analysis findings, so ``analyze``, its exit code, the JSON and the report see every hall, not just
the one on screen. Severity: an overlap, an item outside its hall or standing on an obstacle is an
error (it cannot be built as drawn); a short aisle in front of a rack is a warning (the clearance
is the project setting ``min_aisle_mm``, a design rule rather than a physical impossibility).

Each hall's checks are kept with the hall's items (a tuple, in the project's order) while they, the
hall and the catalog entries stay the same (edits replace items, so an unchanged hall costs a tuple
comparison). Only the items the project reports changed are regrouped (``_group``): one still in its
hall is replaced in the hall's tuple; where one that came or went was is found through a small Bloom
filter of each hall's ids (``_sieve``), not a map of every item's hall. When items of a hall move, come
or go, only their neighbourhood is checked again (``_recheck_near``), found through a grid of the
hall's items kept with its checks (two arrays of cell ranges); the findings are the ones a check of
the whole hall gives (tests pin them). At 50,000 racks a year view's checks hold ~0.6 MB (a map of
each item's hall and a dict of each hall's items made it ~3.9 MB), and an edited hall's grid ~21 kB
(~440 kB as dicts of ids and cells).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator, Mapping, Reversible
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter

import numpy as np
from numpy.typing import NDArray

from designer.analysis.findings import Finding, id_list
from designer.model.catalog import CatalogEntry
from designer.model.geometry import bounds_of, footprint_mm, placement_and_aisle_problems
from designer.model.project import Project
from designer.model.records import Hall, PlacedItem
from designer.model.types import Role

_ID = attrgetter("id")
"""An item's id (mapped over a hall's items in C)."""

MAX_PER_HALL = 20
"""Findings listed one by one per hall and kind; the rest are summed up in one more finding."""


@dataclass(slots=True)
class _HallChecks:
    hall: Hall
    items: tuple[PlacedItem, ...]
    entries: Mapping[str, CatalogEntry]
    min_aisle_mm: float
    placement: dict[str, str]
    aisles: dict[str, str]
    grid: _HallGrid | None = None  # made by the first local recheck
    sieve: bytes | None = None  # of the items' ids (``_sieve``), built when an item is looked for


Cells = tuple[int, int, int, int]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class _HallGrid:
    """The cells of each item's box and of its reach, on a grid of ``cell_mm`` squares: (n, 4) rows
    of the first and last cell column and row (gx0, gy0, gx1, gy1), in the order of the hall's kept
    items (``_HallChecks.items``). Replaced after each local recheck, never written.

    Both have a margin (REACH_MARGIN_MM); a rack's reach is its box grown by the aisle clearance
    all round, so it holds the aisle strip in front. Anything that can meet an item (overlap it,
    stand in its aisle, share a cell of the bucket walk that orders overlaps) has its box in a
    cell of the item's reach.
    """

    cell_mm: float
    box: IntArray
    reach: IntArray


REACH_MARGIN_MM = 10.0
"""Added round each reach, so rounding in the checks' own arithmetic cannot leave a neighbour out."""

LOCAL_SHARE = 0.5
"""A local recheck is used while the neighbourhood is at most this share of the hall's items."""


def _cells(item: PlacedItem, entries: Mapping[str, CatalogEntry], min_aisle_mm: float,
           cell_mm: float) -> tuple[Cells, Cells]:
    """The grid cells of the item's box and of its reach (see _HallGrid)."""
    entry = entries[item.catalog_id]
    x0, y0, x1, y1 = bounds_of(footprint_mm(item.x_mm, item.y_mm, entry.width_mm, entry.depth_mm,
                                            item.rotation_deg))
    out = []
    for grow in (REACH_MARGIN_MM, REACH_MARGIN_MM + (max(min_aisle_mm, 0.0) if entry.role is Role.RACK else 0.0)):
        out.append((math.floor((x0 - grow) / cell_mm), math.floor((y0 - grow) / cell_mm),
                    math.floor((x1 + grow) / cell_mm), math.floor((y1 + grow) / cell_mm)))
    return out[0], out[1]


@dataclass(slots=True)
class PlacementCache:
    """The last checks of each hall, with the hall's items (see the module docstring).

    ``changed`` collects the ids of items added, removed or changed since the last use (the
    analyzer feeds it from the project's change events); None means "look at everything". Which
    hall held an item is read from the halls' kept items (a tuple each), not from a map of its own.
    """

    halls: dict[str, _HallChecks] = field(default_factory=dict)
    findings: dict[str, tuple[str, dict[str, str], dict[str, str], list[Finding]]] = field(default_factory=dict)
    """Hall id -> (its name, the problems, the findings made of them), kept while all are the same."""
    changed: set[str] | None = None

    def for_twin(self) -> PlacementCache:
        """These checks for a twin (``Analyzer.detached``) when no item changed since they were made: the
        twin's snapshot then has their findings, which it takes instead of checking the design again
        (~400 ms at 50,000 racks). It writes only its own dicts and hall records (copies); the items
        (tuples), grids and sieves are shared: they are replaced, never written. Else an empty cache (the
        twin checks all)."""
        if self.changed is None or self.changed:
            return PlacementCache()
        return PlacementCache(halls={hall: copy.copy(checks) for hall, checks in self.halls.items()},
                              findings=dict(self.findings), changed=set())


Regrouped = tuple[dict[str, tuple[PlacedItem, ...]], dict[str, set[str] | None], bool]
"""What ``_group`` found: the items now of each hall whose items may have changed; of those, the
halls where an item came, went or changed its footprint's place, with those items (None: the order
of the hall's items changed, so check the whole hall); and whether every hall was regrouped."""


def _group(project: Project, entries: Mapping[str, CatalogEntry], cache: PlacementCache) -> Regrouped:
    """The items of the halls ``cache.changed`` may have changed (all halls when it is None).

    Each changed item still in its hall is replaced in the hall's kept order; one that came to a hall
    or left one (added, removed, another hall) is found in the halls' kept items (``_holders``). The
    order is the project's: the items added since the last check (each is a changed one) are the
    project's last ones, so the longest run of changed ids at the end of its order holds them, and
    each hall's items among those go last, in that order. An item moved to another hall sits elsewhere
    in the project's order: then the items are grouped again from the project (``_regroup``).
    """
    changed = cache.changed
    if changed is None or not cache.halls.keys() >= project.halls.keys():
        return _group_all(project, entries), {}, True
    halls, records = project.halls, project.items
    lists: dict[str, list[PlacedItem]] = {}  # the halls' items being edited
    reshaped: dict[str, set[str] | None] = {}
    lost: set[str] = set()  # ids that may have left a hall
    by_hall: dict[str, list[PlacedItem]] = {}
    for item_id in changed:
        item = records.get(item_id)
        # unknown catalog entries are a topology finding; items of unknown halls are not placed
        if item is not None and item.hall_id in halls and item.catalog_id in entries:
            by_hall.setdefault(item.hall_id, []).append(item)
        else:
            lost.add(item_id)
    came: set[str] = set()
    for hall_id, now in by_hall.items():
        items = lists[hall_id] = list(cache.halls[hall_id].items)
        row = dict(zip(map(_ID, items), range(len(items)), strict=True))
        for item in now:
            k = row.get(item.id)
            if k is None:
                came.add(item.id)
                items.append(item)
                _note(reshaped, hall_id, item.id)
            else:
                if _place(items[k]) != _place(item):
                    _note(reshaped, hall_id, item.id)
                items[k] = item  # the item keeps its place in the hall's order
    latest: dict[str, int] = {}  # the longest run of changed ids at the end of the project's order
    for item_id in _last_first(records):
        if item_id not in changed:
            break
        latest[item_id] = len(latest)
    if not came <= latest.keys():
        return _regroup(project, entries, cache)  # an item moved to another hall
    # where the items that came or went were: not in their halls now (``came`` was not in its hall's items)
    for hall_id, ids in _holders(cache, lost | came).items():
        lists[hall_id] = [item for item in lists.get(hall_id, cache.halls[hall_id].items) if item.id not in ids]
        for item_id in ids:
            _note(reshaped, hall_id, item_id)
    fresh: dict[str, tuple[PlacedItem, ...]] = {}
    for hall_id, items in lists.items():
        if any(map(latest.__contains__, map(_ID, items))):
            last = [item for item in items if item.id in latest]
            ordered = [item for item in items if item.id not in latest]
            ordered += sorted(last, key=lambda item: -latest[item.id])
            if ordered != items:  # one that came, or was removed and added again since the last check
                for item in last:
                    if item.id in changed:
                        _note(reshaped, hall_id, item.id)
            items = ordered
        fresh[hall_id] = tuple(items)
    return fresh, reshaped, False


def _last_first(records: Mapping[str, PlacedItem]) -> Iterator[str]:
    """The ids of ``records`` from the last: a dict's (a project's) or a year view's
    (``MaskedItems.__reversed__``), without a copy."""
    return reversed(records) if isinstance(records, Reversible) else reversed(list(records))


def _note(reshaped: dict[str, set[str] | None], hall_id: str, item_id: str) -> None:
    """Note that ``item_id`` came, went or changed its footprint's place in the hall."""
    moved = reshaped.setdefault(hall_id, set())
    if moved is not None:
        moved.add(item_id)


SIEVE_LOOKUPS = 32
"""Up to this many ids are looked for through the halls' sieves; more, in every hall's items."""


def _holders(cache: PlacementCache, ids: set[str]) -> dict[str, set[str]]:
    """Hall id -> those of ``ids`` its kept items hold.

    A hall's sieve (``_sieve``) rules it out for most ids; the halls it does not rule out are read.
    """
    if not ids:
        return {}
    halls = list(cache.halls.items())
    if len(ids) <= SIEVE_LOOKUPS:
        hashes = [hash(item_id) for item_id in ids]
        maybe = []
        for hall_id, known in halls:
            sieve = known.sieve
            if sieve is None:
                sieve = known.sieve = _sieve(known.items)
            mask = len(sieve) * 8 - 1
            for h in hashes:
                a, b, c = h & mask, (h >> 21) & mask, (h >> 42) & mask
                if (sieve[a >> 3] >> (a & 7)) & (sieve[b >> 3] >> (b & 7)) & (sieve[c >> 3] >> (c & 7)) & 1:
                    maybe.append((hall_id, known))
                    break
        halls = maybe
    out: dict[str, set[str]] = {}
    for hall_id, known in halls:
        held = ids.intersection(map(_ID, known.items))
        if held:
            out[hall_id] = held
    return out


SIEVE_BITS_PER_ITEM = 8
"""A sieve's size: with three bits set per id, it rules out a hall for ~97 % of the ids it does not hold."""


def _sieve(items: tuple[PlacedItem, ...]) -> bytes:
    """A Bloom filter of the items' ids: of each id's hash ``h``, bits ``h & mask``, ``(h >> 21) & mask``
    and ``(h >> 42) & mask`` are set, bit ``k`` being bit ``k % 8`` of byte ``k // 8`` (``mask``: the
    bits, a power of two at least 64, less one). An id whose three bits are not all set is not among
    the items."""
    size = max(64, 1 << (SIEVE_BITS_PER_ITEM * len(items) - 1).bit_length())
    hashes = np.fromiter(map(hash, map(_ID, items)), np.int64, len(items))
    bits = np.zeros(size, dtype=np.bool_)
    for shift in (0, 21, 42):
        bits[(hashes >> shift) & (size - 1)] = True
    return np.packbits(bits, bitorder="little").tobytes()


def _group_all(project: Project, entries: Mapping[str, CatalogEntry]) -> dict[str, tuple[PlacedItem, ...]]:
    """Every hall's placed items (known hall and catalog entry), in the project's order."""
    groups: dict[str, list[PlacedItem]] = {hall_id: [] for hall_id in project.halls}
    for item in project.items.values():
        # unknown catalog entries are a topology finding; items of unknown halls are not placed
        group = groups.get(item.hall_id)
        if group is not None and item.catalog_id in entries:
            group.append(item)
    return {hall_id: tuple(group) for hall_id, group in groups.items()}


def _regroup(project: Project, entries: Mapping[str, CatalogEntry], cache: PlacementCache) -> Regrouped:
    """Every hall grouped again; the halls whose items differ from the kept ones, with what moved."""
    fresh: dict[str, tuple[PlacedItem, ...]] = {}
    reshaped: dict[str, set[str] | None] = {}
    for hall_id, items in _group_all(project, entries).items():
        before = cache.halls[hall_id].items
        if items != before:
            fresh[hall_id] = items
            reshaped[hall_id] = _moved(before, items)
    return fresh, reshaped, False


def _moved(before: tuple[PlacedItem, ...], after: tuple[PlacedItem, ...]) -> set[str] | None:
    """The ids that came, went or changed their footprint's place between two lists of a hall's
    items; None when the items in both are not in the same order."""
    was = {item.id: _place(item) for item in before}
    now = {item.id: _place(item) for item in after}
    if [i for i in was if i in now] != [i for i in now if i in was]:
        return None
    return {i for i in was.keys() | now.keys() if was.get(i) != now.get(i)}


def _place(item: PlacedItem) -> tuple[object, ...]:
    """What the placement and aisle checks read of an item (an override of design kW, workload or
    weight leaves it as it was)."""
    return item.id, item.catalog_id, item.x_mm, item.y_mm, item.rotation_deg


def _recheck_near(known: _HallChecks, items: tuple[PlacedItem, ...], changed: set[str]) -> bool:
    """Bring ``known`` up to date with ``items`` by checking again only near the ``changed`` ids.

    ``known`` holds the checks of the hall's previous items, and ``changed`` the ids that came,
    went or changed their footprint's place since. The items whose findings can change are the
    changed ones and those reaching a cell a changed item reaches, before or after (they overlap
    it, it stands in their aisle, or it changes which item first meets a cell in the bucket walk
    that orders overlaps). Their findings are those of a check of their own neighbourhood (every
    item reaching a cell they reach, in the hall's order), which holds everything their findings
    read. Returns False (nothing changed) when the neighbourhood is most of the hall: check it all.
    """
    entries, min_aisle_mm, hall = known.entries, known.min_aisle_mm, known.hall
    cell_mm = max(hall.tile_mm * 4, 1000.0)  # placement_problems' bucket grid
    before = known.items
    grid = known.grid
    if grid is None or grid.cell_mm != cell_mm or len(grid.box) != len(before):
        grid = _grid(before, entries, min_aisle_mm, cell_mm)
    ids_before, ids = list(map(_ID, before)), list(map(_ID, items))
    is_changed = np.fromiter(map(changed.__contains__, ids), np.bool_, len(ids))
    # each item's row in the kept grid, and the rows of the changed ones there
    if ids == ids_before:  # the same items in the same order (moves, turns)
        rows = np.arange(len(ids))
        was = np.flatnonzero(is_changed)
    else:
        row_before = dict(zip(ids_before, range(len(ids_before)), strict=True))
        rows = np.fromiter(map(row_before.get, ids, repeat(-1)), np.int64, len(ids))
        was = np.array([row_before[i] for i in changed if i in row_before], dtype=np.int64)
    rows[is_changed] = -1  # their cells are worked out again
    redo = np.flatnonzero(rows < 0)
    if len(redo) > LOCAL_SHARE * len(items):
        known.grid = None  # each reaches its own box, so the neighbourhood is too: check the whole hall
        return False
    box = grid.box[np.maximum(rows, 0)] if len(before) else np.zeros((len(items), 4), np.int64)
    reach = grid.reach[np.maximum(rows, 0)] if len(before) else np.zeros((len(items), 4), np.int64)
    for k in redo.tolist():
        box[k], reach[k] = _cells(items[k], entries, min_aisle_mm, cell_mm)
    # the changed items' boxes, before and after
    boxes = np.concatenate([grid.box[was], box[redo]])
    affected = np.flatnonzero(_meeting(reach, boxes))  # the items whose findings can change: reaching a changed box
    neighbourhood = np.flatnonzero(_meeting(box, reach[affected]))  # what their findings read: the boxes in their reach
    if len(neighbourhood) > LOCAL_SHARE * len(items):
        known.grid = None  # the caller checks the whole hall
        return False
    known.grid = _HallGrid(cell_mm, box, reach)
    local = [items[k] for k in neighbourhood.tolist()]
    placement, aisles = placement_and_aisle_problems(hall, local, entries.__getitem__, min_aisle_mm)
    known.placement, known.aisles = dict(known.placement), dict(known.aisles)  # results handed out stay
    affected_ids = {items[k].id for k in affected.tolist()}
    for kept, fresh in ((known.placement, placement), (known.aisles, aisles)):
        for item_id in affected_ids | changed:
            kept.pop(item_id, None)
            if item_id in affected_ids and item_id in fresh:
                kept[item_id] = fresh[item_id]
    known.items = items
    return True


def _grid(items: tuple[PlacedItem, ...], entries: Mapping[str, CatalogEntry], min_aisle_mm: float,
          cell_mm: float) -> _HallGrid:
    """The grid of these items (see _HallGrid)."""
    box = np.zeros((len(items), 4), np.int64)
    reach = np.zeros((len(items), 4), np.int64)
    for k, item in enumerate(items):
        box[k], reach[k] = _cells(item, entries, min_aisle_mm, cell_mm)
    return _HallGrid(cell_mm, box, reach)


MEETING_BLOCK = 256
"""Ranges are met against at most this many others at once (bounds the (n, m) temporaries)."""


def _meeting(ranges: IntArray, others: IntArray) -> NDArray[np.bool_]:
    """Which of ``ranges`` (n, 4 cells) share a cell with any of ``others`` (m, 4)."""
    out = np.zeros(len(ranges), dtype=np.bool_)
    for start in range(0, len(others), MEETING_BLOCK):
        block = others[start:start + MEETING_BLOCK]
        out |= ((ranges[:, None, 0] <= block[None, :, 2]) & (block[None, :, 0] <= ranges[:, None, 2])
                & (ranges[:, None, 1] <= block[None, :, 3]) & (block[None, :, 1] <= ranges[:, None, 3])).any(axis=1)
    return out


def _geometry(items: tuple[PlacedItem, ...]) -> list[tuple[object, ...]]:
    """What the placement and aisle checks read of each item, in order (an override of design kW,
    workload or weight leaves it as it was)."""
    return list(map(_place, items))


def hall_problems(project: Project, entries: Mapping[str, CatalogEntry],
                  cache: PlacementCache | None = None) -> dict[str, tuple[dict[str, str], dict[str, str]]]:
    """Hall id -> (placement problems, aisle problems), item id -> reason, for every hall.

    ``entries`` maps catalog ids to entries (the catalog merged with the project's own entries).
    """
    cache = cache if cache is not None else PlacementCache()
    min_aisle_mm = project.settings.min_aisle_mm
    known_entries = next(iter(cache.halls.values())).entries if cache.halls else None
    if known_entries is not None and known_entries is not entries and known_entries != entries:
        cache.changed = None  # a catalog change can make items known or unknown
    try:
        fresh, reshaped, regrouped = _group(project, entries, cache)
        out: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
        for hall_id, hall in project.halls.items():
            known = cache.halls.get(hall_id)
            # an untouched hall, the same record (identity first: 250+ halls), setting and entries: its
            # checks stand
            if (known is not None and hall_id not in fresh and known.min_aisle_mm == min_aisle_mm
                    and known.entries is entries and (known.hall is hall or known.hall == hall)):
                out[hall_id] = (known.placement, known.aisles)
                continue
            items = fresh.get(hall_id, known.items if known is not None else ())
            moved = reshaped.get(hall_id, set())
            if (known is None or known.hall != hall or known.min_aisle_mm != min_aisle_mm
                    or (known.entries is not entries and known.entries != entries)
                    or (regrouped and known.items != items and _geometry(known.items) != _geometry(items))
                    or moved is None or (moved and not _recheck_near(known, items, moved))):
                known = _HallChecks(hall, items, entries, min_aisle_mm,
                                    *placement_and_aisle_problems(hall, items, entries.__getitem__, min_aisle_mm))
            known.entries = entries  # equal: keep the newest for the identity check above
            if regrouped or hall_id in reshaped:
                known.sieve = None  # items may have come or gone
            known.items = items  # the same geometry (an override changes none): keep the newest records
            cache.halls[hall_id] = known
            out[hall_id] = (known.placement, known.aisles)
        for stale in set(cache.halls) - set(project.halls):
            del cache.halls[stale]
    except BaseException:  # a check that failed half way: the next one starts from cold
        cache.halls.clear()
        cache.changed = None
        raise
    cache.changed = set()
    return out


def placement_findings(project: Project, entries: Mapping[str, CatalogEntry],
                       cache: PlacementCache | None = None) -> list[Finding]:
    """Errors for overlaps / outside / on an obstacle, warnings for short aisles, in every hall."""
    findings: list[Finding] = []
    kept = cache.findings if cache is not None else {}
    halls = project.halls
    problems_of = hall_problems(project, entries, cache)
    for hall_id in set(kept) - set(problems_of):
        del kept[hall_id]
    for hall_id, (placement, aisles) in problems_of.items():
        if not placement and not aisles:
            kept.pop(hall_id, None)
            continue
        name = halls[hall_id].name
        known = kept.get(hall_id)
        if known is not None and known[0] == name and known[1] is placement and known[2] is aisles:
            findings += known[3]
            continue
        start = len(findings)
        for problems, severity, code in ((placement, "error", "placement"), (aisles, "warning", "aisle_clearance")):
            ids = sorted(problems)
            for item_id in ids[:MAX_PER_HALL]:
                findings.append(Finding(severity, code, f"{item_id} in {name}: {problems[item_id]}",  # type: ignore[arg-type]
                                        (item_id, *_others(problems[item_id]))))
            rest = ids[MAX_PER_HALL:]
            if rest:
                what = "placement problems" if code == "placement" else "aisles short of the clearance"
                findings.append(Finding(severity, code, f"{len(rest)} more {what} in {name}: {id_list(rest)}",  # type: ignore[arg-type]
                                        tuple(rest)))
        kept[hall_id] = (name, placement, aisles, findings[start:])
    return findings


def _others(reason: str) -> tuple[str, ...]:
    """The items a reason names ("overlaps b; overlaps c"), so selecting the finding shows both."""
    return tuple(part.removeprefix("overlaps ") for part in reason.split("; ") if part.startswith("overlaps "))
