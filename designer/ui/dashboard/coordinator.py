"""AnalysisCoordinator: one coalescing single-shot timer between edits / view changes and the analysis.

Edits (the model's change events, relayed by ``Document.project_changed``) wait the editor's 300 ms,
view changes (share, year, hour) none; a burst of either becomes one cheap analysis (no single
failures) plus, after a design change (or a year change of a phased design), one sweep of the
transition. A run of the timer sweeps on a worker thread (a quarter of a second at 50,000 racks): the
charts keep the last sweep until the new one arrives (``sweep_ready``), a sweep made stale by a newer
design is dropped, and one sweep job runs at a time. ``run()`` called directly (tests, benchmarks,
the report) still sweeps on the spot, so ``sweep`` is current when it returns. The single failures (with the
headroom and the maintenance pairs: seconds at 50,000 racks) are filled in on idle, on a worker thread,
from a snapshot of the design and a copy of the analyzer's compiled networks; their results are sent
again only if no analysis ran meanwhile (a newer one supersedes them), and one such job runs at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from PySide6.QtCore import QDeadlineTimer, QEventLoop, QObject, QTimer, Signal

from designer.analysis import Analyzer, Results, SweepResult, sweep
from designer.analysis.cancel import Cancelled
from designer.model.catalog import CatalogEntry, merged_catalog
from designer.model.project import Project
from designer.ui.background import BackgroundJob, user_waiting
from designer.ui.dashboard.state import DashboardState, ViewPoint
from designer.ui.document import Document
from designer.ui.heap import release_free_memory

EDIT_DELAY_MS = 300
VIEW_DELAY_MS = 0
"""A view change runs on the next turn of the event loop: a burst of moves queued meanwhile (a slider
dragged while the last analysis ran) still becomes one run, and the charts follow the hand."""
IDLE_FAILURES_DELAY_MS = 400
SWEEP_RETRY_MS = 100
"""A sweep due while an export runs asks again this much later."""
CANCEL_WAIT_MS = 100
"""How long a due run waits for a cancelled idle pass to let go of the analyzer's day (lent to it): the
run then needs no copy of it. Past this the run goes ahead and writes a copy (~60 ms at 50k racks). At
50,000 racks the pass's checkpoints are at most ~90 ms apart (a median wait of ~20 ms)."""

log = logging.getLogger(__name__)


