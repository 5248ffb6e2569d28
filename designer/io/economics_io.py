"""Reading and writing the economics records: catalog unit costs and token throughput, a project's economics
settings and site carbon fields, and the bundled sourced defaults (``resources/economics/economics.json``).

Every value is range-checked at load (``designer.model.economics.SETTING_LIMITS``) and an error names the
file, the JSON path and the problem.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from designer.io.errors import FileFormatError
from designer.io.reader import Node
from designer.io.resources import resources_dir
from designer.io.safe_read import read_json_file
from designer.io.sites_io import MAX_SITES, candidate_to_dict, limited_number, read_candidate
from designer.model.economics import (
    SETTING_KEYS,
    CostBasis,
    EconomicsDefaults,
    EconomicsSettings,
    Figure,
    GridRegion,
    RegionTariff,
    TokenThroughput,
    UnitCost,
)
from designer.model.types import Confidence

ECONOMICS_FORMAT = "dc-designer-economics"
ECONOMICS_SCHEMA_VERSION = 1
MAX_ECONOMICS_BYTES = 2_000_000
_CURRENCY = re.compile(r"^[A-Z]{3}$")
MIN_YEAR, MAX_YEAR = 1990, 2100


def _currency(node: Node) -> str:
    text = node.string()
    if not _CURRENCY.match(text):
        raise node.fail(f"{text!r} is not a three-letter ISO 4217 currency code (e.g. USD, EUR)")
    return text


def _year(node: Node) -> int:
    return node.integer(minimum=MIN_YEAR, maximum=MAX_YEAR)


def _spread(node: Node, value: float, key: str) -> tuple[float | None, float | None]:
    low_node, high_node = node.optional("low"), node.optional("high")
    low = limited_number(low_node, key) if low_node is not None else None
    high = limited_number(high_node, key) if high_node is not None else None
    if low is not None and low > value:
        raise low_node.fail(f"low {low:g} is above the value {value:g}")  # type: ignore[union-attr]
    if high is not None and high < value:
        raise high_node.fail(f"high {high:g} is below the value {value:g}")  # type: ignore[union-attr]
    return low, high


# ---------------------------------------------------------------------------- catalog fields
def read_unit_cost(node: Node) -> UnitCost:
    node.reject_unknown(frozenset({"value", "low", "high", "per", "currency", "price_year", "source", "confidence"}))
    value = limited_number(node.child("value"), "unit_cost")
    low, high = _spread(node, value, "unit_cost")
    return UnitCost(
        value=value,
        low=low,
        high=high,
        per=node.child("per").choice(CostBasis),
        currency=_currency(node.child("currency")),
        price_year=_year(node.child("price_year")),
        source=node.child("source").string(allow_empty=False, max_chars=2000),
        confidence=node.child("confidence").choice(Confidence),
    )


def unit_cost_to_dict(cost: UnitCost) -> dict[str, object]:
    data: dict[str, object] = {"value": cost.value}
    if cost.low is not None:
        data["low"] = cost.low
    if cost.high is not None:
        data["high"] = cost.high
    data.update(per=cost.per.value, currency=cost.currency, price_year=cost.price_year, source=cost.source,
                confidence=cost.confidence.value)
    return data


def read_token_throughput(node: Node) -> TokenThroughput:
    node.reject_unknown(frozenset({"tokens_per_s", "model", "source", "confidence"}))
    return TokenThroughput(
        tokens_per_s=limited_number(node.child("tokens_per_s"), "tokens_per_s"),
        model=node.child("model").string(allow_empty=False, max_chars=300),
        source=node.child("source").string(allow_empty=False, max_chars=2000),
        confidence=node.child("confidence").choice(Confidence),
    )


def token_throughput_to_dict(throughput: TokenThroughput) -> dict[str, object]:
    return {"tokens_per_s": throughput.tokens_per_s, "model": throughput.model, "source": throughput.source,
            "confidence": throughput.confidence.value}


# ---------------------------------------------------------------------------- project fields
ECONOMICS_SETTINGS_FIELDS = frozenset(
    {"currency", "price_year", *SETTING_KEYS, "shell_cost_per_m2", "tariff_monthly_shape", "tariff_hourly_shape",
     "candidate_sites"})


def _series(node: Node, count: int, key: str) -> tuple[float, ...]:
    values = tuple(limited_number(element, key) for element in node.elements(max_count=count + 1))
    if len(values) != count:
        raise node.fail(f"expected {count} numbers, found {len(values)}")
    return values


def read_economics_settings(node: Node | None) -> EconomicsSettings:
    """``settings.economics`` of a project file (absent = every default)."""
    if node is None:
        return EconomicsSettings()
    node.reject_unknown(ECONOMICS_SETTINGS_FIELDS)
    values: dict[str, object] = {}
    for key in (*SETTING_KEYS, "shell_cost_per_m2"):
        child = node.optional(key)
        if child is not None:
            values[key] = limited_number(child, key)
    currency, year = node.optional("currency"), node.optional("price_year")
    monthly, hourly = node.optional("tariff_monthly_shape"), node.optional("tariff_hourly_shape")
    candidates = node.optional("candidate_sites")
    return EconomicsSettings(
        currency=_currency(currency) if currency is not None else None,
        price_year=_year(year) if year is not None else None,
        tariff_monthly_shape=_series(monthly, 12, "tariff_shape") if monthly is not None else (),
        tariff_hourly_shape=_series(hourly, 24, "tariff_shape") if hourly is not None else (),
        candidate_sites=tuple(read_candidate(site) for site in candidates.elements(max_count=MAX_SITES))
        if candidates is not None else (),
        **values,  # type: ignore[arg-type]
    )


def economics_settings_to_dict(settings: EconomicsSettings) -> dict[str, object]:
    """The JSON form: only what the project sets (absent keys are the defaults)."""
    data: dict[str, object] = {}
    if settings.currency is not None:
        data["currency"] = settings.currency
    if settings.price_year is not None:
        data["price_year"] = settings.price_year
    for key in (*SETTING_KEYS, "shell_cost_per_m2"):
        value = getattr(settings, key)
        if value is not None:
            data[key] = int(value) if float(value).is_integer() and abs(value) < 2**53 else value
    if settings.tariff_monthly_shape:
        data["tariff_monthly_shape"] = list(settings.tariff_monthly_shape)
    if settings.tariff_hourly_shape:
        data["tariff_hourly_shape"] = list(settings.tariff_hourly_shape)
    if settings.candidate_sites:
        data["candidate_sites"] = [candidate_to_dict(site) for site in settings.candidate_sites]
    return data


SITE_CARBON_FIELDS = frozenset(
    {"grid_region_id", "grid_carbon_g_per_kwh", "grid_carbon_monthly_g_per_kwh", "grid_carbon_hourly_g_per_kwh"})


def read_site_carbon(node: Node) -> dict[str, object]:
    """The site's carbon fields as keyword arguments of ``Site`` (absent ones left out)."""
    values: dict[str, object] = {}
    region = node.optional("grid_region_id")
    if region is not None:
        values["grid_region_id"] = region.string(max_chars=100)
    annual = node.optional("grid_carbon_g_per_kwh")
    if annual is not None:
        values["grid_carbon_g_per_kwh"] = limited_number(annual, "grid_carbon_g_per_kwh")
    for key, count in (("grid_carbon_monthly_g_per_kwh", 12), ("grid_carbon_hourly_g_per_kwh", 24)):
        child = node.optional(key)
        if child is not None:
            values[key] = _series(child, count, "grid_carbon_g_per_kwh")
    return values


