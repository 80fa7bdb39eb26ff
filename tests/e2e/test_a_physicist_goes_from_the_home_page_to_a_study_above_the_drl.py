"""A physicist's journey: the home page names a site whose median is above the registry DRL; its exam link
opens the dashboard, that site's bar lists its studies, and one study's page shows its events.

Each step's numbers are checked against the step before (the home page's n and median are the bar's, the
bar's n is the rows listed, their median is the bar's) and against the DICOM files themselves (sr_values).
The physicist's navigation offers Mapping and Reports, not Upload, Upload tokens or the Audit log.
"""

from __future__ import annotations

import re
import statistics
from typing import TYPE_CHECKING

import pydicom
import pytest
from pydicom.sr.codedict import codes

from registry.models import Role, Site
from registry.templatetags.dose import significant
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
from tests.e2e.test_a_physicist_counts_the_values_behind_a_ctdivol_bar import DRAWN_N
from tests.e2e.test_a_physicist_goes_from_the_drl_chart_to_a_studys_events import (
    BAR_BOX,
    DRAWN_MEDIANS,
    drawn_chart,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

PHYSICIST_NAV = ["Dashboards", "Protocols", "Studies", "Reference levels", "Mapping", "Reports", "QA scans"]
ABOVE = "SOUTH"  # its four studies, one report each, have higher DLPs than NORTH's three (SITE_REPORTS)
STUDY = "CT-ESR-GE_VCT.dcm"  # SOUTH's study with the highest DLP
# "Specials^PhysicsTesting" is a QA scan (registry/quality/patterns.py): stored, listed apart, never counted.
QA_SCAN = "CT-RDSR-Siemens_Flash-QA-DS.dcm"


def dlp_totals(site: str) -> dict[str, float]:
    """Each of the site's reports by name: its CT Dose Length Product Total (113813), read from the file."""
    total = codes.DCM.CTDoseLengthProductTotal
    return {name: sr_values(corpus_file(name), total)[0] for name in SITE_REPORTS[site]}


def first_number(text: str) -> float:
    found = re.search(r"[\d.]+", text)
    assert found is not None, text
    return float(found[0])


def test_a_physicist_follows_a_site_above_the_drl_from_the_home_page_to_one_study(
    page: Page, problems: PageProblems, two_sites: dict[str, Site]
) -> None:
    from playwright.sync_api import expect

    journey = Journey("physicist")
    physicist = person("phoebe", *((site, Role.PHYSICIST) for site in two_sites.values()), password=PASSWORD)
    journey.sign_in(page, physicist)
    assert nav_links(page) == PHYSICIST_NAV  # no Upload, Upload tokens or Audit log
    heading = page.get_by_role("columnheader", name="Registry DRL (95 % CI)")
    above = page.locator("table.submissions", has=heading)  # "Site medians above the registry DRL"
    (row,) = above.locator("tbody tr").all()  # only SOUTH's median is above the 75th percentile of two
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == EXAM and cells[2] == ABOVE
    home_median, home_n = first_number(cells[3]), int(cells[5])
    journey.step(page, "home", guide=True)

    row.get_by_role("link", name=EXAM).click()
    page.wait_for_url(re.compile(r"/dashboards/drl/\?.*metric=dlp"))
    chart = drawn_chart(page)
    assert chart.evaluate(DRAWN_N, ABOVE) == home_n
    drawn_median = chart.evaluate(DRAWN_MEDIANS)[ABOVE]
    assert significant(drawn_median) == significant(home_median)
    chart.scroll_into_view_if_needed()  # the mouse clicks where the bar is on the screen
    journey.step(page, "dashboard", guide=True)

    box = chart.evaluate(BAR_BOX, ABOVE)
    assert box is not None
    page.mouse.click(box["x"], box["y"])
    page.wait_for_url(re.compile(rf"/studies/\?.*site={ABOVE}"))
    rows = page.locator("table.studies tbody tr")
    expect(rows).to_have_count(home_n)
    expect(page.locator("p.values-behind strong").first).to_have_text(str(home_n))
    listed = [float(text) for text in rows.locator("td.metric-values").all_inner_texts()]
    assert statistics.median(listed) == pytest.approx(drawn_median, rel=0.005)
    # The values listed are the stated totals of SOUTH's reports (one per study), the QA scan's left out.
    totals = dlp_totals(ABOVE)
    counted = sorted(total for name, total in totals.items() if name != QA_SCAN)
    assert sorted(listed) == pytest.approx(counted, rel=0.005)  # three significant digits
    journey.step(page, "studies", guide=True)

    description = pydicom.dcmread(corpus_file(STUDY)).StudyDescription
    study_row = rows.filter(has=page.get_by_role("link", name=description))
    expect(study_row.locator("td.metric-values")).to_have_text(significant(totals[STUDY]))
    study_row.get_by_role("link", name=description).click()
    page.wait_for_url(re.compile(r"/studies/\d+/$"))
    expect(page.locator("h1")).to_contain_text(f"{ABOVE} · CT")
    total = f"DLP per examination {significant(totals[STUDY])} mGy·cm"
    expect(page.locator("dl.study")).to_contain_text(total)
    # Each event's DLP (113838) where the file states one; the GE VCT states none for its localizers.
    cells = page.locator("table.events tbody td:nth-child(6)").all_inner_texts()
    shown = [float(text) for text in cells if text != "—"]
    assert sorted(shown) == pytest.approx(sorted(sr_values(corpus_file(STUDY), codes.DCM.DLP)), rel=0.005)
    levels = page.locator("section.against-levels")
    expect(levels).to_contain_text("above")  # the study is set against its exam's registry DRL
    journey.step(page, "study")
    settle(page)
    assert problems.found == []
