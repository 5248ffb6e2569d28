"""The design as built in each year of a phased build-out, each with its own analyzer, kept current.

A phased project (``designer.model.phasing``) is analysed year by year on a *view*
(``designer.model.year_view.YearView``): the live project read without the items that do not stand that
year. Years whose standing items are the same share one view (their key is the set of distinct windows
that include them). A view holds no records or columns of its own; its analyzer follows it as it would
the live project, told here of the live project's moves, item edits and connection edits of the records
that stand in it, so it keeps its compiled networks across them. A change of anyone's years, of a pod, a
hall, the site, the settings, the scenarios or the catalog drops the views (rebuilt on demand). A
project without years costs one check of the changed ids per edit and no view.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from designer.model.events import ChangeAction, ChangeEvent, Collection
from designer.model.phasing import ALWAYS, Window, absent_ids, in_window, item_window, windows
from designer.model.project import Project
from designer.model.records import Connection, PlacedItem
from designer.model.year_view import YearView

if TYPE_CHECKING:
    from designer.analysis.engine import Analyzer


KEPT_DAYS_BYTES = 96 * 2**20
"""The most the years' views keep of their days' arrays together (the shown year's is always kept).

A view's analyzer keeps the last day's (racks, hours) and (nodes, hours) arrays so that the next
analysis of that year after an edit redoes only the rows the edit reached (``day_state``). At 50,000
racks a year's day is 40-80 MB, and keeping the seven years' took the phased campus to 1.2 GB: past
this budget the least recently analysed years let go of theirs, and their next analysis works the day
out afresh (the same figures; 40-50 ms instead of 14-23 at 50,000 racks). At 10,000 racks (days of
~8-16 MB) every year keeps its own."""


class YearViews:
    """Per-year views of one live project, each with its own ``Analyzer`` made by ``make_analyzer``."""

    def __init__(self, make_analyzer: Callable[[], Analyzer]) -> None:
        self._make = make_analyzer
        self._project: Project | None = None
        self._windows: dict[str, Window] | None = None
        """Item id -> window for the items that have one (None: to be read from the project)."""
        self._counts: Counter[Window] = Counter()
        self._views: dict[frozenset[Window], tuple[YearView, Analyzer]] = {}
        self._days: list[tuple[Analyzer, int]] = []
        """The views' analyzers that keep a day and its bytes, the least recently used first (``day_used``)."""

    # ----------------------------------------------------------------- queries
    def phased(self, project: Project) -> bool:
        """Whether any item of ``project`` has an in-service or retirement year (its own or its pod's)."""
        return bool(self._current(project))

    def view(self, project: Project, year: int | None) -> tuple[Project, Analyzer] | None:
        """The design as built in ``year`` and its analyzer; None when ``project`` is not phased or there
        is no year (the project itself is then the design)."""
        phased = self._current(project)
        if not phased or year is None:
            return None
        # the distinct windows are the keys of ``_counts`` (kept with the windows): the same key as
        # ``year_key(phased, year)`` without a pass over every phased item
        key = frozenset(w for w in self._counts if in_window(w, year))
        entry = self._views.get(key)
        if entry is None:
            analyzer = self._make()
            analyzer.watch_day(self._new_day)
            entry = self._views[key] = (YearView(project, absent_ids(phased, year)), analyzer)
        return entry

    def close(self) -> None:
        """Stop following the project and drop every view."""
        if self._project is not None:
            self._project.events.unsubscribe(self._on_change)
            self._project = None
        self._drop_views()
        self._windows = None

    # ----------------------------------------------------------------- following the project
    def _current(self, project: Project) -> dict[str, Window]:
        if project is not self._project:
            self.close()
            project.events.subscribe(self._on_change)
            self._project = project
        if self._windows is None:
            self._windows = windows(project)
            self._counts = Counter(self._windows.values())
        return self._windows

    def _drop_views(self) -> None:
        for _view, analyzer in self._views.values():
            analyzer.close()
        self._views = {}
        self._days = []

    def day_used(self, analyzer: Analyzer) -> None:
        """``analyzer`` (a view's) has just analysed: its day is the most recently used, and the others
        are kept, most recent first, while all fit ``KEPT_DAYS_BYTES``; the rest let go of theirs."""
        if not any(analyzer is child for _view, child in self._views.values()):
            return  # the views were dropped during the analysis
        nbytes = analyzer.day_nbytes()
        kept = [entry for entry in self._days if entry[0] is not analyzer]
        self._days = [*self._within(kept, KEPT_DAYS_BYTES - nbytes), (analyzer, nbytes)]

    def _new_day(self, analyzer: Analyzer) -> None:
        """``analyzer`` (a view's) is about to work a new day out: first make room for it, expecting it as
        large as that view's last day, or else as the largest kept."""
        last = [nbytes for child, nbytes in self._days if child is analyzer]
        kept = [entry for entry in self._days if entry[0] is not analyzer]
        expected = last[0] if last else max((nbytes for _child, nbytes in kept), default=0)
        self._days = self._within(kept, KEPT_DAYS_BYTES - expected)

    @staticmethod
    def _within(days: list[tuple[Analyzer, int]], budget: int) -> list[tuple[Analyzer, int]]:
        """The most recent of ``days`` that fit ``budget`` bytes together; the others let go of theirs."""
        total = 0
        for index in range(len(days) - 1, -1, -1):
            total += days[index][1]
            if total > budget:
                for older, _nbytes in days[:index + 1]:
                    older.release_day()
                return days[index + 1:]
        return days

    def _invalidate(self) -> None:
        self._drop_views()
        self._windows = None

    def _on_change(self, event: ChangeEvent) -> None:
        project, phased = self._project, self._windows
        if project is None or phased is None:
            return  # read afresh on the next query
        if event.collection is Collection.ITEMS:
            if not self._windows_follow(project, event):
                self._invalidate()
            elif phased and self._views:
                self._forward_items(event)
        elif event.collection is Collection.CONNECTIONS and phased and self._views:
            self._forward_connections(project, event)
        if event.collection in (Collection.ITEMS, Collection.CONNECTIONS):
            return
        if event.collection is not Collection.METADATA and phased:
            self._invalidate()  # pods' years, halls, site, scenarios, catalog: rare, start over
        elif event.collection is Collection.PODS:
            self._windows = None  # a pod may have been given years

    def _windows_follow(self, project: Project, event: ChangeEvent) -> bool:
        """Update the windows for an item event; False when the set of distinct windows changed."""
        phased = self._windows
        assert phased is not None
        if event.action is ChangeAction.MOVED:
            return True
        before = set(self._counts)
        for item_id in event.ids:
            old = phased.pop(item_id, ALWAYS)
            if old != ALWAYS:
                self._counts[old] -= 1
            item = project.items.get(item_id)
            if item is not None and event.action is not ChangeAction.REMOVED:
                new = _window(item, project)
                if new != ALWAYS:
                    phased[item_id] = new
                    self._counts[new] += 1
                if new != old and self._views:
                    return False  # an item changed its years: the views' contents move
        self._counts = +self._counts
        return set(self._counts) == before

    def _forward_items(self, event: ChangeEvent) -> None:
        phased = self._windows
        assert phased is not None
        action = event.action
        for key, (view, _analyzer) in self._views.items():
            if action is not ChangeAction.MOVED:  # the live columns changed (a move is not in them)
                view.release_columns()
            if action is ChangeAction.REMOVED:
                standing = view.forget(event.ids)
            else:
                if action is ChangeAction.ADDED:
                    view.hide(i for i in event.ids if i in phased and phased[i] not in key)
                standing = tuple(filter(view.stands, event.ids))
            if standing:
                view.tell(ChangeEvent(action, Collection.ITEMS, standing))

    def _forward_connections(self, project: Project, event: ChangeEvent) -> None:
        removed = event.removed if event.action is ChangeAction.REMOVED else None
        for view, _analyzer in self._views.values():
            view.release_columns()  # the live columns changed
            if removed is None:
                ends = [project.connections[c] for c in event.ids]
            elif removed:  # gone from the live project: its records say which stood in the view
                ends = [c for c in removed if isinstance(c, Connection)]
            else:  # a removal that did not say what it removed: the view looks at its design again
                view.tell(event)
                continue
            inside = tuple(c.id for c in ends if view.stands(c.source_id) and view.stands(c.target_id))
            if inside:
                view.tell(ChangeEvent(event.action, Collection.CONNECTIONS, inside))


def _window(item: PlacedItem, project: Project) -> Window:
    if item.in_service_year is None and item.retirement_year is None and item.pod_id is None:
        return ALWAYS
    return item_window(item, project.pods)


def year_of(project: Project, year: int | None) -> int | None:
    """The year an analysis runs at: ``year``, else the active scenario's first year (None without one)."""
    if year is not None:
        return year
    scenario = project.active_scenario
    return scenario.years[0].year if scenario is not None and scenario.years else None

