"""Kept placement checks (only the edited items' neighbourhood checked again) equal a cold check (issue 16).

One 40 m x 30 m hall (tile 600 mm, so the bucket grid and the kept grid have 2,400 mm cells),
racks 600 mm wide and 1,200 mm deep, front face to -y at rotation 0, aisle clearance 1,200 mm.
100 filler racks stand far off (5 rows at x 20,000..32,000 mm, y 8,200..9,400 mm and each 3 m on) so that each edit's
neighbourhood is a small share of the hall and the local recheck, not the whole-hall one, runs.
"""

from __future__ import annotations

import random
from dataclasses import replace

from support import make_entry

from designer.analysis.placement import PlacementCache, hall_problems, placement_findings
from designer.model import Hall, ItemKind, PlacedItem, Role
from designer.model.events import ChangeEvent, Collection
from designer.model.project import Project
from designer.model.year_view import YearView

ENTRIES = {"rack": make_entry("rack", ItemKind.RACK, Role.RACK, width_mm=600.0, depth_mm=1200.0)}
HALL = Hall("h", "Hall", ((0, 0), (40_000, 0), (40_000, 30_000), (0, 30_000)), tile_mm=600.0)
EDGE = "less than 1.2 m clear to the hall's edge in front"


def blocked(by: str) -> str:
    return f"less than 1.2 m clear in front (blocked by {by})"


def campus() -> tuple[Project, PlacementCache]:
    """r1, r2, r3 side by side (x 2,700..4,500, y 4,400..5,600), r4 alone at (12,000, 5,000),
    the fillers; a cache fed with the ids of edited items, as the analyzer feeds it."""
    project = Project()
    project.add_hall(HALL)
    project.add_items([PlacedItem("r1", "rack", "h", 3_000, 5_000), PlacedItem("r2", "rack", "h", 3_600, 5_000),
                       PlacedItem("r3", "rack", "h", 4_200, 5_000), PlacedItem("r4", "rack", "h", 12_000, 5_000)])
    project.add_items([PlacedItem(f"f{r}{k:02}", "rack", "h", 20_300 + 600 * k, 8_800 + 3_000 * r)
                       for r in range(5) for k in range(20)])
    cache = PlacementCache()

    def feed(event: ChangeEvent) -> None:
        if cache.changed is not None and event.collection is Collection.ITEMS:
            cache.changed.update(event.ids)

    project.events.subscribe(feed)
    return project, cache


def check(project: Project, cache: PlacementCache, hall: str = "h") -> tuple[dict[str, str], dict[str, str]]:
    """The kept checks of ``hall``, after asserting all equal a cold check (problems and findings)."""
    kept = hall_problems(project, ENTRIES, cache)
    assert kept == hall_problems(project, ENTRIES)
    assert placement_findings(project, ENTRIES, cache) == placement_findings(project, ENTRIES)
    return kept[hall]


def local_recheck_ran(cache: PlacementCache) -> bool:
    return cache.halls["h"].grid is not None


def test_edits_checked_near_the_edit_equal_a_cold_check() -> None:
    project, cache = campus()
    # fronts at y 4,400, strips y 3,200..4,400 clear and inside; touching sides are no overlap
    assert check(project, cache) == ({}, {})

    # r4 to x 3,900: box x 3,600..4,200 overlaps r2 (3,300..3,900) and r3 (3,900..4,500) by 300 mm.
    # All four boxes first meet bucket cell (1, 1) (x 2,400..4,800, y 2,400..4,800), made by r1, so
    # the pairs come by row: (r2, r4) then (r3, r4).
    project.move_items({"r4": (3_900, 5_000)})
    assert check(project, cache) == (
        {"r2": "overlaps r4", "r3": "overlaps r4", "r4": "overlaps r2; overlaps r3"}, {})
    assert local_recheck_ran(cache)

    # r1 to y -200: box y -800..400 leaves the hall (y 0) by 800 mm; its strip y -2,000..-800 too
    project.move_items({"r1": (3_000, -200)})
    placement, aisles = check(project, cache)
    assert placement["r1"] == "outside the hall" and aisles == {"r1": EDGE}

    # r3 deleted: r4 overlaps r2 only
    project.remove_items(["r3"])
    assert check(project, cache) == (
        {"r1": "outside the hall", "r2": "overlaps r4", "r4": "overlaps r2"}, {"r1": EDGE})

    # r5 added at (3,600, 3,200): box x 3,300..3,900, y 2,600..3,800 stands in r2's strip
    # (x 3,301..3,899, y 3,201..4,399) and in r4's (x 3,601..4,199); its own strip y 1,401..2,599 is clear
    project.add_items([PlacedItem("r5", "rack", "h", 3_600, 3_200)])
    assert check(project, cache) == (
        {"r1": "outside the hall", "r2": "overlaps r4", "r4": "overlaps r2"},
        {"r1": EDGE, "r2": blocked("r5"), "r4": blocked("r5")})
    assert local_recheck_ran(cache)

    # r5 turned 180 degrees: the same box, but its front faces +y, strip y 3,801..4,999 at
    # x 3,301..3,899, which r2 (x 3,300..3,900, y 4,400..) and r4 (x 3,600..) reach: r2 is first by id
    project.update_items([replace(project.items["r5"], rotation_deg=180.0)])
    assert check(project, cache) == (
        {"r1": "outside the hall", "r2": "overlaps r4", "r4": "overlaps r2"},
        {"r1": EDGE, "r2": blocked("r5"), "r4": blocked("r5"), "r5": blocked("r2")})

    # r4 back out to (12,000, 5,000) and r1 back in: only r5's and r2's shared aisle trouble is left
    project.move_items({"r4": (12_000, 5_000), "r1": (3_000, 5_000)})
    assert check(project, cache) == ({}, {"r2": blocked("r5"), "r5": blocked("r2")})
    assert local_recheck_ran(cache)


