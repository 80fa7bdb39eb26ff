"""A site token cannot read another site's submissions: 404, as if they did not exist."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from registry.models import Site
from tests.ingest.conftest import Send

pytestmark = pytest.mark.django_db


def test_another_sites_submission_is_404(api: APIClient, send: Send) -> None:
    other = Site.objects.create(code="SOUTH-02", name="South Clinic")
    theirs = send("CT-RDSR-Siemens-Multi-1.dcm", to=other)
    assert api.get(f"/api/v1/submissions/{theirs.id}/").status_code == 404


def test_its_own_sites_submission_is_visible(api: APIClient, send: Send) -> None:
    ours = send("CT-RDSR-Siemens-Multi-1.dcm")
    assert api.get(f"/api/v1/submissions/{ours.id}/").status_code == 200
