"""A Patient Radiation Dose SR's estimates become rows of its study, linked to the report that states them.

The CT report (synthetic, seed 1) is stored first, then the estimating report (TID 10030) of the same study;
`estimates_store` writes its five values. Hand values: effective dose 0.0062 Sv; lung 0.0148 Gy; breast
0.0121 Gy; thyroid 0.0043 Gy; stomach 0.0061 Gy (`ingest.synth.patient_dose_examples.organ_dose_spec`).
"""

from __future__ import annotations

from typing import Any

import pytest

from ingest.rdsr import read
from ingest.synth import ScenarioConfig, StudySpec, draw_studies, write_bytes
from ingest.synth.patient_dose import patient_dose_bytes
from ingest.synth.patient_dose_examples import organ_dose_spec
from ingest.synth.spec import CtReportSpec
from registry.estimates.store import estimates_store
from registry.models import DoseEstimate, Site
from registry.store import StoredReport, store_dose_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def ct_study() -> StudySpec:
    return next(draw_studies(ScenarioConfig(studies=1, sites=1, seed=1, mix={"CT": 1.0})))


@pytest.fixture
def site() -> Site:
    return Site.objects.create(code="EST", name="Estimates")


def _store(site: Site, data: bytes) -> tuple[StoredReport, dict[str, Any]]:
    report = read(data).as_dict()
    return store_dose_report(site=site, report=report), report


@pytest.fixture
def stored(site: Site, ct_study: StudySpec) -> tuple[StoredReport, StoredReport, dict[str, Any]]:
    ct, _ = _store(site, write_bytes(ct_study))
    prdsr, report = _store(site, patient_dose_bytes(organ_dose_spec(ct_study)))
    return ct, prdsr, report


def test_the_five_values_are_written_for_the_study_and_the_estimating_report(
    stored: tuple[StoredReport, StoredReport, dict[str, Any]],
) -> None:
    ct, prdsr, report = stored
    assert estimates_store(prdsr.report, prdsr.study, report["estimates"]) == 5
    rows = DoseEstimate.objects.order_by("pk")
    assert {(row.study_id, row.report_id) for row in rows} == {(ct.study.pk, prdsr.report.pk)}
    assert [(row.target, row.kind, row.dose_gy, row.dose_sv) for row in rows] == [
        ("Entire body", "effective", None, 0.0062),
        ("Lung", "absorbed", 0.0148, None),
        ("Breast", "absorbed", 0.0121, None),
        ("Thyroid", "absorbed", 0.0043, None),
        ("Stomach", "absorbed", 0.0061, None),
    ]


def test_a_row_keeps_the_quantity_the_stated_unit_and_the_laterality(
    stored: tuple[StoredReport, StoredReport, dict[str, Any]],
) -> None:
    _, prdsr, report = stored
    estimates_store(prdsr.report, prdsr.study, report["estimates"])
    lung = DoseEstimate.objects.get(target="Lung")
    assert (lung.quantity_code, lung.quantity) == ("DCM:128533", "Mean Absorbed Radiation Dose")
    assert (lung.stated_value, lung.stated_unit, lung.target_code, lung.laterality) == (
        0.0148,
        "Gy",
        "SCT:39607008",
        "Bilateral",
    )
    assert lung.name == "CT organ and effective dose"


def test_the_methodology_names_the_software_and_the_reports_and_events_used(
    stored: tuple[StoredReport, StoredReport, dict[str, Any]], ct_study: StudySpec
) -> None:
    ct, prdsr, report = stored
    estimates_store(prdsr.report, prdsr.study, report["estimates"])
    effective = DoseEstimate.objects.get(kind="effective")
    assert effective.methodology["patient_model"] == "Anthropomorphic Model"
    assert effective.methodology["software"] == {
        "manufacturer": "Kerma Synthetic Dosimetry",
        "model_name": "OrganDose",
        "software_versions": "1.0",
        "device_observer_uid": report["device"]["device_observer_uid"],
    }
    (used,) = effective.sr_instances_used
    assert used["sop_instance_uid"] == ct_study.sop_uid == ct.report.sop_instance_uid
    spirals = set(ct.study.events.filter(localizer=False).values_list("uid", flat=True))
    assert len(spirals) == 2 and set(used["event_uids"]) == spirals


def test_storing_again_replaces_the_reports_rows(
    stored: tuple[StoredReport, StoredReport, dict[str, Any]],
) -> None:
    _, prdsr, report = stored
    estimates_store(prdsr.report, prdsr.study, report["estimates"])
    assert estimates_store(prdsr.report, prdsr.study, report["estimates"][:2]) == 2
    assert DoseEstimate.objects.count() == 2


def test_the_estimating_report_adds_no_events_and_no_dose_to_the_study(
    stored: tuple[StoredReport, StoredReport, dict[str, Any]], ct_study: StudySpec
) -> None:
    ct, prdsr, report = stored
    estimates_store(prdsr.report, prdsr.study, report["estimates"])
    study = prdsr.study
    study.refresh_from_db()
    assert study.pk == ct.study.pk
    assert prdsr.report.template == "10030" and prdsr.report.event_uids == []
    assert study.events.count() == len(ct_study.report.events) == 4
    assert isinstance(ct_study.report, CtReportSpec)
    assert study.ct_dlp_total_mgycm == pytest.approx(ct_study.report.dlp_total_mgycm)
