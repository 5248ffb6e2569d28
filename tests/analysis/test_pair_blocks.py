"""The maintenance pairs worked out a block of pairs at a time (``maintenance.PAIR_BLOCK``) are the pairs
worked out all at once: the same pairs, racks and order."""

from __future__ import annotations

import pytest

from designer.analysis import Analyzer, maintenance
from designer.analysis.synthetic import build_campus
from designer.io.catalog_io import load_catalog
from designer.model.catalog import merged_catalog


def test_pairs_by_blocks_equal_pairs_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = load_catalog(include_user=False)
    project = build_campus(600, catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    analyzer = Analyzer()
    try:
        results = analyzer.analyze(project, merged, failures=True)
        compiled = analyzer.compile(project, merged)
        assert compiled.pair_structures is not None and compiled.rack_table is not None
        found = {}
        for block in (10**9, 3):  # all at once; then 3 pairs a block: many blocks, a short last one
            monkeypatch.setattr(maintenance, "PAIR_BLOCK", block)
            found[block] = [maintenance._maintenance_pairs(network, structure, compiled.rack_table.ids,
                                                           results.rack_served)
                            for network, structure in zip((compiled.power, compiled.cooling),
                                                          compiled.pair_structures[1:], strict=True)]
    finally:
        analyzer.close()
    assert sum(len(pairs) for pairs in found[3]) > 3  # more pairs than one block holds
    assert found[3] == found[10**9]
