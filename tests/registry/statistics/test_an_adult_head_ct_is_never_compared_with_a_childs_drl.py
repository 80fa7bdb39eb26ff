"""An adult and a paediatric head CT at one site, with the UKHSA adult and the EC RP 185 paediatric head
DLP levels loaded: the statistics describe adults by default (studies without an age counted, and said so)
and offer only the adult level; asked for the 0-< 3 months band, they count the infant and offer only the
EC level. Values: UKHSA NDRL adult head (acute stroke) DLP 790 mGy·cm; EC RP 185 head 0-< 3 months 300."""

from __future__ import annotations

import re
from typing import Any

import pytest

from registry.models import Role, Site, StandardExam
from tests.conftest import person
from tests.registry.statistics.conftest import DRL_URL, LevelFactory, StudyFactory, drl_query, member_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def head_cts(north: Site, exam: StandardExam) -> None:
    for age, dlp in [(45.0, 900.0), (70.0, 700.0), (None, 800.0), (0.1, 250.0)]:
        StudyFactory.create(site=north, standard_exam=exam, patient_age_years=age, ct_dlp_total_mgycm=dlp)
    LevelFactory.create(exam=exam, issuer="UKHSA", year=2022, patient_group="adult", value=790.0)
    LevelFactory.create(
        exam=exam, issuer="EC", year=2018, patient_group="paediatric 0-<3 months", value=300.0
    )
    LevelFactory.create(exam=exam, issuer="EC", year=2018, patient_group="paediatric 1-<6 years", value=600.0)


def _stats(north: Site, exam: StandardExam, **params: Any) -> dict[str, Any]:
    response = member_client(north).get(DRL_URL, drl_query(exam, **params))
    assert response.status_code == 200, response.content
    return response.json()


def test_by_default_the_adults_are_compared_with_the_adult_level(
    north: Site, exam: StandardExam, head_cts: None
) -> None:
    body = _stats(north, exam)
    assert body["population"]["key"] == "adult"
    (row,) = body["sites"]
    assert row["n"] == 3 and row["median"] == 800.0  # 45 y, 70 y and the study without an age
    assert body["no_age"] == 1
    assert [(level["issuer"], level["value_display"]) for level in body["published"]] == [("UKHSA", 790.0)]


def test_the_youngest_band_is_compared_with_its_own_level_only(
    north: Site, exam: StandardExam, head_cts: None
) -> None:
    body = _stats(north, exam, age_band="0-3m")
    (row,) = body["sites"]
    assert row["n"] == 1 and row["median"] == 250.0 and body["no_age"] == 0
    assert [(level["patient_group"], level["value_display"]) for level in body["published"]] == [
        ("paediatric 0-<3 months", 300.0)
    ]


def test_the_dashboard_names_the_population_and_the_level_it_draws(
    north: Site, exam: StandardExam, head_cts: None, client: Any
) -> None:
    client.force_login(person("phil", (north, Role.PHYSICIST)))
    html = client.get("/dashboards/drl/", drl_query(exam)).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert (
        "Patients: 16 years and over (or no age stated); 1 study states no age and is counted as adult"
        in text
    )
    assert "UKHSA 2022, adult, per exam: 790" in html
    assert "paediatric 0-&lt;3 months" not in html and "EC 2018" not in html
