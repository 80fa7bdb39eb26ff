"""An uploader's journey: from the home page to the upload page, one real CT dose report sent and followed
until it is stored, then its "Study N" link to the study page, whose totals and events are the file's own.

The task is held back until the page has shown the file as received, as when the workers are busy, so the
page's own poll is what shows it stored. The uploader's navigation offers Upload and nothing of the other
roles (registry.models.access: UPLOAD_ROLES, and not MAPPING, EXPORT, AUDIT or TOKEN_ADMIN roles).
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
from tests.e2e.conftest import PASSWORD, Journey, PageProblems, nav_links, settle, sr_values

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

# The cumulative report of a Siemens CT study: a topogram and two spirals, a stated DLP total.
REPORT = "CT-RDSR-Siemens-Multi-3.dcm"
UPLOADER_NAV = ["Dashboards", "Protocols", "Studies", "Upload", "Reference levels", "QA scans"]


def test_an_uploader_sends_a_report_follows_it_until_stored_and_reads_its_study(
    page: Page, problems: PageProblems, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import expect

    journey = Journey("uploader")
    site = Site.objects.create(code="NORTH-01", name="North General Hospital", country="GB")
    journey.sign_in(page, person("ulla", (site, Role.UPLOADER), password=PASSWORD))
    assert nav_links(page) == UPLOADER_NAV  # no Mapping, Reports, Upload tokens or Audit log
    call_to_action = page.get_by_role("link", name="Upload dose reports")
    expect(call_to_action).to_be_visible()
    expect(page.get_by_role("link", name="Map them")).to_have_count(0)  # mapping is a physicist's
    journey.step(page, "home")

    queued: list[str] = []
    monkeypatch.setattr(process_submission, "delay", queued.append)  # the worker has not got to it yet
    call_to_action.click()
    expect(page.get_by_role("heading", name="Upload dose reports")).to_be_visible()
    page.get_by_label("Dose reports").set_input_files(corpus_file(REPORT))
    journey.step(page, "upload-form", guide=True)
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r"/upload/\?site=NORTH-01$"))
    batch = page.locator("table.submissions").first  # "This upload", above the site's recent submissions
    expect(batch.locator("td.filename")).to_have_text([REPORT])
    expect(batch.locator("[data-role=state]")).to_have_text(["Received"])
    journey.step(page, "received")

    monkeypatch.undo()
    (submission_id,) = queued
    process_submission.delay(submission_id)  # the worker catches up; the page's poll must show it
    expect(batch.locator("[data-role=state]")).to_have_text(["Stored"])
    study_link = batch.get_by_role("link", name=re.compile(r"^Study \d+$"))
    expect(study_link).to_have_attribute("href", re.compile(r"^/studies/\d+/$"))  # drawn by the poll
    journey.step(page, "stored", guide=True)

    study_id = study_link.inner_text().removeprefix("Study ")
    study_link.click()
    page.wait_for_url(f"**/studies/{study_id}/")
    dicom = pydicom.dcmread(corpus_file(REPORT))
    expect(page.locator("h1")).to_contain_text("NORTH-01 · CT")
    expect(page.locator("dl.study")).to_contain_text(dicom.StudyDescription.replace("^", " "))
    # What the file states: CT Dose Length Product Total (113813) and each event's DLP (113838).
    (total,) = sr_values(corpus_file(REPORT), codes.DCM.CTDoseLengthProductTotal)
    expect(page.locator("dl.study")).to_contain_text(f"DLP per examination {significant(total)} mGy·cm")
    dlps = sr_values(corpus_file(REPORT), codes.DCM.DLP)
    expect(page.get_by_role("heading", name=f"Irradiation events ({len(dlps)})")).to_be_visible()
    shown = [float(text) for text in page.locator("table.events tbody td:nth-child(6)").all_inner_texts()]
    assert sorted(shown) == pytest.approx(sorted(dlps), rel=0.005)  # three significant digits
    journey.step(page, "study", guide=True)
    settle(page)
    assert problems.found == []
