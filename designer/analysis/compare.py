"""Options side by side: two or more designs over the same transition, as a registry of metric columns.

Each metric is one ``Metric`` entry in ``METRICS``: a key, a title, a unit, which way is better, and a
function of one design (``of_case``) or of one design in one scenario year (``of_year``). A new figure
(capex, NPV, WUE, runway, ...) is one ``register(Metric(...))`` call; the CLI table, ``--json`` and
the app's dialog read the registry and need no change.

A metric that needs more than the analysis reads ``CaseContext.inputs`` (what the caller passes to
``compare``, e.g. sourced defaults loaded by ``designer.io``), and shares a costly computation between
its columns with ``CaseContext.memo`` (one cost model for capex, NPV and WUE, one runway)::

    def _costs(c: CaseContext) -> EconomicsSummary:
        return c.memo("economics", lambda: economics_summary(c.project, c.results[0], c.catalog,
                                                              c.inputs["economics_defaults"]))
    register(Metric("npv", "NPV of cost", "EUR", better="lower", decimals=0, of_case=lambda c: _costs(c).npv))

"The same transition": every design is analysed under the first design's active scenario (its years,
inference shares and AI density factors), so the columns differ by design only. A design's own
scenario is set aside for the comparison, and the result says which scenario was used.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, TypeVar

import numpy as np

from designer.analysis.engine import Analyzer
from designer.analysis.latency import latencies, site_located
from designer.analysis.results import Results
from designer.model.catalog import CatalogEntry
from designer.model.project import Project
from designer.model.records import Scenario, default_timeline

T = TypeVar("T")
Value = float | int | str | None
"""A metric's value for one design (or one year of it); None means not known (shown as a dash)."""
Better = Literal["lower", "higher", ""]


@dataclass(frozen=True, slots=True)
class CaseInput:
    """One design to compare: a display name (usually its file name), the project and its catalog."""

    name: str
    project: Project
    catalog: Mapping[str, CatalogEntry]


@dataclass(frozen=True, slots=True)
class CaseContext:
    """What a metric may read of one design: the project as compared (the shared scenario active), its
    catalog, the analysis of each scenario year (single failures included), and the analyzer, for a
    metric that needs more (a sweep, a cost model)."""

    name: str
    project: Project
    catalog: Mapping[str, CatalogEntry]
    years: tuple[int, ...]
    results: tuple[Results, ...]
    """One per year, in the order of ``years``."""
    analyzer: Analyzer
    inputs: Mapping[str, object] = field(default_factory=dict)
    """What the caller gave ``compare`` for metrics that need more than the analysis."""
    _memo: dict[str, object] = field(default_factory=dict)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per design, shared by every metric asking under ``key``."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Metric:
    """One column of the comparison. Exactly one of ``of_case`` and ``of_year`` is given."""

    key: str
    title: str
    unit: str = ""
    better: Better = ""
    """Which way is better, for highlighting the best design; "" when neither is."""
    decimals: int = 2
    of_case: Callable[[CaseContext], Value] | None = None
    of_year: Callable[[CaseContext, Results], Value] | None = None
    note: str = ""
    """Where the figure comes from, or what it assumes (shown in the dialog's tooltip and the JSON)."""

    def __post_init__(self) -> None:
        if (self.of_case is None) == (self.of_year is None):
            raise ValueError(f"metric {self.key!r}: give exactly one of of_case and of_year")

    @property
    def per_year(self) -> bool:
        return self.of_year is not None

    def format(self, value: Value) -> str:
        """The value as the table shows it (a dash when unknown)."""
        if value is None:
            return "—"
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,d}"
        if not math.isfinite(value):
            return "—"
        return f"{value:,.{self.decimals}f}"


METRICS: list[Metric] = []
"""The registry, in column order."""


def register(metric: Metric, *, before: str | None = None) -> Metric:
    """Add ``metric`` to the registry (before the metric keyed ``before``, else at the end)."""
    if any(existing.key == metric.key for existing in METRICS):
        raise ValueError(f"metric {metric.key!r} is already registered")
    keys = [existing.key for existing in METRICS]
    METRICS.insert(keys.index(before) if before in keys else len(METRICS), metric)
    return metric


def metric(key: str) -> Metric:
    for entry in METRICS:
        if entry.key == key:
            return entry
    raise KeyError(key)


