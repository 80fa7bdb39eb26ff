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
    for kind in ("distribution", "trend", "weight", "workload", "fluoroscopy"):
        assert f'id="section-{kind}" hx-trigger="revealed"' in html
        assert f'hx-get="/dashboards/drl/charts/{kind}/?modality=CT&amp;exam={head.pk}&amp;sex=F"' in html
