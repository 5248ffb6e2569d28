"""A new hall from a DCIM inventory: NetBox's exported data (JSON) or a RacksDB database (YAML).

What each source gives and what is assumed (every assumption goes into the report):

- **NetBox** (a Django ``dumpdata`` list of ``{"model": "dcim.rack", "pk", "fields"}`` records, or a
  REST-style object ``{"racks": [...], "power-feeds": [...], ...}``): sites, locations, racks,
  devices with their power ports, power panels and power feeds. NetBox has no floor coordinates,
  so the racks of one site are laid out in rows, one row per location (racks sorted by name),
  rows facing in pairs across 1.2 m aisles. Each power feed becomes a rack PDU rated at the feed's
  ``available_power`` and wired panel -> PDU -> rack, feed A for ``primary`` and B for
  ``redundant``. A rack's design kW is the sum of its devices' power-port draws (allocated, else
  maximum) when they give one, else its primary feeds' available power, else the rack catalog figure.
- **RacksDB** (a ``datacenters`` file or a database folder with ``datacenters/`` and ``types/``):
  rooms with their dimensions, rows with position, rotation and ``reversed``, racks with their slot
  and type. Racks are placed exactly as the RacksDB positioning rules say (row position = the room's
  top-left corner to the row's first rack's top-left corner before rotation; rotation clockwise;
  doors toward the room's bottom unless reversed). RacksDB carries no rack power: the design kW is
  the rack catalog figure, marked assumed.

Racks get a catalog entry of the project (``dcim.rack-WxD-NU``) sized from the data; power panels are
the bundled RPP, feeds the bundled rack PDU re-rated per feed.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from designer.io.errors import FileFormatError
from designer.io.items_csv import id_taken
from designer.io.safe_read import cut, parse_json, read_regular_file
from designer.io.yaml_read import load_yaml
from designer.model.catalog import Catalog, CatalogEntry
from designer.model.project import Project
from designer.model.records import Connection, Hall, PlacedItem
from designer.model.types import ConnectionKind, FeedSide, ItemKind, Role, WorkloadClass

MAX_DCIM_BYTES = 64 * 1024 * 1024
MAX_RACKSDB_FILES = 2_000
MAX_RACKS = 20_000
MAX_RANGE = 10_000
"""Racks one ``name[01-99]`` range may expand to."""
RACK_KW = 10.0
"""Design kW of a rack whose power the data does not give (the bundled general-purpose rack's figure)."""
DEFAULT_RACK_MM = (600.0, 1070.0, 2000.0)
"""Width, depth, height of a rack whose data gives no size (the bundled enterprise rack's)."""
RACK_KG_PER_U = 12.0
AISLE_MM = 1200.0
MARGIN_MM = 1500.0
CHOOSE_ANOTHER = "choose another by its name (--site; in the app, Site or room)"
PANEL_CATALOG_ID = "elec.rpp_400a"
FEED_CATALOG_ID = "elec.rack_pdu_208v_60a"
RACKSDB_TYPES = {"standard": (600.0, 914.0, 1867.0, 42), "half": (600.0, 914.0, 1198.0, 24)}
"""RacksDB's documented default rack types (width, depth, height mm; U)."""


class DcimImportError(FileFormatError):
    """An inventory cannot become a hall; the message names the file and the problem."""


@dataclass
class DcimImport:
    """A hall built from an inventory and what was mapped, assumed and skipped on the way."""

    source: str
    hall: Hall
    items: list[PlacedItem] = field(default_factory=list)
    connections: list[Connection] = field(default_factory=list)
    entries: list[CatalogEntry] = field(default_factory=list)
    """Rack entries the project gets (sized from the data)."""
    mapped: list[str] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def report_lines(self) -> list[str]:
        racks = sum(1 for item in self.items if item.catalog_id.startswith("dcim.rack-"))
        lines = [f"hall {self.hall.name!r} ({self.hall.id}) from {self.source}: {racks} racks, "
                 f"{len(self.items) - racks} power items, {len(self.connections)} connections"]  # fmt: skip
        for title, entries in (("mapped", self.mapped), ("assumed", self.assumed), ("skipped", self.skipped)):
            lines.extend(f"  {title}: {line}" for line in entries)
        return lines


def apply_dcim(project: Project, imported: DcimImport) -> None:
    """Add the hall, its racks and power items and their connections (and the rack entries) to ``project``."""
    for entry in imported.entries:
        project.set_custom_catalog_entry(entry)
    project.add_hall(imported.hall)
    project.add_items(imported.items)
    project.add_connections(imported.connections)


def revert_dcim(project: Project, imported: DcimImport) -> None:
    """Undo :func:`apply_dcim` (the rack entries stay in the project's catalog, unused)."""
    project.remove_items([item.id for item in imported.items])
    project.remove_hall(imported.hall.id)


def import_dcim(path: Path, project: Project, catalog: Catalog, *, site: str | None = None) -> DcimImport:
    """A new hall for ``project`` from ``path``: NetBox JSON, a RacksDB file or a RacksDB folder."""
    if path.is_dir():
        imported = _racksdb(_racksdb_folder(path, site), project, catalog, str(path))
        layouts = sorted((path / "infrastructures").glob("*.y*ml")) if (path / "infrastructures").is_dir() else []
        if layouts:
            imported.skipped.append(f"{len(layouts)} infrastructure files (equipment in the racks, by U slot; no "
                                    "power figures): not read")  # fmt: skip
        return imported
    if path.suffix.lower() == ".json":
        raw = read_regular_file(path, max_bytes=MAX_DCIM_BYTES, error=lambda p: DcimImportError(p, file=path))
        document = parse_json(
            raw, error=lambda p: DcimImportError(p, file=path),
            path_error=lambda p, where: DcimImportError(p, json_path=where, file=path),
        )  # fmt: skip
        return _netbox(_netbox_records(document, path), project, catalog, path, site)
    if path.suffix.lower() in (".yml", ".yaml"):
        document = load_yaml(path, max_bytes=MAX_DCIM_BYTES, error=DcimImportError)
        types_file = path.parent.parent / "types" / "racks.yml"
        types = _rack_types(types_file) if path.parent.name == "datacenters" and types_file.is_file() else None
        rooms = _racksdb_rooms(document, path, path.stem, types, site)
        return _racksdb(rooms, project, catalog, str(path))
    raise DcimImportError("not an inventory: expected NetBox JSON (.json), RacksDB YAML (.yml) or a RacksDB folder",
                          file=path)  # fmt: skip


# ====================================================================== shared
class _Ids:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.next: dict[str, int] = {}

    def __call__(self, prefix: str) -> str:
        n = self.next.get(prefix, 0) + 1
        while id_taken(self.project, f"{prefix}-{n}"):
            n += 1
        self.next[prefix] = n
        return f"{prefix}-{n}"


def _rack_entry(width: float, depth: float, height: float, units: int, weight: float | None) -> CatalogEntry:
    from designer.model.types import Confidence

    kg = weight if weight is not None else units * RACK_KG_PER_U + 150.0
    return CatalogEntry(
        id=f"dcim.rack-{width:g}x{depth:g}-{units}u", kind=ItemKind.RACK, role=Role.RACK,
        name=f"Rack {width:g} x {depth:g} mm, {units} U (DCIM import)", width_mm=width, depth_mm=depth,
        height_mm=height, weight_kg=kg, capacity_kw=RACK_KW, workload=WorkloadClass.GENERAL, liquid_fraction=0.0,
        source="DCIM inventory import: size from the inventory; design kW a planning figure (E)",
        confidence=Confidence.ESTIMATE, parameters={"rack_units": units},
        notes=f"Assumed: design kW {RACK_KW:g} unless the item says otherwise; workload general; air-cooled"
        + ("" if weight is not None else f"; weight {kg:g} kg"),
    )  # fmt: skip


def _require(catalog: Catalog, catalog_id: str) -> CatalogEntry:
    entry = catalog.get(catalog_id)
    if entry is None:
        raise DcimImportError(f"the catalog has no {catalog_id} (needed for the imported power items)")
    return entry


def _plain(text: object, limit: int = 200) -> str:
    """A name from the file as one line of printable text."""
    value = "".join(ch if ch.isprintable() else " " for ch in str(text)).strip()
    return value[:limit] or "?"


def _outline(items: list[tuple[float, float, float, float]], room: tuple[float, float] | None) -> tuple[
        tuple[float, float], ...]:  # fmt: skip
    if room is not None:
        width, depth = room
    else:
        width = max((x + r for x, _y, r, _d in items), default=0.0) + MARGIN_MM
        depth = max((y + r for _x, y, r, _d in items), default=0.0) + MARGIN_MM
    width, depth = max(width, 3000.0), max(depth, 3000.0)
    return ((0.0, 0.0), (round(width, 1), 0.0), (round(width, 1), round(depth, 1)), (0.0, round(depth, 1)))


def _site_name(sites: Mapping[int, Mapping[str, object]], pk: object) -> str:
    fields = sites.get(pk) if isinstance(pk, int) else None
    return _plain(fields.get("name", pk) if fields is not None else pk)


def _racks_of(row: Mapping[str, object]) -> list[object]:
    racks = row.get("racks")
    return racks if isinstance(racks, list) else []


def _natural(text: str) -> tuple[object, ...]:
    return tuple(int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text))


