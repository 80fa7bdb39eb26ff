"""Fixtures every registry test folder shares: two sites, a hand-sized minimum sample, corpus studies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ingest.rdsr import read
from registry.models import Site, Study
from registry.store import store_dose_report
from tests.conftest import corpus_file


@pytest.fixture
def north(db: None) -> Site:
    return Site.objects.create(code="NORTH-01", name="North General Hospital", country="GB")


@pytest.fixture
def south(db: None) -> Site:
    return Site.objects.create(code="SOUTH-02", name="South Clinic", country="GB")


@pytest.fixture
def small_minimum(settings: Any) -> None:
    """A minimum sample of 3 studies (CT), so hand-sized fixtures can both meet and miss it."""
    settings.KERMA_DRL_MIN_SAMPLE = {**settings.KERMA_DRL_MIN_SAMPLE, "CT": 3}


@pytest.fixture
def one_site_suffices(settings: Any) -> None:
    """Registry values from a single counting group (KERMA_REGISTRY_MIN_SITES 1): for tests of the
    arithmetic over a hand-sized registry, not of the peer rule, which needs five (docs/analytics.md)."""
    settings.KERMA_REGISTRY_MIN_SITES = 1


Store = Callable[..., Study]


@pytest.fixture
def store(north: Site) -> Store:
    """Read corpus files with the RDSR reader and store them for a site (no spool, no task)."""

    def _store(*names: str, site: Site | None = None) -> Study:
        study = None
        for name in names:
            stored = store_dose_report(site=site or north, report=read(corpus_file(name)).as_dict())
            study = stored.study
        assert study is not None
        return study

    return _store
