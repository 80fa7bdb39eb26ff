"""The dashboard's export links show to those who may export (physicists, auditors, administrators)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from registry.models import Site, StandardExam, Study
from tests.conftest import DEFAULT_PASSWORD, person
from tests.registry.dashboards.conftest import DASHBOARD_URL

pytestmark = pytest.mark.django_db
EXPORTS = {"uploader": False, "physicist": True, "auditor": True, "administrator": True}


@pytest.mark.parametrize("role", sorted(EXPORTS))
def test_export_links_only_for_exporters(
    client: Client, registry: dict[str, list[Study]], head: StandardExam, role: str
) -> None:
    alpha = Site.objects.get(code="ALPHA")
    user = person(f"u-{role}", (alpha, role))
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    params = {"modality": "CT", "exam": str(head.pk), "site": "ALPHA"}
    page = client.get(DASHBOARD_URL, params).content.decode()
    assert "Patients:" in page  # the statistics block is drawn
    assert (reverse("exports:studies-csv") in page) is EXPORTS[role]
    assert (reverse("audit-report-pdf") in page) is EXPORTS[role]
