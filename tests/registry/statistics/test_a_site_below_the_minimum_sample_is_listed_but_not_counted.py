"""ICRP 135: only sites with enough studies shape the registry DRL; the others are still shown."""

from __future__ import annotations

import pytest

from registry.models import StandardExam, Study
from registry.statistics.drl import drl_statistics
from registry.statistics.metrics import METRICS
from tests.registry.statistics.conftest import dlp_studies

pytestmark = pytest.mark.django_db


def test_a_site_below_the_minimum_is_listed_but_not_counted(
    exam: StandardExam, small_minimum: None, one_site_suffices: None
) -> None:
    dlp_studies("SITE-A", exam, 100, 200, 300)
    dlp_studies("SITE-B", exam, 900, 1000)
    stats = drl_statistics(Study.objects.all(), exam=exam, metric=METRICS["dlp"], modality="CT")
    assert stats.minimum_sample == 3
    assert [(row.site, row.values.n, row.counts_towards_drl) for row in stats.groups] == [
        ("SITE-A", 3, True),
        ("SITE-B", 2, False),
    ]
    # Only A's median (200) counts: one value is its own median and 75th percentile.
    assert (stats.registry.typical, stats.registry.drl, stats.registry.sites_counted) == (200.0, 200.0, 1)


def test_without_any_site_at_the_minimum_there_is_no_registry_drl(
    exam: StandardExam, small_minimum: None
) -> None:
    dlp_studies("SITE-A", exam, 100, 200)
    stats = drl_statistics(Study.objects.all(), exam=exam, metric=METRICS["dlp"], modality="CT")
    assert (stats.registry.drl, stats.registry.sites_counted) == (None, 0)
    assert stats.groups[0].above_drl is None


def test_the_minimum_is_the_modalitys_setting(exam: StandardExam, settings: object) -> None:
    stats = drl_statistics(Study.objects.all(), exam=exam, metric=METRICS["dap"], modality="RF")
    assert stats.minimum_sample == 30
