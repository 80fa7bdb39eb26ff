"""Shared fixtures: where the real vendor corpus lives (a clean skip where it is absent), and people."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # Django is imported only when a person is made: reader tests may run without it
    from django.contrib.auth.models import User

    from registry.models import Site

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = Path(os.environ.get("KERMA_RDSR_CORPUS", PROJECT_ROOT.parent / "shared" / "rdsr-corpus"))
CORPUS_MISSING_REASON = (
    f"real vendor RDSR corpus not found at {CORPUS_DIR} "
    "(set KERMA_RDSR_CORPUS or place ../shared/rdsr-corpus beside the project)"
)
# Long enough for the password validators, for the tests that sign in through the form.
DEFAULT_PASSWORD = "a-long-test-password"


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


@pytest.fixture(autouse=True)
def private_storage(tmp_path: Path) -> Iterator[Path | None]:
    """Spooled uploads, report copies and exports go to a per-test folder, never the developer's var/storage.

    Pure reader tests may run without Django (`-p no:django`); then there are no settings to override.
    """
    from django.conf import settings
    from django.test import override_settings

    if not settings.configured:
        yield None
        return
    with override_settings(MEDIA_ROOT=tmp_path / "storage"):
        yield tmp_path / "storage"


def person(
    username: str,
    *memberships: tuple[Site | None, str],
    superuser: bool = False,
    password: str = DEFAULT_PASSWORD,
) -> User:
    """A new user holding each (site, role) membership given; a site of None is a registry-wide role.

    Every test makes its people here, so access tests all start from the same kind of person: signed in with
    `client.force_login(person(...))`, or through the form with `password`. Registry-wide roles are for
    physicists and auditors only (the Membership check constraint refuses the others).
    """
    from django.contrib.auth.models import User

    from registry.models import Membership

    user = User.objects.create_user(username, password=password, is_superuser=superuser)
    for site, role in memberships:
        Membership.objects.create(user=user, site=site, role=role)
    return user
