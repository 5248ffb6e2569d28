"""settle_after_open: a design's objects are frozen out of collections, and freed after the next one."""

from __future__ import annotations

import gc
import weakref

from designer.ui.heap import settle_after_open


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector can free it


def test_objects_of_a_replaced_design_are_collected_even_in_cycles() -> None:
    design = Node()
    alive = weakref.ref(design)
    settle_after_open()
    assert gc.get_freeze_count() > 0
    assert not any(obj is design for obj in gc.get_objects()), "frozen objects are out of the collector's lists"
    del design
    gc.collect()
    assert alive() is not None, "frozen: an ordinary collection leaves it alone"
    settle_after_open()  # the next design opened
    assert alive() is None


def test_free_memory_goes_back_to_the_system_on_glibc() -> None:
    import platform
    import sys

    from designer.ui.heap import release_free_memory

    glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert release_free_memory() is glibc
    assert release_free_memory() is glibc  # looked up once, callable again


def test_the_c_heap_is_limited_to_one_arena_on_glibc() -> None:
    import platform
    import sys

    from designer.ui.heap import limit_malloc_arenas

    glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert limit_malloc_arenas() is glibc  # mallopt answers 1 when it took the setting
    assert limit_malloc_arenas(2) is glibc
    assert limit_malloc_arenas() is glibc  # back to the app's one arena for the rest of the session
