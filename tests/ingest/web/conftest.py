"""Fixtures for the upload page: people with and without the uploader role, and a posting helper."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import Client as TestClient

from registry.models import Role, Site
from tests.conftest import corpus_file, person

Post = Callable[..., Any]


@pytest.fixture
def uploader_client(client: Client, site: Site) -> Client:
    client.force_login(person("uploader", (site, Role.UPLOADER)))
    return client


def corpus_upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, corpus_file(name).read_bytes())


@pytest.fixture
def post_upload(uploader_client: TestClient, site: Site, django_capture_on_commit_callbacks: Any) -> Post:
    """Post files to the upload page as the site's uploader, running the queued tasks (eager Celery)."""

    def _post(*files: SimpleUploadedFile) -> Any:
        """The response to the post, or, after a redirect, the page it leads to once the tasks ran."""
        with django_capture_on_commit_callbacks(execute=True):
            response = uploader_client.post("/upload/", {"site": site.code, "reports": list(files)})
        if response.status_code != 302:
            return response
        return uploader_client.get(response["Location"])

    return _post
