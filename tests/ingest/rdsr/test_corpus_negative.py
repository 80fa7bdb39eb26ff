"""Real DICOM objects that are not dose reports are rejected as `not_a_dose_report`, saying why."""

from __future__ import annotations

import pytest

from ingest.rdsr import RdsrError, read
from ingest.rdsr.errors import NotADoseReportError
from tests.conftest import corpus_file

# (file, words of which the message must contain at least one: the SOP class or the root concept)
NEGATIVE = [
    # SOPClassUID 1.2.840.10008.5.1.4.1.1.7 Secondary Capture Image Storage (a Philips dose screen).
    ("negative/CT-SC-Philips_Brilliance16P.dcm", ["1.2.840.10008.5.1.4.1.1.7", "Secondary Capture"]),
    # negative/DX-Im-GE_XR220-1.dcm now reads from its header: test_a_dx_image_header_becomes_one_event.py
    # Enhanced SR whose root concept is (18748-4, LN, "Diagnostic Imaging Report").
    ("negative/ESR_non-dose.dcm", ["18748-4", "Diagnostic Imaging Report"]),
]


@pytest.mark.parametrize(("name", "words"), NEGATIVE, ids=[name for name, _ in NEGATIVE])
def test_non_dose_object_is_rejected_as_not_a_dose_report(name: str, words: list[str]) -> None:
    with pytest.raises(NotADoseReportError) as caught:
        read(corpus_file(name))
    error = caught.value
    assert isinstance(error, RdsrError)
    assert error.kind == "not_a_dose_report"
    message = str(error)
    assert message.strip(), "the message must say what is wrong"
    assert any(word.lower() in message.lower() for word in words), f"{message!r} names none of {words}"


@pytest.mark.parametrize(("name", "words"), NEGATIVE, ids=[name for name, _ in NEGATIVE])
def test_non_dose_object_given_as_bytes_is_rejected_the_same_way(name: str, words: list[str]) -> None:
    with pytest.raises(NotADoseReportError) as caught:
        read(corpus_file(name).read_bytes())
    assert caught.value.kind == "not_a_dose_report"
    assert any(word.lower() in str(caught.value).lower() for word in words)