# ---------------------------------------------------------------------------- today's metrics
def hall_stranded_mw(results: Results) -> float:
    """Stranded power over the halls (not pods: a pod's is inside its hall's), MW, as the headline says it."""
    stranded = results.stranded
    halls = np.array([kind == "hall" for kind in stranded.scope_kinds], dtype=bool)
    if not halls.size:
        return 0.0
    return float(np.nansum(np.asarray(stranded.stranded_power_kw)[halls])) / 1000.0


def _rtt_ms(context: CaseContext, pick: Callable[[Sequence[float]], float]) -> float | None:
    site = context.project.site
    if not site_located(site):
        return None  # a site at 0°, 0° is not located: its latency would be made up
    regions = latencies(site)
    return pick([region.rtt_ms for region in regions]) if regions else None


def _count(severity: str) -> Callable[[CaseContext, Results], Value]:
    def count(_context: CaseContext, results: Results) -> Value:
        return sum(1 for finding in results.findings if finding.severity == severity)
    return count


def _nan_to_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


for _metric in (
    Metric("annual_pue", "Annual PUE", better="lower", decimals=3,
           of_year=lambda _c, r: _nan_to_none(r.annual_pue),
           note="facility energy over IT energy over the site's climate year, at each year's share"),
    Metric("peak_it_mw", "IT peak", "MW", decimals=2, of_year=lambda _c, r: r.peak_it_kw / 1000.0),
    Metric("peak_facility_mw", "Facility peak", "MW", better="lower", decimals=2,
           of_year=lambda _c, r: r.peak_facility_kw / 1000.0),
    Metric("racks_unserved", "Racks unserved", better="lower", of_year=lambda _c, r: r.racks_unserved,
           note="racks without live power or cooling now"),
    Metric("racks_at_risk", "Racks at risk", better="lower", of_year=lambda _c, r: r.racks_at_risk,
           note="served racks that some single failure drops"),
    Metric("stranded_mw", "Stranded power", "MW", better="lower", decimals=2,
           of_year=lambda _c, r: hall_stranded_mw(r),
           note="firm power the halls cannot use because another resource binds first"),
    Metric("errors", "Error findings", better="lower", of_year=_count("error")),
    Metric("warnings", "Warning findings", better="lower", of_year=_count("warning")),
    Metric("nearest_rtt_ms", "Nearest users (RTT)", "ms", better="lower", decimals=1,
           of_case=lambda c: _rtt_ms(c, min),
           note="fibre round trip to the nearest user region (great circle x 1.5, 0.01 ms/km)"),
    Metric("farthest_rtt_ms", "Farthest users (RTT)", "ms", better="lower", decimals=1,
           of_case=lambda c: _rtt_ms(c, max)),
):
    register(_metric)


# ---------------------------------------------------------------------------- evaluation
@dataclass(frozen=True, slots=True)
class CaseRow:
    """One design's values: per-case metrics by key, per-year metrics by key (one value a year)."""

    name: str
    title: str
    values: dict[str, Value] = field(default_factory=dict)
    yearly: dict[str, tuple[Value, ...]] = field(default_factory=dict)

    def value(self, key: str, year_index: int = -1) -> Value:
        """A per-case value, or a per-year value at ``year_index`` (default the last year)."""
        if key in self.values:
            return self.values[key]
        return self.yearly[key][year_index]


@dataclass(frozen=True, slots=True)
class Comparison:
    """The designs' rows over the shared scenario's years, and the metrics that made them."""

    scenario: str
    years: tuple[int, ...]
    metrics: tuple[Metric, ...]
    rows: tuple[CaseRow, ...]

    def best(self, key: str, year_index: int = -1) -> set[str]:
        """Names of the designs with the best value of a metric with a direction (empty when none is known)."""
        entry = next(m for m in self.metrics if m.key == key)
        numbers = {row.name: row.value(key, year_index) for row in self.rows}
        known = {name: float(v) for name, v in numbers.items()
                 if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)}
        if not entry.better or len(known) < 2 or len(set(known.values())) == 1:
            return set()
        target = min(known.values()) if entry.better == "lower" else max(known.values())
        return {name for name, v in known.items() if v == target}


def shared_scenario(first: Project) -> Scenario:
    """The first design's active scenario, or the default transition when it has none."""
    return first.active_scenario or Scenario("sc-compare", "Default transition", default_timeline())


def under_scenario(project: Project, scenario: Scenario) -> Project:
    """A copy of ``project`` whose only (and active) scenario is ``scenario``; the project is untouched."""
    copy = project.snapshot()
    for scenario_id in list(copy.scenarios):
        copy.remove_scenario(scenario_id)
    copy.add_scenario(scenario)
    copy.set_settings(replace(copy.settings, active_scenario_id=scenario.id))
    return copy


