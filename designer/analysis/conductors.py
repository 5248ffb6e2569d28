"""Ampacity tables, standard breaker ratings and conductor resistances, read from
``resources/electrical/conductors.json``; picking a conductor and a breaker, and a run's voltage drop.

Every figure is range-checked at load (an ampacity of 0 would size every cable as infinite).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from designer.analysis.profiles import ProfileDataError, bundled_resources_dir, read_json_document

CONDUCTORS_FORMAT = "dc-designer-conductors"
CONDUCTORS_SCHEMA_VERSION = 1
STANDARDS = ("iec", "nec")
MATERIALS = ("copper", "aluminium")
SQRT3 = math.sqrt(3.0)


class ConductorDataError(ProfileDataError):
    """The conductor file is missing, malformed or out of range; names the JSON path."""


@dataclass(frozen=True, slots=True)
class Conductor:
    """One conductor size of an ampacity table."""

    size: str
    area_mm2: float
    ampacity_a: float
    resistance_ohm_per_km: float
    """At the table's ``resistance_temperature_c``."""


@dataclass(frozen=True, slots=True)
class ConductorTable:
    """One standard's table for one material, with the breaker ratings of the same standard."""

    standard: str
    material: str
    name: str
    source: str
    conductors: tuple[Conductor, ...]
    """By ascending ampacity."""
    breakers_a: tuple[float, ...]
    conductor_temperature_c: float
    resistance_temperature_c: float
    temperature_coefficient_per_k: float
    reactance_ohm_per_km: float
    min_parallel_area_mm2: float
    max_parallel: int

    def resistance_hot_ohm_per_km(self, conductor: Conductor) -> float:
        """Resistance at the conductor's operating temperature (where the ampacity puts it)."""
        rise = self.conductor_temperature_c - self.resistance_temperature_c
        return conductor.resistance_ohm_per_km * (1.0 + self.temperature_coefficient_per_k * rise)


@dataclass(frozen=True, slots=True)
class CableChoice:
    """Conductors picked for a run: ``parallel`` sets of ``conductor``."""

    conductor: Conductor
    parallel: int

    @property
    def ampacity_a(self) -> float:
        return self.conductor.ampacity_a * self.parallel

    @property
    def label(self) -> str:
        return self.conductor.size if self.parallel == 1 else f"{self.parallel} x {self.conductor.size}"


def pick_breaker(table: ConductorTable, required_a: float) -> float | None:
    """The smallest standard rating at or above ``required_a``; None above the largest."""
    for rating in table.breakers_a:
        if rating >= required_a - 1e-9:
            return rating
    return None


def pick_conductor(table: ConductorTable, required_a: float) -> CableChoice | None:
    """The smallest conductor whose ampacity meets ``required_a``, in as few parallel sets as will do
    (parallel sets only of conductors of at least ``min_parallel_area_mm2``); None when even
    ``max_parallel`` sets of the largest do not."""
    for parallel in range(1, table.max_parallel + 1):
        for conductor in table.conductors:
            if parallel > 1 and conductor.area_mm2 < table.min_parallel_area_mm2:
                continue
            if conductor.ampacity_a * parallel >= required_a - 1e-9:
                return CableChoice(conductor, parallel)
    return None


def voltage_drop_fraction(table: ConductorTable, cable: CableChoice, current_a: float, length_m: float,
                          voltage_v: float, phases: int, power_factor: float) -> float:
    """Voltage drop of a run as a fraction of ``voltage_v`` (line-to-line for three phases, line-to-neutral
    for one): ``k * I * L * (R cos phi + X sin phi) / (n * V)``, k = sqrt(3) for three phases, 2 for one
    (out and back), ``n`` parallel sets (IEC 60364-5-52 Annex G)."""
    if voltage_v <= 0 or length_m <= 0 or current_a <= 0:
        return 0.0
    cos_phi = min(max(power_factor, 0.0), 1.0)
    sin_phi = math.sqrt(max(0.0, 1.0 - cos_phi * cos_phi))
    r = table.resistance_hot_ohm_per_km(cable.conductor) / 1000.0
    x = table.reactance_ohm_per_km / 1000.0
    k = SQRT3 if phases == 3 else 2.0
    return k * current_a * length_m * (r * cos_phi + x * sin_phi) / (cable.parallel * voltage_v)


def _fail(problem: str, where: str, path: Path) -> ConductorDataError:
    return ConductorDataError(problem, where, path)


