"""The OpenAPI schema is served, describes every endpoint, and validates against OpenAPI 3."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_the_schema_endpoint_serves_the_studies_and_submission_paths() -> None:
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/studies/", "/api/v1/studies/{id}/", "/api/v1/submissions/", "/dicomweb/studies"} <= set(
        paths
    )


def test_the_schema_validates_without_warnings(tmp_path: Path) -> None:
    """drf-spectacular validates against the bundled OpenAPI 3 JSON schema and fails on any warning."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/studies/" in (tmp_path / "schema.yaml").read_text()