# ====================================================================== NetBox
_REST_MODELS = {
    "sites": "dcim.site", "locations": "dcim.location", "racks": "dcim.rack", "devices": "dcim.device",
    "device-types": "dcim.devicetype", "device_types": "dcim.devicetype", "power-panels": "dcim.powerpanel",
    "power_panels": "dcim.powerpanel", "power-feeds": "dcim.powerfeed", "power_feeds": "dcim.powerfeed",
    "power-ports": "dcim.powerport", "power_ports": "dcim.powerport",
}  # fmt: skip


def _netbox_records(document: object, path: Path) -> dict[str, dict[int, dict[str, object]]]:
    """model -> pk -> fields, from a dumpdata list or a REST-style object of endpoint lists."""
    records: dict[str, dict[int, dict[str, object]]] = defaultdict(dict)
    if isinstance(document, list):
        for index, record in enumerate(document):
            if not isinstance(record, dict) or not isinstance(record.get("fields"), dict):
                raise DcimImportError("expected NetBox records {model, pk, fields}", json_path=f"$[{index}]",
                                      file=path)  # fmt: skip
            model, pk = record.get("model"), record.get("pk")
            if isinstance(model, str) and isinstance(pk, int) and not isinstance(pk, bool):
                records[model][pk] = _references(record["fields"])
        return records
    if isinstance(document, dict) and any(key in _REST_MODELS for key in document):
        for key, model in _REST_MODELS.items():
            value = document.get(key)
            if isinstance(value, dict):
                value = value.get("results")
            if value is None:
                continue
            if not isinstance(value, list):
                raise DcimImportError("expected a list of objects", json_path=f"$.{key}", file=path)
            for index, obj in enumerate(value):
                if not isinstance(obj, dict) or not isinstance(obj.get("id"), int):
                    raise DcimImportError("expected an object with an integer id", json_path=f"$.{key}[{index}]",
                                          file=path)  # fmt: skip
                fields = {name: _rest_value(field_value) for name, field_value in obj.items()}
                if model == "dcim.device" and "role" not in fields:
                    fields["role"] = fields.get("device_role")
                records[model][obj["id"]] = _references(fields)
        return records
    raise DcimImportError("not NetBox data: expected a list of dumpdata records or an object of REST lists"
                          " (racks, power-feeds, ...)", file=path)  # fmt: skip


