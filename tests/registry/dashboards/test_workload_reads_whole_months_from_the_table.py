"""The workload chart's counts: whole months from the table, cut months and patient filters from the studies.

Whatever the path, the rows must equal a plain count of the studies the filters select; the expected
counts here are computed in Python from the study rows themselves, never from registry.statistics.workload.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.models import MonthlyWorkload, Site, StandardExam, Study
from registry.statistics.filters import DoseFilters
from registry.statistics.workload import MonthSplit, split_months, workload_rows
from tests.registry.statistics.conftest import ExamFactory, SiteFactory, StudyFactory

FIRST, LAST = date(2024, 11, 20), date(2025, 4, 10)


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        (None, None, MonthSplit(None, None, ())),
        (date(2025, 1, 1), date(2025, 3, 31), MonthSplit(date(2025, 1, 1), date(2025, 4, 1), ())),
        (
            date(2025, 1, 15),
            date(2025, 3, 10),
            MonthSplit(
                date(2025, 2, 1),
                date(2025, 3, 1),
                ((date(2025, 1, 15), date(2025, 1, 31)), (date(2025, 3, 1), date(2025, 3, 10))),
            ),
        ),
        (
            date(2025, 1, 15),
            date(2025, 1, 20),
            MonthSplit(date(2025, 2, 1), date(2025, 2, 1), ((date(2025, 1, 15), date(2025, 1, 20)),)),
        ),
        (
            date(2024, 2, 10),
            None,
            MonthSplit(date(2024, 3, 1), None, ((date(2024, 2, 10), date(2024, 2, 29)),)),
        ),
        (None, date(2024, 2, 29), MonthSplit(None, date(2024, 3, 1), ())),  # a leap day ends its month
        (None, date(2025, 2, 28), MonthSplit(None, date(2025, 3, 1), ())),
        (
            date(2025, 1, 31),
            date(2025, 2, 1),
            MonthSplit(date(2025, 2, 1), date(2025, 2, 1), ((date(2025, 1, 31), date(2025, 2, 1)),)),
        ),
    ],
)
def test_a_range_is_cut_into_whole_months_and_its_cut_ends(
    date_from: date | None, date_to: date | None, expected: MonthSplit
) -> None:
    assert split_months(date_from, date_to) == expected


def _studies() -> tuple[Site, Site, StandardExam]:
    """Two sites, two exams, unmapped and DX studies, every third day over six months, and one undated."""
    alpha, bravo = SiteFactory.create(code="ALPHA"), SiteFactory.create(code="BRAVO")
    head = ExamFactory.create(name="CT head routine")
    chest = ExamFactory.create(name="CT chest")
    day, index = FIRST, 0
    while day <= LAST:
        site = (alpha, bravo)[index % 2]
        exam = (head, chest, None)[index % 3]
        modality = "DX" if index % 5 == 0 else "CT"
        StudyFactory.create(
            site=site,
            standard_exam=exam if modality == "CT" else None,
            study_date=day,
            modality=modality,
            patient_weight_kg=40.0 + index % 60,
        )
        day, index = day + timedelta(days=3), index + 1
    StudyFactory.create(site=alpha, study_date=None)  # no month: never counted
    return alpha, bravo, head


def expected(filters: DoseFilters) -> Counter[tuple[str, str, str]]:
    """The plain count, in Python, of the studies the filters select."""
    counted: Counter[tuple[str, str, str]] = Counter()
    for study in Study.objects.select_related("site", "standard_exam"):
        day = study.study_date
        if day is None:
            continue
        if (filters.date_from and day < filters.date_from) or (filters.date_to and day > filters.date_to):
            continue
        if filters.modality and filters.modality not in study.modalities.split(","):
            continue
        if filters.site and study.site.code != filters.site:
            continue
        weight = study.patient_weight_kg
        if filters.weight_min is not None and (weight is None or weight < filters.weight_min):
            continue
        exam = study.standard_exam.name if study.standard_exam else "Unmapped"
        counted[(exam, study.site.code, day.strftime("%Y-%m"))] += 1
    return counted


def counted(filters: DoseFilters) -> Counter[tuple[str, str, str]]:
    rows = workload_rows(Site.objects.all(), filters)
    return Counter(
        {(row["exam_name"], row["site_code"], row["month"].strftime("%Y-%m")): row["n"] for row in rows}
    )


@pytest.mark.django_db
def test_hand_counted_months_with_cut_ends() -> None:
    _studies()
    # Studies every 3 days from 2024-11-20; 15 Jan to 10 Mar 2025 holds the days 2025-01-15 ... 2025-03-10.
    filters = DoseFilters(date_from=date(2025, 1, 15), date_to=date(2025, 3, 10), modality="CT")
    assert counted(filters) == expected(filters)
    days = [FIRST + timedelta(days=3 * n) for n in range(60)]
    in_range = [d for d in days if date(2025, 1, 15) <= d <= date(2025, 3, 10)]
    assert sum(counted(filters).values()) == len([d for d in in_range if days.index(d) % 5 != 0])


@pytest.mark.django_db
def test_the_table_answers_whole_months_and_the_studies_the_cut_ones() -> None:
    """Proof of the path taken: a wrong count planted in the table shows in whole months only."""
    alpha, _, _ = _studies()
    planted = MonthlyWorkload.objects.filter(site=alpha, month=date(2025, 2, 1)).update(studies=99)
    assert planted > 0
    whole = counted(DoseFilters(date_from=date(2025, 2, 1), date_to=date(2025, 2, 28), site="ALPHA"))
    cut = counted(DoseFilters(date_from=date(2025, 2, 2), date_to=date(2025, 2, 28), site="ALPHA"))
    assert sum(whole.values()) == 99 * planted
    assert cut == expected(DoseFilters(date_from=date(2025, 2, 2), date_to=date(2025, 2, 28), site="ALPHA"))


@pytest.mark.django_db
def test_a_weight_filter_counts_the_studies() -> None:
    _studies()
    filters = DoseFilters(modality="CT", weight_min=70.0)
    assert counted(filters) == expected(filters)
    assert 0 < sum(counted(filters).values()) < sum(counted(DoseFilters(modality="CT")).values())


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.dates(min_value=date(2024, 11, 1), max_value=date(2025, 4, 30)),
    length=st.integers(min_value=0, max_value=150),
    open_start=st.booleans(),
    open_end=st.booleans(),
    modality=st.sampled_from([None, "CT", "DX"]),
    site=st.sampled_from([None, "ALPHA", "BRAVO"]),
)
def test_any_range_counts_what_the_studies_count(
    start: date, length: int, open_start: bool, open_end: bool, modality: str | None, site: str | None
) -> None:
    if not Site.objects.exists():
        _studies()
    filters = DoseFilters(
        date_from=None if open_start else start,
        date_to=None if open_end else start + timedelta(days=length),
        modality=modality,
        site=site,
    )
    assert counted(filters) == expected(filters)
