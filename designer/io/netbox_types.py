"""NetBox device-type library files (YAML) as user catalog entries, each figure the file lacks marked assumed.

The community library (github.com/netbox-community/devicetype-library) describes one device or rack
type per file: manufacturer, model, slug, u_height, weight/weight_unit, power-ports with
maximum_draw/allocated_draw, power-outlets with feed legs, airflow, and for rack types the outer
dimensions. This app places racks and rack-level power, not single servers, so a file maps to:

- a **rack PDU** (power-outlets, or 0 U with an inlet and no draw): role ``rack_pdu``, rated from a
  kW / kVA figure in its comments or description, else from its NEMA locking inlet (current and
  voltage are in the plug's name; 80 % continuous rule); no rating -> refused with the reason;
- a **rack type** (``rack-types/``: form_factor / outer dimensions): role ``rack``, an empty cabinet
  of the file's footprint, height and weight, design kW 0 (set per item);
- a **device** (servers, GPU systems, switches; u_height >= 1 and a power draw): role ``rack``, a
  rack filled with as many of the device as fit in ``USABLE_U`` (or the number asked for); its
  design kW is that many times the sum of the ports' ``maximum_draw`` (redundant supplies counted
  in full: a cautious upper bound). A device without any draw is refused with the reason.

Everything the file does not say (footprint of a rack of devices, rack shell weight, workload,
liquid fraction, power factor) is written into the entry's ``notes`` under "Assumed:" and the
entry's confidence is E (estimate). Only ``yaml`` safe loading is used (see yaml_read.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from designer.io.errors import CatalogFileError, FileFormatError
from designer.io.safe_read import cut
from designer.io.yaml_read import load_yaml
from designer.model.catalog import CatalogEntry, LossModel
from designer.model.types import Confidence, ItemKind, Role, WorkloadClass

MAX_DEVICE_TYPE_BYTES = 1024 * 1024
"""The library's largest device types (chassis switches with hundreds of ports) are under 200 KB."""
MAX_FILES = 5_000
USABLE_U = 36
NETWORK_PER_RACK = 4
"""Switches in a network rack (the bundled spine rack is 8-15 kW)."""
GENERAL_RACK_KW = 10.0
"""Design kW given to an imported rack type (the bundled general-purpose rack's planning figure)."""
"""U of a 42 U rack left for devices once PDUs, patch panels and top-of-rack switches have theirs."""
RACK_SHELL_KG = 150.0
DEVICE_RACK_WIDTH_MM, DEVICE_RACK_DEPTH_MM, DEVICE_RACK_HEIGHT_MM = 600.0, 1200.0, 2000.0
POWER_FACTOR = 0.95
MAX_DRAW_W = 100_000.0
"""One power port: the largest rack power shelves draw about 33 kW."""
WEIGHT_KG = {"kg": 1.0, "g": 0.001, "lb": 0.45359237, "oz": 0.028349523125}
LENGTH_MM = {"mm": 1.0, "in": 25.4}
NEMA_INLETS: dict[str, tuple[float, float, int]] = {
    "nema-l21-20p": (208.0, 20.0, 3), "nema-l21-30p": (208.0, 30.0, 3),
    "nema-l15-20p": (208.0, 20.0, 3), "nema-l15-30p": (208.0, 30.0, 3),
    "nema-l6-20p": (208.0, 20.0, 1), "nema-l6-30p": (208.0, 30.0, 1),
    "nema-l5-20p": (120.0, 20.0, 1), "nema-l5-30p": (120.0, 30.0, 1),
}  # fmt: skip
"""Locking inlets whose name gives the current: (line-to-line volts in North America, amps, phases)."""
NORTH_AMERICA_CONTINUOUS = 0.8
PDU_LOSS = LossModel(fixed_fraction=0.0005, square_fraction=0.003)
"""The bundled rack PDUs' loss model (resources/catalog/power.json, itself an estimate)."""
SOURCE_URL = "https://github.com/netbox-community/devicetype-library"
_POWER_FIGURE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(kW|kVA)\b", re.IGNORECASE)
_GPU_WORDS = ("dgx", "hgx", "gpu", "a100", "h100", "h200", "b200", "gb200", "mgx")
_NETWORK_WORDS = ("switch", "router", "dcs-", "qm9700", "nexus", "catalyst", "spectrum", "infiniband")
_STORAGE_WORDS = ("storage", "nas", "san", "jbod", "powervault", "netapp")


class DeviceTypeError(CatalogFileError):
    """A device-type file cannot become a catalog entry; the message says why."""


