"""Immutable records a project is made of: site, halls, placed items, connections, pods, scenarios."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from itertools import repeat
from typing import Any, TypeVar

from designer.model.economics import EconomicsSettings
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

PointMm = tuple[float, float]
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class UserRegion:
    """A population of users an inference service must answer; used for latency."""

    name: str
    latitude_deg: float
    longitude_deg: float


@dataclass(frozen=True, slots=True)
class Site:
    name: str = "Unnamed site"
    latitude_deg: float = 0.0
    longitude_deg: float = 0.0
    utc_offset_h: float = 0.0
    climate_id: str = ""
    design_ambient_c: float = 35.0
    user_regions: tuple[UserRegion, ...] = ()
    climate: SiteClimate | None = None
    """The site's own weather (typed-in normals or an imported EPW); used instead of ``climate_id``."""
    grid_region_id: str = ""
    """Grid region of the carbon intensity (``EconomicsDefaults.regions``); empty = the climate's region."""
    grid_carbon_g_per_kwh: float | None = None
    """The site's own annual grid carbon intensity (gCO2/kWh), over the region's figure."""
    grid_carbon_monthly_g_per_kwh: tuple[float, ...] = ()
    """Empty, or 12 monthly intensities (January first); used over the annual figure."""
    grid_carbon_hourly_g_per_kwh: tuple[float, ...] = ()
    """Empty, or 24 intensities by local hour of day; used over the annual and monthly figures."""


@dataclass(frozen=True, slots=True)
class SiteClimate:
    """A site's own weather: monthly normals (January first, °C), optionally a typical year of hours.

    Typed in, or imported from an EnergyPlus weather file (the hours then come with it and the
    normals are derived from them). Values are range-checked when the project file is read.
    """

    name: str
    source: str
    high_c: tuple[float, ...]
    low_c: tuple[float, ...]
    dew_point_c: tuple[float, ...]
    elevation_m: float = 0.0
    licence: str = ""
    hourly_dry_bulb_c: tuple[float, ...] = ()
    """Empty, or 8760 hourly dry bulbs in local standard time."""
    hourly_dew_point_c: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Obstacle:
    """Building structure inside a hall that nothing may stand on."""

    id: str
    kind: ObstacleKind
    polygon_mm: tuple[PointMm, ...]
    label: str = ""


@dataclass(frozen=True, slots=True)
class Door:
    id: str
    x_mm: float
    y_mm: float
    width_mm: float
    rotation_deg: float = 0.0
    label: str = ""


@dataclass(frozen=True, slots=True)
class Underlay:
    """A CAD drawing shown under a hall as thin lines: a reference for the eye, never an obstacle.

    ``segments_mm`` is flat, x0, y0, x1, y1 of each segment in drawing millimetres (y down, rounded
    to 0.1 mm so a save/load cycle is exact). The drawing is rotated clockwise by ``rotation_deg``
    about its own origin, then moved by ``offset_mm`` onto the hall floor.
    """

    segments_mm: tuple[float, ...]
    source_name: str = ""
    unit: str = "mm"
    """The unit the drawing was read in (the header's or the user's choice), for the record."""
    offset_mm: PointMm = (0.0, 0.0)
    rotation_deg: float = 0.0
    visible: bool = True

    @property
    def segment_count(self) -> int:
        return len(self.segments_mm) // 4

    def placed_segments_mm(self) -> Iterator[tuple[float, float, float, float]]:
        """Each segment as it lies on the hall floor (rotation and offset applied)."""
        radians = math.radians(self.rotation_deg)
        cos, sin = math.cos(radians), math.sin(radians)
        ox, oy = self.offset_mm
        flat = self.segments_mm
        for i in range(0, len(flat) - 3, 4):
            x0, y0, x1, y1 = flat[i], flat[i + 1], flat[i + 2], flat[i + 3]
            yield (
                ox + x0 * cos - y0 * sin,
                oy + x0 * sin + y0 * cos,
                ox + x1 * cos - y1 * sin,
                oy + x1 * sin + y1 * cos,
            )


