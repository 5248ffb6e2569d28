"""Runway of a phased build-out: the year each hall (and the site) runs out of power, cooling, space and floor.

For every scenario year the design is analysed as built that year (``Analyzer.year_view``). In each
hall, each resource's room is counted in *racks*: what is left of it over what one more of the
hall's average racks of that year needs (the hall's firm capacity less its peak use, over the peak
use per rack, for power and each cooling medium; the free floor area over one rack's footprint
with its aisles; the floor's free load over one rack's weight: the same figures as the stranded
capacity of the analysis). A resource *runs out* in the first year with room for less than one
more rack; the resource that runs out first *binds* (ties: the one with less room that year). A
resource the hall's racks do not use (liquid cooling for air racks) never runs out. The site has
room for a rack while some hall has: its room is the sum over halls of the whole racks each still
takes. Upstream equipment (utility intakes, switchgear, plant) is checked by the analysis itself,
in its per-year findings, not here.

An optional growth rule adds ``growth_racks_per_year`` more average racks to each hall every year
after its first year with racks (e.g. one pod template's racks a year in the free space): each
resource's room then shrinks by that many racks a year, and past the last scenario year the last
year's design keeps growing at that rate, so a run-out year may lie beyond the timeline.

The other growth rule places copies of a pod template in the free space (``designer.analysis.growth``):
the grown design itself is analysed each year, and in the halls it grows into, space also runs out in
the first year no further copy fits on the floor (``space_out_years``); ``Runway.growth_template``
then says what was placed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from designer.analysis.capacity import AISLE_FACTOR, RESOURCES
from designer.analysis.engine import Analyzer
from designer.analysis.results import Results
from designer.model import effective
from designer.model.catalog import CatalogEntry
from designer.model.project import Project

RESOURCE_LABELS: Mapping[str, str] = {
    "power": "power", "liquid_cooling": "liquid cooling", "air_cooling": "air cooling", "space": "space",
    "floor": "floor load",
}
SITE_ID = "site"
HORIZON_YEARS = 50
"""How far past the timeline a growth rule is followed."""


@dataclass(frozen=True, slots=True)
class ResourceRunway:
    resource: str
    """One of ``capacity.RESOURCES``."""
    racks_left: tuple[float, ...]
    """Per year: more average racks the resource has room for (inf: not used; NaN: no racks that year),
    after the growth rule's racks."""
    runs_out: int | None
    """First year with room for less than one more rack (past the timeline only with a growth rule);
    None: not within the timeline."""


@dataclass(frozen=True, slots=True)
class ScopeRunway:
    scope_id: str
    """A hall id, or ``SITE_ID``."""
    name: str
    resources: tuple[ResourceRunway, ...]
    binding: str | None
    """The resource that runs out first (or, when none does, has the least room in the last year with
    racks); None when the scope never holds a rack."""
    runs_out: int | None
    """The year ``binding`` runs out; None: not within the timeline."""

    def resource(self, name: str) -> ResourceRunway:
        return next(r for r in self.resources if r.resource == name)


@dataclass(frozen=True, slots=True)
class GrowthTemplateRule:
    """What a pod-template growth rule placed (``designer.analysis.growth``)."""

    template_id: str
    template_name: str
    copies_per_year: int
    hall_id: str | None
    """The hall the copies go into; None: the halls in project order, each until it is full."""
    placed: tuple[tuple[int, str, int], ...]
    """(year, hall id, copies) for each year and hall a copy went into, in year order."""
    stopped_in: int | None
    """The first year not all of its copies fitted (space binds for the growth); None: all fitted."""
    unfed_halls: tuple[str, ...] = ()
    """Halls the copies went into with no fed rack to take their feeds from (their load is counted on nothing)."""


@dataclass(frozen=True, slots=True)
class Runway:
    years: tuple[int, ...]
    scopes: tuple[ScopeRunway, ...]
    """Halls in project order, then the site."""
    growth_racks_per_year: float = 0.0
    growth_template: GrowthTemplateRule | None = None

    def scope(self, scope_id: str) -> ScopeRunway:
        return next(s for s in self.scopes if s.scope_id == scope_id)


