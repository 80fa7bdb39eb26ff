"""A mapped study's values beside its exam's registry DRL and the published DRL the dashboard draws.

The registry (tests/registry/dashboards/conftest.py): five sites' CT head DLPs whose medians are 305, 310,
330, 330 and 700 mGy·cm; the registry DRL is their 75th percentile, 330 (hand-computed there). Published:
the P75 the dashboard draws by default (registry.dashboards.chart_source.chosen_published), EC RP 180's 1000.
"""

from __future__ import annotations

import re

import pytest
from django.utils.html import strip_tags

from registry.models import Site, StandardExam, Study
from tests.registry.dashboards.conftest import member_browser

pytestmark = pytest.mark.django_db


def _levels(html: str) -> list[str]:
    section = re.search(r'<section class="against-levels".*?</section>', html, re.S)
    assert section is not None
    return [" ".join(strip_tags(row).split()) for row in re.findall(r"<tr>(.*?)</tr>", section[0], re.S)[1:]]


def test_a_study_above_the_registry_drl_and_within_the_published_one(
    registry: dict[str, list[Study]], head: StandardExam
) -> None:
    study = max(registry["DELTA"], key=lambda study: study.ct_dlp_total_mgycm or 0)
    assert study.ct_dlp_total_mgycm == 800.0
    html = member_browser(Site.objects.get(code="DELTA")).get(f"/studies/{study.pk}/").content.decode()
    expected = "DLP per examination (mGy·cm) 800 330 (5 sites) above 1000 (EC RP 180 2014) within"
    assert _levels(html) == [expected]


def test_an_unmapped_study_is_not_compared(registry: dict[str, list[Study]]) -> None:
    study = registry["ALPHA"][0]
    Study.objects.filter(pk=study.pk).update(standard_exam=None)
    html = member_browser(Site.objects.get(code="ALPHA")).get(f"/studies/{study.pk}/").content.decode()
    assert "against-levels" not in html