@dataclass(frozen=True, slots=True)
class DeviceTypeImport:
    """What one file gave: the entry (None when refused), the figures assumed, or the reason it was refused."""

    file: str
    entry: CatalogEntry | None
    mapped: tuple[str, ...] = ()
    assumed: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True, slots=True)
class DeviceTypeReport:
    results: tuple[DeviceTypeImport, ...] = field(default_factory=tuple)

    @property
    def entries(self) -> list[CatalogEntry]:
        return [result.entry for result in self.results if result.entry is not None]

    def lines(self) -> list[str]:
        out = []
        for result in self.results:
            if result.entry is None:
                out.append(f"{result.file}: skipped: {result.reason}")
                continue
            entry = result.entry
            out.append(f"{result.file}: {entry.id} ({entry.role.value}, {entry.capacity_kw:g} kW): {entry.name}")
            out.extend(f"    mapped: {line}" for line in result.mapped)
            out.extend(f"    assumed: {line}" for line in result.assumed)
        return out


def import_device_types(paths: Iterable[Path], *, per_rack: int | None = None) -> DeviceTypeReport:
    """Each file read on its own: a bad one gets its reason and the others still import."""
    results: list[DeviceTypeImport] = []
    for count, path in enumerate(paths):
        if count >= MAX_FILES:
            results.append(DeviceTypeImport(str(path), None, reason=f"more than {MAX_FILES:,} files in one import"))
            break
        try:
            results.append(read_device_type(path, per_rack=per_rack))
        except FileFormatError as error:
            results.append(DeviceTypeImport(str(path), None, reason=_reason(error)))
    return DeviceTypeReport(tuple(results))


def _reason(error: FileFormatError) -> str:
    return error.problem if error.json_path == "$" else f"{error.json_path}: {error.problem}"


def yaml_files(folder: Path) -> list[Path]:
    """The .yaml / .yml files under ``folder`` (recursively), sorted."""
    return sorted(path for path in folder.rglob("*") if path.suffix.lower() in (".yaml", ".yml") and path.is_file())


def read_device_type(path: Path, *, per_rack: int | None = None) -> DeviceTypeImport:
    """One device or rack type file as a catalog entry; DeviceTypeError says why it cannot be."""
    document = load_yaml(path, max_bytes=MAX_DEVICE_TYPE_BYTES, error=DeviceTypeError)
    return device_type_from_document(document, path, per_rack=per_rack)


def device_type_from_document(document: object, path: Path, *, per_rack: int | None = None) -> DeviceTypeImport:
    """One device or rack type from its loaded YAML (``path`` names it in messages and decides rack types)."""
    if not isinstance(document, dict):
        raise DeviceTypeError("not a device type (expected a mapping of manufacturer, model, ...)", file=path)
    reader = _Fields(document, path)
    manufacturer = reader.text("manufacturer", required=True)
    model = reader.text("model", required=True)
    slug = reader.text("slug") or re.sub(r"[^a-z0-9]+", "-", f"{manufacturer}-{model}".lower()).strip("-")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_.+-]{0,99}", slug):
        raise DeviceTypeError(f"slug {cut(slug, 40)!r} is not a NetBox slug (a-z, 0-9, -)", json_path="$.slug",
                              file=path)  # fmt: skip
    u_height = reader.number("u_height", 0.0, 0.0, 100.0)
    weight_kg = reader.weight()
    mapped = [f"manufacturer {manufacturer!r}, model {model!r}, slug {slug!r}"]
    if "outer_depth" in document or "form_factor" in document or "rack-types" in path.parts:
        return _rack_type(reader, path, manufacturer, model, slug, u_height, weight_kg, mapped)
    outlets = reader.elements("power-outlets")
    ports = reader.elements("power-ports")
    if outlets or (u_height == 0 and ports and not reader.draws(ports, "maximum_draw")):
        return _rack_pdu(reader, path, manufacturer, model, slug, weight_kg, ports, outlets, mapped)
    return _device_rack(reader, path, manufacturer, model, slug, u_height, weight_kg, ports, mapped, per_rack)