def runway(project: Project, catalog: Mapping[str, CatalogEntry], *, analyzer: Analyzer | None = None,
           results_by_year: Mapping[int, Results] | None = None, growth_racks_per_year: float = 0.0) -> Runway:
    """The runway over the active scenario's years; ``results_by_year`` saves analyses already run."""
    own = analyzer is None
    analyzer = analyzer or Analyzer()
    try:
        scenario = project.active_scenario
        years = [entry.year for entry in scenario.years] if scenario is not None else []
        done = dict(results_by_year or {})
        for year in years:
            if year not in done:
                done[year] = analyzer.analyze(project, catalog, year=year, failures=False)
        return runway_from_results(project, catalog, [(year, done[year]) for year in years],
                                   growth_racks_per_year=growth_racks_per_year)
    finally:
        if own:
            analyzer.close()


def runway_from_results(project: Project, catalog: Mapping[str, CatalogEntry],
                        per_year: Sequence[tuple[int, Results]], *, growth_racks_per_year: float = 0.0,
                        space_out_years: Mapping[str, int] | None = None,
                        growth_template: GrowthTemplateRule | None = None) -> Runway:
    """The runway from one analysis per year (in year order) of ``project``.

    ``space_out_years``: hall id -> the year from which the hall's floor has no room left (a template
    growth that no longer fits): its space room is 0 racks from then on, whatever the area says."""
    if not (math.isfinite(growth_racks_per_year) and growth_racks_per_year >= 0):
        raise ValueError(f"growth of {growth_racks_per_year} racks a year: expected 0 or more")
    years = tuple(year for year, _ in per_year)
    growth = growth_racks_per_year
    left = {hall_id: np.full((len(RESOURCES), len(years)), np.nan) for hall_id in project.halls}
    for column, (_year, results) in enumerate(per_year):
        for hall_id, racks_left in _hall_room(project, catalog, results).items():
            left[hall_id][:, column] = racks_left
    space_row = RESOURCES.index("space")
    for hall_id, out_year in (space_out_years or {}).items():
        if hall_id in left:
            row = left[hall_id][space_row]
            from_then = np.array([year >= out_year for year in years], dtype=bool) & ~np.isnan(row)
            row[from_then] = 0.0
    if growth > 0:
        for room in left.values():
            held = np.flatnonzero(~np.isnan(room[0]))
            if held.size:  # growth starts the year after the hall's first racks
                start = years[int(held[0])]
                room -= growth * np.maximum(np.array(years, dtype=np.float64) - start, 0.0)[None, :]
    scopes = [_scope(hall_id, hall.name, years, left[hall_id], growth) for hall_id, hall in project.halls.items()]
    site = np.full((len(RESOURCES), len(years)), np.nan)
    if left:
        stacked = np.stack(list(left.values()))  # (halls, resources, years)
        whole = np.where(np.isfinite(stacked), np.floor(np.maximum(stacked, 0.0)), stacked)
        with_racks = ~np.isnan(whole)
        site = np.where(with_racks.any(axis=0), np.nansum(whole, axis=0), np.nan)
        site = np.where(np.isinf(whole).any(axis=0), np.inf, site)
    beyond: list[int | None] = []
    for index in range(len(RESOURCES)):
        # past the timeline the site runs out when the last hall still with room does
        later: list[int | None] = []
        for scope in scopes:
            hall = scope.resources[index]
            if not years or math.isnan(hall.racks_left[-1]):
                continue  # no racks in the last year
            if hall.runs_out is not None and hall.runs_out <= years[-1]:
                continue  # ran out within the timeline
            later.append(hall.runs_out)
        beyond.append(None if not later or None in later else max(y for y in later if y is not None))
    scopes.append(_scope(SITE_ID, "Site", years, site, 0.0, beyond if growth > 0 else None))
    return Runway(years, tuple(scopes), growth, growth_template)


