"""Placement findings for every hall: overlaps, outside the hall, on an obstacle, aisle clearance.

The geometry lives in ``model.geometry`` (numpy over a bucket grid); this module turns it into
analysis findings, so ``analyze``, its exit code, the JSON and the report see every hall, not just
the one on screen. Severity: an overlap, an item outside its hall or standing on an obstacle is an
error (it cannot be built as drawn); a short aisle in front of a rack is a warning (the clearance
is the project setting ``min_aisle_mm``, a design rule rather than a physical impossibility).

Each hall's checks are kept while its items, the hall and the catalog entries stay the same
(edits replace items, so an unchanged hall costs a tuple comparison); only the items the project
reports changed are regrouped by hall.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from designer.analysis.findings import Finding, id_list
from designer.model.catalog import CatalogEntry
from designer.model.geometry import aisle_problems, placement_problems
from designer.model.project import Project
from designer.model.records import Hall, PlacedItem

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


@dataclass(slots=True)
class PlacementCache:
    """The last checks of each hall, and each hall's items (see the module docstring).

    ``changed`` collects the ids of items added, removed or changed since the last use (the
    analyzer feeds it from the project's change events); None means "look at everything".
    """

    halls: dict[str, _HallChecks] = field(default_factory=dict)
    hall_items: dict[str, dict[str, PlacedItem]] = field(default_factory=dict)
    item_hall: dict[str, str] = field(default_factory=dict)
    changed: set[str] | None = None


def _group(project: Project, entries: Mapping[str, CatalogEntry],
           cache: PlacementCache) -> tuple[set[str] | None, set[str]]:
    """Bring ``cache.hall_items`` up to date: all items when ``changed`` is None, else only those.

    Returns the halls whose items may have changed (None: all of them) and, of those, the halls
    where an item came, went or changed its footprint's place (``_geometry``).
    """
    halls = project.halls
    touched: set[str] | None = set()
    reshaped: set[str] = set()
    if cache.changed is None:
        touched = None
        cache.hall_items = {hall_id: {} for hall_id in halls}
        cache.item_hall = {}
        todo = list(project.items)
    else:
        todo = list(cache.changed)
        for hall_id in halls:
            cache.hall_items.setdefault(hall_id, {})
    for item_id in todo:
        item = project.items.get(item_id)
        # unknown catalog entries are a topology finding; items of unknown halls are not placed
        placed = item is not None and item.hall_id in cache.hall_items and item.catalog_id in entries
        old = cache.item_hall.get(item_id)
        if placed and item is not None and old is not None and old == item.hall_id:
            previous = cache.hall_items[old].get(item_id)
            cache.hall_items[old][item_id] = item  # same hall: the item keeps its place in the hall's order
            if touched is not None:
                touched.add(old)
                if previous is None or _geometry((previous,)) != _geometry((item,)):
                    reshaped.add(old)
            continue
        cache.item_hall.pop(item_id, None)
        if old is not None and old in cache.hall_items:
            cache.hall_items[old].pop(item_id, None)
        if placed:
            assert item is not None
            cache.hall_items[item.hall_id][item_id] = item
            cache.item_hall[item_id] = item.hall_id
        if touched is not None:
            halls_of = [h for h in (old, item.hall_id if item is not None else None) if h is not None]
            touched.update(halls_of)
            reshaped.update(halls_of)
    cache.changed = set()
    return touched, reshaped


def _geometry(items: tuple[PlacedItem, ...]) -> list[tuple[object, ...]]:
    """What the placement and aisle checks read of each item, in order (an override of design kW,
    workload or weight leaves it as it was)."""
    return [(i.id, i.catalog_id, i.x_mm, i.y_mm, i.rotation_deg) for i in items]


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
    touched, reshaped = _group(project, entries, cache)
    out: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
    for hall_id, hall in project.halls.items():
        known = cache.halls.get(hall_id)
        if (known is not None and touched is not None and hall_id not in touched and known.hall == hall
                and known.min_aisle_mm == min_aisle_mm and known.entries is entries):
            out[hall_id] = (known.placement, known.aisles)
            continue
        items = tuple(cache.hall_items[hall_id].values())
        if (known is None or known.hall != hall or known.min_aisle_mm != min_aisle_mm
                or ((touched is None or hall_id in reshaped) and known.items != items
                    and _geometry(known.items) != _geometry(items))
                or (known.entries is not entries and known.entries != entries)):
            entry_of = entries.__getitem__
            known = _HallChecks(hall, items, entries, min_aisle_mm, placement_problems(hall, items, entry_of),
                                aisle_problems(hall, items, entry_of, min_aisle_mm))
        known.entries = entries  # equal: keep the newest for the identity check above
        known.items = items  # the same geometry (an override changes none): keep the newest records
        cache.halls[hall_id] = known
        out[hall_id] = (known.placement, known.aisles)
    for stale in set(cache.halls) - set(project.halls):
        del cache.halls[stale]
        cache.hall_items.pop(stale, None)
    return out


def placement_findings(project: Project, entries: Mapping[str, CatalogEntry],
                       cache: PlacementCache | None = None) -> list[Finding]:
    """Errors for overlaps / outside / on an obstacle, warnings for short aisles, in every hall."""
    findings: list[Finding] = []
    for hall_id, (placement, aisles) in hall_problems(project, entries, cache).items():
        name = project.halls[hall_id].name
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
    return findings


def _others(reason: str) -> tuple[str, ...]:
    """The items a reason names ("overlaps b; overlaps c"), so selecting the finding shows both."""
    return tuple(part.removeprefix("overlaps ") for part in reason.split("; ") if part.startswith("overlaps "))
