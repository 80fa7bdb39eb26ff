"""The current published DRL and typical value of the exam and metric come with the statistics, flagged
when unverified; superseded versions, thresholds, other metrics and others' local levels do not."""

from __future__ import annotations

import pytest

from registry.models import Site, StandardExam, Study
from registry.statistics.drl import drl_statistics
from registry.statistics.metrics import METRICS
from tests.registry.statistics.conftest import ExamFactory, LevelFactory, SiteFactory

pytestmark = pytest.mark.django_db


def test_only_the_current_matching_levels_are_listed(exam: StandardExam) -> None:
    mine, theirs = SiteFactory.create(code="MINE"), SiteFactory.create(code="THEIRS")
    old = LevelFactory.create(exam=exam, modality="RF", metric="dap", unit="Gy.m2", value=0.0030)
    LevelFactory.create(
        exam=exam, modality="RF", metric="dap", unit="Gy.m2", value=0.0025, version=2, supersedes=old
    )
    LevelFactory.create(
        exam=exam,
        modality="RF",
        metric="dap",
        unit="Gy.m2",
        value=0.0012,
        statistic="P50",
        status="unverified",
        issuer="Survey",
    )
    LevelFactory.create(
        exam=exam, modality="RF", metric="dap", unit="Gy.m2", value=0.0020, site=mine, status="local"
    )
    LevelFactory.create(exam=exam, modality="RF", metric="dap", unit="Gy.m2", value=0.0010, site=theirs)
    LevelFactory.create(exam=exam, modality="RF", metric="dose_rp", unit="Gy", value=0.5)
    LevelFactory.create(exam=exam, modality="RF", metric="dap", unit="Gy.m2", value=0.05, kind="threshold")
    LevelFactory.create(exam=ExamFactory.create(), modality="RF", metric="dap", unit="Gy.m2", value=0.0099)
    stats = drl_statistics(
        Study.objects.all(),
        exam=exam,
        metric=METRICS["dap"],
        modality="RF",
        local_sites=Site.objects.filter(code="MINE"),
    )
    listed = [(level.role, level.site, level.value_display, level.unverified) for level in stats.published]
    # Gy·m² shown in Gy·cm² (x 10^4).
    assert listed == [
        ("drl", None, pytest.approx(25.0), False),
        ("drl", "MINE", pytest.approx(20.0), False),
        ("typical", None, pytest.approx(12.0), True),
    ]


def test_without_local_sites_only_published_levels_are_listed(exam: StandardExam) -> None:
    LevelFactory.create(exam=exam, site=SiteFactory.create(code="MINE"), status="local")
    stats = drl_statistics(Study.objects.all(), exam=exam, metric=METRICS["dlp"], modality="CT")
    assert stats.published == []
