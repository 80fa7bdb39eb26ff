"""Browsers post CSP violations to /csp-report/: logged (which rule, which resource), never query strings."""

from __future__ import annotations

import json

import pytest
from django.test import Client

REPORT = {
    "csp-report": {
        "document-uri": "https://kerma.example.org/studies/?patient=ID-12345",
        "blocked-uri": "inline",
        "effective-directive": "script-src-elem",
        "violated-directive": "script-src-elem",
        "original-policy": "default-src 'self'",
        "script-sample": "alert('ID-12345')",
        "disposition": "enforce",
    }
}


def post(body: str) -> int:
    """Browsers send no CSRF token, so the endpoint must work with CSRF checks on."""
    client = Client(enforce_csrf_checks=True)
    return client.post("/csp-report/", body, content_type="application/csp-report").status_code


def test_a_report_is_accepted_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING", logger="kerma.csp"):
        assert post(json.dumps(REPORT)) == 204
    logged = caplog.text
    assert "script-src-elem" in logged
    assert "https://kerma.example.org/studies/" in logged
    assert "ID-12345" not in logged  # neither the query string nor the script sample


@pytest.mark.parametrize("body", ["not json", "[]", '{"csp-report": "x"}'])
def test_malformed_reports_are_answered_and_not_logged(caplog: pytest.LogCaptureFixture, body: str) -> None:
    with caplog.at_level("WARNING", logger="kerma.csp"):
        assert post(body) == 204
    assert caplog.text == ""


def test_an_oversize_report_is_refused() -> None:
    assert post(json.dumps({"csp-report": {"x": "y" * 20_000}})) == 413


def test_only_posts_are_accepted(client: Client) -> None:
    assert client.get("/csp-report/").status_code == 405