def compare(cases: Sequence[CaseInput], metrics: Sequence[Metric] | None = None,
            analyzer_factory: Callable[[], Analyzer] = Analyzer,
            inputs: Mapping[str, object] | None = None) -> Comparison:
    """Analyse every design in every year of the first design's scenario and evaluate the metrics.

    Each year is a full analysis with single failures (racks at risk need them): about a second per
    year for a 10,000-rack design on this project's machines. ``analyzer_factory`` makes each design's
    analyzer (tests pass one with fixed profiles and no climate); ``inputs`` reach every metric as
    ``CaseContext.inputs``.
    """
    if len(cases) < 1:
        raise ValueError("nothing to compare")
    chosen = tuple(METRICS if metrics is None else metrics)
    scenario = shared_scenario(cases[0].project)
    years = tuple(entry.year for entry in scenario.years)
    rows = []
    for case in cases:
        project = under_scenario(case.project, scenario)
        analyzer = analyzer_factory()
        try:
            results = tuple(analyzer.analyze(project, case.catalog, year=year) for year in years)
            context = CaseContext(case.name, project, case.catalog, years, results, analyzer, dict(inputs or {}))
            row = CaseRow(case.name, project.metadata.title)
            for entry in chosen:
                if entry.of_case is not None:
                    row.values[entry.key] = entry.of_case(context)
                else:
                    assert entry.of_year is not None
                    row.yearly[entry.key] = tuple(entry.of_year(context, r) for r in results)
        finally:
            analyzer.close()
        rows.append(row)
    return Comparison(scenario.name, years, chosen, tuple(rows))


# ---------------------------------------------------------------------------- output
def _json_value(value: Value) -> Value:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def comparison_to_json(comparison: Comparison) -> dict[str, object]:
    """Plain data: the scenario and years, the metric columns, and one object per design."""
    return {
        "format": "dc-designer-compare",
        "schema_version": 1,
        "scenario": comparison.scenario,
        "years": list(comparison.years),
        "metrics": [
            {"key": m.key, "title": m.title, "unit": m.unit, "better": m.better or None,
             "per_year": m.per_year, "note": m.note}
            for m in comparison.metrics
        ],
        "designs": [
            {
                "name": row.name,
                "title": row.title,
                "values": {
                    m.key: ([_json_value(v) for v in row.yearly[m.key]] if m.per_year
                            else _json_value(row.values[m.key]))
                    for m in comparison.metrics
                },
            }
            for row in comparison.rows
        ],
    }


def cell_text(comparison: Comparison, entry: Metric, row: CaseRow) -> str:
    """A per-year metric as "first -> last" (one value when it does not change); a per-case one as is."""
    if not entry.per_year:
        return entry.format(row.values[entry.key])
    values = row.yearly[entry.key]
    first, last = entry.format(values[0]), entry.format(values[-1])
    return first if first == last or len(values) == 1 else f"{first} → {last}"


def table_rows(comparison: Comparison) -> list[tuple[str, list[str]]]:
    """(metric label, one text per design) in registry order, the label with its unit and years."""
    span = (f" {comparison.years[0]}→{comparison.years[-1]}" if len(comparison.years) > 1
            else f" {comparison.years[0]}" if comparison.years else "")
    rows = []
    for entry in comparison.metrics:
        label = entry.title + (f" ({entry.unit})" if entry.unit else "") + (span if entry.per_year else "")
        rows.append((label, [cell_text(comparison, entry, row) for row in comparison.rows]))
    return rows


def format_table(comparison: Comparison, printable: Callable[[str], str] = str) -> str:
    """The comparison as a plain-text table: one row per metric, one column per design."""
    names = [printable(row.name) for row in comparison.rows]
    body = table_rows(comparison)
    label_width = max([len("metric"), *(len(label) for label, _ in body)])
    widths = [max([len(name), *(len(texts[i]) for _, texts in body)]) for i, name in enumerate(names)]
    years = ", ".join(str(y) for y in comparison.years)
    lines = [f"scenario: {printable(comparison.scenario)} ({years}); every design analysed under it"]
    lines.append("  ".join(["metric".ljust(label_width), *(n.rjust(w) for n, w in zip(names, widths, strict=True))]))
    for label, texts in body:
        lines.append("  ".join([label.ljust(label_width), *(t.rjust(w) for t, w in zip(texts, widths, strict=True))]))
    return "\n".join(lines)
