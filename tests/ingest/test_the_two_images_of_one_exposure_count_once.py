"""A radiography unit that writes no Irradiation Event UID sends each exposure twice, as a For Processing
and a For Presentation image: they are one event and count once (docs/dose-objects.md, "One exposure, two
images"); a second exposure of the study adds its own dose."""

from __future__ import annotations

from typing import Any

import pytest
from pydicom.uid import (
    DigitalXRayImageStorageForPresentation,
    DigitalXRayImageStorageForProcessing,
    generate_uid,
)

from ingest.models import State
from ingest.rdsr import read
from registry.models import IrradiationEvent, Study
from tests.ingest.conftest import Send
from tests.ingest.rdsr.image_builder import image, part10

pytestmark = pytest.mark.django_db
STUDY = generate_uid()
# 0.41 dGy·cm² (the header's unit) = 0.41 x 10⁻⁵ Gy·m² = 4.1e-6 Gy·m² (docs/dose-objects.md)
EXPOSURE: dict[str, Any] = {
    "StudyInstanceUID": STUDY,
    "AcquisitionDateTime": "20240102093012.250000",
    "ImageAndFluoroscopyAreaDoseProduct": "0.41",
    "KVP": "81",
    "ExposureInuAs": 2500,
    "ViewPosition": "PA",
    "DeviceSerialNumber": "SN-7",
}


def _image(sop_class: str, **changes: Any) -> bytes:
    return part10(image(sop_class, **{**EXPOSURE, **changes}))


def test_the_processing_and_presentation_images_of_one_exposure_name_one_event() -> None:
    processing = read(_image(DigitalXRayImageStorageForProcessing)).as_dict()
    presentation = read(_image(DigitalXRayImageStorageForPresentation)).as_dict()
    assert processing["sop_instance_uid"] != presentation["sop_instance_uid"]
    assert processing["events"][0]["uid"] == presentation["events"][0]["uid"]
    assert processing["events"][0]["uid"].startswith("2.25.")


def test_both_images_stored_count_the_exposure_once(send: Send) -> None:
    first = send(data=_image(DigitalXRayImageStorageForProcessing))
    second = send(data=_image(DigitalXRayImageStorageForPresentation))
    assert (first.state, second.state) == (State.STORED, State.STORED)
    assert (first.outcome, second.outcome) == ("created", "audit_only")
    study = Study.objects.get(study_instance_uid=STUDY)
    assert study.dap_total_gym2 == pytest.approx(4.1e-6)
    assert IrradiationEvent.objects.filter(study=study).count() == 1


def test_a_second_exposure_of_the_study_adds_its_dose(send: Send) -> None:
    send(data=_image(DigitalXRayImageStorageForPresentation))
    later = send(data=_image(DigitalXRayImageStorageForPresentation, AcquisitionDateTime="20240102093047"))
    assert later.outcome == "added"
    study = Study.objects.get(study_instance_uid=STUDY)
    assert study.dap_total_gym2 == pytest.approx(8.2e-6)
    assert IrradiationEvent.objects.filter(study=study).count() == 2


def test_without_an_acquisition_time_each_image_is_its_own_event() -> None:
    # Two exposures of a study could not be told apart: each image keeps its SOP Instance UID as its event's.
    undated = {"AcquisitionDateTime": None}
    report = read(_image(DigitalXRayImageStorageForPresentation, **undated)).as_dict()
    assert report["events"][0]["uid"] == report["sop_instance_uid"]
