"""Allocation in whole yuan (SPEC §8): hand-made cases and the property that no split or
re-allocation ever changes the total or gives a negative target."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.people.allocation import reallocate, remaining, split


def test_split_by_weight_sums_exactly_with_largest_remainders():
    # 1,000,000 by 1 : 1 : 1 → 333,333.33 each; the one yuan left goes to the first (ties: earlier)
    assert split(1_000_000, [1, 1, 1]) == [333_334, 333_333, 333_333]
    # 100 by 0.6 : 1.8 : 1.0 → 17.647 / 52.941 / 29.411: floors 17 + 52 + 29 = 98, remainders .647 .941 .411
    assert split(100, [0.6, 1.8, 1.0]) == [18, 53, 29]
    assert split(10, [0, 0]) == [5, 5]                # no basis at all: equal shares
    assert split(7, [3, -2, None]) == [7, 0, 0]       # negative and missing weights count as 0
    assert split(0, [1, 2]) == [0, 0]
    assert split(12, [1] * 12) == [1] * 12


def test_split_refuses_what_cannot_be_split():
    with pytest.raises(ValueError):
        split(-1, [1])
    with pytest.raises(ValueError):
        split(10.5, [1])
    with pytest.raises(ValueError):
        split(10, [])
    assert split(0, []) == []


def test_reallocation_from_known_actuals():
    # a team of two reps planned 600,000 and 400,000 for the quarter; after the first month the first
    # signed 250,000 and the second 50,000: 700,000 is left for the team. Weights (gap + pipeline):
    # rep 1 350,000 + 50,000, rep 2 350,000 + 250,000 → 280,000 and 420,000, each over two months.
    result = reallocate([600_000, 400_000], [250_000, 50_000], [400_000, 600_000], months=2)
    assert result == [[140_000, 140_000], [210_000, 210_000]]
    # signed more than planned: nothing left, no negative target
    assert reallocate([100, 100], [150, 90], [1, 1], months=3) == [[0, 0, 0], [0, 0, 0]]
    assert remaining(1000, 999.6) == 0 and remaining(1000, 1.4) == 999


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**11), st.lists(st.one_of(st.none(), st.floats(-10, 1e9), st.just(float("nan"))), min_size=1,
                                         max_size=40))
def test_split_never_changes_the_total_nor_goes_negative(total, weights):
    parts = split(total, weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)
    assert all(isinstance(p, int) and p >= 0 for p in parts)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10**10), st.floats(0, 2e10), st.floats(0, 1e10)), min_size=1, max_size=20),
       st.integers(1, 12))
def test_reallocation_keeps_what_is_left_and_never_goes_negative(reps, months):
    planned, achieved, weights = (list(x) for x in zip(*reps))
    result = reallocate(planned, achieved, weights, months)
    assert sum(sum(r) for r in result) == max(0, sum(planned) - round(sum(achieved)))
    assert all(len(r) == months and all(x >= 0 for x in r) for r in result)
