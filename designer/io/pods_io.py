"""Reading pod templates (``resources/pods/*.json`` and the user's ``pods/`` folder)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from designer.io.errors import CatalogFileError, FileFormatError
from designer.io.reader import Node
from designer.io.resources import resources_dir, user_data_dir
from designer.model import effective
from designer.model.catalog import Catalog
from designer.model.pods import PodTemplate, PodTemplateConnection, PodTemplateItem
from designer.model.types import ConnectionKind, CoolingMedium, FeedSide, WorkloadClass

POD_FORMAT = "dc-designer-pod"
POD_SCHEMA_VERSION = 1
MAX_POD_BYTES = 4 * 1024 * 1024

ITEM_FIELDS = frozenset(
    {"key", "catalog_id", "x_mm", "y_mm", "rotation_deg", "label", "group", "design_kw", "workload", "liquid_fraction",
     "weight_kg"}
)
CONNECTION_FIELDS = frozenset({"kind", "source", "target", "feed", "medium"})


def read_pod_document(document: object, catalog: Catalog | None = None) -> PodTemplate:
    """A template from parsed JSON; with ``catalog``, every catalog id must exist in it."""
    root = Node(document, "$", CatalogFileError)
    if root.child("format").string() != POD_FORMAT:
        raise root.child("format").fail(f"expected {POD_FORMAT!r}")
    version = root.child("schema_version").integer()
    if version != POD_SCHEMA_VERSION:
        raise root.child("schema_version").fail(f"pod schema version {version} is not supported")
    items: list[PodTemplateItem] = []
    keys: set[str] = set()
    for node in root.child("items").elements(max_count=10_000):
        node.reject_unknown(ITEM_FIELDS)
        key_node = node.child("key")
        key = key_node.string(allow_empty=False, max_chars=100)
        if key in keys:
            raise key_node.fail(f"duplicate key {key!r}")
        keys.add(key)
        catalog_node = node.child("catalog_id")
        catalog_id = catalog_node.string(allow_empty=False)
        if catalog is not None and catalog_id not in catalog:
            raise catalog_node.fail(f"unknown catalog id {catalog_id!r}")
        items.append(
            PodTemplateItem(
                key=key,
                catalog_id=catalog_id,
                x_mm=node.child("x_mm").number(),
                y_mm=node.child("y_mm").number(),
                rotation_deg=_optional_number(node, "rotation_deg", 0.0) or 0.0,
                label=_optional_string(node, "label"),
                group=_optional_string(node, "group") or None,
                design_kw=_optional_number(node, "design_kw", None, minimum=0),
                workload=_optional_workload(node),
                liquid_fraction=_optional_number(node, "liquid_fraction", None, minimum=0, maximum=1),
                weight_kg=_optional_number(node, "weight_kg", None, minimum=0, maximum=effective.MAX_RACK_WEIGHT_KG),
            )
        )
        design_kw = items[-1].design_kw
        if catalog is not None and design_kw is not None and "design_kw" in effective.allowed_overrides(
                catalog[catalog_id]):  # placed, it must load again from a project file
            problem = effective.override_problem(catalog[catalog_id], "design_kw", design_kw)
            if problem is not None:
                raise node.child("design_kw").fail(problem)
        weight_kg = items[-1].weight_kg
        if catalog is not None and weight_kg is not None:
            problem = effective.override_problem(catalog[catalog_id], "weight_kg", weight_kg)
            if problem is not None:
                raise node.child("weight_kg").fail(problem)
    connections: list[PodTemplateConnection] = []
    for node in root.child("connections").elements(max_count=100_000):
        node.reject_unknown(CONNECTION_FIELDS)
        ends = []
        for end in ("source", "target"):
            end_node = node.child(end)
            key = end_node.string()
            if key not in keys:
                raise end_node.fail(f"no item with key {key!r} in this pod")
            ends.append(key)
        feed_node = node.optional("feed")
        medium_node = node.optional("medium")
        connections.append(
            PodTemplateConnection(
                kind=node.child("kind").choice(ConnectionKind),
                source_key=ends[0],
                target_key=ends[1],
                feed=feed_node.choice(FeedSide) if feed_node else FeedSide.SINGLE,
                medium=medium_node.choice(CoolingMedium) if medium_node else CoolingMedium.AIR,
            )
        )
    return PodTemplate(
        id=root.child("id").string(allow_empty=False, max_chars=200),
        name=root.child("name").string(allow_empty=False, max_chars=300),
        description=_optional_string(root, "description"),
        items=tuple(items),
        connections=tuple(connections),
        source=_optional_string(root, "source"),
    )


def _optional_number(
    node: Node, key: str, default: float | None, *, minimum: float | None = None, maximum: float | None = None
) -> float | None:
    child = node.optional(key)
    return default if child is None else child.number(minimum=minimum, maximum=maximum)


def _optional_string(node: Node, key: str) -> str:
    child = node.optional(key)
    return "" if child is None else child.string()


def _optional_workload(node: Node) -> WorkloadClass | None:
    child = node.optional("workload")
    return None if child is None else child.choice(WorkloadClass)


def read_pod_file(path: Path, catalog: Catalog | None = None) -> PodTemplate:
    if path.stat().st_size > MAX_POD_BYTES:
        raise CatalogFileError(f"file is larger than {MAX_POD_BYTES} bytes", file=path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"), parse_constant=_reject_constant)
        return read_pod_document(document, catalog)
    except FileFormatError as error:
        raise CatalogFileError(error.problem, json_path=error.json_path, file=path) from None
    except (ValueError, RecursionError) as error:
        raise CatalogFileError(f"not valid JSON ({error})", file=path) from None


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not allowed")


def load_pod_templates(
    catalog: Catalog | None = None, extra_folders: Iterable[Path] = (), *, include_user: bool = True
) -> Mapping[str, PodTemplate]:
    """Bundled templates, then the user's (which may override a bundled id)."""
    folders = [resources_dir() / "pods"]
    if include_user:
        folders.append(user_data_dir() / "pods")
    folders.extend(extra_folders)
    templates: dict[str, PodTemplate] = {}
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.glob("*.json")):
                template = read_pod_file(path, catalog)
                templates[template.id] = template
    return templates


