"""Dose statistics of one standard exam and metric per site (or device), and the registry's peer benchmark.

ICRP Publication 135: a DRL is the 75th percentile of the distribution of facility (or room) medians for a
standard examination, and the median of that distribution is the typical value; a facility compares its
median, never a single patient, with the DRL. The rows are summarised in the database:

1. the facilities: one GROUP BY site (or device) over the registry's selection (every site's studies under
   the same filters; or, for per-sequence metrics, their irradiation events) with Count, PercentileCont
   (p25, median, p75), Avg, Min, Max and the bounds of the median's 95 % interval (MedianBound);
2. the caller's groups: the same GROUP BY over the caller's studies. When the caller's selection is the
   registry's at some sites (no device filter: `scope_codes`), those groups are the facilities' rows of
   those sites, and this second pass over the rows is skipped;
3. the registry typical value and DRL: percentile_cont (PostgreSQL's definition, statistics.aggregates)
   of the medians of the groups with n >= KERMA_DRL_MIN_SAMPLE[modality], a few hundred numbers at most,
   with the DRL's order-statistic interval (statistics.intervals).

The benchmark must not leak a peer's figures. With two counting sites a member derives the other's median
(2 x typical - own), with an odd count the typical value is one site's median: so the registry values are
given only when at least KERMA_REGISTRY_MIN_SITES groups count, and the other counting groups appear only
as anonymous medians (`peers`) in random order. The caller's own groups are the named rows (a registry-wide
role or a superuser sees every site, so every row is named).

A last query reads the matching published and local reference levels.
"""

from __future__ import annotations

import random
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.db.models import Avg, Count, F, Max, Min, Q, QuerySet
from django.db.models.expressions import Combinable

from registry.models import (
    Device,
    LevelKind,
    LevelStatus,
    ReferenceLevel,
    Site,
    StandardExam,
)
from registry.models.studies import StudyQuerySet
from registry.statistics.aggregates import Median, MedianBound, PercentileCont, percentile_cont
from registry.statistics.filters import ADULT, AGE_BANDS, Band, DoseFilters, population_condition
from registry.statistics.intervals import OPEN, Interval, quantile_interval
from registry.statistics.metrics import Metric
from registry.statistics.patient_groups import fits
from registry.statistics.values import metric_rows

GroupBy = Literal["site", "device"]
GROUPINGS: tuple[GroupBy, ...] = ("site", "device")
DRL_STATISTICS = {"P75": "drl", "P50": "typical"}
# A values().annotate() queryset of dicts, one per group (django-stubs types its rows as a TypedDict).
Grouped = QuerySet[Any, Any]
# The peers' order must say nothing about who they are (the facility rows come sorted by site code).
_SHUFFLE = random.SystemRandom()


@dataclass(frozen=True)
class Summary:
    """The distribution of one group's values: count, quartiles, mean and range."""

    n: int
    median: float
    p25: float
    p75: float
    mean: float
    minimum: float
    maximum: float

    def scaled(self, factor: float) -> Summary:
        """The same summary in another unit (n is a count and does not scale)."""
        return Summary(
            self.n,
            *(
                value * factor
                for value in (self.median, self.p25, self.p75, self.mean, self.minimum, self.maximum)
            ),
        )


@dataclass(frozen=True)
class GroupRow:
    """One site's (or device's) summary, in canonical and display units, and how it stands to the DRL."""

    site: str
    device: int | None
    device_name: str | None
    values: Summary
    display: Summary
    interval: Interval  # the median's 95 % interval (statistics.intervals)
    interval_display: Interval
    counts_towards_drl: bool
    above_drl: bool | None  # None while the registry has no DRL (too few groups with enough studies)


@dataclass(frozen=True)
class Peer:
    """Another counting group's median: no site code, no device, so a member learns no peer's identity."""

    n: int
    median: float
    median_display: float


