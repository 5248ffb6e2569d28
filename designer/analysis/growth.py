"""A growth rule for the runway: N copies of a pod template a year in the free floor space.

``plan_growth`` places the copies (``designer.model.free_space``: row by row in each hall's free
cells, clear of every item, obstacle and rack aisle of the design and of the earlier copies). The
copies of a year enter service that year (their pod's ``in_service_year``). Growth starts the year
after the timeline's first year and adds ``copies_per_year`` every calendar year up to its last,
into one hall, or (no hall given) into the halls with fed racks in project order, each until no copy
fits. When a copy finds no room the growth stops: from that year on space binds.

The copies are placed as the template defines them, with its own connections; each of their items
the template does not feed itself (power, or a cooling medium) is fed like the nearest item of its
role the hall already has (the same suppliers, feed sides and media): the growth is more of the
same, on the hall's distribution, so its load counts against the hall's firm power and cooling
(those of the racks' direct suppliers, as the runway counts them; upstream equipment is checked by
each year's analysis), and the runway of the grown design says which of power, cooling, space and
floor load runs out first. A hall with no such item leaves copies unfed (``GrowthPlan.unfed``).

``template_runway`` runs the runway on the design plus its growth.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from designer.analysis.engine import Analyzer
from designer.analysis.results import Results
from designer.analysis.runway import GrowthTemplateRule, Runway, runway_from_results
from designer.model.catalog import CatalogEntry, merged_catalog
from designer.model.free_space import copies_that_fit
from designer.model.pods import PlacedPod, PodTemplate, place_pod
from designer.model.project import Project
from designer.model.records import Connection, PlacedItem
from designer.model.types import ConnectionKind, CoolingMedium, Role

MAX_COPIES_PER_YEAR = 1_000


class GrowthCancelled(Exception):
    """``template_runway`` stopped because its progress callback said so."""


class GrowthError(ValueError):
    """A growth rule that cannot be followed; the message names the bad argument, ``argument`` says
    which it is: "template", "copies" or "hall"."""

    def __init__(self, message: str, argument: str) -> None:
        super().__init__(message)
        self.argument = argument


@dataclass(frozen=True, slots=True)
class GrowthPlan:
    template_id: str
    template_name: str
    copies_per_year: int
    hall_id: str | None
    years: tuple[int, ...]
    """The calendar years the growth adds copies in."""
    pods: tuple[PlacedPod, ...]
    """The copies in placement order; each pod's ``in_service_year`` is its year."""
    stopped_in: int | None
    """The first year not all its copies fitted; None: every copy fitted."""
    full_from: Mapping[str, int]
    """Hall id -> the first year after whose copies no further copy fits in that hall (of the halls
    the growth goes into; a hall full from the start: the timeline's first year)."""
    unfed: tuple[str, ...] = ()
    """Halls the copies went into with no fed rack to take their feeds from: their racks' load is on
    nothing of the hall's, so the runway cannot count it against the hall's power and cooling."""

    def copies_in(self, year: int, hall_id: str | None = None) -> int:
        return sum(1 for p in self.pods if p.pod.in_service_year == year
                   and (hall_id is None or p.pod.hall_id == hall_id))

    def rule(self) -> GrowthTemplateRule:
        placed = []
        for year in self.years:
            for hall_id in dict.fromkeys(p.pod.hall_id for p in self.pods if p.pod.in_service_year == year):
                placed.append((year, hall_id, self.copies_in(year, hall_id)))
        return GrowthTemplateRule(self.template_id, self.template_name, self.copies_per_year, self.hall_id,
                                  tuple(placed), self.stopped_in, self.unfed)


def growth_years(project: Project) -> tuple[int, ...]:
    """Every calendar year after the active scenario's first, up to its last."""
    scenario = project.active_scenario
    if scenario is None or not scenario.years:
        return ()
    first, last = scenario.years[0].year, scenario.years[-1].year
    return tuple(range(first + 1, last + 1))


