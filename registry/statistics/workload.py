"""Keeping MonthlyWorkload equal to a count of the studies, and reading the workload chart from it.

The invariant: for every (site, month, modalities, exam) the table holds the number of studies with that
key, counting only patients' studies (`StudyQuerySet.patients()`: no quality-control scans) with a date.
Every change to a study's key updates the table in the same transaction, so the chart never sees a count
the studies disagree with:

- storing a report moves its study from the key it had to the key it has now (`workload_move`, called by
  registry.store); a QA scan has no key, so flagging or unflagging one moves it out or in. Adding is an
  upsert that adds to the stored count, so two workers counting studies of the same key at once both
  land; PostgreSQL's ON CONFLICT waits for the other's row.
- changes to many studies at once (a mapping rule re-maps history, a study deleted in the admin) recount
  the sites they touched (`workload_recount`), which replaces those sites' rows from one GROUP BY. On
  PostgreSQL a recount locks its sites' rows FOR UPDATE and a move holds its site's row FOR KEY SHARE, so
  a recount never counts beside a report that is being stored at the same site.
- `manage.py rebuild_workload` recounts everything, and `workload_drift` lists where the table and the
  studies disagree (empty when the invariant holds; the tests check it after each kind of change).

Reading: `workload_rows` answers from the table when the filters are ones it keeps (dates, site, modality);
months cut by date_from or date_to are counted from the studies themselves, the whole months in between
from the table. Patient filters (weight, age, sex) and the device are not kept, so those selections are
counted from the studies (read from the covering index `study_patients_date`, not from the study rows).
`workload_exams` gives the dashboard form's exam options from the table.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from registry.models import Site, StandardExam, Study
from registry.models.studies import StudyQuerySet
from registry.models.workload import UNMAPPED, MonthlyWorkload
from registry.statistics.aggregates import MonthStart
from registry.statistics.filters import DoseFilters

# (site id, first day of the month, modalities, exam key)
WorkloadKey = tuple[int, date, str, int]
# Studies per (site id, month, exam key): what the chart needs, from the table and the studies alike.
Counts = Counter[tuple[int, date, int]]
# Filters the table can answer; any other set one means counting the studies.
KEPT_FILTERS = frozenset({"date_from", "date_to", "modality", "site", "exam"})


def workload_key(study: Study) -> WorkloadKey | None:
    """The key a study is counted under; None for a study without a date (it is in no month) and for a
    quality-control scan (not a patient: StudyQuerySet.patients())."""
    if study.study_date is None or study.qa:
        return None
    month = study.study_date.replace(day=1)
    return (study.site_id, month, study.modalities, study.standard_exam_id or UNMAPPED)


def workload_move(before: WorkloadKey | None, after: WorkloadKey | None) -> None:
    """Count a study under `after` instead of `before` (None: not counted), in the caller's transaction."""
    if before == after:
        return
    if before is None and after is not None:  # a study counted for the first time: one statement
        _count_one(after, hold_site=True)
        return
    _hold_site(next(key[0] for key in (after, before) if key is not None))
    if before is not None:
        site_id, month, modalities, exam_key = before
        key = {"site_id": site_id, "month": month, "modalities": modalities, "exam_key": exam_key}
        MonthlyWorkload.objects.filter(**key).update(studies=F("studies") - 1)
        MonthlyWorkload.objects.filter(**key, studies__lte=0).delete()
    if after is not None:
        _count_one(after)


def _hold_site(site_id: int) -> None:
    """Share-lock the site's row until the transaction ends, so a recount of the site waits for it.

    A recount replaces the site's rows from a count of the studies it can see; a report being stored at the
    same time would otherwise add its +1 to a row the recount is about to replace, or insert a key the
    recount inserts too (a unique violation). `workload_recount` takes FOR UPDATE on its sites, which waits
    for every KEY SHARE holder and holds new ones back until it commits. SQLite has one writer at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"{_held_site()} SELECT 1 FROM held", [site_id])  # noqa: S608 - fixed names


def _held_site() -> str:
    """A WITH clause naming the site's row (id %s) share-locked, so other statements can take the lock."""
    table = connection.ops.quote_name(Site._meta.db_table)
    return f"WITH held AS (SELECT id FROM {table} WHERE id = %s FOR KEY SHARE)"  # noqa: S608 - fixed names


