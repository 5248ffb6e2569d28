"""``check_loadable`` refuses exactly what the loader refuses, with the loader's error, without a second design.

The reference is the check as it was: the project's whole document read by the loader
(``project_from_document(project_to_document(project))``). Broken designs are made by putting records the
model would refuse (or the reader would) straight into a project's maps, as a bug around the model could;
each is checked both ways and the outcomes (the exception's type, message and JSON path) compared, with the
items and connections looked at in blocks of 1, 2, 3 and the writer's 8,192 records.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.io import load_check, project_file
from designer.io.catalog_io import load_catalog
from designer.io.errors import ProjectFileError
from designer.io.item_overrides import check_item_overrides
from designer.io.project_file import check_loadable, load_project, project_from_document, project_to_document
from designer.io.resources import examples_dir
from designer.model import Catalog, Project
from designer.model.records import Connection, DesignSettings, Hall, Metadata, PlacedItem, PodInstance, Scenario
from designer.model.types import ConnectionKind, CoolingMedium, FeedSide, ItemKind, Phase, Role, WorkloadClass
from tests.support import build_small_catalog, build_small_project, make_entry

CATALOG = build_small_catalog()
BLOCK_SIZES = (1, 2, 3, project_file.ROWS_PER_BLOCK)

Outcome = tuple[str, str, str | None] | None
"""None (the loader takes it), else the exception's type, message and JSON path."""


def old_check(project: Project, catalog: Catalog) -> None:
    """``check_loadable`` as it was: the loader reads the project's whole document."""
    project_from_document(project_to_document(project), catalog)


def outcome(check: Callable[[Project, Catalog], None], project: Project) -> Outcome:
    try:
        check(project, CATALOG)
    except ProjectFileError as error:
        return type(error).__name__, error.problem, error.json_path
    except Exception as error:  # a record the writer cannot write: its own exception
        return type(error).__name__, str(error), None
    return None