def check_rule(project: Project, catalog: Mapping[str, CatalogEntry], templates: Mapping[str, PodTemplate],
               template_id: str, copies_per_year: int, hall_id: str | None) -> PodTemplate:
    """The template of a growth rule; GrowthError naming the bad argument otherwise."""
    template = templates.get(template_id)
    if template is None:
        known = ", ".join(sorted(templates)) or "none"
        raise GrowthError(f"growth template {template_id!r}: no pod template of that id (known: {known})",
                          "template")
    if not 1 <= copies_per_year <= MAX_COPIES_PER_YEAR:
        raise GrowthError(f"growth copies {copies_per_year}: from 1 to {MAX_COPIES_PER_YEAR:,} copies a year",
                          "copies")
    if hall_id is not None and hall_id not in project.halls:
        known = ", ".join(project.halls) or "none"
        raise GrowthError(f"growth hall {hall_id!r}: the design has no hall of that id (halls: {known})", "hall")
    if not project.halls:
        raise GrowthError("the design has no hall to grow into", "hall")
    entries = merged_catalog(catalog, project.custom_catalog)
    for item in template.items:
        if item.catalog_id not in entries:
            raise GrowthError(f"growth template {template_id!r}: item {item.key!r} is of catalog id "
                              f"{item.catalog_id!r}, which is not in the catalog", "template")
    if not any(entries[i.catalog_id].is_rack for i in template.items):
        raise GrowthError(f"growth template {template_id!r}: it has no racks, and the runway counts racks",
                          "template")
    return template


def plan_growth(project: Project, catalog: Mapping[str, CatalogEntry], template: PodTemplate,
                copies_per_year: int, hall_id: str | None = None, years: Sequence[int] | None = None) -> GrowthPlan:
    """Place ``copies_per_year`` copies of ``template`` each of ``years`` (default ``growth_years``)."""
    if copies_per_year < 1:
        raise GrowthError(f"growth copies {copies_per_year}: at least 1 a year", "copies")
    if hall_id is not None and hall_id not in project.halls:
        raise GrowthError(f"growth hall {hall_id!r}: the design has no hall of that id", "hall")
    years = tuple(growth_years(project) if years is None else years)
    entries = merged_catalog(catalog, project.custom_catalog)
    feeds = _FeedsLike(project, entries)
    if hall_id is not None:
        halls = [hall_id]
    else:  # the halls whose racks the copies can be fed like, else every hall
        halls = [h for h in project.halls if feeds.fed_racks_in(h)] or list(project.halls)
    wanted = copies_per_year * len(years)
    # every slot each hall offers, up to one more than the growth needs (to know whether it is full)
    slots: dict[str, list[tuple[float, float]]] = {}
    items = list(project.items.values())
    for target in halls:
        try:
            slots[target] = copies_that_fit(project.halls[target], items, template, entries.get,
                                            project.settings.min_aisle_mm, wanted + 1)
        except ValueError as error:
            raise GrowthError(str(error), "template") from None
    ids = project.snapshot()  # fresh ids that are not the project's; the project itself is not touched
    pods: list[PlacedPod] = []
    used = dict.fromkeys(halls, 0)
    stopped_in: int | None = None
    scenario = project.active_scenario
    first_year = scenario.years[0].year if scenario is not None and scenario.years else (years[0] if years else 0)
    full_from: dict[str, int] = {h: first_year for h in halls if not slots[h]}
    for year in years:
        for _ in range(copies_per_year):
            into = next((h for h in halls if used[h] < len(slots[h])), None)
            if into is None:
                stopped_in = year if stopped_in is None else stopped_in
                break
            x_mm, y_mm = slots[into][used[into]]
            used[into] += 1
            placed = place_pod(template, hall_id=into, x_mm=x_mm, y_mm=y_mm, rotation_deg=0.0,
                               new_id=ids.new_id, label=f"{template.name} (growth {year})")
            links = placed.connections + feeds.feeds(placed, ids.new_id)
            pods.append(PlacedPod(replace(placed.pod, in_service_year=year), placed.items, links))
            if used[into] == len(slots[into]):
                full_from.setdefault(into, year)
        if stopped_in is not None:
            break
    unfed = tuple(h for h in dict.fromkeys(p.pod.hall_id for p in pods) if h in feeds.unfed)
    return GrowthPlan(template.id, template.name, copies_per_year, hall_id, years, tuple(pods), stopped_in,
                      full_from, unfed)


def grown_project(project: Project, plan: GrowthPlan) -> Project:
    """A listener-free copy of ``project`` with the planned copies added."""
    grown = project.snapshot()
    for placed in plan.pods:
        grown.add_pod(placed.pod)
    grown.add_items([item for placed in plan.pods for item in placed.items])
    grown.add_connections([c for placed in plan.pods for c in placed.connections])
    return grown


