"""GET /exports/events.csv: one row per irradiation event of the selected studies, and its study."""

from __future__ import annotations

import pytest
from django.test import Client

from registry.models import IrradiationEvent, StandardExam
from tests.registry.exports.conftest import read_csv

pytestmark = pytest.mark.django_db


def test_every_event_of_the_sites_mapped_studies_is_a_row(physicist: Client, head: StandardExam) -> None:
    header, *rows = read_csv(physicist.get("/exports/events.csv", {"exam": head.pk}))
    events = IrradiationEvent.objects.filter(study__site__code="ALPHA", study__standard_exam__isnull=False)
    events = events.order_by("study_id", "id")
    assert len(rows) == events.count() == 8
    for row, event in zip((dict(zip(header, row, strict=True)) for row in rows), events, strict=True):
        assert row["Study id"] == str(event.study_id) and row["Site"] == "ALPHA"
        assert float(row["CTDIvol (mGy)"]) == event.ctdivol_mgy
        assert float(row["DLP (mGy.cm)"]) == event.dlp_mgycm
        assert row["Protocol"] == "Head" and row["Device"] == "ALPHA scanner"
        assert row["Patient age (years)"] == "50.0" and row["Patient sex"] == "F"
