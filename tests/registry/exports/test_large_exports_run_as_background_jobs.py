"""Above LARGE_EXPORT_ROWS an export becomes a Celery job (eager here): a page with progress, then a link."""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from registry.exports import jobs
from registry.models import AuditEvent, Membership, Role, Site
from tests.conftest import person
from tests.registry.exports.conftest import read_csv, streamed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_threshold(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Any) -> None:
    monkeypatch.setattr(jobs, "LARGE_EXPORT_ROWS", 2)
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(
    "path", ["/exports/studies.csv", "/exports/events.csv", "/exports/studies.xlsx", "/exports/events.xlsx"]
)
def test_the_job_writes_the_file_and_the_page_links_it(
    physicist: Client, path: str, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = physicist.get(path)
    job = AuditEvent.objects.get(action__in=("export.csv", "export.xlsx"))
    assert response.status_code == 302 and response["Location"] == f"/exports/jobs/{job.pk}/"
    assert job.detail["mode"] == "job"
    completed = AuditEvent.objects.get(action="export.completed", object_id=str(job.pk))
    path_in_storage = completed.detail["path"]
    assert path_in_storage.startswith(f"exports/{job.pk}/")
    with default_storage.open(path_in_storage) as handle:
        content = handle.read()
    assert completed.detail["sha256"] == hashlib.sha256(content).hexdigest()
    page = physicist.get(f"/exports/jobs/{job.pk}/").content.decode()
    assert f'href="/exports/jobs/{job.pk}/download"' in page and "<script>" not in page
    download = physicist.get(f"/exports/jobs/{job.pk}/download")
    assert streamed(download) == content
    assert physicist.get(f"/exports/jobs/{job.pk}/status.json").json()["state"] == "finished"


def test_the_csv_job_file_equals_the_small_stream(
    physicist: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        physicist.get("/exports/studies.csv")
    job = AuditEvent.objects.get(action="export.csv")
    with default_storage.open(AuditEvent.objects.get(action="export.completed").detail["path"]) as handle:
        from_job = handle.read()
    jobs.LARGE_EXPORT_ROWS = 10**6
    streamed = physicist.get("/exports/studies.csv")
    assert read_csv(streamed) == list(csv.reader(io.StringIO(from_job.decode())))
    assert job.detail["rows"] == 5


def test_someone_elses_job_is_a_404(
    physicist: Client, alpha: Site, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        physicist.get("/exports/studies.csv")
    job = AuditEvent.objects.get(action="export.csv")
    other = Client()
    other.force_login(person("olga", (alpha, Role.PHYSICIST)))
    for suffix in ("", "status.json", "download"):
        assert other.get(f"/exports/jobs/{job.pk}/{suffix}").status_code == 404


def test_a_finished_file_is_refused_once_the_exporting_role_is_withdrawn(
    physicist: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        physicist.get("/exports/studies.csv")
    job = AuditEvent.objects.get(action="export.csv")
    assert physicist.get(f"/exports/jobs/{job.pk}/download").status_code == 200
    Membership.objects.filter(user__username="phil").update(role=Role.UPLOADER)
    assert physicist.get(f"/exports/jobs/{job.pk}/download").status_code == 403
