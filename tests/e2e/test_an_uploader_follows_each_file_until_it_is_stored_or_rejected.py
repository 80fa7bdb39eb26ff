"""An uploader sends two dose reports and an image on the upload page and watches each reach its end.

The tasks are held back until the page has shown the files as received, as when the workers are busy, so
the page's own poll (static/js/upload-status.js and /upload/status/) is what shows them stored or rejected.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pydicom
import pytest
from pydicom.sr.codedict import codes

from ingest.tasks import process_submission
from registry.models import Role, Site
from registry.templatetags.dose import significant
from tests.conftest import corpus_file, person
from tests.e2e.conftest import PASSWORD, PageProblems, screenshot, settle, sign_in, sr_values

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.e2e

CT = "CT-RDSR-Siemens-Multi-3.dcm"
DX = "DX-RDSR-Canon_CXDI.dcm"
IMAGE = "negative/CT-SC-Philips_Brilliance16P.dcm"


def test_two_reports_become_stored_and_an_image_is_rejected_with_its_reason(
    page: Page, problems: PageProblems, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import expect

    site = Site.objects.create(code="NORTH-01", name="North General Hospital", country="GB")
    sign_in(page, person("ulla", (site, Role.UPLOADER), password=PASSWORD), "uploader")
    queued: list[str] = []
    monkeypatch.setattr(process_submission, "delay", queued.append)  # the worker has not got to them yet

    page.get_by_role("link", name="Upload", exact=True).click()
    screenshot(page, "uploader-1-upload-page")
    page.get_by_label("Dose reports").set_input_files([corpus_file(CT), corpus_file(DX), corpus_file(IMAGE)])
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r"/upload/\?site=NORTH-01$"))
    batch = page.locator("table.submissions").first  # "This upload", above the site's recent submissions
    expect(batch.locator("[data-role=state]")).to_have_text(["Received"] * 3)
    screenshot(page, "uploader-2-received")

    monkeypatch.undo()
    for submission_id in queued:
        process_submission.delay(submission_id)  # the worker catches up; the page's poll must show it
    expect(batch.locator("tr[data-final=false]")).to_have_count(0)
    rows = {
        row.locator("td.filename").inner_text(): (
            row.locator("[data-role=state]").inner_text(),
            row.locator("[data-role=details]").inner_text(),
        )
        for row in batch.locator("tbody tr").all()
    }
    image, ct = pydicom.dcmread(corpus_file(IMAGE)), pydicom.dcmread(corpus_file(CT))
    state, reason = rows["CT-SC-Philips_Brilliance16P.dcm"]
    assert state == "Rejected"
    assert reason.startswith(
        f"Not a dose report: {image.SOPClassUID.name} ({image.SOPClassUID}) is not a dose report"
    )
    assert rows[CT][0] == rows[DX][0] == "Stored"
    study_date = f"{ct.StudyDate[:4]}-{ct.StudyDate[4:6]}-{ct.StudyDate[6:]}"
    description = " ".join(ct.StudyDescription.replace("^", " ").split())  # DICOM carets read as spaces
    assert rows[CT][1].endswith(f"CT · {study_date} · {description}")
    ct_study = batch.get_by_role("link", name=re.compile(r"^Study \d+$")).first
    expect(ct_study).to_have_attribute("href", re.compile(r"^/studies/\d+/$"))  # drawn by the poll
    screenshot(page, "uploader-3-stored-and-rejected")

    page.get_by_role("link", name="Studies", exact=True).click()
    studies = page.locator("table.studies tbody tr")
    expect(studies).to_have_count(2)
    # The totals the files state: CT Dose Length Product Total (113813), Dose Area Product Total (113722).
    (dlp,) = sr_values(corpus_file(CT), codes.DCM.CTDoseLengthProductTotal)
    (dap,) = sr_values(corpus_file(DX), codes.DCM.DoseAreaProductTotal)
    # Named by the metric registry's label, three significant digits (registry.templatetags.dose).
    expect(modality_row(studies, "CT")).to_contain_text(f"DLP per examination {significant(dlp)} mGy·cm")
    dap_shown = f"DAP (KAP) per examination {significant(dap * 1e4)} Gy·cm²"  # 1 Gy·m² = 10⁴ Gy·cm²
    expect(modality_row(studies, "DX")).to_contain_text(dap_shown)
    screenshot(page, "uploader-4-studies")
    settle(page)
    assert problems.found == []


def modality_row(rows: Locator, modality: str) -> Locator:
    """The one row of the studies table whose Modality cell is exactly `modality`."""
    return rows.filter(has=rows.page.locator("td:nth-child(3)", has_text=re.compile(rf"^{modality}$")))