def _count_one(key: WorkloadKey, *, hold_site: bool = False) -> None:
    """INSERT ... ON CONFLICT DO UPDATE adding one: atomic on PostgreSQL and SQLite (3.24+) alike.

    Django's bulk_create(update_conflicts=True) can only overwrite a column with the new row's value, not
    add to it, so this one statement is written out. With `hold_site`, on PostgreSQL, the same statement
    takes `_hold_site`'s lock first (a WITH clause), which saves a round trip for every new study.
    """
    table = connection.ops.quote_name(MonthlyWorkload._meta.db_table)
    insert = f"INSERT INTO {table} (site_id, month, modalities, exam_key, studies)"
    upsert = f"ON CONFLICT (site_id, month, modalities, exam_key) DO UPDATE SET studies = {table}.studies + 1"
    if hold_site and connection.vendor == "postgresql":
        sql = f"{_held_site()} {insert} SELECT id, %s, %s, %s, 1 FROM held {upsert}"  # noqa: S608
    else:
        sql = f"{insert} VALUES (%s, %s, %s, %s, 1) {upsert}"
    with connection.cursor() as cursor:
        cursor.execute(sql, list(key))


def _grouped(studies: StudyQuerySet) -> QuerySet[Any, Any]:
    """Patients' studies per key, in the database: the definition of what the table holds."""
    return (
        studies.patients()
        .filter(study_date__isnull=False)
        .values("site_id", "modalities", month=MonthStart("study_date"))
        .annotate(exam_key=Coalesce("standard_exam_id", Value(UNMAPPED)), studies=Count("*"))
        .order_by()
    )


@transaction.atomic
def workload_recount(site_ids: list[int] | None = None) -> int:
    """Replace the rows of the sites (every site: None) by a fresh count of their studies; rows written."""
    rows = MonthlyWorkload.objects.all()
    studies = Study.objects.all()
    sites = Site.objects.order_by("pk")
    if site_ids is not None:
        rows, studies = rows.filter(site_id__in=site_ids), studies.filter(site_id__in=site_ids)
        sites = sites.filter(pk__in=site_ids)
    list(sites.select_for_update().values_list("pk", flat=True))  # waits for reports being stored there
    rows.delete()
    fresh = [MonthlyWorkload(**row) for row in _grouped(studies).iterator(chunk_size=5000)]
    MonthlyWorkload.objects.bulk_create(fresh, batch_size=1000)
    return len(fresh)


def workload_drift() -> dict[WorkloadKey, tuple[int, int]]:
    """Keys where the table and the studies disagree: {key: (table, studies)}; empty when consistent."""
    table = {
        (row.site_id, row.month, row.modalities, row.exam_key): row.studies
        for row in MonthlyWorkload.objects.filter(studies__gt=0)
    }
    counted = {
        (row["site_id"], row["month"], row["modalities"], row["exam_key"]): row["studies"]
        for row in _grouped(Study.objects.all())
    }
    keys = set(table) | set(counted)
    return {
        key: (table.get(key, 0), counted.get(key, 0))
        for key in keys
        if table.get(key, 0) != counted.get(key, 0)
    }


@dataclass(frozen=True)
class MonthSplit:
    """A date range cut into whole months (read from the table) and the partial months at its ends."""

    whole_from: date | None  # first month counted from the table (None: from the beginning)
    whole_until: date | None  # first month no longer counted from the table (None: to the end)
    edges: tuple[tuple[date | None, date | None], ...]  # inclusive date ranges counted from the studies


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=31)).replace(day=1)


def split_months(date_from: date | None, date_to: date | None) -> MonthSplit:
    """Whole months between the dates, and the cut ones at either end; one range if none is whole."""
    whole_from = date_from if date_from is None or date_from.day == 1 else _next_month(date_from)
    if date_to is None:
        whole_until = None
    elif date_to.day == calendar.monthrange(date_to.year, date_to.month)[1]:
        whole_until = _next_month(date_to)
    else:
        whole_until = date_to.replace(day=1)
    if whole_from is not None and whole_until is not None and whole_from >= whole_until:
        return MonthSplit(whole_from, whole_from, ((date_from, date_to),))
    edges: list[tuple[date | None, date | None]] = []
    if date_from is not None and whole_from != date_from:
        edges.append((date_from, whole_from - timedelta(days=1) if whole_from else None))
    if date_to is not None and whole_until is not None and whole_until <= date_to:
        edges.append((whole_until, date_to))
    return MonthSplit(whole_from, whole_until, tuple(edges))


def _kept(filters: DoseFilters) -> bool:
    set_names = {name for name, value in vars(filters).items() if value is not None}
    return set_names <= KEPT_FILTERS


