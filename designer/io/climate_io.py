"""A site's own climate: read and write it in the project file, and import it from an EnergyPlus weather file (EPW).

EPW format (EnergyPlus "Auxiliary Programs", Weather Converter, EPW CSV format): eight header
lines (``LOCATION`` gives city, state, country, source, WMO, latitude, longitude, time zone,
elevation), then 8760 hourly records whose fields 7 and 8 are dry bulb and dew point in °C; 99.9
marks a missing value. Files are bounded before reading: regular files only, at most
:data:`MAX_EPW_BYTES`.
"""

from __future__ import annotations

import math
from pathlib import Path

from designer.io.errors import FileFormatError
from designer.io.reader import Node
from designer.io.safe_read import read_regular_file
from designer.model.records import SiteClimate

MONTHS = 12
HOURS_PER_YEAR = 8760
MAX_EPW_BYTES = 8_000_000
MIN_C = -90.0
MAX_C = 60.0
_EPW_MISSING = 99.9


class WeatherFileError(FileFormatError):
    """An EPW file that cannot be read, with the line that failed."""


def _temperatures(node: Node, count: int) -> tuple[float, ...]:
    values = tuple(element.number(minimum=MIN_C, maximum=MAX_C) for element in node.elements(max_count=count))
    if len(values) != count:
        raise node.fail(f"expected {count} temperatures, found {len(values)}")
    return values


def read_site_climate(node: Node) -> SiteClimate:
    """The ``site.climate`` object of a project file, range-checked (JSON path in every error)."""
    node.reject_unknown(frozenset({"name", "source", "licence", "elevation_m", "high_c", "low_c", "dew_point_c",
                                   "hourly_dry_bulb_c", "hourly_dew_point_c"}))
    high = _temperatures(node.child("high_c"), MONTHS)
    low = _temperatures(node.child("low_c"), MONTHS)
    dew = _temperatures(node.child("dew_point_c"), MONTHS)
    if any(h <= lo for h, lo in zip(high, low, strict=True)):
        raise node.child("high_c").fail("every month's high must exceed its low")
    hourly: list[tuple[float, ...]] = []
    for key in ("hourly_dry_bulb_c", "hourly_dew_point_c"):
        child = node.optional(key)
        hourly.append(() if child is None else _temperatures(child, HOURS_PER_YEAR))
    if bool(hourly[0]) != bool(hourly[1]):
        raise node.fail("hourly dry bulb and dew point come together")
    elevation = node.optional("elevation_m")
    return SiteClimate(
        name=node.child("name").string(allow_empty=False, max_chars=300),
        source=node.child("source").string(allow_empty=False, max_chars=2000),
        licence=node.child("licence").string(max_chars=500) if node.optional("licence") else "",
        high_c=high,
        low_c=low,
        dew_point_c=dew,
        elevation_m=elevation.number(minimum=-500, maximum=6000) if elevation is not None else 0.0,
        hourly_dry_bulb_c=hourly[0],
        hourly_dew_point_c=hourly[1],
    )


def _round(values: tuple[float, ...], digits: int = 1) -> list[float]:
    return [round(value, digits) for value in values]


def site_climate_to_dict(climate: SiteClimate) -> dict[str, object]:
    """The JSON-ready ``site.climate`` object (hours rounded to 0.1 K, as in an EPW file)."""
    data: dict[str, object] = {
        "name": climate.name,
        "source": climate.source,
        "licence": climate.licence,
        "elevation_m": climate.elevation_m,
        "high_c": _round(climate.high_c, 2),
        "low_c": _round(climate.low_c, 2),
        "dew_point_c": _round(climate.dew_point_c, 2),
    }
    if climate.hourly_dry_bulb_c:
        data["hourly_dry_bulb_c"] = _round(climate.hourly_dry_bulb_c)
        data["hourly_dew_point_c"] = _round(climate.hourly_dew_point_c)
    return data


def _number(text: str, what: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise WeatherFileError(f"{what} is not a number: {text[:40]!r}", json_path=where) from None
    if not math.isfinite(value):
        raise WeatherFileError(f"{what} is not finite", json_path=where)
    return value


def _monthly(hours: list[float], dews: list[float]) -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]:
    days_per_month = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    high, low, dew = [], [], []
    start = 0
    for days in days_per_month:
        block = hours[start * 24:(start + days) * 24]
        dew_block = dews[start * 24:(start + days) * 24]
        daily = [block[d * 24:(d + 1) * 24] for d in range(days)]
        high.append(sum(max(day) for day in daily) / days)
        low.append(sum(min(day) for day in daily) / days)
        dew.append(sum(dew_block) / len(dew_block))
        start += days
    return tuple(high), tuple(low), tuple(dew)


def read_epw(path: Path) -> SiteClimate:
    """A :class:`SiteClimate` from an EPW file: its 8760 hours and the monthly normals derived from them.

    Missing values (99.9) are filled from the previous hour. A leap-year file (8784 hours) drops 29
    February. The licence is left for the user to state (EPW files come under many terms).
    """
    raw = read_regular_file(
        path, max_bytes=MAX_EPW_BYTES, error=lambda problem: WeatherFileError(problem, file=path)
    )
    lines = raw.decode("utf-8", errors="replace").splitlines()
    if not lines or not lines[0].startswith("LOCATION"):
        raise WeatherFileError("the first line is not an EPW LOCATION record", json_path="line 1", file=path)
    location = lines[0].split(",")
    if len(location) < 10:
        raise WeatherFileError("LOCATION record has fewer than 10 fields", json_path="line 1", file=path)
    elevation = _number(location[9], "elevation", f"{path}:1")
    if not -500.0 <= elevation <= 6000.0:
        raise WeatherFileError(f"elevation {elevation:g} m out of range", json_path="line 1", file=path)
    records = [line for line in lines[8:] if line.strip()]
    dry: list[float] = []
    dew: list[float] = []
    for number, line in enumerate(records, start=9):
        fields = line.split(",")
        if len(fields) < 9:
            raise WeatherFileError("a data record has fewer than 9 fields", json_path=f"line {number}", file=path)
        if fields[1] == "2" and fields[2] == "29":
            continue  # leap day
        for value_text, series, what in ((fields[6], dry, "dry bulb"), (fields[7], dew, "dew point")):
            value = _number(value_text, what, f"{path}:{number}")
            if value == _EPW_MISSING:
                if not series:
                    raise WeatherFileError(f"{what} missing in the first hour", json_path=f"line {number}", file=path)
                value = series[-1]
            if not MIN_C <= value <= MAX_C:
                raise WeatherFileError(f"{what} {value:g} °C out of range", json_path=f"line {number}", file=path)
            series.append(value)
    if len(dry) != HOURS_PER_YEAR:
        raise WeatherFileError(f"expected {HOURS_PER_YEAR} hourly records, found {len(dry)}", file=path)
    high, low, dew_mean = _monthly(dry, dew)
    name = ", ".join(part.strip() for part in location[1:4] if part.strip()) or path.stem
    return SiteClimate(
        name=name[:300],
        source=f"EPW file {path.name} ({location[4].strip()[:100]} data, WMO {location[5].strip()[:20]})",
        high_c=high,
        low_c=low,
        dew_point_c=dew_mean,
        elevation_m=elevation,
        hourly_dry_bulb_c=tuple(dry),
        hourly_dew_point_c=tuple(dew),
    )