@dataclass(frozen=True)
class RegistryLevels:
    """The registry's typical value (median of group medians) and DRL (their 75th percentile).

    None, with the `reason`, while fewer than `minimum_sites` groups count (n >= the minimum sample).
    """

    typical: float | None
    drl: float | None
    sites_counted: int
    typical_display: float | None
    drl_display: float | None
    drl_interval: Interval
    drl_interval_display: Interval
    minimum_sites: int
    reason: str | None


@dataclass(frozen=True)
class PublishedLevel:
    """A current published (or, with `site`, local) DRL or typical value for the exam and metric."""

    id: int
    statistic: str
    role: str  # "drl" or "typical"
    issuer: str
    document: str
    year: int | None
    region: str
    patient_group: str
    value: float
    value_display: float
    status: str
    unverified: bool
    site: str | None
    version: int
    scope: str = "per_exam"  # the metric's: per examination or per sequence (view)

    @property
    def source(self) -> str:
        """Who set it, when, for whom and over what: "UKHSA 2022, adult, per sequence" (local: the site)."""
        issuer = f"{self.issuer} {self.year}" if self.year else self.issuer
        local = f" (local, {self.site})" if self.site else ""
        return f"{issuer}{local}, {self.patient_group or 'no patient group'}, {self.scope.replace('_', ' ')}"


@dataclass(frozen=True)
class DrlStatistics:
    """Everything the DRL statistics endpoint, charts and exports show for one exam and metric."""

    modality: str
    exam: StandardExam
    metric: Metric
    group_by: GroupBy
    minimum_sample: int
    groups: list[GroupRow]
    registry: RegistryLevels
    peers: list[Peer]
    published: list[PublishedLevel]
    population: Band = AGE_BANDS[ADULT]
    no_age: int = 0  # the caller's studies of the exam that state no age (in the adult population)


def drl_statistics(
    studies: StudyQuerySet,
    *,
    exam: StandardExam,
    metric: Metric,
    modality: str,
    group_by: GroupBy = "site",
    local_sites: QuerySet[Site] | None = None,
    registry_studies: StudyQuerySet | None = None,
    scope_codes: Collection[str] | None = None,
    population: Band | None = None,
) -> DrlStatistics:
    """Statistics of `metric` over the `studies` of `exam` (scoped and filtered first), by site or device.

    `modality` chooses the minimum sample; `local_sites` whose local levels are listed (None: none).
    `registry_studies` are the studies the registry typical value and DRL come from: every site's, with
    the same filters but no site or device choice, because a registry DRL is the 75th percentile of all
    facilities' (or, by device, rooms') medians (ICRP 135), whoever asks; only the caller's own groups are
    named, the other counting groups are anonymous `peers`. None: the levels come from the listed groups
    themselves. `scope_codes`: the codes of the sites `studies` is `registry_studies` restricted to (see
    `selection_codes`); with them, the caller's groups are read from the registry's own GROUP BY rather
    than computed a second time. `population` (registry.statistics.filters.population_band; adults by
    default) narrows both selections and picks the published levels whose patient group holds it.
    """
    minimum = settings.KERMA_DRL_MIN_SAMPLE[modality]
    population = population or AGE_BANDS[ADULT]
    studies = studies.filter(population_condition(population))
    if registry_studies is not None:
        registry_studies = registry_studies.filter(population_condition(population))
    facilities, rows = _summaries(studies, exam, metric, group_by, registry_studies, scope_codes)
    registry = registry_levels(facilities, minimum, metric, group_by)
    names = _device_names(rows) if group_by == "device" else {}
    groups = [_group_row(row, metric, minimum, registry.drl, names) for row in rows]
    peers = _peers(facilities, rows, minimum, metric, group_by) if registry.drl is not None else []
    published = published_levels(exam, metric, local_sites, population)
    # One count over the caller's studies, apart from the GROUP BY: an age test there joins every event of a
    # per-sequence metric to its study, which doubled that query at a million studies.
    no_age = 0
    if population.with_unknown:
        no_age = studies.patients().filter(standard_exam=exam, patient_age_years__isnull=True).count()
    return DrlStatistics(
        modality, exam, metric, group_by, minimum, groups, registry, peers, published, population, no_age
    )