def test_edits_of_two_neighbours_at_once() -> None:
    project, cache = campus()
    project.move_items({"r4": (3_900, 5_000)})  # overlaps r2 and r3, as above
    check(project, cache)
    # r2 and r3 deleted together: nothing left for r4 (x 3,600..4,200) or r1 (x 2,700..3,300) to meet
    project.remove_items(["r2", "r3"])
    assert check(project, cache) == ({}, {})
    assert local_recheck_ran(cache)
    # r1 to x 3,600 (box 3,300..3,900) and r4 to x 3,900 (3,600..4,200) together: 300 mm of overlap
    project.move_items({"r1": (3_600, 5_000), "r4": (3_900, 5_000)})
    assert check(project, cache) == ({"r1": "overlaps r4", "r4": "overlaps r1"}, {})
    assert local_recheck_ran(cache)


def test_random_edits_equal_a_cold_check() -> None:
    """Moves (small, onto others, across the hall), turns (45 degrees too), adds and removes of the
    racks that are not fillers, 150 of them."""
    project, cache = campus()
    rng = random.Random(16)
    check(project, cache)
    local = 0
    for step in range(150):
        item = project.items[rng.choice(sorted(i for i in project.items if not i.startswith("f")))]
        roll = rng.random()
        if roll < 0.6:
            other = project.items[rng.choice(sorted(project.items))]
            x, y = rng.choice([(item.x_mm + 1.0, item.y_mm), (other.x_mm + 300.0, other.y_mm + 700.0),
                               (item.x_mm - 5_000.0, item.y_mm), (other.x_mm, other.y_mm - 1_500.0)])
            project.move_items({item.id: (x, y)})
        elif roll < 0.75:
            project.update_items([replace(item, rotation_deg=rng.choice([0.0, 45.0, 90.0, 180.0, 270.0]))])
        elif roll < 0.85 and len(project.items) > 102:
            project.remove_items([item.id])
        else:
            project.add_items([replace(item, id=f"n{step}", x_mm=item.x_mm + rng.choice([0.0, 300.0, 900.0]))])
        check(project, cache)
        local += local_recheck_ran(cache)
    assert local >= 40  # 53 with this seed; edits into a crowd check the whole hall


# A second hall "g", the same outline; its items are added after hall h's, so they come later in the
# project's order (the order a check from cold reads the items in). The bucket grid's cells are 2,400 mm:
# one boundary runs at x = 4,800.
HALL_G = replace(HALL, id="g", name="Gallery")


def with_gallery() -> tuple[Project, PlacementCache]:
    """The campus plus hall g holding ga at (5,300, 5,000) (box x 5,000..5,600: cell column 2 only) and
    gb at (4,300, 5,000) (box x 4,000..4,600: column 1 only), 400 mm apart."""
    project, cache = campus()
    project.add_hall(HALL_G)
    project.add_items([PlacedItem("ga", "rack", "g", 5_300, 5_000), PlacedItem("gb", "rack", "g", 4_300, 5_000)])
    return project, cache


