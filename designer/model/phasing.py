"""Phased build-out: which items stand in a given year (in-service and retirement years, pods' years inherited).

An item's *window* is (in-service year, retirement year): it stands in year Y when
``in_service <= Y`` (or no in-service year) and ``Y < retirement`` (or no retirement year). A
year left unset on an item follows its pod's; unset on both, the item is always there. A project
whose items all have the window ``ALWAYS`` is not phased, and every year sees the whole design.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from designer.model.records import PlacedItem, PodInstance

if TYPE_CHECKING:
    from designer.model.project import Project

YEAR_MIN = 1900
"""Earliest in-service or retirement year a file may hold (the scenario years' range too)."""
YEAR_MAX = 2200

Window = tuple[int | None, int | None]
ALWAYS: Window = (None, None)


def years_problem(in_service_year: int | None, retirement_year: int | None) -> str | None:
    """What is wrong with a pair of years (None when they are fine), in words for a message."""
    for name, year in (("in-service year", in_service_year), ("retirement year", retirement_year)):
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)
                                 or not YEAR_MIN <= year <= YEAR_MAX):
            return f"the {name} {year!r} is not a whole year between {YEAR_MIN} and {YEAR_MAX}"
    if in_service_year is not None and retirement_year is not None and retirement_year <= in_service_year:
        return (f"the retirement year {retirement_year} must come after the in-service year "
                f"{in_service_year}")
    return None


def item_window(item: PlacedItem, pods: Mapping[str, PodInstance]) -> Window:
    """(in-service, retirement) of ``item``: its own years, else its pod's."""
    start, end = item.in_service_year, item.retirement_year
    if (start is None or end is None) and item.pod_id is not None:
        pod = pods.get(item.pod_id)
        if pod is not None:
            start = pod.in_service_year if start is None else start
            end = pod.retirement_year if end is None else end
    return start, end


def in_window(window: Window, year: int) -> bool:
    """Whether an item with ``window`` stands in ``year``."""
    start, end = window
    return (start is None or start <= year) and (end is None or year < end)


def windows(project: Project) -> dict[str, Window]:
    """The window of every item that has one other than ``ALWAYS`` (empty: the design is not phased)."""
    pods = project.pods
    if not any(p.in_service_year is not None or p.retirement_year is not None for p in pods.values()):
        return {i.id: (i.in_service_year, i.retirement_year) for i in project.items.values()
                if i.in_service_year is not None or i.retirement_year is not None}
    found: dict[str, Window] = {}
    for item in project.items.values():
        window = item_window(item, pods)
        if window != ALWAYS:
            found[item.id] = window
    return found


def absent_ids(phased: Mapping[str, Window], year: int) -> frozenset[str]:
    """Ids of the items of ``phased`` (from ``windows``) that do not stand in ``year``."""
    return frozenset(item_id for item_id, window in phased.items() if not in_window(window, year))


def year_key(phased: Mapping[str, Window], year: int) -> frozenset[Window]:
    """The distinct windows that include ``year``: two years with the same key see the same design."""
    return frozenset(w for w in set(phased.values()) if in_window(w, year))


def phase_years(project: Project) -> list[int]:
    """Every in-service and retirement year the design names, sorted."""
    years: set[int] = set()
    for window in windows(project).values():
        years.update(y for y in window if y is not None)
    return sorted(years)


def window_text(window: Window) -> str:
    """A window for people: "always", "from 2027", "until 2030", "2027 to 2030"."""
    start, end = window
    if start is None and end is None:
        return "always"
    if end is None:
        return f"from {start}"
    if start is None:
        return f"until {end - 1}"
    return f"{start} to {end - 1}"


def standing(items: Iterable[PlacedItem], pods: Mapping[str, PodInstance], year: int | None) -> set[str]:
    """Ids of ``items`` that stand in ``year`` (all of them when ``year`` is None)."""
    if year is None:
        return {item.id for item in items}
    return {item.id for item in items if in_window(item_window(item, pods), year)}
