"""Rack IT load: design kW times the hourly utilisation of the rack's workload class.

A rack's design kW is its override or the catalog ``capacity_kw`` (its weight likewise); its workload
class the override or the catalog default (``general`` when neither says). ``ai`` racks follow the scenario: at
inference share ``s`` their utilisation is ``(1 - s) * training + s * inference`` and their design
kW is multiplied by the scenario year's ``ai_density_factor``.

Every rack load is linear in a few per-class utilisation curves, so loads are kept as
``coefficient[rack] * utilisation[class[rack], column]``; a column is an hour, or an (share, hour)
pair in a sweep.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter

import numpy as np
from numpy.typing import NDArray

from designer.model.catalog import CatalogEntry
from designer.model.records import Hall, PlacedItem
from designer.model.types import WorkloadClass

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

WORKLOAD_CLASSES: tuple[WorkloadClass, ...] = tuple(WorkloadClass)
"""Row order of utilisation matrices."""
CLASS_INDEX: dict[WorkloadClass, int] = {w: i for i, w in enumerate(WORKLOAD_CLASSES)}
CLASS_BY_VALUE: dict[str, int] = {w.value: i for i, w in enumerate(WORKLOAD_CLASSES)}
AI_INDEX = CLASS_INDEX[WorkloadClass.AI]


@dataclass(frozen=True, slots=True)
class RackTable:
    """Per-rack inputs of the load model, one row per rack in ``ids`` order."""

    ids: tuple[str, ...]
    design_kw: FloatArray
    """Design kW before the AI density factor."""
    workload: IntArray
    """Index into WORKLOAD_CLASSES."""
    liquid_fraction: FloatArray
    weight_kg: FloatArray
    footprint_m2: FloatArray
    floor_rating_kg_m2: FloatArray
    hall_ids: tuple[str, ...]
    pod_ids: tuple[str | None, ...]

    @property
    def is_ai(self) -> BoolArray:
        return np.asarray(self.workload == AI_INDEX)

    def coefficient_kw(self, ai_density_factor: float) -> FloatArray:
        """Design kW with the AI density factor applied to ``ai`` racks."""
        return np.where(self.is_ai, self.design_kw * ai_density_factor, self.design_kw)

    @property
    def floor_kg_m2(self) -> FloatArray:
        """Weight over footprint; 0 for racks with no footprint."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.footprint_m2 > 0, self.weight_kg / np.maximum(self.footprint_m2, 1e-12), 0.0)


def rack_row(
    item: PlacedItem, entry: CatalogEntry, halls: Mapping[str, Hall]
) -> tuple[float, int, float, float, float, float]:
    """(design kW, class index, liquid fraction, weight kg, footprint m², hall floor rating) of one rack."""
    design = entry.capacity_kw if item.design_kw is None else item.design_kw
    workload = item.workload or entry.workload or WorkloadClass.GENERAL
    fraction = entry.liquid_fraction if item.liquid_fraction is None else item.liquid_fraction
    hall = halls.get(item.hall_id)
    rating = hall.floor_rating_kg_m2 if hall is not None else float("inf")
    weight = entry.weight_kg if item.weight_kg is None else item.weight_kg
    return (max(design, 0.0), CLASS_INDEX[workload], min(max(fraction, 0.0), 1.0), weight, entry.footprint_m2, rating)


def build_rack_table(
    items: Sequence[PlacedItem], entries: Mapping[str, CatalogEntry], halls: Mapping[str, Hall]
) -> RackTable:
    """The rack table of ``items`` (all racks), with entries looked up by item id.

    Same figures as ``rack_row`` per rack, read with one pass per field: catalog defaults come
    from the entries, the overrides (None where absent) replace them.
    """
    n = len(items)
    ids = tuple(map(attrgetter("id"), items))
    rack_entries = list(map(entries.__getitem__, ids))
    # the catalog figures are read once per distinct entry object (the racks of an entry share it),
    # the entries in order of their first rack
    _, first_of, entry_of = np.unique(np.fromiter(map(id, rack_entries), np.int64, n), return_index=True,
                                      return_inverse=True)
    by_appearance = np.argsort(first_of)
    rank = np.empty_like(by_appearance)
    rank[by_appearance] = np.arange(by_appearance.size)
    distinct = [rack_entries[i] for i in first_of[by_appearance].tolist()]
    entry_of = rank[entry_of.reshape(n)]

    def floats(values: Iterable[float | None]) -> FloatArray:
        return np.array(list(values), dtype=np.float64).reshape(n)  # None -> nan

    def entry_floats(name: str) -> FloatArray:
        return np.fromiter(map(attrgetter(name), distinct), np.float64, len(distinct))[entry_of]

    design = floats(map(attrgetter("design_kw"), items))
    design = np.maximum(np.where(np.isnan(design), entry_floats("capacity_kw"), design), 0.0)
    fraction = floats(map(attrgetter("liquid_fraction"), items))
    fraction = np.minimum(np.maximum(np.where(np.isnan(fraction), entry_floats("liquid_fraction"), fraction), 0.0),
                          1.0)
    own_workloads = list(map(attrgetter("workload"), items))
    if any(own_workloads):
        workload = np.fromiter((CLASS_BY_VALUE[(w or e.workload or WorkloadClass.GENERAL)._value_]
                                for w, e in zip(own_workloads, rack_entries, strict=True)), np.int64, n)
    else:  # no rack overrides its class: the entries' classes
        workload = np.fromiter((CLASS_BY_VALUE[(e.workload or WorkloadClass.GENERAL)._value_] for e in distinct),
                               np.int64, len(distinct))[entry_of]
    hall_ids = tuple(map(attrgetter("hall_id"), items))
    ratings = {hall_id: hall.floor_rating_kg_m2 for hall_id, hall in halls.items()}
    return RackTable(
        ids=ids,
        design_kw=design,
        workload=workload,
        liquid_fraction=fraction,
        weight_kg=np.where(np.isnan(weight := floats(map(attrgetter("weight_kg"), items))),
                           entry_floats("weight_kg"), weight),
        footprint_m2=_footprints(distinct)[entry_of],
        floor_rating_kg_m2=np.fromiter(map(ratings.get, hall_ids, repeat(float("inf"))), np.float64, n),
        hall_ids=hall_ids,
        pod_ids=tuple(map(attrgetter("pod_id"), items)),
    )


