"""The kept electrical plan, the column figures and the lazy rows give what a cold call gives."""

from __future__ import annotations

import dataclasses

import pytest

from designer.analysis.conductors import bundled_conductor_tables
from designer.analysis.electrical import electrical_figures, item_figures
from designer.analysis.electrical_plan import clear_plan_cache, plan_for
from designer.analysis.electrical_rows import FigureRows
from designer.analysis.engine import Analyzer
from designer.analysis.profiles import load_profiles
from designer.analysis.synthetic import build_campus
from designer.io.catalog_io import load_catalog

CATALOG = load_catalog(include_user=False)


@pytest.fixture(scope="module")
def campus():  # type: ignore[no-untyped-def]
    project = build_campus(200, CATALOG)
    analyzer = Analyzer()
    try:
        yield project, analyzer
    finally:
        analyzer.close()


def test_figure_rows_read_as_the_tuple_they_replace() -> None:
    made: list[tuple[int, str]] = []

    def make(a: int, b: str) -> tuple[int, str]:
        made.append((a, b))
        return (a, b)

    rows = FigureRows(make, ([1, 2, 3], ["x", "y", "z"]))
    assert made == []  # nothing made until read
    assert rows[1] == (2, "y") and made == [(2, "y")]
    assert rows[1] is rows[1] and len(made) == 1  # made once, kept
    assert rows[-1] == (3, "z")
    assert rows[0:2] == ((1, "x"), (2, "y"))
    assert len(rows) == 3 and list(rows) == [(1, "x"), (2, "y"), (3, "z")]
    assert rows == ((1, "x"), (2, "y"), (3, "z")) and rows != ((1, "x"),)
    assert repr(rows) == repr(((1, "x"), (2, "y"), (3, "z")))
    assert rows.column(1) == ["x", "y", "z"]
    with pytest.raises(IndexError):
        rows[3]
    with pytest.raises(ValueError, match="different lengths"):
        FigureRows(make, ([1, 2], ["x"]))


def test_a_share_move_with_the_plan_kept_gives_the_cold_figures(campus) -> None:  # type: ignore[no-untyped-def]
    project, analyzer = campus
    profiles = load_profiles(project.site.utc_offset_h).by_class
    first = analyzer.analyze(project, CATALOG, inference_share=0.2, failures=False)
    moved = analyzer.analyze(project, CATALOG, inference_share=0.9, failures=False)
    clear_plan_cache()
    electrical_figures(project, CATALOG, first, profiles=profiles)  # the plan made and kept
    warm = electrical_figures(project, CATALOG, moved, profiles=profiles)
    clear_plan_cache()
    cold = electrical_figures(project, CATALOG, moved, profiles=profiles)
    assert warm == cold
    assert repr(warm) == repr(cold)
    # the loads did change between the two shares (else this test would prove nothing)
    before = electrical_figures(project, CATALOG, first, profiles=profiles)
    assert [f.load_kw for f in before.feeds] != [f.load_kw for f in warm.feeds]


def test_the_columns_agree_with_the_one_by_one_figures(campus) -> None:  # type: ignore[no-untyped-def]
    project, analyzer = campus
    results = analyzer.analyze(project, CATALOG, failures=False)
    figures = electrical_figures(project, CATALOG, results)
    targets = list(dict.fromkeys(f.target_id for f in figures.feeds))
    assert len(targets) > 100
    for target_id in targets[::7]:
        node, feeds = item_figures(project, CATALOG, results, target_id)
        assert sorted(feeds, key=lambda f: f.connection_id) == sorted(figures.feeds_of(target_id),
                                                                       key=lambda f: f.connection_id)
        assert node == figures.node(target_id)
        for feed in feeds:
            assert figures.feed(feed.connection_id) == feed


def test_an_edit_is_not_served_from_the_old_plan(campus) -> None:  # type: ignore[no-untyped-def]
    project, analyzer = campus
    results = analyzer.analyze(project, CATALOG, failures=False)
    figures = electrical_figures(project, CATALOG, results)
    feed = next(f for f in figures.feeds if CATALOG[project.items[f.target_id].catalog_id].is_rack)
    rack = project.items[feed.target_id]
    # moved 10 m along x: its feed's route grows or shrinks by 10 m (Manhattan, or across a busway's axis
    # clamped to its length: then by at most 10 m); anything but the old length
    project.move_items({rack.id: (rack.x_mm + 10_000.0, rack.y_mm)})
    try:
        after = electrical_figures(project, CATALOG, analyzer.analyze(project, CATALOG, failures=False))
        clear_plan_cache()
        cold = electrical_figures(project, CATALOG, analyzer.analyze(project, CATALOG, failures=False))
        assert after == cold
        moved = after.feed(feed.connection_id)
        assert moved is not None and moved.route_m != feed.route_m
    finally:
        project.update_items([dataclasses.replace(rack)])


