"""The bundled city list: every city loads in range with a source; bad files name the bad field."""

import json
from pathlib import Path

import pytest

from designer.io.cities import load_cities
from designer.io.errors import FileFormatError


def test_the_bundled_cities_load_with_sources() -> None:
    cities = load_cities()
    assert len(cities) >= 100
    names = {c.name for c in cities}
    assert {"Frankfurt am Main", "Tokyo", "New York", "São Paulo", "Singapore"} <= names
    assert all(-90 <= c.latitude_deg <= 90 and -180 <= c.longitude_deg <= 180 and c.source for c in cities)
    tokyo = next(c for c in cities if c.name == "Tokyo")
    assert tokyo.region().latitude_deg == pytest.approx(35.6897)
    assert tokyo.label() == "Tokyo, Japan"


def _write(tmp_path: Path, cities: list[dict[str, object]]) -> Path:
    path = tmp_path / "cities.json"
    path.write_text(json.dumps({"format": "dc-designer-cities", "schema_version": 1, "sources": {"s": "a source"},
                                "cities": cities}), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("bad", "where"),
    [
        ({"latitude_deg": 91.0}, "$.cities[0].latitude_deg"),
        ({"longitude_deg": float("nan")}, "$.cities[0].longitude_deg"),
        ({"name": ""}, "$.cities[0].name"),
        ({"source": "nowhere"}, "$.cities[0].source"),
    ],
)
def test_a_bad_city_names_its_field(tmp_path: Path, bad: dict[str, object], where: str) -> None:
    city = {"name": "X", "country": "Y", "latitude_deg": 1.0, "longitude_deg": 2.0, "source": "s", **bad}
    with pytest.raises(FileFormatError, match=where.replace("[", r"\[").replace("]", r"\]").replace("$", r"\$")):
        load_cities(_write(tmp_path, [city]))
