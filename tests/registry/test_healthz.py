"""/healthz answers "ok" without a login, for load balancers and deployment checks."""

from __future__ import annotations

from django.test import Client


def test_healthz_answers_ok_without_login(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