def test_a_load_only_edit_keeps_the_plan_and_gives_the_cold_figures(campus) -> None:  # type: ignore[no-untyped-def]
    project, analyzer = campus
    results = analyzer.analyze(project, CATALOG, failures=False)
    clear_plan_cache()
    before = electrical_figures(project, CATALOG, results)
    settings = project.settings
    table = bundled_conductor_tables()[(settings.cable_standard, settings.conductor_material)]
    kept_plan = plan_for(project, CATALOG, table)
    rack = next(i for i in project.items.values()
                if CATALOG[i.catalog_id].is_rack and (n := before.node(i.id)) is not None and n.design_kw > 0)
    nameplate = rack.design_kw if rack.design_kw is not None else CATALOG[rack.catalog_id].capacity_kw
    project.update_items([dataclasses.replace(rack, design_kw=nameplate * 2.0)])
    try:
        edited = analyzer.analyze(project, CATALOG, failures=False)
        kept = electrical_figures(project, CATALOG, edited)
        reused = plan_for(project, CATALOG, table) is kept_plan
        clear_plan_cache()
        cold = electrical_figures(project, CATALOG, edited)
        assert reused  # the edit kept the plan rather than making a new one
        assert kept == cold
        node, old = kept.node(rack.id), before.node(rack.id)
        # its nameplate doubled: its design kW (nameplate x the AI density factor for an AI rack) doubles
        # exactly (x 2 is exact in binary), not the kept plan's old nameplate
        assert node is not None and old is not None and node.design_kw == 2.0 * old.design_kw
    finally:
        project.update_items([rack])


def test_figure_rows_hand_array_columns_over_as_python_numbers() -> None:
    import numpy as np

    rows = FigureRows(lambda a, b, c: (a, b, c), (np.array([1.5, 2.5]), np.array([3, 4]), np.array([True, False])))
    row = rows[1]
    assert row == (2.5, 4, False)
    # Python float, int and bool, as tolist gives them: a row's repr stays the one a tuple of lists made
    assert [type(v) for v in row] == [float, int, bool]
    assert repr(rows) == "((1.5, 3, True), (2.5, 4, False))"


def test_the_bench_gives_the_three_electrical_figures_and_undoes_its_edit() -> None:
    from designer.analysis.electrical_bench import electrical_bench

    project = build_campus(100, CATALOG)
    before = dict(project.items)
    figures = electrical_bench(100, CATALOG, 1, project)
    assert set(figures) == {"electrical_ms", "electrical_move_ms", "electrical_edit_ms", "electrical_feeds"}
    assert all(value > 0 for value in figures.values())
    assert dict(project.items) == before  # the edited rack is put back as it was


def test_the_plan_finds_supply_voltages_without_the_project_connection_index(campus) -> None:  # type: ignore[no-untyped-def]
    from designer.analysis.supply_voltage import SupplyVoltages

    project, _analyzer = campus
    copy = project.snapshot()  # a snapshot has no connection index until something asks for it
    own = SupplyVoltages(copy, CATALOG, own_index=True)
    found = {item_id: own.get(item_id) for item_id in copy.items}
    assert copy._by_item is None  # the plan's lookup did not build the ~70 MB (at 50k racks) index
    indexed = SupplyVoltages(copy, CATALOG)
    assert found == {item_id: indexed.get(item_id) for item_id in copy.items}
    # the racks take the LV voltage down the chain: not every item is at the 415 V default of an unknown one
    assert len(set(found.values())) > 1


def test_a_closed_design_drops_its_plan_and_leaves_another_designs(campus) -> None:  # type: ignore[no-untyped-def]
    from designer.analysis.electrical_plan import drop_plans_of, plan_count

    project, _analyzer = campus
    other = build_campus(100, CATALOG)
    table = bundled_conductor_tables()[(project.settings.cable_standard, project.settings.conductor_material)]
    clear_plan_cache()
    plan_for(project.snapshot(), CATALOG, table)  # a snapshot shares the design's records: the same plan
    assert plan_count() == 1
    assert drop_plans_of(other) == 0 and plan_count() == 1  # another design's close keeps it
    assert drop_plans_of(project) == 1 and plan_count() == 0


def test_the_kept_plan_does_not_keep_the_snapshot_it_was_worked_on(campus) -> None:  # type: ignore[no-untyped-def]
    import gc

    from designer.analysis.supply_voltage import SupplyVoltages

    project, analyzer = campus
    results = analyzer.analyze(project, CATALOG, failures=False)
    clear_plan_cache()
    snapshot = project.snapshot()
    cold = electrical_figures(snapshot, CATALOG, results)
    # the app works the figures out on a snapshot per call: the kept plan held the last one (its dicts) alive
    assert not [ref for ref in gc.get_referrers(snapshot) if isinstance(ref, SupplyVoltages)]
    assert electrical_figures(project.snapshot(), CATALOG, results) == cold  # the plan binds the next one
