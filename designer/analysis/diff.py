"""What a layout change did: the headline figures of design A and B side by side, and the findings B
adds or resolves. Both are analysed at the same point (A's active scenario, its first year, the peak
hour, single failures included); the layout itself is compared in ``designer.model.diff``."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from designer.analysis.compare import hall_stranded_mw, shared_scenario, under_scenario
from designer.analysis.engine import Analyzer
from designer.analysis.findings import Finding
from designer.analysis.results import Results
from designer.model.catalog import CatalogEntry
from designer.model.diff import RATING_FIELDS, ItemChange, LayoutDiff, diff_projects
from designer.model.project import Project
from designer.model.records import Connection

HEADLINE: tuple[tuple[str, str, Callable[[Results], float | int | None]], ...] = (
    ("annual_pue", "Annual PUE", lambda r: r.annual_pue),
    ("peak_it_kw", "IT peak (kW)", lambda r: r.peak_it_kw),
    ("peak_facility_kw", "Facility peak (kW)", lambda r: r.peak_facility_kw),
    ("racks", "Racks", lambda r: len(r.rack_ids)),
    ("racks_unserved", "Racks unserved", lambda r: r.racks_unserved),
    ("racks_at_risk", "Racks at risk", lambda r: r.racks_at_risk),
    ("stranded_kw", "Stranded power (kW)", lambda r: hall_stranded_mw(r) * 1000.0),
)
"""(key, title, value of one analysis) of the figures the diff reports before and after."""

FindingKey = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class FigureChange:
    key: str
    title: str
    before: float | int | None
    after: float | int | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        value = float(self.after) - float(self.before)
        return value if math.isfinite(value) else None


@dataclass(frozen=True, slots=True)
class DesignDiff:
    """The layout diff, the figures before and after, and the findings new in B or resolved by it."""

    layout: LayoutDiff
    year: int | None
    figures: tuple[FigureChange, ...]
    new_findings: tuple[Finding, ...]
    resolved_findings: tuple[Finding, ...]


def finding_key(finding: Finding) -> FindingKey:
    """A finding is the same across designs when its code, severity and first item are (the culprit:
    the shared board, the failed part; without items, its message up to the first colon): its
    message and its list of victims change with any edit."""
    first = finding.item_ids[0] if finding.item_ids else finding.message.split(":")[0]
    return (finding.code, finding.severity, first)


def diff_designs(a: Project, b: Project, catalog_a: Mapping[str, CatalogEntry],
                 catalog_b: Mapping[str, CatalogEntry],
                 analyzer_factory: Callable[[], Analyzer] = Analyzer) -> DesignDiff:
    """Compare the layouts and analyse both designs under A's scenario, at its first year."""
    scenario = shared_scenario(a)
    year = scenario.years[0].year if scenario.years else None
    analyses = []
    for project, catalog in ((a, catalog_a), (b, catalog_b)):
        analyzer = analyzer_factory()
        try:
            analyses.append(analyzer.analyze(under_scenario(project, scenario), catalog, year=year))
        finally:
            analyzer.close()
    before, after = analyses
    figures = tuple(FigureChange(key, title, _known(value(before)), _known(value(after)))
                    for key, title, value in HEADLINE)
    return DesignDiff(
        layout=diff_projects(a, b),
        year=year,
        figures=figures,
        new_findings=_unmatched(after.findings, before.findings),
        resolved_findings=_unmatched(before.findings, after.findings),
    )


