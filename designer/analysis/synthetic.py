"""A synthetic AI campus of any size: complete 2N power and N+1 cooling, every part sized to carry
its load with one redundant partner lost, for tests and benchmarks.

Layout, per hall of ``ROWS_PER_HALL`` rows of ``RACKS_PER_ROW`` racks (3 GB200 NVL72, 4 H100 PCIe
inference, 1 CPU, 1 storage, 1 network rack per row = 540 kW nameplate):

* power, mirrored on sides A and B: utility -> MV switchgear -> transformer (2 UPS each) -> UPS
  (2 rows each) -> busway (1 per row) -> every rack of the row on both cords;
* cooling, per pod of ``ROWS_PER_POD`` rows: N+1 CDUs (liquid) and N+1 fan walls (air) shared by
  the pod's racks; per hall: N+1 dry coolers behind the CDUs and N+1 air-cooled chillers behind
  the fan walls;
* the cooling plant's power, mirrored on A and B: the first MV switchgear of the side ->
  mechanical transformers -> mechanical LV boards (enough for ``MECH_KW_PER_IT_KW`` of the hall's
  nameplate) -> the hall's cooling units, dealt round the boards, each on an A and a B cord (so a
  single power failure never stops cooling, but every case is checked for it).

Sizing keeps each part at or below ``SIZING_LIMIT`` of its rating at rack nameplate *after* the
loss of its redundant partner, so at the profiles' running load (~0.8 of nameplate at most) the
design is correct: no overload in any single failure and every component around 80 % at worst.
Entries come from the catalog given when it has the ids below, else from the fallbacks defined
here with the bundled catalog's figures (added to the project's own catalog).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from designer.model.catalog import CatalogEntry, LossModel
from designer.model.project import Project
from designer.model.records import (
    Connection,
    DesignSettings,
    Hall,
    PlacedItem,
    PodInstance,
    Scenario,
    Site,
)
from designer.model.types import (
    Confidence,
    ConnectionKind,
    CoolingMedium,
    FeedSide,
    ItemKind,
    Role,
    WorkloadClass,
)

RACKS_PER_ROW = 10
ROWS_PER_POD = 4
ROWS_PER_HALL = 20
ROWS_PER_UPS = 2
UPS_PER_TRANSFORMER = 2
TRANSFORMERS_PER_MV = 6
SIZING_LIMIT = 1.0
"""Nameplate load over rating allowed after a failure (running load is ~0.8 of nameplate)."""
COOLING_DESIGN_LIMIT = 0.8
"""Cooling units: N is chosen so the nameplate heat is at most this fraction of N units."""
MECH_KW_PER_IT_KW = 0.35
"""Electrical allowance for the cooling plant per kW of IT nameplate when sizing the mechanical
boards (E: the Dublin campus draws about 0.27 on its design day, chillers at full compressor)."""
ROW_PATTERN: tuple[str, ...] = (
    "rack.gb200_nvl72_ai", "rack.inference_h100_pcie", "rack.gb200_nvl72_ai", "rack.inference_h100_pcie",
    "rack.cpu_general", "rack.gb200_nvl72_ai", "rack.inference_h100_pcie", "rack.storage",
    "rack.inference_h100_pcie", "rack.network_spine",
)


def _entry(entry_id: str, kind: ItemKind, role: Role, capacity_kw: float, width_mm: float, depth_mm: float,
           weight_kg: float, **extra: object) -> CatalogEntry:
    return CatalogEntry(id=entry_id, kind=kind, role=role, name=entry_id, width_mm=width_mm, depth_mm=depth_mm,
                        source="synthetic fallback (figures of resources/catalog)", confidence=Confidence.ESTIMATE,
                        weight_kg=weight_kg, capacity_kw=capacity_kw, **extra)  # type: ignore[arg-type]


FALLBACK_ENTRIES: tuple[CatalogEntry, ...] = (
    _entry("elec.utility_40mw", ItemKind.POWER, Role.UTILITY, 40_000.0, 0, 0, 0,
           loss=LossModel(), parameters={"indoor": False}),
    _entry("elec.mv_switchgear", ItemKind.POWER, Role.MV_SWITCHGEAR, 19_000.0, 6400, 1800, 8000,
           loss=LossModel(0.0, 0.001, 0.0)),
    _entry("elec.xfmr_3000kva", ItemKind.POWER, Role.TRANSFORMER, 2_850.0, 2500, 1500, 6500,
           loss=LossModel(0.0025, 0.0, 0.009)),
    _entry("elec.ups_1250kw", ItemKind.POWER, Role.UPS, 1_250.0, 4000, 1000, 4200,
           loss=LossModel(0.012, 0.015, 0.008)),
    _entry("elec.lv_switchboard_4000a", ItemKind.POWER, Role.LV_SWITCHBOARD, 2_731.2, 5000, 1000, 4500,
           loss=LossModel(0.0, 0.0, 0.002)),
    _entry("elec.busway_1250a", ItemKind.POWER, Role.BUSWAY, 853.6, 4800, 200, 115,
           loss=LossModel(0.0, 0.0, 0.004), parameters={"overhead": True}),
    _entry("rack.gb200_nvl72_ai", ItemKind.RACK, Role.RACK, 132.0, 600, 1068, 1360,
           workload=WorkloadClass.AI, liquid_fraction=0.85),
    _entry("rack.inference_h100_pcie", ItemKind.RACK, Role.RACK, 28.0, 600, 1200, 750,
           workload=WorkloadClass.INFERENCE),
    _entry("rack.cpu_general", ItemKind.RACK, Role.RACK, 10.0, 600, 1070, 600, workload=WorkloadClass.GENERAL),
    _entry("rack.storage", ItemKind.RACK, Role.RACK, 12.0, 600, 1200, 1000, workload=WorkloadClass.STORAGE),
    _entry("rack.network_spine", ItemKind.RACK, Role.RACK, 10.0, 800, 1200, 500, workload=WorkloadClass.NETWORK),
    _entry("cool.cdu_inrow_1500kw", ItemKind.COOLING, Role.CDU, 1_500.0, 1200, 1200, 1800,
           medium=CoolingMedium.LIQUID, parameters={"pump_kw_per_kw": 0.01, "approach_k": 3}),
    _entry("cool.fanwall_400kw", ItemKind.COOLING, Role.FAN_WALL, 400.0, 3500, 2000, 2500,
           medium=CoolingMedium.AIR, parameters={"fan_kw_per_kw": 0.025}),
    _entry("cool.dry_cooler_1mw", ItemKind.COOLING, Role.DRY_COOLER, 1_000.0, 2400, 12000, 9000,
           medium=CoolingMedium.LIQUID,
           parameters={"sink": "dry_bulb", "approach_k": 10, "free_cooling": True, "fan_kw_per_kw": 0.02}),
    _entry("cool.chiller_aircooled_1500kw", ItemKind.COOLING, Role.CHILLER_AIR, 1_500.0, 2300, 12000, 14000,
           medium=CoolingMedium.LIQUID,
           parameters={"sink": "dry_bulb", "approach_k": 8, "free_cooling": True, "fan_kw_per_kw": 0.03,
                       "cop_mechanical": 3.5}),
)


def campus_catalog(catalog: Mapping[str, CatalogEntry] | None = None) -> dict[str, CatalogEntry]:
    """The entries the campus uses: from ``catalog`` when present, else the fallbacks."""
    given = catalog or {}
    return {e.id: given.get(e.id, e) for e in FALLBACK_ENTRIES}


def _groups(n: int, size: int) -> list[range]:
    return [range(i, min(i + size, n)) for i in range(0, n, size)]


def _n_plus_one(heat_kw: float, unit_kw: float) -> int:
    return max(1, math.ceil(heat_kw / (unit_kw * COOLING_DESIGN_LIMIT))) + 1


def build_campus(n_racks: int, catalog: Mapping[str, CatalogEntry] | None = None) -> Project:
    """A correct campus of about ``n_racks`` racks (rounded up to whole rows).

    Catalog ids missing from ``catalog`` are added to the project's own catalog from the fallbacks,
    so ``analyze(project, catalog)`` works with any catalog (even an empty one).
    """
    entries = campus_catalog(catalog)
    project = Project(site=Site(name="Synthetic campus", climate_id="dublin", utc_offset_h=0.0,
                                design_ambient_c=30.0),
                      settings=DesignSettings(active_scenario_id="transition"))
    for entry in entries.values():
        if catalog is None or entry.id not in catalog:
            project.set_custom_catalog_entry(entry)
    project.add_scenario(Scenario("transition", "Training to inference"))

    n_rows = max(1, math.ceil(n_racks / RACKS_PER_ROW))
    row_kw = sum(entries[c].capacity_kw for c in ROW_PATTERN)
    row_liquid = sum(entries[c].capacity_kw * entries[c].liquid_fraction for c in ROW_PATTERN)
    items: list[PlacedItem] = []
    connections: list[Connection] = []
    liquid_racks: set[str] = set()

    def item(item_id: str, catalog_id: str, hall: str, x: float, y: float, **extra: object) -> str:
        items.append(PlacedItem(item_id, catalog_id, hall, x, y, **extra))  # type: ignore[arg-type]
        return item_id

    def link(kind: ConnectionKind, source: str, target: str, feed: FeedSide = FeedSide.SINGLE,
             medium: CoolingMedium = CoolingMedium.AIR) -> None:
        connections.append(Connection(f"k{len(connections)}", kind, source, target, feed, medium))

    for h, hall_rows in enumerate(_groups(n_rows, ROWS_PER_HALL)):
        hall = f"hall{h}"
        project.add_hall(Hall(hall, f"Hall {h + 1}", ((0, 0), (90_000, 0), (90_000, 100_000), (0, 100_000)),
                              floor_rating_kg_m2=2500.0))
        pod_groups = _groups(len(hall_rows), ROWS_PER_POD)
        for p in range(len(pod_groups)):
            project.add_pod(PodInstance(f"{hall}-pod{p}", "synthetic.pod", hall, f"Pod {p + 1}"))
        row_racks: list[list[str]] = []
        for r in hall_rows:
            local = r - hall_rows.start
            y = 5_000.0 + 3_000.0 * local
            racks = []
            for i in range(RACKS_PER_ROW):
                catalog_id = ROW_PATTERN[i % len(ROW_PATTERN)]
                rack = item(f"r{r}-{i}", catalog_id, hall, 2_000.0 + 900.0 * i, y,
                            pod_id=f"{hall}-pod{local // ROWS_PER_POD}")
                liquid_racks.update({rack} if entries[catalog_id].liquid_fraction > 0 else ())
                racks.append(rack)
            row_racks.append(racks)
        # power, mirrored on A and B
        mech_boards: dict[FeedSide, list[str]] = {}
        n_boards = math.ceil(row_kw * len(row_racks) * MECH_KW_PER_IT_KW
                             / entries["elec.lv_switchboard_4000a"].capacity_kw)
        for side in (FeedSide.A, FeedSide.B):
            s = side.value
            dy = 0.0 if s == "A" else 22_000.0  # the B side's plant stands apart from the A side's
            utility = item(f"{hall}-util{s}", "elec.utility_40mw", hall, 80_000.0, 1_000.0 if s == "A" else 99_000.0)
            rows_per_mv = ROWS_PER_UPS * UPS_PER_TRANSFORMER * TRANSFORMERS_PER_MV
            for m, xfmr_rows in enumerate(_groups(len(row_racks), rows_per_mv)):
                mv = item(f"{hall}-mv{s}{m}", "elec.mv_switchgear", hall, 76_000.0, 5_000.0 + dy + 3_000.0 * m)
                link(ConnectionKind.POWER, utility, mv)
                for j in range(n_boards if m == 0 else 0):
                    y_mech = (60_000.0 if s == "A" else 63_000.0) - 6_000.0 * j
                    mech_xfmr = item(f"{hall}-mxf{s}{j}", "elec.xfmr_3000kva", hall, 65_000.0, y_mech)
                    board = item(f"{hall}-mlv{s}{j}", "elec.lv_switchboard_4000a", hall, 60_000.0, y_mech)
                    mech_boards.setdefault(side, []).append(board)
                    link(ConnectionKind.POWER, mv, mech_xfmr)
                    link(ConnectionKind.POWER, mech_xfmr, board)
                for t, ups_rows in enumerate(_groups(len(xfmr_rows), ROWS_PER_UPS * UPS_PER_TRANSFORMER)):
                    xfmr = item(f"{hall}-xf{s}{m}.{t}", "elec.xfmr_3000kva", hall, 70_000.0, 5_000.0 + dy + 2_000.0 * t)
                    link(ConnectionKind.POWER, mv, xfmr)
                    for u, rows in enumerate(_groups(len(ups_rows), ROWS_PER_UPS)):
                        ups = item(f"{hall}-ups{s}{m}.{t}.{u}", "elec.ups_1250kw", hall, 65_000.0,
                                   5_000.0 + dy + 1_500.0 * (2 * t + u))
                        link(ConnectionKind.POWER, xfmr, ups)
                        for k in rows:
                            local = xfmr_rows.start + ups_rows.start + k
                            bus = item(f"{hall}-bus{s}{local}", "elec.busway_1250a", hall, 5_000.0,
                                       4_000.0 + 3_000.0 * local)
                            link(ConnectionKind.POWER, ups, bus)
                            for rack in row_racks[local]:
                                link(ConnectionKind.POWER, bus, rack, side)
        # cooling: N+1 CDUs and fan walls per pod, N+1 dry coolers and chillers per hall
        cdus: list[str] = []
        walls: list[str] = []
        for p, pod_rows in enumerate(pod_groups):
            pod = f"{hall}-pod{p}"
            pod_rack_ids = [rack for k in pod_rows for rack in row_racks[k]]
            liquid_kw = row_liquid * len(pod_rows)
            air_kw = (row_kw - row_liquid) * len(pod_rows)
            n_cdu = _n_plus_one(liquid_kw, entries["cool.cdu_inrow_1500kw"].capacity_kw)
            n_wall = _n_plus_one(air_kw, entries["cool.fanwall_400kw"].capacity_kw)
            pod_cdus = [item(f"{pod}-cdu{i}", "cool.cdu_inrow_1500kw", hall, 30_000.0 + 1_500.0 * i,
                             5_000.0 + 12_000.0 * p, group=f"{pod}-cdu") for i in range(n_cdu)]
            pod_walls = [item(f"{pod}-fw{i}", "cool.fanwall_400kw", hall, 40_000.0 + 4_000.0 * i,
                              5_000.0 + 12_000.0 * p, group=f"{pod}-fw") for i in range(n_wall)]
            cdus += pod_cdus
            walls += pod_walls
            for rack in pod_rack_ids:
                if rack in liquid_racks:
                    for cdu in pod_cdus:
                        link(ConnectionKind.COOLING, cdu, rack, medium=CoolingMedium.LIQUID)
                for wall in pod_walls:
                    link(ConnectionKind.COOLING, wall, rack)
        hall_liquid = row_liquid * len(row_racks) * 1.01
        hall_air = (row_kw - row_liquid) * len(row_racks) * 1.025
        n_dry = _n_plus_one(hall_liquid, entries["cool.dry_cooler_1mw"].capacity_kw)
        n_chiller = _n_plus_one(hall_air, entries["cool.chiller_aircooled_1500kw"].capacity_kw)
        dries: list[str] = []
        for i in range(n_dry):
            dry = item(f"{hall}-dry{i}", "cool.dry_cooler_1mw", hall, 2_500.0 + 2_600.0 * i, 84_000.0,
                       group=f"{hall}-dry")
            dries.append(dry)
            for cdu in cdus:
                link(ConnectionKind.COOLING, dry, cdu, medium=CoolingMedium.LIQUID)
        rejection: list[str] = []
        for i in range(n_chiller):
            chiller = item(f"{hall}-ch{i}", "cool.chiller_aircooled_1500kw", hall, 50_000.0 + 2_500.0 * i, 84_000.0,
                           group=f"{hall}-ch")
            rejection.append(chiller)
            for wall in walls:
                link(ConnectionKind.COOLING, chiller, wall, medium=CoolingMedium.LIQUID)
        for side, boards in mech_boards.items():
            for u, unit in enumerate((*cdus, *walls, *dries, *rejection)):
                link(ConnectionKind.POWER, boards[u % len(boards)], unit, side)
    project.add_items(items)
    project.add_connections(connections)
    return project
