"""Project files (.dcplan): JSON with a format name and schema version; validated before the model is built.

Reading: size limit -> strict UTF-8 -> JSON without NaN/Infinity -> schema upgrade -> field-by-field
validation with the JSON path of the first bad field -> cross references -> Project.
Writing: serialise to memory, write a temp file in the same folder, fsync, keep the old file as
``<name>.bak``, then atomically replace. Nothing in a file can execute code.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat, starmap
from operator import attrgetter, eq
from pathlib import Path
from typing import Any, TypeVar, cast

import msgspec
from msgspec import UNSET

from designer.io.atomic_write import atomic_write_bytes
from designer.io.atomic_write import write_export as write_export  # re-exported: exports import it from here
from designer.io.catalog_io import entry_to_dict, read_entry
from designer.io.climate_io import read_site_climate, site_climate_to_dict
from designer.io.economics_io import (
    SITE_CARBON_FIELDS,
    economics_settings_to_dict,
    read_economics_settings,
    read_site_carbon,
    site_carbon_to_dict,
)
from designer.io.errors import FileFormatError, ProjectFileError
from designer.io.gc_pause import gc_paused
from designer.io.item_overrides import check_item_overrides
from designer.io.migrations import CURRENT_SCHEMA_VERSION, PROJECT_FORMAT, upgrade
from designer.io.project_wire import WireProject, read_wire
from designer.io.reader import Node
from designer.io.safe_read import check_json_budget, parse_json, quoted, read_regular_file, size_text
from designer.io.underlay_io import read_underlay, underlay_to_dict
from designer.model.catalog import Catalog, CatalogEntry
from designer.model.limits import AIR_CLASSES, LIQUID_CLASSES
from designer.model.phasing import YEAR_MAX, YEAR_MIN
from designer.model.project import ModelError, Project
from designer.model.records import (
    Connection,
    DesignOption,
    DesignSettings,
    Door,
    Hall,
    Metadata,
    Obstacle,
    PlacedItem,
    PodInstance,
    Scenario,
    ScenarioYear,
    Site,
    UserRegion,
)
from designer.model.types import (
    AirManagement,
    ConnectionKind,
    CoolingMedium,
    FeedSide,
    FloorType,
    ObstacleKind,
    Phase,
    WorkloadClass,
)

T = TypeVar("T")

PROJECT_SUFFIX = ".dcplan"
MAX_PROJECT_BYTES = 100 * 1024 * 1024
"""A 50,000-rack campus is about 58 MiB (measured for issue 14); anything beyond this is refused before it is read."""
MAX_COORDINATE_MM = 10_000_000.0  # 10 km: no hall is larger
MAX_ITEMS = 500_000
MAX_WEIGHT_KG = 10_000.0
"""An item's weight override; the role-specific rules are in ``item_overrides``."""
MAX_DESIGN_KW = 10_000.0
"""An item's design kW override (its rating for equipment); the role-specific rules are in ``item_overrides``."""
MAX_ROTATION_DEG = 360.0
"""An item's rotation as written, either way (read modulo 360)."""
MAX_LABEL_CHARS = 200
"""An item's label."""

TOP_FIELDS = frozenset(
    {
        "format",
        "schema_version",
        "metadata",
        "site",
        "settings",
        "catalog",
        "halls",
        "pods",
        "items",
        "connections",
        "scenarios",
    }
)


# ====================================================================== reading
def load_project(path: Path, catalog: Catalog) -> Project:
    """Read and validate a project file; raises ProjectFileError naming the file, JSON path and problem."""
    path = Path(path)

    def read() -> bytes:
        return read_regular_file(
            path, max_bytes=MAX_PROJECT_BYTES, error=lambda problem: ProjectFileError(problem, file=path))

    raw = read()
    try:
        with gc_paused():
            wire = _fast_wire(raw)
            if wire is not None:
                del raw  # the records are read: the file's bytes (58 MB at 50k racks) go before the model is built
                project = _project_of_wire(wire, catalog)
                if project is not None:
                    return project
                del wire
                raw = read()  # refused by the model (a duplicate id, a dangling end): the checking reader words it
            document = document_from_text(raw)
            del raw  # the file's bytes (and the decoded text) are not kept while the records are built
            return project_from_document(document, catalog, consume=True)
    except FileFormatError as error:
        raise ProjectFileError(error.problem, json_path=error.json_path, file=path) from None


def project_from_text(raw: bytes | str, catalog: Catalog) -> Project:
    """A project from the bytes of a file."""
    if isinstance(raw, bytes):
        project = _fast_project(raw, catalog)
        if project is not None:
            return project
    return project_from_document(document_from_text(raw), catalog, consume=True)


def _fast_project(raw: bytes, catalog: Catalog) -> Project | None:
    """The project by the fast path (``project_wire``: msgspec decodes the big lists into checked
    records), or None when the file is not plainly valid: then the checking reader reads it again
    from the start, so every error is found and worded as it always was."""
    wire = _fast_wire(raw)
    return None if wire is None else _project_of_wire(wire, catalog)


def _fast_wire(raw: bytes) -> WireProject | None:
    """The file's records by the fast path, or None when the checking reader must read it."""
    if len(raw) > MAX_PROJECT_BYTES:
        return None
    return read_wire(raw, colons=check_json_budget(raw, ProjectFileError))


def _project_of_wire(wire: WireProject, catalog: Catalog) -> Project | None:
    """The project of the fast path's records, or None when the model refuses them."""
    try:
        return project_from_document(wire.document, catalog, records={"items": wire.items,
                                                                      "connections": wire.connections})
    except FileFormatError:
        return None


