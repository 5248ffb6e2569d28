"""Candidate sites for ``dc-designer sites``: a ``--site NAME,LAT,LON,CLIMATE[,TARIFF[,GRID_G[,LAND]]]`` spec or a
sites file ``{"format": "dc-designer-sites", "schema_version": 1, "sites": [...]}``, range-checked."""

from __future__ import annotations

import math
from pathlib import Path

from designer.io.errors import FileFormatError
from designer.io.reader import Node
from designer.io.safe_read import read_json_file
from designer.model.economics import SETTING_LIMITS, CandidateSite

SITES_FORMAT = "dc-designer-sites"
SITES_SCHEMA_VERSION = 1
MAX_SITES = 200
MAX_SITES_BYTES = 1_000_000
SITE_FIELDS = frozenset({"name", "latitude_deg", "longitude_deg", "climate_id", "tariff_per_kwh", "grid_region_id",
                         "grid_carbon_g_per_kwh", "land_cost"})
MAX_LAND_COST = 1e11


def _check(value: float, key: str, what: str) -> float:
    problem = SETTING_LIMITS[key].problem(value)
    if problem is not None:
        raise ValueError(f"{what}: {problem}")
    return value


def parse_site_spec(spec: str) -> CandidateSite:
    """``NAME,LAT,LON,CLIMATE[,TARIFF[,GRID_G[,LAND]]]`` (empty optional fields are allowed); ValueError if bad."""
    parts = [part.strip() for part in spec.split(",")]
    if not 4 <= len(parts) <= 7:
        raise ValueError(f"--site {spec!r}: expected NAME,LAT,LON,CLIMATE[,TARIFF[,GRID_G[,LAND]]]")
    return candidate_from_fields(*parts)


def candidate_from_fields(name: str, lat_text: str, lon_text: str, climate_id: str,
                          *rest: str) -> CandidateSite:
    """A candidate from its texts (optional tariff, grid carbon and land cost; empty = none); ValueError if bad."""
    spec = ",".join((name, lat_text, lon_text, climate_id, *rest))
    if not name or not climate_id:
        raise ValueError(f"--site {spec!r}: the name and the climate id must not be empty")

    def number(text: str, what: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"--site {name}: {what} {text!r} is not a number") from None
        if not math.isfinite(value):
            raise ValueError(f"--site {name}: {what} must be finite")
        return value

    latitude, longitude = number(lat_text, "latitude"), number(lon_text, "longitude")
    if abs(latitude) > 90 or abs(longitude) > 180:
        raise ValueError(f"--site {name}: latitude must be within -90..90 and longitude within -180..180")
    optional = [number(text, what) if text else None
                for text, what in zip(rest, ("tariff", "grid carbon", "land cost"), strict=False)]
    optional += [None] * (3 - len(optional))
    tariff, grid, land = optional
    if tariff is not None:
        _check(tariff, "tariff_per_kwh", f"--site {name} tariff")
    if grid is not None:
        _check(grid, "grid_carbon_g_per_kwh", f"--site {name} grid carbon")
    if land is not None and not 0 <= land <= MAX_LAND_COST:
        raise ValueError(f"--site {name}: land cost must be within 0..{MAX_LAND_COST:g}")
    return CandidateSite(name, latitude, longitude, climate_id, tariff, "", grid, land)


def limited_number(node: Node, key: str) -> float:
    """A number inside ``SETTING_LIMITS[key]`` (the error names the range and why)."""
    value = node.number()
    problem = SETTING_LIMITS[key].problem(value)
    if problem is not None:
        raise node.fail(problem)
    return value


def read_candidate(node: Node) -> CandidateSite:
    """One candidate site object (of a sites file or a project's ``settings.economics.candidate_sites``)."""
    node.reject_unknown(SITE_FIELDS)
    tariff, grid, land = (node.optional(k) for k in ("tariff_per_kwh", "grid_carbon_g_per_kwh", "land_cost"))
    region = node.optional("grid_region_id")
    return CandidateSite(
        name=node.child("name").string(allow_empty=False, max_chars=200),
        latitude_deg=node.child("latitude_deg").number(minimum=-90, maximum=90),
        longitude_deg=node.child("longitude_deg").number(minimum=-180, maximum=180),
        climate_id=node.child("climate_id").string(allow_empty=False, max_chars=100),
        tariff_per_kwh=limited_number(tariff, "tariff_per_kwh") if tariff is not None else None,
        grid_region_id=region.string(max_chars=100) if region is not None else "",
        grid_carbon_g_per_kwh=limited_number(grid, "grid_carbon_g_per_kwh") if grid is not None else None,
        land_cost=land.number(minimum=0, maximum=MAX_LAND_COST) if land is not None else None,
    )


def candidate_to_dict(site: CandidateSite) -> dict[str, object]:
    """The JSON form ``read_candidate`` reads back (optional fields only when set)."""
    data: dict[str, object] = {"name": site.name, "latitude_deg": site.latitude_deg,
                               "longitude_deg": site.longitude_deg, "climate_id": site.climate_id}
    optional = (("tariff_per_kwh", site.tariff_per_kwh), ("grid_region_id", site.grid_region_id or None),
                ("grid_carbon_g_per_kwh", site.grid_carbon_g_per_kwh), ("land_cost", site.land_cost))
    data.update({key: value for key, value in optional if value is not None})
    return data


def read_sites_document(document: object, *, file: Path | None = None) -> list[CandidateSite]:
    root = Node(document, "$", FileFormatError)
    try:
        root.reject_unknown(frozenset({"format", "schema_version", "sites"}))
        if root.child("format").string() != SITES_FORMAT:
            raise root.child("format").fail(f"expected {SITES_FORMAT!r}")
        version = root.child("schema_version").integer()
        if version != SITES_SCHEMA_VERSION:
            raise root.child("schema_version").fail(
                f"sites schema version {version} is not supported (this version reads {SITES_SCHEMA_VERSION})")
        sites = []
        sites = [read_candidate(node) for node in root.child("sites").elements(max_count=MAX_SITES)]
        if not sites:
            raise root.child("sites").fail("lists no site")
        return sites
    except FileFormatError as error:
        raise FileFormatError(error.problem, json_path=error.json_path, file=file) from None


def read_sites_file(path: Path) -> list[CandidateSite]:
    return read_sites_document(read_json_file(path, max_bytes=MAX_SITES_BYTES), file=path)
