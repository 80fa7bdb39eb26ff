"""Typed errors of the RDSR reader: the only exceptions `read()` lets escape.

Each error carries a machine-readable `kind` (the dose-report contract's error kinds) so that the
ingest pipeline, the REST API and `rdsr_dump` can report it without parsing messages.
"""

from __future__ import annotations


class RdsrError(Exception):
    """Base class: a file that cannot be read as a dose report, with a message naming the problem."""

    kind: str = "malformed"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotDicomError(RdsrError):
    """Not a DICOM file at all, or one cut short before its content could be read."""

    kind = "not_dicom"


class NotADoseReportError(RdsrError):
    """Valid DICOM, but an image, a non-dose SR or another object that carries no dose report."""

    kind = "not_a_dose_report"


class MalformedError(RdsrError):
    """A dose SR whose content tree cannot be read as a dose report."""

    kind = "malformed"


class UnsupportedError(RdsrError):
    """A dose report the reader cannot read: a template it does not (yet) know, or a Patient Radiation Dose
    SR (TID 10030) with no estimate it can read."""

    kind = "unsupported"
