"""403, 404, 400 and 500 answer in the site's layout, say what happened and where to go."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.utils.html import strip_tags
from django.views.defaults import server_error

from registry.models import Site
from tests.conftest import DEFAULT_PASSWORD, person

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return " ".join(strip_tags(content.decode()).split())


@pytest.fixture
def physician(client: Client) -> Client:
    site = Site.objects.create(code="A", name="A")
    user = person("phys", (site, "physicist"))
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    return client


def test_a_refused_page_says_why_in_the_layout(physician: Client) -> None:
    response = physician.get("/upload/")
    assert response.status_code == 403
    text = _text(response.content)
    assert "You may not open this page" in text
    assert "Uploading needs the uploader or administrator role at a site." in text
    assert "Dashboards" in text  # the signed-in navigation
    assert "Go to the home page, the dashboards or the studies." in text


def test_a_missing_page_names_the_path(physician: Client) -> None:
    response = physician.get("/no/such/page/")
    assert response.status_code == 404
    text = _text(response.content)
    assert "Nothing here" in text
    assert "There is no page at /no/such/page/" in text
    assert "Dashboards" in text


def test_a_bad_filter_gets_a_400_page_with_the_reason(physician: Client) -> None:
    response = physician.get("/exports/studies.csv", {"weight_min": "heavy"})
    assert response.status_code == 400
    text = _text(response.content)
    assert "This request could not be understood" in text
    assert "Weight at least (kg): Enter a number." in text
    assert "weight_min" not in text
    assert "Dashboards" in text


def test_the_500_page_stands_without_a_request_context() -> None:
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    text = _text(response.content)
    assert "Something went wrong on our side" in text
    assert "Sign in" in text  # no user to know: the signed-out links
    assert b"css/kerma.css" in response.content
