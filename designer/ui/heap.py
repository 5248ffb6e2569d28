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
    from designer.analysis.engine import forget_design_caches  # the analysis is loaded by then

    started = time.perf_counter()
    forget_design_caches()  # the last design's ids, kept alive by the analysis's last answers
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    release_free_memory()
    elapsed_ms = (time.perf_counter() - started) * 1000.0
    log.debug("heap settled in %.0f ms, %d objects frozen", elapsed_ms, gc.get_freeze_count())
    return elapsed_ms


M_ARENA_MAX = -8
"""glibc's ``mallopt`` parameter number of the most C heap arenas (malloc.h)."""
MALLOC_ARENAS = 1
"""C heap arenas the process may use (glibc's default: eight per core)."""


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Let glibc's malloc keep at most ``arenas`` C heaps (False where this is not glibc).

    Each thread that allocates (the idle pass's and the electrical checks' workers, Qt's own) otherwise
    gets an arena of its own, and what one thread frees only that thread's arena reuses: at 50,000
    racks the workers' arrays left tens of MB of free pages beside the window's thread's heap, stacked
    under the next pass's peak. The threads' allocations that would contend for one arena are the
    large numpy buffers; the Python objects come from Python's own allocator under the GIL. Call it
    before the worker threads start (an arena already made stays).
    """
    libc = _libc()
    mallopt = getattr(libc, "mallopt", None) if libc is not None else None
    if mallopt is None:
        return False
    return bool(mallopt(M_ARENA_MAX, arenas))


_LIBC: list[object] = []
"""The C library once looked up (an empty list: not looked up yet; ``None`` in it: not glibc on Linux)."""


def _libc() -> ctypes.CDLL | None:
    if not _LIBC:
        libc = None
        if sys.platform.startswith("linux"):
            try:
                libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            except OSError:  # no C library by that name
                libc = None
        _LIBC.append(libc)
    return _LIBC[0]  # type: ignore[return-value]


def release_free_memory() -> bool:
    """Hand the C heap's free pages back to the system (glibc only; False elsewhere).

    A closed design's scene frees its hundreds of thousands of small Qt and Python allocations, but
    glibc keeps the pages they sat in: after a 50,000-rack hall's window is deleted the process stayed
    about 350 MB larger than before it opened, and the next design's memory stacked on that.
    ``malloc_trim(0)`` returns every free page (tens of milliseconds), so call it only after a design
    or a window has gone, not on a hot path.
    """
    libc = _libc()
    trim = getattr(libc, "malloc_trim", None) if libc is not None else None  # musl has none
    if trim is None:
        return False
    trim(0)
    return True