def pod_to_document(template: PodTemplate) -> dict[str, object]:
    """The JSON form of a template (what ``read_pod_document`` reads)."""
    items: list[dict[str, object]] = []
    for item in template.items:
        row: dict[str, object] = {
            "key": item.key,
            "catalog_id": item.catalog_id,
            "x_mm": item.x_mm,
            "y_mm": item.y_mm,
            "rotation_deg": item.rotation_deg,
            "label": item.label,
        }
        optional = {
            "group": item.group,
            "design_kw": item.design_kw,
            "liquid_fraction": item.liquid_fraction,
            "weight_kg": item.weight_kg,
            "workload": item.workload.value if item.workload else None,
        }
        row.update({k: v for k, v in optional.items() if v is not None})
        items.append(row)
    connections: list[dict[str, object]] = []
    for link in template.connections:
        connection: dict[str, object] = {"kind": link.kind.value, "source": link.source_key, "target": link.target_key}
        if link.kind is ConnectionKind.POWER:
            connection["feed"] = link.feed.value
        else:
            connection["medium"] = link.medium.value
        connections.append(connection)
    return {
        "format": POD_FORMAT,
        "schema_version": POD_SCHEMA_VERSION,
        "id": template.id,
        "name": template.name,
        "description": template.description,
        "source": template.source,
        "items": items,
        "connections": connections,
    }


def save_user_pod(template: PodTemplate, folder: Path | None = None) -> Path:
    """Write a template into the user's ``pods/`` folder (atomically) and return its path."""
    from designer.io.project_file import atomic_write_bytes

    target = folder or user_data_dir() / "pods"
    target.mkdir(parents=True, exist_ok=True)
    slug = "".join(ch if ch.isalnum() else "_" for ch in template.id.removeprefix("pod.")).strip("_") or "pod"
    path = target / f"{slug}.json"
    atomic_write_bytes(
        path, (json.dumps(pod_to_document(template), indent=2) + "\n").encode("utf-8"), keep_backup=False
    )
    return path