@dataclass(frozen=True, slots=True)
class Hall:
    id: str
    name: str
    outline_mm: tuple[PointMm, ...]
    tile_mm: float = 600.0
    floor_rating_kg_m2: float = 1200.0
    floor_type: FloorType = FloorType.SLAB
    obstacles: tuple[Obstacle, ...] = ()
    doors: tuple[Door, ...] = ()
    underlay: Underlay | None = None
    """A CAD drawing under the floor plan (stored in the project file itself)."""
    air_management: AirManagement = AirManagement.FULL
    """Containment of the hall's air (fan airflow factor and speed control in the energy model)."""
    site_x_mm: float | None = None
    """Where the hall's own origin (0, 0) lies on the site plan; None (with ``site_y_mm``): laid out
    automatically beside the placed halls (``designer.model.site_layout``)."""
    site_y_mm: float | None = None
    site_rotation_deg: float = 0.0
    """Clockwise turn of the hall about its own origin on the site plan."""

    @property
    def site_placed(self) -> bool:
        """The user (or the file) gave the hall a position on the site."""
        return self.site_x_mm is not None and self.site_y_mm is not None

    def bounds_mm(self) -> tuple[float, float, float, float]:
        """(min x, min y, max x, max y) of the outline."""
        xs = [p[0] for p in self.outline_mm]
        ys = [p[1] for p in self.outline_mm]
        return min(xs), min(ys), max(xs), max(ys)

    @property
    def area_m2(self) -> float:
        """Area of the outline polygon (shoelace formula)."""
        pts = self.outline_mm
        twice_area = sum(
            pts[i][0] * pts[(i + 1) % len(pts)][1] - pts[(i + 1) % len(pts)][0] * pts[i][1] for i in range(len(pts))
        )
        return abs(twice_area) / 2e6


@dataclass(frozen=True, slots=True)
class PlacedItem:
    """An instance of a catalog entry on a hall floor.

    ``x_mm``/``y_mm`` is the centre of the footprint. At rotation 0 the width runs along x, the depth
    along y and the front (cold-aisle) face looks toward -y; rotation is clockwise in degrees.
    The optional overrides replace the catalog defaults for this item only.
    """

    id: str
    catalog_id: str
    hall_id: str
    x_mm: float
    y_mm: float
    rotation_deg: float = 0.0
    label: str = ""
    pod_id: str | None = None
    group: str | None = None
    """Redundancy group (e.g. the N+1 CRAHs of a room, the modules of a parallel UPS)."""
    design_kw: float | None = None
    """Racks: design IT kW. Rated equipment (``RATING_OVERRIDE_ROLES``): its rating, e.g. the modules fitted."""
    workload: WorkloadClass | None = None
    liquid_fraction: float | None = None
    weight_kg: float | None = None
    """Racks: the weight as built (the catalog figure is a typical fit-out)."""
    phase: Phase | None = None
    """Racks and rack PDUs: the phase(s) they take on their supplier (``phases.phase_problem`` says which
    fit); None = not assigned (a three-phase load counts on all three, a single-phase one is unknown)."""
    in_service_year: int | None = None
    """First year the item stands and runs; None = its pod's year, else always there (see ``phasing``)."""
    retirement_year: int | None = None
    """First year the item is gone (after ``in_service_year``); None = its pod's year, else never retired."""


@dataclass(frozen=True, slots=True)
class Connection:
    """A directed supply link from ``source_id`` (supplier) to ``target_id`` (consumer)."""

    id: str
    kind: ConnectionKind
    source_id: str
    target_id: str
    feed: FeedSide = FeedSide.SINGLE
    """Power only: which cord of the consumer this feeds."""
    medium: CoolingMedium = CoolingMedium.AIR
    """Cooling only: air or liquid."""


@dataclass(frozen=True, slots=True)
class PodInstance:
    """A group of items placed together from a pod template; they move and rotate as one."""

    id: str
    template_id: str
    hall_id: str
    label: str = ""
    in_service_year: int | None = None
    """First year the pod's items stand (those without a year of their own); None = always there."""
    retirement_year: int | None = None
    """First year the pod's items are gone; None = never retired."""


@dataclass(frozen=True, slots=True)
class ScenarioYear:
    year: int
    inference_share: float
    ai_density_factor: float = 1.0


def default_timeline() -> tuple[ScenarioYear, ...]:
    """The training-to-inference transition: 20 % inference in 2025 to 80 % in 2031."""
    shares = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
    return tuple(ScenarioYear(2025 + i, share) for i, share in enumerate(shares))


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    name: str
    years: tuple[ScenarioYear, ...] = field(default_factory=default_timeline)

    def year(self, year: int) -> ScenarioYear:
        for entry in self.years:
            if entry.year == year:
                return entry
        raise KeyError(f"scenario {self.id!r} has no year {year}")