def test_items_added_together_are_checked_in_the_projects_order() -> None:
    project, cache = campus()
    check(project, cache)
    # eight racks in one edit, each over r4 (box x 11,700..12,300): new-k at x 11,500 + 100 k has box
    # x 11,200 + 100 k .. 11,800 + 100 k, k = 0..7, so each overlaps r4 by 100 + 100 k mm. All the pairs
    # with r4 first meet in bucket cell (4, 1) (x 9,600..12,000, y 2,400..4,800), made by r4, so they
    # come by row: the order the racks were added in (not their ids' order, not a set's)
    names = "hgfedcba"
    project.add_items([PlacedItem(f"new-{c}", "rack", "h", 11_500 + 100 * k, 5_000) for k, c in enumerate(names)])
    placement, _aisles = check(project, cache)
    assert placement["r4"] == "; ".join(f"overlaps new-{c}" for c in names)


def test_an_item_moved_to_another_hall_keeps_its_place_in_the_projects_order() -> None:
    project, cache = with_gallery()
    assert check(project, cache) == ({}, {})
    # r4 (added before ga and gb) to hall g at (4,800, 5,000): box x 4,500..5,100 spans cell columns 1
    # and 2 and overlaps gb (x ..4,600) and ga (x 5,000..) by 100 mm each. In hall g's order r4 comes
    # first, so it makes cells (1, 1) then (2, 1): the pair with gb (sharing column 1) is met first.
    # (Appended after ga and gb, ga would have made column 2 first: "overlaps ga; overlaps gb".)
    project.update_items([replace(project.items["r4"], hall_id="g", x_mm=4_800.0)])
    assert check(project, cache, "g") == (
        {"r4": "overlaps gb; overlaps ga", "ga": "overlaps r4", "gb": "overlaps r4"}, {})
    assert check(project, cache, "h") == ({}, {})
    # and back where it was: nothing to report in either hall
    project.update_items([replace(project.items["r4"], hall_id="h", x_mm=12_000.0)])
    assert check(project, cache, "g") == ({}, {}) == check(project, cache, "h")


def test_an_item_removed_and_put_back_comes_last_in_the_order() -> None:
    project, cache = with_gallery()
    # gc at (4,800, 5,000), added last: box x 4,500..5,100 over both cell columns, 100 mm over gb and
    # ga. Filled in the order ga, gb, gc, ga makes column 2 (cell (2, 1)) first, so gc's pair with ga
    # comes first.
    project.add_items([PlacedItem("gc", "rack", "g", 4_800, 5_000)])
    assert check(project, cache, "g")[0]["gc"] == "overlaps ga; overlaps gb"
    # ga taken out and put back (an undo) before the next check: it is now the project's last item, so
    # gb makes column 1 first and gc's pair with gb comes first, as a check from cold finds
    removed = project.remove_items(["ga"])
    project.add_items(removed.items)
    assert check(project, cache, "g")[0]["gc"] == "overlaps gb; overlaps ga"


def test_many_halls_and_many_items_at_once() -> None:
    """30 halls of 12 racks; items removed, added and moved between halls by the dozen (more than
    SIEVE_LOOKUPS ids at once, so every hall's items are read) and one by one (through the sieves)."""
    project, cache = campus()
    for k in range(30):
        project.add_hall(replace(HALL, id=f"x{k}", name=f"X{k}"))
        project.add_items([PlacedItem(f"x{k}-{j}", "rack", f"x{k}", 3_000 + 500 * j, 5_000) for j in range(12)])
    check(project, cache)
    rng = random.Random(30)
    for step in range(40):
        ids = sorted(i for i in project.items if i.startswith("x"))
        many = rng.random() < 0.3
        picked = rng.sample(ids, 40 if many else 1)
        roll = rng.random()
        if roll < 0.4:
            project.remove_items(picked)
        elif roll < 0.7:
            project.update_items([replace(project.items[i], hall_id=f"x{rng.randrange(30)}") for i in picked])
        else:
            project.add_items([replace(project.items[i], id=f"{i}/{step}", x_mm=project.items[i].x_mm + 250.0)
                               for i in picked])
        check(project, cache)  # every hall's checks equal a cold check's


def test_checks_given_to_a_twin_are_its_own() -> None:
    project, cache = with_gallery()
    project.move_items({"r4": (3_900, 5_000)})  # overlaps r2 and r3 (see the first test)
    kept = check(project, cache)
    snapshot = project.snapshot()
    twin = cache.for_twin()
    assert hall_problems(snapshot, ENTRIES, twin)["h"] == kept
    project.move_items({"r4": (12_000, 5_000)})
    assert check(project, cache) == ({}, {})
    assert hall_problems(snapshot, ENTRIES, twin)["h"] == kept == hall_problems(snapshot, ENTRIES)["h"]
    # an edit not yet checked: the twin gets nothing to start from
    project.move_items({"r1": (3_000, 5_100)})
    assert not cache.for_twin().halls


