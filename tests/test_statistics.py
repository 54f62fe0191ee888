"""The statistics module against hand-computed values and published ones.

Wilson intervals and Newcombe's interval of a difference (method 10 of Newcombe, "Interval
estimation for the difference between independent proportions", Statistics in Medicine 1998,
Table II; and his 1998 paper on single proportions, Table I) are what statsmodels computes
for `proportion_confint(method="wilson")` and `confint_proportions_2indep(method="newcomb")`:
these tables check that we call them right (arm order, difference B − A, alpha)."""

from __future__ import annotations

import math

import pytest

from core.statistics.before_after import Change, compare_windows
from core.statistics.proportions import Verdict, compare, more_needed, proportion

Z = 1.959963984540054  # the normal quantile for 95 %
Z_POWER = 0.8416212335729143  # ... for 80 % power


def wilson_by_hand(successes: int, trials: int) -> tuple[float, float]:
    p, n = successes / trials, trials
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return centre - half, centre + half


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),  # Newcombe 1998 (single proportion), Table I
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        (30, 100, *wilson_by_hand(30, 100)),
        (7, 9, *wilson_by_hand(7, 9)),
    ],
)
def test_a_rate_with_its_wilson_interval(
    successes: int, trials: int, low: float, high: float
) -> None:
    found = proportion(successes, trials)
    assert found.rate == pytest.approx(successes / trials)
    assert (found.low, found.high) == pytest.approx((low, high), abs=5e-5)
    assert proportion(0, 0) == proportion(0, 0)  # no trials: [0, 1], no error
    assert (proportion(0, 0).low, proportion(0, 0).high) == (0.0, 1.0)


def newcombe_by_hand(a: tuple[int, int], b: tuple[int, int]) -> tuple[float, float]:
    pa, pb = a[0] / a[1], b[0] / b[1]
    la, ua = wilson_by_hand(*a)
    lb, ub = wilson_by_hand(*b)
    d = pb - pa
    return d - math.sqrt((pb - lb) ** 2 + (ua - pa) ** 2), d + math.sqrt(
        (ub - pb) ** 2 + (pa - la) ** 2
    )


@pytest.mark.parametrize(
    ("b", "a", "low", "high"),
    [
        # Newcombe 1998, Table II, method 10: (first proportion) − (second): B − A here.
        ((56, 70), (48, 80), 0.0524, 0.3339),
        ((9, 10), (3, 10), 0.1705, 0.8090),
        ((6, 7), (2, 7), 0.0582, 0.8062),
        ((5, 56), (0, 29), -0.0381, 0.1926),
        ((0, 10), (0, 20), -0.1611, 0.2775),
        ((10, 10), (0, 20), 0.6791, 1.0000),
        ((30, 100), (20, 100), *newcombe_by_hand((20, 100), (30, 100))),
    ],
)
def test_the_difference_of_two_rates_with_newcombes_interval(
    b: tuple[int, int], a: tuple[int, int], low: float, high: float
) -> None:
    found = compare(a[0], a[1], b[0], b[1], min_trials=1, min_successes=0)
    assert found.difference == pytest.approx(b[0] / b[1] - a[0] / a[1])
    assert (found.low, found.high) == pytest.approx((low, high), abs=5e-5)
    assert found.confidence == pytest.approx(0.95)


def test_the_score_test_and_the_trials_needed_by_hand() -> None:
    found = compare(20, 100, 30, 100)
    # Score test (Miettinen-Nurminen): the pooled z, its variance times N / (N - 1).
    pooled = 50 / 200
    z = 0.1 / math.sqrt(pooled * (1 - pooled) * (1 / 100 + 1 / 100) * 200 / 199)
    assert found.p_value == pytest.approx(math.erfc(z / math.sqrt(2)), abs=1e-4)
    # Cohen's h, and the trials per arm for 80 % power: ((z_a/2 + z_b) / h)^2 x 2.
    h = 2 * math.asin(math.sqrt(0.3)) - 2 * math.asin(math.sqrt(0.2))
    per_arm = math.ceil(((Z + Z_POWER) / h) ** 2 * 2)
    assert per_arm == 292
    assert found.verdict is Verdict.UNCLEAR
    assert found.more_needed == (per_arm - 100) * 2 == 384


