"""Analysis of a design: topology checks, loads and losses, capacity, single failures, facility power.

Imports only ``designer.model`` (plus numpy, scipy and networkx); never Qt. Results are immutable.
"""

from designer.analysis.capacity import RESOURCES, StrandedCapacity
from designer.analysis.engine import Analyzer, analyze
from designer.analysis.findings import Finding
from designer.analysis.report_json import results_to_json, summarize
from designer.analysis.results import FailureRecord, GroupVerdict, Results
from designer.analysis.sweep import SweepResult, sweep
from designer.analysis.topology import Topology, build_topology

__all__ = [
    "RESOURCES",
    "Analyzer",
    "FailureRecord",
    "Finding",
    "GroupVerdict",
    "Results",
    "StrandedCapacity",
    "SweepResult",
    "Topology",
    "analyze",
    "build_topology",
    "results_to_json",
    "summarize",
    "sweep",
]
