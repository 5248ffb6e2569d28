"""The live workload-mix dashboard: what-if controls, charts, headline figures, comparison."""

from designer.ui.dashboard.dashboard import Dashboard
from designer.ui.dashboard.state import DashboardState

__all__ = ["Dashboard", "DashboardState"]
