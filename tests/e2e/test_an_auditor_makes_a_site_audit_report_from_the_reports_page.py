"""An auditor's journey: on the Reports page they pick a site and a period, see what the files will hold,
download the PDF audit report and the studies CSV, and find both downloads in the audit log.

The files are read as an auditor would (pypdf, the csv module) and their numbers are the DICOM files' own:
the studies of the period by their StudyDate, the site median of their stated DLP totals. The auditor's
navigation offers Reports and the Audit log, not Upload, Mapping or Upload tokens.
"""

from __future__ import annotations

import csv
import re
import statistics
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pydicom
import pytest
from pydicom.sr.codedict import codes

from registry.models import Role, Site
from tests.conftest import corpus_file, person
from tests.e2e.conftest import (
    EXAM,
    PASSWORD,
    SITE_REPORTS,
    Journey,
    PageProblems,
    nav_links,
    settle,
    sr_values,
)
from tests.e2e.test_an_auditor_downloads_exports_that_equal_the_api import DLP_HEADER, download
from tests.pdf_text import pdf_text

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

AUDITOR_NAV = ["Dashboards", "Protocols", "Studies", "Reference levels", "Reports", "QA scans", "Audit log"]
SITE = "SOUTH"
START, END = date(2016, 1, 1), date(2017, 12, 31)  # two of SOUTH's four studies, none of them a QA scan


def reports_in_period() -> dict[str, float]:
    """SOUTH's reports whose DICOM StudyDate falls in the period, by name: their stated DLP total (113813).

    Each SOUTH study has one report, so these are its studies too.
    """
    chosen = {}
    for name in SITE_REPORTS[SITE]:
        study_date = pydicom.dcmread(corpus_file(name)).StudyDate
        if START <= date(int(study_date[:4]), int(study_date[4:6]), int(study_date[6:])) <= END:
            chosen[name] = sr_values(corpus_file(name), codes.DCM.CTDoseLengthProductTotal)[0]
    return chosen


def test_an_auditor_downloads_a_sites_audit_report_and_csv_for_a_period(
    page: Page, problems: PageProblems, two_sites: dict[str, Site], tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    journey = Journey("auditor")
    auditor = person("audrey", *((site, Role.AUDITOR) for site in two_sites.values()), password=PASSWORD)
    journey.sign_in(page, auditor)
    assert nav_links(page) == AUDITOR_NAV  # no Upload, Mapping or Upload tokens

    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_label("Site").select_option(SITE)
    page.get_by_label("From").fill(START.isoformat())
    page.get_by_label("To").fill(END.isoformat())
    journey.step(page, "reports-form", guide=True)
    page.get_by_role("button", name="Show what the report holds").click()
    # What the files will hold, said before the download: site, period, modality, exam.
    period = f"{START.isoformat()} to {END.isoformat()}"
    scope = [f"{SITE} · South Hospital", period, "every modality", "every exam"]
    expect(page.locator("section.report-scope dd")).to_have_text(scope)
    journey.step(page, "reports-scope", guide=True)

    expected = reports_in_period()
    report = pdf_text(download(page, "Audit report (PDF)", tmp_path))
    assert f"Site: {SITE} (South Hospital)" in report
    assert f"Period: {period}" in report
    assert re.search(rf"Studies:\s+{len(expected)}\b", report)
    row = re.search(rf"CT {EXAM}\s+DLP per examination \(mGy·cm\)\s+(\d+)\s+([\d.]+)", report)
    assert row is not None, report
    assert int(row[1]) == len(expected)
    assert float(row[2]) == pytest.approx(statistics.median(expected.values()), abs=0.005)  # two decimals

    with download(page, "Studies (CSV)", tmp_path).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(float(row[DLP_HEADER]) for row in rows) == pytest.approx(sorted(expected.values()))

    page.get_by_role("link", name="Audit log", exact=True).click()
    events = page.locator("table.audit-log tbody tr")
    for action in ("Exported the PDF audit report", "Exported CSV"):
        event = events.filter(has=page.locator("td:nth-child(3)", has_text=re.compile(f"^{action}$")))
        expect(event).to_have_count(1)
        expect(event.locator("td:nth-child(2)")).to_have_text(auditor.get_username())
        detail = event.locator("td:nth-child(6)")
        expect(detail).to_contain_text(f"site {SITE}")  # the filters, in words
        expect(detail).to_contain_text(START.isoformat())
    journey.step(page, "audit-log", guide=True)
    settle(page)
    assert problems.found == []
