"""Cable sizes and lengths, and busway run lengths, in the bill of materials."""

from __future__ import annotations

import csv
from pathlib import Path

from designer.analysis.electrical import BuswayRun, ElectricalResults, FeedFigures
from designer.io.export_bom import CABLE_HEADER, cable_rows, write_bom_csv


def _feed(cid: str, cable: str, parallel: int, area: float, length_m: float, breaker: float) -> FeedFigures:
    return FeedFigures(cid, "src", f"t-{cid}", "A", 415.0, 3, 1.0, 10.0, 100.0, breaker, length_m - 3.0, length_m,
                       True, cable, parallel, area, 0.0, 0.01)


ELECTRICAL = ElectricalResults(
    "iec", "copper", "IEC 60364-5-52", 0.8, (),
    (_feed("a", "95 mm²", 1, 95.0, 10.0, 250.0), _feed("b", "95 mm²", 1, 95.0, 4.5, 250.0),
     _feed("c", "3 x 240 mm²", 3, 240.0, 20.0, 1600.0), _feed("d", "", 0, 0.0, 50.0, 0.0)),
    (BuswayRun("bus-1", 8.4),), (), (), (), (), ())


def test_cables_by_size_with_their_lengths() -> None:
    rows = cable_rows(ELECTRICAL)
    # 95 mm²: two runs, 10 + 4.5 = 14.5 m; 240 mm²: one run of three sets, 3 x 20 = 60 m; the unsized run is left out
    assert [(r.cable, r.runs, r.conductor_sets, r.total_length_m, r.largest_breaker_a) for r in rows] == [
        ("95 mm²", 2, 2, 14.5, 250.0), ("240 mm²", 1, 3, 60.0, 1600.0)]
    assert cable_rows(ELECTRICAL, item_ids={"src", "t-a"})[0].runs == 1


def test_the_csv_carries_the_cable_and_busway_tables(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    write_bom_csv([], path, cables=cable_rows(ELECTRICAL), busways=[("bus-1", 8.4)])
    records = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    start = records.index(list(CABLE_HEADER))
    assert records[start + 1][:6] == ["95 mm²", "copper", "IEC 60364-5-52", "2", "2", "14.5"]
    assert ["bus-1", "8.4"] in records