def _from_table(sites: QuerySet[Site], filters: DoseFilters, split: MonthSplit) -> Counts:
    rows = MonthlyWorkload.objects.filter(site__in=sites, studies__gt=0)
    if filters.modality:
        rows = rows.filter(modalities__contains=filters.modality)
    if filters.site:
        rows = rows.filter(site__code=filters.site)
    if split.whole_from is not None:
        rows = rows.filter(month__gte=split.whole_from)
    if split.whole_until is not None:
        rows = rows.filter(month__lt=split.whole_until)
    grouped = rows.values("site_id", "month", "exam_key").annotate(n=Sum("studies"))
    return Counter({(row["site_id"], row["month"], row["exam_key"]): row["n"] for row in grouped.order_by()})


def _from_studies(studies: StudyQuerySet) -> Counts:
    """Counted from the studies in one GROUP BY that PostgreSQL answers from the study_patients_date index.

    Every column it reads is in that index (COUNT(*), not of the primary key, which the index leaves out),
    and it groups by site id, not code, so no row is joined to its site (docs/performance.md).
    """
    grouped = (
        studies.patients()
        .filter(study_date__isnull=False)
        .values("site_id", month=MonthStart("study_date"))
        .annotate(exam_key=Coalesce("standard_exam_id", Value(UNMAPPED)), n=Count("*"))
        .order_by()
    )
    return Counter({(row["site_id"], row["month"], row["exam_key"]): row["n"] for row in grouped})


def workload_rows(sites: QuerySet[Site], filters: DoseFilters) -> list[dict[str, Any]]:
    """Studies per standard exam (or 'Unmapped'), site and month for the sites and filters, by month.

    The exam filter is ignored, as the chart shows every exam; rows carry exam_name, site_code, month, n.
    """
    filters = replace(filters, exam=None)
    studies = filters.apply(Study.objects.filter(site__in=sites))
    if not _kept(filters):
        counts = _from_studies(studies)
    else:
        split = split_months(filters.date_from, filters.date_to)
        counts = _from_table(sites, filters, split)
        undated = replace(filters, date_from=None, date_to=None).apply(Study.objects.filter(site__in=sites))
        for low, high in split.edges:
            edge = undated
            if low is not None:
                edge = edge.filter(study_date__gte=low)
            if high is not None:
                edge = edge.filter(study_date__lte=high)
            counts.update(_from_studies(edge))
    return _named(counts)


def _named(counts: Counts) -> list[dict[str, Any]]:
    """Rows with exam names and site codes (one small lookup), ordered by month, site and exam."""
    counted = {key: n for key, n in counts.items() if n > 0}
    exams, codes = _names({site for site, _, _ in counted}, {exam for _, _, exam in counted})
    rows = [
        {"exam_name": exams.get(exam, "Unmapped"), "site_code": codes[site], "month": month, "n": n}
        for (site, month, exam), n in counted.items()
    ]
    return sorted(rows, key=lambda row: (row["month"], row["site_code"], row["exam_name"]))


def _names(sites: set[int], exams: set[int]) -> tuple[dict[int, str], dict[int, str]]:
    """The exams' names and the sites' codes by id, in one query (UNION ALL of the two lookups)."""
    if not sites:
        return {}, {}
    named = StandardExam.objects.filter(pk__in=exams).order_by().values_list(Value("exam"), "pk", "name")
    coded = Site.objects.filter(pk__in=sites).order_by().values_list(Value("site"), "pk", "code")
    found: dict[str, dict[int, str]] = {"exam": {}, "site": {}}
    for kind, pk, name in named.union(coded, all=True):
        found[kind][pk] = name
    return found["exam"], found["site"]


def workload_exams(sites: QuerySet[Site], modality: str) -> list[dict[str, Any]]:
    """The mapped exams of a modality at the sites, busiest first, with their patients' dated studies (n):
    the dashboard form's exam options, read from the table (two small queries) instead of a GROUP BY over
    every study of the modality. Rows as `values("standard_exam", "standard_exam__name")` gives them."""
    counted = (
        MonthlyWorkload.objects.filter(site__in=sites, modalities__contains=modality, studies__gt=0)
        .exclude(exam_key=UNMAPPED)
        .values("exam_key")
        .annotate(n=Sum("studies"))
        .order_by()
    )
    totals = {row["exam_key"]: row["n"] for row in counted}
    names = StandardExam.objects.filter(pk__in=totals).values_list("pk", "name") if totals else []
    rows = [{"standard_exam": pk, "standard_exam__name": name, "n": totals[pk]} for pk, name in names]
    return sorted(rows, key=lambda row: (-row["n"], row["standard_exam__name"]))


def sites_touched(studies: QuerySet[Study]) -> list[int]:
    """The ids of the sites of some studies, for recounting them after a change to all of those studies."""
    return list(studies.order_by().values_list("site_id", flat=True).distinct())