_REFERENCES = ("site", "location", "rack", "power_panel", "device", "device_type", "role", "parent")


def _references(fields: dict[str, object]) -> dict[str, object]:
    """``fields`` with every reference to another record an integer key or None (a list or text there
    would otherwise be used as a dictionary key)."""
    clean = dict(fields)
    for name in _REFERENCES:
        value = clean.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            clean[name] = None
    return clean


def _rest_value(value: object) -> object:
    if isinstance(value, dict):
        if "value" in value and "label" in value:
            return value["value"]
        if "id" in value:
            return value["id"]
    return value


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


def _netbox(
    records: dict[str, dict[int, dict[str, object]]], project: Project, catalog: Catalog, path: Path,
    site_name: str | None,
) -> DcimImport:  # fmt: skip
    racks = records.get("dcim.rack", {})
    sites = records.get("dcim.site", {})
    if not racks:
        raise DcimImportError("no racks in the data (dcim.rack records or a 'racks' list)", file=path)
    if len(racks) > MAX_RACKS:
        raise DcimImportError(f"{len(racks):,} racks, more than the {MAX_RACKS:,} one import takes", file=path)
    per_site: Counter[object] = Counter(fields.get("site") for fields in racks.values())
    chosen: object
    if site_name is not None:
        chosen = next((pk for pk, f in sites.items() if f.get("name") == site_name or f.get("slug") == site_name),
                      None)  # fmt: skip
        if chosen is None:
            raise DcimImportError(f"no site {site_name!r} in the data (sites: "
                                  f"{', '.join(sorted(_plain(f.get('name')) for f in sites.values()))})",
                                  file=path)  # fmt: skip
    else:
        chosen = max(per_site, key=lambda pk: (per_site[pk], -(pk if isinstance(pk, int) else 0)))
    site_label = _site_name(sites, chosen)
    ids = _Ids(project)
    hall_id = ids("hall")
    result = DcimImport(str(path), Hall(hall_id, f"{site_label} (NetBox)", ((0, 0), (1, 0), (1, 1))))
    others = sorted((per_site[pk], _site_name(sites, pk)) for pk in per_site if pk != chosen)
    if others:
        result.skipped.append(f"{sum(n for n, _ in others)} racks at {len(others)} other sites ("
                              + ", ".join(f"{name}: {n}" for n, name in others[:8])
                              + (", ..." if len(others) > 8 else "") + "); " + CHOOSE_ANOTHER)  # fmt: skip
    locations = records.get("dcim.location", {})
    site_racks = {pk: fields for pk, fields in racks.items() if fields.get("site") == chosen}
    rows: dict[str, list[int]] = defaultdict(list)
    for pk, fields in site_racks.items():
        location = fields.get("location")
        rows[_plain(locations.get(location, {}).get("name", "no location")) if location is not None  # type: ignore[call-overload]
             else "(no location)"].append(pk)  # fmt: skip
    # device draws per rack
    devices = records.get("dcim.device", {})
    ports_by_device: dict[int, list[dict[str, object]]] = defaultdict(list)
    for port in records.get("dcim.powerport", {}).values():
        if isinstance(port.get("device"), int):
            ports_by_device[port["device"]].append(port)  # type: ignore[index]
    draw_w: dict[int, float] = defaultdict(float)
    device_count: Counter[int] = Counter()
    for pk, device in devices.items():
        rack = device.get("rack")
        if not isinstance(rack, int) or rack not in site_racks:
            continue
        device_count[rack] += 1
        for port in ports_by_device.get(pk, []):
            value = _number(port.get("allocated_draw")) or _number(port.get("maximum_draw"))
            if value is not None and 0 < value <= 100_000:
                draw_w[rack] += value
    feeds = {pk: f for pk, f in records.get("dcim.powerfeed", {}).items() if f.get("rack") in site_racks}
    primary_w: dict[int, float] = defaultdict(float)
    for feed in feeds.values():
        if feed.get("type", "primary") == "primary":
            primary_w[feed["rack"]] += _feed_w(feed) or 0.0  # type: ignore[index]
    # racks in rows
    placed: dict[int, PlacedItem] = {}
    extents: list[tuple[float, float, float, float]] = []
    y = MARGIN_MM
    kw_from = Counter[str]()
    for row_index, (row_name, members) in enumerate(sorted(rows.items(), key=lambda kv: _natural(kv[0]))):
        members.sort(key=lambda pk: _natural(_plain(site_racks[pk].get("name", pk))))
        x = MARGIN_MM
        depth_max = 0.0
        for pk in members:
            fields = site_racks[pk]
            width, depth, height, units, weight, sized = _netbox_rack_size(fields)
            entry = _rack_entry(width, depth, height, units, weight)
            if entry.id not in {e.id for e in result.entries}:
                result.entries.append(entry)
            if not sized:
                kw_from["size"] += 1
            if draw_w.get(pk):
                design, how = draw_w[pk] / 1000, "devices"
            elif primary_w.get(pk):
                design, how = primary_w[pk] / 1000, "feeds"
            else:
                design, how = RACK_KW, "catalog"
            kw_from[how] += 1
            item = PlacedItem(
                id=ids("rack"), catalog_id=entry.id, hall_id=hall_id, x_mm=x + width / 2, y_mm=y + depth / 2,
                rotation_deg=180.0 if row_index % 2 == 0 else 0.0, label=_plain(fields.get("name", pk), 60),
                design_kw=round(design, 3),
            )  # fmt: skip
            placed[pk] = item
            result.items.append(item)
            extents.append((x, y, width, depth))
            x += width
            depth_max = max(depth_max, depth)
        result.mapped.append(f"row {row_name!r}: {len(members)} racks")
        y += depth_max + AISLE_MM
    result.mapped.append(f"{len(placed)} racks of site {site_label}; {sum(device_count.values())} devices in them")
    if kw_from["devices"]:
        result.mapped.append(f"{kw_from['devices']} racks: design kW = their devices' power-port draws "
                             "(allocated, else maximum)")  # fmt: skip
    if kw_from["feeds"]:
        result.assumed.append(f"{kw_from['feeds']} racks whose devices give no draw: design kW = their primary"
                              " feeds' available power (the rack used to its provisioned capacity)")  # fmt: skip
    if kw_from["catalog"]:
        result.assumed.append(f"{kw_from['catalog']} racks with neither device draws nor feeds: design kW "
                              f"{RACK_KW:g} (planning figure)")  # fmt: skip
    if kw_from["size"]:
        result.assumed.append(f"{kw_from['size']} racks without outer dimensions: {DEFAULT_RACK_MM[0]:g} x "
                              f"{DEFAULT_RACK_MM[1]:g} mm")  # fmt: skip
    result.assumed.append("NetBox has no floor coordinates: racks placed side by side in one row per location,"
                          f" rows {AISLE_MM:g} mm apart, facing in pairs; workload general, air-cooled")  # fmt: skip
    _netbox_power(records, feeds, placed, result, catalog, ids, hall_id, y, extents, chosen)
    result.hall = Hall(hall_id, result.hall.name, _outline(extents, None))
    return result


