"""Five failed sign-ins for one username from one address lock that pair out, with a page that says so."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


@pytest.fixture
def alice(db: None) -> User:
    return User.objects.create_user("alice", password=PASSWORD)


def sign_in(client: Client, password: str, address: str = "192.0.2.10") -> tuple[int, str]:
    """The status and page of one sign-in attempt as alice."""
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": password}, REMOTE_ADDR=address
    )
    return response.status_code, response.content.decode()


def test_four_failures_only_show_the_form_error(client: Client, alice: User) -> None:
    for _ in range(4):
        status, page = sign_in(client, "wrong")
        assert status == 200
        assert "did not match" in page


def test_the_fifth_failure_shows_the_locked_out_page(client: Client, alice: User) -> None:
    for _ in range(4):
        sign_in(client, "wrong")
    status, page = sign_in(client, "wrong")
    assert status == 429
    assert "Sign-in locked" in page
    assert "1:00:00" in page  # the cool-off, one hour
    assert 'href="/accounts/password-reset/"' in page


def test_once_locked_even_the_right_password_is_refused(client: Client, alice: User) -> None:
    for _ in range(5):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD)[0] == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_address_so_others_are_not_locked_out(client: Client, alice: User) -> None:
    for _ in range(5):
        sign_in(client, "wrong", address="192.0.2.10")
    assert sign_in(client, PASSWORD, address="198.51.100.7")[0] == 302


def test_a_success_resets_the_count(client: Client, alice: User) -> None:
    for _ in range(4):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD)[0] == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, "wrong")[0] == 200


def test_the_test_client_login_still_works(client: Client, alice: User) -> None:
    assert client.login(username="alice", password=PASSWORD)
