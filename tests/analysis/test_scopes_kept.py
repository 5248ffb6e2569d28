"""``Analyzer.scopes`` keeps the scope inventory between analyses only while nothing it reads moved:
after each kind of edit that moves a scope (a rack's hall, its pod, its weight, its feed) it is built
again and equals a fresh analyzer's; a move on the floor keeps the same object."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from designer.analysis import Analyzer
from designer.analysis.capacity import Scopes
from designer.analysis.synthetic import build_campus
from designer.io.catalog_io import load_catalog
from designer.model.catalog import merged_catalog
from designer.model.project import Project

FIELDS = ("membership", "rack_count", "power_firm_kw", "liquid_firm_kw", "air_firm_kw", "space_free_m2",
          "floor_free_kg", "rack_area_m2", "rack_weight_kg")


def _scopes(analyzer: Analyzer, project: Project, catalog: dict) -> Scopes:  # type: ignore[type-arg]
    analyzer.analyze(project, catalog, failures=False)
    scopes = analyzer.compile(project, catalog).scopes
    assert isinstance(scopes, Scopes)
    return scopes


def _assert_same(kept: Scopes, cold: Scopes, name: str) -> None:
    assert kept.ids == cold.ids, name
    for field in FIELDS:
        a, b = getattr(kept, field), getattr(cold, field)
        assert a.shape == b.shape and a.tobytes() == b.tobytes(), f"{name}: {field}"


def _edits(project: Project, racks: list[str]) -> dict[str, Callable[[], None]]:
    rack = project.items[racks[0]]
    other_hall = next(h for h in project.halls if h != rack.hall_id)
    pods = sorted({p for p in (project.items[r].pod_id for r in racks) if p is not None and p != rack.pod_id})

    def hall() -> None:
        item = project.items[racks[1]]
        project.update_items([replace(item, hall_id=other_hall)])

    def pod() -> None:
        item = project.items[racks[2]]
        project.update_items([replace(item, pod_id=pods[0] if pods else None)])

    def weight() -> None:
        item = project.items[racks[3]]
        project.update_items([replace(item, weight_kg=(item.weight_kg or 1000.0) + 500.0)])

    def feed() -> None:
        connection = next(c for c in project.connections.values() if c.target_id == racks[4])
        project.remove_connections([connection.id])

    return {"hall": hall, "pod": pod, "weight": weight, "feed": feed}


@pytest.mark.parametrize("edit", ["hall", "pod", "weight", "feed"])
def test_an_edit_that_moves_a_scope_rebuilds_the_scopes(edit: str) -> None:
    catalog = load_catalog(include_user=False)
    project = build_campus(600, catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    warm = Analyzer()
    try:
        before = _scopes(warm, project, merged)
        racks = list(warm.compile(project, merged).topology.rack_ids)
        moved = project.items[racks[10]]
        project.move_items({moved.id: (moved.x_mm + 1.0, moved.y_mm)})
        assert _scopes(warm, project, merged) is before  # a move on the floor reads nothing of the scopes
        _edits(project, racks)[edit]()
        after = _scopes(warm, project, merged)
        assert after is not before
        cold = Analyzer()
        try:
            _assert_same(after, _scopes(cold, project, merged), edit)
        finally:
            cold.close()
    finally:
        warm.close()