def _netbox_rack_size(fields: Mapping[str, object]) -> tuple[float, float, float, int, float | None, bool]:
    units = int(_number(fields.get("u_height")) or 42)
    units = min(max(units, 1), 100)
    scale = 25.4 if fields.get("outer_unit") == "in" else 1.0
    width = _number(fields.get("outer_width"))
    depth = _number(fields.get("outer_depth"))
    sized = bool(width and depth and 200 <= width * scale <= 3000 and 200 <= depth * scale <= 3000)
    w, d = (width * scale, depth * scale) if sized else DEFAULT_RACK_MM[:2]  # type: ignore[operator]
    weight = _number(fields.get("weight"))
    kg = None
    if weight is not None and 0 < weight <= 10_000:
        kg = weight * (0.45359237 if fields.get("weight_unit") == "lb" else 1.0)
    height = DEFAULT_RACK_MM[2] if units >= 40 else max(600.0, units * 44.45 + 200)
    return round(w, 1), round(d, 1), round(height, 1), units, kg, sized


def _feed_w(feed: Mapping[str, object]) -> float | None:
    given = _number(feed.get("available_power"))
    if given is not None and 0 < given <= 2_000_000:
        return given
    volts, amps = _number(feed.get("voltage")), _number(feed.get("amperage"))
    utilisation = _number(feed.get("max_utilization")) or 100.0
    if not volts or not amps or not 0 < utilisation <= 100:
        return None
    phases = math.sqrt(3) if feed.get("phase") == "three-phase" else 1.0
    return abs(volts) * amps * phases * utilisation / 100


