"""The statistics of a post's A/B variants: pure, from counts, for the worker process.

Each variant's rate is 👍 / views with a Wilson interval; every other variant is compared with
the first (A): the difference of rates with Newcombe's interval and a verdict
(core.statistics.proportions), the comparisons' intervals widened (Bonferroni) when more than
two variants make more than one comparison. Imports only the statistics (statsmodels on first
use), so the worker loads nothing else; the counts come from core/schedule/post_results.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.statistics.proportions import ALPHA, Comparison, Proportion, compare, proportion


@dataclass(frozen=True, slots=True)
class VariantCounts:
    text: str  # as stored (HTML-escaped)
    sends: int
    votes: int
    views: int


@dataclass(frozen=True, slots=True)
class VariantResult:
    counts: VariantCounts
    rate: Proportion  # 👍 among views, 95 % interval


@dataclass(frozen=True, slots=True)
class ABResults:
    variants: tuple[VariantResult, ...]
    # (index of the variant, its comparison with the first), from the second variant on
    comparisons: tuple[tuple[int, Comparison], ...]
    comparison_confidence: float  # 0.95 with two variants; higher with more (Bonferroni)


def ab_results(counts: Sequence[VariantCounts], *, alpha: float = ALPHA) -> ABResults:
    if len(counts) < 2:
        raise ValueError("A/B results need two variants or more")
    comparison_alpha = alpha / (len(counts) - 1)
    results = tuple(VariantResult(c, proportion(c.votes, c.views, alpha=alpha)) for c in counts)
    first = counts[0]
    comparisons = tuple(
        (index, compare(first.votes, first.views, c.votes, c.views, alpha=comparison_alpha))
        for index, c in enumerate(counts)
        if index > 0
    )
    return ABResults(results, comparisons, 1 - comparison_alpha)
