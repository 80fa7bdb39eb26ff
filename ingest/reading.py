"""Reading a received file once: its dose report (contract dict, pseudonymised) and its de-identified copy.

The worker's whole cost per report is here (parsing, mapping, de-identification); storing is a few queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ingest.deid import deidentified_copy, deidentify_report
from ingest.rdsr import read_report
from ingest.rdsr.errors import NotADoseReportError
from ingest.rdsr.image_header import COPIED_FROM_IMAGE_ATTRIBUTES
from ingest.rdsr.opened import collector_paused


@dataclass(frozen=True)
class ReadReport:
    """What the worker stores: the pseudonymised contract dict and the de-identified Part 10 bytes."""

    report: dict[str, Any]
    deidentified: bytes


def read_and_deidentify(data: bytes, *, key: str, site_code: str) -> ReadReport:
    """Read one received file and de-identify it; raises the reader's RdsrError for what it refuses.

    The file is parsed once (`read_report`: the element stream, or pydicom for what that leaves to it) and
    the de-identified copy is written from the same parse.
    """
    with collector_paused():  # see there: a third of the time of a large report
        dose, parsed = read_report(data)
        report = dose.as_dict()
        refuse_image_headers(report)
        age = report["patient"]["age_years"]
        copy = deidentified_copy(data, parsed, key=key, site_code=site_code, age_years=age)
        return ReadReport(deidentify_report(report, key=key, site_code=site_code), copy)


def refuse_image_headers(report: dict[str, Any]) -> None:
    """Refuse a report read from an image's header, at every door alike, until the store combines it.

    The reader reads DX, CR, MG and tomosynthesis headers (docs/dose-objects.md), but an image's exposure
    may also be an event of the study's RDSR under another UID, and would then count twice; the store does
    not yet tell them apart, so no door takes images (C-STORE and STOW-RS do not offer their SOP classes).
    """
    if COPIED_FROM_IMAGE_ATTRIBUTES.meaning in report.get("source_of_dose_information", ()):
        raise NotADoseReportError(
            f"{report.get('modality')} image: its header's dose is read but not stored yet; "
            "send the device's dose report (RDSR) instead"
        )
