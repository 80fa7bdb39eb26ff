"""Scoping: the protocols page and every one of its charts count only the studies of the person's sites
(visible_sites, the one access rule); another site's protocols appear nowhere, even when asked for by
name or by site. Anonymous visitors are sent to the login page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from registry.models import Role, Site
from tests.conftest import person
from tests.registry.dashboards.conftest import Browser, member_browser, site
from tests.registry.dashboards.protocol_helpers import (
    PAGE_URL,
    chart,
    chart_url,
    events,
    page,
    subtitle,
    table_rows,
)
from tests.registry.statistics.conftest import StudyFactory

pytestmark = pytest.mark.django_db
KINDS = ("protocols", "histogram", "timeline", "size")


@pytest.fixture
def sites() -> tuple[Site, Site]:
    north, south = site("NORTH"), site("SOUTH")
    events(StudyFactory.create(site=north), "North^Head", {"ctdivol_mgy": 40.0, "dlp_mgycm": 800.0})
    events(StudyFactory.create(site=south), "South^Spine", {"ctdivol_mgy": 20.0, "dlp_mgycm": 600.0})
    for each in (north, south):  # one protocol name at both sites
        events(StudyFactory.create(site=each), "Chest", {"ctdivol_mgy": 10.0, "dlp_mgycm": 400.0})
    return north, south


def _everything(client: Browser, **params: str) -> str:
    """The page and each chart fragment, as one text."""
    texts = [client.get(PAGE_URL, {"modality": "CT", **params}).content.decode()]
    texts += [client.get(chart_url(kind), {"modality": "CT", **params}).content.decode() for kind in KINDS]
    return "\n".join(texts)


def test_a_member_of_one_site_never_sees_another_sites_protocols(sites: tuple[Site, Site]) -> None:
    north, _ = sites
    member = member_browser(north)
    html, _ = page(member, modality="CT")
    assert table_rows(html) == {
        "Chest": ["1", "1", "1", "10", "10", "10", "10", "1", "400", "400", "400", "400"],
        "North Head": ["1", "1", "1", "40", "40", "40", "40", "1", "800", "800", "800", "800"],
    }
    for params in ({}, {"site": "SOUTH"}):  # (the asked site code is echoed in the form and links)
        assert "Spine" not in _everything(member, **params), params
    assert table_rows(page(member, modality="CT", site="SOUTH")[0]) == {}


def test_asking_for_another_sites_protocol_by_name_draws_nothing(sites: tuple[Site, Site]) -> None:
    member = member_browser(sites[0])
    for kind in ("histogram", "timeline", "size"):
        figure = chart(member, kind, modality="CT", protocol="South^Spine", metric="dlp_event")
        assert figure["data"] == [], kind
        assert "0 events in 0 studies at 0 sites" in subtitle(figure) or kind == "size", kind


@pytest.mark.parametrize("who", ["both sites", "registry-wide", "superuser"])
def test_a_person_of_both_sites_sees_both(sites: tuple[Site, Site], who: str) -> None:
    client = {
        "both sites": lambda: member_browser(*sites),
        "registry-wide": lambda: _signed_in(person("wide", (None, Role.PHYSICIST))),
        "superuser": lambda: member_browser(superuser=True),
    }[who]()
    rows = table_rows(page(client, modality="CT")[0])
    assert set(rows) == {"Chest", "North Head", "South Spine"}
    assert rows["Chest"][:3] == ["2", "2", "2"]  # studies, sites, n: one protocol name counted at two sites


def test_a_person_without_a_site_sees_no_protocols(sites: tuple[Site, Site]) -> None:
    html, figures = page(member_browser(), modality="CT")
    assert table_rows(html) == {}
    assert "No counted CT events for these filters." in html
    assert figures["chart-protocols"]["data"] == []


@pytest.mark.parametrize("url", [PAGE_URL, chart_url("histogram")])
def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def _signed_in(user: User) -> Browser:
    client = Browser()
    client.force_login(user)
    return client