class AnalysisCoordinator(QObject):
    """Runs the analysis of the document at the dashboard's view point, coalesced."""

    results_ready = Signal(object, object)
    """(Results, SweepResult or None when the sweep failed). The sweep may be the last one while a
    newer one is worked out on a worker thread: ``sweep_ready`` then follows."""
    sweep_ready = Signal(object)
    """A sweep made on a worker thread arrived (SweepResult, or None when it failed); ``sweep`` is it."""
    analysis_failed = Signal(str)

    def __init__(
        self,
        document: Document,
        state: DashboardState,
        analyzer: Analyzer | None = None,
        parent: QObject | None = None,
        *,
        edit_delay_ms: int = EDIT_DELAY_MS,
        view_delay_ms: int = VIEW_DELAY_MS,
        idle_delay_ms: int = IDLE_FAILURES_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.state = state
        self.analyzer = analyzer or Analyzer()
        self.edit_delay_ms = edit_delay_ms
        self.view_delay_ms = view_delay_ms
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(idle_delay_ms)
        self.idle_timer.timeout.connect(self.fill_failures_in_background)
        self.results: Results | None = None
        self.sweep: SweepResult | None = None
        self.runs = 0
        self.failures_job: BackgroundJob[Results] | None = None
        """The idle pass under way on a worker thread (kept alive until it reports)."""
        self._failures_run = 0
        """``runs`` when the job under way started: stale once another analysis ran."""
        self._failures_twin: Analyzer | None = None
        """The job's twin analyzer: cancelled once another analysis runs (its figures would be dropped)."""
        self._cancel_wait: QDeadlineTimer | None = None
        """A due run waits until then for the cancelled job to end (``_on_timer_timeout``)."""
        self.failures_jobs_dropped = 0
        self.busy_elsewhere: Callable[[], bool] | None = None
        """Whether another background job of the window's runs (its electrical checks): the idle pass then
        waits, so that the two jobs' working memory (hundreds of MB each at 50,000 racks) never stacks."""
        self._closed = False
        """Idle passes whose results came too late (another analysis had run): never shown."""
        self._held = False
        """A run was due but waits for ``release`` (the window's first paint comes first)."""
        self.sweep_job: BackgroundJob[SweepResult] | None = None
        """The sweep under way on a worker thread (kept alive until it reports)."""
        self._sweep_generation = 0
        """Counts the sweeps asked for: a job's result is kept only if no newer one was asked for since."""
        self._sweep_due: int | None = None
        """The generation of a sweep waiting for the job under way (or an export) to finish."""
        self._sweep_job_generation = 0
        self.sweep_jobs_dropped = 0
        self._sweep_retry = QTimer(self)
        self._sweep_retry.setSingleShot(True)
        self._sweep_retry.setInterval(SWEEP_RETRY_MS)
        self._sweep_retry.timeout.connect(self._start_sweep_job)
        self._sweep_stale = True
        self._sweep_year: int | None = None
        self._catalog: Mapping[str, CatalogEntry] | None = None
        self._point: ViewPoint | None = None
        document.project_changed.connect(self._on_design_changed)
        document.project_replaced.connect(self._on_design_changed)
        state.subscribe(self._on_state_changed)

    # ----------------------------------------------------------------- scheduling
    def schedule(self, delay_ms: int) -> None:
        """Run after ``delay_ms`` unless a run is already due sooner."""
        self.idle_timer.stop()
        self._held = False
        if self.timer.isActive():
            delay_ms = min(delay_ms, self.timer.remainingTime())
        self.timer.start(max(delay_ms, 0))

    def hold(self) -> None:
        """Keep a due run back until ``release`` (or ``flush``): the window's first paint goes first."""
        if self.timer.isActive():
            self.timer.stop()
            self._held = True

    def release(self, delay_ms: int) -> None:
        """Run what ``hold`` kept back ``delay_ms`` from now (nothing if nothing was held)."""
        if self._held and not self._closed:
            self.schedule(delay_ms)

    def _on_design_changed(self, *_args: object) -> None:
        self._sweep_stale = True
        self._catalog = None
        self.schedule(self.edit_delay_ms)

    def _on_state_changed(self, name: str) -> None:
        if name != "playing":
            self.schedule(self.view_delay_ms)

    def catalog(self) -> Mapping[str, CatalogEntry]:
        if self._catalog is None:
            self._catalog = merged_catalog(self.document.catalog, self.document.project.custom_catalog)
        return self._catalog

    def close(self) -> None:
        if self._closed:
            return
        self.timer.stop()
        self.idle_timer.stop()
        self._sweep_retry.stop()
        self._sweep_due = None
        self._held = False
        self.runs += 1  # a job under way reports into nothing
        self._closed = True
        self.state.unsubscribe(self._on_state_changed)
        self.analyzer.close()

    # ----------------------------------------------------------------- running
    def _on_timer_timeout(self) -> None:
        if self.failures_job is not None and self._failures_twin is not None:
            # its figures would be dropped: stop it, and run when it let go of the day lent to it
            self._failures_twin.cancel()
            if self._cancel_wait is None:
                self._cancel_wait = QDeadlineTimer(CANCEL_WAIT_MS)
            if not self._cancel_wait.hasExpired():
                self.timer.start(1)  # ``_on_failures_job_finished`` runs it sooner
                return
        self.run(background_sweep=True)

    def run(self, *, failures: bool = False, background_sweep: bool = False) -> Results | None:
        """Analyse now (cheap path unless ``failures``); emits ``results_ready`` or ``analysis_failed``.

        A sweep that is due runs here too, or with ``background_sweep`` on a worker thread (its result
        comes by ``sweep_ready``)."""
        self.timer.stop()
        self.idle_timer.stop()
        self._held = False
        self._cancel_wait = None
        if self._failures_twin is not None:  # the idle pass under way is stale now: stop it
            self._failures_twin.cancel()
        project = self.document.project
        point = ViewPoint(self.state.inference_share, self.state.valid_year(project), self.state.hour)
        self.runs += 1
        try:
            results = self.analyzer.analyze(project, self.catalog(), inference_share=point.inference_share,
                                            year=point.year, hour=point.hour, failures=failures)
        except Exception as error:  # a half-built design must never take the editor down
            log.debug("analysis failed", exc_info=True)
            self.results = None
            self.analysis_failed.emit(f"Analysis failed: {error}")
            return None
        # a phased design's share sweep is of the design as built in the year shown
        if self._sweep_stale or (self.sweep is None and self._sweep_due is None and self.sweep_job is None) or (
                point.year != self._sweep_year and self.analyzer.phased(project)):
            self._sweep_year = point.year
            self._sweep_stale = False
            self._sweep_generation += 1
            if background_sweep:
                self._sweep_due = self._sweep_generation
                self._start_sweep_job()
            else:
                self._sweep_due = None
                try:
                    self.sweep = sweep(project, self.catalog(), analyzer=self.analyzer, year=point.year)
                except Exception:  # the sweep is a view; the analysis findings still count
                    log.debug("sweep failed", exc_info=True)
                    self.sweep = None
        self.results = results
        self._point = point
        self.results_ready.emit(results, self.sweep)
        if not failures:
            self.idle_timer.start()
        return results

    # ----------------------------------------------------------------- the sweep on a worker
    def _start_sweep_job(self) -> None:
        """Sweep the design as it is now on a worker thread, if a sweep is due and none is under way."""
        generation = self._sweep_due
        if self._closed or generation is None or self.sweep_job is not None:
            return  # nothing due, or one at a time: the job's report starts the one due
        if user_waiting():  # an export runs: later
            self._sweep_retry.start()
            return
        project, catalog, year = self.document.project, self.catalog(), self._sweep_year
        try:
            work = self._sweep_work(project, catalog, year)
        except Exception:  # as a failed sweep on this thread: the charts show none
            log.debug("sweep failed", exc_info=True)
            self._sweep_due = None
            self.sweep = None
            self.sweep_ready.emit(None)
            return
        job: BackgroundJob[SweepResult] = BackgroundJob(work)
        job.signals.finished.connect(self._on_sweep_job_finished)  # a bound slot: dropped with the coordinator
        self.sweep_job, self._sweep_due = job, None
        self._sweep_job_generation = generation
        job.start()

    def _sweep_work(self, project: Project, catalog: Mapping[str, CatalogEntry],
                    year: int | None) -> Callable[[object], SweepResult]:
        """The sweep as a job of its own: the design's snapshot and twin analyzers with copies of the
        compiled networks (``Analyzer.detached``), one per distinct design of the years swept."""
        analyzer = self.analyzer
        if not analyzer.phased(project):
            snapshot, twin = analyzer.detached(project, catalog, year)

            def work(_progress: object) -> SweepResult:
                try:
                    return sweep(snapshot, catalog, analyzer=twin, year=year)
                finally:
                    twin.close()

            return work
        # a phased design: the year shown and every scenario year, each on its year's design; years that
        # see the same design share one twin, as the analyzer's year views do
        scenario = project.active_scenario
        years = [year, *(entry.year for entry in (scenario.years if scenario is not None else ()))]
        twins: dict[int, tuple[Project, Analyzer]] = {}
        views: dict[int | None, tuple[Project, Analyzer]] = {}
        for each in years:
            view = analyzer.year_view(project, each)
            assert view is not None  # phased
            if id(view[1]) not in twins:
                twins[id(view[1])] = view[1].detached(view[0], catalog, each)
            views[each] = twins[id(view[1])]
        years_view = _YearViews(views)

        def phased_work(_progress: object) -> SweepResult:
            try:
                return sweep(project, catalog, analyzer=years_view, year=year)  # type: ignore[arg-type]
            finally:
                for _snapshot, twin in twins.values():
                    twin.close()

        return phased_work

    def _on_sweep_job_finished(self) -> None:
        job, self.sweep_job = self.sweep_job, None
        if job is None or self._closed:
            return
        if self._sweep_job_generation != self._sweep_generation:  # a newer design: its sweep follows
            self.sweep_jobs_dropped += 1
            self._start_sweep_job()
            if not self.sweep_pending:  # it was swept on the spot meanwhile: the charts stop waiting
                self.sweep_ready.emit(self.sweep)
            return
        if job.error is not None:
            log.debug("sweep failed", exc_info=job.error)
        self.sweep = job.result
        self.sweep_ready.emit(self.sweep)
        self._start_sweep_job()

    @property
    def sweep_pending(self) -> bool:
        """A sweep of a newer design is due or under way (``sweep`` is the last design's)."""
        return self.sweep_job is not None or self._sweep_due is not None

    def wait_for_sweep(self, timeout_ms: int = 60_000) -> bool:
        """Wait (running the event loop) until no sweep is due or under way; False on timeout."""
        deadline = QDeadlineTimer(timeout_ms)
        while (self.sweep_job is not None or self._sweep_due is not None) and not deadline.hasExpired():
            loop = QEventLoop()
            QTimer.singleShot(10, loop.quit)
            loop.exec()
        return self.sweep_job is None and self._sweep_due is None

    def fill_failures(self) -> None:
        """The same analysis with the single failures, now on this thread (what the idle pass does, for
        tests, benchmarks and screenshots that need it done before they go on)."""
        if self.results is None or self.results.failures_analysed or self.timer.isActive():
            return
        self.run(failures=True)

    def fill_failures_in_background(self) -> None:
        """The idle pass: the last analysis again with the single failures, on a worker thread.

        Its results replace the shown ones only if no analysis ran since it started; while one job
        runs no other starts (the idle timer comes back when it reports)."""
        results, point = self.results, self._point
        if self._closed or results is None or point is None or results.failures_analysed or self.timer.isActive():
            return
        if self.failures_job is not None:
            return  # one at a time: its report restarts the idle timer if it came too late
        if self.sweep_job is not None or self._sweep_due is not None:  # the sweep first: the charts wait for it
            self.idle_timer.start()
            return
        if user_waiting() or (self.busy_elsewhere is not None and self.busy_elsewhere()):  # later
            self.idle_timer.start()
            return
        catalog = self.catalog()
        try:
            # the twin borrows the window's day arrays (read-only) instead of working out its own
            snapshot, twin = self.analyzer.detached(self.document.project, catalog, point.year, day=True)
        except Exception as error:  # the same as a failed analysis on this thread
            log.debug("failures analysis failed", exc_info=True)
            self.analysis_failed.emit(f"Analysis failed: {error}")
            return

        def work(_progress: object) -> Results:
            try:
                return twin.analyze(snapshot, catalog, inference_share=point.inference_share, year=point.year,
                                    hour=point.hour, failures=True)
            finally:
                twin.close()

        job: BackgroundJob[Results] = BackgroundJob(work)
        # a bound slot of the coordinator: queued to this thread, dropped if the coordinator goes first
        job.signals.finished.connect(self._on_failures_job_finished)
        self.failures_job, self._failures_run, self._failures_twin = job, self.runs, twin
        job.start()

    def _on_failures_job_finished(self) -> None:
        job, self.failures_job, self._failures_twin = self.failures_job, None, None
        if job is None or self._closed:
            return
        if self._cancel_wait is not None and self.timer.isActive():  # the run that waited for it: now
            self.timer.start(0)
        # another analysis ran meanwhile, or one is due (an edit waits on the timer), or it was stopped for one:
        # its own idle pass follows
        if self.runs != self._failures_run or self.timer.isActive() or isinstance(job.error, Cancelled):
            self.failures_jobs_dropped += 1
            if self.results is not None and not self.results.failures_analysed and not self.timer.isActive():
                self.idle_timer.start()
            return
        if job.error is not None:
            log.debug("failures analysis failed", exc_info=job.error)
            self.results = None
            self.analysis_failed.emit(f"Analysis failed: {job.error}")
            return
        assert job.result is not None
        self.results = job.result
        self.results_ready.emit(job.result, self.sweep)
        # the pass's working arrays (hundreds of MB at 50,000 racks, in the worker thread's own C heap
        # arena) are free now: give the pages back before the electrical checks allocate theirs
        release_free_memory()

    def wait_for_failures(self, timeout_ms: int = 60_000) -> bool:
        """Wait (running the event loop) until the idle pass under way has reported; False on timeout."""
        deadline = QDeadlineTimer(timeout_ms)
        while self.failures_job is not None and not deadline.hasExpired():
            loop = QEventLoop()
            QTimer.singleShot(10, loop.quit)
            loop.exec()
        return self.failures_job is None

    def flush(self) -> None:
        """Run now if a run is pending or held (for tests and benchmarks)."""
        if self.timer.isActive() or self._held:
            self.run()


class _YearViews:
    """What ``sweep`` asks of an analyzer for a phased design, answered from twins made beforehand on the
    window's thread (``Analyzer.detached`` of each year's view), so the worker touches no live analyzer."""

    def __init__(self, views: Mapping[int | None, tuple[Project, Analyzer]]) -> None:
        self._views = views

    def phased(self, _project: Project) -> bool:
        return True

    def year_view(self, _project: Project, year: int | None) -> tuple[Project, Analyzer]:
        return self._views[year]