def _summaries(
    studies: StudyQuerySet,
    exam: StandardExam,
    metric: Metric,
    group_by: GroupBy,
    registry_studies: StudyQuerySet | None,
    scope_codes: Collection[str] | None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The registry's groups (the facilities, or rooms) and the caller's, each one GROUP BY at most."""
    if registry_studies is None:
        rows = list(grouped_summaries(studies.filter(standard_exam=exam), metric, group_by))
        return rows, rows
    facilities = list(grouped_summaries(registry_studies.filter(standard_exam=exam), metric, group_by))
    if scope_codes is not None:
        return facilities, [row for row in facilities if row["site_code"] in scope_codes]
    return facilities, list(grouped_summaries(studies.filter(standard_exam=exam), metric, group_by))


def grouped_summaries(studies: StudyQuerySet, metric: Metric, group_by: GroupBy) -> Grouped:
    """One GROUP BY query: per site (or device), n, quartiles, mean, min and max of the metric's values.

    The rows are those of registry.statistics.values.metric_rows: events for per-sequence metrics (n counts
    sequences or views), studies for per-exam metrics.
    """
    rows, to_study = metric_rows(studies, metric)
    # An event's site is its device's: the small device table is a cheaper join than the studies'.
    site = "device__site__code" if to_study else "site__code"
    keys: dict[str, Combinable] = {"site_code": F(site), "device_pk": F("device_id")}
    if group_by == "site":
        del keys["device_pk"]
    value = F("metric_value")
    return (
        rows.values(**keys)
        .annotate(
            n=Count(value),
            median=Median(value),
            p25=PercentileCont(value, 0.25),
            p75=PercentileCont(value, 0.75),
            mean=Avg(value),
            minimum=Min(value),
            maximum=Max(value),
            median_low=MedianBound(value, "low"),
            median_high=MedianBound(value, "high"),
        )
        .order_by(*keys)
    )


def counts_towards_drl(n: int, minimum: int) -> bool:
    """Whether a group's median shapes the registry values: the one rule for both the rows and the count."""
    return n >= minimum


def above(median: float, level: float | None) -> bool | None:
    """Strictly above `level`: a median equal to a DRL is at it, not above it; None without a level."""
    return None if level is None else median > level


def registry_levels(
    groups: list[dict[str, Any]], minimum: int, metric: Metric, group_by: GroupBy = "site"
) -> RegistryLevels:
    """Median and 75th percentile of the counting group medians (PostgreSQL's percentile_cont), with the
    DRL's 95 % interval; withheld, with the reason, below KERMA_REGISTRY_MIN_SITES counting groups."""
    medians = sorted(row["median"] for row in groups if counts_towards_drl(row["n"], minimum))
    needed = settings.KERMA_REGISTRY_MIN_SITES
    if len(medians) < needed:
        reason = withheld_reason(len(medians), minimum, needed, group_by)
        return RegistryLevels(None, None, len(medians), None, None, OPEN, OPEN, needed, reason)
    typical, drl = percentile_cont(medians, 0.5), percentile_cont(medians, 0.75)
    interval = quantile_interval(medians, 0.75)
    return RegistryLevels(
        typical,
        drl,
        len(medians),
        metric.to_display(typical),
        metric.to_display(drl),
        interval,
        interval.scaled(metric.display_factor),
        needed,
        None,
    )


def withheld_reason(counted: int, minimum: int, needed: int, group_by: GroupBy) -> str:
    """Why there is no registry value, e.g. "3 sites reach the minimum sample of 20; 5 are needed"."""
    if counted == 0:
        reached = f"No {group_by} reaches"
    elif counted == 1:
        reached = f"1 {group_by} reaches"
    else:
        reached = f"{counted} {group_by}s reach"
    return f"{reached} the minimum sample of {minimum}; {needed} {'is' if needed == 1 else 'are'} needed"


def _peers(
    facilities: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    minimum: int,
    metric: Metric,
    group_by: GroupBy,
) -> list[Peer]:
    """The counting groups that are not the caller's, as anonymous medians in random order."""
    named = {_identity(row, group_by) for row in rows}
    peers = [
        Peer(row["n"], row["median"], row["median"] * metric.display_factor)
        for row in facilities
        if counts_towards_drl(row["n"], minimum) and _identity(row, group_by) not in named
    ]
    _SHUFFLE.shuffle(peers)
    return peers


def _identity(row: dict[str, Any], group_by: GroupBy) -> tuple[str, int | None]:
    """A group's site, and its device when grouping by device (a site's rows hide all of its devices)."""
    return row["site_code"], row.get("device_pk") if group_by == "device" else None


def selection_codes(sites: QuerySet[Site], filters: DoseFilters) -> frozenset[str] | None:
    """The codes of the sites a selection of `sites`' studies under `filters` covers (one query; callers
    that run several statistics compute it once); None when it narrows further than sites (a device),
    so its groups (by site or by device) are not the registry's."""
    if filters.device is not None:
        return None
    return frozenset(
        (sites.filter(code=filters.site) if filters.site else sites).values_list("code", flat=True)
    )


def _group_row(
    row: dict[str, Any], metric: Metric, minimum: int, drl: float | None, names: dict[int, str]
) -> GroupRow:
    values = Summary(
        row["n"], row["median"], row["p25"], row["p75"], row["mean"], row["minimum"], row["maximum"]
    )
    interval = Interval(row["median_low"], row["median_high"])
    device = row.get("device_pk")
    return GroupRow(
        site=row["site_code"],
        device=device,
        device_name=names.get(device) if device is not None else None,
        values=values,
        display=values.scaled(metric.display_factor),
        interval=interval,
        interval_display=interval.scaled(metric.display_factor),
        counts_towards_drl=counts_towards_drl(values.n, minimum),
        above_drl=above(values.median, drl),
    )


def _device_names(rows: list[dict[str, Any]]) -> dict[int, str]:
    """Display names of the grouped devices, in one query."""
    ids = [row["device_pk"] for row in rows if row["device_pk"] is not None]
    return {pk: str(device) for pk, device in Device.objects.in_bulk(ids).items()}


def published_levels(
    exam: StandardExam, metric: Metric, local_sites: QuerySet[Site] | None, population: Band | None = None
) -> list[PublishedLevel]:
    """Current DRLs (P75) and typical values (P50) of the exam and metric, published and local, whose
    patient group holds the population (registry.statistics.patient_groups; adults by default)."""
    population = population or AGE_BANDS[ADULT]
    scope = Q(site__isnull=True)
    if local_sites is not None:
        scope |= Q(site__in=local_sites)
    levels = (
        ReferenceLevel.objects.current()
        .filter(scope, exam=exam, metric=metric.key, kind=LevelKind.DRL, statistic__in=DRL_STATISTICS)
        .select_related("site")
        .order_by("-statistic", F("site__code").asc(nulls_first=True), "issuer", "-year", "id")
    )
    return [_published(level, metric) for level in levels if fits(level.patient_group, population)]


def _published(level: ReferenceLevel, metric: Metric) -> PublishedLevel:
    return PublishedLevel(
        id=level.pk,
        statistic=level.statistic,
        role=DRL_STATISTICS[level.statistic],
        issuer=level.issuer,
        document=level.document,
        year=level.year,
        region=level.region,
        patient_group=level.patient_group,
        value=level.value,
        # As published: no float noise from the unit conversion (29 Gy·cm², not 29.000000000000004).
        value_display=float(f"{level.value * metric.display_factor:.12g}"),
        status=level.status,
        unverified=level.status == LevelStatus.UNVERIFIED,
        site=level.site.code if level.site is not None else None,
        version=level.version,
        scope=metric.scope,
    )
