"""Reading catalog files (``resources/catalog/*.json`` and the user's folder) into CatalogEntry values."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from designer.io.economics_io import (
    read_token_throughput,
    read_unit_cost,
    token_throughput_to_dict,
    unit_cost_to_dict,
)
from designer.io.errors import CatalogFileError, FileFormatError
from designer.io.physical_rules import check_entry
from designer.io.reader import Node
from designer.io.resources import resources_dir, user_data_dir
from designer.io.safe_read import quoted, read_json_file
from designer.model.catalog import Catalog, CatalogEntry, LossModel, ParameterValue
from designer.model.limits import MAX_LOSS_FRACTION
from designer.model.types import Confidence, CoolingMedium, ItemKind, Role, WorkloadClass

CATALOG_FORMAT = "dc-designer-catalog"
CATALOG_SCHEMA_VERSION = 1
MAX_CATALOG_BYTES = 8 * 1024 * 1024

ENTRY_FIELDS = frozenset(
    {
        "id",
        "kind",
        "role",
        "name",
        "manufacturer",
        "width_mm",
        "depth_mm",
        "height_mm",
        "weight_kg",
        "capacity_kw",
        "capacity_range_kw",
        "workload",
        "liquid_fraction",
        "liquid_fraction_range",
        "medium",
        "loss",
        "parameters",
        "source",
        "confidence",
        "notes",
        "unit_cost",
        "token_throughput",
    }
)
USER_ENTRY_FIELDS = ENTRY_FIELDS | {"replaces_bundled"}
"""A catalog file may mark an entry as the replacement of a bundled one; a project's entries may not."""


def read_entry(node: Node, *, in_catalog_file: bool = False) -> CatalogEntry:
    """One catalog entry from its JSON object; raises with the path of the first bad field."""
    node.reject_unknown(USER_ENTRY_FIELDS if in_catalog_file else ENTRY_FIELDS)
    kind = node.child("kind").choice(ItemKind)
    loss = None
    loss_node = node.optional("loss")
    if loss_node is not None:
        loss_node.reject_unknown(frozenset({"fixed", "proportional", "square"}))
        loss = LossModel(
            fixed_fraction=_opt_number(loss_node, "fixed", 0.0, maximum=MAX_LOSS_FRACTION),
            proportional_fraction=_opt_number(loss_node, "proportional", 0.0, maximum=MAX_LOSS_FRACTION),
            square_fraction=_opt_number(loss_node, "square", 0.0, maximum=MAX_LOSS_FRACTION),
        )
    parameters: dict[str, ParameterValue] = {}
    parameters_node = node.optional("parameters")
    if parameters_node is not None:
        for key, value in parameters_node.as_object().items():
            child = parameters_node._at(value, "." + key)
            if isinstance(value, bool):
                parameters[key] = value
            elif isinstance(value, str):
                parameters[key] = child.string(max_chars=500)
            else:
                parameters[key] = child.number()
    liquid_fraction = _opt_number(node, "liquid_fraction", 0.0, maximum=1.0)
    workload_node = node.optional("workload")
    medium_node = node.optional("medium")
    range_node = node.optional("capacity_range_kw")
    lf_range_node = node.optional("liquid_fraction_range")
    replaces = node.optional("replaces_bundled")
    if replaces is not None:
        replaces.boolean()
    cost_node = node.optional("unit_cost")
    throughput_node = node.optional("token_throughput")
    entry = CatalogEntry(
        id=node.child("id").identifier(),
        kind=kind,
        role=node.child("role").choice(Role),
        name=node.child("name").string(allow_empty=False, max_chars=300),
        manufacturer=node.optional("manufacturer").string() if node.optional("manufacturer") else "",  # type: ignore[union-attr]
        width_mm=node.child("width_mm").number(minimum=0, maximum=200_000),
        depth_mm=node.child("depth_mm").number(minimum=0, maximum=200_000),
        height_mm=_opt_number(node, "height_mm", 0.0, maximum=50_000),
        weight_kg=_opt_number(node, "weight_kg", 0.0, maximum=1_000_000),
        capacity_kw=_opt_number(node, "capacity_kw", 0.0, maximum=1_000_000),
        capacity_range_kw=range_node.pair() if range_node else None,
        workload=workload_node.choice(WorkloadClass) if workload_node else None,
        liquid_fraction=liquid_fraction,
        liquid_fraction_range=lf_range_node.pair() if lf_range_node else None,
        medium=medium_node.choice(CoolingMedium) if medium_node else None,
        loss=loss,
        parameters=parameters,
        source=node.child("source").string(allow_empty=False),
        confidence=node.child("confidence").choice(Confidence),
        notes=node.optional("notes").string() if node.optional("notes") else "",  # type: ignore[union-attr]
        unit_cost=read_unit_cost(cost_node) if cost_node is not None else None,
        token_throughput=read_token_throughput(throughput_node) if throughput_node is not None else None,
    )
    if entry.token_throughput is not None and not entry.is_rack:
        raise node.child("token_throughput").fail("only racks have a token throughput")
    check_entry(node, entry)
    return entry


def _opt_number(node: Node, key: str, default: float, *, maximum: float) -> float:
    child = node.optional(key)
    return default if child is None else child.number(minimum=0, maximum=maximum)