class _Fields:
    """Typed, range-checked access to the fields of one file, errors naming the field."""

    def __init__(self, document: dict[object, object], path: Path) -> None:
        self.document = document
        self.path = path

    def fail(self, key: str, problem: str) -> DeviceTypeError:
        return DeviceTypeError(problem, json_path=f"$.{key}", file=self.path)

    def text(self, key: str, *, required: bool = False) -> str:
        value = self.document.get(key)
        if value is None:
            if required:
                raise self.fail(key, "missing")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(key, f"expected text, found {type(value).__name__}")
        text = str(value).strip()
        if len(text) > 300:
            raise self.fail(key, f"longer than 300 characters ({len(text):,})")
        if not text.isprintable():
            raise self.fail(key, "has control or invisible characters")
        if required and not text:
            raise self.fail(key, "empty")
        return text

    def number(self, key: str, default: float, low: float, high: float, node: object = None) -> float:
        value = (self.document if node is None else node).get(key)  # type: ignore[attr-defined]
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.fail(key, f"expected a number, found {cut(repr(value), 40)}")
        if not low <= value <= high:
            raise self.fail(key, f"{value:g} is outside {low:g} to {high:g}")
        return float(value)

    def weight(self) -> float | None:
        if self.document.get("weight") is None:
            return None
        value = self.number("weight", 0.0, 0.0, 100_000.0)
        unit = self.text("weight_unit") or "kg"
        if unit not in WEIGHT_KG:
            raise self.fail("weight_unit", f"{unit!r} is not one of {', '.join(WEIGHT_KG)}")
        return value * WEIGHT_KG[unit]

    def elements(self, key: str) -> list[dict[object, object]]:
        value = self.document.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(element, dict) for element in value):
            raise self.fail(key, "expected a list of mappings")
        if len(value) > 10_000:
            raise self.fail(key, f"{len(value):,} entries")
        return value

    def draws(self, ports: list[dict[object, object]], key: str) -> list[float]:
        found = []
        for port in ports:
            value = port.get(key)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= MAX_DRAW_W:
                raise self.fail(key, f"{cut(repr(value), 40)} is not a draw in watts (0 to {MAX_DRAW_W:g})")
            found.append(float(value))
        return found

    def free_text(self) -> str:
        parts = [self.document.get(key) for key in ("description", "comments")]
        return " ".join(part for part in parts if isinstance(part, str))[:20_000]


def _entry_id(slug: str) -> str:
    return f"netbox.{slug}"


def _source(path: Path, slug: str) -> str:
    return f"NetBox device-type library ({SOURCE_URL}, CC0 1.0), {slug}; imported from {path.name}"


def _notes(assumed: list[str]) -> str:
    return "Assumed: " + "; ".join(assumed) if assumed else ""


def _rack_type(
    reader: _Fields, path: Path, manufacturer: str, model: str, slug: str, u_height: float,
    weight_kg: float | None, mapped: list[str],
) -> DeviceTypeImport:  # fmt: skip
    assumed: list[str] = []
    unit = reader.text("outer_unit") or "mm"
    if unit not in LENGTH_MM:
        raise reader.fail("outer_unit", f"{unit!r} is not mm or in")
    scale = LENGTH_MM[unit]
    width = reader.number("outer_width", 0.0, 0.0, 5_000.0) * scale
    depth = reader.number("outer_depth", 0.0, 0.0, 5_000.0) * scale
    height = reader.number("outer_height", 0.0, 0.0, 5_000.0) * scale
    if not width:
        width = 600.0
        assumed.append("width 600 mm (outer_width not given)")
    if not depth:
        depth = DEVICE_RACK_DEPTH_MM
        assumed.append(f"depth {depth:g} mm (outer_depth not given)")
    if not height:
        height = DEVICE_RACK_HEIGHT_MM
        assumed.append(f"height {height:g} mm (outer_height not given)")
    if weight_kg is None:
        weight_kg = RACK_SHELL_KG
        assumed.append(f"empty weight {RACK_SHELL_KG:g} kg (weight not given)")
    mapped.append(f"rack type {u_height:g} U, {width:g} x {depth:g} x {height:g} mm, {weight_kg:.1f} kg")
    assumed.append(f"design kW {GENERAL_RACK_KW:g} (the bundled general-purpose rack's planning figure; the file"
                   " describes the cabinet only: set each placed rack's design kW)")
    assumed.append("workload general, air-cooled")
    entry = CatalogEntry(
        id=_entry_id(slug), kind=ItemKind.RACK, role=Role.RACK, name=f"{manufacturer} {model} rack",
        manufacturer=manufacturer, width_mm=width, depth_mm=depth, height_mm=height, weight_kg=round(weight_kg, 1),
        capacity_kw=GENERAL_RACK_KW, workload=WorkloadClass.GENERAL, source=_source(path, slug),
        confidence=Confidence.ESTIMATE, parameters={"rack_units": u_height}, notes=_notes(assumed),
    )  # fmt: skip
    return DeviceTypeImport(str(path), entry, tuple(mapped), tuple(assumed))


