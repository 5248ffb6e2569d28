"""DXF export of one hall: outline, structure, racks and equipment as attributed blocks, connections.

Coordinates are millimetres (``$INSUNITS`` = 4). The model's frame is y-down like a screen; CAD is
y-up, so a model point (x, y) is written at CAD (x, -y). The model rotates clockwise on screen, which
after the flip is clockwise in CAD as well, and CAD angles run counter-clockwise: an item rotated by
``r`` degrees is inserted with the CAD rotation ``-r`` (kept in [0, 360)). Block definitions are
drawn in the CAD frame, so the front (cold-aisle) face, at model -y, lies on the block's +y edge.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Mapping
from pathlib import Path

from ezdxf import const, zoom
from ezdxf.document import Drawing
from ezdxf.enums import TextEntityAlignment
from ezdxf.filemanagement import new as new_drawing
from ezdxf.layouts.blocklayout import BlockLayout
from ezdxf.layouts.layout import Modelspace
from ezdxf.lldxf.validator import is_valid_block_name

from designer.io.project_file import write_export
from designer.model import effective
from designer.model.catalog import Catalog, CatalogEntry, merged_catalog
from designer.model.project import Project
from designer.model.records import Hall, PlacedItem, PointMm
from designer.model.types import ConnectionKind, CoolingMedium, FeedSide, ItemKind, ObstacleKind, Role, WorkloadClass

DXF_VERSION = "R2013"
INSUNITS_MM = 4
MEASUREMENT_METRIC = 1

LAYERS: dict[str, tuple[int, str]] = {
    "WALLS": (7, "Hall outline and wall obstacles"),
    "COLUMNS": (8, "Building columns"),
    "DOORS": (30, "Doors: leaf and swing"),
    "RACKS-TRAINING": (1, "Racks running training workloads"),
    "RACKS-INFERENCE": (5, "Racks running inference workloads"),
    "RACKS-AI": (6, "Racks following the scenario's training/inference mix"),
    "RACKS-GENERAL": (3, "General-purpose compute racks"),
    "RACKS-STORAGE": (42, "Storage racks"),
    "RACKS-NETWORK": (4, "Network racks"),
    "POWER-EQUIPMENT": (10, "Power chain equipment (switchgear, UPS, PDU, busway, ...)"),
    "COOLING-EQUIPMENT": (150, "Cooling equipment (CRAH, CDU, in-row, chillers, ...)"),
    "POWER-A": (1, "Power connections, A feed (centre to centre)"),
    "POWER-B": (5, "Power connections, B feed (centre to centre)"),
    "POWER-SINGLE": (30, "Power connections, single feed (centre to centre)"),
    "COOLING-LIQUID": (140, "Liquid cooling connections (centre to centre)"),
    "COOLING-AIR": (130, "Air cooling connections (centre to centre)"),
    "CONTAINMENT": (9, "Aisle containment"),
    "LABELS": (7, "Item and hall labels"),
    "FLOOR-GRID": (254, "Floor tile grid (off by default)"),
}
"""Layer name -> (AutoCAD colour index, description)."""
UNDERLAY_LAYER = (9, "The architect's drawing under the hall")
"""Colour and description of the UNDERLAY layer, added only to halls that have one."""

RACK_LAYERS: dict[WorkloadClass, str] = {
    WorkloadClass.TRAINING: "RACKS-TRAINING",
    WorkloadClass.INFERENCE: "RACKS-INFERENCE",
    WorkloadClass.AI: "RACKS-AI",
    WorkloadClass.GENERAL: "RACKS-GENERAL",
    WorkloadClass.STORAGE: "RACKS-STORAGE",
    WorkloadClass.NETWORK: "RACKS-NETWORK",
}
POWER_LAYERS: dict[FeedSide, str] = {FeedSide.A: "POWER-A", FeedSide.B: "POWER-B", FeedSide.SINGLE: "POWER-SINGLE"}
COOLING_LAYERS: dict[CoolingMedium, str] = {CoolingMedium.LIQUID: "COOLING-LIQUID", CoolingMedium.AIR: "COOLING-AIR"}

RACK_ATTRIBS = ("ID", "LABEL", "KW", "WORKLOAD", "CATALOG")
EQUIPMENT_ATTRIBS = ("ID", "LABEL", "KW", "ROLE", "CATALOG")
ZERO_FOOTPRINT_RADIUS_MM = 75.0
"""Items with no floor footprint (rack PDUs, utility feeds) are drawn as a circle this big."""
DOOR_BLOCK = "DC-DOOR"
MAX_TEXT_CHARS = 250


def cad_point(x_mm: float, y_mm: float) -> tuple[float, float]:
    """A model point (y-down) in CAD coordinates (y-up)."""
    return (x_mm, -y_mm)


def cad_rotation_deg(rotation_deg: float) -> float:
    """CAD (counter-clockwise) insert rotation for a model rotation (clockwise, y-down)."""
    return (-rotation_deg) % 360.0


def export_dxf(
    project: Project,
    catalog: Catalog,
    hall_id: str,
    path: Path,
    *,
    rack_kw: Mapping[str, float] | None = None,
    floor_grid: bool = True,
) -> None:
    """Write ``hall_id`` of ``project`` as a DXF drawing in millimetres to ``path``.

    ``rack_kw`` replaces the design kW written in the racks' ``KW`` attribute (e.g. analysed loads).
    Raises ``ValueError`` for an unknown hall or catalog id and ``OSError`` when the file cannot be
    written; a failed export leaves no file (and an existing one untouched).
    """
    doc = build_dxf(project, catalog, hall_id, rack_kw=rack_kw, floor_grid=floor_grid)
    data = dxf_bytes(doc)
    write_export(path, data, "DXF file")


def dxf_bytes(doc: Drawing) -> bytes:
    """The drawing serialised as ASCII DXF, encoded as the DXF version requires."""
    stream = io.StringIO()
    doc.write(stream)
    return doc.encode(stream.getvalue())  # ezdxf's error handler: no UnicodeEncodeError mid-export


def build_dxf(
    project: Project,
    catalog: Catalog,
    hall_id: str,
    *,
    rack_kw: Mapping[str, float] | None = None,
    floor_grid: bool = True,
) -> Drawing:
    """The DXF document of one hall, in memory."""
    hall = project.halls.get(hall_id)
    if hall is None:
        raise ValueError(f"unknown hall {hall_id!r}")
    entries = merged_catalog(catalog, project.custom_catalog)
    items = sorted((item for item in project.items.values() if item.hall_id == hall_id), key=lambda i: i.id)
    for item in items:
        if item.catalog_id not in entries:
            raise ValueError(f"hall {hall_id!r}: item {item.id!r}: unknown catalog id {item.catalog_id!r}")
    overrides = dict(rack_kw or {})
    for item_id, value in overrides.items():
        if not math.isfinite(value):
            raise ValueError(f"rack_kw[{item_id!r}]: expected a finite number, found {value!r}")

    doc = new_drawing(DXF_VERSION, setup=True, units=INSUNITS_MM)
    doc.header["$INSUNITS"] = INSUNITS_MM
    doc.header["$MEASUREMENT"] = MEASUREMENT_METRIC
    doc.header["$LUNITS"] = 2  # decimal
    doc.header["$AUNITS"] = 0  # decimal degrees
    for name, (colour, description) in LAYERS.items():
        layer = doc.layers.add(name, color=colour)
        layer.description = description
    doc.layers.get("FLOOR-GRID").off()

    msp = doc.modelspace()
    _draw_underlay(doc, msp, hall)
    _draw_hall(msp, hall, floor_grid=floor_grid)
    _draw_doors(doc, msp, hall)
    blocks = _define_blocks(doc, (entries[item.catalog_id] for item in items))
    for item in items:
        entry = entries[item.catalog_id]
        kw = effective.design_kw(item, entry)
        if entry.is_rack:
            kw = overrides.get(item.id, kw)
        _insert_item(msp, blocks[entry.id], item, entry, kw)
    _draw_connections(msp, project, {item.id: item for item in items})

    min_x, min_y, max_x, max_y = _extents(hall, items, entries)
    doc.header["$EXTMIN"] = (min_x, -max_y, 0.0)
    doc.header["$EXTMAX"] = (max_x, -min_y, 0.0)
    zoom.window(msp, (min_x, -max_y), (max_x, -min_y))
    return doc


def item_layer(item: PlacedItem, entry: CatalogEntry) -> str:
    """The layer an item's block reference goes on."""
    if entry.is_rack:
        return RACK_LAYERS[effective.workload(item, entry)]
    if entry.kind is ItemKind.POWER:
        return "POWER-EQUIPMENT"
    if entry.kind is ItemKind.COOLING:
        return "COOLING-EQUIPMENT"
    if entry.role is Role.COLUMN:
        return "COLUMNS"
    if entry.role is Role.CONTAINMENT:
        return "CONTAINMENT"
    return "WALLS"


