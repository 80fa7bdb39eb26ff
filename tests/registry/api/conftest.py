"""Fixtures for the studies API: corpus reports stored straight into the registry, and its callers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ingest.rdsr import read
from registry.models import Site, Study
from registry.store import store_dose_report
from tests.conftest import corpus_file
from tests.registry.statistics.conftest import member_client, token_client

__all__ = ["Store", "member_client", "token_client"]  # the API callers, shared with the statistics tests

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