def _feed_rating_w(feed: Mapping[str, object]) -> float | None:
    """The feed's nameplate: V x A (x sqrt 3 for three-phase), else its available power over its max utilisation.

    NetBox's ``available_power`` is already derated by ``max_utilization`` (80 % in the demo); rating the
    PDU at it would derate twice, as the design applies its own continuous derating to every rating.
    """
    volts, amps = _number(feed.get("voltage")), _number(feed.get("amperage"))
    if volts and amps and 0 < abs(volts) * amps <= 2_000_000:
        phases = math.sqrt(3) if feed.get("phase") == "three-phase" else 1.0
        return abs(volts) * amps * phases
    given = _number(feed.get("available_power"))
    utilisation = _number(feed.get("max_utilization")) or 100.0
    if given is not None and 0 < given <= 2_000_000 and 0 < utilisation <= 100:
        return given * 100 / utilisation
    return None


def _netbox_power(
    records: dict[str, dict[int, dict[str, object]]], feeds: dict[int, dict[str, object]],
    placed: dict[int, PlacedItem], result: DcimImport, catalog: Catalog, ids: _Ids, hall_id: str, y: float,
    extents: list[tuple[float, float, float, float]], site: object,
) -> None:  # fmt: skip
    panels_all = records.get("dcim.powerpanel", {})
    panels = {pk: f for pk, f in panels_all.items() if f.get("site") == site}
    if len(panels_all) > len(panels):
        result.skipped.append(f"{len(panels_all) - len(panels)} power panels at other sites")
    if not panels:
        result.skipped.append("no power panels at this site: the racks are not wired")
        return
    panel_entry = _require(catalog, PANEL_CATALOG_ID)
    _require(catalog, FEED_CATALOG_ID)
    panel_items: dict[int, PlacedItem] = {}
    x = MARGIN_MM
    for pk in sorted(panels, key=lambda p: _natural(_plain(panels[p].get("name", p)))):
        item = PlacedItem(ids("rpp"), PANEL_CATALOG_ID, hall_id, x + panel_entry.width_mm / 2,
                          y + panel_entry.depth_mm / 2, label=_plain(panels[pk].get("name", pk), 60))  # fmt: skip
        panel_items[pk] = item
        result.items.append(item)
        extents.append((x, y, panel_entry.width_mm, panel_entry.depth_mm))
        x += panel_entry.width_mm + 600
    result.mapped.append(f"{len(panel_items)} power panels as {PANEL_CATALOG_ID} ({panel_entry.name})")
    result.assumed.append(f"NetBox panels carry no rating: each is rated as {PANEL_CATALOG_ID}, "
                          f"{panel_entry.capacity_kw:g} kW; they stand in a line below the rows")  # fmt: skip
    wired, unwired, no_rating = 0, 0, 0
    for pk in sorted(feeds):
        feed = feeds[pk]
        rack_pk, panel_pk = feed.get("rack"), feed.get("power_panel")
        rack = placed.get(rack_pk) if isinstance(rack_pk, int) else None
        panel = panel_items.get(panel_pk) if isinstance(panel_pk, int) else None
        watts = _feed_rating_w(feed)
        if rack is None or panel is None:
            unwired += 1
            continue
        if watts is None:
            no_rating += 1
            continue
        side = FeedSide.B if feed.get("type") == "redundant" else FeedSide.A
        pdu = PlacedItem(ids("rpdu"), FEED_CATALOG_ID, hall_id, rack.x_mm, rack.y_mm, rack.rotation_deg,
                         label=_plain(feed.get("name", pk), 60), design_kw=round(watts / 1000, 3))  # fmt: skip
        result.items.append(pdu)
        result.connections.append(Connection(ids("conn"), ConnectionKind.POWER, panel.id, pdu.id))
        result.connections.append(Connection(ids("conn"), ConnectionKind.POWER, pdu.id, rack.id, feed=side))
        wired += 1
    result.mapped.append(f"{wired} power feeds as rack PDUs rated at the feed's V x A (x √3 three-phase), wired"
                         " panel -> PDU -> rack (primary = feed A, redundant = feed B)")  # fmt: skip
    result.assumed.append("a feed's VA taken as kW (power factor 1); NetBox's max_utilization is left to the"
                          " design's continuous derating (Design settings)")  # fmt: skip
    if unwired:
        result.skipped.append(f"{unwired} feeds without a rack or panel of this site")
    if no_rating:
        result.skipped.append(f"{no_rating} feeds without available power, voltage or amperage")
    unfed = sum(1 for rack in placed.values() if not any(c.target_id == rack.id for c in result.connections))
    if unfed:
        result.skipped.append(f"{unfed} racks have no power feed in the data: they are not wired")
    result.skipped.append("nothing upstream of the power panels is in the data (UPS, switchboard, utility):"
                          " wire the panels in the app")  # fmt: skip
    cables = len(records.get("dcim.cable", {}))
    if cables:
        result.skipped.append(f"{cables} cables inside racks (device power ports to PDU outlets): the rack is the"
                              " unit of this design")  # fmt: skip