def site_carbon_to_dict(grid_region_id: str, annual: float | None, monthly: tuple[float, ...],
                        hourly: tuple[float, ...]) -> dict[str, object]:
    data: dict[str, object] = {}
    if grid_region_id:
        data["grid_region_id"] = grid_region_id
    if annual is not None:
        data["grid_carbon_g_per_kwh"] = annual
    if monthly:
        data["grid_carbon_monthly_g_per_kwh"] = list(monthly)
    if hourly:
        data["grid_carbon_hourly_g_per_kwh"] = list(hourly)
    return data


# ---------------------------------------------------------------------------- bundled defaults
def economics_path() -> Path:
    return resources_dir() / "economics" / "economics.json"


def _figure(node: Node, key: str) -> Figure:
    node.reject_unknown(frozenset({"value", "low", "high", "unit", "year", "source", "confidence", "note"}))
    value = limited_number(node.child("value"), key)
    low, high = _spread(node, value, key)
    note = node.optional("note")
    return Figure(
        value=value, low=low, high=high,
        unit=node.child("unit").string(allow_empty=False, max_chars=100),
        year=_year(node.child("year")),
        source=node.child("source").string(allow_empty=False, max_chars=2000),
        confidence=node.child("confidence").choice(Confidence),
        note=note.string(max_chars=2000) if note is not None else "",
    )