def _hall_room(project: Project, catalog: Mapping[str, CatalogEntry], results: Results) -> dict[str, np.ndarray]:
    """Hall id -> room per resource (in racks) for the halls with racks in ``results``."""
    stranded = results.stranded
    items = project.items
    count: dict[str, int] = {}
    area: dict[str, float] = {}
    weight: dict[str, float] = {}
    for rack_id in results.rack_ids.tolist():
        item = items.get(rack_id)
        entry = catalog.get(item.catalog_id) if item is not None else None
        if item is None or entry is None:
            continue
        count[item.hall_id] = count.get(item.hall_id, 0) + 1
        area[item.hall_id] = area.get(item.hall_id, 0.0) + entry.footprint_m2
        weight[item.hall_id] = weight.get(item.hall_id, 0.0) + effective.weight_kg(item, entry)
    room: dict[str, np.ndarray] = {}
    for row, (scope_id, kind) in enumerate(zip(stranded.scope_ids, stranded.scope_kinds, strict=True)):
        n = count.get(scope_id, 0)
        if kind != "hall" or n == 0:
            continue
        free = (stranded.power_firm_kw[row] - stranded.power_used_kw[row],
                stranded.liquid_firm_kw[row] - stranded.liquid_used_kw[row],
                stranded.air_firm_kw[row] - stranded.air_used_kw[row],
                stranded.space_free_m2[row], stranded.floor_free_kg[row])
        need = (stranded.power_used_kw[row] / n, stranded.liquid_used_kw[row] / n, stranded.air_used_kw[row] / n,
                area[scope_id] / n * AISLE_FACTOR, weight[scope_id] / n)
        room[scope_id] = np.array([max(float(f), 0.0) / float(d) if d > 1e-12 else math.inf
                                   for f, d in zip(free, need, strict=True)])
    return room


def _scope(scope_id: str, name: str, years: tuple[int, ...], left: np.ndarray, step: float,
           beyond: Sequence[int | None] | None = None) -> ScopeRunway:
    """``step``: racks of room the scope loses each year past the timeline (the growth rule); ``beyond``:
    instead, the run-out year past the timeline of each resource (the site's, from its halls')."""
    resources = []
    for index, resource in enumerate(RESOURCES):
        row = left[index]
        out = np.flatnonzero(row < 1.0)  # NaN (no racks) compares False
        year = years[int(out[0])] if out.size else None
        if year is None and beyond is not None:
            year = beyond[index]
        elif year is None and step > 0 and years and math.isfinite(row[-1]):
            # room r >= 1 in the last year L: in year L + n it is r - n * step, below 1 from n = floor((r-1)/step) + 1
            year = years[-1] + math.floor((float(row[-1]) - 1.0) / step) + 1
            year = year if year <= years[-1] + HORIZON_YEARS else None
        resources.append(ResourceRunway(resource, tuple(float(v) for v in row), year))
    binding: str | None = None
    runs_out: int | None = None
    ran_out = [r for r in resources if r.runs_out is not None]
    if ran_out:
        first = min(r.runs_out for r in ran_out if r.runs_out is not None)
        column = years.index(first) if first in years else len(years) - 1
        chosen = min((r for r in ran_out if r.runs_out == first), key=lambda r: r.racks_left[column])
        binding, runs_out = chosen.resource, first
    else:
        with_racks = [c for c in range(len(years)) if not np.isnan(left[:, c]).all()]
        if with_racks:
            last = with_racks[-1]
            chosen = min(resources, key=lambda r: r.racks_left[last])
            binding = chosen.resource if math.isfinite(chosen.racks_left[last]) else None
    return ScopeRunway(scope_id, name, tuple(resources), binding, runs_out)


# ---------------------------------------------------------------------------- text and JSON
def cell_text(resource: ResourceRunway, years: tuple[int, ...], growth: bool = False) -> str:
    """A table cell: the run-out year, "after YYYY", "not used" or "no racks"."""
    if resource.runs_out is not None:
        return str(resource.runs_out)
    finite = [v for v in resource.racks_left if not math.isnan(v)]
    if not finite:
        return "no racks"
    if all(math.isinf(v) for v in finite):
        return "not used"
    if not years:
        return "-"
    return f"after {years[-1] + HORIZON_YEARS}" if growth else f"after {years[-1]}"


def binding_text(scope: ScopeRunway, years: tuple[int, ...]) -> str:
    if scope.binding is None:
        return "no racks" if all(cell_text(r, years) == "no racks" for r in scope.resources) else "-"
    label = RESOURCE_LABELS[scope.binding]
    if scope.runs_out is not None:
        return f"{label} in {scope.runs_out}"
    left = scope.resource(scope.binding).racks_left
    last = [v for v in left if not math.isnan(v)]
    return f"{label} (room for {int(last[-1]):,} more racks in {years[-1]})" if last else label