# ====================================================================== RacksDB
@dataclass(frozen=True, slots=True)
class _Room:
    datacenter: str
    name: str
    width_mm: float
    depth_mm: float
    rows: list[dict[str, object]]
    types: dict[str, tuple[float, float, float, int, float | None]]
    where: str


_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(mm|cm|m|km)?\s*$")
_LENGTH_MM = {"mm": 1.0, "cm": 10.0, "m": 1000.0, "km": 1_000_000.0, None: 1.0}


def _length_mm(value: object, what: str, file: str) -> float:
    match = _LENGTH.match(str(value)) if isinstance(value, str | int | float) and not isinstance(value, bool) else None
    if match is None:
        raise DcimImportError(f"{what}: {cut(repr(value), 40)} is not a length (e.g. 600mm, 2.5m)", file=file)
    number = float(match.group(1)) * _LENGTH_MM[match.group(2)]
    if not 0 <= number <= 10_000_000:
        raise DcimImportError(f"{what}: {number:g} mm is outside 0 to 10 km", file=file)
    return number


def _rack_types(path: Path) -> dict[str, tuple[float, float, float, int, float | None]]:
    document = load_yaml(path, max_bytes=1024 * 1024, error=DcimImportError)
    if not isinstance(document, list):
        raise DcimImportError("expected a list of rack types", file=path)
    types: dict[str, tuple[float, float, float, int, float | None]] = {}
    for index, raw in enumerate(document[:1000]):
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise DcimImportError("expected a rack type with an id", json_path=f"$[{index}]", file=path)
        where = f"{path}: rack type {raw['id']}"
        slots = re.match(r"^\s*(\d+)\s*u?\s*$", str(raw.get("slots", "42u")))
        weight = _number(raw.get("weight"))
        types[raw["id"]] = (
            _length_mm(raw.get("width", "600mm"), "width", where),
            _length_mm(raw.get("depth", "914mm"), "depth", where),
            _length_mm(raw.get("height", "1867mm"), "height", where), int(slots.group(1)) if slots else 42,
            weight if weight is not None and 0 < weight <= 10_000 else None,
        )  # fmt: skip
    return types


