"""An auditor narrows the dashboard to one site and downloads its CSV, XLSX and PDF exports.

Each file is opened as an auditor would open it (the csv module, openpyxl, pypdf) and its numbers are
compared with what the REST API tells the same person: the study count and DLP totals of
GET /api/v1/studies/, the site median and registry DRL of GET /api/v1/stats/drl/.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl  # type: ignore[import-untyped]
import pytest

from registry.models import Role, Site, StandardExam
from tests.conftest import person
from tests.e2e.conftest import EXAM, PASSWORD, PageProblems, screenshot, settle, sign_in
from tests.pdf_text import pdf_text

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

SITE = "NORTH"
DLP_HEADER = "CT DLP total (mGy.cm)"


def download(page: Page, link: str, folder: Path) -> Path:
    """Click an export link on the page and keep the file it downloads."""
    with page.expect_download() as started:
        page.get_by_role("link", name=link, exact=True).click()
    saved = folder / started.value.suggested_filename
    started.value.save_as(saved)
    return saved


def api_studies(page: Page) -> dict[int, float]:
    """DLP totals by study id of the site's studies, from the studies API with the page's session."""
    response = page.request.get("/api/v1/studies/", params={"site": SITE})
    assert response.ok, response.text()
    body = response.json()
    assert body["next"] is None  # one page holds them all
    return {row["id"]: row["ct_dlp_total_mgycm"] for row in body["results"]}


def api_drl(page: Page, exam: StandardExam) -> tuple[float, float]:
    """The site's median DLP and the registry DRL (display unit) from the statistics API."""
    params: dict[str, str | float | bool] = {"modality": "CT", "exam": exam.pk, "metric": "dlp"}
    body = page.request.get("/api/v1/stats/drl/", params=params).json()
    (site,) = [row for row in body["sites"] if row["site"] == SITE]
    return site["display"]["median"], body["registry"]["drl_display"]


def csv_dlps(path: Path) -> dict[int, float]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {int(row["Study id"]): float(row[DLP_HEADER]) for row in csv.DictReader(handle)}


def xlsx_dlps(path: Path) -> dict[int, float]:
    """The DLP totals of the workbook's CT sheet, found by its header row."""
    sheet = openpyxl.load_workbook(path, read_only=True)["CT studies"]
    header, *rows = sheet.iter_rows(values_only=True)
    study, dlp = header.index("Study id"), header.index(DLP_HEADER)
    return {int(row[study]): float(row[dlp]) for row in rows}


def test_the_csv_xlsx_and_pdf_of_a_site_show_the_apis_numbers(
    page: Page, problems: PageProblems, two_sites: dict[str, Site], tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    exam = StandardExam.objects.get(modality="CT", name=EXAM)
    auditor = person("audrey", *((site, Role.AUDITOR) for site in two_sites.values()), password=PASSWORD)
    sign_in(page, auditor, "auditor")
    screenshot(page, "auditor-1-home")

    page.get_by_role("link", name="Dashboards", exact=True).click()
    settle(page)  # htmx listens to the form once the page has loaded
    with page.expect_response(re.compile(rf"/dashboards/drl/\?.*site={SITE}")):
        page.locator("select[name=site]").select_option(SITE)
    expect(page.get_by_role("link", name="audit report (PDF)")).to_be_visible()  # only for one site
    settle(page)
    screenshot(page, "auditor-2-dashboard")

    expected = api_studies(page)
    assert len(expected) == 3
    assert csv_dlps(download(page, "studies (CSV)", tmp_path)) == pytest.approx(expected)
    assert xlsx_dlps(download(page, "workbook (XLSX)", tmp_path)) == pytest.approx(expected)

    report = pdf_text(download(page, "audit report (PDF)", tmp_path))
    median, registry_drl = api_drl(page, exam)
    assert re.search(rf"Studies:\s+{len(expected)}\b", report)
    interval = r"(?:too few for a CI|[\d.]+ to [\d.]+|from [\d.]+, upper open)"  # the median's 95 % CI
    row = re.search(
        rf"CT {EXAM}\s+DLP per examination \(mGy·cm\)\s+(\d+)\s+([\d.]+)\s+{interval}\s+([\d.]+)", report
    )
    assert row is not None
    # The report rounds to two decimals.
    assert int(row[1]) == len(expected)
    assert float(row[2]) == pytest.approx(median, abs=0.005)
    assert float(row[3]) == pytest.approx(registry_drl, abs=0.005)

    page.get_by_role("link", name="Audit log").click()
    actions = page.locator("table.audit-log tbody td:nth-child(3)").all_inner_texts()
    # each download was recorded, in words
    assert {"Exported CSV", "Exported XLSX", "Exported the PDF audit report"} <= set(actions)
    screenshot(page, "auditor-3-audit-log")
    settle(page)
    assert problems.found == []
