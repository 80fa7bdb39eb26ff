"""With the production HTTPS settings, plain HTTP is redirected (but for /healthz) and HSTS is sent."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

PRODUCTION_HTTPS = override_settings(
    SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31_536_000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True
)


@PRODUCTION_HTTPS
def test_plain_http_is_redirected_to_https(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


@PRODUCTION_HTTPS
def test_https_responses_carry_hsts(client: Client) -> None:
    response = client.get("/accounts/login/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")


@PRODUCTION_HTTPS
def test_the_health_check_answers_plain_http(client: Client) -> None:
    assert client.get("/healthz").status_code == 200


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_behind_the_proxy_its_https_header_counts(client: Client) -> None:
    assert client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