@dataclass(frozen=True, slots=True)
class DesignSettings:
    """Design-wide choices: supply temperature classes, derating and clearances."""

    air_class: str = "A1"
    liquid_class: str = "W32"
    continuous_derating: float = 0.8
    min_aisle_mm: float = 1200.0
    active_scenario_id: str = ""
    supply_air_c: float | None = None
    """Supply-air temperature; None = the air units' catalog value, else the air class setpoint."""
    coil_approach_k: float | None = None
    """Supply air minus chilled water at the air units' coils; None = catalog value, else 9 K."""
    economiser_approach_k: float | None = None
    """Approach of the water-side economiser's plate exchanger; None = 2 K."""
    chilled_water_rise_k: float | None = None
    """Chilled-water return minus supply; None = the air units' catalog ``water_delta_t_k``, else 6 K."""
    phase_imbalance_limit: float = 0.10
    """Largest phase-current deviation from the mean of a panel or busway (NEMA definition) before a finding."""
    cable_slack: float = 0.10
    """Extra length on every cable run over its route (terminations, bends), as a fraction."""
    cable_vertical_mm: float = 3000.0
    """Rise and drop of a run between the floor and the overhead tray, added once per run."""
    voltage_drop_limit: float = 0.03
    """Voltage drop of one run before a finding, as a fraction of the nominal voltage."""
    conductor_material: str = "copper"
    """``copper`` or ``aluminium``: the ampacity table cables are picked from."""
    cable_standard: str = "iec"
    """``iec`` (IEC 60364-5-52, mm²) or ``nec`` (NEC 310.16, AWG/kcmil)."""
    utility_ramp_kw_per_s: float = 1000.0
    """The utility's limit on how fast the site's draw may change (training swings are checked against it)."""
    economics: EconomicsSettings = field(default_factory=EconomicsSettings)
    """Currency, tariff, maintenance, discount rate, study period, building cost: overrides of the defaults."""


@dataclass(frozen=True, slots=True)
class DesignOption:
    """Another design this one is weighed against (``dc-designer compare``, File ▸ Compare Options…):
    a name and a project file, relative to this project's folder."""

    name: str
    file: str


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str = "Untitled design"
    author: str = ""
    revision: str = "A"
    notes: str = ""
    options: tuple[DesignOption, ...] = ()
    """The options kept with this design: other .dcplan files beside it, compared over its transition."""


def records_from_columns(cls: type[R], count: int, columns: Mapping[str, Sequence[Any]]) -> list[R]:
    """``count`` records of the frozen slots dataclass ``cls``, built field by field from one column
    of ``count`` values per field, without running ``__init__``.

    For values already checked and converted to the field's type (the project file's fast path:
    msgspec has range-checked them): one C loop per field instead of a Python ``__init__`` per record
    (a third less time for the 450,000 connections of a 50,000-rack campus). Every field must have its
    column, so a field added to the class and not to the caller is an error, never a record missing
    an attribute; a class with ``__post_init__`` is refused (its checks would be skipped).
    """
    setters = _slot_setters(cls)
    if columns.keys() != setters.keys():
        missing, extra = setters.keys() - columns.keys(), columns.keys() - setters.keys()
        raise TypeError(f"{cls.__name__} columns: missing {sorted(missing)}, unknown {sorted(extra)}")
    lengths = {name: len(column) for name, column in columns.items() if len(column) != count}
    if lengths:
        raise ValueError(f"{cls.__name__} columns of other lengths than {count}: {lengths}")
    records: list[R] = list(map(object.__new__, repeat(cls, count)))
    drain: Callable[[Iterable[object]], None] = deque[object](maxlen=0).extend
    for name, setter in setters.items():
        drain(map(setter, records, columns[name]))
    return records


_SETTERS: dict[type, dict[str, Callable[[object, object], None]]] = {}


def _slot_setters(cls: type) -> dict[str, Callable[[object, object], None]]:
    """The slot descriptors' setters of each field of ``cls`` (they bypass the frozen ``__setattr__``)."""
    setters = _SETTERS.get(cls)
    if setters is None:
        params = getattr(cls, "__dataclass_params__", None)
        if params is None or not params.frozen or "__slots__" not in cls.__dict__ or hasattr(cls, "__post_init__"):
            raise TypeError(f"{cls.__name__} is not a frozen slots dataclass without __post_init__")
        setters = {f.name: cls.__dict__[f.name].__set__ for f in fields(cls)}
        _SETTERS[cls] = setters
    return setters