def _one_line(text: str) -> str:
    """Text safe for a single-line DXF string: no control characters, bounded length."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text)
    return cleaned[:MAX_TEXT_CHARS]


def _format_kw(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _closed_polyline(msp: Modelspace, points_mm: Iterable[PointMm], layer: str) -> None:
    msp.add_lwpolyline([cad_point(x, y) for x, y in points_mm], close=True, dxfattribs={"layer": layer})


def _draw_hall(msp: Modelspace, hall: Hall, *, floor_grid: bool) -> None:
    _closed_polyline(msp, hall.outline_mm, "WALLS")
    for obstacle in hall.obstacles:
        _closed_polyline(msp, obstacle.polygon_mm, "COLUMNS" if obstacle.kind is ObstacleKind.COLUMN else "WALLS")
    min_x, min_y, max_x, max_y = hall.bounds_mm()
    text_height_mm = max(100.0, min(1000.0, (max_x - min_x) / 60.0))
    msp.add_text(_one_line(hall.name or hall.id), height=text_height_mm, dxfattribs={"layer": "LABELS"}).set_placement(
        cad_point(min_x, min_y - text_height_mm), align=TextEntityAlignment.BOTTOM_LEFT
    )
    if floor_grid and hall.tile_mm > 0:
        # Grid over the outline's bounding box, from the hall origin; the layer starts switched off.
        first_x = math.ceil(min_x / hall.tile_mm) * hall.tile_mm
        first_y = math.ceil(min_y / hall.tile_mm) * hall.tile_mm
        x = first_x
        while x <= max_x:
            msp.add_line(cad_point(x, min_y), cad_point(x, max_y), dxfattribs={"layer": "FLOOR-GRID"})
            x += hall.tile_mm
        y = first_y
        while y <= max_y:
            msp.add_line(cad_point(min_x, y), cad_point(max_x, y), dxfattribs={"layer": "FLOOR-GRID"})
            y += hall.tile_mm


def _draw_underlay(doc: Drawing, msp: Modelspace, hall: Hall) -> None:
    """The hall's CAD drawing, placed as on the floor, on its own layer (off when hidden in the app).

    Drawn first so CAD programs that draw in order keep it under the plan. The layer exists only
    when there is an underlay, so exports of other halls are unchanged.
    """
    underlay = hall.underlay
    if underlay is None:
        return
    colour, description = UNDERLAY_LAYER
    layer = doc.layers.add("UNDERLAY", color=colour)
    layer.description = f"{description}: {_one_line(underlay.source_name)}"[:MAX_TEXT_CHARS]
    if not underlay.visible:
        layer.off()
    attributes = {"layer": "UNDERLAY"}
    for x0, y0, x1, y1 in underlay.placed_segments_mm():
        msp.add_line(cad_point(x0, y0), cad_point(x1, y1), dxfattribs=attributes)


def _draw_doors(doc: Drawing, msp: Modelspace, hall: Hall) -> None:
    """Doors as a unit-width block scaled to the opening: a leaf and its quarter-circle swing."""
    if not hall.doors:
        return
    block = doc.blocks.new(DOOR_BLOCK)
    block.add_line((-0.5, 0.0), (-0.5, 1.0))
    block.add_arc((-0.5, 0.0), radius=1.0, start_angle=0.0, end_angle=90.0)
    for door in hall.doors:
        msp.add_blockref(
            DOOR_BLOCK,
            cad_point(door.x_mm, door.y_mm),
            dxfattribs={
                "layer": "DOORS",
                "xscale": door.width_mm,
                "yscale": door.width_mm,
                "rotation": cad_rotation_deg(door.rotation_deg),
            },
        )


def _block_name(catalog_id: str, taken: set[str]) -> str:
    base = "".join(ch if is_valid_block_name(ch) else "_" for ch in catalog_id) or "item"
    name, n = base, 1
    while name.upper() in taken:
        n += 1
        name = f"{base}_{n}"
    taken.add(name.upper())
    return name


def _define_blocks(doc: Drawing, entries: Iterable[CatalogEntry]) -> dict[str, str]:
    """One block per catalog entry, named after its id; returns catalog id -> block name."""
    taken = {name.upper() for name in (DOOR_BLOCK, "*MODEL_SPACE", "*PAPER_SPACE")}
    names: dict[str, str] = {}
    for entry in entries:
        if entry.id in names:
            continue
        names[entry.id] = name = _block_name(entry.id, taken)
        block = doc.blocks.new(name)
        _draw_footprint(block, entry)
        tags = RACK_ATTRIBS if entry.is_rack else EQUIPMENT_ATTRIBS
        height_mm = max(20.0, min(entry.width_mm, entry.depth_mm, 1000.0) / 10.0)
        for index, tag in enumerate(tags):
            block.add_attdef(
                tag,
                insert=(0.0, -index * height_mm * 1.5),
                height=height_mm,
                text="",
                dxfattribs={"flags": const.ATTRIB_INVISIBLE},
            )
    return names


def _draw_footprint(block: BlockLayout, entry: CatalogEntry) -> None:
    """Width x depth centred on the origin, plus a line just inside the front (+y) edge."""
    if entry.width_mm <= 0 or entry.depth_mm <= 0:
        block.add_circle((0.0, 0.0), radius=ZERO_FOOTPRINT_RADIUS_MM)
        block.add_point((0.0, 0.0))
        return
    half_w, half_d = entry.width_mm / 2.0, entry.depth_mm / 2.0
    block.add_lwpolyline([(-half_w, -half_d), (half_w, -half_d), (half_w, half_d), (-half_w, half_d)], close=True)
    front_y = half_d - min(entry.depth_mm * 0.1, 100.0)
    block.add_line((-half_w, front_y), (half_w, front_y))


def _insert_item(msp: Modelspace, block_name: str, item: PlacedItem, entry: CatalogEntry, kw: float) -> None:
    layer = item_layer(item, entry)
    insert = msp.add_blockref(
        block_name,
        cad_point(item.x_mm, item.y_mm),
        dxfattribs={"layer": layer, "rotation": cad_rotation_deg(item.rotation_deg)},
    )
    values = {"ID": item.id, "LABEL": item.label, "KW": _format_kw(kw), "CATALOG": entry.id}
    if entry.is_rack:
        values["WORKLOAD"] = str(effective.workload(item, entry))
    else:
        values["ROLE"] = str(entry.role)
    insert.add_auto_attribs({tag: _one_line(text) for tag, text in values.items()})
    label = item.label or item.id
    size_mm = min(entry.width_mm, entry.depth_mm)
    height_mm = max(40.0, min(size_mm / 5.0, 400.0)) if size_mm > 0 else 60.0
    msp.add_text(_one_line(label), height=height_mm, dxfattribs={"layer": "LABELS"}).set_placement(
        cad_point(item.x_mm, item.y_mm), align=TextEntityAlignment.MIDDLE_CENTER
    )


def _draw_connections(msp: Modelspace, project: Project, items: Mapping[str, PlacedItem]) -> None:
    """Lines between the centres of connected items; links that leave the hall are not drawn."""
    for connection in sorted(project.connections.values(), key=lambda c: c.id):
        source, target = items.get(connection.source_id), items.get(connection.target_id)
        if source is None or target is None:
            continue
        if connection.kind is ConnectionKind.POWER:
            layer = POWER_LAYERS[connection.feed]
        else:
            layer = COOLING_LAYERS[connection.medium]
        msp.add_line(
            cad_point(source.x_mm, source.y_mm), cad_point(target.x_mm, target.y_mm), dxfattribs={"layer": layer}
        )


def _extents(
    hall: Hall, items: Iterable[PlacedItem], entries: Mapping[str, CatalogEntry]
) -> tuple[float, float, float, float]:
    """Model-frame (min x, min y, max x, max y) of the outline and every item's reach."""
    min_x, min_y, max_x, max_y = hall.bounds_mm()
    for item in items:
        entry = entries[item.catalog_id]
        reach_mm = max(math.hypot(entry.width_mm, entry.depth_mm) / 2.0, ZERO_FOOTPRINT_RADIUS_MM)
        min_x, max_x = min(min_x, item.x_mm - reach_mm), max(max_x, item.x_mm + reach_mm)
        min_y, max_y = min(min_y, item.y_mm - reach_mm), max(max_y, item.y_mm + reach_mm)
    return min_x, min_y, max_x, max_y
