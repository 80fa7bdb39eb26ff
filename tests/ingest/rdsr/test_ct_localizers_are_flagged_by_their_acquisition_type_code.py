"""A CT event is a localizer when its CT Acquisition Type is 113805 (DCM) Constant Angle Acquisition.

The expectation is read from each corpus file with pydicom alone (the code value, not the meaning), in
document order, and compared with the reader's `localizer` flags.
"""

from __future__ import annotations

from collections.abc import Iterator

import pydicom
import pytest
from pydicom.dataset import Dataset

from ingest.rdsr import read
from tests.conftest import corpus_file

CT_FILES = [
    "CT-ESR-GE_VCT.dcm",
    "CT-RDSR-GEPixelMed.dcm",
    "CT-RDSR-Siemens-Multi-3.dcm",
    "CT-RDSR-Siemens_Flash-QA-DS.dcm",
    "CT-RDSR-ToshibaPixelMed.dcm",
    "CT-RDSR-Toshiba_DoseCheck.dcm",
    "NM-CT-RDSR-Siemens.dcm",
]


def _concept(item: Dataset) -> str:
    names = item.get("ConceptNameCodeSequence")
    return str(names[0].CodeValue) if names else ""


def _acquisitions(items: list[Dataset]) -> Iterator[Dataset]:
    """Every CT Acquisition container (113819) below these items, in document order."""
    for item in items:
        if _concept(item) == "113819":
            yield item
        else:
            yield from _acquisitions(list(item.get("ContentSequence", [])))


def _is_scout(acquisition: Dataset) -> bool:
    for child in acquisition.get("ContentSequence", []):
        if _concept(child) == "113820":  # CT Acquisition Type
            code = child.ConceptCodeSequence[0]
            return bool(code.CodeValue == "113805" and code.CodingSchemeDesignator == "DCM")
    return False


@pytest.mark.parametrize("name", CT_FILES)
def test_each_event_is_a_localizer_exactly_when_its_type_code_is_113805(name: str) -> None:
    dataset = pydicom.dcmread(corpus_file(name))
    expected = [_is_scout(acquisition) for acquisition in _acquisitions(list(dataset.ContentSequence))]
    events = [event for event in read(dataset).events if event.kind == "ct"]
    assert [event.localizer for event in events] == expected
    assert len(expected) > 0


def test_the_siemens_multi_report_starts_with_one_localizer() -> None:
    # Multi-3: a topogram (0.15 mGy) and two spirals (8.13 and 7.02 mGy), read with pydicom above.
    events = read(pydicom.dcmread(corpus_file("CT-RDSR-Siemens-Multi-3.dcm"))).events
    assert [(event.localizer, event.ctdivol_mgy) for event in events] == [
        (True, 0.15),
        (False, 8.13),
        (False, 7.02),
    ]