def _footprints(distinct: list[CatalogEntry]) -> FloatArray:
    """Footprint m² of each entry (in order of first rack): the first entry object of each catalog id
    sets that id's (racks re-rated by an override carry their own copy of the entry)."""
    by_id: dict[str, float] = {}
    for entry in distinct:
        by_id.setdefault(entry.id, entry.footprint_m2)
    return np.fromiter(map(by_id.__getitem__, map(attrgetter("id"), distinct)), np.float64, len(distinct))


def utilisation_matrix(
    profiles: Mapping[WorkloadClass, FloatArray], inference_shares: FloatArray | float
) -> FloatArray:
    """(classes, columns) utilisation; columns are the 24 hours, or share-major (share, hour) pairs.

    ``profiles`` holds the 24-hour curves (fraction of design kW) of every class but ``ai``, which is
    mixed here from training and inference for each share.
    """
    shares = np.atleast_1d(np.asarray(inference_shares, dtype=np.float64))
    hours = len(next(iter(profiles.values())))
    out = np.zeros((len(WORKLOAD_CLASSES), shares.size * hours))
    for workload, row in CLASS_INDEX.items():
        if workload is not WorkloadClass.AI:
            out[row] = np.tile(np.asarray(profiles[workload], dtype=np.float64), shares.size)
    training = np.asarray(profiles[WorkloadClass.TRAINING], dtype=np.float64)
    inference = np.asarray(profiles[WorkloadClass.INFERENCE], dtype=np.float64)
    out[AI_INDEX] = ((1.0 - shares)[:, None] * training[None, :] + shares[:, None] * inference[None, :]).ravel()
    return out


def rack_it_kw(table: RackTable, utilisation: FloatArray, ai_density_factor: float = 1.0) -> FloatArray:
    """(racks, columns) IT kW: coefficient times the utilisation of the rack's class."""
    return np.asarray(table.coefficient_kw(ai_density_factor)[:, None] * utilisation[table.workload], dtype=np.float64)


IT_LAYERS: tuple[WorkloadClass, ...] = (
    WorkloadClass.TRAINING,
    WorkloadClass.INFERENCE,
    WorkloadClass.GENERAL,
    WorkloadClass.STORAGE,
    WorkloadClass.NETWORK,
)
"""Layers of the day profile; ``ai`` racks count as training and inference by the inference share."""


def it_layers_kw(
    table: RackTable, profiles: Mapping[WorkloadClass, FloatArray], share: float, ai_density_factor: float,
    served: BoolArray | None = None, coefficient: FloatArray | None = None,
) -> tuple[FloatArray, float]:
    """((len(IT_LAYERS), 24) IT kW per layer, design kW of the ``ai`` racks with the density factor).

    The layers sum to the total IT of :func:`rack_it_kw` at ``share``: an ``ai`` rack's
    ``(1 - s) * training + s * inference`` utilisation goes to the two layers by its two terms.
    Racks not ``served`` (``analysis.service``) draw nothing and are left out. ``coefficient``: the
    racks' design kW with the density factor times ``served``, when the caller keeps it (the
    analyzer's kept day does): ``served`` is then not read.
    """
    util = utilisation_matrix(profiles, share)
    if coefficient is None:
        coefficient = table.coefficient_kw(ai_density_factor)
        if served is not None:
            coefficient = coefficient * served
    by_class = np.bincount(table.workload, weights=coefficient, minlength=util.shape[0])
    ai = float(by_class[AI_INDEX])
    training = np.asarray(profiles[WorkloadClass.TRAINING], dtype=np.float64)
    inference = np.asarray(profiles[WorkloadClass.INFERENCE], dtype=np.float64)
    layers = np.vstack([by_class[CLASS_INDEX[w]] * util[CLASS_INDEX[w]] for w in IT_LAYERS])
    layers[IT_LAYERS.index(WorkloadClass.TRAINING)] += ai * (1.0 - share) * training
    layers[IT_LAYERS.index(WorkloadClass.INFERENCE)] += ai * share * inference
    return layers, ai
