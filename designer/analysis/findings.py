"""Findings: what the analysis reports about a design, each tied to the ids of the items concerned."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem or remark. ``item_ids`` lists the culprits first (e.g. the shared UPS), then the victims."""

    severity: Severity
    code: str
    message: str
    item_ids: tuple[str, ...] = ()


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Errors first, then warnings, then info; stable within a severity."""
    return tuple(sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity]))


def id_list(ids: Iterable[str], limit: int = 5) -> str:
    """``a, b, c and 12 more`` for messages."""
    ids = list(ids)
    shown = ", ".join(ids[:limit])
    return shown if len(ids) <= limit else f"{shown} and {len(ids) - limit} more"
