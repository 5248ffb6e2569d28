"""Stopping a twin analyzer's analysis on its worker thread once its figures would be dropped.

The idle pass (``Analyzer.detached``) runs for a second or more at 50,000 racks. When the window analyses
again meanwhile (a slider move), the pass's figures are stale and its results are dropped; running it to
the end only keeps its working memory (and the window's lent day) alive and the worker busy. ``cancel``
asks it to stop: the analysis raises ``Cancelled`` at its next ``checkpoint`` (between its phases and
inside the failure evaluations, tens of milliseconds apart at 50,000 racks). A checkpoint outside a
``cancellable`` block (the window's own analyses, the CLI) costs one attribute read.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Cancelled(Exception):
    """The analysis was asked to stop (``cancellable``): its figures would be dropped."""


_LOCAL = threading.local()


@contextmanager
def cancellable(stop: threading.Event) -> Iterator[None]:
    """Within the block, on this thread, ``checkpoint`` raises ``Cancelled`` once ``stop`` is set."""
    outer = getattr(_LOCAL, "stop", None)
    _LOCAL.stop = stop
    try:
        yield
    finally:
        _LOCAL.stop = outer


def checkpoint() -> None:
    """Raise ``Cancelled`` if this thread's analysis was asked to stop (``cancellable``)."""
    stop: threading.Event | None = getattr(_LOCAL, "stop", None)
    if stop is not None and stop.is_set():
        raise Cancelled
