"""Keep the cyclic garbage collector from pausing the editor on a large design.

A 10,000-rack design leaves a few hundred thousand long-lived Python objects (records, scene items,
the analysis's compiled networks). A full collection walks all of them: 50-80 ms, a visible hitch in
a drag or a slider move, every so often. Once a design is open those objects live until the next
design replaces it, so they are collected once and then frozen out of later collections
(``gc.freeze``); replacing the design unfreezes them so the old design can be freed.
"""

from __future__ import annotations

import gc
import logging
import time

log = logging.getLogger(__name__)


def settle_after_open() -> float:
    """Collect the garbage of the previous design, freeze what is left; returns the ms it took."""
    started = time.perf_counter()
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    elapsed_ms = (time.perf_counter() - started) * 1000.0
    log.debug("heap settled in %.0f ms, %d objects frozen", elapsed_ms, gc.get_freeze_count())
    return elapsed_ms
