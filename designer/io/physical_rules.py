"""Checks of physical sense on catalog entries, beyond each field's type and range (one home: model.limits).

Kept apart from the readers so that every reader (bundled and user catalog, entries a project
carries) applies the same rules, and they merge easily with changes to the readers.
"""

from __future__ import annotations

from designer.io.reader import Node
from designer.model.catalog import CatalogEntry
from designer.model.limits import (
    BOOLEAN_PARAMETERS,
    CHOICE_PARAMETERS,
    MAX_TOTAL_LOSS_FRACTION,
    NUMBER_CHOICES,
    NUMERIC_PARAMETERS,
)


def check_entry(node: Node, entry: CatalogEntry) -> None:
    """Refuse an entry whose figures would give a quiet wrong answer, naming the field's JSON path."""
    if (entry.in_power_chain or entry.in_cooling_chain) and entry.capacity_kw <= 0:
        at = node.optional("capacity_kw") or node
        raise at.fail(
            f"a {entry.kind.value} in the power or cooling chain needs a rating above 0 kW"
            f" (capacity_kw is {entry.capacity_kw:g})"
        )
    if entry.loss is not None:
        loss = entry.loss
        total = loss.fixed_fraction + loss.proportional_fraction + loss.square_fraction
        if total > MAX_TOTAL_LOSS_FRACTION:
            raise node.child("loss").fail(
                f"losses at rated load are {total:.3g} of the rating, more than {MAX_TOTAL_LOSS_FRACTION:g}"
            )
    parameters = node.optional("parameters")
    if parameters is None:
        return
    for key, value in entry.parameters.items():
        child = parameters.child(key)
        if key in NUMERIC_PARAMETERS:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise child.fail("expected a number")
            problem = NUMERIC_PARAMETERS[key].problem(float(value))
            if problem is None and key in NUMBER_CHOICES and float(value) not in NUMBER_CHOICES[key]:
                problem = f"{value:g} is not one of: {', '.join(f'{c:g}' for c in NUMBER_CHOICES[key])}"
            if problem is not None:
                raise child.fail(problem)
        elif key in CHOICE_PARAMETERS and value not in CHOICE_PARAMETERS[key]:
            raise child.fail(f"expected one of: {', '.join(CHOICE_PARAMETERS[key])}")
        elif key in BOOLEAN_PARAMETERS and not isinstance(value, bool):
            raise child.fail("expected true or false")
