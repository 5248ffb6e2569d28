"""Site climates: monthly normals or a typical year of hours, the weather days of a year, wet bulb and the design day.

Wet bulb comes from psychrolib (ASHRAE Handbook of Fundamentals 2017 psychrometrics, [S64]) at the
standard-atmosphere pressure of the site's elevation (sea level unless given).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np
import psychrolib

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

HOURS_PER_YEAR = 8760
SEA_LEVEL_PA = 101_325.0

psychrolib.SetUnitSystem(psychrolib.SI)


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
    licence: str = ""
    """Terms of the data (e.g. "public domain (US government work)"); empty for typed-in normals."""
    elevation_m: float = 0.0
    """Height above sea level; sets the pressure of the wet-bulb calculation."""
    hourly_dry_bulb_c: np.ndarray | None = None
    """(8760,) a typical year of hours in local standard time (e.g. from an EPW file), else None."""
    hourly_dew_point_c: np.ndarray | None = None
    """(8760,) dew point of the same hours."""


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
        licence = entry.get("licence")
        if not isinstance(licence, str) or not licence:
            raise ClimateDataError("every climate needs the licence of its data", f"{where}.licence", file)
        elevation = _finite_number(entry.get("elevation_m", 0.0), f"{where}.elevation_m", file)
        if not -500.0 <= elevation <= 6000.0:
            raise ClimateDataError("elevation out of range (-500..6000 m)", f"{where}.elevation_m", file)
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
            licence=licence,
            elevation_m=elevation,
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


def pressure_pa(elevation_m: float) -> float:
    """Standard-atmosphere pressure at an elevation (psychrolib ``GetStandardAtmPressure``)."""
    return float(psychrolib.GetStandardAtmPressure(elevation_m))


_wet_bulb_scalar = np.vectorize(psychrolib.GetTWetBulbFromTDewPoint, otypes=[float])


def wet_bulb_c(dry_bulb_c: np.ndarray, dew_point_c: np.ndarray, pressure: float = SEA_LEVEL_PA) -> np.ndarray:
    """Thermodynamic wet bulb from dry bulb and dew point (°C) at ``pressure`` Pa, by psychrolib [S64].

    The dew point is capped at the dry bulb (saturated air). Inputs are rounded to 0.01 K and each
    distinct pair is solved once, so a typical year costs a few thousand solver calls.
    """
    dry = np.round(np.asarray(dry_bulb_c, dtype=float), 2)
    dew = np.round(np.minimum(np.asarray(dew_point_c, dtype=float), dry), 2)
    dry, dew = np.broadcast_arrays(dry, dew)
    pairs, inverse = np.unique(np.stack([dry.ravel(), dew.ravel()]), axis=1, return_inverse=True)
    solved = _wet_bulb_scalar(pairs[0], pairs[1], pressure)
    wet: np.ndarray = np.minimum(solved[np.ravel(inverse)].reshape(dry.shape), dry)
    return wet


def hourly_wet_bulb_c(climate: Climate) -> np.ndarray:
    """(12, 24) wet bulb of the representative days; dew point held at the monthly mean all day."""
    dry = hourly_dry_bulb_c(climate)
    dew = np.broadcast_to(climate.dew_point_c[:, np.newaxis], dry.shape)
    return wet_bulb_c(dry, dew, pressure_pa(climate.elevation_m))


@dataclass(frozen=True)
class WeatherDays:
    """The days a year is computed on: (days, 24) local hours, each day standing for ``weight_days`` days."""

    dry_bulb_c: np.ndarray
    wet_bulb_c: np.ndarray
    weight_days: np.ndarray
    """(days,) how many days of the year each row stands for (sum 365)."""
    month: np.ndarray
    """(days,) month index 0..11 of each row."""
    hourly: bool
    """True for a typical year of real hours, False for twelve representative days of monthly normals."""


_MONTH_OF_DAY = np.repeat(np.arange(MONTHS), DAYS_PER_MONTH.astype(int))


_WEATHER_CACHE: dict[int, tuple[Climate, WeatherDays]] = {}
_WEATHER_CACHE_SIZE = 16


def weather_days(climate: Climate) -> WeatherDays:
    """The year's weather of ``climate`` (cached per climate object: the wet bulbs cost a solver each)."""
    cached = _WEATHER_CACHE.get(id(climate))
    if cached is not None and cached[0] is climate:
        return cached[1]
    days = _weather_days(climate)
    if len(_WEATHER_CACHE) >= _WEATHER_CACHE_SIZE:
        _WEATHER_CACHE.pop(next(iter(_WEATHER_CACHE)))
    _WEATHER_CACHE[id(climate)] = (climate, days)
    return days


def _weather_days(climate: Climate) -> WeatherDays:
    """The year's weather: the climate's typical hours when it has them, else the monthly representative days.

    A typical year (8760 hours, local standard time) becomes 365 days of weight 1; monthly normals
    become twelve days of :func:`diurnal_shape` (low at 05:00, high at 15:00, dew point constant)
    weighted by the days of their month.
    """
    if climate.hourly_dry_bulb_c is not None and climate.hourly_dew_point_c is not None:
        dry = np.asarray(climate.hourly_dry_bulb_c, dtype=float).reshape(365, HOURS_PER_DAY)
        dew = np.asarray(climate.hourly_dew_point_c, dtype=float).reshape(365, HOURS_PER_DAY)
        wet = wet_bulb_c(dry, dew, pressure_pa(climate.elevation_m))
        return WeatherDays(dry, wet, np.ones(365), _MONTH_OF_DAY, True)
    return WeatherDays(hourly_dry_bulb_c(climate), hourly_wet_bulb_c(climate), DAYS_PER_MONTH.copy(),
                       np.arange(MONTHS), False)


def monthly_normals_from_hours(dry_bulb_c: np.ndarray, dew_point_c: np.ndarray) -> tuple[np.ndarray, ...]:
    """(high, low, dew point) monthly normals of a typical year: mean daily max, mean daily min, mean dew point."""
    dry = np.asarray(dry_bulb_c, dtype=float).reshape(365, HOURS_PER_DAY)
    dew = np.asarray(dew_point_c, dtype=float).reshape(365, HOURS_PER_DAY)
    masks = [np.equal(_MONTH_OF_DAY, m) for m in range(MONTHS)]
    high = np.array([dry[mask].max(axis=1).mean() for mask in masks])
    low = np.array([dry[mask].min(axis=1).mean() for mask in masks])
    dew_mean = np.array([dew[mask].mean() for mask in masks])
    return high, low, dew_mean


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
    return wet_bulb_c(dry, dew, pressure_pa(climate.elevation_m))
