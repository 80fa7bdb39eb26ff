"""Every page carries a CSP that allows scripts and styles only from our origin, and no inline code."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_the_sign_in_page_has_the_policy(client: Client) -> None:
    policy = directives(client.get("/accounts/login/")["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:", "blob:"]  # plotly's PNG download
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["report-uri"] == ["/csp-report/"]


@pytest.mark.parametrize("keyword", ["'unsafe-inline'", "'unsafe-eval'"])
def test_no_unsafe_keyword_anywhere(client: Client, keyword: str) -> None:
    assert keyword not in client.get("/accounts/login/")["Content-Security-Policy"]


def test_pages_may_not_be_framed(client: Client) -> None:
    assert client.get("/accounts/login/")["X-Frame-Options"] == "DENY"