def _racksdb_folder(folder: Path, room: str | None) -> list[_Room]:
    files = sorted((folder / "datacenters").glob("*.y*ml")) if (folder / "datacenters").is_dir() else []
    if not files:
        raise DcimImportError("not a RacksDB database: no datacenters/*.yml", file=folder)
    if len(files) > MAX_RACKSDB_FILES:
        raise DcimImportError(f"more than {MAX_RACKSDB_FILES} datacenter files", file=folder)
    types_file = folder / "types" / "racks.yml"
    types = _rack_types(types_file) if types_file.is_file() else None
    rooms: list[_Room] = []
    for path in files:
        rooms.extend(_racksdb_rooms(load_yaml(path, max_bytes=MAX_DCIM_BYTES, error=DcimImportError), path,
                                    path.stem, types, None))  # fmt: skip
    return _pick_room(rooms, room, str(folder))


def _racksdb_rooms(
    document: object, path: Path, name: str, types: dict[str, tuple[float, float, float, int, float | None]] | None,
    room: str | None,
) -> list[_Room]:  # fmt: skip
    if isinstance(document, dict) and isinstance(document.get("datacenters"), list):
        centres = [(str(dc.get("name", name)), dc) for dc in document["datacenters"] if isinstance(dc, dict)]
    elif isinstance(document, dict) and isinstance(document.get("rooms"), list):
        centres = [(name, document)]
    else:
        raise DcimImportError("not a RacksDB datacenter: expected 'rooms' (or 'datacenters')", file=path)
    assumed_types = types is None
    chosen_types: dict[str, tuple[float, float, float, int, float | None]] = (
        types if types is not None else {key: (*value, None) for key, value in RACKSDB_TYPES.items()})
    rooms: list[_Room] = []
    for centre_name, centre in centres:
        for index, raw in enumerate(centre.get("rooms") or []):
            where = f"{path}: room {index + 1}"
            if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
                raise DcimImportError("expected a room with a name", json_path=f"rooms[{index}]", file=path)
            dims = raw.get("dimensions") or {}
            if not isinstance(dims, dict):
                raise DcimImportError("dimensions: expected width and depth", file=where)
            rows = raw.get("rows") or []
            if not isinstance(rows, list):
                raise DcimImportError("rows: expected a list", file=where)
            rooms.append(_Room(
                _plain(centre_name, 80), _plain(raw["name"], 80),
                _length_mm(dims.get("width", 0), "dimensions.width", where),
                _length_mm(dims.get("depth", 0), "dimensions.depth", where),
                [row for row in rows if isinstance(row, dict)], chosen_types,
                str(path) + (" (RacksDB default rack types: standard and half, 600 x 914 mm)" if assumed_types else ""),
            ))  # fmt: skip
    return _pick_room(rooms, room, str(path)) if room is not None else rooms


def _pick_room(rooms: list[_Room], room: str | None, file: str) -> list[_Room]:
    if room is None:
        return rooms
    found = [r for r in rooms if room in (r.name, f"{r.datacenter}/{r.name}")]
    if not found:
        names = ", ".join(f"{r.datacenter}/{r.name}" for r in rooms)
        raise DcimImportError(f"no room {room!r} (rooms: {names})", file=file)
    return found[:1]


_RANGE = re.compile(r"^(?P<head>.*?)\[(?P<a>\d+)-(?P<b>\d+)\](?P<tail>.*)$")


def _expand(name: str, file: str) -> list[str]:
    """``R1-A[01-10]`` -> R1-A01 ... R1-A10 (the RacksDB range notation, zero padding kept)."""
    match = _RANGE.match(name)
    if match is None:
        return [name]
    low, high = int(match.group("a")), int(match.group("b"))
    if high < low or high - low >= MAX_RANGE:
        raise DcimImportError(f"rack range {cut(name, 40)!r} is empty or longer than {MAX_RANGE:,}", file=file)
    width = len(match.group("a"))
    return [f"{match.group('head')}{n:0{width}d}{match.group('tail')}" for n in range(low, high + 1)]


