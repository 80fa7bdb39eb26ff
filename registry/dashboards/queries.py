"""Chart reads beyond registry.statistics.drl: monthly medians, the weight fit, samples, workload.

Every read is one query in the database whatever the number of sites and studies: GROUP BYs with the same
`Median` aggregate as the statistics, and point samples capped by a window function, so no chart ever
pulls a site's rows into Python. Callers pass studies already scoped (`Study.objects.for_user`) and
filtered (`DoseFilters.apply`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Aggregate, Count, F, FloatField, Max, Min, Q, QuerySet, Sum, Value, Window
from django.db.models.expressions import Combinable, ExpressionWrapper
from django.db.models.functions import Cast, Mod, NullIf, RowNumber

from registry.models import LevelKind, ReferenceLevel, Site
from registry.models.studies import StudyQuerySet
from registry.statistics.aggregates import Median, MonthStart
from registry.statistics.metrics import METRICS, Metric
from registry.statistics.values import Rows, metric_rows


def monthly_medians(studies: StudyQuerySet, metric: Metric) -> list[dict[str, Any]]:
    """Per site and calendar month: n and the median of the metric (one GROUP BY site, month)."""
    rows, prefix = metric_rows(studies, metric)
    return list(
        rows.filter(**{f"{prefix}study_date__isnull": False})
        .values(site_code=F(f"{prefix}site__code"), month=MonthStart(f"{prefix}study_date"))
        .annotate(n=Count("metric_value"), median=Median("metric_value"))
        .order_by("site_code", "month")
    )


@dataclass(frozen=True)
class Fit:
    """A site's least-squares line of the metric (canonical unit) on patient weight (kg)."""

    site: str
    n: int
    slope: float | None  # None with fewer than two distinct weights
    intercept: float | None
    weight_min: float
    weight_max: float


def _regression(vendor: str) -> dict[str, Combinable]:
    """Slope and intercept of y = metric_value on x = weight, as aggregates of one GROUP BY.

    PostgreSQL has the SQL standard's regr_slope/regr_intercept. SQLite has neither, so the same
    least-squares solution is written with sums: slope = (nΣxy - ΣxΣy) / (nΣx² - (Σx)²) and
    intercept = (ΣyΣx² - ΣxΣxy) / (nΣx² - (Σx)²); both are null when every x is equal, like regr_*.
    """
    if vendor == "postgresql":
        return {
            "slope": RegrSlope("metric_value", "weight"),
            "intercept": RegrIntercept("metric_value", "weight"),
        }
    n = Cast(Count("metric_value"), FloatField())
    sx, sy = Sum("weight"), Sum("metric_value")
    sxy, sxx = Sum(F("weight") * F("metric_value")), Sum(F("weight") * F("weight"))
    denominator = NullIf(n * sxx - sx * sx, Value(0.0))
    return {
        "slope": ExpressionWrapper((n * sxy - sx * sy) / denominator, output_field=FloatField()),
        "intercept": ExpressionWrapper((sy * sxx - sx * sxy) / denominator, output_field=FloatField()),
    }


class RegrSlope(Aggregate):
    """PostgreSQL's regr_slope(y, x): the least-squares slope of y on x over the group."""

    function = "REGR_SLOPE"
    name = "RegrSlope"
    arity = 2
    output_field = FloatField()


class RegrIntercept(RegrSlope):
    """PostgreSQL's regr_intercept(y, x): the least-squares intercept of y on x over the group."""

    function = "REGR_INTERCEPT"
    name = "RegrIntercept"


def _weighted_rows(studies: StudyQuerySet, metric: Metric) -> Rows:
    rows, prefix = metric_rows(studies, metric)
    weight = f"{prefix}patient_weight_kg"
    return rows.filter(**{f"{weight}__isnull": False}).annotate(
        weight=F(weight), site_code=F(f"{prefix}site__code"), study_pk=F(f"{prefix}pk")
    )


def weight_fits(studies: StudyQuerySet, metric: Metric) -> list[Fit]:
    """Per site: n, weight range and the least-squares line, in one aggregate query on either backend."""
    rows = _weighted_rows(studies, metric)
    grouped = (
        rows.values("site_code")
        .annotate(
            n=Count("metric_value"),
            weight_min=Min("weight"),
            weight_max=Max("weight"),
            **_regression(connections[rows.db].vendor),
        )
        .order_by("site_code")
    )
    return [
        Fit(row["site_code"], row["n"], row["slope"], row["intercept"], row["weight_min"], row["weight_max"])
        for row in grouped
    ]


def sampled(rows: Rows, total: int, cap: int) -> Rows:
    """Every k-th row in primary-key order, at most `cap`: deterministic, and spread over the whole range.

    k = ceil(total / cap); the row number is a window function, so the sampling runs in the database.
    """
    step = max(1, -(-total // cap))
    if step > 1:
        rows = rows.annotate(row_number=Window(RowNumber(), order_by=F("pk").asc())).annotate(
            bucket=Mod(F("row_number"), step)
        )
        rows = rows.filter(bucket=0)
    return rows.order_by("pk")[:cap]


def weight_sample(studies: StudyQuerySet, metric: Metric, total: int, cap: int) -> list[dict[str, Any]]:
    """At most `cap` (weight, value) points with their site and study; `total` from weight_fits' n."""
    rows = _weighted_rows(studies, metric)
    return list(sampled(rows, total, cap).values("site_code", "study_pk", "weight", "metric_value"))


def fluoroscopy_points(studies: StudyQuerySet, cap: int) -> tuple[int, list[dict[str, Any]]]:
    """RF studies with both DAP and reference-point air kerma: how many, and a sample of at most `cap`.

    Patients only (`StudyQuerySet.patients()`): a phantom's dose is no patient's follow-up.
    """
    rows = (
        studies.patients()
        .annotate(dap=METRICS["dap"].value(), dose_rp=METRICS["dose_rp"].value())
        .filter(dap__isnull=False, dose_rp__isnull=False)
    )
    total = rows.count()
    sample = sampled(rows, total, cap).values("pk", "dap", "dose_rp", site_code=F("site__code"))
    return total, list(sample)


def thresholds(modality: str, metrics: tuple[str, ...], sites: QuerySet[Site]) -> list[ReferenceLevel]:
    """Current follow-up thresholds of the modality for the metrics: published ones and the sites' own."""
    return list(
        ReferenceLevel.objects.current()
        .filter(Q(site__isnull=True) | Q(site__in=sites))
        .filter(kind=LevelKind.THRESHOLD, modality=modality, metric__in=metrics)
        .order_by("metric", "value", "id")
    )
