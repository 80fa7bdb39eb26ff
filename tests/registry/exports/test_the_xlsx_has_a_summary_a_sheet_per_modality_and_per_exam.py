"""GET /exports/studies.xlsx: summary, a sheet per modality and per standard exam, values as stored."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.test import Client

from registry.exports import xlsx
from registry.exports.columns import STUDY_COLUMNS
from registry.models import Study
from tests.registry.exports.conftest import streamed

pytestmark = pytest.mark.django_db


def workbook(client: Client) -> openpyxl.Workbook:
    response = client.get("/exports/studies.xlsx")
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(streamed(response)), read_only=True)


def test_sheets_are_the_summary_modalities_and_exams(physicist: Client) -> None:
    book = workbook(physicist)
    assert book.sheetnames == ["Summary", "CT studies", "CT Head routine"]
    summary = list(book["Summary"].iter_rows(values_only=True))
    assert ("CT", 5) in [row[:2] for row in summary]
    assert ("CT", "Head routine", 4) in [row[:3] for row in summary]
    assert any(row[0] == "Generated at (UTC)" for row in summary)


def test_the_modality_sheet_equals_the_database(physicist: Client) -> None:
    header, *rows = workbook(physicist)["CT studies"].iter_rows(values_only=True)
    assert list(header) == [column.header for column in STUDY_COLUMNS]
    studies = Study.objects.filter(site__code="ALPHA").order_by("study_date", "id")
    assert [row[0] for row in rows] == [study.pk for study in studies]
    at = {name: index for index, name in enumerate(header)}
    for row, study in zip(rows, studies, strict=True):
        assert row[at["CT DLP total (mGy.cm)"]] == study.ct_dlp_total_mgycm
        assert row[at["Study date"]] == datetime.fromisoformat(str(study.study_date))
        assert row[at["Patient weight (kg)"]] == study.patient_weight_kg


def test_the_exam_sheet_lists_its_studies_with_their_metrics(physicist: Client) -> None:
    header, *rows = workbook(physicist)["CT Head routine"].iter_rows(values_only=True)
    assert header[-2:] == ("DLP per examination (mGy.cm)", "CTDIvol, examination mean (mGy)")
    studies = Study.objects.filter(site__code="ALPHA", standard_exam__isnull=False).order_by(
        "study_date", "id"
    )
    assert [(row[0], row[-2], row[-1]) for row in rows] == [
        (study.pk, study.ct_dlp_total_mgycm, pytest.approx((study.ct_dlp_total_mgycm or 0) / 20))
        for study in studies
    ]


def test_a_full_sheet_goes_on_in_a_numbered_one(physicist: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel holds 1,048,575 rows under a header; with the limit at 2, ALPHA's 5 CT studies take 3 sheets."""
    monkeypatch.setattr(xlsx, "SHEET_ROWS", 2)
    book = workbook(physicist)
    assert book.sheetnames == [
        "Summary",
        "CT studies",
        "CT Head routine",
        "CT studies (2)",
        "CT Head routine (2)",
        "CT studies (3)",
    ]
    ids = [
        row[0]
        for name in ("CT studies", "CT studies (2)", "CT studies (3)")
        for row in list(book[name].iter_rows(values_only=True))[1:]
    ]
    assert ids == list(
        Study.objects.filter(site__code="ALPHA").order_by("study_date", "id").values_list("pk", flat=True)
    )
    assert [len(list(book[name].iter_rows())) for name in ("CT Head routine", "CT Head routine (2)")] == [
        3,
        3,
    ]
