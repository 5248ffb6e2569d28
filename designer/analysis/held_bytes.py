"""The bytes of the arrays a kept working state holds (a day, a sweep's preparation): what letting it go
frees, for the budgets of what the years of a phased design keep (``designer.analysis.phased``)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def held_nbytes(root: object, parts: tuple[type, ...], shared: frozenset[str]) -> int:
    """The bytes of the numpy arrays under ``root``, each buffer once (a view counts its base; a sparse
    matrix its index and data arrays), walking tuples, lists and the slotted ``parts`` types only, not
    their fields named in ``shared`` (what belongs to something else, e.g. the compiled networks): a few
    hundred objects, not the networks' own tuples."""
    seen: set[int] = set()
    total = 0
    stack: list[object] = [root]
    while stack:
        value = stack.pop()
        if isinstance(value, np.ndarray):
            while isinstance(value.base, np.ndarray):
                value = value.base
            if id(value) not in seen:
                seen.add(id(value))
                total += value.nbytes
        elif isinstance(value, (tuple, list)):
            stack.extend(value)
        elif isinstance(value, parts):
            stack.extend(getattr(value, name) for name in _slots(type(value))
                         if name not in shared and hasattr(value, name))
        elif sp.issparse(value):
            stack.extend(getattr(value, name) for name in ("data", "indices", "indptr", "row", "col")
                         if hasattr(value, name))
    return total


def _slots(kind: type) -> tuple[str, ...]:
    return tuple(name for klass in kind.__mro__ for name in getattr(klass, "__slots__", ()))
