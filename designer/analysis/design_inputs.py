"""The read-once inputs of an analysis (``DesignInputs``): the utilisation profiles by UTC offset, the
climates, the site's own climate and the design day, kept while the site's fields they follow stand."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from designer.analysis import climate as climate_mod
from designer.analysis import profiles as profiles_mod
from designer.analysis.air_side import site_climate
from designer.analysis.loads import FloatArray
from designer.model.project import Project
from designer.model.records import SiteClimate
from designer.model.types import WorkloadClass

HOURS = 24
FALLBACK_WET_BULB_DEPRESSION_K = 8.0
"""Dry minus wet bulb assumed when the site has no known climate (E)."""


class DesignInputs:
    """An analyzer's profiles and climates (``Analyzer``: its year views share the profiles by offset,
    its twins start from its site climate and design day).

    ``profiles`` (class -> 24 utilisation fractions, local time) and ``climates`` default to the
    bundled resource files, read on first use.
    """

    def __init__(self, profiles: Mapping[WorkloadClass, FloatArray] | None,
                 climates: Mapping[str, climate_mod.Climate] | None) -> None:
        self.profiles = profiles
        self.profiles_by_offset: dict[float, Mapping[WorkloadClass, FloatArray]] = {}
        self.climates = climates
        self.site_climate: tuple[tuple[SiteClimate, float], climate_mod.Climate] | None = None
        self.design_day_kept: tuple[climate_mod.Climate, float, tuple[FloatArray, FloatArray]] | None = None

    def profiles_for(self, project: Project) -> Mapping[WorkloadClass, FloatArray]:
        """The utilisation profiles given, else the bundled ones at the site's UTC offset."""
        if self.profiles is not None:
            return self.profiles
        offset = project.site.utc_offset_h
        if offset not in self.profiles_by_offset:
            self.profiles_by_offset[offset] = profiles_mod.load_profiles(offset).by_class
        return self.profiles_by_offset[offset]

    def climate_for(self, project: Project) -> climate_mod.Climate | None:
        """The site's own climate when it has one, else the bundled climate of ``climate_id`` (None if unknown)."""
        own = project.site.climate
        if own is not None:
            key = (own, project.site.utc_offset_h)
            if self.site_climate is None or self.site_climate[0] != key:
                self.site_climate = (key, site_climate(own, project.site.utc_offset_h))
            return self.site_climate[1]
        if self.climates is None:
            try:
                self.climates = climate_mod.load_climates()
            except (OSError, ValueError):
                self.climates = {}
        return self.climates.get(project.site.climate_id)

    def design_day(self, project: Project) -> tuple[FloatArray, FloatArray]:
        """(dry bulb, wet bulb) of the design day, 24 hours."""
        climate = self.climate_for(project)
        ambient = project.site.design_ambient_c
        if climate is None:
            dry = np.full(HOURS, ambient)
            return dry, dry - FALLBACK_WET_BULB_DEPRESSION_K
        cached = self.design_day_kept
        if cached is None or cached[0] is not climate or cached[1] != ambient:
            day = (np.asarray(climate_mod.design_day_dry_bulb_c(climate, ambient), dtype=np.float64),
                   np.asarray(climate_mod.design_day_wet_bulb_c(climate, ambient), dtype=np.float64))
            cached = self.design_day_kept = (climate, ambient, day)
        return cached[2]
