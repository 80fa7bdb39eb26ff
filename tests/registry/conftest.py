"""Fixtures every registry test folder shares: two sites and a hand-sized minimum sample."""

from __future__ import annotations

from typing import Any

import pytest

from registry.models import Site


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
