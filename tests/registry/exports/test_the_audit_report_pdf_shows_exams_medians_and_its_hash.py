"""GET /exports/audit-report.pdf: compliance per exam and metric, data-quality notes, the data's SHA-256."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from statistics import median

import pytest
from django.test import Client

from ingest.models import Submission
from registry.models import AuditEvent, Site
from tests.pdf_text import pdf_text
from tests.registry.exports.conftest import ALPHA_DLPS

pytestmark = pytest.mark.django_db


def test_the_report_lists_the_exam_its_median_the_notes_and_the_hash(physicist: Client, alpha: Site) -> None:
    received = datetime(2025, 6, 1, tzinfo=UTC)
    for kind, at in (("not_rdsr", received), ("outside_period", datetime(2024, 6, 1, tzinfo=UTC))):
        Submission.objects.create(
            site=alpha, channel="web", state="rejected", sha256=kind, error_kind=kind, received_at=at
        )
    response = physicist.get(
        "/exports/audit-report.pdf", {"site": "ALPHA", "date_from": "2025-01-01", "date_to": "2025-12-31"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Dose audit report" in text and "ALPHA" in text and "2025-01-01" in text
    assert "CT Head routine" in text and "DLP per examination" in text
    assert f"{median(ALPHA_DLPS):g}" in text  # the site median, 330
    assert "1000" in text and "UKHSA" in text  # the published DRL
    assert "CT SCHAEDEL SPEZIAL" in text  # an unmapped name of the site
    assert "not_rdsr 1" in text and "outside_period" not in text  # rejected in the period, by kind
    event = AuditEvent.objects.get(action="export.pdf")
    content_hash = event.detail["content_sha256"]
    assert content_hash in text
    assert event.detail["sha256"] == hashlib.sha256(response.content).hexdigest()  # the file served
    assert event.detail["sha256"] != content_hash


def test_a_report_needs_a_site(physicist: Client) -> None:
    assert physicist.get("/exports/audit-report.pdf").status_code == 400