def _region(node: Node, region_id: str) -> GridRegion:
    node.reject_unknown(frozenset({"name", "g_per_kwh", "basis", "year", "source", "confidence", "tariff"}))
    basis = node.child("basis")
    if basis.string() not in ("direct", "lifecycle"):
        raise basis.fail("expected \"direct\" or \"lifecycle\"")
    tariff_node = node.optional("tariff")
    tariff = None
    if tariff_node is not None:
        tariff_node.reject_unknown(frozenset({"value", "currency", "year", "source", "confidence"}))
        tariff = RegionTariff(
            value=limited_number(tariff_node.child("value"), "tariff_per_kwh"),
            currency=_currency(tariff_node.child("currency")),
            year=_year(tariff_node.child("year")),
            source=tariff_node.child("source").string(allow_empty=False, max_chars=2000),
            confidence=tariff_node.child("confidence").choice(Confidence),
        )
    return GridRegion(
        id=region_id,
        name=node.child("name").string(allow_empty=False, max_chars=200),
        g_per_kwh=limited_number(node.child("g_per_kwh"), "grid_carbon_g_per_kwh"),
        basis=basis.string(),
        year=_year(node.child("year")),
        source=node.child("source").string(allow_empty=False, max_chars=2000),
        confidence=node.child("confidence").choice(Confidence),
        tariff=tariff,
    )


def read_economics_document(document: object, *, file: Path | None = None) -> EconomicsDefaults:
    """The defaults of a parsed economics file; every figure range-checked, every setting present."""
    root = Node(document, "$", FileFormatError)
    try:
        root.reject_unknown(frozenset({"format", "schema_version", "description", "currency", "price_year",
                                       "defaults", "reference", "grid_regions", "climate_regions"}))
        if root.child("format").string() != ECONOMICS_FORMAT:
            raise root.child("format").fail(f"expected {ECONOMICS_FORMAT!r}")
        version = root.child("schema_version").integer()
        if version != ECONOMICS_SCHEMA_VERSION:
            raise root.child("schema_version").fail(
                f"economics schema version {version} is not supported (this version reads {ECONOMICS_SCHEMA_VERSION})")
        defaults = root.child("defaults")
        defaults.reject_unknown(frozenset(SETTING_KEYS))
        figures = {key: _figure(defaults.child(key), key) for key in SETTING_KEYS}
        regions_node = root.child("grid_regions")
        regions = {key: _region(regions_node.child(key), key) for key in regions_node.as_object()}
        climate_node = root.optional("climate_regions")
        climate_regions: dict[str, str] = {}
        if climate_node is not None:
            for climate_id in climate_node.as_object():
                child = climate_node.child(climate_id)
                if child.string() not in regions:
                    raise child.fail(f"unknown grid region {child.string()!r}")
                climate_regions[climate_id] = child.string()
        reference = root.optional("reference")
        construction = None
        if reference is not None:
            reference.reject_unknown(frozenset({"construction_cost_per_mw"}))
            construction_node = reference.optional("construction_cost_per_mw")
            if construction_node is not None:
                construction = _figure(construction_node, "building_cost_per_mw")
        return EconomicsDefaults(
            construction_per_mw=construction,
            currency=_currency(root.child("currency")),
            price_year=_year(root.child("price_year")),
            figures=figures,
            regions=regions,
            climate_regions=climate_regions,
        )
    except FileFormatError as error:
        raise FileFormatError(error.problem, json_path=error.json_path, file=file) from None


def load_economics_defaults(path: Path | None = None) -> EconomicsDefaults:
    """The economics defaults of ``path`` (default: the bundled file), checked."""
    if path is None:
        return _bundled()
    return _read(path)


def _read(path: Path) -> EconomicsDefaults:
    return read_economics_document(read_json_file(path, max_bytes=MAX_ECONOMICS_BYTES), file=path)


@cache
def _bundled() -> EconomicsDefaults:
    return _read(economics_path())
