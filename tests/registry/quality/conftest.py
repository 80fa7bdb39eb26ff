"""Fixtures for the QA tests: two sites, CT head studies with hand-picked DLPs, and people of each role."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from registry.models import Role, Site, StandardExam, Study
from tests.conftest import person
from tests.registry.statistics.conftest import ExamFactory, SiteFactory, dlp_studies


@pytest.fixture
def north(db: None) -> Site:
    return SiteFactory.create(code="NORTH")


@pytest.fixture
def south(db: None) -> Site:
    return SiteFactory.create(code="SOUTH")


@pytest.fixture
def exam(db: None) -> StandardExam:
    return ExamFactory.create(name="CT head routine")


@pytest.fixture
def studies(north: Site, exam: StandardExam) -> list[Study]:
    """Three head CTs at NORTH in March 2025, DLP 300, 500 and 2000 mGy·cm (the last one a phantom)."""
    return dlp_studies(north, exam, 300.0, 500.0, 2000.0, study_date=date(2025, 3, 4))


def signed_in(username: str, *memberships: tuple[Site | None, str]) -> Client:
    client = Client()
    client.force_login(person(username, *memberships))
    return client


@pytest.fixture
def physicist(north: Site) -> Client:
    return signed_in("phil", (north, Role.PHYSICIST))
