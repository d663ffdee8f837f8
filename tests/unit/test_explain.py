"""The one-sentence explanation of a red light (SPEC §5): the fewest groups, at most three, that
together hold at least half of the misses, with their share."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from core.base.query import holders


def test_one_group_holding_most_misses_is_enough():
    assert holders([("Alpha", 3), ("Beta", 1)]) == (("Alpha",), 0.75)


def test_exactly_half_is_enough():
    assert holders([("Alpha", 2), ("Beta", 1), ("Gamma", 1)]) == (("Alpha",), 0.5)


def test_takes_the_fewest_biggest_groups_until_half():
    groups = [("a", 2), ("b", 5), ("c", 1), ("d", 4), ("e", 3)]  # 15 misses
    names, share = holders(groups)
    assert names == ("b", "d")
    assert share == pytest.approx(9 / 15)


def test_stops_at_three_groups_even_below_half():
    groups = [(name, 1) for name in "abcdefghij"]  # 10 equal groups
    names, share = holders(groups)
    assert names == ("a", "b", "c")
    assert share == pytest.approx(0.3)


def test_ties_are_broken_by_name_so_the_sentence_is_stable():
    assert holders([("Zeta", 2), ("Beta", 2), ("Alpha", 2), ("Gamma", 2)]) == (("Alpha", "Beta"), 0.5)
    assert holders([("Beta", 2), ("Alpha", 2)]) == (("Alpha",), 0.5)


def test_no_misses_explain_nothing():
    assert holders([]) == ((), 0.0)
    assert holders([("Alpha", 0), ("Beta", 0)]) == ((), 0.0)


def test_one_group_holding_everything():
    assert holders([("Alpha", 7), ("Beta", 0), ("Gamma", 0)]) == (("Alpha",), 1.0)


def test_groups_without_misses_are_never_named():
    names, share = holders([("Alpha", 1), ("Beta", 0), ("Gamma", 0), ("Delta", 1), ("Eps", 1)],
                           share=0.9)
    assert names == ("Alpha", "Delta", "Eps")
    assert share == 1.0


def test_share_and_group_limit_are_arguments():
    groups = [("a", 4), ("b", 3), ("c", 2), ("d", 1)]
    assert holders(groups, share=0.7) == (("a", "b"), 0.7)
    assert holders(groups, share=1.0, max_groups=2) == (("a", "b"), 0.7)
    assert holders(groups, share=1.0, max_groups=4) == (("a", "b", "c", "d"), 1.0)


group_lists = st.lists(
    st.tuples(st.text(alphabet="abcdefgh", min_size=1, max_size=3), st.integers(0, 50)),
    max_size=12, unique_by=lambda g: g[0],
)


@given(group_lists)
def test_explain_picks_the_fewest_groups_holding_half(groups):
    names, share = holders(groups)
    counts = dict(groups)
    total = sum(counts.values())
    if total == 0:
        assert (names, share) == ((), 0.0)
        return
    ordered = sorted(counts.values(), reverse=True)
    assert 1 <= len(names) <= 3
    assert len(set(names)) == len(names)
    assert all(counts[n] > 0 for n in names)
    assert share == pytest.approx(sum(counts[n] for n in names) / total)
    # The picked groups are the biggest ones.
    assert sorted((counts[n] for n in names), reverse=True) == ordered[:len(names)]
    # Half is reached unless three groups were taken …
    assert share >= 0.5 or len(names) == 3
    # … and no smaller set of groups would have reached it.
    assert sum(ordered[:len(names) - 1]) < 0.5 * total
