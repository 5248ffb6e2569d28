"""Which items stand in a year: own years, a pod's years inherited, and the model refusing bad pairs."""

from __future__ import annotations

from dataclasses import replace

import pytest

from designer.model import Hall, PlacedItem, PodInstance, Project
from designer.model.phasing import item_window, phase_years, standing, window_text, windows, years_problem
from designer.model.project import ModelError


def project() -> Project:
    p = Project()
    p.add_hall(Hall("h", "H", ((0, 0), (10_000, 0), (10_000, 10_000), (0, 10_000))))
    p.add_pod(PodInstance("pod", "t", "h", in_service_year=2027, retirement_year=2031))
    p.add_items([
        PlacedItem("always", "c", "h", 1, 1),
        PlacedItem("own", "c", "h", 1, 1, in_service_year=2026),
        PlacedItem("in-pod", "c", "h", 1, 1, pod_id="pod"),
        PlacedItem("own-end", "c", "h", 1, 1, pod_id="pod", retirement_year=2029),
    ])
    return p


def test_windows_and_standing_items() -> None:
    p = project()
    assert item_window(p.items["in-pod"], p.pods) == (2027, 2031)
    assert item_window(p.items["own-end"], p.pods) == (2027, 2029)  # its own end, the pod's start
    assert windows(p) == {"own": (2026, None), "in-pod": (2027, 2031), "own-end": (2027, 2029)}
    assert standing(p.items.values(), p.pods, 2025) == {"always"}
    assert standing(p.items.values(), p.pods, 2028) == {"always", "own", "in-pod", "own-end"}
    assert standing(p.items.values(), p.pods, 2029) == {"always", "own", "in-pod"}  # retired: gone that year
    assert standing(p.items.values(), p.pods, 2031) == {"always", "own"}
    assert phase_years(p) == [2026, 2027, 2029, 2031]
    assert window_text((2027, 2031)) == "2027 to 2030"
    assert window_text((None, None)) == "always"


def test_the_model_refuses_impossible_years() -> None:
    p = project()
    with pytest.raises(ModelError, match="must come after"):
        p.update_items([replace(p.items["own"], retirement_year=2026)])
    with pytest.raises(ModelError, match="between 1900 and 2200"):
        p.add_items([PlacedItem("x", "c", "h", 1, 1, in_service_year=1850)])
    with pytest.raises(ModelError, match="must come after"):
        p.update_pod(replace(p.pods["pod"], retirement_year=2020))
    assert years_problem(2025, None) is None
    assert years_problem(True, None) is not None  # type: ignore[arg-type]


def test_adding_many_items_checks_falsy_years_and_names_the_first_bad_item() -> None:
    # the column check lets a batch through only when no item has a year: a year of 0 or False is
    # a year given (and refused), not an absent one
    p = project()
    good = [PlacedItem(f"r{i}", "c", "h", 1, 1) for i in range(3)]
    for bad in (PlacedItem("zero", "c", "h", 1, 1, in_service_year=0),
                PlacedItem("false", "c", "h", 1, 1, retirement_year=False)):  # type: ignore[arg-type]
        with pytest.raises(ModelError, match=f"item '{bad.id}'.*not a whole year"):
            p.add_items([*good, bad])
        assert "r0" not in p.items  # all or nothing
    # the first of two bad items in order is named: an unknown hall before an unknown pod
    with pytest.raises(ModelError, match="item 'a': unknown hall 'nowhere'"):
        p.add_items([*good, PlacedItem("a", "c", "nowhere", 1, 1), PlacedItem("b", "c", "h", 1, 1, pod_id="nope")])
    with pytest.raises(ModelError, match="item 'b': unknown pod 'nope'"):
        p.add_items([*good, PlacedItem("b", "c", "h", 1, 1, pod_id="nope"), PlacedItem("a", "c", "nowhere", 1, 1)])
    p.add_items(good)
    assert list(p.items)[-3:] == ["r0", "r1", "r2"]
