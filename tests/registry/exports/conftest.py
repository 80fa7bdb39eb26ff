"""Fixtures for the export tests: two CT sites with reports and events, and people in each role.

Studies come from the statistics tests' factories, so every value an export shows can be read back from the
database it came from.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.test import Client

from registry.models import Role, Site, StandardExam, Study
from tests.conftest import person
from tests.registry.statistics.conftest import (
    DeviceFactory,
    EventFactory,
    ExamFactory,
    LevelFactory,
    ReportFactory,
    SiteFactory,
    StudyFactory,
)

ALPHA_DLPS = (300.0, 320.0, 340.0, 360.0)
BRAVO_DLPS = (500.0, 520.0, 540.0)


def streamed(response: Any) -> bytes:
    """The whole body of a streamed or file response (consuming the stream records its completion)."""
    return b"".join(response.streaming_content)


def read_csv(response: Any) -> list[list[str]]:
    """The rows of a streamed CSV response."""
    return list(csv.reader(io.StringIO(streamed(response).decode())))


@pytest.fixture
def head(db: None) -> StandardExam:
    return ExamFactory.create(name="Head routine")


@pytest.fixture
def alpha(db: None) -> Site:
    return SiteFactory.create(code="ALPHA", name="Alpha Hospital")


@pytest.fixture
def bravo(db: None) -> Site:
    return SiteFactory.create(code="BRAVO", name="Bravo Clinic")


def ct_study(site: Site, exam: StandardExam | None, dlp: float, **fields: Any) -> Study:
    """A CT study with one report on a named scanner and two events (CTDIvol dlp/20 and dlp/40)."""
    study = StudyFactory.create(
        site=site, standard_exam=exam, ct_dlp_total_mgycm=dlp, description="CT HEAD", **fields
    )
    device = DeviceFactory.create(site=site, display_name=f"{site.code} scanner")
    report = ReportFactory.create(study=study, device=device)
    for share in (0.5, 0.5):
        EventFactory.create(
            report=report, ctdivol_mgy=dlp / 20 * share * 2, dlp_mgycm=dlp * share, protocol="Head"
        )
    return study


@pytest.fixture
def registry(alpha: Site, bravo: Site, head: StandardExam, small_minimum: None) -> dict[str, list[Study]]:
    """ALPHA: four head studies and one unmapped; BRAVO: three head studies; a published DLP DRL."""
    studies = {
        "ALPHA": [
            ct_study(alpha, head, dlp, study_date=date(2025, 3, day), patient_pseudonym=f"P{day}")
            for day, dlp in enumerate(ALPHA_DLPS, start=1)
        ],
        "BRAVO": [ct_study(bravo, head, dlp) for dlp in BRAVO_DLPS],
    }
    studies["ALPHA"].append(ct_study(alpha, None, 999.0, study_date=date(2025, 3, 20)))
    Study.objects.filter(pk=studies["ALPHA"][-1].pk).update(description="CT SCHAEDEL SPEZIAL")
    LevelFactory.create(exam=head, metric="dlp", value=1000.0, issuer="UKHSA", year=2022)
    return studies


@pytest.fixture
def physicist(registry: dict[str, list[Study]], alpha: Site) -> Client:
    """Phil, a physicist at ALPHA, on a client of his own (tests may sign someone else in on `client`)."""
    client = Client()
    client.force_login(person("phil", (alpha, Role.PHYSICIST)))
    return client