def runway_rows(runway: Runway) -> list[list[str]]:
    """Header then one row per scope: name, the run-out year of each resource, what binds first."""
    rows = [["", *(RESOURCE_LABELS[r] for r in RESOURCES), "binds first"]]
    for scope in runway.scopes:
        rows.append([scope.name, *(cell_text(r, runway.years, runway.growth_racks_per_year > 0)
                                   for r in scope.resources),
                     binding_text(scope, runway.years)])
    return rows


def runway_text(runway: Runway) -> str:
    """A plain-text table of the runway (names are the file's: print them as plain text)."""
    if not runway.years:
        return "Runway: the design has no scenario years."
    rows = runway_rows(runway)
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
    lines = [f"Runway {runway.years[0]}-{runway.years[-1]}: the first year each resource has no room for "
             "one more of the hall's average racks"]
    rule = runway.growth_template
    if rule is not None:
        lines.append(growth_template_text(rule, {s.scope_id: s.name for s in runway.scopes}))
    if runway.growth_racks_per_year > 0:
        lines.append(f"growth rule: {runway.growth_racks_per_year:g} more racks a year in each hall after its "
                     "first year, also past the timeline")
    lines += ["  ".join(cell.ljust(widths[c]) for c, cell in enumerate(row)).rstrip() for row in rows]
    return "\n".join(lines)


def growth_template_text(rule: GrowthTemplateRule, names: Mapping[str, str]) -> str:
    """One line naming the rule and what it placed (names are the file's: plain text)."""
    where = f"in {names.get(rule.hall_id, rule.hall_id)}" if rule.hall_id else "in the halls with racks in turn"
    total = sum(n for _, _, n in rule.placed)
    text = (f"growth rule: {rule.copies_per_year} x pod template {rule.template_name} ({rule.template_id}) a year "
            f"{where}, from the year after the first; {total:,} copies placed")
    if rule.stopped_in is not None:
        text += f"; from {rule.stopped_in} not all copies fit (space binds)"
    if rule.unfed_halls:
        unfed = ", ".join(names.get(h, h) for h in rule.unfed_halls)
        text += (f"; no fed rack (or item of the copies' roles) to feed them like in {unfed}: "
                 "the copies' load there is on nothing, not counted")
    return text


def runway_rule_text(runway: Runway, names: Mapping[str, str]) -> str:
    """The growth rule the runway follows, in words (``names``: hall id -> name, shown as plain text)."""
    if runway.growth_template is not None:
        return growth_template_text(runway.growth_template, names)
    if runway.growth_racks_per_year > 0:
        return f"growth rule: {runway.growth_racks_per_year:g} more racks a year in each hall after its first year"
    return "the planned deployments only (no growth rule)"


def _racks(value: float) -> float | str | None:
    if math.isnan(value):
        return None
    return "unlimited" if math.isinf(value) else round(value, 2)


def runway_to_json(runway: Runway) -> dict[str, object]:
    rule = runway.growth_template
    growth: dict[str, object] = {}
    if rule is not None:
        growth["growth_template"] = {
            "id": rule.template_id,
            "name": rule.template_name,
            "copies_per_year": rule.copies_per_year,
            "hall": rule.hall_id,
            "copies_placed": [{"year": year, "hall": hall_id, "copies": copies}
                              for year, hall_id, copies in rule.placed],
            "stopped_in": rule.stopped_in,
            "unfed_halls": list(rule.unfed_halls),
        }
    return {
        "years": list(runway.years),
        "growth_racks_per_year": runway.growth_racks_per_year,
        **growth,
        "scopes": [
            {
                "id": scope.scope_id,
                "name": scope.name,
                "binding": scope.binding,
                "runs_out": scope.runs_out,
                "resources": {
                    r.resource: {"runs_out": r.runs_out, "racks_left": [_racks(v) for v in r.racks_left]}
                    for r in scope.resources
                },
            }
            for scope in runway.scopes
        ],
    }