def _rack_pdu(
    reader: _Fields, path: Path, manufacturer: str, model: str, slug: str, weight_kg: float | None,
    ports: list[dict[object, object]], outlets: list[dict[object, object]], mapped: list[str],
) -> DeviceTypeImport:  # fmt: skip
    assumed: list[str] = []
    figure = _POWER_FIGURE.search(reader.free_text())
    kw = 0.0
    if figure is not None:
        value = float(figure.group(1).replace(",", "."))
        if figure.group(2).lower() == "kva":
            kw = value * POWER_FACTOR
            assumed.append(f"rating {kw:.1f} kW from the {value:g} kVA in the file's comments at power factor "
                           f"{POWER_FACTOR:g}")  # fmt: skip
        else:
            kw = value
            assumed.append(f"rating {kw:g} kW read from the file's comments (free text, not a NetBox field)")
    else:
        inlet = next((str(port.get("type", "")) for port in ports if str(port.get("type", "")) in NEMA_INLETS), "")
        if inlet:
            volts, amps, phases = NEMA_INLETS[inlet]
            kva = volts * amps * (math.sqrt(3) if phases == 3 else 1.0) * NORTH_AMERICA_CONTINUOUS / 1000
            kw = kva * POWER_FACTOR
            assumed.append(f"rating {kw:.1f} kW from the {inlet} inlet: {volts:g} V x {amps:g} A"
                           f"{' x √3' if phases == 3 else ''} x 0.8 (NEC continuous) x power factor {POWER_FACTOR:g}")
    if not 0 < kw <= 500:
        raise DeviceTypeError(
            "a rack PDU whose rating the file does not give (no kW or kVA in its comments, no inlet whose"
            " current is in its name): add it to a catalog file by hand", file=path)  # fmt: skip
    legs = sorted({str(outlet.get("feed_leg")) for outlet in outlets if outlet.get("feed_leg")})
    mapped.append(f"rack PDU: {len(outlets)} outlets, feed legs {', '.join(legs) or 'none given'}, inlet "
                  f"{', '.join(str(port.get('type', '?')) for port in ports) or 'not given'}")  # fmt: skip
    if outlets and len(legs) == 1:
        mapped.append(f"every outlet is on leg {legs[0]}: the file does not spread them over phases")
    if weight_kg is None:
        weight_kg = 10.0
        assumed.append("weight 10 kg (not given)")
    assumed.append("losses as the bundled rack PDUs (0.05 % fixed, 0.3 % at full load)")
    entry = CatalogEntry(
        id=_entry_id(slug), kind=ItemKind.POWER, role=Role.RACK_PDU, name=f"{manufacturer} {model} rack PDU",
        manufacturer=manufacturer, width_mm=0.0, depth_mm=0.0, height_mm=1800.0, weight_kg=round(weight_kg, 1),
        capacity_kw=round(kw, 2), loss=PDU_LOSS, parameters={"power_factor": POWER_FACTOR, "outlets": len(outlets)},
        source=_source(path, slug), confidence=Confidence.ESTIMATE, notes=_notes(assumed),
    )  # fmt: skip
    return DeviceTypeImport(str(path), entry, tuple(mapped), tuple(assumed))


