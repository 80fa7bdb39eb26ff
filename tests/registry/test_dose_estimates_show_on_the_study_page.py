"""The study page lists a study's dose estimates in display units, with how and from what they were made.

Hand conversions: 0.0062 Sv = 6.2 mSv (effective dose); 0.0148 Gy = 14.8 mGy (lung); 0.0121 Gy = 12.1 mGy
(breast); 0.0043 Gy = 4.3 mGy (thyroid); 0.0061 Gy = 6.1 mGy (stomach); 1.85 Gy = 1850 mGy (peak skin dose).
The estimates are stored with `estimates_store` after `store_dose_report`, as registry.store will call it.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils.html import strip_tags

from ingest.rdsr import read
from ingest.synth import ScenarioConfig, StudySpec, draw_studies, write_bytes
from ingest.synth.patient_dose import patient_dose_bytes
from ingest.synth.patient_dose_examples import organ_dose_spec, skin_dose_spec
from ingest.synth.spec import Modality
from registry.estimates.store import estimates_store
from registry.models import DoseReport, IrradiationEvent, Site, Study
from registry.store import store_dose_report
from tests.conftest import person

pytestmark = pytest.mark.django_db


def _spec(seed: int, modality: Modality) -> StudySpec:
    return next(draw_studies(ScenarioConfig(studies=1, sites=1, seed=seed, mix={modality: 1.0})))


def _store_with_estimates(site: Site, study_spec: StudySpec, estimating: bytes) -> Study:
    store_dose_report(site=site, report=read(write_bytes(study_spec)).as_dict())
    report = read(estimating).as_dict()
    stored = store_dose_report(site=site, report=report)
    estimates_store(stored.report, stored.study, report["estimates"])
    return stored.study


def _page(client: Client, site: Site, study: Study) -> str:
    client.force_login(person("phil", (site, "physicist")))
    response = client.get(f"/studies/{study.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str) -> str:
    return " ".join(strip_tags(html).split())


def _section(html: str) -> str:
    found = re.search(r'<section class="dose-estimates".*?</section>', html, re.S)
    assert found is not None, "no dose estimates section"
    return found[0]


def _rows(section: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)[1:]  # after the header row
    return [[_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in rows]


@pytest.fixture
def site() -> Site:
    return Site.objects.create(code="EST", name="Estimates")


@pytest.fixture
def ct_spec() -> StudySpec:
    return _spec(1, "CT")


@pytest.fixture
def ct_page(client: Client, site: Site, ct_spec: StudySpec) -> str:
    study = _store_with_estimates(site, ct_spec, patient_dose_bytes(organ_dose_spec(ct_spec)))
    return _page(client, site, study)


def test_effective_dose_reads_in_msv_and_organ_doses_in_mgy(ct_page: str) -> None:
    assert _rows(_section(ct_page)) == [
        ["Effective Dose", "Entire body", "6.2 mSv", "—"],
        ["Mean Absorbed Radiation Dose", "Lung (Bilateral)", "14.8 mGy", "—"],
        ["Mean Absorbed Radiation Dose", "Breast (Bilateral)", "12.1 mGy", "—"],
        ["Mean Absorbed Radiation Dose", "Thyroid", "4.3 mGy", "—"],
        ["Mean Absorbed Radiation Dose", "Stomach", "6.1 mGy", "—"],
    ]


def test_the_heading_name_and_software_say_who_made_the_estimate(ct_page: str) -> None:
    text = _text(_section(ct_page))
    assert text.startswith("Dose estimates")
    assert "CT organ and effective dose by Kerma Synthetic Dosimetry OrganDose, version 1.0" in text


def test_the_methodology_is_shown_line_by_line(ct_page: str) -> None:
    text = _text(_section(ct_page))
    for line in [
        "Patient model Anthropomorphic Model (ICRP Publication 110 adult reference computational phantoms)",
        "Transport model Voxelized Radiation Transport Model",
        "Method Monte Carlo Method (Synthetic organ dose tables, Kerma tests)",
        "Model demographics Model Minimum Age 18 a, Model Patient Sex Female",
        "Parameters Patient AP Dimension 220 mm, Patient Lateral Dimension 320 mm",
    ]:
        assert line in text


def test_the_report_and_the_two_events_used_link_to_where_they_are_stored(
    ct_page: str, ct_spec: StudySpec
) -> None:
    section = _section(ct_page)
    ct_report = DoseReport.objects.get(sop_instance_uid=ct_spec.sop_uid)
    anchor = f'href="/studies/{ct_report.study_id}/#report-{ct_report.pk}"'
    spirals = IrradiationEvent.objects.filter(report=ct_report, localizer=False).order_by("started_at")
    assert len(spirals) == 2
    assert section.count(anchor) == 3  # the report, then each of its two spiral events
    for event in spirals:
        assert f'title="{event.uid}"' in section
        assert event.protocol and event.protocol in _text(section)
    assert f'<tr id="report-{ct_report.pk}">' in ct_page  # the anchor the links go to


def test_a_peak_skin_dose_reads_in_mgy_with_its_map_and_all_events(client: Client, site: Site) -> None:
    rf_spec = _spec(3, "RF")
    study = _store_with_estimates(site, rf_spec, patient_dose_bytes(skin_dose_spec(rf_spec)))
    section = _section(_page(client, site, study))
    ((quantity, target, value, representation),) = _rows(section)
    assert (quantity, target, value) == ("Maximum Absorbed Radiation Dose", "Skin", "1850 mGy")
    assert representation.startswith("Skin Dose Map map 2.25.")
    assert "all its events" in _text(section)
    assert "Parameters Backscatter 1.3" in _text(section)


def test_a_study_without_estimates_shows_no_section(client: Client, site: Site, ct_spec: StudySpec) -> None:
    stored = store_dose_report(site=site, report=read(write_bytes(ct_spec)).as_dict())
    html = _page(client, site, stored.study)
    assert "Dose estimates" not in html and "dose-estimates" not in html
