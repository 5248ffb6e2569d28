"""Pod templates: a group of items and their internal connections, placed as one block."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from designer.model.records import Connection, PlacedItem, PodInstance
from designer.model.types import ConnectionKind, CoolingMedium, FeedSide, Phase, WorkloadClass


@dataclass(frozen=True, slots=True)
class PodTemplateItem:
    """An item of a template; ``key`` is unique within the template, positions relative to its centre."""

    key: str
    catalog_id: str
    x_mm: float
    y_mm: float
    rotation_deg: float = 0.0
    label: str = ""
    group: str | None = None
    design_kw: float | None = None
    workload: WorkloadClass | None = None
    liquid_fraction: float | None = None
    weight_kg: float | None = None
    phase: Phase | None = None
    """Racks and rack PDUs: the phase(s) they take on their supplier (``PlacedItem.phase``); None unassigned."""


@dataclass(frozen=True, slots=True)
class PodTemplateConnection:
    kind: ConnectionKind
    source_key: str
    target_key: str
    feed: FeedSide = FeedSide.SINGLE
    medium: CoolingMedium = CoolingMedium.AIR


@dataclass(frozen=True, slots=True)
class PodTemplate:
    id: str
    name: str
    description: str
    items: tuple[PodTemplateItem, ...]
    connections: tuple[PodTemplateConnection, ...]
    source: str = ""


@dataclass(frozen=True, slots=True)
class PlacedPod:
    """What placing a template produces; add the pod first, then the items, then the connections."""

    pod: PodInstance
    items: tuple[PlacedItem, ...]
    connections: tuple[Connection, ...]


def place_pod(
    template: PodTemplate,
    *,
    hall_id: str,
    x_mm: float,
    y_mm: float,
    rotation_deg: float,
    new_id: Callable[[str], str],
    label: str = "",
) -> PlacedPod:
    """Turn a template into records centred at (x_mm, y_mm), rotated clockwise by ``rotation_deg``.

    ``new_id(prefix)`` must return a fresh project-wide id on each call.
    """
    pod = PodInstance(new_id("pod"), template.id, hall_id, label or template.name)
    angle = math.radians(rotation_deg)
    cos_a, sin_a = math.cos(angle), math.sin(angle)
    id_by_key: dict[str, str] = {}
    items: list[PlacedItem] = []
    for template_item in template.items:
        item_id = new_id(template_item.key.rstrip("0123456789") or "item")
        id_by_key[template_item.key] = item_id
        # clockwise rotation in a y-down frame
        dx = template_item.x_mm * cos_a - template_item.y_mm * sin_a
        dy = template_item.x_mm * sin_a + template_item.y_mm * cos_a
        items.append(
            PlacedItem(
                id=item_id,
                catalog_id=template_item.catalog_id,
                hall_id=hall_id,
                x_mm=round(x_mm + dx, 3),
                y_mm=round(y_mm + dy, 3),
                rotation_deg=(template_item.rotation_deg + rotation_deg) % 360.0,
                label=template_item.label,
                pod_id=pod.id,
                group=f"{pod.id}/{template_item.group}" if template_item.group else None,
                design_kw=template_item.design_kw,
                workload=template_item.workload,
                liquid_fraction=template_item.liquid_fraction,
                weight_kg=template_item.weight_kg,
                phase=template_item.phase,
            )
        )
    connections = tuple(
        Connection(
            id=new_id("conn"),
            kind=link.kind,
            source_id=id_by_key[link.source_key],
            target_id=id_by_key[link.target_key],
            feed=link.feed,
            medium=link.medium,
        )
        for link in template.connections
    )
    return PlacedPod(pod, tuple(items), connections)


def template_from_items(
    template_id: str,
    name: str,
    items: Sequence[PlacedItem],
    connections: Iterable[Connection],
    *,
    description: str = "",
) -> PodTemplate:
    """A template of ``items`` (positions relative to their middle) and the connections among them."""
    if not items:
        raise ValueError("a pod template needs at least one item")
    centre_x = (min(i.x_mm for i in items) + max(i.x_mm for i in items)) / 2.0
    centre_y = (min(i.y_mm for i in items) + max(i.y_mm for i in items)) / 2.0
    key_by_id: dict[str, str] = {}
    template_items = []
    for number, item in enumerate(items, start=1):
        key = f"{item.catalog_id.split('.')[-1].split('_')[0]}{number}"
        key_by_id[item.id] = key
        group = item.group.split("/")[-1] if item.group else None
        template_items.append(
            PodTemplateItem(
                key,
                item.catalog_id,
                round(item.x_mm - centre_x, 3),
                round(item.y_mm - centre_y, 3),
                item.rotation_deg,
                item.label,
                group,
                item.design_kw,
                item.workload,
                item.liquid_fraction,
                item.weight_kg,
                item.phase,
            )
        )
    links = tuple(
        PodTemplateConnection(c.kind, key_by_id[c.source_id], key_by_id[c.target_id], c.feed, c.medium)
        for c in connections
        if c.source_id in key_by_id and c.target_id in key_by_id
    )
    return PodTemplate(template_id, name, description, tuple(template_items), links, source="saved from a design")
