"""Fixtures for the reference-level library: a copy of the published CSVs, sites, people, a loader."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from registry.models import ReferenceLevel, Role, Site, StandardExam
from registry.reference_levels.library import reference_level_create
from tests.conftest import PROJECT_ROOT, person

PUBLISHED_DIR = PROJECT_ROOT.parent / "shared" / "reference-levels"
Load = Callable[[Path], str]


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """A private copy of drl.csv and thresholds.csv (tests edit it); skips where ../shared is absent."""
    if not (PUBLISHED_DIR / "drl.csv").is_file() or not (PUBLISHED_DIR / "thresholds.csv").is_file():
        pytest.skip(f"published reference levels not found at {PUBLISHED_DIR}")
    folder = tmp_path / "published"
    folder.mkdir()
    for name in ("drl.csv", "thresholds.csv"):
        shutil.copy(PUBLISHED_DIR / name, folder / name)
    return folder


@pytest.fixture
def load(db: None) -> Load:
    """Run `load_reference_levels PATH` and return what it printed."""

    def _load(path: Path) -> str:
        out = StringIO()
        call_command("load_reference_levels", str(path), stdout=out, stderr=StringIO())
        return out.getvalue()

    return _load


def edit_row(path: Path, contains: str, old: str, new: str) -> None:
    """Change `old` to `new` in the one line of a CSV that contains `contains`."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    (index,) = [i for i, line in enumerate(lines) if contains in line]
    assert old in lines[index]
    lines[index] = lines[index].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def ukhsa_head_dlp() -> ReferenceLevel:
    """drl.csv line 3: UKHSA 2022 adult CT Head (acute stroke) DLP P75 790 mGy.cm, verified."""
    return ReferenceLevel.objects.current().get(
        issuer="UKHSA", exam__name="Head", metric="dlp", indication="Acute stroke"
    )


@pytest.fixture
def physicist(north: Site) -> User:
    return person("physicist", (north, Role.PHYSICIST))


def local_dap(site: Site, actor: User, gym2: float = 0.0015) -> ReferenceLevel:
    """A local P75 DAP for RF Barium swallow; 0.0015 Gy.m2 is 15 Gy·cm²."""
    exam, _ = StandardExam.objects.get_or_create(modality="RF", name="Barium swallow")
    return reference_level_create(actor=actor, site=site, exam=exam, metric="dap", value=gym2)


def page(client: Client, url: str, params: dict[str, str] | None = None) -> str:
    """The page's HTML with non-breaking spaces as plain ones, so '15 Gy·cm²' reads as it shows."""
    return client.get(url, params or {}).content.decode().replace("&nbsp;", " ")
