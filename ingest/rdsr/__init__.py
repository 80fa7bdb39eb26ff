"""Pure RDSR reader: a DICOM dose SR in, frozen dataclasses in canonical units out (no Django here)."""

from __future__ import annotations

from ingest.rdsr.errors import (
    MalformedError,
    NotADoseReportError,
    NotDicomError,
    RdsrError,
    UnsupportedError,
)
from ingest.rdsr.model import DoseReport
from ingest.rdsr.opened import Opened
from ingest.rdsr.reader import load_dataset, read, read_report, read_with_pydicom

__all__ = [
    "DoseReport",
    "MalformedError",
    "NotADoseReportError",
    "NotDicomError",
    "Opened",
    "RdsrError",
    "UnsupportedError",
    "load_dataset",
    "read",
    "read_report",
    "read_with_pydicom",
]
