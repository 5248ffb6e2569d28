"""The synthetic campus on the bundled catalog (the ids it uses must exist there)."""

from __future__ import annotations

import pytest

from designer.analysis import Analyzer, results_to_json
from designer.analysis.synthetic import FALLBACK_ENTRIES, build_campus
from designer.io.catalog_io import load_catalog


def test_campus_on_the_bundled_catalog_is_correct() -> None:
    catalog = load_catalog(include_user=False)
    missing = [e.id for e in FALLBACK_ENTRIES if e.id not in catalog]
    assert missing == []
    project = build_campus(200, catalog)
    assert dict(project.custom_catalog) == {}  # everything came from the bundled catalog
    results = Analyzer().analyze(project, catalog)
    assert [f for f in results.findings if f.severity == "error"] == []
    assert results.survives_all_single_failures
    assert float(results.component_utilization.max()) <= 0.8
    assert results.climate_id == "dublin"
    assert 1.0 < results.annual_pue < 1.5
    liquid = results.loop_hours("liquid")
    assert liquid is not None and liquid.full_free_h > 0 and liquid.loaded_h == pytest.approx(8760.0)
    doc = results_to_json(results)
    assert len(doc["racks"]) == 200  # type: ignore[arg-type]
