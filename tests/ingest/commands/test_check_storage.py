"""`manage.py check_storage` finds a file without a row and a row without its file; --fix removes orphans."""

from __future__ import annotations

import os
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.ingest.conftest import Send
from tests.ingest.faults import stored_files

pytestmark = pytest.mark.django_db


def _check(*args: str) -> tuple[str, str | None]:
    out = StringIO()
    try:
        call_command("check_storage", *args, stdout=out, stderr=StringIO())
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def test_storage_and_rows_agree_after_ordinary_ingest(send: Send) -> None:
    send("CT-RDSR-GEPixelMed.dcm", "DX-RDSR-Canon_CXDI.dcm")
    out, error = _check()
    assert error is None
    assert "2 file(s) under spool, reports; 2 row reference(s)" in out
    assert "storage and rows agree" in out


def test_a_planted_orphan_and_a_planted_missing_file_are_both_reported(
    send: Send, private_storage: Path
) -> None:
    kept = send("CT-RDSR-GEPixelMed.dcm")
    lost = send("DX-RDSR-Canon_CXDI.dcm")
    orphan = private_storage / "reports" / kept.site.code / "orphan.dcm"
    orphan.write_bytes(b"no row points here")
    (private_storage / str(lost.stored_file.name)).unlink()

    out, error = _check()
    assert error == "1 orphan file(s) and 1 missing file(s)"
    assert f"reports/{kept.site.code}/orphan.dcm" in out
    assert f"{lost.stored_file.name} (submission {lost.pk})" in out

    # --fix keeps orphans younger than the grace (they may belong to a worker about to commit)...
    out, error = _check("--fix")
    assert orphan.exists()
    assert "kept 1 younger than the grace" in out
    # ... and deletes older ones; the missing file is only reported (its sender must send it again).
    old = time.time() - 2 * 3600
    os.utime(orphan, (old, old))
    out, error = _check("--fix")
    assert not orphan.exists()
    assert "deleted 1 orphan file(s)" in out
    assert error == "0 orphan file(s) and 1 missing file(s)"
    assert stored_files(private_storage, "reports") == [private_storage / str(kept.stored_file.name)]
