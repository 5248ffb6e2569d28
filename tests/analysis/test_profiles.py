"""Load profiles: the bundled curves, UTC->local rotation and the training/inference blend."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from designer.analysis.profiles import (
    LoadProfiles,
    ProfileDataError,
    ai_utilisation,
    load_profiles,
    rotate_utc_to_local,
    utilisation_table,
)
from designer.model.types import WorkloadClass

# domain_figures.md s9.1 / s9.3 (inference in UTC)
TRAINING = [0.80, 0.72, 0.80] * 8
INFERENCE_UTC = [0.50, 0.51, 0.50, 0.46, 0.45, 0.45, 0.47, 0.48, 0.49, 0.48, 0.46, 0.49,
                 0.55, 0.62, 0.69, 0.69, 0.66, 0.68, 0.70, 0.69, 0.66, 0.57, 0.50, 0.48]  # fmt: skip


def test_bundled_curves_match_the_reference() -> None:
    profiles = load_profiles()
    assert np.allclose(profiles.by_class[WorkloadClass.TRAINING], TRAINING)
    assert np.allclose(profiles.by_class[WorkloadClass.INFERENCE], INFERENCE_UTC)  # offset 0: local = UTC
    assert WorkloadClass.AI not in profiles.by_class
    for cls, curve in profiles.by_class.items():
        assert curve.shape == (24,)
        assert "[S" in profiles.sources[cls] or "(E)" in profiles.sources[cls]
    # means quoted in s9: training 0.772 (16 x 0.80 + 8 x 0.72 = 18.56; /24 = 0.7733), inference 0.551
    assert profiles.by_class[WorkloadClass.TRAINING].mean() == pytest.approx(18.56 / 24)
    assert profiles.by_class[WorkloadClass.INFERENCE].mean() == pytest.approx(0.551, abs=0.001)
    # estimated classes stay inside their stated bands
    bands = {
        WorkloadClass.GENERAL: (0.55, 0.65),
        WorkloadClass.STORAGE: (0.60, 0.65),
        WorkloadClass.NETWORK: (0.50, 0.55),
    }
    for cls, (low, high) in bands.items():
        assert low <= profiles.by_class[cls].min() and profiles.by_class[cls].max() <= high
    assert "0.57" in profiles.weekend_note


def test_inference_is_rotated_to_local_time_and_local_classes_are_not() -> None:
    profiles = load_profiles(utc_offset_h=-5.0)
    # local 13:00 at UTC-5 is 18:00 UTC -> 0.70 (the peak)
    assert profiles.by_class[WorkloadClass.INFERENCE][13] == pytest.approx(0.70)
    # local 00:00 at UTC-5 is 05:00 UTC -> 0.45
    assert profiles.by_class[WorkloadClass.INFERENCE][0] == pytest.approx(0.45)
    assert np.allclose(profiles.by_class[WorkloadClass.TRAINING], TRAINING)
    assert np.allclose(profiles.by_class[WorkloadClass.GENERAL], load_profiles().by_class[WorkloadClass.GENERAL])


def test_fractional_offset_interpolates_between_utc_hours() -> None:
    profiles = load_profiles(utc_offset_h=5.5)
    # local 00:00 at UTC+5:30 is 18:30 UTC -> halfway between 0.70 (18) and 0.69 (19) = 0.695
    assert profiles.by_class[WorkloadClass.INFERENCE][0] == pytest.approx(0.695)
    # local 06:00 -> 00:30 UTC -> (0.50 + 0.51) / 2 = 0.505
    assert profiles.by_class[WorkloadClass.INFERENCE][6] == pytest.approx(0.505)


def test_rotation_wraps_and_keeps_the_daily_mean() -> None:
    curve = np.arange(24, dtype=float)
    # local h reads UTC (h - 3) mod 24: local 0 -> UTC 21, local 3 -> UTC 0
    rotated = rotate_utc_to_local(curve, 3.0)
    assert rotated[0] == 21.0 and rotated[3] == 0.0
    # each hour mixes two neighbours 50/50 and every UTC hour is used twice at weight 0.5: same mean
    assert rotate_utc_to_local(np.array(INFERENCE_UTC), -3.5).mean() == pytest.approx(np.mean(INFERENCE_UTC))


def test_ai_blend_scalar_and_array() -> None:
    profiles = load_profiles()
    # share 0.2 at hour 0: 0.8 x 0.80 + 0.2 x 0.50 = 0.64 + 0.10 = 0.74
    assert ai_utilisation(profiles, 0.2)[0] == pytest.approx(0.74)
    # hour 18: 0.5 x 0.80 + 0.5 x 0.70 = 0.75
    blended = ai_utilisation(profiles, np.array([0.0, 0.5, 1.0]))
    assert blended.shape == (3, 24)
    assert blended[1, 18] == pytest.approx(0.75)
    assert np.allclose(blended[0], TRAINING)
    assert np.allclose(blended[2], INFERENCE_UTC)
    with pytest.raises(ValueError):
        ai_utilisation(profiles, 1.2)


def test_utilisation_table_rows_follow_the_enum_order() -> None:
    profiles = load_profiles()
    table = utilisation_table(profiles, 0.5)
    classes = list(WorkloadClass)
    assert table.shape == (len(classes), 24)
    ai_row = table[classes.index(WorkloadClass.AI)]
    # hour 1: 0.5 x 0.72 + 0.5 x 0.51 = 0.615
    assert ai_row[1] == pytest.approx(0.615)
    assert np.allclose(table[classes.index(WorkloadClass.STORAGE)], profiles.by_class[WorkloadClass.STORAGE])


def _write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "profiles.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _valid_document() -> dict[str, object]:
    bundled = Path(__file__).resolve().parents[2] / "resources" / "profiles" / "profiles.json"
    document: dict[str, object] = json.loads(bundled.read_text(encoding="utf-8"))
    return document


def test_a_short_curve_names_its_json_path(tmp_path: Path) -> None:
    document = _valid_document()
    document["profiles"]["storage"]["values"] = [0.6] * 23  # type: ignore[index]
    with pytest.raises(ProfileDataError) as caught:
        load_profiles(path=_write(tmp_path, document))
    assert caught.value.json_path == "$.profiles.storage.values"


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    document = _valid_document()
    document["schema_version"] = 2
    with pytest.raises(ProfileDataError, match="newer"):
        load_profiles(path=_write(tmp_path, document))


def test_missing_file_is_a_profile_error(tmp_path: Path) -> None:
    with pytest.raises(ProfileDataError):
        load_profiles(path=tmp_path / "nope.json")


def test_profiles_are_read_only() -> None:
    profiles: LoadProfiles = load_profiles()
    with pytest.raises(ValueError):
        profiles.by_class[WorkloadClass.TRAINING][0] = 1.0
