"""Fixtures for ingest tests: a private storage folder, a site, and a helper that sends corpus files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ingest.models import Channel, Submission
from ingest.services import submission_receive
from registry.models import Site
from tests.conftest import corpus_file
from tests.ingest.faults import broker, database_down  # noqa: F401 - fixtures for every ingest test


@pytest.fixture
def site(db: None) -> Site:
    return Site.objects.create(code="NORTH-01", name="North General Hospital", country="GB")


Send = Callable[..., Submission]


@pytest.fixture
def send(site: Site, django_capture_on_commit_callbacks: Any) -> Send:
    """Receive corpus files (or bytes) as a site would, and run the queued task (eager Celery)."""

    def _send(*names: str, data: bytes | None = None, to: Site | None = None) -> Submission:
        submission = None
        for name in names or ("upload.dcm",):
            payload = data if data is not None else corpus_file(name).read_bytes()
            with django_capture_on_commit_callbacks(execute=True):
                submission = submission_receive(
                    site=to or site, data=payload, channel=Channel.API, filename=name
                )
        assert submission is not None
        submission.refresh_from_db()
        return submission

    return _send
