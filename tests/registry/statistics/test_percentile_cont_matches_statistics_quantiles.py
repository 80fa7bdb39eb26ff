"""PercentileCont gives statistics.quantiles' inclusive quartiles and median, NULLs ignored, on this backend.

The database computes it (percentile_cont on PostgreSQL, the registered aggregate on SQLite); the reference
is the standard library. The two interpolate with different float arithmetic, so they agree to rounding.
"""

from __future__ import annotations

import math
import statistics

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.models import Site, Study
from registry.statistics.aggregates import Median, PercentileCont, percentile_cont

pytestmark = pytest.mark.django_db

doses = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
# Few distinct values make duplicates common; None is a study without a DLP.
samples = st.lists(st.one_of(doses, st.sampled_from([0.0, 1.5, 250.0]), st.none()), min_size=1, max_size=40)


class RollbackError(Exception):
    """Raised to undo one example's rows (the test's own transaction stays open)."""


def _database_quartiles(values: list[float | None]) -> dict[str, float | None]:
    site = Site.objects.create(code="HYPO", name="Hypothesis")
    Study.objects.bulk_create(
        Study(
            site=site,
            study_instance_uid=f"2.25.{n}",
            modality="CT",
            modalities="CT",
            ct_dlp_total_mgycm=value,
        )
        for n, value in enumerate(values)
    )
    return Study.objects.aggregate(
        p25=PercentileCont("ct_dlp_total_mgycm", 0.25),
        median=Median("ct_dlp_total_mgycm"),
        p75=PercentileCont("ct_dlp_total_mgycm", 0.75),
    )


def _expected(data: list[float]) -> list[float]:
    if len(data) == 1:  # Python 3.11's quantiles() needs two points; every percentile of one is itself
        return [data[0]] * 3
    p25, _, p75 = statistics.quantiles(data, n=4, method="inclusive")
    return [p25, statistics.median(data), p75]


def _close(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=samples)
def test_percentile_cont_equals_the_inclusive_quantiles(values: list[float | None]) -> None:
    data = [value for value in values if value is not None]
    try:
        with transaction.atomic():
            got = _database_quartiles(values)
            raise RollbackError
    except RollbackError:
        pass
    if not data:
        assert got == {"p25": None, "median": None, "p75": None}
        return
    expected = _expected(data)
    assert all(_close(got[key], want) for key, want in zip(("p25", "median", "p75"), expected, strict=True))


@given(values=st.lists(doses, min_size=2, max_size=40), percent=st.integers(min_value=1, max_value=99))
def test_the_shared_arithmetic_gives_every_percentile_not_only_quartiles(
    values: list[float], percent: int
) -> None:
    """The interpolation the SQLite aggregate shares with PostgreSQL, at any whole percentile."""
    expected = statistics.quantiles(values, n=100, method="inclusive")[percent - 1]
    assert _close(percentile_cont(sorted(values), percent / 100), expected)
