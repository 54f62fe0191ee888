"""The report's statistics (pure, for the worker process): 7-day reactivation of the treated
arm against the holdout (intention to treat: every member as assigned, reached or not), and
the claim rate of the treated arm, each with its interval."""

from __future__ import annotations

from core.statistics.proportions import Comparison, Proportion, compare, proportion


def campaign_stats(
    holdout_active: int, holdout: int, treated_active: int, treated: int, claims: int
) -> tuple[Comparison, Proportion]:
    return (
        compare(holdout_active, holdout, treated_active, treated),
        proportion(claims, treated),
    )
