"""The studies list costs the same number of queries for 3 studies as for 40, and pages at 50."""

from __future__ import annotations

from typing import Any

import pytest

from registry.models import Site, Study
from tests.registry.api.conftest import token_client

pytestmark = pytest.mark.django_db


def _studies(site: Site, count: int) -> None:
    Study.objects.bulk_create(
        Study(site=site, study_instance_uid=f"2.25.{site.pk}{n}", modality="CT", modalities="CT")
        for n in range(count)
    )


@pytest.mark.parametrize("count", [3, 40])
def test_listing_studies_takes_a_fixed_number_of_queries(
    north: Site, count: int, django_assert_max_num_queries: Any
) -> None:
    _studies(north, count)
    client = token_client(north)
    # token lookup, count, page (site joined)
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/studies/")
    assert response.json()["count"] == count


def test_the_list_is_paginated_by_fifty(north: Site) -> None:
    _studies(north, 51)
    body = token_client(north).get("/api/v1/studies/").json()
    assert len(body["results"]) == 50 and body["next"] is not None
