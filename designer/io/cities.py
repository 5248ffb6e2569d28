"""The bundled list of major cities offered as user regions (resources/cities/cities.json), range-checked at load."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from designer.io.errors import FileFormatError
from designer.model.records import UserRegion
from designer.paths import resources_dir

CITIES_FORMAT = "dc-designer-cities"
CITIES_SCHEMA_VERSION = 1
MAX_CITIES_BYTES = 2_000_000
MAX_CITIES = 20_000


@dataclass(frozen=True, slots=True)
class City:
    """A city a design's users may live in: centre coordinates in degrees (WGS 84) and where they come from."""

    name: str
    country: str
    latitude_deg: float
    longitude_deg: float
    source: str

    def label(self) -> str:
        return f"{self.name}, {self.country}" if self.country else self.name

    def region(self) -> UserRegion:
        return UserRegion(self.name, self.latitude_deg, self.longitude_deg)


def cities_path() -> Path:
    return resources_dir() / "cities" / "cities.json"


def _fail(message: str, json_path: str, file: Path) -> FileFormatError:
    return FileFormatError(message, json_path=json_path, file=file)


def _text(entry: dict[str, object], key: str, where: str, file: Path, *, allow_empty: bool = False) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or (not value.strip() and not allow_empty) or len(value) > 200:
        raise _fail("expected a text of 1 to 200 characters", f"{where}.{key}", file)
    return value.strip()


def _degrees(entry: dict[str, object], key: str, limit: float, where: str, file: Path) -> float:
    value = entry.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or abs(value) > limit:
        raise _fail(f"expected a number from -{limit:g} to {limit:g}", f"{where}.{key}", file)
    return float(value)


def load_cities(path: Path | None = None) -> tuple[City, ...]:
    """The cities of ``path`` (default: the bundled list), sorted by name.

    Raises FileFormatError naming the file and JSON path of the first bad value.
    """
    file = cities_path() if path is None else path
    try:
        if file.stat().st_size > MAX_CITIES_BYTES:
            raise _fail(f"larger than {MAX_CITIES_BYTES} bytes", "$", file)
        document = json.loads(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise FileFormatError(f"cannot read ({error.strerror or error})", file=file) from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FileFormatError(f"not valid JSON ({error})", file=file) from error
    if not isinstance(document, dict) or document.get("format") != CITIES_FORMAT:
        raise _fail(f"expected format {CITIES_FORMAT!r}", "$.format", file)
    if document.get("schema_version") != CITIES_SCHEMA_VERSION:
        raise _fail(f"unsupported schema_version (this program reads {CITIES_SCHEMA_VERSION})", "$.schema_version",
                    file)
    sources = document.get("sources")
    if not isinstance(sources, dict) or not all(isinstance(v, str) and v for v in sources.values()):
        raise _fail("expected an object of source texts by key", "$.sources", file)
    entries = document.get("cities")
    if not isinstance(entries, list) or not entries or len(entries) > MAX_CITIES:
        raise _fail(f"expected a list of 1 to {MAX_CITIES} cities", "$.cities", file)
    cities: list[City] = []
    for index, entry in enumerate(entries):
        where = f"$.cities[{index}]"
        if not isinstance(entry, dict):
            raise _fail("expected an object", where, file)
        source_key = _text(entry, "source", where, file)
        if source_key not in sources:
            raise _fail(f"source {source_key!r} is not listed in $.sources", f"{where}.source", file)
        cities.append(City(
            name=_text(entry, "name", where, file),
            country=_text(entry, "country", where, file, allow_empty=True),
            latitude_deg=_degrees(entry, "latitude_deg", 90.0, where, file),
            longitude_deg=_degrees(entry, "longitude_deg", 180.0, where, file),
            source=str(sources[source_key]),
        ))
    return tuple(sorted(cities, key=lambda c: (c.name.casefold(), c.country.casefold())))
