"""/healthz answers without a login: "ok", or 503 and what is wrong (database, storage full or read-only)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _lines(response: Any) -> list[str]:
    return response.content.decode().splitlines()


def test_healthz_answers_ok_without_login(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    verdict, database, storage = _lines(response)
    assert (verdict, database) == ("ok", "database ok")
    assert storage.startswith("storage ok: ") and storage.endswith(" MB free")


def test_healthz_says_when_storage_is_full(client: Client, settings: Any) -> None:
    settings.KERMA_STORAGE_MIN_FREE_MB = 2**40
    response = client.get("/healthz")
    assert response.status_code == 503
    verdict, _, storage = _lines(response)
    assert verdict == "unavailable"
    assert storage.startswith("storage full: ")
    assert storage.endswith(f"MB free, below KERMA_STORAGE_MIN_FREE_MB={2**40}")


def test_healthz_says_when_storage_cannot_be_written(client: Client, settings: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"")
    settings.MEDIA_ROOT = blocker / "storage"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert _lines(response)[2] == f"storage not writable: {blocker / 'storage'}: Not a directory"
