"""24-hour utilisation profiles per workload class, read from ``resources/profiles/profiles.json``."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from designer.model.types import WorkloadClass
from designer.paths import resources_dir

PROFILES_FORMAT = "dc-designer-profiles"
PROFILES_SCHEMA_VERSION = 1
HOURS_PER_DAY = 24

PROFILED_CLASSES: tuple[WorkloadClass, ...] = (
    WorkloadClass.TRAINING,
    WorkloadClass.INFERENCE,
    WorkloadClass.GENERAL,
    WorkloadClass.STORAGE,
    WorkloadClass.NETWORK,
)
"""Classes with their own curve; ``AI`` is a blend of training and inference (:func:`ai_utilisation`)."""

_TIME_BASES = ("utc", "local")
_MAX_FRACTION = 1.5  # a utilisation above 150 % of nameplate is a typo, not a profile


class ProfileDataError(ValueError):
    """A profile file is missing, malformed or of an unknown version; names the JSON path of the bad field."""

    def __init__(self, problem: str, json_path: str = "$", file: Path | None = None) -> None:
        self.problem = problem
        self.json_path = json_path
        self.file = file
        where = f"{file}: " if file is not None else ""
        super().__init__(f"{where}{json_path}: {problem}")


@dataclass(frozen=True)
class LoadProfiles:
    """Hourly fraction of nameplate per workload class, in the site's local time (no entry for ``AI``)."""

    by_class: Mapping[WorkloadClass, np.ndarray]
    sources: Mapping[WorkloadClass, str]
    weekend_note: str = ""


def bundled_resources_dir() -> Path:
    """The bundled ``resources/`` folder (``designer.paths.resources_dir``)."""
    return resources_dir()


def read_json_document(
    path: Path, expected_format: str, supported_version: int, error: type[ProfileDataError] = ProfileDataError
) -> dict[str, Any]:
    """Read a ``{"format", "schema_version", ...}`` JSON file, checking its format and version.

    Problems raise ``error`` (a :class:`ProfileDataError` subclass) naming the file and JSON path.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise error(f"cannot read file ({exc.strerror or exc})", file=path) from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(f"not valid JSON (line {exc.lineno}: {exc.msg})", file=path) from exc
    if not isinstance(document, dict):
        raise error("expected a JSON object", file=path)
    if document.get("format") != expected_format:
        raise error(f"expected format {expected_format!r}", "$.format", path)
    version = document.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise error("schema_version must be an integer", "$.schema_version", path)
    if version > supported_version:
        raise error(
            f"schema_version {version} is newer than this program understands ({supported_version})",
            "$.schema_version",
            path,
        )
    if version < 1:
        raise error(f"unknown schema_version {version}", "$.schema_version", path)
    return document


def number_array(
    value: object, length: int, json_path: str, path: Path, error: type[ProfileDataError] = ProfileDataError
) -> np.ndarray:
    """``value`` as a float array of ``length`` finite numbers, or a :class:`ProfileDataError`."""
    if not isinstance(value, list) or len(value) != length:
        raise error(f"expected a list of {length} numbers", json_path, path)
    for index, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, int | float) or not math.isfinite(item):
            raise error("expected a finite number", f"{json_path}[{index}]", path)
    return np.asarray(value, dtype=float)


def rotate_utc_to_local(curve_utc: np.ndarray, utc_offset_h: float) -> np.ndarray:
    """A 24-h UTC curve seen in local time: local hour h reads UTC hour (h - offset) mod 24.

    Fractional offsets (India +5.5) interpolate linearly between neighbouring UTC hours, wrapping
    around midnight.
    """
    utc_hour = (np.arange(HOURS_PER_DAY, dtype=float) - utc_offset_h) % HOURS_PER_DAY
    lower = np.floor(utc_hour).astype(int) % HOURS_PER_DAY
    upper = (lower + 1) % HOURS_PER_DAY
    weight = utc_hour - np.floor(utc_hour)
    rotated: np.ndarray = (1.0 - weight) * curve_utc[lower] + weight * curve_utc[upper]
    return rotated


def load_profiles(utc_offset_h: float = 0.0, path: Path | None = None) -> LoadProfiles:
    """Read the profile file (default: the bundled one) and express every curve in local time."""
    if not math.isfinite(utc_offset_h) or abs(utc_offset_h) > 14.0:
        raise ValueError(f"utc_offset_h must be within -14..+14 h, got {utc_offset_h}")
    file = path if path is not None else bundled_resources_dir() / "profiles" / "profiles.json"
    document = read_json_document(file, PROFILES_FORMAT, PROFILES_SCHEMA_VERSION)
    profiles = document.get("profiles")
    if not isinstance(profiles, dict):
        raise ProfileDataError("expected an object of profiles by workload class", "$.profiles", file)
    by_class: dict[WorkloadClass, np.ndarray] = {}
    sources: dict[WorkloadClass, str] = {}
    for cls in PROFILED_CLASSES:
        where = f"$.profiles.{cls.value}"
        entry = profiles.get(cls.value)
        if not isinstance(entry, dict):
            raise ProfileDataError("missing profile", where, file)
        values = number_array(entry.get("values"), HOURS_PER_DAY, f"{where}.values", file)
        if np.any(values < 0.0) or np.any(values > _MAX_FRACTION):
            raise ProfileDataError(f"fractions must lie in 0..{_MAX_FRACTION}", f"{where}.values", file)
        time_base = entry.get("time_base")
        if time_base not in _TIME_BASES:
            raise ProfileDataError(f"time_base must be one of {_TIME_BASES}", f"{where}.time_base", file)
        source = entry.get("source")
        if not isinstance(source, str) or not source:
            raise ProfileDataError("every profile needs a source", f"{where}.source", file)
        local = rotate_utc_to_local(values, utc_offset_h) if time_base == "utc" else values
        local.setflags(write=False)
        by_class[cls] = local
        sources[cls] = source
    weekend = document.get("weekend")
    note = weekend.get("note", "") if isinstance(weekend, dict) else ""
    return LoadProfiles(
        by_class=MappingProxyType(by_class),
        sources=MappingProxyType(sources),
        weekend_note=note if isinstance(note, str) else "",
    )


def ai_utilisation(profiles: LoadProfiles, inference_shares: np.ndarray | float) -> np.ndarray:
    """Utilisation of ``AI`` racks: ``(1 - s) * training + s * inference`` per hour.

    A scalar share gives shape (24,); an array of shares of shape (S,) gives (S, 24) (any leading
    shape works). Shares must lie in 0..1.
    """
    shares = np.asarray(inference_shares, dtype=float)
    if np.any(~np.isfinite(shares)) or np.any(shares < 0.0) or np.any(shares > 1.0):
        raise ValueError("inference shares must lie in 0..1")
    training = profiles.by_class[WorkloadClass.TRAINING]
    inference = profiles.by_class[WorkloadClass.INFERENCE]
    share = shares[..., np.newaxis]
    blended: np.ndarray = (1.0 - share) * training + share * inference
    return blended


def utilisation_table(profiles: LoadProfiles, inference_share: float) -> np.ndarray:
    """Shape (len(WorkloadClass), 24), row ``list(WorkloadClass).index(cls)``; the AI row follows the share."""
    classes = list(WorkloadClass)
    table = np.empty((len(classes), HOURS_PER_DAY), dtype=float)
    for row, cls in enumerate(classes):
        if cls is WorkloadClass.AI:
            table[row] = ai_utilisation(profiles, inference_share)
        else:
            table[row] = profiles.by_class[cls]
    return table
