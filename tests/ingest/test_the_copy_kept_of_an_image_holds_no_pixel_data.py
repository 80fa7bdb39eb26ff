"""Only an image's header is kept: the de-identified copy of a DX image holds no (7FE0,0010) Pixel Data."""

from __future__ import annotations

import pydicom
import pytest

from ingest.models import State
from tests.conftest import corpus_file
from tests.ingest.conftest import Send

pytestmark = pytest.mark.django_db

DX_IMAGE = "negative/DX-Im-GE_XR220-1.dcm"


def test_the_stored_copy_of_a_dx_image_has_its_header_and_no_pixel_data(send: Send) -> None:
    assert "PixelData" in pydicom.dcmread(corpus_file(DX_IMAGE))  # the received file has pixels
    submission = send(DX_IMAGE)
    assert submission.state == State.STORED
    with submission.stored_file.open("rb") as stored:
        copy = pydicom.dcmread(stored)
    assert 0x7FE00010 not in copy
    assert copy.ImageAndFluoroscopyAreaDoseProduct == pytest.approx(0.41)  # the dose stays
    assert "PatientName" not in copy  # and the copy is de-identified as any other