@pytest.mark.parametrize(
    ("a", "b", "verdict"),
    [
        ((20, 200), (50, 200), Verdict.B_BETTER),
        ((50, 200), (20, 200), Verdict.A_BETTER),
        ((20, 100), (30, 100), Verdict.UNCLEAR),
        ((40, 200), (40, 200), Verdict.UNCLEAR),
        ((5, 29), (20, 29), Verdict.NOT_ENOUGH_DATA),  # fewer than 30 in an arm
        ((1, 500), (2, 500), Verdict.NOT_ENOUGH_DATA),  # fewer than 5 successes in all
        ((0, 0), (3, 40), Verdict.NOT_ENOUGH_DATA),
    ],
)
def test_verdicts(a: tuple[int, int], b: tuple[int, int], verdict: Verdict) -> None:
    found = compare(*a, *b)
    assert found.verdict is verdict
    if verdict is Verdict.B_BETTER:
        assert found.low > 0 and found.more_needed is None
    if verdict is Verdict.A_BETTER:
        assert found.high < 0 and found.more_needed is None
    if verdict is Verdict.NOT_ENOUGH_DATA:
        assert found.p_value is None and found.more_needed is None
    if a == b:
        assert found.more_needed is None  # no difference to look for


def test_bad_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        proportion(5, 3)
    with pytest.raises(ValueError):
        compare(1, 10, -1, 10)
    assert more_needed(proportion(1, 10), proportion(1, 10)) is None


# ---- before and after a date ------------------------------------------------------------

# The worked example of docs/statistics.md: messages a day in a group for four weeks, then a
# week after a change (the first day after it is index 28), compared week against week.
EXAMPLE = [
    52, 48, 55, 50, 47, 30, 28,
    54, 50, 51, 49, 52, 33, 29,
    50, 53, 49, 55, 48, 31, 26,
    55, 49, 52, 50, 51, 29, 30,
    63, 60, 66, 58, 61, 40, 37,
]  # fmt: skip


def test_the_worked_example_of_the_docs() -> None:
    found = compare_windows(EXAMPLE, 28, 7)
    assert found.before == pytest.approx(316 / 7)  # 45.14 messages a day
    assert found.after == pytest.approx(385 / 7)  # 55.00
    assert found.change == pytest.approx(69 / 7)  # +9.86
    assert found.pairs == 15  # windows ending on day 13 … day 27, each against the one before
    history = [(sum(EXAMPLE[s : s + 7]) - sum(EXAMPLE[s - 7 : s])) / 7 for s in range(7, 22)]
    ordered = sorted(history)
    usual = ordered[7]
    assert found.usual_change == pytest.approx(usual)
    spread = 1.4826 * sorted(abs(h - usual) for h in history)[7]
    assert found.usual_spread == pytest.approx(spread)
    assert found.score == pytest.approx((69 / 7 - usual) / spread)
    assert found.verdict is Change.UP
    assert found.as_large_share == 0.0  # no ordinary week changed as much


def test_ordinary_weeks_are_no_clear_change_and_short_history_says_so() -> None:
    ordinary = EXAMPLE[:28] + [50, 52, 49, 54, 50, 30, 29]
    assert compare_windows(ordinary, 28, 7).verdict is Change.NO_CLEAR_CHANGE
    down = EXAMPLE[:28] + [30, 31, 28, 33, 30, 20, 18]
    assert compare_windows(down, 28, 7).verdict is Change.DOWN
    short = compare_windows(EXAMPLE[7:], 21, 7)  # 21 days before: 8 pairs < 14
    assert short.verdict is Change.NOT_ENOUGH_HISTORY and short.pairs == 8
    assert short.change == pytest.approx(69 / 7)  # the numbers are still given
    unfinished = compare_windows(EXAMPLE[:32], 28, 7)  # the week after is not over
    assert unfinished.verdict is Change.NOT_ENOUGH_HISTORY and unfinished.after is None
    gap = EXAMPLE[:10] + [None] + EXAMPLE[11:]  # a day without data: its windows are left out
    assert compare_windows(gap, 28, 7).pairs == 15 - 11  # the 11 pairs with day 10 in a window
    with pytest.raises(ValueError):
        compare_windows(EXAMPLE, 28, 0)
