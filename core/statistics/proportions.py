"""Rates with their uncertainty, and A against B, with statsmodels (imported on first use).

- `proportion`: a rate (successes of trials) with its Wilson score interval.
- `compare`: two rates, A and B (a post's variants, a campaign's holdout and treated arms):
  the difference B − A with Newcombe's interval (statsmodels'
  `confint_proportions_2indep`, method "newcomb": built from the two Wilson intervals, well
  behaved for small counts and rates near 0 or 1), the score test's p-value, and a verdict
  read from the interval: B does better (it lies above 0), A does better (below 0), or no
  clear difference yet — with about how many more trials would show a difference of the size
  seen (80 % power, two-sided, Cohen's h; an estimate, said as one). Below a minimum sample
  the verdict is "not enough data yet", whatever the numbers.

Pure functions of counts; statsmodels, scipy and numpy load on the first call. The bot runs
them in its worker process (bot/worker.py) so that they never load into the bot's memory.
See docs/statistics.md.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

ALPHA = 0.05
POWER = 0.8
MIN_TRIALS = 30  # per arm, below which no verdict is given
MIN_SUCCESSES = 5  # in both arms together


class Verdict(StrEnum):
    B_BETTER = "b_better"
    A_BETTER = "a_better"
    UNCLEAR = "unclear"  # no clear difference yet
    NOT_ENOUGH_DATA = "not_enough_data"


@dataclass(frozen=True, slots=True)
class Proportion:
    successes: int
    trials: int
    rate: float  # 0 when there are no trials
    low: float  # the interval's bounds (0-1)
    high: float


@dataclass(frozen=True, slots=True)
class Comparison:
    a: Proportion
    b: Proportion
    difference: float  # b.rate - a.rate
    low: float  # the interval of the difference
    high: float
    p_value: float | None  # the score test's; None when not computed (no data)
    verdict: Verdict
    # About how many more trials (both arms together, split evenly) would show a difference
    # of the size seen; None when there is no difference to look for, or it is already shown.
    more_needed: int | None
    confidence: float  # 0.95 for alpha 0.05


@contextmanager
def _quiet() -> Iterator[None]:
    """statsmodels also computes ratios it does not return (0 / 0 with no successes)."""
    import numpy as np

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def _check(successes: int, trials: int) -> None:
    if trials < 0 or successes < 0 or successes > trials:
        raise ValueError(f"{successes} successes of {trials} trials")


def proportion(successes: int, trials: int, *, alpha: float = ALPHA) -> Proportion:
    """A rate with its Wilson score interval ([0, 1] when there are no trials)."""
    _check(successes, trials)
    if trials == 0:
        return Proportion(0, 0, 0.0, 0.0, 1.0)
    from statsmodels.stats.proportion import proportion_confint

    with _quiet():
        low, high = proportion_confint(successes, trials, alpha=alpha, method="wilson")
    return Proportion(successes, trials, successes / trials, float(low), float(high))


def compare(
    a_successes: int,
    a_trials: int,
    b_successes: int,
    b_trials: int,
    *,
    alpha: float = ALPHA,
    power: float = POWER,
    min_trials: int = MIN_TRIALS,
    min_successes: int = MIN_SUCCESSES,
) -> Comparison:
    """B against A: the difference of their rates with its interval, and the verdict."""
    _check(a_successes, a_trials)
    _check(b_successes, b_trials)
    a = proportion(a_successes, a_trials, alpha=alpha)
    b = proportion(b_successes, b_trials, alpha=alpha)
    difference = b.rate - a.rate
    if min(a_trials, b_trials) < max(1, min_trials) or (a_successes + b_successes < min_successes):
        low, high = _difference_interval(a, b, alpha) if a_trials and b_trials else (-1.0, 1.0)
        return Comparison(
            a, b, difference, low, high, None, Verdict.NOT_ENOUGH_DATA, None, 1 - alpha
        )
    from statsmodels.stats.proportion import test_proportions_2indep

    low, high = _difference_interval(a, b, alpha)
    with _quiet():
        test = test_proportions_2indep(
            b_successes, b_trials, a_successes, a_trials, method="score", compare="diff"
        )
    p_value: float | None = float(test.pvalue)
    if p_value is not None and math.isnan(p_value):
        p_value = None
    if low > 0:
        verdict, more = Verdict.B_BETTER, None
    elif high < 0:
        verdict, more = Verdict.A_BETTER, None
    else:
        verdict, more = Verdict.UNCLEAR, more_needed(a, b, alpha=alpha, power=power)
    return Comparison(a, b, difference, low, high, p_value, verdict, more, 1 - alpha)


def _difference_interval(a: Proportion, b: Proportion, alpha: float) -> tuple[float, float]:
    from statsmodels.stats.proportion import confint_proportions_2indep

    with _quiet():
        low, high = confint_proportions_2indep(
            b.successes,
            b.trials,
            a.successes,
            a.trials,
            method="newcomb",
            compare="diff",
            alpha=alpha,
        )
    return float(low), float(high)


MAX_MORE = 10_000_000  # beyond this "more responses" means: a difference too small to matter


def more_needed(
    a: Proportion, b: Proportion, *, alpha: float = ALPHA, power: float = POWER
) -> int | None:
    """More trials (both arms, split evenly) for a two-sided test at `alpha` to detect the
    difference seen with the given power: an estimate from the observed rates (Cohen's h).
    None when the rates are equal (nothing to detect) or the need is beyond MAX_MORE."""
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    effect = abs(float(proportion_effectsize(b.rate, a.rate)))
    if effect < 1e-9:
        return None
    with _quiet():
        per_arm = NormalIndPower().solve_power(
            effect_size=effect, alpha=alpha, power=power, ratio=1.0, alternative="two-sided"
        )
    per_arm = math.ceil(float(per_arm))
    more = max(0, per_arm - a.trials) + max(0, per_arm - b.trials)
    if more > MAX_MORE:
        return None
    return more if more > 0 else None
