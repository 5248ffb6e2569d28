"""The economics over the study period: each calendar year's opex from the design as built that year.

A year of the study is analysed on the design as built in it (``designer.model.phasing``: items not yet
in service or retired left out) at the inference share and AI density of the scenario year in force:
the latest scenario year not after it (the first before the scenario starts, the last after it ends).
Years that see the same design at the same scenario year share one analysis (without single failures:
the opex needs only the energy).
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence

from designer.analysis.economics import EconomicsSummary, economics_summary
from designer.analysis.engine import Analyzer
from designer.analysis.results import Results
from designer.model.catalog import CatalogEntry
from designer.model.economics import EconomicsDefaults
from designer.model.phasing import Window, windows, year_key
from designer.model.project import Project


class YearAnalyses:
    """``(year) -> Results``: the design as built in a calendar year, analysed once per distinct design and
    scenario year. ``known`` are analyses the caller already has (taken where their year and share match; for a
    design without scenario years or phases, the first one stands for every year, at whatever share it had)."""

    def __init__(self, project: Project, catalog: Mapping[str, CatalogEntry], analyzer: Analyzer,
                 known: Sequence[Results] = ()) -> None:
        self._project = project
        self._catalog = catalog
        self._analyzer = analyzer
        self._phased: dict[str, Window] = windows(project)
        scenario = project.active_scenario
        self._shares = {e.year: (e.inference_share, e.ai_density_factor)
                        for e in (scenario.years if scenario is not None else ())}
        self._years = sorted(self._shares)
        self._memo: dict[tuple[frozenset[Window], int | None], Results] = {}
        for results in known:
            if not self._years and not self._phased and results.year is None:
                self._memo.setdefault((frozenset(), None), results)  # no scenario: the one analysis there is
            elif results.year in self._shares and self._shares[results.year] == (results.inference_share,
                                                                               results.ai_density_factor):
                self._memo.setdefault((year_key(self._phased, results.year), results.year), results)

    def scenario_year(self, year: int) -> int | None:
        """The scenario year in force in ``year`` (None: the project has no scenario years)."""
        if not self._years:
            return None
        index = bisect.bisect_right(self._years, year) - 1
        return self._years[max(index, 0)]

    def __call__(self, year: int) -> Results:
        entry = self.scenario_year(year)
        key = (year_key(self._phased, year) if self._phased else frozenset(), entry)
        found = self._memo.get(key)
        if found is None:
            built = self._analyzer.year_view(self._project, year)
            if built is None:
                found = self._analyzer.analyze(self._project, self._catalog, year=entry, failures=False)
            else:
                view, child = built
                found = child.analyze(view, self._catalog, year=entry, failures=False)
            self._memo[key] = found
        return found


def economics_over_years(project: Project, analysis: Results, catalog: Mapping[str, CatalogEntry],
                         defaults: EconomicsDefaults, *, analyzer: Analyzer | None = None,
                         known: Sequence[Results] = (),
                         inference_profile: Sequence[float] | None = None) -> EconomicsSummary:
    """``economics_summary`` with each year's opex from its own design as built (``analyzer``: the one to
    analyse the years with, default a fresh one closed afterwards; ``analysis`` is reused where it fits)."""
    own = analyzer is None
    runner = analyzer or Analyzer()
    try:
        years = YearAnalyses(project, catalog, runner, (analysis, *known))
        return economics_summary(project, analysis, catalog, defaults, year_analysis=years,
                                 inference_profile=inference_profile)
    finally:
        if own:
            runner.close()
