"""Who sees which studies: a token its site's, a person their sites', nobody else anything."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from registry.models import Site
from tests.registry.api.conftest import Store, member_client, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sites(store: Store, north: Site, south: Site) -> None:
    store("CT-RDSR-Siemens-Multi-3.dcm")
    store("DX-RDSR-Canon_CXDI.dcm", site=south)


def _sites(client: APIClient) -> list[str]:
    response = client.get("/api/v1/studies/")
    assert response.status_code == 200
    return [study["site"] for study in response.json()["results"]]


def test_a_site_token_lists_only_its_own_sites_studies(two_sites: None, north: Site) -> None:
    assert _sites(token_client(north)) == ["NORTH-01"]


def test_a_member_lists_the_studies_of_their_sites(two_sites: None, south: Site) -> None:
    assert _sites(member_client(south)) == ["SOUTH-02"]


def test_a_person_without_membership_lists_nothing(two_sites: None) -> None:
    assert _sites(member_client()) == []


def test_an_anonymous_request_is_401(two_sites: None) -> None:
    response = APIClient().get("/api/v1/studies/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_another_sites_study_is_404(store: Store, north: Site, south: Site) -> None:
    theirs = store("DX-RDSR-Canon_CXDI.dcm", site=south)
    assert token_client(north).get(f"/api/v1/studies/{theirs.pk}/").status_code == 404
    assert token_client(south).get(f"/api/v1/studies/{theirs.pk}/").status_code == 200
