"""Undo command of the runway's growth rule: the planned template copies added as one edit."""

from __future__ import annotations

from designer.analysis.growth import GrowthPlan
from designer.model.project import Project
from designer.ui.commands import AddItemsCommand


class ApplyGrowthCommand(AddItemsCommand):
    """Add every copy of a growth plan (pods with their in-service years, items, connections) in one
    step; undo removes them all."""

    def __init__(self, project: Project, plan: GrowthPlan) -> None:
        copies = len(plan.pods)
        super().__init__(
            project,
            [item for placed in plan.pods for item in placed.items],
            [link for placed in plan.pods for link in placed.connections],
            [placed.pod for placed in plan.pods],
            text=f"Apply growth: {copies} {'copy' if copies == 1 else 'copies'} of {plan.template_name}",
        )
