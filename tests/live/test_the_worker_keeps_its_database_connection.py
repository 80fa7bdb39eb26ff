"""The worker stores report after report in one PostgreSQL connection, not a new one per task.

Celery's Django fixup closes a worker's connections around every task unless CELERY_DB_REUSE_MAX is set;
`registry.celery` then applies Django's own rule (CONN_MAX_AGE, health checks). A new connection costs a
PostgreSQL backend's start for every report (docs/performance.md).
"""

from __future__ import annotations

import requests
from django.db import connection

from tests.conftest import corpus_file
from tests.live.conftest import LiveSite, wait_until_final

REPORTS = ("CT-RDSR-GEPixelMed.dcm", "DX-RDSR-Canon_CXDI.dcm", "MG-RDSR-Hologic_2D.dcm")


def test_reports_sent_one_after_another_are_stored_in_one_connection(
    web_server: str, live_site: LiveSite
) -> None:
    from ingest.models import Submission

    finished = []
    for name in REPORTS:
        with corpus_file(name).open("rb") as upload:
            response = requests.post(
                f"{web_server}/api/v1/submissions/",
                files={"file": (name, upload, "application/dicom")},
                headers={"Authorization": f"Token {live_site.token}"},
                timeout=30,
            )
        assert response.status_code == 202, response.text
        sent = response.json()["submissions"][0]["id"]
        assert wait_until_final([sent]) == {sent: "stored"}
        finished.append(Submission.objects.get(pk=sent).finished_at)
    with connection.cursor() as cursor:
        # Another process's connection to this database, opened before the first report was finished and
        # used until after the last: the worker's (the web server's last statements precede each store).
        # Closed after each task, there would be none.
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_start < %s AND state_change >= %s",
            [finished[0], finished[-1]],
        )
        (kept,) = cursor.fetchone()
    assert kept >= 1
