"""Splitting a target among children in whole yuan (SPEC §8): largest-remainder rounding, so the
children always add up to the parent exactly and none is ever negative.

Pure functions, no database: the targets module calls them for region → teams → reps, period →
months, and for the rolling re-allocation of what is left after a month closed.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Sequence


def _whole(total) -> int:
    value = Fraction(total)
    if value < 0:
        raise ValueError("a target to split cannot be negative")
    if value.denominator != 1:
        raise ValueError("a target to split is a whole number of yuan")
    return int(value)


def split(total, weights: Sequence[float]) -> list[int]:
    """``total`` (whole yuan, ≥ 0) split among len(weights) children in proportion to their weights
    (a negative or missing weight counts as 0; all 0: equal shares). Each child gets the floor of its
    exact share and the yuan left over go one each to the largest remainders (ties: the earlier
    child). The parts are whole, never negative, and add up to ``total`` exactly."""
    total = _whole(total)
    n = len(weights)
    if n == 0:
        if total:
            raise ValueError("no children to split a target among")
        return []
    w = [Fraction(x) if x is not None and x == x and x > 0 else Fraction(0) for x in weights]
    if sum(w) == 0:
        w = [Fraction(1)] * n
    whole = sum(w)
    exact = [total * x / whole for x in w]
    parts = [int(e) for e in exact]  # floor (all ≥ 0)
    left = total - sum(parts)
    order = sorted(range(n), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def remaining(total, achieved: float) -> int:
    """What is left of a period's target after ``achieved`` (signed so far, rounded to whole yuan):
    never below 0."""
    return max(0, _whole(total) - int(round(max(float(achieved), 0.0))))


def reallocate(planned: Sequence[int], achieved: Sequence[float], weights: Sequence[float],
               months: int) -> list[list[int]]:
    """The rolling re-allocation of one team: reps with their period targets ``planned`` (whole
    yuan) and what each ``achieved`` in the closed months. What the team still has to sign,
    max(0, Σ planned − Σ achieved), is split among the reps by ``weights`` (their own gap plus their
    weighted pipeline, computed by the caller), then each rep's part over the ``months`` remaining
    months equally. Returns, per rep, the targets of the remaining months; they add up exactly to
    the team's remainder, none negative."""
    if len(planned) != len(achieved) or len(planned) != len(weights):
        raise ValueError("planned, achieved and weights differ in length")
    left = remaining(sum(_whole(p) for p in planned), sum(max(float(a), 0.0) for a in achieved))
    if months <= 0:
        if left and planned:
            raise ValueError("no months left to re-allocate to")
        return [[] for _ in planned]
    if not planned:
        return []
    return [split(part, [1] * months) for part in split(left, weights)]
