"""`manage.py demo_setup` prints working credentials for a fresh `demo` superuser each run."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def run_demo_setup() -> tuple[str, str]:
    """The command's output and the password it printed."""
    out = StringIO()
    call_command("demo_setup", stdout=out)
    match = re.search(r"Password: (\S+)", out.getvalue())
    assert match, out.getvalue()
    return out.getvalue(), match.group(1)


def test_it_prints_url_username_and_password() -> None:
    output, _ = run_demo_setup()
    assert "URL:      http://127.0.0.1:8000/" in output
    assert "Username: demo" in output


def test_the_printed_password_signs_in_as_a_superuser(client: Client) -> None:
    _, password = run_demo_setup()
    assert client.login(username="demo", password=password)
    assert client.get("/admin/").status_code == 200


def test_a_second_run_replaces_the_password(client: Client) -> None:
    _, first = run_demo_setup()
    _, second = run_demo_setup()
    assert first != second
    assert not client.login(username="demo", password=first)
    assert client.login(username="demo", password=second)