def _racksdb(rooms: list[_Room], project: Project, catalog: Catalog, source: str) -> DcimImport:
    if not rooms:
        raise DcimImportError("no room in the RacksDB data", file=source)
    room = max(rooms, key=lambda r: sum(len(_racks_of(row)) for row in r.rows))
    ids = _Ids(project)
    hall_id = ids("hall")
    result = DcimImport(source, Hall(hall_id, f"{room.datacenter} {room.name} (RacksDB)", ((0, 0), (1, 0), (1, 1))))
    if len(rooms) > 1:
        others = [f"{r.datacenter}/{r.name}" for r in rooms if r is not room]
        result.skipped.append(f"{len(others)} other rooms ({', '.join(others[:8])}); {CHOOSE_ANOTHER}")
    extents: list[tuple[float, float, float, float]] = []
    count = 0
    unknown_types: Counter[str] = Counter()
    for row in room.rows:
        row_name = _plain(row.get("name", "?"), 60)
        where = f"{room.where}: row {row_name}"
        position = row.get("position") or {}
        if not isinstance(position, dict):
            raise DcimImportError("position: expected width, depth, rotation", file=where)
        ox = _length_mm(position.get("width", 0), "position.width", where)
        oy = _length_mm(position.get("depth", 0), "position.depth", where)
        rotation = _number(position.get("rotation", 0))
        if rotation is None or not -360 <= rotation <= 360:
            raise DcimImportError(f"position.rotation {cut(repr(position.get('rotation')), 30)} is not an angle",
                                  file=where)  # fmt: skip
        reversed_ = row.get("reversed") is True
        cos, sin = math.cos(math.radians(rotation)), math.sin(math.radians(rotation))
        slot, offset = 0, 0.0
        placed_in_row = 0
        for group in _racks_of(row):
            if not isinstance(group, dict) or not isinstance(group.get("name"), str):
                raise DcimImportError("expected racks with a name and a type", file=where)
            type_name = str(group.get("type", "standard"))
            if type_name not in room.types:
                unknown_types[type_name] += 1
                type_name = "standard" if "standard" in room.types else next(iter(room.types))
            width, depth, height, units, weight = room.types[type_name]
            start = group.get("slot")
            if start is not None:
                start_slot = int(_number(start) or 0)
                if start_slot < slot or start_slot > 100_000:
                    raise DcimImportError(f"slot {start_slot} overlaps the racks before it", file=where)
                offset += (start_slot - slot) * width  # a gap of empty slots, as wide as this rack type
                slot = start_slot
            entry = _rack_entry(width, depth, height, units, weight)
            if entry.id not in {e.id for e in result.entries}:
                result.entries.append(entry)
            for name in _expand(group["name"], where):
                count += 1
                if count > MAX_RACKS:
                    raise DcimImportError(f"more than {MAX_RACKS:,} racks", file=where)
                lx, ly = offset + width / 2, depth / 2
                x, y = ox + lx * cos - ly * sin, oy + lx * sin + ly * cos
                result.items.append(PlacedItem(
                    ids("rack"), entry.id, hall_id, round(x, 1), round(y, 1),
                    rotation_deg=round((rotation + (0.0 if reversed_ else 180.0)) % 360.0, 6),
                    label=_plain(name, 60),
                ))  # fmt: skip
                extents.append((x - width / 2, y - width / 2, width, width))
                offset += width
                slot += 1
                placed_in_row += 1
        result.mapped.append(f"row {row_name}: {placed_in_row} racks at ({ox / 1000:g} m, {oy / 1000:g} m), "
                             f"rotation {rotation:g}°{', reversed' if reversed_ else ''}")  # fmt: skip
    result.mapped.insert(0, f"room {room.name} of {room.datacenter}: {room.width_mm / 1000:g} m x "
                            f"{room.depth_mm / 1000:g} m, {count} racks")  # fmt: skip
    if unknown_types:
        result.assumed.append("unknown rack types taken as standard: " + ", ".join(unknown_types))
    if "default rack types" in room.where:
        result.assumed.append("rack types from RacksDB's documented defaults (standard 600 x 914 mm 42 U,"
                              " half 600 x 914 mm 24 U)")  # fmt: skip
    result.assumed.append(f"RacksDB gives no rack power: design kW {RACK_KW:g} per rack (planning figure);"
                          " workload general, air-cooled")  # fmt: skip
    result.skipped.append("RacksDB has no power panels or feeds: the racks are not wired")
    room_size = (room.width_mm, room.depth_mm) if room.width_mm > 0 and room.depth_mm > 0 else None
    if room_size is None:
        result.assumed.append("the room has no dimensions: the hall is the racks' extent plus 1.5 m")
    result.hall = Hall(hall_id, result.hall.name, _outline(extents, room_size))
    del catalog  # power items come from NetBox only
    return result


def report_json(imported: DcimImport) -> str:
    """The report as JSON (for ``import-dcim --json``)."""
    return json.dumps({"source": imported.source, "hall": imported.hall.id, "hall_name": imported.hall.name,
                       "items": len(imported.items), "connections": len(imported.connections),
                       "mapped": imported.mapped, "assumed": imported.assumed, "skipped": imported.skipped},
                      indent=1)  # fmt: skip