def _number(value: object, where: str, path: Path, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail("expected a finite number", where, path)
    if not low < value <= high:
        raise _fail(f"{value:g} is outside ({low:g}, {high:g}]", where, path)
    return float(value)


def _rows(value: object, where: str, path: Path) -> tuple[Conductor, ...]:
    if not isinstance(value, list) or not 1 <= len(value) <= 200:
        raise _fail("expected a list of 1 to 200 conductors", where, path)
    rows: list[Conductor] = []
    for index, row in enumerate(value):
        at = f"{where}[{index}]"
        if not isinstance(row, dict):
            raise _fail("expected an object", at, path)
        size = row.get("size")
        if not isinstance(size, str) or not 0 < len(size) <= 30:
            raise _fail("expected a size name", f"{at}.size", path)
        rows.append(Conductor(
            size,
            _number(row.get("area_mm2"), f"{at}.area_mm2", path, 0.0, 5000.0),
            _number(row.get("ampacity_a"), f"{at}.ampacity_a", path, 0.0, 10_000.0),
            _number(row.get("resistance_ohm_per_km"), f"{at}.resistance_ohm_per_km", path, 0.0, 100.0),
        ))
    for previous, row in itertools.pairwise(rows):
        if row.ampacity_a <= previous.ampacity_a or row.area_mm2 <= previous.area_mm2:
            raise _fail("conductors must be in ascending size and ampacity", where, path)
    return tuple(rows)


def read_conductor_tables(path: Path | None = None) -> Mapping[tuple[str, str], ConductorTable]:
    """Every (standard, material) table of the file (default: the bundled one)."""
    file = path if path is not None else bundled_resources_dir() / "electrical" / "conductors.json"
    document: dict[str, Any] = read_json_document(file, CONDUCTORS_FORMAT, CONDUCTORS_SCHEMA_VERSION,
                                                  ConductorDataError)
    standards = document.get("standards")
    if not isinstance(standards, dict):
        raise _fail("expected an object of standards", "$.standards", file)
    reactance = _number(document.get("reactance_ohm_per_km"), "$.reactance_ohm_per_km", file, 0.0, 1.0)
    max_parallel = document.get("max_parallel")
    if isinstance(max_parallel, bool) or not isinstance(max_parallel, int) or not 1 <= max_parallel <= 50:
        raise _fail("expected an integer from 1 to 50", "$.max_parallel", file)
    coefficients = document.get("temperature_coefficient_per_k")
    if not isinstance(coefficients, dict):
        raise _fail("expected an object by material", "$.temperature_coefficient_per_k", file)
    tables: dict[tuple[str, str], ConductorTable] = {}
    for standard in STANDARDS:
        where = f"$.standards.{standard}"
        block = standards.get(standard)
        if not isinstance(block, dict):
            raise _fail("missing standard", where, file)
        breakers = block.get("breakers_a")
        if not isinstance(breakers, list) or not breakers:
            raise _fail("expected a list of ratings", f"{where}.breakers_a", file)
        ratings = tuple(_number(b, f"{where}.breakers_a[{i}]", file, 0.0, 10_000.0) for i, b in enumerate(breakers))
        if list(ratings) != sorted(set(ratings)):
            raise _fail("ratings must be ascending", f"{where}.breakers_a", file)
        name, source = block.get("name"), block.get("source")
        if not isinstance(name, str) or not isinstance(source, str):
            raise _fail("expected a name and a source", where, file)
        for material in MATERIALS:
            tables[(standard, material)] = ConductorTable(
                standard, material, name, source,
                tuple(sorted(_rows(block.get(material), f"{where}.{material}", file), key=lambda c: c.ampacity_a)),
                ratings,
                _number(block.get("conductor_temperature_c"), f"{where}.conductor_temperature_c", file, 0.0, 250.0),
                _number(block.get("resistance_temperature_c"), f"{where}.resistance_temperature_c", file, 0.0, 250.0),
                _number(coefficients.get(material), f"$.temperature_coefficient_per_k.{material}", file, 0.0, 0.01),
                reactance,
                _number(block.get("min_parallel_area_mm2"), f"{where}.min_parallel_area_mm2", file, 0.0, 1000.0),
                max_parallel,
            )
    return tables


@lru_cache(maxsize=1)
def bundled_conductor_tables() -> Mapping[tuple[str, str], ConductorTable]:
    """The bundled tables, read once."""
    return read_conductor_tables()