def document_from_text(raw: bytes | str) -> object:
    """The parsed document of a file's bytes (size, UTF-8, JSON and Unicode checks; not yet validated)."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_PROJECT_BYTES:
            raise ProjectFileError(f"document is larger than the limit of {size_text(MAX_PROJECT_BYTES)}")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ProjectFileError(f"not valid UTF-8 text (byte {error.start})") from None
    else:
        text = raw
    document = parse_json(text, error=ProjectFileError, path_error=_error_at)
    # A \udXXX escape can smuggle in a lone surrogate: such a project would load but never save.
    if _SURROGATE_ESCAPE.search(text) or (not isinstance(raw, bytes) and not _encodes_as_utf8(text)):
        bad_path = _lone_surrogate_path(document)
        if bad_path is not None:
            raise ProjectFileError("contains a lone surrogate (not valid Unicode text)", json_path=bad_path)
    return document


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _encodes_as_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _lone_surrogate_path(document: object) -> str | None:
    """The JSON path of the first string (value or key) that is not valid Unicode; iterative: JSON nests deep."""
    stack: list[tuple[object, str]] = [(document, "$")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if not _encodes_as_utf8(value):
                return path
        elif isinstance(value, dict):
            for key, child in value.items():
                if not _encodes_as_utf8(key):
                    return path
                stack.append((child, f"{path}.{key}"))
        elif isinstance(value, list):
            stack.extend((child, f"{path}[{index}]") for index, child in enumerate(value))
    return None


def _error_at(problem: str, json_path: str) -> ProjectFileError:
    return ProjectFileError(problem, json_path=json_path)


def project_from_document(document: object, catalog: Catalog, *, consume: bool = False,
                          records: dict[str, list[Any]] | None = None) -> Project:
    """Validate a parsed document completely, then build the Project.

    ``consume``: the caller hands the document over, so each big list is dropped from it once read
    (a 50,000-rack campus's JSON tree is a few hundred MB; the records are built without it).
    ``records``: the items and connections, already read and checked record by record (the fast
    path of ``project_wire``); the document then has no such lists. Their references are then
    left to the model (it refuses any duplicate id or dangling reference with a ModelError, raised
    as a ProjectFileError without a path: the fast path's caller then uses the checking reader).
    """
    prebuilt = records or {}
    if not isinstance(document, dict):
        raise ProjectFileError("expected a JSON object at the top level")
    document = upgrade(document)
    head = read_head(document, catalog)
    root, custom_entries, full_catalog, settings = head.root, head.custom_entries, head.catalog, head.settings
    halls, pods = head.halls, head.pods
    project = Project(metadata=head.metadata, site=head.site, settings=settings)
    items = prebuilt.get("items") or _read_list(root, "items", _read_item, max_count=MAX_ITEMS, fast=_items_fast)
    if consume:
        document["items"] = None
    connections = prebuilt.get("connections") or _read_list(
        root, "connections", _read_connection, max_count=4 * MAX_ITEMS, fast=_connections_fast)
    if consume:
        document["connections"] = None
    scenarios = _read_list(root, "scenarios", _read_scenario, max_count=1_000)
    if records is None or not _known_catalog_ids_and_scenario(items, scenarios, full_catalog, settings):
        _check_references(root, halls, pods, items, connections, scenarios, full_catalog, settings)
    # else (the fast path) the model's own checks below find a duplicate id or a dangling reference,
    # and its caller then reads the file again with the checking reader, which words the error
    check_item_overrides(items, full_catalog)
    try:
        for entry in custom_entries:
            project.set_custom_catalog_entry(entry)
        for hall in halls:
            project.add_hall(hall)
        project.add_pods(pods)
        project.add_items(items)
        project.add_connections(connections)
        for scenario in scenarios:
            project.add_scenario(scenario)
    except ModelError as error:  # _check_references should have caught it; never let it escape raw
        raise ProjectFileError(str(error)) from None
    return project


@dataclass(frozen=True, slots=True)
class Head:
    """The sections of an (upgraded) document before its big lists, read and checked in the reader's order."""

    root: Node
    custom_entries: list[CatalogEntry]
    catalog: Catalog
    """The catalog with the project's own entries over it."""
    settings: DesignSettings
    metadata: Metadata
    site: Site
    halls: list[Hall]
    pods: list[PodInstance]


def read_head(document: dict[str, Any], catalog: Catalog) -> Head:
    """The document's catalog, settings, metadata, site, halls and pods, as the loader reads them (for the
    loader and the save's check, ``load_check``: the same order, so the same first error)."""
    root = Node(document, "$", ProjectFileError)
    root.reject_unknown(TOP_FIELDS)
    custom_entries = _read_list(root, "catalog", read_entry, max_count=10_000)
    full_catalog = catalog.merged(custom_entries)
    settings = _read_settings(root.optional("settings"))
    check_settings_classes(root.optional("settings"))
    metadata = _read_metadata(root.optional("metadata"))
    site = _read_site(root.optional("site"))
    halls = _read_list(root, "halls", _read_hall, max_count=1_000)
    pods = _read_list(root, "pods", _read_pod, max_count=100_000)
    return Head(root, custom_entries, full_catalog, settings, metadata, site, halls, pods)


def _read_list(root: Node, key: str, read: Callable[[Node], T], *, max_count: int,
               fast: Callable[[object], list[T] | None] | None = None) -> list[T]:
    """The records of the list at ``key``; ``fast`` may read a whole list of plainly valid records at
    once (None when any is not, then every record goes through ``read`` and its checks)."""
    node = root.optional(key)
    if node is None:
        return []
    if fast is not None and isinstance(node.value, list) and len(node.value) <= max_count:
        records = fast(node.value)
        if records is not None:
            return records
    return [read(element) for element in node.elements(max_count=max_count)]


def _opt_string(node: Node, key: str, default: str = "", max_chars: int = 10_000) -> str:
    child = node.optional(key)
    return default if child is None else child.string(max_chars=max_chars)


def _opt_number(node: Node, key: str, default: float, **limits: float) -> float:
    child = node.optional(key)
    return default if child is None else child.number(**limits)


def _id(node: Node, key: str = "id") -> str:
    return node.child(key).identifier()


def _read_metadata(node: Node | None) -> Metadata:
    if node is None:
        return Metadata()
    node.reject_unknown(frozenset({"title", "author", "revision", "notes", "options"}))
    options = node.optional("options")
    return Metadata(
        title=_opt_string(node, "title", Metadata().title, 500),
        author=_opt_string(node, "author", "", 500),
        revision=_opt_string(node, "revision", Metadata().revision, 100),
        notes=_opt_string(node, "notes", "", 1_000_000),
        options=() if options is None else _read_options(options),
    )


MAX_OPTIONS = 16
"""Options listed in one project (each is analysed in every scenario year when compared)."""


def option_file_problem(text: str) -> str | None:
    """Why ``text`` cannot name an option's file (None when it can): a relative path to a .dcplan file
    in this project's folder or below, so a project never points a reader at files elsewhere."""
    parts = text.replace("\\", "/").split("/")
    if text.startswith(("/", "\\")) or (len(text) > 1 and text[1] == ":"):
        return "must be a path relative to the project's folder"
    if any(part in ("", ".", "..") for part in parts):
        return "must name a file in the project's folder or below (no '..', '.' or empty parts)"
    if not text.lower().endswith(".dcplan"):
        return "must name a .dcplan file"
    return None


def _read_options(node: Node) -> tuple[DesignOption, ...]:
    options: list[DesignOption] = []
    for element in node.elements(max_count=MAX_OPTIONS):
        element.reject_unknown(frozenset({"name", "file"}))
        name = element.child("name").string(allow_empty=False, max_chars=200)
        file_node = element.child("file")
        file = file_node.identifier(max_chars=500)
        problem = option_file_problem(file)
        if problem is not None:
            raise file_node.fail(f"{file!r} {problem}")
        if any(option.name == name for option in options):
            raise element.child("name").fail(f"option {name!r} is listed twice")
        options.append(DesignOption(name, file))
    return tuple(options)


def _read_site(node: Node | None) -> Site:
    if node is None:
        return Site()
    node.reject_unknown(
        frozenset(
            {"name", "latitude_deg", "longitude_deg", "utc_offset_h", "climate_id", "design_ambient_c", "user_regions",
             "climate", *SITE_CARBON_FIELDS}
        )
    )
    climate_node = node.optional("climate")
    regions = []
    regions_node = node.optional("user_regions")
    if regions_node is not None:
        for region in regions_node.elements(max_count=1_000):
            region.reject_unknown(frozenset({"name", "latitude_deg", "longitude_deg"}))
            regions.append(
                UserRegion(
                    name=region.child("name").string(allow_empty=False, max_chars=200),
                    latitude_deg=region.child("latitude_deg").number(minimum=-90, maximum=90),
                    longitude_deg=region.child("longitude_deg").number(minimum=-180, maximum=180),
                )
            )
    return Site(
        name=_opt_string(node, "name", Site().name, 300),
        latitude_deg=_opt_number(node, "latitude_deg", 0.0, minimum=-90, maximum=90),
        longitude_deg=_opt_number(node, "longitude_deg", 0.0, minimum=-180, maximum=180),
        utc_offset_h=_opt_number(node, "utc_offset_h", 0.0, minimum=-14, maximum=14),
        climate_id=_opt_string(node, "climate_id", "", 100),
        design_ambient_c=_opt_number(node, "design_ambient_c", Site().design_ambient_c, minimum=-60, maximum=70),
        user_regions=tuple(regions),
        climate=read_site_climate(climate_node) if climate_node is not None else None,
        **read_site_carbon(node),  # type: ignore[arg-type]
    )


def _read_settings(node: Node | None) -> DesignSettings:
    if node is None:
        return DesignSettings()
    node.reject_unknown(
        frozenset({"air_class", "liquid_class", "continuous_derating", "min_aisle_mm", "active_scenario_id",
                   "economics", *_AIR_LOOP_LIMITS, *_ELECTRICAL_LIMITS, *_ELECTRICAL_CHOICES})
    )
    defaults = DesignSettings()
    electrical: dict[str, Any] = {
        key: _opt_number(node, key, getattr(defaults, key), minimum=low, maximum=high)
        for key, (low, high) in _ELECTRICAL_LIMITS.items()}
    for key, choices in _ELECTRICAL_CHOICES.items():
        value = node.optional(key)
        if value is not None:
            text = value.string(max_chars=20)
            if text not in choices:
                raise value.fail(f"{text!r} is not one of: {', '.join(choices)}")
            electrical[key] = text
    air_loop: dict[str, Any] = {
        key: node.child(key).number(minimum=low, maximum=high) if node.optional(key) is not None else None
        for key, (low, high) in _AIR_LOOP_LIMITS.items()}
    return DesignSettings(
        air_class=_opt_string(node, "air_class", DesignSettings().air_class, 20),
        liquid_class=_opt_string(node, "liquid_class", DesignSettings().liquid_class, 20),
        continuous_derating=_opt_number(node, "continuous_derating", 0.8, above=0, maximum=1),
        min_aisle_mm=_opt_number(node, "min_aisle_mm", 1200.0, minimum=0, maximum=20_000),
        active_scenario_id=_opt_string(node, "active_scenario_id", "", 200),
        economics=read_economics_settings(node.optional("economics")),
        **air_loop,
        **electrical,
    )


_AIR_LOOP_LIMITS: dict[str, tuple[float, float]] = {
    "supply_air_c": (10.0, 45.0),
    "coil_approach_k": (0.5, 20.0),
    "economiser_approach_k": (0.0, 10.0),
    "chilled_water_rise_k": (1.0, 20.0),
}
"""Optional air-loop settings (absent = catalog default) and their accepted ranges."""
_ELECTRICAL_LIMITS: dict[str, tuple[float, float]] = {
    "phase_imbalance_limit": (0.0, 1.0),
    "cable_slack": (0.0, 1.0),
    "cable_vertical_mm": (0.0, 20_000.0),
    "voltage_drop_limit": (0.001, 0.2),
    "utility_ramp_kw_per_s": (0.1, 1e7),
}
"""Electrical settings (absent = the ``DesignSettings`` default) and their accepted ranges."""
_ELECTRICAL_CHOICES: dict[str, tuple[str, ...]] = {
    "conductor_material": ("copper", "aluminium"),
    "cable_standard": ("iec", "nec"),
}


def _polygon(node: Node, *, min_points: int) -> tuple[tuple[float, float], ...]:
    points = []
    for point_node in node.elements(max_count=100_000):
        x_mm, y_mm = point_node.point()
        if abs(x_mm) > MAX_COORDINATE_MM or abs(y_mm) > MAX_COORDINATE_MM:
            raise point_node.fail("coordinate is more than 10 km from the origin")
        points.append((x_mm, y_mm))
    if len(points) < min_points:
        raise node.fail(f"needs at least {min_points} points, has {len(points)}")
    return tuple(points)


def _read_hall(node: Node) -> Hall:
    node.reject_unknown(
        frozenset(
            {
                *("id", "name", "outline_mm", "tile_mm", "floor_rating_kg_m2", "floor_type"),
                *("obstacles", "doors", "underlay", "air_management"),
                *("site_x_mm", "site_y_mm", "site_rotation_deg"),
            }
        )
    )
    outline = _polygon(node.child("outline_mm"), min_points=3)
    xs = [p[0] for p in outline]
    ys = [p[1] for p in outline]
    if max(xs) - min(xs) < 1000 or max(ys) - min(ys) < 1000:
        raise node.child("outline_mm").fail("hall is smaller than 1 m across")
    obstacles = []
    obstacles_node = node.optional("obstacles")
    if obstacles_node is not None:
        for obstacle in obstacles_node.elements(max_count=100_000):
            obstacle.reject_unknown(frozenset({"id", "kind", "polygon_mm", "label"}))
            obstacles.append(
                Obstacle(
                    id=_id(obstacle),
                    kind=obstacle.child("kind").choice(ObstacleKind),
                    polygon_mm=_polygon(obstacle.child("polygon_mm"), min_points=2),
                    label=_opt_string(obstacle, "label", "", 200),
                )
            )
    doors = []
    doors_node = node.optional("doors")
    if doors_node is not None:
        for door in doors_node.elements(max_count=10_000):
            door.reject_unknown(frozenset({"id", "x_mm", "y_mm", "width_mm", "rotation_deg", "label"}))
            doors.append(
                Door(
                    id=_id(door),
                    x_mm=door.child("x_mm").number(minimum=-MAX_COORDINATE_MM, maximum=MAX_COORDINATE_MM),
                    y_mm=door.child("y_mm").number(minimum=-MAX_COORDINATE_MM, maximum=MAX_COORDINATE_MM),
                    width_mm=door.child("width_mm").number(above=0, maximum=20_000),
                    rotation_deg=_opt_number(door, "rotation_deg", 0.0, minimum=-360, maximum=360),
                    label=_opt_string(door, "label", "", 200),
                )
            )
    floor_type_node = node.optional("floor_type")
    air_node = node.optional("air_management")
    underlay_node = node.optional("underlay")
    site_x, site_y = node.optional("site_x_mm"), node.optional("site_y_mm")
    if (site_x is None) != (site_y is None):
        raise (site_x or site_y or node).fail("a hall's site position needs both site_x_mm and site_y_mm")
    site_limits = {"minimum": -MAX_COORDINATE_MM, "maximum": MAX_COORDINATE_MM}
    return Hall(
        id=_id(node),
        name=node.child("name").string(allow_empty=False, max_chars=300),
        outline_mm=outline,
        tile_mm=_opt_number(node, "tile_mm", 600.0, minimum=100, maximum=3000),
        floor_rating_kg_m2=_opt_number(node, "floor_rating_kg_m2", 1200.0, above=0, maximum=100_000),
        floor_type=floor_type_node.choice(FloorType) if floor_type_node else FloorType.SLAB,
        air_management=air_node.choice(AirManagement) if air_node else AirManagement.FULL,
        obstacles=tuple(obstacles),
        doors=tuple(doors),
        underlay=read_underlay(underlay_node) if underlay_node is not None else None,
        site_x_mm=site_x.number(**site_limits) if site_x is not None else None,
        site_y_mm=site_y.number(**site_limits) if site_y is not None else None,
        site_rotation_deg=_opt_number(node, "site_rotation_deg", 0.0, minimum=-360, maximum=360) % 360.0,
    )


def _read_pod(node: Node) -> PodInstance:
    node.reject_unknown(frozenset({"id", "template_id", "hall_id", "label", "in_service_year", "retirement_year"}))
    in_service, retirement = _read_years(node)
    return PodInstance(
        id=_id(node),
        template_id=node.child("template_id").identifier(),
        hall_id=_id(node, "hall_id"),
        label=_opt_string(node, "label", "", 300),
        in_service_year=in_service,
        retirement_year=retirement,
    )


def _read_years(node: Node) -> tuple[int | None, int | None]:
    """The optional in-service and retirement years of an item or pod, range-checked."""
    start_node, end_node = node.optional("in_service_year"), node.optional("retirement_year")
    start = start_node.integer(minimum=YEAR_MIN, maximum=YEAR_MAX) if start_node else None
    end = end_node.integer(minimum=YEAR_MIN, maximum=YEAR_MAX) if end_node else None
    if start is not None and end is not None and end <= start:
        assert end_node is not None
        raise end_node.fail(f"the retirement year {end} must come after the in-service year {start}")
    return start, end


ITEM_FIELDS = frozenset(
    {
        "id",
        "catalog_id",
        "hall_id",
        "x_mm",
        "y_mm",
        "rotation_deg",
        "label",
        "pod_id",
        "group",
        "design_kw",
        "workload",
        "liquid_fraction",
        "weight_kg",
        "phase",
        "in_service_year",
        "retirement_year",
    }
)


_WORKLOADS = {workload.value: workload for workload in WorkloadClass}
_ABSENT = object()


def _number_in(value: object, low: float, high: float) -> float | None:
    """``value`` as a float when it is a JSON number within [low, high] (NaN never is), else None."""
    if (type(value) is float or type(value) is int) and low <= value <= high:
        return float(value)
    return None


def _fast_plain_id(value: object) -> object:
    return value if _plain_id(value) else _ABSENT


def _fast_design_kw(value: object) -> object:
    number = _number_in(value, 0.0, MAX_DESIGN_KW)
    return _ABSENT if number is None else number


def _fast_weight(value: object) -> object:
    number = _number_in(value, 0.0, MAX_WEIGHT_KG)
    return _ABSENT if number is None else number


def _fast_year(value: object) -> object:
    return value if type(value) is int and YEAR_MIN <= value <= YEAR_MAX else _ABSENT


def _fast_workload(value: object) -> object:
    return _WORKLOADS.get(value, _ABSENT) if type(value) is str else _ABSENT


_PHASES = {phase.value: phase for phase in Phase}


def _fast_phase(value: object) -> object:
    return _PHASES.get(value, _ABSENT) if type(value) is str else _ABSENT


def _fast_fraction(value: object) -> object:
    number = _number_in(value, 0.0, 1.0)
    return _ABSENT if number is None else number


_ITEM_OPTIONALS: tuple[tuple[str, Callable[[object], object]], ...] = (
    ("pod_id", _fast_plain_id), ("group", _fast_plain_id), ("design_kw", _fast_design_kw),
    ("workload", _fast_workload), ("liquid_fraction", _fast_fraction), ("weight_kg", _fast_weight),
    ("phase", _fast_phase), ("in_service_year", _fast_year), ("retirement_year", _fast_year))


def _item_fast(value: object) -> PlacedItem | None:
    """The item, when the record is plainly valid; None sends it to the checking reader (see
    ``_connection_fast``)."""
    if type(value) is not dict or not value.keys() <= ITEM_FIELDS:
        return None
    get = value.get
    item_id, catalog_id, hall_id = get("id"), get("catalog_id"), get("hall_id")
    if not (_plain_id(item_id) and _plain_id(catalog_id) and _plain_id(hall_id)):
        return None
    x_mm = _number_in(get("x_mm"), -MAX_COORDINATE_MM, MAX_COORDINATE_MM)
    y_mm = _number_in(get("y_mm"), -MAX_COORDINATE_MM, MAX_COORDINATE_MM)
    rotation = get("rotation_deg")
    rotation_deg = 0.0 if rotation is None else _number_in(rotation, -MAX_ROTATION_DEG, MAX_ROTATION_DEG)
    label = get("label")
    if x_mm is None or y_mm is None or rotation_deg is None or not (
            label is None or (type(label) is str and len(label) <= MAX_LABEL_CHARS)):
        return None
    optional: dict[str, object] = {}
    for key, read in _ITEM_OPTIONALS:
        raw = get(key)
        if raw is None:
            optional[key] = None
            continue
        read_value = read(raw)
        if read_value is _ABSENT:
            return None
        optional[key] = read_value
    start, end = optional["in_service_year"], optional["retirement_year"]
    if start is not None and end is not None and end <= start:  # type: ignore[operator]
        return None
    return PlacedItem(item_id, catalog_id, hall_id, x_mm, y_mm, rotation_deg % 360.0,  # type: ignore[arg-type]
                      label or "", **optional)  # type: ignore[arg-type]


def _numbers_in(values: list[object], low: float, high: float) -> list[float] | None:
    """``_number_in`` of every value, in C loops; None when any is not a JSON number within [low, high]."""
    if not set(map(type, values)) <= {float, int}:
        return None
    numbers = cast(list[float], values)
    try:
        if any(map(math.isnan, numbers)) or (numbers and not (low <= min(numbers) and max(numbers) <= high)):
            return None
    except OverflowError:  # an integer beyond any float: the record reader says where
        return None
    return list(map(float, numbers))


def _items_fast(values: object) -> list[PlacedItem] | None:
    """Every item of the list, when all are plainly valid (the checks of ``_item_fast``, column by
    column, the optional fields by ``_ITEM_OPTIONALS``); None sends the list to the record-by-record
    reader, which finds and words what is wrong."""
    if type(values) is not list:
        return None
    if not values:
        return []
    if set(map(type, values)) != {dict} or not set().union(*values) <= ITEM_FIELDS:
        return None
    records: list[dict[str, object]] = values
    ids, catalog_ids, hall_ids = _column(records, "id"), _column(records, "catalog_id"), _column(records, "hall_id")
    if not (_plain_ids(ids) and _plain_ids(catalog_ids) and _plain_ids(hall_ids)):
        return None
    xs = _numbers_in(_column(records, "x_mm"), -MAX_COORDINATE_MM, MAX_COORDINATE_MM)
    ys = _numbers_in(_column(records, "y_mm"), -MAX_COORDINATE_MM, MAX_COORDINATE_MM)
    rotations = _numbers_in([0.0 if r is None else r for r in _column(records, "rotation_deg")],
                            -MAX_ROTATION_DEG, MAX_ROTATION_DEG)
    labels = _column(records, "label")
    if xs is None or ys is None or rotations is None or not set(map(type, labels)) <= {str, _NONE_TYPE} or max(
            (len(label) for label in labels if label is not None), default=0) > MAX_LABEL_CHARS:  # type: ignore[arg-type]
        return None
    optional: dict[str, list[object]] = {}
    for key, read in _ITEM_OPTIONALS:
        raw = _column(records, key)
        if raw.count(None) == len(raw):
            continue
        column = [None if value is None else read(value) for value in raw]
        if any(value is _ABSENT for value in column):
            return None
        optional[key] = column
    starts, ends = optional.get("in_service_year"), optional.get("retirement_year")
    if starts is not None and ends is not None and any(
            start is not None and end is not None and end <= start  # type: ignore[operator]
            for start, end in zip(starts, ends, strict=True)):
        return None  # an impossible pair of years: the record reader names it at its path
    base = zip(ids, catalog_ids, hall_ids, xs, ys, [r % 360.0 for r in rotations],
               [label or "" for label in labels], strict=True)
    if not optional:
        return list(starmap(PlacedItem, base))
    keys = tuple(optional)
    return [PlacedItem(*fields, **dict(zip(keys, extra, strict=True)))
            for fields, extra in zip(base, zip(*optional.values(), strict=True), strict=True)]


def _read_item(node: Node) -> PlacedItem:
    fast = _item_fast(node.value)
    if fast is not None:
        return fast
    node.reject_unknown(ITEM_FIELDS)
    design_kw = node.optional("design_kw")
    workload = node.optional("workload")
    liquid = node.optional("liquid_fraction")
    weight = node.optional("weight_kg")
    phase = node.optional("phase")
    pod_id = node.optional("pod_id")
    group = node.optional("group")
    in_service, retirement = _read_years(node)
    return PlacedItem(
        id=_id(node),
        catalog_id=node.child("catalog_id").identifier(),
        hall_id=_id(node, "hall_id"),
        x_mm=node.child("x_mm").number(minimum=-MAX_COORDINATE_MM, maximum=MAX_COORDINATE_MM),
        y_mm=node.child("y_mm").number(minimum=-MAX_COORDINATE_MM, maximum=MAX_COORDINATE_MM),
        rotation_deg=_opt_number(node, "rotation_deg", 0.0, minimum=-MAX_ROTATION_DEG,
                                 maximum=MAX_ROTATION_DEG) % 360.0,
        label=_opt_string(node, "label", "", MAX_LABEL_CHARS),
        pod_id=pod_id.identifier() if pod_id else None,
        group=group.identifier() if group else None,
        design_kw=design_kw.number(minimum=0, maximum=MAX_DESIGN_KW) if design_kw else None,
        workload=workload.choice(WorkloadClass) if workload else None,
        liquid_fraction=liquid.number(minimum=0, maximum=1) if liquid else None,
        weight_kg=weight.number(minimum=0, maximum=MAX_WEIGHT_KG) if weight else None,
        phase=phase.choice(Phase) if phase else None,
        in_service_year=in_service,
        retirement_year=retirement,
    )


CONNECTION_FIELDS = frozenset({"id", "kind", "source", "target", "feed", "medium"})
_KINDS = {kind.value: kind for kind in ConnectionKind}
_FEEDS = {feed.value: feed for feed in FeedSide}
_MEDIA = {medium.value: medium for medium in CoolingMedium}


def _plain_id(value: object) -> bool:
    return type(value) is str and 0 < len(value) <= 200 and not value.isspace() and value.isprintable()


def _connection_fast(value: object) -> Connection | None:
    """The connection, when the record is plainly valid; None sends it to the checking reader, which
    finds and words what is wrong. (A design has tens of thousands of connections.)"""
    if type(value) is not dict or not value.keys() <= CONNECTION_FIELDS:
        return None
    raw_kind = value.get("kind")
    kind = _KINDS.get(raw_kind) if type(raw_kind) is str else None
    connection_id, source, target = value.get("id"), value.get("source"), value.get("target")
    if kind is None or not (_plain_id(connection_id) and _plain_id(source) and _plain_id(target)):
        return None
    feed, medium = value.get("feed"), value.get("medium")
    if not (feed is None or type(feed) is str) or not (medium is None or type(medium) is str):
        return None
    if kind is ConnectionKind.POWER:
        if medium is not None or (feed is not None and feed not in _FEEDS):
            return None
        return Connection(connection_id, kind, source, target,  # type: ignore[arg-type]
                          _FEEDS[feed] if feed is not None else FeedSide.SINGLE)
    if feed is not None or (medium is not None and medium not in _MEDIA):
        return None
    return Connection(connection_id, kind, source, target, FeedSide.SINGLE,  # type: ignore[arg-type]
                      _MEDIA[medium] if medium is not None else CoolingMedium.AIR)


_FEED_OR_SINGLE: dict[object, FeedSide] = {key: feed for key, feed in [(None, FeedSide.SINGLE), *_FEEDS.items()]}
_MEDIUM_OR_AIR: dict[object, CoolingMedium] = {
    key: medium for key, medium in [(None, CoolingMedium.AIR), *_MEDIA.items()]}
_NONE_TYPE = type(None)


def _plain_ids(values: list[object]) -> bool:
    """``_plain_id`` of every value, in C loops: a concatenation is printable exactly when each part is."""
    if not (set(map(type, values)) == {str} and all(values) and max(map(len, values)) <= 200):  # type: ignore[arg-type]
        return False
    joined = "".join(values)  # type: ignore[arg-type]
    # the space is the one printable whitespace character (``tests/io/test_project_wire.py`` holds it over
    # all of Unicode): printable ids without one have no blank among them, and are not each looked at
    return joined.isprintable() and (" " not in joined or not any(map(str.isspace, values)))  # type: ignore[arg-type]


def _column(records: list[dict[str, object]], key: str) -> list[object]:
    return list(map(dict.get, records, repeat(key)))


def _connections_fast(values: object) -> list[Connection] | None:
    """Every connection of the list, when all are plainly valid (the checks of ``_connection_fast``,
    column by column); None sends the list to the record-by-record reader, which finds and words what
    is wrong. (A 50,000-rack campus has 450,000 connections.)"""
    if type(values) is not list:
        return None
    if not values:
        return []
    if set(map(type, values)) != {dict} or not set().union(*values) <= CONNECTION_FIELDS:
        return None
    records: list[dict[str, object]] = values
    ids, sources, targets = _column(records, "id"), _column(records, "source"), _column(records, "target")
    raw_kinds, feeds, media = _column(records, "kind"), _column(records, "feed"), _column(records, "medium")
    if not (_plain_ids(ids) and _plain_ids(sources) and _plain_ids(targets)) or set(map(type, raw_kinds)) != {str}:
        return None
    if not set(map(type, feeds)) | set(map(type, media)) <= {str, _NONE_TYPE}:
        return None
    kinds = list(map(_KINDS.get, raw_kinds))  # type: ignore[arg-type]
    if None in kinds:
        return None
    power = ConnectionKind.POWER
    # the writer keeps only the field of the connection's kind: power has no medium, cooling no feed
    if any(medium is not None for kind, medium in zip(kinds, media, strict=True) if kind is power) or any(
            feed is not None for kind, feed in zip(kinds, feeds, strict=True) if kind is not power):
        return None
    try:
        feed_sides = list(map(_FEED_OR_SINGLE.__getitem__, feeds))
        mediums = list(map(_MEDIUM_OR_AIR.__getitem__, media))
    except KeyError:
        return None
    return list(map(Connection, ids, kinds, sources, targets, feed_sides, mediums))


def _read_connection(node: Node) -> Connection:
    fast = _connection_fast(node.value)
    if fast is not None:
        return fast
    node.reject_unknown(CONNECTION_FIELDS)
    feed = node.optional("feed")
    medium = node.optional("medium")
    kind = node.child("kind").choice(ConnectionKind)
    # The writer keeps only the field of the connection's kind: accepting the other would change on save.
    if kind is ConnectionKind.POWER and medium is not None:
        raise medium.fail("a power connection has a feed, not a medium")
    if kind is ConnectionKind.COOLING and feed is not None:
        raise feed.fail("a cooling connection has a medium, not a feed")
    return Connection(
        id=_id(node),
        kind=kind,
        source_id=_id(node, "source"),
        target_id=_id(node, "target"),
        feed=feed.choice(FeedSide) if feed else FeedSide.SINGLE,
        medium=medium.choice(CoolingMedium) if medium else CoolingMedium.AIR,
    )


def _read_scenario(node: Node) -> Scenario:
    node.reject_unknown(frozenset({"id", "name", "years"}))
    years = []
    seen: set[int] = set()
    for year_node in node.child("years").elements(max_count=500):
        year_node.reject_unknown(frozenset({"year", "inference_share", "ai_density_factor"}))
        year = year_node.child("year").integer(minimum=1900, maximum=2200)
        if year in seen:
            raise year_node.child("year").fail(f"year {year} appears twice")
        seen.add(year)
        years.append(
            ScenarioYear(
                year=year,
                inference_share=year_node.child("inference_share").number(minimum=0, maximum=1),
                ai_density_factor=_opt_number(year_node, "ai_density_factor", 1.0, above=0, maximum=10),
            )
        )
    if not years:
        raise node.child("years").fail("a scenario needs at least one year")
    return Scenario(id=_id(node), name=node.child("name").string(allow_empty=False, max_chars=300), years=tuple(years))


def _check_references(
    root: Node,
    halls: list[Hall],
    pods: list[PodInstance],
    items: list[PlacedItem],
    connections: list[Connection],
    scenarios: list[Scenario],
    catalog: Catalog,
    settings: DesignSettings,
) -> None:
    """Duplicate ids, unknown catalog ids and dangling references, each reported at its JSON path."""
    if _references_plainly_good(halls, pods, items, connections, scenarios, catalog, settings):
        return
    seen: dict[str, tuple[str, int]] = {}
    """Where each id was first used: (list, index); the JSON path is worded only for an error."""

    def claim(record_id: str, where: str, index: int) -> None:
        first = seen.setdefault(record_id, (where, index))
        if first != (where, index):
            raise ProjectFileError(f"duplicate id {record_id!r} (first used at $.{first[0]}[{first[1]}].id)",
                                   json_path=f"$.{where}[{index}].id")

    hall_ids = set()
    for index, hall in enumerate(halls):
        claim(hall.id, "halls", index)
        hall_ids.add(hall.id)
    pod_ids = set()
    for index, pod in enumerate(pods):
        claim(pod.id, "pods", index)
        pod_ids.add(pod.id)
        if pod.hall_id not in hall_ids:
            raise ProjectFileError(f"unknown hall {pod.hall_id!r}", json_path=f"$.pods[{index}].hall_id")
    item_ids = set()
    for index, item in enumerate(items):
        claim(item.id, "items", index)
        item_ids.add(item.id)
        if item.catalog_id not in catalog:
            raise ProjectFileError(f"unknown catalog id {item.catalog_id!r}", json_path=f"$.items[{index}].catalog_id")
        if item.hall_id not in hall_ids:
            raise ProjectFileError(f"unknown hall {item.hall_id!r}", json_path=f"$.items[{index}].hall_id")
        if item.pod_id is not None and item.pod_id not in pod_ids:
            raise ProjectFileError(f"unknown pod {item.pod_id!r}", json_path=f"$.items[{index}].pod_id")
    for index, connection in enumerate(connections):
        claim(connection.id, "connections", index)
        source, target = connection.source_id, connection.target_id
        if source in item_ids and target in item_ids and source != target:
            continue
        for end, value in (("source", source), ("target", target)):
            if value not in item_ids:
                raise ProjectFileError(
                    f"connection refers to a missing item {value!r}", json_path=f"$.connections[{index}].{end}"
                )
        raise ProjectFileError("connection links an item to itself", json_path=f"$.connections[{index}]")
    scenario_ids = set()
    for index, scenario in enumerate(scenarios):
        claim(scenario.id, "scenarios", index)
        scenario_ids.add(scenario.id)
    if settings.active_scenario_id and settings.active_scenario_id not in scenario_ids:
        raise ProjectFileError(
            f"unknown scenario {settings.active_scenario_id!r}", json_path="$.settings.active_scenario_id"
        )


def _known_catalog_ids_and_scenario(items: list[PlacedItem], scenarios: list[Scenario], catalog: Catalog,
                                    settings: DesignSettings) -> bool:
    """The reference checks of ``_check_references`` that the model does not make itself."""
    if not all(catalog_id in catalog for catalog_id in set(map(attrgetter("catalog_id"), items))):
        return False
    return not settings.active_scenario_id or settings.active_scenario_id in {s.id for s in scenarios}


def _references_plainly_good(halls: list[Hall], pods: list[PodInstance], items: list[PlacedItem],
                             connections: list[Connection], scenarios: list[Scenario], catalog: Catalog,
                             settings: DesignSettings) -> bool:
    """The checks of ``_check_references`` on whole columns (set operations in C loops): True when
    nothing is wrong; False sends the records through the record-by-record checks that word the error."""
    item_ids = list(map(attrgetter("id"), items))
    connection_ids = list(map(attrgetter("id"), connections))
    all_ids = [*(h.id for h in halls), *(p.id for p in pods), *item_ids, *connection_ids, *(s.id for s in scenarios)]
    if len(set(all_ids)) != len(all_ids):
        return False
    hall_ids, pod_ids, known_items = {h.id for h in halls}, {p.id for p in pods}, set(item_ids)
    if not {p.hall_id for p in pods} <= hall_ids or not set(map(attrgetter("hall_id"), items)) <= hall_ids:
        return False
    if not all(catalog_id in catalog for catalog_id in set(map(attrgetter("catalog_id"), items))):
        return False
    if not set(map(attrgetter("pod_id"), items)) - {None} <= pod_ids:
        return False
    sources, targets = list(map(attrgetter("source_id"), connections)), list(map(attrgetter("target_id"), connections))
    if not (known_items.issuperset(sources) and known_items.issuperset(targets)) or any(
            map(eq, sources, targets)):  # ``operator.eq``: no argument tuple per pair, as ``str.__eq__`` takes
        return False
    return not settings.active_scenario_id or settings.active_scenario_id in {s.id for s in scenarios}


# ====================================================================== load-time rules (hostile files)
def check_settings_classes(node: Node | None) -> None:
    """The ASHRAE classes must be ones the analysis knows: an unknown one passed ``validate`` and then
    crashed ``analyze``."""
    if node is None:
        return
    for key, known in (("air_class", AIR_CLASSES), ("liquid_class", LIQUID_CLASSES)):
        child = node.optional(key)
        if child is not None and child.string() not in known:
            raise child.fail(f"{quoted(child.string())} is not one of: {', '.join(known)}")


# ====================================================================== writing
def _num(value: float) -> float | int:
    """Integral floats are written as integers, so files stay readable and stable across save cycles."""
    if type(value) is float:  # nearly every call (171,000 a save at 50k racks): no float() nor abs() call
        return int(value) if value.is_integer() and -2.0**53 < value < 2.0**53 else value
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def _metadata_document(m: Metadata) -> dict[str, object]:
    document: dict[str, object] = {"title": m.title, "author": m.author, "revision": m.revision, "notes": m.notes}
    if m.options:  # written only when there are some: a file without options stays as it was
        document["options"] = [{"name": o.name, "file": o.file} for o in m.options]
    return document


def project_to_document(project: Project, *, big_lists: bool = True) -> dict[str, object]:
    """The JSON-ready document of a project, in a stable order (``big_lists`` False: "items" and
    "connections" are left empty, for ``project_to_bytes`` to encode by blocks)."""
    m, s, st = project.metadata, project.site, project.settings
    document: dict[str, object] = {
        "format": PROJECT_FORMAT,
        "schema_version": CURRENT_SCHEMA_VERSION,
        "metadata": _metadata_document(m),
        "site": {
            "name": s.name,
            "latitude_deg": _num(s.latitude_deg),
            "longitude_deg": _num(s.longitude_deg),
            "utc_offset_h": _num(s.utc_offset_h),
            "climate_id": s.climate_id,
            "design_ambient_c": _num(s.design_ambient_c),
            "user_regions": [
                {"name": r.name, "latitude_deg": _num(r.latitude_deg), "longitude_deg": _num(r.longitude_deg)}
                for r in s.user_regions
            ],
            **({"climate": site_climate_to_dict(s.climate)} if s.climate is not None else {}),
            **site_carbon_to_dict(s.grid_region_id, s.grid_carbon_g_per_kwh, s.grid_carbon_monthly_g_per_kwh,
                                  s.grid_carbon_hourly_g_per_kwh),
        },
        "settings": {
            "air_class": st.air_class,
            "liquid_class": st.liquid_class,
            "continuous_derating": _num(st.continuous_derating),
            "min_aisle_mm": _num(st.min_aisle_mm),
            "active_scenario_id": st.active_scenario_id,
            **{key: _num(value) for key in _AIR_LOOP_LIMITS if (value := getattr(st, key)) is not None},
            **{key: _num(getattr(st, key)) for key in _ELECTRICAL_LIMITS},
            **{key: getattr(st, key) for key in _ELECTRICAL_CHOICES},
            **({"economics": economics} if (economics := economics_settings_to_dict(st.economics)) else {}),
        },
        "catalog": [entry_to_dict(entry) for entry in project.custom_catalog.values()],
        "halls": [_hall_to_dict(hall) for hall in project.halls.values()],
        "pods": [
            {"id": p.id, "template_id": p.template_id, "hall_id": p.hall_id, "label": p.label,
             **_years_to_dict(p.in_service_year, p.retirement_year)}
            for p in project.pods.values()
        ],
        "items": [_item_to_dict(item) for item in project.items.values()] if big_lists else [],
        "connections": _connections_to_dicts(project.connections.values()) if big_lists else [],
        "scenarios": [
            {
                "id": sc.id,
                "name": sc.name,
                "years": [
                    {
                        "year": y.year,
                        "inference_share": _num(y.inference_share),
                        "ai_density_factor": _num(y.ai_density_factor),
                    }
                    for y in sc.years
                ],
            }
            for sc in project.scenarios.values()
        ],
    }
    return document


def _hall_to_dict(hall: Hall) -> dict[str, object]:
    data: dict[str, object] = {
        "id": hall.id,
        "name": hall.name,
        "outline_mm": [[_num(x), _num(y)] for x, y in hall.outline_mm],
        "tile_mm": _num(hall.tile_mm),
        "floor_rating_kg_m2": _num(hall.floor_rating_kg_m2),
        "floor_type": hall.floor_type.value,
        "air_management": hall.air_management.value,
        "obstacles": [
            {
                "id": o.id,
                "kind": o.kind.value,
                "polygon_mm": [[_num(x), _num(y)] for x, y in o.polygon_mm],
                "label": o.label,
            }
            for o in hall.obstacles
        ],
        "doors": [
            {
                "id": d.id,
                "x_mm": _num(d.x_mm),
                "y_mm": _num(d.y_mm),
                "width_mm": _num(d.width_mm),
                "rotation_deg": _num(d.rotation_deg),
                "label": d.label,
            }
            for d in hall.doors
        ],
    }
    if hall.underlay is not None:  # only when present: files without one stay as they were
        data["underlay"] = underlay_to_dict(hall.underlay)
    if hall.site_x_mm is not None and hall.site_y_mm is not None:  # likewise the site position
        data["site_x_mm"] = _num(hall.site_x_mm)
        data["site_y_mm"] = _num(hall.site_y_mm)
        if hall.site_rotation_deg:
            data["site_rotation_deg"] = _num(hall.site_rotation_deg)
    return data


def _item_to_dict(item: PlacedItem) -> dict[str, object]:
    data: dict[str, object] = {
        "id": item.id,
        "catalog_id": item.catalog_id,
        "hall_id": item.hall_id,
        "x_mm": _num(item.x_mm),
        "y_mm": _num(item.y_mm),
    }
    if item.rotation_deg:
        data["rotation_deg"] = _num(item.rotation_deg)
    if item.label:
        data["label"] = item.label
    if item.pod_id is not None:
        data["pod_id"] = item.pod_id
    if item.group is not None:
        data["group"] = item.group
    if item.design_kw is not None:
        data["design_kw"] = _num(item.design_kw)
    if item.workload is not None:
        data["workload"] = item.workload.value
    if item.liquid_fraction is not None:
        data["liquid_fraction"] = _num(item.liquid_fraction)
    if item.weight_kg is not None:
        data["weight_kg"] = _num(item.weight_kg)
    if item.phase is not None:
        data["phase"] = item.phase.value
    if item.in_service_year is not None or item.retirement_year is not None:
        data.update(_years_to_dict(item.in_service_year, item.retirement_year))
    return data


def _years_to_dict(in_service_year: int | None, retirement_year: int | None) -> dict[str, object]:
    """The years that are set (old files without them stay byte-for-byte the same)."""
    data: dict[str, object] = {}
    if in_service_year is not None:
        data["in_service_year"] = in_service_year
    if retirement_year is not None:
        data["retirement_year"] = retirement_year
    return data


def _connection_to_dict(connection: Connection) -> dict[str, object]:
    data: dict[str, object] = {
        "id": connection.id,
        "kind": connection.kind.value,
        "source": connection.source_id,
        "target": connection.target_id,
    }
    if connection.kind is ConnectionKind.POWER:
        data["feed"] = connection.feed.value
    else:
        data["medium"] = connection.medium.value
    return data


_KIND_TEXT = {kind: kind.value for kind in ConnectionKind}
_FEED_TEXT = {feed: feed.value for feed in FeedSide}
_MEDIUM_TEXT = {medium: medium.value for medium in CoolingMedium}


def _connections_to_dicts(connections: Iterable[Connection]) -> list[dict[str, object]]:
    """``_connection_to_dict`` of each, in one loop (a campus has hundreds of thousands)."""
    power, kinds, feeds, media = ConnectionKind.POWER, _KIND_TEXT, _FEED_TEXT, _MEDIUM_TEXT
    return [{"id": c.id, "kind": kinds[c.kind], "source": c.source_id, "target": c.target_id,
             "feed": feeds[c.feed]} if c.kind is power else
            {"id": c.id, "kind": kinds[c.kind], "source": c.source_id, "target": c.target_id,
             "medium": media[c.medium]} for c in connections]


def project_to_text(project: Project) -> str:
    """The file text: one record per line inside the big lists, so diffs of a design stay readable."""
    return project_to_bytes(project).decode("utf-8")


ROWS_PER_BLOCK = 8_192
"""Items or connections turned into dicts and encoded at a time by ``project_to_bytes`` (and looked at a
time by ``load_check``). 8,192 rather than 16,384: a 50k-rack save ~10% faster (a block's columns, dicts
and text stay nearer the cache) and ~2 MB lower at its height (``tests/io/test_file_speed.py``)."""


def project_to_bytes(project: Project) -> bytes:
    """The file's bytes (``project_to_text`` encoded as UTF-8, without the text in between).

    The big lists are made into dicts and encoded ``ROWS_PER_BLOCK`` records at a time, not as one
    document of every record's dict first: at 50k racks those 535,000 dicts took ~240 MB beside the
    design while it was saved (an autosave: beside the settled window). The bytes are the same."""
    return b"".join(project_to_pieces(project))


def project_to_pieces(project: Project) -> list[bytes]:
    """``project_to_bytes`` in pieces, as a file is written (``atomic_write_bytes``): the whole file is
    never one more copy in memory (~58 MB at 50k racks)."""
    document = project_to_document(project, big_lists=False)
    document["items"] = _Rows(list(project.items.values()), lambda block: [_item_to_dict(i) for i in block],
                              _item_rows)
    document["connections"] = _Rows(list(project.connections.values()), _connections_to_dicts, _connection_rows)
    with gc_paused():  # tens of thousands of short-lived dicts at a time, no cycles
        return _document_pieces(document)


@dataclass(frozen=True, slots=True)
class _Rows:
    """A big list of the document, as its records and how a block of them becomes dicts (and
    ``to_structs``: the same rows as msgspec structs, encoded to the same text, faster)."""

    records: list[Any]
    to_dicts: Callable[[list[Any]], list[dict[str, object]]]
    to_structs: Callable[[list[Any]], list[msgspec.Struct]] | None = None

    def blocks(self) -> Iterator[bytes]:
        """Each block's rows as ``_rows_bytes`` writes them. The block's dicts (structs) are freed once
        encoded, before the text is cut into rows; the rare block with ``}, {`` inside a string, or a
        null (``_encode``), is made into dicts again and written by ``_rows_bytes``: a block's
        connections' dicts are not kept beside two copies of its text."""
        for start in range(0, len(self.records), ROWS_PER_BLOCK):
            records = self.records[start:start + ROWS_PER_BLOCK]
            rows = None
            if self.to_structs is not None:  # ``_encode`` without its null fallback (``json`` takes no struct)
                text = msgspec.json.format(_MSGSPEC_ENCODE(self.to_structs(records)), indent=0)
                parts = text.split(b"}, {") if b"null" not in text else []
                del text  # only the parts from here
                rows = _split_rows(parts, len(records)) if parts else None
            yield rows if rows is not None else _rows_bytes(self.to_dicts(records))


class _PowerRow(msgspec.Struct, gc=False):
    """A power connection's dict of ``_connections_to_dicts`` (same keys, same order): msgspec encodes a
    struct to the same text as the dict, and makes it faster (at 50k racks, ~60 ms less a save)."""

    id: object
    kind: object
    source: object
    target: object
    feed: object


class _CoolingRow(msgspec.Struct, gc=False):
    """A cooling connection's dict of ``_connections_to_dicts``, as ``_PowerRow``."""

    id: object
    kind: object
    source: object
    target: object
    medium: object


class _ItemRow(msgspec.Struct, gc=False):
    """An item's dict of ``_item_to_dict`` (same keys, same order; UNSET: a key the dict leaves out,
    which msgspec leaves out too), encoded to the same text as the dict, faster."""

    id: object
    catalog_id: object
    hall_id: object
    x_mm: object
    y_mm: object
    rotation_deg: object = UNSET
    label: object = UNSET
    pod_id: object = UNSET
    group: object = UNSET
    design_kw: object = UNSET
    workload: object = UNSET
    liquid_fraction: object = UNSET
    weight_kg: object = UNSET
    phase: object = UNSET
    in_service_year: object = UNSET
    retirement_year: object = UNSET


def _item_rows(items: Iterable[PlacedItem]) -> list[msgspec.Struct]:
    """``_item_to_dict`` of each, as structs (the same values: ``tests/io/test_file_speed.py``)."""
    num = _num
    return [_ItemRow(i.id, i.catalog_id, i.hall_id, num(i.x_mm), num(i.y_mm),
                     num(i.rotation_deg) if i.rotation_deg else UNSET, i.label or UNSET,
                     UNSET if i.pod_id is None else i.pod_id, UNSET if i.group is None else i.group,
                     UNSET if i.design_kw is None else num(i.design_kw),
                     UNSET if i.workload is None else i.workload.value,
                     UNSET if i.liquid_fraction is None else num(i.liquid_fraction),
                     UNSET if i.weight_kg is None else num(i.weight_kg),
                     UNSET if i.phase is None else i.phase.value,
                     UNSET if i.in_service_year is None else i.in_service_year,
                     UNSET if i.retirement_year is None else i.retirement_year) for i in items]


def _connection_rows(connections: Iterable[Connection]) -> list[msgspec.Struct]:
    """``_connections_to_dicts`` as structs (the same values: ``tests/io/test_file_speed.py``)."""
    power, kinds, feeds, media = ConnectionKind.POWER, _KIND_TEXT, _FEED_TEXT, _MEDIUM_TEXT
    return [_PowerRow(c.id, kinds[c.kind], c.source_id, c.target_id, feeds[c.feed]) if c.kind is power else
            _CoolingRow(c.id, kinds[c.kind], c.source_id, c.target_id, media[c.medium]) for c in connections]


_MSGSPEC_ENCODE = msgspec.json.Encoder().encode


def _encode(value: object) -> bytes:
    """``value`` as JSON with ``json.dumps``'s spacing (", " and ": "), encoded by msgspec (five times
    faster). msgspec writes NaN and infinities as null and has no option to refuse them: a piece with
    a null is encoded again by ``json``, which refuses them (ValueError) as the writer always has.
    Numbers may be spelled differently from ``json`` (1e16 for 1e+16, 0.00001 for 1e-05), the same values."""
    text = msgspec.json.format(_MSGSPEC_ENCODE(value), indent=0)
    if b"null" in text:
        return _JSON_ENCODE(value).encode("utf-8")
    return text


_JSON_ENCODE = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode


def _document_bytes(document: dict[str, object]) -> bytes:
    return b"".join(_document_pieces(document))


def _document_pieces(document: dict[str, object]) -> list[bytes]:
    """The file's bytes in pieces (a block of a big list's records each), for writing without a join."""
    pieces = [b"{\n"]
    for index, (key, value) in enumerate(document.items()):
        if index:
            pieces.append(b",\n")
        name = _encode(key)
        if isinstance(value, _Rows) and value.records:
            pieces += [b"  ", name, b": [\n    "]
            for number, block in enumerate(value.blocks()):
                pieces += [b",\n    ", block] if number else [block]
            pieces.append(b"\n  ]")
        elif isinstance(value, _Rows):  # none: as an empty list
            pieces += [b"  ", name, b": ", _encode([])]
        elif isinstance(value, list) and value:
            pieces += [b"  ", name, b": [\n    ", _rows_bytes(value), b"\n  ]"]
        else:
            pieces += [b"  ", name, b": ", _encode(value)]
    pieces.append(b"\n}\n")
    return pieces


def _rows_bytes(rows: Sequence[object]) -> bytes:
    """The rows encoded one by one and joined with ``,\\n    ``.

    Encoding the whole list at once gives the same rows joined with ``}, {``; when that text holds
    exactly one ``}, {`` between rows (none inside a string or a nested record), each is a row
    boundary and is replaced by the line break. Otherwise row by row.
    """
    if set(map(type, rows)) == {dict}:
        text = _split_rows(_encode(rows).split(b"}, {"), len(rows))
        if text is not None:
            return text
    return b",\n    ".join(map(_encode, rows))


def _split_rows(parts: list[bytes], count: int) -> bytes | None:
    """The encoded list of ``count`` dicts, split at each ``}, {`` (``parts``), as its rows joined with
    ``,\\n    `` (see ``_rows_bytes``), or None when it did not hold exactly one ``}, {`` between rows.
    One split and one join, the brackets taken off the first and last row: no copy of the text without
    them, count and replace (two passes over the text less); the text is freed once split."""
    if len(parts) != count:
        return None
    parts[0] = parts[0][1:]
    parts[-1] = parts[-1][:-1]  # in turn: one row is both
    return b"},\n    {".join(parts)


def save_project(project: Project, path: Path, *, keep_backup: bool = True, catalog: Catalog | None = None) -> None:
    """Write atomically: the file at ``path`` is always either the old or the new complete file.

    With ``catalog``, the document is first checked with the loader's own rules
    (``check_loadable``): a design the loader would refuse is never written.
    """
    path = Path(path)
    if catalog is not None:
        try:
            check_loadable(project, catalog)
        except ProjectFileError as error:
            raise ProjectFileError(
                f"not saved: the file would not open again ({error.problem})", json_path=error.json_path, file=path
            ) from None
    atomic_write_bytes(path, project_to_pieces(project), keep_backup=keep_backup)


def check_loadable(project: Project, catalog: Catalog) -> None:
    """Raise ProjectFileError (with the JSON path) when the loader would refuse the file of ``project``
    (the error the loader gives), without building the design a second time (``load_check``)."""
    from designer.io import load_check  # it reads with this module's readers

    load_check.check_loadable(project, catalog)
