"""Every finding code the analysis emits has advice; shortfalls are the missing rating of overloaded parts."""

import re
from pathlib import Path

import numpy as np

import designer.analysis as analysis_package
from designer.analysis.findings import Finding
from designer.analysis.remedies import GENERIC_REMEDY, REMEDIES, Shortfall, remedy


def test_every_finding_code_has_a_remedy() -> None:
    folder = Path(analysis_package.__file__).parent
    codes = set()
    for source in folder.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        codes |= set(re.findall(r'Finding\(\s*"(?:error|warning|info)",\s*"([a-z_]+)"', text))
        codes |= set(re.findall(r'Finding\(\s*severity,\s*"([a-z_]+)"', text))
    assert codes, "the scan found the analysis' finding codes"
    missing = codes - set(REMEDIES)
    assert not missing, f"finding codes without advice in REMEDIES: {sorted(missing)}"


def test_remedy_falls_back_for_an_unknown_code() -> None:
    assert remedy(Finding("error", "over_capacity", "x")) == REMEDIES["over_capacity"]
    assert remedy(Finding("info", "something_new", "x")) == GENERIC_REMEDY


def test_the_extra_rating_carries_the_worst_case_at_100_percent() -> None:
    # a 500 kW UPS at 124 % after its partner fails needs (1.24 - 1) x 500 = 120 kW more rating
    assert np.isclose(Shortfall("ups-a", "ups", 500.0, 1.24).extra_kw, 120.0)