@pytest.fixture(params=BLOCK_SIZES)
def block_size(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    monkeypatch.setattr(load_check, "ROWS_PER_BLOCK", request.param)
    yield request.param


def campus() -> Project:
    """The small project with a pod, 12 racks more (18 items, 17 connections) and an active scenario."""
    project = build_small_project()
    project.add_pod(PodInstance("pod-1", "tpl", "hall-1", in_service_year=2027))
    racks = [PlacedItem(f"r{n}", "rack.i", "hall-1", 2000.0 + 700 * n, 9000.0, pod_id="pod-1" if n < 6 else None,
                        design_kw=15.0 + n, workload=WorkloadClass.AI if n % 2 else None)
             for n in range(12)]
    project.add_items(racks)
    project.add_connections([Connection(f"p{n}", ConnectionKind.POWER, "ups-a", rack.id, feed=FeedSide.A)
                             for n, rack in enumerate(racks)])
    project.set_settings(replace(project.settings, active_scenario_id="sc-1"))
    return project


def put_item(project: Project, index: int, **fields: object) -> None:
    """Replace the item at ``index`` by a copy with ``fields``, filed under its new id when that is free
    (else under its old key: a map filled around the model, checked the old way)."""
    _put(project, "_items", index, fields)


def put_connection(project: Project, index: int, **fields: object) -> None:
    _put(project, "_connections", index, fields)


def _put(project: Project, attribute: str, index: int, fields: dict[str, object]) -> None:
    records: dict[str, Any] = getattr(project, attribute)
    keys = list(records)
    old_key = keys[index % len(keys)]
    new = replace(records[old_key], **fields)
    key = new.id if isinstance(new.id, str) and new.id not in records else old_key
    setattr(project, attribute, {(key if k == old_key else k): (new if k == old_key else v)
                                 for k, v in records.items()})


def assert_same(project: Project) -> Outcome:
    expected = outcome(old_check, project)
    assert outcome(check_loadable, project) == expected
    return expected


# ====================================================================== loadable designs
def test_a_loadable_design_passes_both_ways(block_size: int) -> None:
    assert assert_same(campus()) is None


def test_a_loadable_design_is_not_written_out_to_be_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its records are looked at where they are: no dict per record, no second Project (the old check
    wrote all 29 items and connections into dicts and added them to a new Project)."""
    project = campus()
    written: list[int] = []
    for module in (project_file, load_check):
        monkeypatch.setattr(module, "_item_to_dict", lambda item: written.append(1) or {})
        monkeypatch.setattr(module, "_connections_to_dicts", lambda block: written.extend([1] * len(block)) or [])
    monkeypatch.setattr(Project, "add_items", lambda *args: pytest.fail("a second project was built"))
    check_loadable(project, CATALOG)
    assert written == []


def test_one_broken_block_alone_is_written_and_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 3: the item at index 7 sits in the third block (6..8), which alone goes through the reader."""
    monkeypatch.setattr(load_check, "ROWS_PER_BLOCK", 3)
    project = campus()
    put_item(project, 7, rotation_deg=None)  # not written (no rotation): the loader takes it, the plain check not
    written: list[str] = []
    write = project_file._item_to_dict
    monkeypatch.setattr(load_check, "_item_to_dict", lambda item: written.append(item.id) or write(item))
    assert assert_same(project) is None
    assert written == ["r0", "r1", "r2"]  # campus() items 6..8 are the racks r0..r2


# ====================================================================== one broken record each
ITEM_CASES: list[tuple[str, dict[str, object]]] = [
    ("x out of range", {"x_mm": 9e11}),
    ("x NaN", {"x_mm": math.nan}),
    ("y infinite", {"y_mm": -math.inf}),
    ("x as a boolean (written as 1)", {"x_mm": True}),
    ("x as text (the writer fails)", {"x_mm": "5"}),
    ("rotation out of range", {"rotation_deg": 720.0}),
    ("rotation NaN", {"rotation_deg": math.nan}),
    ("label too long", {"label": "x" * 201}),
    ("label not text", {"label": 5}),
    ("id with a line break", {"id": "r\n1"}),
    ("id empty", {"id": ""}),
    ("id blank", {"id": "   "}),
    ("id too long", {"id": "r" * 201}),
    ("id a list", {"id": ["r1"]}),
    ("id of a hall", {"id": "hall-1"}),
    ("id of a pod", {"id": "pod-1"}),
    ("id of a connection", {"id": "c3"}),
    ("id of a scenario", {"id": "sc-1"}),
    ("id of another item", {"id": "ups-a"}),
    ("unknown catalog entry", {"catalog_id": "nope"}),
    ("catalog id a list", {"catalog_id": ["ups"]}),
    ("unknown hall", {"hall_id": "nowhere"}),
    ("unknown pod", {"pod_id": "pod-9"}),
    ("pod id with a tab", {"pod_id": "pod\t1"}),
    ("group with a NUL", {"group": "g\x00"}),
    ("design kW out of range", {"design_kw": 1e9}),
    ("design kW negative", {"design_kw": -1.0}),
    ("design kW NaN", {"design_kw": math.nan}),
    ("workload as text (the writer fails)", {"workload": "ai"}),
    ("liquid fraction above 1", {"liquid_fraction": 1.5}),
    ("weight out of range", {"weight_kg": 2e4}),
    ("weight zero", {"weight_kg": 0.0}),
    ("one phase", {"phase": Phase.L1}),
    ("in-service year out of range", {"in_service_year": 1800}),
    ("in-service year a float", {"in_service_year": 2030.0}),
    ("in-service year a boolean", {"in_service_year": True}),
    ("retirement before service", {"in_service_year": 2030, "retirement_year": 2030}),
]


@pytest.mark.parametrize("index", [0, 1, 3, 4, 9, 17])
@pytest.mark.parametrize(("case", "fields"), ITEM_CASES, ids=[case for case, _ in ITEM_CASES])
def test_a_broken_item_is_refused_as_the_loader_refuses_it(
        block_size: int, index: int, case: str, fields: dict[str, object]) -> None:
    project = campus()
    put_item(project, index, **fields)
    assert_same(project)


CONNECTION_CASES: list[tuple[str, dict[str, object]]] = [
    ("unknown source", {"source_id": "ghost"}),
    ("unknown target", {"target_id": "ghost"}),
    ("source not text", {"source_id": 5}),
    ("target a list", {"target_id": ["rack-1"]}),
    ("source with a line break", {"source_id": "ups\na"}),
    ("to itself", {"source_id": "rack-1", "target_id": "rack-1"}),
    ("id of an item", {"id": "rack-1"}),
    ("id of a hall", {"id": "hall-1"}),
    ("id of a pod", {"id": "pod-1"}),
    ("id of a scenario", {"id": "sc-1"}),
    ("id of another connection", {"id": "c1"}),
    ("id with a tab", {"id": "c\t1"}),
    ("id empty", {"id": ""}),
    ("kind as text (written as the other kind's record)", {"kind": "power"}),
    ("cooling with a feed", {"kind": ConnectionKind.COOLING, "feed": FeedSide.A}),
    ("feed missing (the writer fails)", {"feed": None}),
    ("medium as text", {"medium": "air"}),
]


@pytest.mark.parametrize("index", [0, 2, 4, 5, 16])
@pytest.mark.parametrize(("case", "fields"), CONNECTION_CASES, ids=[case for case, _ in CONNECTION_CASES])
def test_a_broken_connection_is_refused_as_the_loader_refuses_it(
        block_size: int, index: int, case: str, fields: dict[str, object]) -> None:
    project = campus()
    put_connection(project, index, **fields)
    assert_same(project)


def _small_section_cases() -> list[tuple[str, Callable[[Project], None]]]:
    def pod_in_no_hall(project: Project) -> None:
        project._pods["pod-2"] = PodInstance("pod-2", "tpl", "nowhere")

    def pod_named_as_hall(project: Project) -> None:
        project._pods["hall-1"] = PodInstance("hall-1", "tpl", "hall-1")

    def pod_years_reversed(project: Project) -> None:
        project._pods["pod-1"] = replace(project.pods["pod-1"], retirement_year=2020)

    def hall_of_two_points(project: Project) -> None:
        project._halls["hall-2"] = Hall("hall-2", "Two", ((0, 0), (5000, 5000)))

    def hall_named_as_item(project: Project) -> None:
        project._halls["rack-1"] = Hall("rack-1", "Rack", ((0, 0), (5000, 0), (5000, 5000)))

    def scenario_named_as_connection(project: Project) -> None:
        project._scenarios["p3"] = Scenario("p3", "Dup")

    def scenario_named_as_item(project: Project) -> None:
        project._scenarios["r5"] = Scenario("r5", "Dup")

    def unknown_active_scenario(project: Project) -> None:
        project.set_settings(replace(project.settings, active_scenario_id="later"))

    def unknown_air_class(project: Project) -> None:
        project.set_settings(replace(project.settings, air_class="Z9"))

    def derating_out_of_range(project: Project) -> None:
        project.set_settings(DesignSettings(continuous_derating=0.0))

    def long_title(project: Project) -> None:
        project.set_metadata(Metadata(title="t" * 501))

    def scenario_without_years(project: Project) -> None:
        project._scenarios["sc-2"] = Scenario("sc-2", "Empty", years=())

    def custom_entry_without_a_size(project: Project) -> None:
        project.set_custom_catalog_entry(make_entry("my.rack", ItemKind.RACK, Role.RACK, width_mm=-5.0))
        put_item(project, 9, catalog_id="my.rack")

    return [(function.__name__, function) for function in (
        pod_in_no_hall, pod_named_as_hall, pod_years_reversed, hall_of_two_points, hall_named_as_item,
        scenario_named_as_connection, scenario_named_as_item, unknown_active_scenario, unknown_air_class,
        derating_out_of_range, long_title, scenario_without_years, custom_entry_without_a_size)]


@pytest.mark.parametrize(("case", "breaking"), _small_section_cases(), ids=[case for case, _ in _small_section_cases()])
def test_a_broken_small_section_is_refused_as_the_loader_refuses_it(
        block_size: int, case: str, breaking: Callable[[Project], None]) -> None:
    project = campus()
    breaking(project)
    assert assert_same(project) is not None


def test_an_item_of_the_project_s_own_catalog_entry_passes(block_size: int) -> None:
    project = campus()
    project.set_custom_catalog_entry(make_entry("my.rack", ItemKind.RACK, Role.RACK, capacity_kw=30.0))
    project.update_items([replace(project.items["r4"], catalog_id="my.rack")])
    assert assert_same(project) is None
    put_item(project, 11, catalog_id="my.rock")  # r5: no such entry, in the bundled catalog or the project's
    assert assert_same(project) == ("ProjectFileError", "unknown catalog id 'my.rock'", "$.items[11].catalog_id")


# ====================================================================== which problem comes first
def test_a_read_problem_late_comes_before_a_reference_problem_early(block_size: int) -> None:
    project = campus()
    put_item(project, 0, catalog_id="nope")  # a reference: reported after every record is read
    put_connection(project, 16, id="p\n15")  # a read problem in the last block
    assert assert_same(project) == ("ProjectFileError", "an id must not contain control or invisible characters "
                                    "(U+000A at 1)", "$.connections[16].id")


def test_a_reference_problem_late_comes_before_an_override_problem_early(block_size: int) -> None:
    project = campus()
    put_item(project, 1, design_kw=0.0)  # a UPS rated 0 kW: an override problem
    project._scenarios["c5"] = Scenario("c5", "Dup")  # an id of a connection, claimed last
    assert assert_same(project) == ("ProjectFileError", "duplicate id 'c5' (first used at $.connections[4].id)",
                                    "$.scenarios[1].id")


def test_the_first_of_two_problems_of_a_kind_is_the_one_reported(block_size: int) -> None:
    project = campus()
    put_item(project, 15, x_mm=9e11)
    put_item(project, 4, y_mm=math.nan)
    assert assert_same(project) == ("ProjectFileError", "must be a finite number", "$.items[4].y_mm")
    project = campus()
    put_item(project, 16, weight_kg=0.0)
    put_item(project, 12, weight_kg=0.0)
    assert assert_same(project) == ("ProjectFileError", "'r6': A weight must be above 0 kg (without an override "
                                    "the catalog weight applies)", "$.items[12].weight_kg")


def test_too_many_items_or_connections(monkeypatch: pytest.MonkeyPatch, block_size: int) -> None:
    monkeypatch.setattr(project_file, "MAX_ITEMS", 17)
    assert assert_same(campus()) == ("ProjectFileError", "has 18 entries, more than the limit of 17", "$.items")
    monkeypatch.setattr(project_file, "MAX_ITEMS", 6)
    project = build_small_project()  # 6 items, and 5 + 20 = 25 connections: more than 4 x 6
    project.add_connections([Connection(f"x{n}", ConnectionKind.POWER, "util-1", "ups-a") for n in range(20)])
    assert assert_same(project) == ("ProjectFileError", "has 25 entries, more than the limit of 24",
                                    "$.connections")


def test_every_bundled_example_passes() -> None:
    catalog = load_catalog(include_user=False)
    paths = sorted(examples_dir().glob("*.dcplan"))
    assert paths
    for path in paths:
        check_loadable(load_project(path, catalog), catalog)  # the loader took the file: the check takes its design


def test_the_override_check_names_a_block_s_items_by_their_place_in_the_file() -> None:
    """``start``: the index of the block's first item in the file's list (12 + 1 = 13)."""
    rack = PlacedItem("r", "rack.i", "hall-1", 0.0, 0.0, weight_kg=0.0)
    with pytest.raises(ProjectFileError) as caught:
        check_item_overrides([replace(rack, weight_kg=500.0), rack], CATALOG, start=12)
    assert caught.value.json_path == "$.items[13].weight_kg"


# ====================================================================== any mix of broken records
ITEM_VALUES: dict[str, list[object]] = {
    "id": ["", "r\n1", "hall-1", "pod-1", "c2", "sc-1", "ups-b", "r" * 201, "new-id"],
    "catalog_id": ["nope", "ups", "rack.t", ["x"]],
    "hall_id": ["nowhere", "hall-1"],
    "x_mm": [9e11, math.nan, 5, True, 1e7, -1e7 - 1],
    "rotation_deg": [720.0, -360.0, 0.0, None, math.nan, 45.0],
    "label": ["x" * 201, "", None, 5, "ok"],
    "pod_id": ["pod-9", "pod-1", "", None],
    "group": ["g", "g\x00", ""],
    "design_kw": [0.0, -1.0, 1e9, 25, math.nan, True, None],
    "workload": [WorkloadClass.TRAINING, None],
    "liquid_fraction": [1.5, 0.5, -0.1],
    "weight_kg": [0.0, 500.0, 2e4],
    "phase": [Phase.L1, Phase.ALL],
    "in_service_year": [1800, 2030, 2030.0, True, None],
    "retirement_year": [2029, 2040, 3000],
}
CONNECTION_VALUES: dict[str, list[object]] = {
    "id": ["", "rack-1", "hall-1", "c2", "a\tb", "sc-1", "new-id"],
    "source_id": ["ghost", "rack-1", "", 5, "util-1"],
    "target_id": ["ghost", "rack-2", "ups-a", ["x"]],
    "kind": [ConnectionKind.POWER, ConnectionKind.COOLING],
    "feed": [FeedSide.A, FeedSide.SINGLE],
    "medium": [CoolingMedium.LIQUID, CoolingMedium.AIR],
}


def _edits(values: dict[str, list[object]]) -> st.SearchStrategy[tuple[int, str, object]]:
    return st.sampled_from(sorted(values)).flatmap(
        lambda field: st.tuples(st.integers(0, 40), st.just(field), st.sampled_from(values[field])))


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(item_edits=st.lists(_edits(ITEM_VALUES), max_size=3),
       connection_edits=st.lists(_edits(CONNECTION_VALUES), max_size=3),
       block=st.sampled_from(BLOCK_SIZES))
def test_any_mix_of_broken_records_is_refused_as_the_loader_refuses_it(
        item_edits: list[tuple[int, str, object]], connection_edits: list[tuple[int, str, object]], block: int) -> None:
    project = campus()
    for index, field, value in item_edits:
        put_item(project, index, **{field: value})
    for index, field, value in connection_edits:
        put_connection(project, index, **{field: value})
    saved = load_check.ROWS_PER_BLOCK
    load_check.ROWS_PER_BLOCK = block  # not monkeypatch: hypothesis runs many examples in one test
    try:
        new = outcome(check_loadable, project)
    finally:
        load_check.ROWS_PER_BLOCK = saved
    assert new == outcome(old_check, project)


# ====================================================================== the plain checks are the reader's
# A block the plain checks pass is never written nor read: each must pass only records the reader's own
# fast path reads back as they are (a rule narrowed in the reader and not here fails these).
EDGES = [edge + step for base in (0, 1, 200, 360, 1e4, 2e4, 1e7, 2**53)
         for edge in (base, -base, 1.5 * base) for step in (0, -1, 1, -0.5, 0.5)]
GRID: list[object] = [
    *EDGES, *map(int, EDGES), 1899, 1900, 2200, 2201, math.nan, math.inf, -math.inf, True, False, None,
    "", "a", "a b", " ", "\n", "x\u200b", "r" * 200, "r" * 201, "rack-1", "ups-a", [None],
    *WorkloadClass, *Phase, *FeedSide, *CoolingMedium, *ConnectionKind]
"""Values at and beside every limit of the reader's, and of every type a field could hold by mistake."""
ANY_VALUE = st.one_of(st.sampled_from(GRID), st.floats(), st.integers(), st.text(max_size=3))
GOOD_ITEM = PlacedItem("rack-1", "rack.t", "hall-1", 100.0, 200.0, 90.0, "R1", "pod-1", "g1", 25.0,
                       WorkloadClass.AI, 0.5, 900.0, Phase.ALL, 2027, 2035)
GOOD_CONNECTION = Connection("c1", ConnectionKind.POWER, "ups-a", "rack-1", FeedSide.A)


def test_every_value_of_the_grid_a_plain_item_or_connection_takes_is_one_the_reader_takes() -> None:
    for field in GOOD_ITEM.__dataclass_fields__:
        for value in GRID:
            check_plain_item({field: value})
    for field in GOOD_CONNECTION.__dataclass_fields__:
        for value in GRID:
            check_plain_connection({field: value})


@settings(max_examples=600, deadline=None, derandomize=True)
@given(fields=st.dictionaries(st.sampled_from(sorted(GOOD_ITEM.__dataclass_fields__)), ANY_VALUE, max_size=2))
def test_a_plainly_readable_item_is_read_by_the_reader_as_it_is(fields: dict[str, object]) -> None:
    check_plain_item(fields)


def check_plain_item(fields: dict[str, object]) -> None:
    item = replace(GOOD_ITEM, **fields)
    if not load_check._items_plain([item]):
        return
    read = project_file._items_fast([project_file._item_to_dict(item)])
    assert read is not None
    for name in ("id", "catalog_id", "hall_id", "pod_id", "design_kw", "liquid_fraction", "weight_kg", "phase"):
        assert getattr(read[0], name) == getattr(item, name), name


@settings(max_examples=400, deadline=None, derandomize=True)
@given(fields=st.dictionaries(st.sampled_from(sorted(GOOD_CONNECTION.__dataclass_fields__)), ANY_VALUE, max_size=2))
def test_a_plainly_readable_connection_is_read_by_the_reader_as_it_is(fields: dict[str, object]) -> None:
    check_plain_connection(fields)


def check_plain_connection(fields: dict[str, object]) -> None:
    connection = replace(GOOD_CONNECTION, **fields)
    items = {"ups-a": 1, "rack-1": 2, "rack-2": 3}.keys()  # ids the reader takes
    columns = load_check._ConnectionColumns.of([connection], items)
    if columns is None or not columns.plain([connection]):
        return
    read = project_file._connections_fast(project_file._connections_to_dicts([connection]))
    assert read is not None
    for name in ("id", "source_id", "target_id"):
        assert getattr(read[0], name) == getattr(connection, name), name