def read_catalog_document(document: object, *, file: str | Path | None = None) -> list[CatalogEntry]:
    root = Node(document, "$", CatalogFileError)
    try:
        if root.child("format").string() != CATALOG_FORMAT:
            raise root.child("format").fail(f"expected {CATALOG_FORMAT!r}")
        version = root.child("schema_version").integer()
        if version != CATALOG_SCHEMA_VERSION:
            raise root.child("schema_version").fail(
                f"catalog schema version {version} is not supported (this version reads {CATALOG_SCHEMA_VERSION})"
            )
        entries = [
            read_entry(entry, in_catalog_file=True) for entry in root.child("entries").elements(max_count=100_000)
        ]
    except FileFormatError as error:
        raise CatalogFileError(error.problem, json_path=error.json_path, file=file) from None
    return entries


def read_catalog_file(path: Path) -> list[CatalogEntry]:
    """The entries of one catalog file: a regular file, strict UTF-8 JSON, every entry checked."""
    return read_catalog_document(_parse_file(path), file=path)


def _parse_file(path: Path) -> object:
    return read_json_file(path, max_bytes=MAX_CATALOG_BYTES, error_type=CatalogFileError)


def catalog_files(folder: Path) -> list[Path]:
    try:
        return sorted(folder.glob("*.json")) if folder.is_dir() else []
    except OSError:  # an unreadable folder holds nothing we can use
        return []


def read_user_entries(
    folders: Iterable[Path], bundled_ids: set[str], warnings: list[str] | None = None
) -> list[CatalogEntry]:
    """The entries of the user's catalog files, each bad file skipped with a line in ``warnings``.

    An entry with a bundled id is used only when it says ``"replaces_bundled": true``.
    """
    notes: list[str] = [] if warnings is None else warnings
    chosen: dict[str, tuple[CatalogEntry, Path]] = {}
    for folder in folders:
        for path in catalog_files(folder):
            try:
                document = _parse_file(path)
                entries = read_catalog_document(document, file=path)
            except FileFormatError as error:
                notes.append(f"user catalog file skipped: {error.one_line()}")
                continue
            raw_entries = document["entries"]  # type: ignore[index]
            for index, entry in enumerate(entries):
                replaces = raw_entries[index].get("replaces_bundled") is True
                if entry.id in bundled_ids and not replaces:
                    notes.append(
                        f"user catalog entry {quoted(entry.id)} in {path} skipped: a bundled entry has that id"
                        ' (add "replaces_bundled": true to replace it)'
                    )
                    continue
                if entry.id in chosen:
                    notes.append(
                        f"user catalog entry {quoted(entry.id)} is defined in {chosen[entry.id][1]} and {path}:"
                        f" the one in {path} is used"
                    )
                elif entry.id in bundled_ids:
                    notes.append(f"user catalog entry {quoted(entry.id)} in {path} replaces the bundled entry")
                chosen[entry.id] = (entry, path)
    return [entry for entry, _path in chosen.values()]


def load_catalog(
    extra_folders: Iterable[Path] = (), *, include_user: bool = True, warnings: list[str] | None = None
) -> Catalog:
    """The bundled catalog, then the user folder's ``catalog/`` entries.

    A bad bundled file raises (the installation is broken). A bad file in the user's folder (or in
    ``extra_folders``) is skipped and described in ``warnings``, so one broken file cannot stop
    every command. A user entry replaces a bundled one only when it says ``"replaces_bundled": true``;
    that replacement is described in ``warnings`` too, so it is never silent.
    """
    bundled: list[CatalogEntry] = []
    for path in catalog_files(resources_dir() / "catalog"):
        bundled.extend(read_catalog_file(path))
    folders = [user_data_dir() / "catalog"] if include_user else []
    folders.extend(extra_folders)
    user_entries = read_user_entries(folders, {entry.id for entry in bundled}, warnings)
    return Catalog([*bundled, *user_entries])


def entry_to_dict(entry: CatalogEntry) -> dict[str, object]:
    """The JSON form of an entry (used when a project carries its own entries)."""
    data: dict[str, object] = {
        "id": entry.id,
        "kind": entry.kind.value,
        "role": entry.role.value,
        "name": entry.name,
        "width_mm": entry.width_mm,
        "depth_mm": entry.depth_mm,
        "source": entry.source,
        "confidence": entry.confidence.value,
    }
    optional: dict[str, object] = {
        "manufacturer": entry.manufacturer or None,
        "height_mm": entry.height_mm or None,
        "weight_kg": entry.weight_kg or None,
        "capacity_kw": entry.capacity_kw or None,
        "capacity_range_kw": list(entry.capacity_range_kw) if entry.capacity_range_kw else None,
        "workload": entry.workload.value if entry.workload else None,
        "liquid_fraction": entry.liquid_fraction or None,
        "liquid_fraction_range": list(entry.liquid_fraction_range) if entry.liquid_fraction_range else None,
        "medium": entry.medium.value if entry.medium else None,
        "loss": {
            "fixed": entry.loss.fixed_fraction,
            "proportional": entry.loss.proportional_fraction,
            "square": entry.loss.square_fraction,
        }
        if entry.loss
        else None,
        "parameters": dict(entry.parameters) or None,
        "notes": entry.notes or None,
        "unit_cost": unit_cost_to_dict(entry.unit_cost) if entry.unit_cost else None,
        "token_throughput": token_throughput_to_dict(entry.token_throughput) if entry.token_throughput else None,
    }
    data.update({key: value for key, value in optional.items() if value is not None})
    return data
