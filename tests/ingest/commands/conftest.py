"""Fixtures for the management command tests: a folder of dose reports as a site would have it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import corpus_file


@pytest.fixture
def report_folder(tmp_path: Path) -> Path:
    """Two corpus dose reports in a subfolder, a text file beside them, and a hidden file to skip."""
    folder = tmp_path / "outbox"
    (folder / "ct").mkdir(parents=True)
    for name in ("CT-RDSR-Siemens-Multi-3.dcm", "DX-RDSR-Canon_CXDI.dcm"):
        shutil.copy(corpus_file(name), folder / "ct" / name)
    (folder / "notes.txt").write_text("not a dose report")
    (folder / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    return folder
