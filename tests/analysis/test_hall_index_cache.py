"""The engine keeps its hall index across rack edits; moving equipment into another hall must still
move that equipment's losses onto the new hall's air units, exactly as a fresh analysis does."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from designer.analysis import Analyzer
from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.io.resources import examples_dir
from designer.model.catalog import merged_catalog


def test_ups_moved_to_the_data_hall_loads_its_air_units_as_a_fresh_analysis_does() -> None:
    catalog = load_catalog(include_user=False)
    project = load_project(examples_dir() / "retrofit.dcplan", catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    warm = Analyzer()
    try:
        before = warm.analyze(project, merged, failures=False)
        ups = project.items["ups-1"]
        # the plant hall has no air unit, so its UPS losses rode on no unit; in the data hall they must
        project.update_items([replace(ups, hall_id="hall-legacy")])
        after = warm.analyze(project, merged, failures=False)
    finally:
        warm.close()
    fresh = Analyzer()
    try:
        reference = fresh.analyze(project, merged, failures=False)
    finally:
        fresh.close()
    cooling = reference.component_kinds == "cooling"
    np.testing.assert_allclose(after.component_load_kw, reference.component_load_kw, rtol=1e-12, atol=1e-9)
    # and the move changed something: the CRAHs now carry ups-1's losses
    assert after.component_load_kw[cooling].sum() > before.component_load_kw[cooling].sum() + 1.0
