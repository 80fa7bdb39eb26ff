"""With DEBUG off and the secrets set, `check --deploy` finds nothing, cookies are HTTPS-only, HSTS is on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from tests.registry.settings_probe import PROJECT_ROOT

PRODUCTION = {
    "DEBUG": "off",
    "SECRET_KEY": "kerma-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG",
    "KERMA_PSEUDONYM_KEY": "pseudonym-key-for-tests",
    "ALLOWED_HOSTS": "kerma.example.org",
}
PROBE = """
import json
import django
from django.conf import settings
django.setup()
names = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SECURE_HSTS_SECONDS",
         "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER",
         "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS", "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT",
         "EMAIL_USE_TLS"]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


def run(*args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    """Run the interpreter on `args` in the project with nothing in the environment but `environ`."""
    clean = {"PATH": os.environ.get("PATH", ""), "KERMA_ENV_FILE": "", **environ}
    clean["DJANGO_SETTINGS_MODULE"] = "registry.settings"
    return subprocess.run(  # noqa: S603 - fixed interpreter and arguments, no shell
        [sys.executable, *args], cwd=PROJECT_ROOT, env=clean, capture_output=True, text=True, check=False
    )


def probe(**environ: str) -> dict[str, Any]:
    result = run("-c", PROBE, **environ)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def test_check_deploy_reports_no_warning() -> None:
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_cookies_are_https_only_and_hsts_lasts_a_year() -> None:
    loaded = probe(**PRODUCTION)
    assert loaded["SESSION_COOKIE_SECURE"] is loaded["CSRF_COOKIE_SECURE"] is True
    assert loaded["SESSION_COOKIE_HTTPONLY"] is True
    assert loaded["SECURE_HSTS_SECONDS"] == 31_536_000
    assert loaded["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert loaded["SECURE_SSL_REDIRECT"] is True
    assert loaded["SECURE_REFERRER_POLICY"] == "same-origin"
    assert loaded["X_FRAME_OPTIONS"] == "DENY"


def test_the_proxy_header_is_trusted_only_behind_the_tls_proxy() -> None:
    assert probe(**PRODUCTION)["SECURE_PROXY_SSL_HEADER"] is None
    behind = probe(**PRODUCTION, KERMA_BEHIND_TLS_PROXY="1")
    assert behind["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.parametrize(
    ("variable", "value", "setting", "expected"),
    [
        ("SECURE_HSTS_SECONDS", "600", "SECURE_HSTS_SECONDS", 600),
        ("SECURE_SSL_REDIRECT", "off", "SECURE_SSL_REDIRECT", False),
    ],
)
def test_https_settings_can_be_overridden(variable: str, value: str, setting: str, expected: Any) -> None:
    assert probe(**PRODUCTION, **{variable: value})[setting] == expected


def test_development_keeps_plain_http() -> None:
    loaded = probe()
    assert loaded["SECURE_SSL_REDIRECT"] is False
    assert loaded["SECURE_HSTS_SECONDS"] == 0
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_email_url_names_an_smtp_server() -> None:
    loaded = probe(EMAIL_URL="smtp+tls://kerma:pw@mail.example.org:587")
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (loaded["EMAIL_HOST"], loaded["EMAIL_PORT"], loaded["EMAIL_USE_TLS"]) == (
        "mail.example.org",
        587,
        True,
    )
