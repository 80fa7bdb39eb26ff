"""Shared fixtures: where the real vendor corpus lives, and a clean skip where it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = Path(os.environ.get("KERMA_RDSR_CORPUS", PROJECT_ROOT.parent / "shared" / "rdsr-corpus"))
CORPUS_MISSING_REASON = (
    f"real vendor RDSR corpus not found at {CORPUS_DIR} "
    "(set KERMA_RDSR_CORPUS or place ../shared/rdsr-corpus beside the project)"
)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The corpus folder; skips the test where the corpus is absent (CI always has it)."""
    if not CORPUS_DIR.is_dir():
        pytest.skip(CORPUS_MISSING_REASON)
    return CORPUS_DIR


def corpus_file(name: str) -> Path:
    """Path of one corpus file, skipping the calling test where the corpus is absent."""
    path = CORPUS_DIR / name
    if not path.is_file():
        pytest.skip(CORPUS_MISSING_REASON)
    return path
