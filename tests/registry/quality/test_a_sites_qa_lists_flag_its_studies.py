"""A site's QA patient IDs and QA-only devices, kept on its QA lists page, flag its stored studies at once.

The patient ID typed in is turned into the site's keyed pseudonym and only that is stored: the page, the
database and the audit trail never hold the ID itself.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core import serializers
from django.test import Client, override_settings

from registry.models import AuditEvent, QADevice, QAPatient, QASource, Role, Site, Study, pseudonym
from registry.statistics.workload import workload_drift
from tests.registry.quality.conftest import signed_in
from tests.registry.statistics.conftest import ReportFactory

pytestmark = pytest.mark.django_db
KEY = "qa-list-test-key"
PHANTOM_ID = "PHANTOM-CTDI-16"


def database_text() -> str:
    return "\n".join(
        serializers.serialize("json", model._default_manager.all()) for model in apps.get_models()
    )


@override_settings(KERMA_PSEUDONYM_KEY=KEY)
def test_a_qa_patient_id_is_kept_as_its_pseudonym_and_flags_that_patients_studies(
    physicist: Client, studies: list[Study], north: Site
) -> None:
    phantom = studies[2]
    Study.objects.filter(pk=phantom.pk).update(
        patient_pseudonym=pseudonym(KEY, "NORTH", "patient", PHANTOM_ID)
    )
    form = {"patient_id": PHANTOM_ID, "label": "CTDI head phantom"}
    response = physicist.post("/quality/sites/NORTH/qa-patients/", form, follow=True)
    assert response.status_code == 200 and "CTDI head phantom" in response.content.decode()
    assert PHANTOM_ID not in response.content.decode()
    phantom.refresh_from_db()
    assert phantom.qa and phantom.qa_source == QASource.PATIENT
    assert phantom.qa_reason == "Patient ID is on the site's QA list (“CTDI head phantom”)"
    assert PHANTOM_ID not in database_text()
    added = AuditEvent.objects.get(action="qa_patient.added")
    assert added.detail == {"studies_flagged": 1, "studies_unflagged": 0} and added.actor_label == "phil"
    assert workload_drift() == {}

    listed = QAPatient.objects.get()
    physicist.post(f"/quality/qa-patients/{listed.pk}/remove/")
    phantom.refresh_from_db()
    assert not phantom.qa and not QAPatient.objects.exists() and workload_drift() == {}


def test_a_label_holding_the_id_is_refused(physicist: Client, north: Site) -> None:
    form = {"patient_id": PHANTOM_ID, "label": f"Phantom {PHANTOM_ID}"}
    response = physicist.post("/quality/sites/NORTH/qa-patients/", form)
    assert response.status_code == 200
    assert "must not contain the patient ID" in response.content.decode()
    assert not QAPatient.objects.exists()


def test_administrators_keep_qa_ids_but_do_not_mark_devices(studies: list[Study], north: Site) -> None:
    device = ReportFactory.create(study=studies[2]).device
    admin = signed_in("ada", (north, Role.ADMINISTRATOR))
    page = admin.get("/quality/sites/NORTH/").content.decode()
    assert "/quality/sites/NORTH/qa-patients/" in page
    assert f"/quality/devices/{device.pk}/qa-only/" not in page
    assert admin.post(f"/quality/devices/{device.pk}/qa-only/", {"reason": "bench"}).status_code == 403


def test_a_physicist_marks_a_device_qa_only_and_its_studies_leave_the_statistics(
    physicist: Client, studies: list[Study], north: Site
) -> None:
    device = ReportFactory.create(study=studies[2]).device
    page = physicist.get("/quality/sites/NORTH/").content.decode()
    assert f"/quality/devices/{device.pk}/qa-only/" in page
    physicist.post(f"/quality/devices/{device.pk}/qa-only/", {"reason": "Test bench of the physics lab"})
    flagged = Study.objects.get(qa=True)
    assert flagged.pk == studies[2].pk and flagged.qa_source == QASource.DEVICE
    assert flagged.qa_reason == f"Device “{device}” is QA-only: Test bench of the physics lab"
    assert "Test bench of the physics lab" in physicist.get("/quality/sites/NORTH/").content.decode()
    assert workload_drift() == {}

    physicist.post(f"/quality/devices/{device.pk}/qa-only/remove/")
    assert not Study.objects.filter(qa=True).exists() and not QADevice.objects.exists()
