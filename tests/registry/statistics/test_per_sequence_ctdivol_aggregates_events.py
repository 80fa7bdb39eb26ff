"""A per-sequence metric (CTDIvol) summarises the irradiation events of the selected studies, not studies."""

from __future__ import annotations

import pytest

from registry.models import StandardExam, Study
from registry.statistics.drl import drl_statistics
from registry.statistics.metrics import METRICS
from tests.registry.statistics.conftest import EventFactory, ReportFactory, SiteFactory, StudyFactory

pytestmark = pytest.mark.django_db


def _study(site_code: str, exam: StandardExam | None, *ctdivols: float | None) -> None:
    report = ReportFactory.create(
        study=StudyFactory.create(site=SiteFactory.create(code=site_code), standard_exam=exam)
    )
    for ctdivol in ctdivols:
        EventFactory.create(report=report, ctdivol_mgy=ctdivol)


def test_ctdivol_per_sequence_counts_and_summarises_every_sequence(
    exam: StandardExam, small_minimum: None, one_site_suffices: None
) -> None:
    _study("SITE-A", exam, 10, 20)
    _study("SITE-A", exam, 30, 40, None)  # a localizer without CTDIvol is left out
    _study("SITE-A", None, 500)  # another exam's study
    stats = drl_statistics(Study.objects.all(), exam=exam, metric=METRICS["ctdivol"], modality="CT")
    (row,) = stats.groups
    # 10 20 30 40, n = 4 sequences: median at 1.5 = 25; p25 at 0.75 = 17.5; p75 at 2.25 = 32.5.
    assert (row.values.n, row.values.median, row.values.p25, row.values.p75) == (4, 25.0, 17.5, 32.5)
    assert stats.registry.drl == 25.0


def test_event_statistics_follow_the_study_filters(exam: StandardExam, small_minimum: None) -> None:
    _study("SITE-A", exam, 10, 20, 30)
    _study("SITE-B", exam, 90)
    stats = drl_statistics(
        Study.objects.filter(site__code="SITE-B"), exam=exam, metric=METRICS["ctdivol"], modality="CT"
    )
    assert [(row.site, row.values.n) for row in stats.groups] == [("SITE-B", 1)]
