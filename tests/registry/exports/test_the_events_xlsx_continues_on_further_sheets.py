"""Past SHEET_ROWS events a sheet is full and the events go on in "Events (2)", "Events (3)"..., each with
the header; nothing is cut off and no empty sheet is added (the limit lowered here from Excel's 1,048,575)."""

from __future__ import annotations

import io
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.test import Client

from registry.exports import events_xlsx
from registry.exports.columns import EVENT_COLUMNS
from registry.models import IrradiationEvent
from tests.registry.exports.conftest import streamed

pytestmark = pytest.mark.django_db
HEADER = tuple(column.header for column in EVENT_COLUMNS)


def workbook(client: Client) -> Any:
    response = client.get("/exports/events.xlsx")
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(streamed(response)), read_only=True)


def test_excels_limit_is_the_default() -> None:
    assert events_xlsx.SHEET_ROWS == 1_048_576 - 1  # rows a sheet, less the header


@pytest.mark.parametrize(
    ("limit", "sizes"),
    [(3, [3, 3, 3, 1]), (5, [5, 5]), (10, [10]), (11, [10])],
)
def test_the_events_fill_each_sheet_then_the_next(
    physicist: Client, monkeypatch: pytest.MonkeyPatch, limit: int, sizes: list[int]
) -> None:
    monkeypatch.setattr(events_xlsx, "SHEET_ROWS", limit)
    book = workbook(physicist)
    names = ["Events", *(f"Events ({number})" for number in range(2, len(sizes) + 1))]
    assert book.sheetnames == ["Summary", *names]
    study_ids = []
    for name, size in zip(names, sizes, strict=True):
        header, *rows = book[name].iter_rows(values_only=True)
        assert header == HEADER and len(rows) == size
        study_ids += [row[0] for row in rows]
    events = IrradiationEvent.objects.filter(study__site__code="ALPHA").order_by("study_id", "id")
    assert study_ids == [event.study_id for event in events]
    summary = [row[:2] for row in book["Summary"].iter_rows(values_only=True)]
    assert [line for line in summary if line[0] in names] == list(zip(names, sizes, strict=True))


def test_a_selection_without_events_still_has_the_header(physicist: Client) -> None:
    response = physicist.get("/exports/events.xlsx", {"date_from": "2099-01-01"})
    book = openpyxl.load_workbook(io.BytesIO(streamed(response)), read_only=True)
    assert book.sheetnames == ["Summary", "Events"]
    assert list(book["Events"].iter_rows(values_only=True)) == [HEADER]
