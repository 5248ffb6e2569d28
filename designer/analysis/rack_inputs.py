"""The racks' own fields for the rack table, read from the project's columns with the graph build.

``loads.build_rack_table`` reads each field from the rack records, one pass per field over 50,000 racks;
a fresh build reads the same fields from ``Project.columns`` (``designer.model.columns``) with the
topology (``RackInputs``), and ``rack_table`` gives the same table from them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from designer.analysis.loads import CLASS_BY_VALUE, BoolArray, FloatArray, IntArray, RackTable
from designer.model.catalog import CatalogEntry
from designer.model.columns import WORKLOADS, ProjectColumns
from designer.model.records import Hall
from designer.model.types import WorkloadClass


@dataclass(frozen=True, slots=True)
class RackInputs:
    """The racks' fields the rack table reads, in ``Topology.rack_ids`` order (from ``Project.columns``)."""

    entries: tuple[CatalogEntry, ...]
    """Each rack's catalog entry (racks take no rating override: the catalog's own)."""
    entry_of: IntArray
    """Index of each rack's entry in ``entries``."""
    design_kw: FloatArray
    """Overrides; nan where none (likewise the next two)."""
    liquid_fraction: FloatArray
    weight_kg: FloatArray
    workload: IntArray
    """Index of the rack's workload override into ``designer.model.columns.WORKLOADS``; -1 where none."""
    hall_ids: tuple[str, ...]
    hall: IntArray
    """Index of each rack's hall id in ``hall_ids``."""
    pod_ids: tuple[str | None, ...]
    pod: IntArray
    """Index of each rack's pod id in ``pod_ids`` (whose last is None: no pod)."""


def rack_inputs(columns: ProjectColumns, is_rack: BoolArray, catalog_code: IntArray,
                code_entries: Sequence[CatalogEntry | None], design_kw: FloatArray,
                liquid_fraction: FloatArray) -> RackInputs:
    """The racks' inputs from the columns; ``is_rack`` and the rest are per live item (in item order):
    which are racks, catalog code, entry by code, ``design_kw`` and ``liquid_fraction`` overrides."""
    alive = np.frombuffer(columns.item_alive, dtype=np.int8) != 0
    slots = np.flatnonzero(alive)[is_rack]
    codes, entry_of = np.unique(catalog_code[is_rack], return_inverse=True)
    entries = tuple(entry for entry in map(code_entries.__getitem__, codes.tolist()) if entry is not None)
    if len(entries) != codes.size:
        raise ValueError("a rack of unknown catalog entry")  # racks are known by their entry's role
    return RackInputs(
        entries=entries,
        entry_of=entry_of.reshape(-1),
        design_kw=design_kw[is_rack],
        liquid_fraction=liquid_fraction[is_rack],
        weight_kg=np.frombuffer(columns.item_weight_kg, dtype=np.float64)[slots],
        workload=np.frombuffer(columns.item_workload, dtype=np.int8)[slots].astype(np.int64),
        hall_ids=tuple(columns.hall_ids),
        hall=np.frombuffer(columns.item_hall, dtype=np.int64)[slots],
        pod_ids=(*columns.pod_ids, None),
        pod=np.frombuffer(columns.item_pod, dtype=np.int64)[slots],
    )


_CLASS_OF_WORKLOAD = np.array([CLASS_BY_VALUE[w.value] for w in WORKLOADS], dtype=np.int64)


def rack_table(rack_ids: tuple[str, ...], inputs: RackInputs, halls: Mapping[str, Hall]) -> RackTable:
    """The racks' table (``rack_ids``, with their ``inputs``): the figures of ``loads.build_rack_table``,
    read from arrays instead of one pass per field over the rack records."""
    entries, entry_of = inputs.entries, inputs.entry_of

    def entry_floats(values: Iterable[float]) -> FloatArray:
        return np.fromiter(values, np.float64, len(entries))[entry_of]

    def own_or(own: FloatArray, default: FloatArray) -> FloatArray:
        return np.where(np.isnan(own), default, own)

    default_class = np.array([CLASS_BY_VALUE[(e.workload or WorkloadClass.GENERAL).value] for e in entries],
                             dtype=np.int64)
    own_class = _CLASS_OF_WORKLOAD[np.maximum(inputs.workload, 0)]
    # footprints: the first entry object of each catalog id sets that id's (``loads._footprints``)
    footprint_by_id: dict[str, float] = {}
    for entry in entries:
        footprint_by_id.setdefault(entry.id, entry.footprint_m2)
    ratings = np.array([hall.floor_rating_kg_m2 if (hall := halls.get(h)) is not None else np.inf
                        for h in inputs.hall_ids], dtype=np.float64)
    hall_names = np.empty(len(inputs.hall_ids), dtype=object)
    hall_names[:] = inputs.hall_ids
    pod_names = np.empty(len(inputs.pod_ids), dtype=object)
    pod_names[:] = inputs.pod_ids
    return RackTable(
        ids=rack_ids,
        design_kw=np.maximum(own_or(inputs.design_kw, entry_floats(e.capacity_kw for e in entries)), 0.0),
        workload=np.where(inputs.workload >= 0, own_class, default_class[entry_of]),
        liquid_fraction=np.minimum(np.maximum(own_or(inputs.liquid_fraction,
                                                     entry_floats(e.liquid_fraction for e in entries)), 0.0), 1.0),
        weight_kg=own_or(inputs.weight_kg, entry_floats(e.weight_kg for e in entries)),
        footprint_m2=entry_floats(footprint_by_id[e.id] for e in entries),
        floor_rating_kg_m2=ratings[inputs.hall] if ratings.size else np.full(len(rack_ids), np.inf),
        hall_ids=tuple(hall_names[inputs.hall].tolist()),
        pod_ids=tuple(pod_names[inputs.pod].tolist()),
    )
