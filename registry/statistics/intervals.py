"""Distribution-free 95 % confidence intervals of a median or percentile, from order statistics.

Whatever the distribution, the number of values below its q-quantile in a sample of n is Binomial(n, q). So
the interval [x_(r), x_(s)] between the r-th and s-th smallest values (1-based) covers the quantile with
probability P(r <= B < s), B ~ Binomial(n, q) (Conover, Practical Nonparametric Statistics, 3rd ed., 3.2;
the method of ISO 16269-7 for the median). We take equal tails: r is the largest rank with P(B < r) <= 2.5 %
and s the smallest with P(B >= s) <= 2.5 %, so the coverage is at least 95 % (exact, not asymptotic). When
no rank is far enough out (the median of 5 values or fewer, the 75th percentile of 12 or fewer) that bound
is open: None, never a made-up number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

CONFIDENCE = 0.95
# Binomial mass beyond 10 standard deviations (< 1e-22) cannot move a 2.5 % tail: the sums start there.
_SPREAD = 10.0


@dataclass(frozen=True)
class Interval:
    """A confidence interval; a bound is None when the sample is too small to give it (open)."""

    low: float | None
    high: float | None

    def scaled(self, factor: float) -> Interval:
        """The same interval in another unit."""
        return Interval(*(None if bound is None else bound * factor for bound in (self.low, self.high)))


OPEN = Interval(None, None)


@lru_cache(maxsize=8192)
def order_statistic_ranks(
    n: int, fraction: float, confidence: float = CONFIDENCE
) -> tuple[int | None, int | None]:
    """1-based ranks (r, s) of the order statistics that bound the `fraction` quantile of n values.

    Exact binomial tails: the probabilities are summed from 10 standard deviations out (a recurrence from one
    lgamma term), a few thousand steps for a million values, so the ranks cost well under a millisecond.
    """
    if n < 1:
        return None, None
    tail = (1 - confidence) / 2
    first, masses = _binomial_masses(n, fraction)
    below = _first_exceeding(masses, tail)  # P(B <= first + below) > tail: r is the rank after the last <=
    above = _first_exceeding(masses[::-1], tail)  # from the top: P(B >= top - above) > tail
    lower = first + below
    upper = first + len(masses) - above  # one past the highest B with P(B >= it) > tail
    return (lower if lower >= 1 else None), (upper if upper <= n else None)


def _binomial_masses(n: int, fraction: float) -> tuple[int, list[float]]:
    """P(B = i) for i = first, first + 1, ... over the window that holds all but a negligible mass."""
    spread = _SPREAD * math.sqrt(n * fraction * (1 - fraction)) + 2
    first = max(0, math.floor(n * fraction - spread))
    last = min(n, math.ceil(n * fraction + spread))
    log_first = (
        math.lgamma(n + 1)
        - math.lgamma(first + 1)
        - math.lgamma(n - first + 1)
        + first * math.log(fraction)
        + (n - first) * math.log1p(-fraction)
    )
    masses = [math.exp(log_first)]
    odds = fraction / (1 - fraction)
    for i in range(first, last):
        masses.append(masses[-1] * (n - i) / (i + 1) * odds)
    return first, masses


def _first_exceeding(masses: list[float], tail: float) -> int:
    """Index of the first mass at which the running sum exceeds `tail`."""
    total = 0.0
    for index, mass in enumerate(masses):
        total += mass
        if total > tail:
            return index
    return len(masses)


def quantile_interval(ordered: list[float], fraction: float) -> Interval:
    """The interval of the `fraction` quantile of sorted values (e.g. the registry DRL over site medians)."""
    low, high = order_statistic_ranks(len(ordered), fraction)
    return Interval(
        ordered[low - 1] if low is not None else None, ordered[high - 1] if high is not None else None
    )


def median_windows(n: int) -> tuple[int, int]:
    """First ranks of the MEDIAN_WINDOW order statistics the database returns around each bound of a median.

    The normal approximation a = floor(n/2 + 1/2 - 0.98 sqrt(n)) (1.96 / 2 = 0.98) is the exact lower rank
    r or one below it, and s = n + 1 - r by symmetry (the tests check every n to 5,000 and 300 sizes up to
    2,000,000), so windows from a - 3 and n - a - 3 hold both exact ranks. PostgreSQL
    computes the same starts in SQL (aggregates.MedianBound); the exact ranks are then taken here.
    """
    approximate = math.floor(n / 2 + 0.5 - 0.98 * math.sqrt(n))
    return max(1, approximate - 3), max(1, n - approximate - 3)


MEDIAN_WINDOW = 8