def _unmatched(findings: tuple[Finding, ...], others: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """The findings with no match among ``others`` (each match used once)."""
    left = Counter(finding_key(f) for f in others)
    result = []
    for finding in findings:
        key = finding_key(finding)
        if left[key]:
            left[key] -= 1
        else:
            result.append(finding)
    return tuple(result)


def _known(value: float | int | None) -> float | int | None:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _change_json(change: ItemChange) -> dict[str, object]:
    return {
        "id": change.item_id,
        "fields": list(change.fields),
        "before": {name: _plain(getattr(change.before, name)) for name in change.fields},
        "after": {name: _plain(getattr(change.after, name)) for name in change.fields},
    }


def _plain(value: object) -> object:
    enum_value = getattr(value, "value", None)
    return enum_value if enum_value is not None and not isinstance(value, int | float | str) else value


def _finding_json(finding: Finding) -> dict[str, object]:
    return {"severity": finding.severity, "code": finding.code, "message": finding.message,
            "items": list(finding.item_ids)}


def diff_to_json(diff: DesignDiff) -> dict[str, object]:
    """Plain data for ``dc-designer diff --json``."""
    layout = diff.layout

    def link(connection: Connection) -> dict[str, object]:
        return {"id": connection.id, "kind": connection.kind.value, "source": connection.source_id,
                "target": connection.target_id, "feed": connection.feed.value, "medium": connection.medium.value}

    return {
        "format": "dc-designer-diff",
        "schema_version": 1,
        "year": diff.year,
        "items": {
            "added": [{"id": i.id, "catalog_id": i.catalog_id, "hall": i.hall_id} for i in layout.added],
            "removed": [{"id": i.id, "catalog_id": i.catalog_id, "hall": i.hall_id} for i in layout.removed],
            "moved": [_change_json(c) for c in layout.moved],
            "rerated": [_change_json(c) for c in layout.rerated],
            "changed": [_change_json(c) for c in layout.changed if not (c.moved or c.rerated)],
            "reconnected": list(layout.reconnected),
        },
        "connections": {
            "added": [link(c) for c in layout.connections_added],
            "removed": [link(c) for c in layout.connections_removed],
            "changed": [{"before": link(c.before), "after": link(c.after)} for c in layout.connections_changed],
        },
        "figures": [{"key": f.key, "title": f.title, "before": f.before, "after": f.after, "delta": f.delta}
                    for f in diff.figures],
        "findings": {
            "new": [_finding_json(f) for f in diff.new_findings],
            "resolved": [_finding_json(f) for f in diff.resolved_findings],
        },
    }


def _number(value: float | int | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,d}"
    return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"


def format_diff(diff: DesignDiff, printable: Callable[[str], str] = str, limit: int = 20) -> str:
    """The diff as plain text: counts, then up to ``limit`` ids per list, figures and findings."""
    layout = diff.layout
    lines: list[str] = []

    def listing(title: str, ids: list[str]) -> None:
        lines.append(f"{title}: {len(ids)}")
        for item_id in ids[:limit]:
            lines.append(f"  {printable(item_id)}")
        if len(ids) > limit:
            lines.append(f"  ... and {len(ids) - limit} more")

    listing("items added", [f"{i.id} ({i.catalog_id})" for i in layout.added])
    listing("items removed", [f"{i.id} ({i.catalog_id})" for i in layout.removed])
    listing("items moved", [c.item_id for c in layout.moved])
    listing("items re-rated", [f"{c.item_id} ({', '.join(n for n in c.fields if n in RATING_FIELDS)})"
                               for c in layout.rerated])
    listing("items re-connected", list(layout.reconnected))
    lines.append(f"connections: {len(layout.connections_added)} added, {len(layout.connections_removed)} removed, "
                 f"{len(layout.connections_changed)} changed")
    lines.append(f"figures (year {diff.year}): before -> after")
    for figure in diff.figures:
        delta = figure.delta
        whole = isinstance(figure.before, int) and isinstance(figure.after, int)
        sign = ("" if delta is None else f"  ({delta:+,.0f})" if whole
                else f"  ({delta:+,.3f})" if abs(delta) < 10 else f"  ({delta:+,.1f})")
        lines.append(f"  {figure.title:<22} {_number(figure.before):>12} -> {_number(figure.after):>12}{sign}")
    for title, findings in (("new findings", diff.new_findings), ("resolved findings", diff.resolved_findings)):
        lines.append(f"{title}: {len(findings)}")
        for finding in findings[:limit]:
            lines.append(f"  {finding.severity}: {finding.code}: {printable(finding.message)}")
        if len(findings) > limit:
            lines.append(f"  ... and {len(findings) - limit} more")
    return "\n".join(lines)

