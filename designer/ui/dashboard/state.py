"""DashboardState: the what-if view of the dashboard (share, year, hour, playing), apart from any widget.

Pure Python: the controls write it, the coordinator reads it; listeners hear one call per field and
only on a real change, so a view that writes back the value it shows causes no echo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from designer.model.project import Project

Listener = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class ViewPoint:
    """What the next analysis runs at: ``hour`` None means the hour of peak IT."""

    inference_share: float
    year: int | None
    hour: int | None


class DashboardState:
    """Current inference share (0..1), scenario year, design-day hour and play state."""

    def __init__(self, inference_share: float = 0.5, year: int | None = None, hour: int | None = None) -> None:
        self._share = _clamp(inference_share)
        self._year = year
        self._hour = hour
        self._playing = False
        self._listeners: list[Listener] = []

    # ----------------------------------------------------------------- events
    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(field_name)`` after each real change of a field."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def _emit(self, name: str) -> None:
        for listener in list(self._listeners):
            listener(name)

    # ----------------------------------------------------------------- fields
    @property
    def inference_share(self) -> float:
        return self._share

    @property
    def year(self) -> int | None:
        return self._year

    @property
    def hour(self) -> int | None:
        return self._hour

    @property
    def playing(self) -> bool:
        return self._playing

    def point(self) -> ViewPoint:
        return ViewPoint(self._share, self._year, self._hour)

    def set_inference_share(self, share: float) -> None:
        """A what-if share (not a design change); the year stays for its AI density factor."""
        share = _clamp(share)
        if abs(share - self._share) > 1e-12:
            self._share = share
            self._emit("inference_share")

    def set_year(self, year: int | None, project: Project | None = None) -> None:
        """Go to a year of the timeline; with ``project`` the share follows that year's share."""
        if year != self._year:
            self._year = year
            self._emit("year")
        if project is not None and year is not None:
            share = year_share(project, year)
            if share is not None:
                self.set_inference_share(share)

    def set_hour(self, hour: int | None) -> None:
        """An hour of the design day (0-23), or None for the hour of peak IT."""
        hour = None if hour is None or hour < 0 else int(hour) % 24
        if hour != self._hour:
            self._hour = hour
            self._emit("hour")

    def set_playing(self, playing: bool) -> None:
        if playing != self._playing:
            self._playing = playing
            self._emit("playing")

    def reset_to(self, project: Project) -> None:
        """Follow a (new) project: its first scenario year and share, the IT-peak hour."""
        years = timeline_years(project)
        self.set_playing(False)
        self.set_year(years[0] if years else None, project)
        if not years:
            self.set_inference_share(0.5)
        self.set_hour(None)

    def valid_year(self, project: Project) -> int | None:
        """The year if the active scenario still has it, else None (the analysis then uses its first year)."""
        return self._year if self._year in timeline_years(project) else None


def timeline_years(project: Project) -> list[int]:
    scenario = project.active_scenario
    return [entry.year for entry in scenario.years] if scenario is not None else []


def year_share(project: Project, year: int) -> float | None:
    scenario = project.active_scenario
    if scenario is None:
        return None
    for entry in scenario.years:
        if entry.year == year:
            return entry.inference_share
    return None


def next_year(project: Project, year: int | None) -> int | None:
    """The timeline year after ``year`` (None at the end)."""
    years = timeline_years(project)
    if not years:
        return None
    if year is None or year not in years:
        return years[0]
    index = years.index(year)
    return years[index + 1] if index + 1 < len(years) else None


def _clamp(share: float) -> float:
    return float(min(max(share, 0.0), 1.0))
