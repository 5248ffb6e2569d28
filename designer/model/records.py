"""Immutable records a project is made of: site, halls, placed items, connections, pods, scenarios."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from designer.model.types import (
    AirManagement,
    ConnectionKind,
    CoolingMedium,
    FeedSide,
    FloorType,
    ObstacleKind,
    WorkloadClass,
)

PointMm = tuple[float, float]


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
