"""Below KERMA_REGISTRY_MIN_SITES counting sites the chart, dashboard and home page give the reason."""

from __future__ import annotations

from typing import Any

import pytest

from registry.models import Site, StandardExam, Study
from tests.registry.dashboards.conftest import DASHBOARD_URL, member_browser, payloads

pytestmark = pytest.mark.django_db
REASON = "5 sites reach the minimum sample of 3; 6 are needed"


@pytest.fixture
def delta(registry: dict[str, list[Study]], sites: list[Site], settings: Any) -> Any:
    """A physicist of DELTA, in a registry whose five counting sites fall one short of six."""
    settings.KERMA_REGISTRY_MIN_SITES = 6
    return member_browser(sites[3])


def test_the_chart_draws_no_drl_and_no_peer_but_says_why(delta: Any, head: StandardExam) -> None:
    response = delta.get(DASHBOARD_URL, {"modality": "CT", "exam": head.pk, "metric": "dlp"})
    figure = payloads(response)["chart-drl"]
    assert [trace["x"] for trace in figure["data"]] == [["DELTA"]]  # own bar only, no anonymous peers
    assert "registry DRL" not in {shape.get("name") for shape in figure["layout"].get("shapes", [])}
    assert figure["layout"]["title"]["subtitle"]["text"].replace("<br>", " ") == f"No registry DRL: {REASON}"
    assert f'not shown: <span class="withheld-reason">{REASON}</span>.' in response.content.decode()


def test_the_home_page_names_the_exam_and_the_reason(delta: Any, head: StandardExam) -> None:
    html = delta.get("/").content.decode()
    assert "No site median of your busiest exams is above the registry DRL." in html
    assert f"{head.name}</a> (DLP per examination): {REASON}." in html