def test_random_edits_in_two_halls_equal_a_cold_check() -> None:
    """Moves, turns, overrides, hall changes, catalog entries unknown and known again, additions of
    several racks at once, removals, and a removal followed by the same rack's return before the next
    check; 200 edits over halls h and g."""
    project, cache = with_gallery()
    project.add_items([PlacedItem(f"g{r}{k:02}", "rack", "g", 20_300 + 600 * k, 8_800 + 3_000 * r)
                       for r in range(3) for k in range(20)])
    rng = random.Random(1616)
    check(project, cache)
    for step in range(200):
        movable = sorted(i for i in project.items if not i.startswith("f"))
        item = project.items[rng.choice(movable)]
        other = project.items[rng.choice(sorted(project.items))]
        roll = rng.random()
        if roll < 0.35:
            x, y = rng.choice([(item.x_mm + 1.0, item.y_mm), (other.x_mm + 300.0, other.y_mm + 700.0),
                               (other.x_mm, other.y_mm - 1_500.0)])
            project.move_items({item.id: (x, y)})
        elif roll < 0.45:
            project.update_items([replace(item, rotation_deg=rng.choice([0.0, 90.0, 180.0, 45.0]))])
        elif roll < 0.5:
            project.update_items([replace(item, design_kw=rng.choice([10.0, 40.0]))])
        elif roll < 0.53:  # an entry the catalog does not know: not placed (a topology finding), and back
            project.update_items([replace(item, catalog_id="ghost" if item.catalog_id == "rack" else "rack")])
        elif roll < 0.65:
            project.update_items([replace(item, hall_id="g" if item.hall_id == "h" else "h",
                                          x_mm=other.x_mm + 300.0, y_mm=other.y_mm)])
        elif roll < 0.8:
            hall = rng.choice(["h", "g"])
            project.add_items([replace(item, id=f"n{step}-{k}", hall_id=hall, x_mm=other.x_mm + 250.0 * k,
                                       y_mm=other.y_mm + 100.0) for k in range(rng.randint(1, 4))])
        elif roll < 0.9 and len(movable) > 10:
            project.remove_items(rng.sample(movable, rng.randint(1, 3)))
        else:
            removed = project.remove_items([item.id])
            project.add_items(removed.items)
        check(project, cache)


def test_a_year_views_kept_checks_equal_a_cold_check() -> None:
    """A year view (the project without the items absent that year) checked after edits of the project,
    its cache fed as the analysis feeds a view's: the ids of the edited items that stand in it. Ten racks
    of hall g stand only in a later year and come last in the project's order (the view skips them
    when it reads its order from the end)."""
    project, _cache = with_gallery()
    project.add_items([PlacedItem(f"later{k}", "rack", "g", 20_300 + 600 * k, 20_000) for k in range(10)])
    view = YearView(project, frozenset(f"later{k}" for k in range(10)))
    cache = PlacementCache()

    def feed(event: ChangeEvent) -> None:
        if cache.changed is not None and event.collection is Collection.ITEMS:
            cache.changed.update(i for i in event.ids if view.stands(i))

    project.events.subscribe(feed)
    check(view, cache)
    # as in the test above: gc over ga and gb, then ga taken out and put back (after the later racks)
    project.add_items([PlacedItem("gc", "rack", "g", 4_800, 5_000)])
    assert check(view, cache, "g")[0]["gc"] == "overlaps ga; overlaps gb"
    removed = project.remove_items(["ga"])
    view.forget(["ga"])
    project.add_items(removed.items)
    assert check(view, cache, "g")[0]["gc"] == "overlaps gb; overlaps ga"
    rng = random.Random(2025)
    for step in range(60):
        movable = sorted(i for i in view.items if not i.startswith("f"))
        item = view.items[rng.choice(movable)]
        other = view.items[rng.choice(sorted(view.items))]
        roll = rng.random()
        if roll < 0.4:
            project.move_items({item.id: (other.x_mm + 300.0, other.y_mm + 700.0)})
        elif roll < 0.6:
            project.add_items([replace(item, id=f"n{step}-{k}", x_mm=other.x_mm + 250.0 * k) for k in range(2)])
        elif roll < 0.75:
            project.remove_items([item.id])
            view.forget([item.id])
        else:
            removed = project.remove_items([item.id])
            view.forget([item.id])
            project.add_items(removed.items)
        check(view, cache)
