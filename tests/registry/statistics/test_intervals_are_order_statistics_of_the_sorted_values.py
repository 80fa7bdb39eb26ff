"""The 95 % intervals are order statistics at exact binomial ranks, and the API serves them, hand-checked.

For the q-quantile of n values the interval is [x_(r), x_(s)] with r the largest rank such that
P(B < r) <= 2.5 % and s the smallest such that P(B >= s) <= 2.5 %, B ~ Binomial(n, q) (registry.statistics
.intervals); a bound that no rank reaches is open (null).
"""

from __future__ import annotations

import math

import pytest

from registry.models import StandardExam
from registry.statistics.intervals import MEDIAN_WINDOW, median_windows, order_statistic_ranks
from tests.registry.statistics.conftest import DRL_URL, dlp_studies, drl_query, member_client


def _below(n: int, q: float, rank: int) -> float:
    """P(B < rank), B ~ Binomial(n, q), summed exactly."""
    return sum(math.comb(n, i) * q**i * (1 - q) ** (n - i) for i in range(rank))


@pytest.mark.parametrize(
    ("n", "q", "ranks"),
    [
        (5, 0.5, (None, None)),  # min and max cover only 1 - 2/32 = 93.75 %
        (6, 0.5, (1, 6)),  # 1 - 2/64 = 96.9 %
        (9, 0.5, (2, 8)),  # P(B < 2) = 10/512 = 1.95 %; P(B < 3) = 46/512 = 9.0 %
        (20, 0.5, (6, 15)),  # the textbook table (Conover, Table A3)
        (100, 0.5, (40, 61)),
        (5, 0.75, (2, None)),  # P(B = 5) = 0.75^5 = 23.7 %: no upper rank with five medians
        (12, 0.75, (6, None)),  # 0.75^12 = 3.2 % > 2.5 %
        (13, 0.75, (7, 13)),  # 0.75^13 = 2.4 %: from 13 sites the DRL has an upper bound
    ],
)
def test_the_ranks_match_hand_computed_binomial_tails(n: int, q: float, ranks: tuple[int, int]) -> None:
    assert order_statistic_ranks(n, q) == ranks


@pytest.mark.parametrize("q", [0.5, 0.75])
def test_each_rank_is_the_outermost_with_a_tail_of_at_most_2_5_percent(q: float) -> None:
    for n in range(1, 150):
        low, high = order_statistic_ranks(n, q)
        if low is not None:
            assert _below(n, q, low) <= 0.025 < _below(n, q, low + 1)
        else:
            assert _below(n, q, 1) > 0.025
        if high is not None:
            assert 1 - _below(n, q, high) <= 0.025 < 1 - _below(n, q, high - 1)
        else:
            assert 1 - _below(n, q, n) > 0.025


def test_the_databases_window_holds_both_exact_ranks_of_a_median() -> None:
    """The database returns MEDIAN_WINDOW order statistics from median_windows; the exact ranks lie inside."""
    sizes = [*range(1, 5001), *range(5001, 2_000_001, 6653)]  # every n to 5,000, then 300 up to 2 million
    for n in sizes:
        starts = median_windows(n)
        for rank, start in zip(order_statistic_ranks(n, 0.5), starts, strict=True):
            assert rank is None or start <= rank < start + MEDIAN_WINDOW, n


@pytest.mark.django_db
def test_the_api_serves_each_medians_and_the_drls_interval(exam: StandardExam, small_minimum: None) -> None:
    dlp_studies("NINE", exam, *(10.0 * value for value in range(1, 10)))  # 10 ... 90
    dlp_studies("TWENTY", exam, *map(float, range(20, 0, -1)))  # 1 ... 20, stored in reverse
    dlp_studies("FIVE", exam, 1.0, 2.0, 3.0, 4.0, 5.0)
    for number in range(1, 11):  # ten more sites: medians 100 ... 1000, thirteen medians in all
        dlp_studies(f"SITE-{number:02d}", exam, 100.0 * number - 1, 100.0 * number, 100.0 * number + 1)
    body = member_client(superuser=True).get(DRL_URL, drl_query(exam)).json()
    rows = {row["site"]: row for row in body["sites"]}
    assert (rows["NINE"]["median_ci_low"], rows["NINE"]["median_ci_high"]) == (20.0, 80.0)  # x(2), x(8)
    assert (rows["TWENTY"]["median_ci_low"], rows["TWENTY"]["median_ci_high"]) == (6.0, 15.0)  # x(6), x(15)
    assert (rows["FIVE"]["median_ci_low"], rows["FIVE"]["median_ci_high"]) == (None, None)
    assert rows["NINE"]["display"]["median_ci_low"] == 20.0  # DLP: the display unit is the canonical one
    # Thirteen medians sorted: 3, 10.5, 50, 100, 200, ..., 1000; the DRL's interval is [x(7), x(13)].
    registry = body["registry"]
    assert registry["sites_counted"] == 13
    assert (registry["drl_ci_low"], registry["drl_ci_high"]) == (400.0, 1000.0)
