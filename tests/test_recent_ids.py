"""The ids of updates handled lately: a bounded window, kept as ranges of consecutive ids."""

from __future__ import annotations

import random

from bot.intake import RecentIds


def test_consecutive_ids_are_one_range_and_the_lowest_go_first() -> None:
    recent = RecentIds(size=1_000)
    for update_id in range(10_000, 12_500):
        recent.add(update_id)
    assert len(recent) == 1_000 and recent.ranges() == 1
    assert 11_499 not in recent and 11_500 in recent and 12_499 in recent
    assert 12_500 not in recent and "11_600" not in recent


def test_out_of_order_and_repeated_ids_against_a_plain_set() -> None:
    rng = random.Random(7)
    ids = list(range(1, 5_001))
    for start in range(0, len(ids), 100):  # lanes finish out of order within a batch
        chunk = ids[start : start + 100]
        rng.shuffle(chunk)
        ids[start : start + 100] = chunk
    recent, seen = RecentIds(size=10_000), set()
    for update_id in ids + ids[:300]:  # copies delivered again change nothing
        recent.add(update_id)
        seen.add(update_id)
        assert update_id in recent
    assert len(recent) == len(seen) == 5_000 and recent.ranges() == 1
    assert all(i in recent for i in seen) and 0 not in recent and 5_001 not in recent


def test_gaps_stay_separate_ranges_and_the_window_is_bounded() -> None:
    recent = RecentIds(size=50)
    for update_id in range(0, 200, 2):  # every other id
        recent.add(update_id)
    assert len(recent) == 50 and recent.ranges() == 50
    assert 98 not in recent and 100 in recent and 101 not in recent and 198 in recent
    recent.add(101)  # joins 100 and 102 into one range; the lowest id goes
    assert 100 not in recent and 101 in recent and 102 in recent
    assert len(recent) == 50 and recent.ranges() == 49
    recent.add(199)  # joins 198's range; 101 goes
    assert 101 not in recent and 102 in recent and 199 in recent
    assert len(recent) == 50 and recent.ranges() == 49
