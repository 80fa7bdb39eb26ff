"""What the listener refuses, and that it keeps running afterwards: too large, not a dose object, a crash."""

from __future__ import annotations

import logging

import pytest
from django.test import override_settings
from pydicom import dcmread

from ingest.models import Submission
from ingest.scp import CANNOT_UNDERSTAND, OUT_OF_RESOURCES, SUCCESS
from registry.models import AETitle
from tests.conftest import corpus_file
from tests.ingest.scp.conftest import CALLING_AE, Associate

pytestmark = pytest.mark.django_db(transaction=True)

CT = "CT-RDSR-Siemens-Multi-1.dcm"
CT_SECONDARY_CAPTURE = "negative/CT-SC-Philips_Brilliance16P.dcm"  # an image class Kerma does not read


def test_a_report_over_the_size_limit_is_refused_as_out_of_resources(
    known_ae: AETitle, associate: Associate
) -> None:
    ds = dcmread(corpus_file(CT))
    with override_settings(KERMA_MAX_UPLOAD_BYTES=1024):
        assert associate([ds.SOPClassUID]).send_c_store(ds).Status == OUT_OF_RESOURCES
    assert not Submission.objects.exists()


def test_a_secondary_capture_class_gets_no_presentation_context(
    known_ae: AETitle, associate: Associate
) -> None:
    image, report = dcmread(corpus_file(CT_SECONDARY_CAPTURE)), dcmread(corpus_file(CT))
    assoc = associate([image.SOPClassUID, report.SOPClassUID])
    assert assoc.is_established
    [refused] = assoc.rejected_contexts
    assert (refused.abstract_syntax, refused.result) == (
        image.SOPClassUID,
        0x03,
    )  # abstract syntax not supported
    with pytest.raises(ValueError, match="No presentation context"):
        assoc.send_c_store(image)
    assert not Submission.objects.exists()


def test_an_association_offering_only_a_secondary_capture_class_is_aborted_by_the_sender(
    known_ae: AETitle, associate: Associate
) -> None:
    image = dcmread(corpus_file(CT_SECONDARY_CAPTURE))
    assoc = associate([image.SOPClassUID])
    # The listener accepts the association with every context refused; pynetdicom's SCU then aborts.
    assert assoc.is_aborted and not assoc.is_established


def test_an_unexpected_error_fails_the_store_logs_no_patient_data_and_the_listener_goes_on(
    known_ae: AETitle,
    associate: Associate,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ds = dcmread(corpus_file(CT))

    def crash(**kwargs: object) -> None:
        raise RuntimeError(f"cannot file {ds.PatientName}")

    with monkeypatch.context() as patch:
        patch.setattr("ingest.scp.submission_receive", crash)
        with caplog.at_level(logging.ERROR, logger="ingest.scp"):
            assert associate([ds.SOPClassUID]).send_c_store(ds).Status == CANNOT_UNDERSTAND
    [record] = [r for r in caplog.records if r.name == "ingest.scp"]
    assert ds.SOPInstanceUID in record.getMessage() and CALLING_AE in record.getMessage()
    assert str(ds.PatientName) not in record.getMessage() and record.exc_info is None
    assert associate([ds.SOPClassUID]).send_c_store(ds).Status == SUCCESS