def template_runway(project: Project, catalog: Mapping[str, CatalogEntry], template: PodTemplate,
                    copies_per_year: int, hall_id: str | None = None, *, analyzer: Analyzer | None = None,
                    results_by_year: Mapping[int, Results] | None = None,
                    plan: GrowthPlan | None = None,
                    progress: Callable[[int, int, str], bool] | None = None) -> tuple[Runway, GrowthPlan]:
    """The runway of the design plus the growth (the plan made here unless given).

    ``results_by_year``: analyses of ``project`` itself; the years before the growth's first copy reuse them.
    ``progress(done, total, what)`` is called before each year's analysis; False stops with GrowthCancelled."""
    plan = plan or plan_growth(project, catalog, template, copies_per_year, hall_id)
    grown = grown_project(project, plan)
    scenario = project.active_scenario
    years = [entry.year for entry in scenario.years] if scenario is not None else []
    first_copy = min((p.pod.in_service_year for p in plan.pods if p.pod.in_service_year is not None), default=None)
    own = analyzer is None
    analyzer = analyzer or Analyzer()
    try:
        per_year: list[tuple[int, Results]] = []
        for done, year in enumerate(years):
            if progress is not None and not progress(done, len(years), f"analysing {year}"):
                raise GrowthCancelled(f"stopped before {year}")
            known = (results_by_year or {}).get(year)
            if known is not None and (first_copy is None or year < first_copy):
                per_year.append((year, known))
            else:
                per_year.append((year, analyzer.analyze(grown, catalog, year=year, failures=False)))
    finally:
        if own:
            analyzer.close()
    result = runway_from_results(grown, catalog, per_year, space_out_years=plan.full_from,
                                 growth_template=plan.rule())
    return result, plan


class _FeedsLike:
    """Feeds for a copy: each item takes the incoming links of the nearest item of its role in the hall
    (its nearest "twin") for the kinds (and cooling media) the template does not give it itself."""

    def __init__(self, project: Project, entries: Mapping[str, CatalogEntry]) -> None:
        self._project = project
        self._entries = entries
        self.unfed: set[str] = set()
        incoming: dict[str, list[Connection]] = {}
        for link in project.connections.values():
            incoming.setdefault(link.target_id, []).append(link)
        self._incoming = incoming
        self._powered_roles = {e.role for i in project.items.values() if (e := entries.get(i.catalog_id)) is not None
                               and any(c.kind is ConnectionKind.POWER for c in incoming.get(i.id, ()))}
        by_place: dict[tuple[str, Role], list[PlacedItem]] = {}
        for item in sorted(project.items.values(), key=lambda i: i.id):
            entry = entries.get(item.catalog_id)
            if entry is not None and item.id in incoming:
                by_place.setdefault((item.hall_id, entry.role), []).append(item)
        self._twins = by_place
        self._xy = {key: np.array([(i.x_mm, i.y_mm) for i in items], dtype=np.float64)
                    for key, items in by_place.items()}

    def fed_racks_in(self, hall_id: str) -> bool:
        return bool(self._twins.get((hall_id, Role.RACK)))

    def _twin(self, item: PlacedItem, role: Role) -> PlacedItem | None:
        xy = self._xy.get((item.hall_id, role))
        if xy is None:
            return None
        distance = np.hypot(xy[:, 0] - item.x_mm, xy[:, 1] - item.y_mm)
        return self._twins[(item.hall_id, role)][int(np.argmin(distance))]  # the first by id of the nearest

    def feeds(self, placed: PlacedPod, new_id: Callable[[str], str]) -> tuple[Connection, ...]:
        links: list[Connection] = []
        own_links: dict[str, list[Connection]] = {}
        for link in placed.connections:
            own_links.setdefault(link.target_id, []).append(link)
        for item in placed.items:
            entry = self._entries.get(item.catalog_id)
            if entry is None:
                continue
            own = own_links.get(item.id, [])
            has_power = any(c.kind is ConnectionKind.POWER for c in own)
            media: set[CoolingMedium] = {c.medium for c in own if c.kind is ConnectionKind.COOLING}
            twin = self._twin(item, entry.role)
            for link in self._incoming.get(twin.id, []) if twin is not None else []:
                if (link.kind is ConnectionKind.POWER and not has_power) or (
                        link.kind is ConnectionKind.COOLING and link.medium not in media):
                    links.append(replace(link, id=new_id("conn"), target_id=item.id))
            powered = has_power or any(c.kind is ConnectionKind.POWER and c.target_id == item.id for c in links)
            if not powered and (entry.is_rack or entry.role in self._powered_roles):
                self.unfed.add(item.hall_id)
        return tuple(links)
