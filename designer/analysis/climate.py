"""Site climates: monthly normals, representative hourly days, wet bulb (Stull 2011) and the design day."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np

from designer.analysis.profiles import (
    HOURS_PER_DAY,
    ProfileDataError,
    bundled_resources_dir,
    number_array,
    read_json_document,
)

CLIMATES_FORMAT = "dc-designer-climates"
CLIMATES_SCHEMA_VERSION = 1
MONTHS = 12

DAYS_PER_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=float)
"""Weights of the twelve representative days: 365 days = 8760 hours."""
DAYS_PER_MONTH.setflags(write=False)

COLDEST_HOUR = 5
"""Local hour of the daily minimum (about sunrise)."""
WARMEST_HOUR = 15
"""Local hour of the daily maximum (mid-afternoon)."""

# Stull (2011) is fitted for 5-99 % RH; outside that we clamp rather than extrapolate.
_STULL_RH_MIN = 5.0
_STULL_RH_MAX = 99.0


class ClimateDataError(ProfileDataError):
    """A climate file is missing, malformed or of an unknown version."""


@dataclass(frozen=True)
class Climate:
    """Monthly normals of one place (index 0 = January); temperatures in °C."""

    id: str
    name: str
    latitude_deg: float
    longitude_deg: float
    utc_offset_h: float
    high_c: np.ndarray
    """(12,) mean daily maximum dry bulb."""
    low_c: np.ndarray
    """(12,) mean daily minimum dry bulb."""
    dew_point_c: np.ndarray
    """(12,) mean dew point, held constant through the representative day."""
    source: str


def _finite_number(value: object, json_path: str, file: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ClimateDataError("expected a finite number", json_path, file)
    return float(value)


def load_climates(path: Path | None = None) -> Mapping[str, Climate]:
    """Read the climate file (default: the bundled one) into an id -> :class:`Climate` mapping."""
    file = path if path is not None else bundled_resources_dir() / "climates" / "climates.json"
    document = read_json_document(file, CLIMATES_FORMAT, CLIMATES_SCHEMA_VERSION, ClimateDataError)
    entries = document.get("climates")
    if not isinstance(entries, dict) or not entries:
        raise ClimateDataError("expected a non-empty object of climates by id", "$.climates", file)
    climates: dict[str, Climate] = {}
    for climate_id, entry in entries.items():
        where = f"$.climates.{climate_id}"
        if not isinstance(entry, dict):
            raise ClimateDataError("expected an object", where, file)
        arrays = {
            key: number_array(entry.get(key), MONTHS, f"{where}.{key}", file, ClimateDataError)
            for key in ("high_c", "low_c", "dew_point_c")
        }
        if np.any(arrays["high_c"] <= arrays["low_c"]):
            raise ClimateDataError("every month's high must exceed its low", f"{where}.high_c", file)
        for array in arrays.values():
            array.setflags(write=False)
        name = entry.get("name")
        source = entry.get("source")
        if not isinstance(name, str) or not name:
            raise ClimateDataError("expected a name", f"{where}.name", file)
        if not isinstance(source, str) or not source:
            raise ClimateDataError("every climate needs a source", f"{where}.source", file)
        latitude = _finite_number(entry.get("latitude_deg"), f"{where}.latitude_deg", file)
        longitude = _finite_number(entry.get("longitude_deg"), f"{where}.longitude_deg", file)
        offset = _finite_number(entry.get("utc_offset_h"), f"{where}.utc_offset_h", file)
        if abs(latitude) > 90.0 or abs(longitude) > 180.0 or abs(offset) > 14.0:
            raise ClimateDataError("latitude, longitude or utc offset out of range", where, file)
        climates[climate_id] = Climate(
            id=climate_id,
            name=name,
            latitude_deg=latitude,
            longitude_deg=longitude,
            utc_offset_h=offset,
            high_c=arrays["high_c"],
            low_c=arrays["low_c"],
            dew_point_c=arrays["dew_point_c"],
            source=source,
        )
    return MappingProxyType(climates)


def diurnal_shape() -> np.ndarray:
    """(24,) 0 at the coldest hour (05:00), 1 at the warmest (15:00), half-cosines in between.

    Warming takes 10 h and cooling 14 h, so hour values hit the monthly low and high exactly.
    """
    hours = np.arange(HOURS_PER_DAY, dtype=float)
    warming_h = WARMEST_HOUR - COLDEST_HOUR
    cooling_h = HOURS_PER_DAY - warming_h
    since_min = (hours - COLDEST_HOUR) % HOURS_PER_DAY
    rising = 0.5 * (1.0 - np.cos(np.pi * since_min / warming_h))
    falling = 0.5 * (1.0 + np.cos(np.pi * (since_min - warming_h) / cooling_h))
    shape: np.ndarray = np.where(since_min <= warming_h, rising, falling)
    return shape


def hourly_dry_bulb_c(climate: Climate) -> np.ndarray:
    """(12, 24) representative day per month in local time: low at 05:00, high at 15:00."""
    low = climate.low_c[:, np.newaxis]
    high = climate.high_c[:, np.newaxis]
    dry: np.ndarray = low + (high - low) * diurnal_shape()
    return dry


def saturation_vapour_pressure_hpa(temperature_c: np.ndarray) -> np.ndarray:
    """Magnus formula over water (Alduchov & Eskridge coefficients), hPa."""
    t = np.asarray(temperature_c, dtype=float)
    pressure: np.ndarray = 6.1094 * np.exp(17.625 * t / (243.04 + t))
    return pressure


def relative_humidity_pct(dry_bulb_c: np.ndarray, dew_point_c: np.ndarray) -> np.ndarray:
    """Relative humidity in % from dry bulb and dew point (dew point capped at the dry bulb)."""
    dry = np.asarray(dry_bulb_c, dtype=float)
    dew = np.minimum(np.asarray(dew_point_c, dtype=float), dry)
    rh: np.ndarray = 100.0 * saturation_vapour_pressure_hpa(dew) / saturation_vapour_pressure_hpa(dry)
    return rh


def stull_wet_bulb_c(dry_bulb_c: np.ndarray, relative_humidity: np.ndarray) -> np.ndarray:
    """Wet bulb from dry bulb (°C) and RH (%) by Stull (2011), J. Appl. Meteor. Climatol. 50, 2267.

    Fitted at sea-level pressure for RH 5-99 % and -20..50 °C, error within about ±1 K; RH is
    clamped to that range and the result never exceeds the dry bulb.
    """
    t = np.asarray(dry_bulb_c, dtype=float)
    rh = np.clip(np.asarray(relative_humidity, dtype=float), _STULL_RH_MIN, _STULL_RH_MAX)
    wet = (
        t * np.arctan(0.151977 * np.sqrt(rh + 8.313659))
        + np.arctan(t + rh)
        - np.arctan(rh - 1.676331)
        + 0.00391838 * rh**1.5 * np.arctan(0.023101 * rh)
        - 4.686035
    )
    result: np.ndarray = np.minimum(wet, t)
    return result


def hourly_wet_bulb_c(climate: Climate) -> np.ndarray:
    """(12, 24) wet bulb of the representative days; dew point held at the monthly mean all day."""
    dry = hourly_dry_bulb_c(climate)
    dew = np.broadcast_to(climate.dew_point_c[:, np.newaxis], dry.shape)
    return stull_wet_bulb_c(dry, relative_humidity_pct(dry, dew))


def hottest_month(climate: Climate) -> int:
    """Index (0 = January) of the month with the highest mean daily maximum."""
    return int(np.argmax(climate.high_c))


def design_day_dry_bulb_c(climate: Climate, design_ambient_c: float | None) -> np.ndarray:
    """(24,) the hottest month's day, shifted (not stretched) so its peak equals ``design_ambient_c``.

    ``None`` returns the hottest month's normal day unchanged. The daily swing is kept: a design
    day is as hot as the design ambient at 15:00 and cooler by the month's normal swing at dawn.
    """
    day: np.ndarray = hourly_dry_bulb_c(climate)[hottest_month(climate)]
    if design_ambient_c is None:
        return day
    if not math.isfinite(design_ambient_c):
        raise ValueError("design_ambient_c must be finite")
    shifted: np.ndarray = day + (design_ambient_c - float(day.max()))
    return shifted


def design_day_wet_bulb_c(climate: Climate, design_ambient_c: float | None) -> np.ndarray:
    """(24,) wet bulb of :func:`design_day_dry_bulb_c` at the hottest month's mean dew point."""
    dry = design_day_dry_bulb_c(climate, design_ambient_c)
    dew = np.full(dry.shape, climate.dew_point_c[hottest_month(climate)])
    return stull_wet_bulb_c(dry, relative_humidity_pct(dry, dew))
