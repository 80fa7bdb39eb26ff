"""Access: every dashboard page needs a login; each person sees only their sites' studies."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from registry.models import Site, StandardExam, Study
from tests.registry.dashboards.conftest import DASHBOARD_URL, chart, member_browser, payloads

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", [DASHBOARD_URL, "/dashboards/drl/charts/drl/", "/studies/", "/studies/1/", "/upload/summary/", "/"]
)
def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_another_sites_study_is_a_404(sites: list[Site], registry: dict[str, list[Study]]) -> None:
    alpha = member_browser(sites[0])
    assert alpha.get(f"/studies/{registry['ALPHA'][0].pk}/").status_code == 200
    assert alpha.get(f"/studies/{registry['DELTA'][0].pk}/").status_code == 404


def test_the_studies_list_holds_only_the_persons_sites(
    sites: list[Site], registry: dict[str, list[Study]]
) -> None:
    html = member_browser(sites[0]).get("/studies/").content.decode()
    assert all(f"/studies/{study.pk}/" in html for study in registry["ALPHA"])
    assert not any(f"/studies/{study.pk}/" in html for study in registry["DELTA"])


def test_the_charts_hold_only_the_persons_sites(sites: list[Site], head: StandardExam) -> None:
    member, params = member_browser(sites[0], sites[3]), {"modality": "CT", "exam": head.pk}
    figures = payloads(member.get(DASHBOARD_URL, params))
    bars = {site for trace in figures["chart-drl"]["data"] for site in trace["x"]}
    # The other three counting sites are anonymous peers: no code of theirs anywhere in the figure.
    assert bars == {"ALPHA", "DELTA", "Peer 1", "Peer 2", "Peer 3"}
    assert not any(code in json.dumps(figures["chart-drl"]) for code in ("BRAVO", "CHARLIE", "ECHO"))
    assert {trace["name"] for trace in chart(member, "trend", params)["data"]} == {"ALPHA", "DELTA"}


def test_a_person_without_a_site_sees_no_data(head: StandardExam, registry: dict[str, list[Study]]) -> None:
    response = member_browser().get(DASHBOARD_URL, {"modality": "CT", "exam": head.pk})
    assert response.status_code == 200
    assert payloads(response)["chart-drl"]["data"] == []
