"""The Reports page: an auditor picks site, period and scope, reads what the files will hold, and each
download carries exactly those filters (the CSV's rows and the PDF's heading say so)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils.html import strip_tags

from registry.models import Role, Site, StandardExam, Study
from tests.conftest import person
from tests.pdf_text import pdf_text
from tests.registry.exports.conftest import ALPHA_DLPS, read_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(registry: dict[str, list[Study]], alpha: Site, bravo: Site) -> Client:
    client = Client()
    client.force_login(person("audrey", (alpha, Role.AUDITOR), (bravo, Role.AUDITOR)))
    return client


def _links(html: str) -> dict[str, str]:
    return {
        strip_tags(text): href.replace("&amp;", "&")
        for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', html)
    }


def test_the_page_says_what_the_files_hold_and_the_links_carry_it(
    auditor: Client, head: StandardExam
) -> None:
    filters = {"site": "ALPHA", "date_from": "2025-03-01", "date_to": "2025-03-31", "exam": str(head.pk)}
    response = auditor.get("/reports/", filters)
    assert response.status_code == 200
    html = response.content.decode()
    text = " ".join(strip_tags(html).split())
    assert "What the files will hold" in text
    assert "Site ALPHA · Alpha Hospital Period 2025-03-01 to 2025-03-31 Modality every modality" in text
    assert f"Standard exam {head.name}" in text
    links = _links(html)
    for name in ("Audit report (PDF)", "Studies (CSV)", "Events (CSV)", "Studies workbook (XLSX)"):
        assert parse_qs(urlsplit(links[name]).query) == {key: [value] for key, value in filters.items()}

    rows = read_csv(auditor.get(links["Studies (CSV)"]))
    # ALPHA's four head studies, all in March 2025; the unmapped one is not the chosen exam.
    assert len(rows) - 1 == len(ALPHA_DLPS)
    report = pdf_text(auditor.get(links["Audit report (PDF)"]).content)
    assert "ALPHA" in report and "2025-03-01" in report and "2025-03-31" in report


def test_every_site_is_the_default_and_the_pdf_asks_for_one(auditor: Client) -> None:
    html = auditor.get("/reports/", {"date_from": "2025-01-01"}).content.decode()
    text = " ".join(strip_tags(html).split())
    assert "Site every site I export for Period 2025-01-01 to the last study" in text
    assert "Audit report (PDF): choose one site" in text
    assert _links(html)["Studies (CSV)"] == "/exports/studies.csv?date_from=2025-01-01"


def test_bad_values_show_the_form_again_with_field_labels(auditor: Client) -> None:
    response = auditor.get("/reports/", {"date_from": "2025-05-01", "date_to": "2025-04-01"})
    assert response.status_code == 400
    text = " ".join(strip_tags(response.content.decode()).split())
    assert "To: The end of the period is before its start." in text
    assert "What the files will hold" not in text
    garbled = " ".join(strip_tags(auditor.get("/reports/", {"date_from": "soon"}).content.decode()).split())
    assert "From: Enter a valid date." in garbled
    assert "date_from" not in garbled


def test_the_first_visit_shows_only_the_form(auditor: Client) -> None:
    response = auditor.get("/reports/")
    assert response.status_code == 200
    assert "What the files will hold" not in response.content.decode()
