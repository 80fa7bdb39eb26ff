"""Small synthetic DX, MG and CR images built with pydicom: a header and 2 by 2 pixels, as Part 10 bytes."""

from __future__ import annotations

import io
from typing import Any

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filewriter import dcmwrite
from pydicom.sequence import Sequence
from pydicom.uid import (
    DigitalMammographyXRayImageStorageForPresentation,
    DigitalXRayImageStorageForPresentation,
    ExplicitVRLittleEndian,
    generate_uid,
)


def code(value: str, scheme: str, meaning: str) -> Dataset:
    """One code sequence item."""
    item = Dataset()
    item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = value, scheme, meaning
    return item


def image(sop_class: str = DigitalXRayImageStorageForPresentation, **attributes: Any) -> Dataset:
    """A minimal image of `sop_class` with study, patient and device attributes and the given ones."""
    ds = Dataset()
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = generate_uid()
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.StudyDate, ds.StudyTime = "20240102", "093000"
    ds.AccessionNumber = "ACC1"
    ds.PatientID, ds.PatientSex, ds.PatientAge = "P1", "F", "061Y"
    ds.Manufacturer, ds.ManufacturerModelName, ds.StationName = "Acme", "Radiograph 1", "ROOM1"
    ds.Rows = ds.Columns = 2
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 8, 8, 7
    ds.SamplesPerPixel, ds.PixelRepresentation = 1, 0
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.PixelData = b"\x00\x01\x02\x03"
    for keyword, value in attributes.items():
        setattr(ds, keyword, value)
    return ds


def mammogram(**attributes: Any) -> Dataset:
    """A minimal Digital Mammography X-Ray image (For Presentation) with the given attributes."""
    defaults: dict[str, Any] = {"Modality": "MG", "BodyPartExamined": "BREAST"}
    return image(DigitalMammographyXRayImageStorageForPresentation, **{**defaults, **attributes})


def part10(ds: Dataset) -> bytes:
    """The dataset as a Part 10 file in explicit VR little endian."""
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    buffer = io.BytesIO()
    dcmwrite(buffer, ds, enforce_file_format=True)
    return buffer.getvalue()


def view(value: str, meaning: str) -> Sequence:
    """A View Code Sequence (0054,0220) of one SNOMED code."""
    return Sequence([code(value, "SCT", meaning)])
