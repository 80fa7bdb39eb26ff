"""C-STORE, STOW-RS and the reader accept one set of SOP classes: dose SRs and DX/MG images, no Basic Text."""

from __future__ import annotations

import io

import pydicom
import pytest
from pydicom.uid import (
    UID,
    BasicTextSRStorage,
    KeyObjectSelectionDocumentStorage,
    SecondaryCaptureImageStorage,
)

from ingest import scp
from ingest.api.multipart import Part
from ingest.api.stow import FailureReason, stow_part
from ingest.rdsr import read
from ingest.rdsr.errors import NotADoseReportError, UnsupportedError
from ingest.rdsr.routing import ACCEPTED_SOP_CLASSES, IMAGE_SOP_CLASSES
from registry.models import Site
from tests.conftest import corpus_file
from tests.ingest.rdsr.image_builder import image, part10

CT = "CT-RDSR-GEPixelMed.dcm"
PLANNED_IMAGING_AGENT_SR = "1.2.840.10008.5.1.4.1.1.88.74"  # contrast, not dose (rdsr-notes §2)
REFUSED = [
    BasicTextSRStorage,  # no NUM items allowed (PS3.3 Table A.35.1-2): it cannot hold a dose report
    SecondaryCaptureImageStorage,
    KeyObjectSelectionDocumentStorage,
    PLANNED_IMAGING_AGENT_SR,
]
PROBED = sorted(ACCEPTED_SOP_CLASSES) + REFUSED


def _ct_report_as(sop_class: str) -> pydicom.Dataset:
    """A real CT dose report relabelled with another SOP class: only the class can make a door refuse it."""
    dataset = pydicom.dcmread(corpus_file(CT))
    dataset.SOPClassUID = dataset.file_meta.MediaStorageSOPClassUID = UID(sop_class)
    return dataset


def _object_of(sop_class: str) -> pydicom.Dataset:
    """A DX/MG image of an image class (with a DAP in its header), else the CT report relabelled."""
    if sop_class in IMAGE_SOP_CLASSES:
        return pydicom.dcmread(io.BytesIO(part10(image(sop_class, ImageAndFluoroscopyAreaDoseProduct=0.41))))
    return _ct_report_as(sop_class)


def _reader_accepts(dataset: pydicom.Dataset) -> bool:
    """Routed on to the template: read, or rejected only because the reader does not support it yet."""
    try:
        read(dataset)
    except UnsupportedError:
        return True
    except NotADoseReportError:
        return False
    return True


def test_basic_text_sr_is_not_accepted() -> None:
    assert BasicTextSRStorage not in ACCEPTED_SOP_CLASSES


def test_every_image_class_whose_header_is_read_is_accepted() -> None:
    assert set(IMAGE_SOP_CLASSES) <= ACCEPTED_SOP_CLASSES


def test_the_listener_offers_the_accepted_classes_and_verification_only() -> None:
    offered = {context.abstract_syntax for context in scp.build_ae("KERMA").supported_contexts}
    assert offered == ACCEPTED_SOP_CLASSES | {scp.VERIFICATION_SOP_CLASS}


@pytest.mark.parametrize("sop_class", PROBED)
def test_the_reader_routes_exactly_the_accepted_classes(sop_class: str) -> None:
    assert _reader_accepts(_object_of(sop_class)) == (sop_class in ACCEPTED_SOP_CLASSES)


@pytest.mark.django_db
@pytest.mark.parametrize("sop_class", PROBED)
def test_stow_refuses_exactly_the_classes_the_reader_does_not_route(site: Site, sop_class: str) -> None:
    buffer = io.BytesIO()
    _object_of(sop_class).save_as(buffer, enforce_file_format=True)
    result = stow_part(site=site, part=Part("application/dicom", buffer.getvalue()), study_uid=None)
    if sop_class in ACCEPTED_SOP_CLASSES:
        assert (result.failure, result.submission is not None) == (None, True)
    else:
        assert (result.failure, result.submission) == (FailureReason.SOP_CLASS_NOT_SUPPORTED, None)
