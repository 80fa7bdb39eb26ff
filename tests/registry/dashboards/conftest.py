"""Fixtures for the dashboard tests: a small registry of five sites, signed-in clients, chart payloads.

Studies are made directly with the statistics tests' factories, so every number a test checks is either
computed by hand or read from the DRL statistics API for the same parameters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from registry.models import Role, Site, StandardExam, Study
from tests.conftest import person
from tests.registry.statistics.conftest import ExamFactory, LevelFactory, SiteFactory, dlp_studies

DASHBOARD_URL = "/dashboards/drl/"
PAYLOAD = re.compile(r'<script id="(chart-[a-z]+)" type="application/json">(.*?)</script>', re.DOTALL)

# DLPs per site: four similar sites and one clearly above them (as in the demo). Five sites reach the minimum
# sample, as the registry values need (KERMA_REGISTRY_MIN_SITES): medians 305 (BRAVO), 310 (ECHO), 330
# (ALPHA, CHARLIE), 700 (DELTA); typical value and DRL both 330, so ALPHA and CHARLIE sit at the DRL.
SITE_DLPS = {
    "ALPHA": (300.0, 320.0, 340.0, 360.0),
    "BRAVO": (280.0, 300.0, 310.0, 330.0),
    "CHARLIE": (310.0, 330.0, 350.0),
    "DELTA": (600.0, 650.0, 700.0, 720.0, 800.0),
    "ECHO": (290.0, 310.0, 330.0),
}


def payloads(response: Any) -> dict[str, dict[str, Any]]:
    """The figures a page embeds with json_script, by element id (Django escapes <, > and & inside)."""
    html = response.content.decode()
    return {name: json.loads(text) for name, text in PAYLOAD.findall(html)}


def chart(client: Client, kind: str, params: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    """One chart's figure, fetched as the dashboard page does for every chart after the first (htmx)."""
    response = client.get(f"/dashboards/drl/charts/{kind}/", params, **extra)
    assert response.status_code == 200, response.content[:300]
    return payloads(response)[f"chart-{kind}"]


class Browser(Client):
    """Django's test client, with query parameters typed as the tests write them (ids are ints)."""

    def get(self, path: str, data: Mapping[str, Any] | None = None, **extra: Any) -> Any:  # type: ignore[override]
        return super().get(path, data, **extra)


def member_browser(*sites: Site, superuser: bool = False) -> Browser:
    """A signed-in client of a new physicist at `sites` (or a superuser)."""
    physicist = ((site, Role.PHYSICIST) for site in sites)
    user = person(f"person-{User.objects.count()}", *physicist, superuser=superuser)
    client = Browser()
    client.force_login(user)
    return client


@pytest.fixture
def head(db: None) -> StandardExam:
    return ExamFactory.create(name="CT head routine")


@pytest.fixture
def registry(head: StandardExam, small_minimum: None) -> dict[str, list[Study]]:
    """Five sites of CT head studies (DELTA above the rest), a published P75 and P50, and an older P75."""
    studies = {code: dlp_studies(code, head, *dlps) for code, dlps in SITE_DLPS.items()}
    LevelFactory.create(exam=head, metric="dlp", value=970.0, issuer="UKHSA", year=2022)
    LevelFactory.create(exam=head, metric="dlp", value=1000.0, issuer="EC RP 180", year=2014)
    LevelFactory.create(exam=head, metric="dlp", value=800.0, statistic="P50", status="unverified")
    return studies


@pytest.fixture
def sites(registry: dict[str, list[Study]]) -> list[Site]:
    return list(Site.objects.order_by("code"))


@pytest.fixture
def everyone(sites: list[Site]) -> Browser:
    """A physicist of all five sites: every row is named, none is a peer."""
    return member_browser(*sites)


def site(code: str) -> Site:
    return SiteFactory.create(code=code)
