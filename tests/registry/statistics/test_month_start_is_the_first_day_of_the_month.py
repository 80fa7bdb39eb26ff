"""MonthStart, the month every per-month GROUP BY keys on, is the first day of the study's month (the month
TruncMonth gives) on either backend, at the turn of a year, on a leap day and on a month's last day."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models.functions import TruncMonth

from registry.models import Study
from registry.statistics.aggregates import MonthStart
from tests.registry.statistics.conftest import StudyFactory

DAYS = [date(2024, 1, 1), date(2024, 2, 29), date(2024, 12, 31), date(2025, 3, 15), date(1999, 12, 31)]


@pytest.mark.django_db
def test_month_start_is_the_first_day_of_the_month_truncmonth_gives() -> None:
    for day in DAYS:
        StudyFactory.create(study_date=day)
    rows = Study.objects.annotate(start=MonthStart("study_date"), truncated=TruncMonth("study_date"))
    months = {(row.study_date, row.start, row.truncated) for row in rows}
    assert months == {(day, day.replace(day=1), day.replace(day=1)) for day in DAYS}
