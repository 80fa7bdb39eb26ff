"""GET /exports/studies.csv: one row per selected study, every value as stored, units in the header."""

from __future__ import annotations

import pytest
from django.test import Client

from registry.exports.columns import STUDY_COLUMNS
from registry.models import Study
from tests.registry.exports.conftest import read_csv

pytestmark = pytest.mark.django_db


def test_each_study_is_one_row_with_the_stored_values(physicist: Client) -> None:
    response = physicist.get("/exports/studies.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = read_csv(response)
    assert header == [column.header for column in STUDY_COLUMNS]
    assert "CT DLP total (mGy.cm)" in header and "Patient weight (kg)" in header
    studies = Study.objects.filter(site__code="ALPHA").order_by("study_date", "id")
    assert len(rows) == studies.count() == 5
    by_name = [dict(zip(header, row, strict=True)) for row in rows]
    for row, study in zip(by_name, studies, strict=True):
        assert row["Study id"] == str(study.pk)
        assert row["Site"] == "ALPHA" and row["Device"] == "ALPHA scanner"
        assert row["Study date"] == str(study.study_date)
        assert float(row["CT DLP total (mGy.cm)"]) == study.ct_dlp_total_mgycm
        assert row["Patient pseudonym"] == study.patient_pseudonym
        assert row["Standard exam"] == (study.standard_exam.name if study.standard_exam else "")


def test_the_dashboard_filters_select_the_rows(physicist: Client) -> None:
    header, *rows = read_csv(
        physicist.get("/exports/studies.csv", {"date_from": "2025-03-02", "date_to": "2025-03-03"})
    )
    dates = [row[header.index("Study date")] for row in rows]
    assert dates == ["2025-03-02", "2025-03-03"]


def test_invalid_filters_are_a_400(physicist: Client) -> None:
    assert (
        physicist.get(
            "/exports/studies.csv", {"date_from": "2025-04-01", "date_to": "2025-03-01"}
        ).status_code
        == 400
    )


def test_no_identifier_but_the_pseudonyms_is_exported(physicist: Client) -> None:
    header, *rows = read_csv(physicist.get("/exports/studies.csv"))
    text = ",".join(header).lower()
    assert "instance uid" not in text and "patient id" not in text and "accession number" not in text
    assert all(study.study_instance_uid not in ",".join(row) for study in Study.objects.all() for row in rows)