def _device_rack(
    reader: _Fields, path: Path, manufacturer: str, model: str, slug: str, u_height: float,
    weight_kg: float | None, ports: list[dict[object, object]], mapped: list[str], per_rack: int | None,
) -> DeviceTypeImport:  # fmt: skip
    assumed: list[str] = []
    bays = reader.elements("module-bays")
    maximum = reader.draws(ports, "maximum_draw") or reader.draws(bays, "maximum_draw")
    allocated = reader.draws(ports, "allocated_draw")
    if not maximum:
        psus = [str(bay.get("name")) for bay in bays if "psu" in str(bay.get("name", "")).lower()]
        detail = f" (power supplies are module bays {', '.join(psus[:4])} without a draw)" if psus else ""
        raise DeviceTypeError(f"no power draw in the file: no power-port with maximum_draw{detail}", file=path)
    if u_height < 1:
        raise DeviceTypeError(f"u_height {u_height:g}: not a rack-mounted device", json_path="$.u_height", file=path)
    workload = _workload(f"{model} {slug} {reader.free_text()[:2000]}")
    mapped.append(f"device {u_height:g} U, maximum draw {sum(maximum):g} W over {len(maximum)} supplies"
                  + (f", allocated {sum(allocated):g} W" if allocated else ""))  # fmt: skip
    redundant = len(maximum) >= 2 and len(maximum) % 2 == 0 and len(set(maximum)) == 1
    device_w = sum(maximum) / 2 if redundant else sum(maximum)
    if redundant:
        assumed.append(f"the {len(maximum)} supplies are N+N redundant (A/B feeds): the device draws at most half"
                       f" their sum, {device_w:g} W")  # fmt: skip
    else:
        assumed.append(f"the device draws the sum of its supplies' maximum_draw, {device_w:g} W (an upper bound)")
    if per_rack is not None:
        count = per_rack
    elif workload is WorkloadClass.NETWORK:
        count = NETWORK_PER_RACK
        assumed.append(f"{count} switches per network rack")
    else:
        count = max(1, int(USABLE_U // u_height))
        assumed.append(f"{count} devices per rack ({USABLE_U} usable U / {u_height:g} U)")
    comment = _POWER_FIGURE.search(reader.free_text())
    if comment is not None and comment.group(2).lower() == "kw":
        said = float(comment.group(1).replace(",", "."))
        if said * 1000 > device_w * 1.2:
            mapped.append(f"the file's comments give {said:g} kW per device, more than its ports' {device_w:g} W:"
                          " the ports' figure is used; check it")  # fmt: skip
    if weight_kg is None:
        device_kg = 25.0 * u_height
        assumed.append(f"device weight {device_kg:g} kg (25 kg per U; weight not given)")
    else:
        device_kg = weight_kg
    assumed.append(f"footprint {DEVICE_RACK_WIDTH_MM:g} x {DEVICE_RACK_DEPTH_MM:g} mm, height"
                   f" {DEVICE_RACK_HEIGHT_MM:g} mm, rack shell {RACK_SHELL_KG:g} kg")  # fmt: skip
    assumed.append(f"workload {workload.value} (from the model name)")
    airflow = reader.text("airflow")
    if airflow:
        mapped.append(f"airflow {airflow}")
    assumed.append("air-cooled (liquid fraction 0)")
    design_kw = round(count * device_w / 1000, 3)
    if design_kw > 1_000:
        raise DeviceTypeError(f"{count} devices of {device_w:g} W make {design_kw:g} kW per rack: not plausible",
                              file=path)  # fmt: skip
    entry = CatalogEntry(
        id=_entry_id(slug), kind=ItemKind.RACK, role=Role.RACK, name=f"{count} x {manufacturer} {model}",
        manufacturer=manufacturer, width_mm=DEVICE_RACK_WIDTH_MM, depth_mm=DEVICE_RACK_DEPTH_MM,
        height_mm=DEVICE_RACK_HEIGHT_MM, weight_kg=round(count * device_kg + RACK_SHELL_KG, 1),
        capacity_kw=design_kw, workload=workload, liquid_fraction=0.0,
        parameters={"servers": count, "per_server_kw": round(device_w / 1000, 3), "server_u": u_height},
        source=_source(path, slug), confidence=Confidence.ESTIMATE, notes=_notes(assumed),
    )  # fmt: skip
    return DeviceTypeImport(str(path), entry, tuple(mapped), tuple(assumed))


def _workload(text: str) -> WorkloadClass:
    lowered = text.lower()
    if any(word in lowered for word in _GPU_WORDS):
        return WorkloadClass.AI
    if any(word in lowered for word in _NETWORK_WORDS):
        return WorkloadClass.NETWORK
    if any(word in lowered for word in _STORAGE_WORDS):
        return WorkloadClass.STORAGE
    return WorkloadClass.GENERAL


def user_catalog_path() -> Path:
    """Where imported device types go: a file of the user's catalog folder, read at every start."""
    from designer.io.resources import user_data_dir

    return user_data_dir() / "catalog" / "netbox-device-types.json"


def save_entries(entries: Iterable[CatalogEntry], path: Path) -> int:
    """Add ``entries`` to the catalog file ``path`` (entries of the same id replaced); returns the count written.

    The document is read back through the catalog reader before it is written, so a file the app
    would refuse at the next start is never written.
    """
    import json

    from designer.io.atomic_write import atomic_write_bytes
    from designer.io.catalog_io import (
        CATALOG_FORMAT,
        CATALOG_SCHEMA_VERSION,
        entry_to_dict,
        read_catalog_document,
        read_catalog_file,
    )

    chosen: dict[str, CatalogEntry] = {}
    if path.exists():
        chosen.update((entry.id, entry) for entry in read_catalog_file(path))
    chosen.update((entry.id, entry) for entry in entries)
    document = {
        "format": CATALOG_FORMAT,
        "schema_version": CATALOG_SCHEMA_VERSION,
        "entries": [entry_to_dict(entry) for entry in chosen.values()],
    }
    read_catalog_document(json.loads(json.dumps(document)), file=path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
    return len(chosen)
