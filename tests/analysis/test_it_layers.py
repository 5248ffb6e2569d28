"""The day profile's IT layers the engine puts in Results (the dashboard draws them as they are)."""

from __future__ import annotations

import numpy as np
import pytest

from designer.analysis import analyze
from designer.analysis.loads import CLASS_INDEX, IT_LAYERS, RackTable, it_layers_kw
from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.io.resources import examples_dir
from designer.model.types import WorkloadClass


def _table(classes: list[WorkloadClass], design_kw: list[float]) -> RackTable:
    n = len(classes)
    return RackTable(
        ids=tuple(f"r{i}" for i in range(n)),
        design_kw=np.array(design_kw),
        workload=np.array([CLASS_INDEX[c] for c in classes], dtype=np.int64),
        liquid_fraction=np.zeros(n),
        weight_kg=np.zeros(n),
        footprint_m2=np.zeros(n),
        floor_rating_kg_m2=np.full(n, np.inf),
        hall_ids=("h",) * n,
        pod_ids=(None,) * n,
    )


def test_an_ai_rack_splits_into_training_and_inference_by_the_share() -> None:
    profiles = {w: np.full(24, 0.5) for w in WorkloadClass if w is not WorkloadClass.AI}
    profiles[WorkloadClass.TRAINING] = np.full(24, 0.8)
    table = _table([WorkloadClass.AI, WorkloadClass.STORAGE], [100.0, 10.0])
    layers, ai_kw = it_layers_kw(table, profiles, share=0.25, ai_density_factor=2.0)
    # the ai rack: 100 kW x 2.0 density = 200 kW; training 200 x 0.75 x 0.8 = 120, inference 200 x 0.25 x 0.5 = 25
    # the storage rack: 10 kW x 0.5 = 5
    row = {w: layers[IT_LAYERS.index(w)][0] for w in IT_LAYERS}
    assert ai_kw == pytest.approx(200.0)
    assert row[WorkloadClass.TRAINING] == pytest.approx(120.0)
    assert row[WorkloadClass.INFERENCE] == pytest.approx(25.0)
    assert row[WorkloadClass.STORAGE] == pytest.approx(5.0)
    assert row[WorkloadClass.GENERAL] == row[WorkloadClass.NETWORK] == 0.0


@pytest.mark.parametrize("name", ["ai_hall", "modular_campus"])
def test_results_layers_sum_to_the_it_load(name: str) -> None:
    catalog = load_catalog(include_user=False)
    project = load_project(examples_dir() / f"{name}.dcplan", catalog)
    results = analyze(project, catalog, inference_share=0.3)
    assert results.it_layers_kw.shape == (len(IT_LAYERS), 24)
    np.testing.assert_allclose(results.it_layers_kw.sum(axis=0), results.it_kw, rtol=1e-9)
    assert np.all(results.liquid_heat_kw <= results.it_kw + 1e-9)
    assert not results.it_layers_kw.flags.writeable
