"""Images that carry no dose stay refused as `not_a_dose_report`, with a message saying why."""

from __future__ import annotations

import pytest
from pydicom.uid import CTImageStorage, SecondaryCaptureImageStorage

from ingest.rdsr import read
from ingest.rdsr.errors import NotADoseReportError
from tests.conftest import corpus_file
from tests.ingest.rdsr.image_builder import image, part10


def test_the_ct_secondary_capture_of_the_corpus_is_refused() -> None:
    with pytest.raises(NotADoseReportError) as caught:
        read(corpus_file("negative/CT-SC-Philips_Brilliance16P.dcm"))
    assert "Secondary Capture" in str(caught.value)
    assert "DX, CR, MG" in str(caught.value)


@pytest.mark.parametrize("sop_class", [SecondaryCaptureImageStorage, CTImageStorage])
def test_other_images_are_refused_even_with_dose_attributes(sop_class: str) -> None:
    with pytest.raises(NotADoseReportError) as caught:
        read(part10(image(sop_class, KVP="120", ImageAndFluoroscopyAreaDoseProduct="1")))
    assert sop_class in str(caught.value)


def test_a_dx_image_without_any_dose_or_exposure_attribute_is_refused() -> None:
    with pytest.raises(NotADoseReportError) as caught:
        read(part10(image()))
    assert "no dose or exposure attribute" in str(caught.value)
