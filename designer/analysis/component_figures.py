"""One item's live figures read from an analysis already run: load, capacity, losses, worst single failure, links.

Nothing here analyses anything: the inspector and the canvas tooltip call it on every selection or
hover, so it only looks values up in ``Results`` (one index search) and the project's connections.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from designer.analysis.results import Results, StrArray
from designer.model.project import Project
from designer.model.types import ConnectionKind


@dataclass(frozen=True, slots=True)
class Link:
    """A connection of the item, seen from it: the item at the other end and how they are joined."""

    item_id: str
    label: str
    kind: ConnectionKind
    detail: str
    """"feed A", "feed B", "" (single feed) for power; "air" or "liquid" for cooling."""


@dataclass(frozen=True, slots=True)
class ComponentFigures:
    """What the last analysis says about one item. None where it says nothing (not analysed, no rating).

    Power and cooling components: through load, rating, utilisation, losses (power: the stage's own;
    cooling: the fan or pump heat it adds), and the highest load a single failure elsewhere pushes
    onto it. Racks: IT load at the analysed hour against their design kW, the heat split, floor load
    and whether they ride through every single failure.
    """

    item_id: str
    analysed: bool
    """False when the item is not in the results (placed after the last run, or not connected)."""
    hour: int
    """Local hour of the load figures."""
    is_rack: bool = False
    kind: str = ""
    """"power" or "cooling" for components, "rack" for racks."""
    load_kw: float | None = None
    capacity_kw: float | None = None
    utilization: float | None = None
    loss_kw: float | None = None
    failures_analysed: bool = False
    worst_failure_kw: float | None = None
    worst_failure_utilization: float | None = None
    worst_failure_hour: int | None = None
    worst_failure_case: str | None = None
    """The failed component that gives the worst case ("" for normal running; None when not known)."""
    heat_liquid_kw: float | None = None
    heat_air_kw: float | None = None
    floor_kg_m2: float | None = None
    survives_single_failures: bool | None = None
    fed_by: tuple[Link, ...] = ()
    feeds: tuple[Link, ...] = ()


def _index(ids: StrArray, item_id: str) -> int | None:
    found = np.flatnonzero(ids == item_id)
    return int(found[0]) if found.size else None


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def links(project: Project, item_id: str) -> tuple[tuple[Link, ...], tuple[Link, ...]]:
    """(what feeds ``item_id``, what it feeds), each power first, then cooling, in connection-id order."""
    items = project.items
    fed_by: list[Link] = []
    feeds: list[Link] = []
    for connection in project.connections_of(item_id):
        upstream = connection.target_id == item_id
        other = connection.source_id if upstream else connection.target_id
        if connection.kind is ConnectionKind.POWER:
            detail = "" if connection.feed.value == "single" else f"feed {connection.feed.value}"
        else:
            detail = connection.medium.value
        other_item = items.get(other)
        label = (other_item.label or other) if other_item is not None else other
        (fed_by if upstream else feeds).append(Link(other, label, connection.kind, detail))
    def power_first(link: Link) -> bool:
        return link.kind is not ConnectionKind.POWER

    return tuple(sorted(fed_by, key=power_first)), tuple(sorted(feeds, key=power_first))


def component_figures(results: Results | None, project: Project, item_id: str) -> ComponentFigures:
    """The figures of ``item_id`` in ``results`` (the last analysis) plus its links in ``project``."""
    fed_by, feeds = links(project, item_id)
    if results is None:
        return ComponentFigures(item_id, analysed=False, hour=0, fed_by=fed_by, feeds=feeds)
    hour = int(results.hour)
    index = _index(results.component_ids, item_id)
    if index is not None:
        capacity = float(results.component_capacity_kw[index])
        worst_util = _finite(float(results.component_worst_failure_utilization[index]))
        worst_kw = worst_util * capacity if worst_util is not None and capacity > 0 else None
        worst_hour: int | None = None
        worst_case: str | None = None
        if results.failures_analysed and worst_util is not None:
            # each worst case carries its own hour of the design day and failed part (-1: none recorded)
            failure_hour = int(results.component_worst_failure_hour[index])
            worst_hour = failure_hour if failure_hour >= 0 else hour
            worst_case = str(results.component_worst_failure_case[index])
        return ComponentFigures(
            item_id, analysed=True, hour=hour, kind=str(results.component_kinds[index]),
            load_kw=float(results.component_load_kw[index]),
            capacity_kw=capacity if capacity > 0 else None,
            utilization=float(results.component_utilization[index]) if capacity > 0 else None,
            loss_kw=float(results.component_loss_kw[index]),
            failures_analysed=results.failures_analysed,
            worst_failure_kw=worst_kw, worst_failure_utilization=worst_util, worst_failure_hour=worst_hour,
            worst_failure_case=worst_case,
            fed_by=fed_by, feeds=feeds,
        )  # fmt: skip
    rack = _index(results.rack_ids, item_id)
    if rack is not None:
        return ComponentFigures(
            item_id, analysed=True, hour=hour, is_rack=True, kind="rack",
            load_kw=float(results.rack_it_kw[rack]),
            heat_liquid_kw=float(results.rack_heat_liquid_kw[rack]),
            heat_air_kw=float(results.rack_heat_air_kw[rack]),
            floor_kg_m2=float(results.rack_floor_kg_m2[rack]),
            failures_analysed=results.failures_analysed,
            survives_single_failures=bool(results.rack_survives_single_failures[rack])
            if results.failures_analysed else None,
            fed_by=fed_by, feeds=feeds,
        )  # fmt: skip
    return ComponentFigures(item_id, analysed=False, hour=hour, fed_by=fed_by, feeds=feeds)
