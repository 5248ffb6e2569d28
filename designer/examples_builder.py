"""Builds the bundled example projects from the catalog and pod templates (Qt-free).

Run ``python -m designer.examples_builder`` after changing the catalog or the pod templates; a test
checks that the committed files in ``resources/examples/`` are what this module builds.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from designer.io.catalog_io import load_catalog
from designer.io.pods_io import load_pod_templates
from designer.io.project_file import save_project
from designer.io.resources import examples_dir
from designer.model import (
    Catalog,
    Connection,
    ConnectionKind,
    CoolingMedium,
    DesignSettings,
    Door,
    FeedSide,
    FloorType,
    Hall,
    Metadata,
    Obstacle,
    ObstacleKind,
    PlacedItem,
    Project,
    Scenario,
    ScenarioYear,
    Site,
    UserRegion,
)
from designer.model.pods import PodTemplate, place_pod
from designer.model.records import DesignOption
from designer.model.types import AirManagement

AISLE_MM = 2400.0
"""Clear space left between neighbouring pods and plant blocks."""


@dataclass
class Placed:
    """A pod placed by the builder: template key -> project item id."""

    pod_id: str
    ids: dict[str, str]

    def keys_starting(self, prefix: str) -> list[str]:
        return [item_id for key, item_id in self.ids.items() if key.startswith(prefix)]


class Builder:
    """Small helper over a Project for laying out pods in rows and wiring them."""

    def __init__(self, project: Project, catalog: Catalog, templates: Mapping[str, PodTemplate]) -> None:
        self.project = project
        self.catalog = catalog
        self.templates = templates

    def extent(self, template_id: str) -> tuple[float, float, float, float]:
        """Footprint bounds (min x, min y, max x, max y) of a template around its centre."""
        xs: list[float] = []
        ys: list[float] = []
        for item in self.templates[template_id].items:
            entry = self.catalog[item.catalog_id]
            quarter = round(item.rotation_deg / 90.0) % 2
            half_w = (entry.depth_mm if quarter else entry.width_mm) / 2
            half_d = (entry.width_mm if quarter else entry.depth_mm) / 2
            xs += [item.x_mm - half_w, item.x_mm + half_w]
            ys += [item.y_mm - half_d, item.y_mm + half_d]
        return min(xs), min(ys), max(xs), max(ys)

    def place(self, template_id: str, hall_id: str, left_mm: float, top_mm: float, label: str) -> Placed:
        """Place a template so that its footprint's top-left corner is at (left_mm, top_mm)."""
        template = self.templates[template_id]
        min_x, min_y, _, _ = self.extent(template_id)
        placed = place_pod(
            template,
            hall_id=hall_id,
            x_mm=left_mm - min_x,
            y_mm=top_mm - min_y,
            rotation_deg=0.0,
            new_id=self.project.new_id,
            label=label,
        )
        self.project.add_pod(placed.pod)
        self.project.add_items(placed.items)
        self.project.add_connections(placed.connections)
        ids = {t.key: item.id for t, item in zip(template.items, placed.items, strict=True)}
        return Placed(placed.pod.id, ids)

    def place_grid(
        self, template_id: str, hall_id: str, count: int, per_row: int, left_mm: float, top_mm: float, label: str
    ) -> list[Placed]:
        """``count`` pods in rows of ``per_row``, numbered left to right, top to bottom."""
        _, min_y, _, max_y = self.extent(template_id)
        pitch_y = max_y - min_y + AISLE_MM
        placed: list[Placed] = []
        for row_start in range(0, count, per_row):
            row = self.place_row(
                template_id,
                hall_id,
                min(per_row, count - row_start),
                left_mm,
                top_mm + pitch_y * (row_start // per_row),
                label,
            )
            placed.extend(row)
        for number, pod in enumerate(placed, start=1):
            self.project.update_pod(replace(self.project.pods[pod.pod_id], label=f"{label} {number}"))
        return placed

    def place_row(
        self, template_id: str, hall_id: str, count: int, left_mm: float, top_mm: float, label: str
    ) -> list[Placed]:
        min_x, _, max_x, _ = self.extent(template_id)
        width = max_x - min_x
        return [
            self.place(template_id, hall_id, left_mm + i * (width + AISLE_MM), top_mm, f"{label} {i + 1}")
            for i in range(count)
        ]

    def item(
        self,
        catalog_id: str,
        hall_id: str,
        x_mm: float,
        y_mm: float,
        label: str,
        *,
        group: str | None = None,
        rotation_deg: float = 0.0,
    ) -> str:
        item_id = self.project.new_id(catalog_id.split(".")[-1].split("_")[0])
        self.project.add_items([PlacedItem(item_id, catalog_id, hall_id, x_mm, y_mm, rotation_deg, label, group=group)])
        return item_id

    def power(self, source: str, targets: Iterable[str], feed: FeedSide = FeedSide.SINGLE) -> None:
        self.project.add_connections(
            [Connection(self.project.new_id("conn"), ConnectionKind.POWER, source, t, feed=feed) for t in targets]
        )

    def feed_pods(
        self, mv_a: str, mv_b: str, modules: Sequence[Placed], training: Sequence[Placed], inference: Sequence[Placed]
    ) -> tuple[list[str], list[str]]:
        """MV A/B feed the power modules; one UPS pair per training pod, then one pair per three
        inference pods. Returns the A and B UPS ids."""
        self.power(mv_a, [m.ids["xfmrA"] for m in modules])
        self.power(mv_b, [m.ids["xfmrB"] for m in modules])
        ups_a = [m.ids["upsA"] for m in modules]
        ups_b = [m.ids["upsB"] for m in modules]
        for pod, a, b in zip(training, ups_a, ups_b, strict=False):
            self.power(a, pod.keys_starting("busA"))
            self.power(b, pod.keys_starting("busB"))
        for index, pod in enumerate(inference):
            pair = len(training) + index // 3
            self.power(ups_a[pair], pod.keys_starting("busA"))
            self.power(ups_b[pair], pod.keys_starting("busB"))
        return ups_a, ups_b

    def cool_pods(self, modules: Sequence[Placed], liquid: Sequence[Placed], air: Sequence[Placed]) -> None:
        """Dry coolers take the CDUs of ``liquid`` pods, chillers the in-row coolers of ``air`` pods."""
        dry_coolers = [i for m in modules for i in m.keys_starting("dc")]
        chillers = [i for m in modules for i in m.keys_starting("chiller")]
        self.cool(dry_coolers, [i for pod in liquid for i in pod.keys_starting("cdu")], CoolingMedium.LIQUID)
        self.cool(chillers, [i for pod in air for i in pod.keys_starting("inrow")], CoolingMedium.LIQUID)

    def feed_cooling(
        self, modules: Sequence[Placed], training: Sequence[Placed], inference: Sequence[Placed],
        cooling: Sequence[Placed],
    ) -> None:
        """Cooling takes power on A and B cords like the racks: the CDUs and in-row coolers of each pod
        from the pod's UPS pair (pumps and fans ride through a utility outage on the UPS), the dry
        coolers and chillers of cooling module ``k`` from the LV boards of power module ``k``."""
        pairs = [(m.ids["upsA"], m.ids["upsB"]) for m in modules]
        pod_pairs = [*zip(training, pairs, strict=False),
                     *((pod, pairs[len(training) + index // 3]) for index, pod in enumerate(inference))]
        for pod, (ups_a, ups_b) in pod_pairs:
            units = [*pod.keys_starting("cdu"), *pod.keys_starting("inrow")]
            self.power(ups_a, units, FeedSide.A)
            self.power(ups_b, units, FeedSide.B)
        for plant, module in zip(cooling, modules, strict=False):
            units = [*plant.keys_starting("dc"), *plant.keys_starting("chiller")]
            self.power(module.ids["lvsbA"], units, FeedSide.A)
            self.power(module.ids["lvsbB"], units, FeedSide.B)

    def cool(self, sources: Sequence[str], targets: Iterable[str], medium: CoolingMedium) -> None:
        """Connect every target to every source (a redundant group shares the load equally)."""
        self.project.add_connections(
            [
                Connection(self.project.new_id("conn"), ConnectionKind.COOLING, s, t, medium=medium)
                for t in targets
                for s in sources
            ]
        )


def rectangle(width_mm: float, depth_mm: float) -> tuple[tuple[float, float], ...]:
    return ((0.0, 0.0), (width_mm, 0.0), (width_mm, depth_mm), (0.0, depth_mm))


def columns(hall_id: str, width_mm: float, depth_mm: float, pitch_mm: float) -> tuple[Obstacle, ...]:
    """A grid of 600 mm structural columns at ``pitch_mm`` inside the walls."""
    result = []
    nx, ny = int(width_mm // pitch_mm), int(depth_mm // pitch_mm)
    for i in range(1, nx):
        for j in range(1, ny):
            x, y = i * pitch_mm, j * pitch_mm
            result.append(
                Obstacle(
                    f"{hall_id}-col-{i}-{j}",
                    ObstacleKind.COLUMN,
                    ((x - 300, y - 300), (x + 300, y - 300), (x + 300, y + 300), (x - 300, y + 300)),
                )
            )
    return tuple(result)


def us_regions() -> tuple[UserRegion, ...]:
    return (
        UserRegion("New York", 40.7128, -74.006),
        UserRegion("Chicago", 41.8781, -87.6298),
        UserRegion("Dallas", 32.7767, -96.797),
        UserRegion("San Francisco", 37.7749, -122.4194),
        UserRegion("London", 51.5074, -0.1278),
    )


def transition(scenario_id: str, name: str, density: Sequence[float] | None = None) -> Scenario:
    shares = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
    factors = density or (1.0,) * len(shares)
    return Scenario(
        scenario_id,
        name,
        tuple(ScenarioYear(2025 + i, s, f) for i, (s, f) in enumerate(zip(shares, factors, strict=True))),
    )


# ============================================================================ AI hall
def build_ai_hall(catalog: Catalog, templates: Mapping[str, PodTemplate]) -> Project:
    """About 10 MW IT: 7 NVL72 pods (``ai`` racks that move from training to inference with the
    scenario), 6 L40S inference pods and a CPU/storage row; 2N power
    from two utility feeds through nine prefabricated A/B power modules; liquid heat to N+1 dry
    coolers, air heat to N+1 air-cooled chillers with free-cooling coils."""
    project = Project(
        metadata=Metadata(
            title="AI hall, 10 MW (training and inference)",
            author="dc-designer examples",
            revision="A",
            notes="Greenfield AI hall in Northern Virginia. 2N power, hybrid liquid/air cooling, W32 facility water.",
        ),
        site=Site("Ashburn campus, building 1", 39.0438, -77.4874, -5.0, "northern_virginia", 35.0, us_regions()),
        settings=DesignSettings(air_class="A1", liquid_class="W32", active_scenario_id="sc-transition"),
    )
    b = Builder(project, catalog, templates)
    hall = Hall(
        "hall-data",
        "Data hall 1",
        rectangle(72_000, 36_000),
        600.0,
        2500.0,
        FloorType.SLAB,
        columns("hall-data", 72_000, 36_000, 12_000),
        (Door("door-1", 36_000, 36_000, 2400, 0, "Loading"),),
        site_x_mm=24_000.0,
        site_y_mm=0.0,
    )
    plant = Hall(  # the yard behind the hall, across a 12 m service road
        "hall-plant", "Electrical and mechanical plant", rectangle(120_000, 48_000), 600.0, 2500.0, FloorType.SLAB,
        site_x_mm=0.0, site_y_mm=48_000.0,
    )
    project.add_hall(hall)
    project.add_hall(plant)

    training = b.place_row("pod.nvl72_training_8", hall.id, 7, 2_400, 2_400, "NVL72 pod")
    inference = b.place_row("pod.inference_l40s_20", hall.id, 6, 2_400, 12_600, "Inference pod")
    cpu_row = b.place("pod.cpu_storage_row", hall.id, 2_400, 25_200, "CPU and storage row")
    _make_ai(project, training)

    modules = b.place_grid("pod.power_module_2n", plant.id, 9, 5, 2_400, 2_400, "Power module")
    utility_a = b.item("elec.utility_12mw", plant.id, 1_000, 24_000, "Utility A")
    utility_b = b.item("elec.utility_12mw", plant.id, 1_000, 30_000, "Utility B")
    mv_a = b.item("elec.mv_switchgear", plant.id, 8_000, 24_000, "MV switchgear A")
    mv_b = b.item("elec.mv_switchgear", plant.id, 8_000, 30_000, "MV switchgear B")
    b.power(utility_a, [mv_a])
    b.power(utility_b, [mv_b])
    ups_a, ups_b = b.feed_pods(mv_a, mv_b, modules, training, inference)
    b.power(ups_a[8], cpu_row.keys_starting("rppA"))
    b.power(ups_b[8], cpu_row.keys_starting("rppB"))

    cooling = b.place_row("pod.cooling_module", plant.id, 4, 16_000, 24_000, "Cooling module")
    b.cool_pods(cooling, training, [*training, *inference, cpu_row])
    b.feed_cooling(modules, training, inference, cooling)
    b.power(ups_a[8], cpu_row.keys_starting("inrow"), FeedSide.A)
    b.power(ups_b[8], cpu_row.keys_starting("inrow"), FeedSide.B)
    project.add_scenario(transition("sc-transition", "Training to inference, 2025-2031"))
    return project


# ============================================================================ retrofit
def build_retrofit(catalog: Catalog, templates: Mapping[str, PodTemplate]) -> Project:
    """A 2008-era enterprise hall (raised floor rated 900 kg/m2, N+1 CRAHs, 2N 500 kW
    UPS behind one utility transformer) into which a row of 4 x DGX H100 racks with rear doors is
    being placed: floor loading, UPS headroom and the shared transformer show its limits."""
    project = _retrofit_project(
        "Retrofit: AI row in a legacy enterprise hall", "B",
        "Legacy 6 kW racks on a raised floor; four DGX H100 racks with active rear doors are proposed.",
        (DesignOption("Prefabricated AI module", "retrofit_prefab_option.dcplan"),),
    )
    b = Builder(project, catalog, templates)
    legacy = _legacy_hall(project, b)
    ai_row = b.place("pod.retrofit_ai_row", "hall-legacy", 12_900, 13_000, "Proposed AI row")
    b.power(legacy.pdus_a[1], ai_row.keys_starting("rppA"))
    b.power(legacy.pdus_b[1], ai_row.keys_starting("rppB"))
    b.cool(legacy.chillers, ai_row.keys_starting("door"), CoolingMedium.LIQUID)
    # the room's CRAHs also see the AI racks: they take the heat when a rear door fails
    b.cool(legacy.crahs, ai_row.keys_starting("rack"), CoolingMedium.AIR)
    project.add_scenario(transition("sc-retrofit", "Enterprise hall with a growing AI row"))
    return project


def build_retrofit_prefab(catalog: Catalog, templates: Mapping[str, PodTemplate]) -> Project:
    """The retrofit's other option: the legacy hall stays as it is and the same four DGX H100 racks go
    into a prefabricated module in the yard (slab floor, full containment) with its own transformer,
    LV board and 2N UPS pair from the site's utility; its rear doors take the site's chilled water."""
    project = _retrofit_project(
        "Retrofit option: AI row in a prefabricated module", "B-prefab",
        "The legacy hall is left as it is; the four DGX H100 racks go into a 12 x 6 m prefabricated module "
        "with its own transformer and 2N UPS, on the site's chilled water. Compare with retrofit.dcplan.",
    )
    b = Builder(project, catalog, templates)
    legacy = _legacy_hall(project, b)
    module = Hall("hall-module", "Prefabricated AI module", rectangle(12_000, 6_000), 600.0, 1_500.0, FloorType.SLAB,
                  air_management=AirManagement.FULL)
    project.add_hall(module)
    transformer = b.item("elec.xfmr_2500kva", "hall-plant", 5_000, 10_000, "TX-2 (module)")
    board = b.item("elec.lv_switchboard_4000a", "hall-plant", 10_000, 10_000, "Module LV board")
    ups_a = b.item("elec.ups_500kw", module.id, 8_000, 1_500, "Module UPS A")
    ups_b = b.item("elec.ups_500kw", module.id, 10_500, 1_500, "Module UPS B")
    b.power(legacy.utility, [transformer])
    b.power(transformer, [board])
    b.power(board, [ups_a, ups_b])
    ai_row = b.place("pod.retrofit_ai_row", module.id, 1_200, 1_800, "AI row (module)")
    b.power(ups_a, ai_row.keys_starting("rppA"))
    b.power(ups_b, ai_row.keys_starting("rppB"))
    b.cool(legacy.chillers, ai_row.keys_starting("door"), CoolingMedium.LIQUID)
    # three in-row coolers on the same water take a rack's heat when its rear door fails
    inrows = [b.item("cool.inrow_cw_70kw", module.id, x, 4_800, f"Module IRC-{n + 1}", rotation_deg=180.0)
              for n, x in enumerate((1_800, 3_000, 4_200))]
    b.cool(legacy.chillers, inrows, CoolingMedium.LIQUID)
    b.cool(inrows, ai_row.keys_starting("rack"), CoolingMedium.AIR)
    project.add_scenario(transition("sc-retrofit", "Enterprise hall with a growing AI row"))
    return project


@dataclass
class _Legacy:
    utility: str
    pdus_a: list[str]
    pdus_b: list[str]
    crahs: list[str]
    chillers: list[str]


def _retrofit_project(title: str, revision: str, notes: str, options: tuple[DesignOption, ...] = ()) -> Project:
    return Project(
        metadata=Metadata(title=title, author="dc-designer examples", revision=revision, notes=notes,
                          options=options),
        site=Site(
            "Frankfurt enterprise DC",
            50.1109,
            8.6821,
            1.0,
            "frankfurt",
            32.0,
            (
                UserRegion("Frankfurt", 50.1109, 8.6821),
                UserRegion("London", 51.5074, -0.1278),
                UserRegion("Paris", 48.8566, 2.3522),
            ),
        ),
        # a legacy room runs its supply air colder than the recommended 27 °C
        settings=DesignSettings(air_class="A1", liquid_class="W27", active_scenario_id="sc-retrofit",
                                supply_air_c=22.0),
    )


def _legacy_hall(project: Project, b: Builder) -> _Legacy:
    """The 2008 room with its 66 legacy racks, its plant room and their power and cooling."""
    width, depth = 26_400.0, 18_000.0
    hall = Hall(
        "hall-legacy",
        "Computer room 2 (raised floor)",
        rectangle(width, depth),
        600.0,
        900.0,
        FloorType.RAISED,
        tuple(  # columns stand in the aisles, between the rack rows
            Obstacle(
                f"hall-legacy-col-{n}",
                ObstacleKind.COLUMN,
                ((x - 300, 9_300), (x + 300, 9_300), (x + 300, 9_900), (x - 300, 9_900)),
            )
            for n, x in enumerate((9_000, 18_000), start=1)
        ),
        (Door("door-1", 1_500, 0, 1_800, 0, "Corridor"),),
        air_management=AirManagement.OPEN,  # a 2008 raised floor: open aisles, constant-speed CRAH fans
        site_x_mm=0.0,
        site_y_mm=0.0,
    )
    plant = Hall("hall-plant", "Plant room", rectangle(30_000, 15_000), 600.0, 2_000.0, FloorType.SLAB,
                 site_x_mm=0.0, site_y_mm=24_000.0)  # across the corridor and the loading bay
    project.add_hall(hall)
    project.add_hall(plant)

    utility = b.item("elec.utility_12mw", plant.id, 1_000, 2_000, "Utility")
    transformer = b.item("elec.xfmr_2500kva", plant.id, 5_000, 2_000, "TX-1")
    switchboard = b.item("elec.lv_switchboard_4000a", plant.id, 10_000, 2_000, "Main LV board")
    ups_a = b.item("elec.ups_500kw", plant.id, 5_000, 6_000, "UPS A")
    ups_b = b.item("elec.ups_500kw", plant.id, 9_000, 6_000, "UPS B")
    b.power(utility, [transformer])
    b.power(transformer, [switchboard])
    b.power(switchboard, [ups_a, ups_b])

    pdus_a = [b.item("elec.floor_pdu_300kva", hall.id, 1_200 + 1_500 * i, 16_800, f"PDU-A{i + 1}") for i in range(2)]
    pdus_b = [b.item("elec.floor_pdu_300kva", hall.id, 22_200 + 1_500 * i, 16_800, f"PDU-B{i + 1}") for i in range(2)]
    b.power(ups_a, pdus_a)
    b.power(ups_b, pdus_b)

    crahs = [
        b.item("cool.crah_chw_150kw", hall.id, x, 900, f"CRAH-{n + 1}", group="crah")
        for n, x in enumerate((4_500, 10_500, 16_500, 22_500))
    ]
    chillers = [
        b.item("cool.chiller_aircooled_1500kw", plant.id, 16_000 + 3_000 * n, 8_000, f"CH-{n + 1}", group="chillers")
        for n in range(2)
    ]
    b.cool(chillers, crahs, CoolingMedium.LIQUID)

    racks: list[str] = []
    for row in range(5):
        y = 3_600 + row * 2_400
        rotation = 0.0 if row % 2 == 0 else 180.0
        for n in range(14):
            x = 3_300 + n * 600
            if row == 4 and n >= 6:
                break
            rack_id = project.new_id("rack")
            project.add_items(
                [PlacedItem(rack_id, "rack.legacy_enterprise", hall.id, x, y, rotation, f"{'ABCDE'[row]}{n + 1:02d}")]
            )
            racks.append(rack_id)
    for index, rack in enumerate(racks):
        b.power(pdus_a[index % 2], [rack], FeedSide.A)
        b.power(pdus_b[index % 2], [rack], FeedSide.B)
    b.cool(crahs, racks, CoolingMedium.AIR)

    return _Legacy(utility, pdus_a, pdus_b, crahs, chillers)


# ============================================================================ modular campus
CAMPUS_MODULE_YEARS = (2025, 2026, 2028, 2030)
"""The year each prefabricated module of the campus enters service."""


def build_modular_campus(catalog: Catalog, templates: Mapping[str, PodTemplate]) -> Project:
    """Four prefabricated AI modules of about 8.7 MW each (35 MW IT), each with its own power and
    cooling modules, behind two 40 MW utility intakes and an MV switchgear pair in a substation.

    A phased build-out: the substation stands from the start, the modules enter service in
    ``CAMPUS_MODULE_YEARS`` over the transition with their training pods, power and cooling; each
    module's inference pods follow a year later (the pods carry the years)."""
    project = Project(
        metadata=Metadata(
            title="Modular AI campus, 35 MW",
            author="dc-designer examples",
            revision="A",
            notes="Four identical prefabricated modules entering service in 2025, 2026, 2028 and 2030, their "
                  "inference pods a year later; AI racks follow the scenario mix (ai workload class).",
        ),
        site=Site("Dallas modular campus", 32.8998, -97.0403, -6.0, "dallas", 40.0, us_regions()),
        settings=DesignSettings(air_class="A2", liquid_class="W40", active_scenario_id="sc-campus"),
    )
    b = Builder(project, catalog, templates)
    # on the site: the substation at the west end, the four modules two by two east of it (15 m roads)
    substation = Hall("hall-substation", "Substation", rectangle(30_000, 20_000), 600.0, 3_000.0, FloorType.SLAB,
                      site_x_mm=0.0, site_y_mm=49_500.0)
    project.add_hall(substation)
    utility_a = b.item("elec.utility_40mw", substation.id, 1_000, 5_000, "Utility intake A")
    utility_b = b.item("elec.utility_40mw", substation.id, 1_000, 15_000, "Utility intake B")
    mv_a = [b.item("elec.mv_switchgear", substation.id, 8_000 + 8_000 * i, 5_000, f"MV-A{i + 1}") for i in range(2)]
    mv_b = [b.item("elec.mv_switchgear", substation.id, 8_000 + 8_000 * i, 15_000, f"MV-B{i + 1}") for i in range(2)]
    b.power(utility_a, mv_a)
    b.power(utility_b, mv_b)

    for module in range(4):
        hall = Hall(
            f"hall-m{module + 1}", f"Module {module + 1}", rectangle(100_000, 52_000), 600.0, 2_500.0, FloorType.SLAB,
            site_x_mm=45_000.0 + 115_000.0 * (module % 2), site_y_mm=67_000.0 * (module // 2),
        )
        project.add_hall(hall)
        training = b.place_row("pod.nvl72_training_8", hall.id, 6, 2_400, 2_400, f"M{module + 1} training pod")
        inference = b.place_row("pod.inference_l40s_20", hall.id, 6, 2_400, 11_400, f"M{module + 1} inference pod")
        _make_ai(project, training)
        power_modules = b.place_grid("pod.power_module_2n", hall.id, 8, 4, 2_400, 20_400, f"M{module + 1} power")
        cooling = b.place_row("pod.cooling_module", hall.id, 4, 2_400, 36_000, f"M{module + 1} cooling")
        mv_pair = module // 2
        b.feed_pods(mv_a[mv_pair], mv_b[mv_pair], power_modules, training, inference)
        b.cool_pods(cooling, training, [*training, *inference])
        b.feed_cooling(power_modules, training, inference, cooling)
        year = CAMPUS_MODULE_YEARS[module]
        for placed in (*training, *power_modules, *cooling):
            project.update_pod(replace(project.pods[placed.pod_id], in_service_year=year))
        for placed in inference:  # inference capacity follows a year later, as the share grows
            project.update_pod(replace(project.pods[placed.pod_id], in_service_year=year + 1))
    project.add_scenario(
        transition("sc-campus", "Campus transition with denser AI racks", (1.0, 1.0, 1.0, 1.05, 1.05, 1.1, 1.1))
    )
    return project


def _make_ai(project: Project, pods: Sequence[Placed]) -> None:
    """NVL72 racks are bought for both jobs: as ``ai`` racks they follow the scenario's inference share."""
    from designer.model import WorkloadClass

    racks = [project.items[i] for pod in pods for i in pod.keys_starting("rack")]
    project.update_items([replace(rack, workload=WorkloadClass.AI) for rack in racks])


EXAMPLES: dict[str, Callable[[Catalog, Mapping[str, PodTemplate]], Project]] = {
    "ai_hall": build_ai_hall,
    "retrofit": build_retrofit,
    "retrofit_prefab_option": build_retrofit_prefab,
    "modular_campus": build_modular_campus,
}


def build_all(catalog: Catalog | None = None) -> dict[str, Project]:
    catalog = catalog or load_catalog(include_user=False)
    templates = load_pod_templates(catalog, include_user=False)
    projects = {name: build(catalog, templates) for name, build in EXAMPLES.items()}
    for project in projects.values():
        balance_phases(project, catalog)
    return projects


def balance_phases(project: Project, catalog: Catalog) -> None:
    """Assign the single-phase racks' phases as Analysis > Auto-balance Phases would (examples ship balanced)."""
    from designer.analysis.engine import analyze
    from designer.analysis.phase_balance import balance_phases as balanced
    from designer.analysis.profiles import load_profiles

    scenario = project.active_scenario  # a phased design: its last year, when every module stands
    results = analyze(project, catalog, year=scenario.years[-1].year if scenario and scenario.years else None)
    phases = balanced(project, catalog, results, load_profiles(project.site.utc_offset_h).by_class)
    project.update_items([replace(project.items[item_id], phase=phase) for item_id, phase in sorted(phases.items())])


def main(argv: Sequence[str] | None = None) -> int:
    folder = Path(argv[0]) if argv else examples_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for name, project in build_all().items():
        path = folder / f"{name}.dcplan"
        save_project(project, path, keep_backup=False)
        print(f"wrote {path} ({len(project.items)} items, {len(project.connections)} connections)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
