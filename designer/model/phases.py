"""Which phases a load may take: the one home of the rule the loader, the inspector and Auto-balance apply.

A rack or rack PDU draws from one phase (L1, L2 or L3) of its PDU, RPP or busway tap-off when its
catalog entry says ``parameters.phases = 1``, from all three otherwise (the default: the AI and
high-density racks of the catalog are three-phase).
"""

from __future__ import annotations

from designer.model.catalog import CatalogEntry
from designer.model.types import Phase, Role

SINGLE_PHASES: tuple[Phase, ...] = (Phase.L1, Phase.L2, Phase.L3)
PHASED_ROLES = frozenset({Role.RACK, Role.RACK_PDU})
"""Loads that are assigned phases on their supplier (``PlacedItem.phase``)."""


def takes_phase(entry: CatalogEntry) -> bool:
    """Whether a placed item of ``entry`` carries a phase assignment."""
    return entry.role in PHASED_ROLES


def phase_count(entry: CatalogEntry) -> int:
    """1 for a single-phase load (``parameters.phases = 1``), else 3."""
    return 1 if entry.number("phases", 3.0) == 1.0 else 3


def allowed_phases(entry: CatalogEntry) -> tuple[Phase, ...]:
    """The phases an item of ``entry`` may be assigned (empty when it takes none)."""
    if not takes_phase(entry):
        return ()
    return SINGLE_PHASES if phase_count(entry) == 1 else (Phase.ALL,)


def phase_problem(entry: CatalogEntry, phase: Phase) -> str | None:
    """Why ``phase`` cannot be assigned to an item of ``entry``; None when it can (a sentence for the user)."""
    allowed = allowed_phases(entry)
    if not allowed:
        return f"only a rack or a rack PDU takes a phase; a {entry.role.value} does not"
    if phase not in allowed:
        if phase_count(entry) == 1:
            return f"{entry.id} is a single-phase load: assign L1, L2 or L3, not {phase.value}"
        return f"{entry.id} is a three-phase load: it takes all three phases (L1L2L3), not {phase.value} alone"
    return None
