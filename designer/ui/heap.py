"""Keep the cyclic garbage collector from pausing the editor on a large design.

A 10,000-rack design leaves a few hundred thousand long-lived Python objects (records, scene items,
the analysis's compiled networks). A full collection walks all of them: 50-80 ms, a visible hitch in
a drag or a slider move, every so often. Once a design is open those objects live until the next
design replaces it, so they are collected once and then frozen out of later collections
(``gc.freeze``); replacing the design unfreezes them so the old design can be freed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import sys
import time

log = logging.getLogger(__name__)


def settle_after_open() -> float:
    """Collect the garbage of the previous design, freeze what is left; returns the ms it took."""
    started = time.perf_counter()
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    release_free_memory()
    elapsed_ms = (time.perf_counter() - started) * 1000.0
    log.debug("heap settled in %.0f ms, %d objects frozen", elapsed_ms, gc.get_freeze_count())
    return elapsed_ms


_TRIM: list[object] = []
"""glibc's ``malloc_trim`` once looked up (an empty list: not looked up yet; ``None`` in it: not glibc)."""


def release_free_memory() -> bool:
    """Hand the C heap's free pages back to the system (glibc only; False elsewhere).

    A closed design's scene frees its hundreds of thousands of small Qt and Python allocations, but
    glibc keeps the pages they sat in: after a 50,000-rack hall's window is deleted the process stayed
    about 350 MB larger than before it opened, and the next design's memory stacked on that.
    ``malloc_trim(0)`` returns every free page (tens of milliseconds), so call it only after a design
    or a window has gone, not on a hot path.
    """
    if not _TRIM:
        trim = None
        if sys.platform.startswith("linux"):
            try:
                libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
                trim = getattr(libc, "malloc_trim", None)
            except OSError:  # no C library by that name (musl has no malloc_trim either)
                trim = None
        _TRIM.append(trim)
    trim = _TRIM[0]
    if trim is None:
        return False
    trim(0)  # type: ignore[operator]
    return True
