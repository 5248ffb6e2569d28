"""Reading pod templates (``resources/pods/*.json`` and the user's ``pods/`` folder)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from designer.io.errors import CatalogFileError, FileFormatError
from designer.io.project_file import MAX_COORDINATE_MM
from designer.io.reader import Node
from designer.io.resources import resources_dir, user_data_dir
from designer.io.safe_read import quoted, read_json_file
from designer.model import effective, phases
from designer.model.catalog import Catalog
from designer.model.pods import PodTemplate, PodTemplateConnection, PodTemplateItem
from designer.model.types import ConnectionKind, CoolingMedium, FeedSide, Phase, WorkloadClass

POD_FORMAT = "dc-designer-pod"
POD_SCHEMA_VERSION = 1
MAX_POD_BYTES = 4 * 1024 * 1024
MAX_TEMPLATE_MM = MAX_COORDINATE_MM / 10
"""A template's items sit within 1 km of its origin: placed anywhere in a hall, they stay inside the
10 km a project file allows."""

ITEM_FIELDS = frozenset(
    {"key", "catalog_id", "x_mm", "y_mm", "rotation_deg", "label", "group", "design_kw", "workload", "liquid_fraction",
     "weight_kg", "phase"}
)
CONNECTION_FIELDS = frozenset({"kind", "source", "target", "feed", "medium"})
TEMPLATE_FIELDS = frozenset(
    {"format", "schema_version", "id", "name", "description", "source", "items", "connections", "replaces_bundled"}
)


def read_pod_document(
    document: object, catalog: Catalog | None = None, *, file: str | Path | None = None
) -> PodTemplate:
    """A template from parsed JSON; with ``catalog``, every catalog id must exist in it."""
    try:
        return _read_pod(document, catalog)
    except FileFormatError as error:
        raise CatalogFileError(error.problem, json_path=error.json_path, file=file) from None


def _read_pod(document: object, catalog: Catalog | None) -> PodTemplate:
    root = Node(document, "$", CatalogFileError)
    if root.child("format").string() != POD_FORMAT:
        raise root.child("format").fail(f"expected {POD_FORMAT!r}")
    version = root.child("schema_version").integer()
    if version != POD_SCHEMA_VERSION:
        raise root.child("schema_version").fail(f"pod schema version {version} is not supported")
    root.reject_unknown(TEMPLATE_FIELDS)
    replaces = root.optional("replaces_bundled")
    if replaces is not None:
        replaces.boolean()
    items: list[PodTemplateItem] = []
    keys: set[str] = set()
    for node in root.child("items").elements(max_count=10_000):
        node.reject_unknown(ITEM_FIELDS)
        key_node = node.child("key")
        key = key_node.identifier(max_chars=100)
        if key in keys:
            raise key_node.fail(f"duplicate key {key!r}")
        keys.add(key)
        catalog_node = node.child("catalog_id")
        catalog_id = catalog_node.identifier()
        if catalog is not None and catalog_id not in catalog:
            raise catalog_node.fail(f"unknown catalog id {quoted(catalog_id)}")
        items.append(
            PodTemplateItem(
                key=key,
                catalog_id=catalog_id,
                # the project file's rules: a template that places what the loader refuses makes a
                # design that saves but never opens again
                x_mm=node.child("x_mm").number(minimum=-MAX_TEMPLATE_MM, maximum=MAX_TEMPLATE_MM),
                y_mm=node.child("y_mm").number(minimum=-MAX_TEMPLATE_MM, maximum=MAX_TEMPLATE_MM),
                rotation_deg=_optional_number(node, "rotation_deg", 0.0, minimum=-360, maximum=360) or 0.0,
                label=_optional_string(node, "label", max_chars=200),
                group=_optional_group(node),
                design_kw=_optional_number(node, "design_kw", None, minimum=0, maximum=10_000),
                workload=_optional_workload(node),
                liquid_fraction=_optional_number(node, "liquid_fraction", None, minimum=0, maximum=1),
                weight_kg=_optional_number(node, "weight_kg", None, minimum=0, maximum=effective.MAX_RACK_WEIGHT_KG),
                phase=_optional_phase(node),
            )
        )
        phase = items[-1].phase
        if catalog is not None and phase is not None:  # placed, it must load again from a project file
            problem = phases.phase_problem(catalog[catalog_id], phase)
            if problem is not None:
                raise node.child("phase").fail(problem)
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
                raise end_node.fail(f"no item with key {quoted(key)} in this pod")
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
        id=root.child("id").identifier(),
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


def _optional_string(node: Node, key: str, max_chars: int = 10_000) -> str:
    child = node.optional(key)
    return "" if child is None else child.string(max_chars=max_chars)


def _optional_group(node: Node) -> str | None:
    child = node.optional("group")
    if child is None or child.value == "":
        return None
    return child.identifier()


def _optional_workload(node: Node) -> WorkloadClass | None:
    child = node.optional("workload")
    return None if child is None else child.choice(WorkloadClass)


def _optional_phase(node: Node) -> Phase | None:
    child = node.optional("phase")
    return None if child is None else child.choice(Phase)


def read_pod_file(path: Path, catalog: Catalog | None = None) -> PodTemplate:
    return read_pod_document(_parse_pod_file(path), catalog, file=path)


def _parse_pod_file(path: Path) -> object:
    return read_json_file(path, max_bytes=MAX_POD_BYTES, error_type=CatalogFileError)


def _pod_files(folder: Path) -> list[Path]:
    try:
        return sorted(folder.glob("*.json")) if folder.is_dir() else []
    except OSError:
        return []


def load_pod_templates(
    catalog: Catalog | None = None,
    extra_folders: Iterable[Path] = (),
    *,
    include_user: bool = True,
    warnings: list[str] | None = None,
) -> Mapping[str, PodTemplate]:
    """Bundled templates, then the user's.

    A bad bundled template raises (the installation is broken); a bad user file is skipped with a
    line in ``warnings``. A user template replaces a bundled one of the same id only when it says
    ``"replaces_bundled": true``, and that is reported in ``warnings`` too.
    """
    notes: list[str] = [] if warnings is None else warnings
    templates: dict[str, PodTemplate] = {}
    for path in _pod_files(resources_dir() / "pods"):
        template = read_pod_file(path, catalog)
        templates[template.id] = template
    bundled = set(templates)
    folders = [user_data_dir() / "pods"] if include_user else []
    folders.extend(extra_folders)
    for folder in folders:
        for path in _pod_files(folder):
            try:
                document = _parse_pod_file(path)
                template = read_pod_document(document, catalog, file=path)
            except FileFormatError as error:
                notes.append(f"user pod template skipped: {error.one_line()}")
                continue
            if template.id in bundled:
                if not (isinstance(document, dict) and document.get("replaces_bundled") is True):
                    notes.append(
                        f"user pod template {quoted(template.id)} in {path} skipped: a bundled template has that id"
                        ' (add "replaces_bundled": true to replace it)'
                    )
                    continue
                notes.append(f"user pod template {quoted(template.id)} in {path} replaces the bundled template")
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
            "phase": item.phase.value if item.phase else None,
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
    from designer.io.atomic_write import atomic_write_bytes

    read_pod_document(pod_to_document(template))  # never write a template the reader would refuse
    target = folder or user_data_dir() / "pods"
    target.mkdir(parents=True, exist_ok=True)
    slug = "".join(ch if ch.isalnum() else "_" for ch in template.id.removeprefix("pod.")).strip("_") or "pod"
    path = target / f"{slug}.json"
    atomic_write_bytes(
        path, (json.dumps(pod_to_document(template), indent=2) + "\n").encode("utf-8"), keep_backup=False
    )
    return path
