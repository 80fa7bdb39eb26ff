"""QA scans are flagged as their reports are stored: by their text, a QA patient ID, a QA-only device.

Descriptions, patient IDs and devices below are read from the corpus files themselves (pydicom).
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pydicom
import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core import serializers
from django.core.management import call_command

from ingest.models import State
from registry.models import AuditEvent, Device, MonthlyWorkload, QASource, Role, Site, Study
from registry.quality.services import qa_device_mark, qa_patient_add, study_qa_unflag
from registry.statistics.workload import workload_drift
from tests.conftest import corpus_file, person
from tests.ingest.conftest import Send

pytestmark = pytest.mark.django_db

QA_STUDY = "CT-RDSR-Siemens_Flash-QA-DS.dcm"
# The corpus reports whose own study description names a physics test; every other report is a patient's.
EXPECTED_QA = {
    QA_STUDY: "physics testing",  # StudyDescription "Specials^PhysicsTesting (Adult)"
    "Dual-RDSR-DX.dcm": "physics test",  # StudyDescription "Z_Physics Test", protocol "Phys erect lrgfld"
}


@pytest.fixture
def physicist(site: Site) -> User:
    return person("phil", (site, Role.PHYSICIST))


def test_the_siemens_physics_testing_study_is_flagged_with_its_reason(send: Send) -> None:
    description = str(pydicom.dcmread(corpus_file(QA_STUDY)).StudyDescription)
    assert description == "Specials^PhysicsTesting (Adult)"
    study = send(QA_STUDY).study
    assert study is not None and study.qa and study.qa_source == QASource.TEXT
    assert study.qa_reason == f"Study description “{description}” matches the QA pattern “physics testing”"
    flagged = AuditEvent.objects.get(action="study.qa_flagged", object_id=str(study.pk))
    assert flagged.actor_label == "system" and flagged.after == {
        "qa": True,
        "source": "text",
        "reason": study.qa_reason,
    }


def test_only_the_corpus_reports_that_say_so_are_flagged(send: Send, corpus_dir: Path) -> None:
    """No false positive over the corpus: GE's lone "10.13 RADIOTHERAPY QA" sequence sits beside an unnamed
    spiral (a patient's study may hold a set-up sequence), and names such as "QATesting^Physics" or "ACR 3D
    TEST" are patient names and IDs, which are never stored, so only a QA ID list can flag them."""
    flagged = {}
    for path in sorted(corpus_dir.glob("*.dcm")):
        submission = send(path.name)
        assert submission.state in (State.STORED, State.DUPLICATE), path.name
        assert submission.study is not None
        submission.study.refresh_from_db()
        flagged[path.name] = submission.study.qa
    assert {name for name, qa in flagged.items() if qa} == set(EXPECTED_QA)
    for name, pattern in EXPECTED_QA.items():
        description = str(pydicom.dcmread(corpus_dir / name).StudyDescription)
        assert Study.objects.get(description=description).qa_reason.endswith(f"the QA pattern “{pattern}”")
    assert workload_drift() == {}
    assert sum(MonthlyWorkload.objects.values_list("studies", flat=True)) == Study.objects.patients().count()


def _database_text() -> str:
    models = [*apps.get_app_config("registry").get_models(), *apps.get_app_config("ingest").get_models()]
    return "\n".join(serializers.serialize("json", model._default_manager.all()) for model in models)


def test_a_qa_patient_id_flags_its_studies_by_pseudonym_and_is_never_stored(
    send: Send, site: Site, physicist: User
) -> None:
    name = "MG-RDSR-GEPristina-DBT.dcm"
    patient_id = str(pydicom.dcmread(corpus_file(name)).PatientID)
    assert patient_id == "ACR 3D TEST"  # the ACR mammography phantom
    listed = qa_patient_add(actor=physicist, site=site, patient_id=patient_id, label="ACR DBT phantom")
    study = send(name).study
    assert study is not None and study.qa and study.qa_source == QASource.PATIENT
    assert study.patient_pseudonym == listed.patient_pseudonym != ""
    assert study.qa_reason == "Patient ID is on the site's QA list (“ACR DBT phantom”)"
    assert patient_id not in _database_text()
    assert not MonthlyWorkload.objects.exists()


def test_the_same_id_at_another_site_is_another_patient(send: Send, site: Site, physicist: User) -> None:
    """Pseudonyms are scoped to the site, as patient IDs are unique only per issuing hospital."""
    name = "MG-RDSR-GEPristina-DBT.dcm"
    qa_patient_add(actor=physicist, site=site, patient_id="ACR 3D TEST", label="ACR DBT phantom")
    south = Site.objects.create(code="SOUTH-02", name="South")
    study = send(name, to=south).study
    assert study is not None and not study.qa


def test_listing_an_id_flags_its_stored_studies_and_moves_the_workload(
    send: Send, site: Site, physicist: User
) -> None:
    study = send("MG-RDSR-GEPristina-2D.dcm").study  # PatientID "CDMAN V4": a CDMAM phantom
    assert study is not None and not study.qa and MonthlyWorkload.objects.get().studies == 1
    qa_patient_add(actor=physicist, site=site, patient_id="CDMAN V4", label="CDMAM phantom")
    study.refresh_from_db()
    assert study.qa and study.qa_changed_by == physicist
    assert not MonthlyWorkload.objects.filter(studies__gt=0).exists()
    assert workload_drift() == {}


def test_a_qa_only_device_flags_what_it_reported_and_what_it_reports_next(
    send: Send, site: Site, physicist: User
) -> None:
    # Both Pristina reports carry the same Device Observer UID: one mammography unit.
    first = send("MG-RDSR-GEPristina-2D.dcm").study
    device = Device.objects.get(site=site)
    qa_device_mark(actor=physicist, device=device, reason="Physics test unit in the QA room")
    second = send("MG-RDSR-GEPristina-DBT.dcm").study
    assert first is not None and second is not None and first.pk != second.pk
    for study in Study.objects.filter(pk__in=[first.pk, second.pk]):
        assert study.qa and study.qa_source == QASource.DEVICE
        assert study.qa_reason == f"Device “{device}” is QA-only: Physics test unit in the QA room"
    assert not MonthlyWorkload.objects.filter(studies__gt=0).exists()
    call_command("rebuild_workload", "--check", stdout=StringIO())


def test_a_physicists_unflag_stays_when_the_study_is_read_again(send: Send, physicist: User) -> None:
    study = send(QA_STUDY).study
    assert study is not None and study.qa
    study_qa_unflag(actor=physicist, study=study, reason="A patient after all: protocol misnamed")
    call_command("reprocess", stdout=StringIO())  # stores the report again through the rules
    study.refresh_from_db()
    assert not study.qa and study.qa_source == QASource.PHYSICIST
    assert MonthlyWorkload.objects.get().studies == 1
    assert workload_drift() == {}
