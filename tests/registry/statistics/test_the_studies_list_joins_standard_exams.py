"""Naming each study's standard exam costs the studies list no query per study: it is joined."""

from __future__ import annotations

from typing import Any

import pytest

from tests.registry.statistics.conftest import ExamFactory, SiteFactory, StudyFactory, token_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [3, 40])
def test_listing_mapped_studies_takes_a_fixed_number_of_queries(
    count: int, django_assert_num_queries: Any
) -> None:
    site = SiteFactory.create(code="NORTH")
    for _ in range(count):
        StudyFactory.create(site=site, standard_exam=ExamFactory.create())
    client = token_client(site)
    # token lookup, count, page (site and standard exam joined)
    with django_assert_num_queries(3):
        response = client.get("/api/v1/studies/")
    assert len({study["standard_exam"]["id"] for study in response.json()["results"]}) == count
