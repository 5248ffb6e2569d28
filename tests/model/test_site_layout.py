"""Halls on the site plan: their own position, or laid out side by side when they have none."""

from __future__ import annotations

import pytest

from designer.model.events import ChangeAction, ChangeEvent, Collection
from designer.model.project import ModelError, Project
from designer.model.records import Hall
from designer.model.site_layout import SITE_GAP_MM, SitePlacement, site_bounds_mm, site_placements


def _hall(hall_id: str, width: float, depth: float, **site: float) -> Hall:
    return Hall(hall_id, hall_id, ((0, 0), (width, 0), (width, depth), (0, depth)), **site)  # type: ignore[arg-type]


def test_halls_without_a_position_sit_side_by_side_in_file_order() -> None:
    halls = {h.id: h for h in (_hall("a", 30_000, 20_000), _hall("b", 100_000, 50_000), _hall("c", 10_000, 8_000))}
    placements = site_placements(halls)
    # a at x 0; b after a's 30 m and the 10 m gap: 40 m; c after b's 100 m and a gap: 150 m
    assert [(p.x_mm, p.y_mm) for p in placements.values()] == [(0, 0), (40_000, 0), (150_000, 0)]
    assert all(p.automatic for p in placements.values())
    assert site_bounds_mm(halls) == (0, 0, 160_000, 50_000)


def test_placed_halls_keep_their_position_and_the_others_go_to_their_right() -> None:
    halls = {h.id: h for h in (_hall("a", 30_000, 20_000),
                               _hall("b", 20_000, 10_000, site_x_mm=-5_000.0, site_y_mm=7_000.0))}
    placements = site_placements(halls)
    assert placements["b"] == SitePlacement("b", -5_000.0, 7_000.0, 0.0, automatic=False)
    # b spans x -5..15 m, so a starts one gap to its right (25 m), at b's top (7 m)
    assert (placements["a"].x_mm, placements["a"].y_mm) == (15_000 + SITE_GAP_MM, 7_000.0)


def test_rotation_turns_the_outline_clockwise_about_the_hall_origin() -> None:
    placement = SitePlacement("a", 1_000.0, 2_000.0, 90.0)
    # y down: a clockwise quarter turn takes +x to +y
    x, y = placement.to_site((10.0, 0.0))
    assert (round(x, 6), round(y, 6)) == (1_000.0, 2_010.0)
    back = placement.to_hall((x, y))
    assert (round(back[0], 6), round(back[1], 6)) == (10.0, 0.0)


def test_placing_a_hall_on_the_site_is_a_move_event() -> None:
    project = Project()
    project.add_hall(_hall("a", 30_000, 20_000))
    seen: list[ChangeEvent] = []
    project.events.subscribe(seen.append)
    project.place_hall_on_site("a", 5_000, 6_000, 450)
    hall = project.halls["a"]
    assert (hall.site_x_mm, hall.site_y_mm, hall.site_rotation_deg, hall.site_placed) == (5_000, 6_000, 90, True)
    assert seen == [ChangeEvent(ChangeAction.MOVED, Collection.HALLS, ("a",))]
    project.place_hall_on_site("a", 5_000, 6_000, 90)  # no change, no event
    assert len(seen) == 1
    with pytest.raises(ModelError, match="both x and y"):
        project.place_hall_on_site("a", 1.0, None)
