"""The multipart field `file` is required."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_a_post_without_the_file_field_is_refused_naming_the_field(api: APIClient) -> None:
    response = api.post("/api/v1/submissions/", {"other": "x"}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()
