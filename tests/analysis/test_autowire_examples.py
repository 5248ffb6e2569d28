"""Auto-connect end to end: the bundled examples stripped of every connection and wired again by
``plan_auto_connect`` stand up to the same analysis as the hand-wired originals."""

from __future__ import annotations

import pytest

from designer.analysis import Analyzer
from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.io.resources import examples_dir
from designer.model.autowire import plan_auto_connect
from designer.model.catalog import merged_catalog


@pytest.mark.parametrize("name", ["ai_hall.dcplan", "modular_campus.dcplan"])
def test_rewired_example_has_no_findings_like_the_original(name: str) -> None:
    catalog = load_catalog(include_user=False)
    project = load_project(examples_dir() / name, catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    analyzer = Analyzer()
    try:
        original = analyzer.analyze(project, merged, inference_share=0.5, failures=True)
        # the hand-wired design has no error or warning (information, e.g. the maintenance statements or
        # the plant rooms' losses with no air unit to ride on, is a remark, not a problem)
        assert not [f for f in original.findings if f.severity != "info"]
        project.remove_connections(list(project.connections))
        plan = plan_auto_connect(project, merged.__getitem__, project.new_id)
        assert not plan.unserved and not plan.unfed and not plan.shared
        project.add_connections(plan.connections)
        rewired = analyzer.analyze(project, merged, inference_share=0.5, failures=True)
    finally:
        analyzer.close()
    assert rewired.failures_analysed
    # every rack powered and cooled, A and B apart, and no single failure cuts or overloads anything
    assert [(f.severity, f.code, f.message) for f in rewired.findings if f.severity != "info"] == []
    assert {f.code for f in rewired.findings} == {f.code for f in original.findings}
    assert rewired.survives_all_single_failures
