"""The page embeds only the first chart; every other one is fetched when its section comes into view."""

from __future__ import annotations

import pytest

from registry.models import StandardExam
from tests.registry.dashboards.conftest import DASHBOARD_URL, Browser, payloads

pytestmark = pytest.mark.django_db


def test_the_page_embeds_the_drl_chart_and_defers_the_others_with_their_filters(
    everyone: Browser, head: StandardExam
) -> None:
    response = everyone.get(DASHBOARD_URL, {"modality": "CT", "exam": head.pk, "sex": "F"})
    html = response.content.decode()
    assert set(payloads(response)) == {"chart-drl"}
    for kind in ("distribution", "trend", "weight", "workload"):  # fluoroscopy: the RF dashboard's only
        assert f'id="section-{kind}" hx-trigger="revealed"' in html
        query = f"modality=CT&amp;exam={head.pk}&amp;sex=F&amp;metric=dlp&amp;group_by=site"
        assert f'hx-get="/dashboards/drl/charts/{kind}/?{query}"' in html


def test_a_bare_page_gives_its_fragments_the_exam_it_chose(everyone: Browser, head: StandardExam) -> None:
    """The page resolved the busiest modality and exam; the fragments must not resolve them again."""
    html = everyone.get(DASHBOARD_URL).content.decode()
    query = f"modality=CT&amp;metric=dlp&amp;group_by=site&amp;exam={head.pk}"
    assert f'hx-get="/dashboards/drl/charts/workload/?{query}"' in html
