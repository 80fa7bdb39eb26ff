"""A forgotten password is reset by email: the link in the mail sets a new one, once."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-brand-new-long-password"


@pytest.fixture
def alice(db: None) -> User:
    return User.objects.create_user("alice", email="alice@example.org", password="a-long-test-password")


def reset_link(client: Client, email: str) -> str:
    response = client.post("/accounts/password-reset/", {"email": email})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    (message,) = mail.outbox
    match = re.search(r"http://testserver(/accounts/reset/\S+/)", str(message.body))
    assert match, message.body
    return match.group(1)


def test_the_sign_in_page_links_to_the_reset(client: Client) -> None:
    assert b'href="/accounts/password-reset/"' in client.get("/accounts/login/").content


def test_the_mail_goes_to_the_account_address(client: Client, alice: User) -> None:
    reset_link(client, "alice@example.org")
    assert mail.outbox[0].to == ["alice@example.org"]
    assert mail.outbox[0].subject == "Kerma: reset your password"


def test_the_link_sets_a_new_password(client: Client, alice: User) -> None:
    form_url = client.get(reset_link(client, "alice@example.org"))["Location"]  # token moves to the session
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == "/accounts/reset/done/"
    assert client.login(username="alice", password=NEW_PASSWORD)


def test_the_link_works_only_once(client: Client, alice: User) -> None:
    link = reset_link(client, "alice@example.org")
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert b"This link does not work" in Client().get(link, follow=True).content


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client: Client, alice: User) -> None:
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []
