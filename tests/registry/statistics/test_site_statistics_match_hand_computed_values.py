"""Per-site n, quartiles, mean and range, and the registry typical value and DRL, against hand arithmetic.

The inclusive method (PostgreSQL's percentile_cont): the percentile f of n sorted values lies at position
(n - 1)·f, counted from 0, interpolated linearly between its neighbours.
"""

from __future__ import annotations

import pytest

from registry.models import StandardExam, Study
from registry.statistics.drl import DrlStatistics, Summary, drl_statistics
from registry.statistics.metrics import METRICS
from tests.registry.statistics.conftest import SiteFactory, StudyFactory, dlp_studies

pytestmark = pytest.mark.django_db


@pytest.fixture
def stats(exam: StandardExam, small_minimum: None, one_site_suffices: None) -> DrlStatistics:
    dlp_studies("SITE-A", exam, 400, 100, 300, 200)
    dlp_studies("SITE-B", exam, 250, 50, 150)
    dlp_studies("SITE-C", exam, 300, 500)
    return drl_statistics(Study.objects.all(), exam=exam, metric=METRICS["dlp"], modality="CT")


def test_each_site_gets_its_quartiles_mean_and_range(stats: DrlStatistics) -> None:
    by_site = {row.site: row.values for row in stats.groups}
    # A: 100 200 300 400, n = 4. median at 1.5: 200 + 0.5·100 = 250; p25 at 0.75: 100 + 0.75·100 = 175;
    # p75 at 2.25: 300 + 0.25·100 = 325; mean 1000/4 = 250.
    assert by_site["SITE-A"] == Summary(4, 250.0, 175.0, 325.0, 250.0, 100.0, 400.0)
    # B: 50 150 250, n = 3. median at 1: 150; p25 at 0.5: 50 + 0.5·100 = 100; p75 at 1.5: 150 + 50 = 200.
    assert by_site["SITE-B"] == Summary(3, 150.0, 100.0, 200.0, 150.0, 50.0, 250.0)
    # C: 300 500, n = 2. median at 0.5: 400; p25 at 0.25: 300 + 0.25·200 = 350; p75 at 0.75: 450.
    assert by_site["SITE-C"] == Summary(2, 400.0, 350.0, 450.0, 400.0, 300.0, 500.0)


def test_the_registry_drl_is_the_75th_percentile_of_the_counted_site_medians(stats: DrlStatistics) -> None:
    # Minimum 3: C (n = 2) is left out. Medians 150 (B), 250 (A), n = 2.
    # typical at 0.5: 150 + 0.5·100 = 200; DRL at 0.75: 150 + 0.75·100 = 225.
    assert (stats.registry.typical, stats.registry.drl, stats.registry.sites_counted) == (200.0, 225.0, 2)


def test_each_site_says_whether_its_median_is_above_the_registry_drl(stats: DrlStatistics) -> None:
    assert {row.site: row.above_drl for row in stats.groups} == {
        "SITE-A": True,  # 250 > 225
        "SITE-B": False,  # 150
        "SITE-C": True,  # 400: above, though it does not count towards the DRL
    }


def test_display_values_use_the_metrics_display_unit(exam: StandardExam) -> None:
    site = SiteFactory.create(code="SITE-X")
    for dap_gym2 in (0.0010, 0.0020, 0.0030):
        StudyFactory.create(site=site, modality="DX", standard_exam=exam, dap_total_gym2=dap_gym2)
    stats = drl_statistics(Study.objects.all(), exam=exam, metric=METRICS["dap"], modality="DX")
    (row,) = stats.groups
    # median 0.002 Gy·m² = 20 Gy·cm² (1 m² = 10⁴ cm²)
    assert row.values.median == pytest.approx(0.002)
    assert row.display.median == pytest.approx(20.0)
