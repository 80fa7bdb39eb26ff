"""De-identification in the IHE REM register style: keyed pseudonyms for IDs, no names, no birth dates.

Patient ID and accession number become HMAC-SHA256 pseudonyms keyed by KERMA_PSEUDONYM_KEY and scoped to
the site (patient IDs are only unique per issuing hospital), so one patient's studies still link. Age, sex,
weight and height stay: dose statistics need them. Names live in the content tree too (operators,
authorising physicians, subject context), so the tree is cleaned as well as the header (rdsr-notes §11).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from copy import deepcopy
from typing import Any

from pydicom.dataset import Dataset
from pydicom.valuerep import PersonName

# Header attributes that identify the patient or staff and that no statistic needs.
REMOVED_ATTRIBUTES = (
    "PatientName",
    "PatientBirthDate",
    "PatientBirthTime",
    "PatientBirthName",
    "PatientMotherBirthName",
    "OtherPatientIDs",
    "OtherPatientIDsSequence",
    "OtherPatientNames",
    "PatientAddress",
    "PatientTelephoneNumbers",
    "PatientComments",
    "MilitaryRank",
    "MedicalRecordLocator",
    "IssuerOfPatientID",
    "ReferringPhysicianName",
    "ReferringPhysicianAddress",
    "PerformingPhysicianName",
    "NameOfPhysiciansReadingStudy",
    "OperatorsName",
    "PhysiciansOfRecord",
    "RequestingPhysician",
    "ScheduledPerformingPhysicianName",
    "ReferencedPatientSequence",
    "AdmissionID",
    "StudyID",
    "RequestedProcedureID",
    "FillerOrderNumberImagingServiceRequest",
    "PlacerOrderNumberImagingServiceRequest",
)
# Content items (TID 1005/1006/1007/1020) whose value identifies a person.
_SUBJECT_ID = "121030"
_ACCESSION = "121022"
# Subject name and birth date, person ID, placer and filler numbers: blanked.
_IDENTIFYING_TEXT = frozenset({"121029", "121031", "113871", "121020", "121021"})


def pseudonym(key: str, site_code: str, kind: str, value: str | None) -> str:
    """The keyed pseudonym of one identifier; empty stays empty."""
    if not value:
        return ""
    message = f"{kind}\x1f{site_code}\x1f{value.strip()}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def deidentify_report(report: Mapping[str, Any], *, key: str, site_code: str) -> dict[str, Any]:
    """A copy of the contract dict with pseudonyms instead of patient ID and accession number."""
    clean = deepcopy(dict(report))
    clean["patient"]["id"] = pseudonym(key, site_code, "patient", report["patient"].get("id")) or None
    accession = report["study"].get("accession_number")
    clean["study"]["accession_number"] = pseudonym(key, site_code, "accession", accession) or None
    return clean


def _content_items(items: Iterable[Dataset]) -> Iterable[Dataset]:
    for item in items:
        yield item
        yield from _content_items(item.get("ContentSequence") or [])


def _clean_content(dataset: Dataset, key: str, site_code: str) -> None:
    for item in _content_items(dataset.get("ContentSequence") or []):
        value_type = str(item.get("ValueType", ""))
        names = item.get("ConceptNameCodeSequence") or []
        code = str(names[0].get("CodeValue", "")) if names else ""
        if value_type == "PNAME":
            item.PersonName = ""
        elif code == _SUBJECT_ID and value_type == "TEXT":
            item.TextValue = pseudonym(key, site_code, "patient", str(item.get("TextValue", "")))
        elif code == _ACCESSION and value_type == "TEXT":
            item.TextValue = pseudonym(key, site_code, "accession", str(item.get("TextValue", "")))
        elif code in _IDENTIFYING_TEXT:
            for keyword in ("TextValue", "Date"):
                if keyword in item:
                    setattr(item, keyword, "")


_TEXT_VRS = frozenset({"AE", "CS", "LO", "LT", "PN", "SH", "ST", "UC", "UT"})


def _scrub_copies(dataset: Dataset, replacements: dict[str, str]) -> None:
    """Replace every other copy of an identifier, wherever a producer repeated it.

    Identifiers turn up again in places no list foresees (the accession number in Referenced Request
    Sequence, Philips Veradius), so after the known places are cleaned, any text element whose whole
    value is one of the original identifiers is replaced too.
    """
    for element in dataset.iterall():
        if element.VR in _TEXT_VRS and isinstance(element.value, (str, PersonName)):
            replacement = replacements.get(str(element.value).strip())
            if replacement is not None:
                element.value = "" if element.VR == "PN" else replacement


def deidentify_dataset(dataset: Dataset, *, key: str, site_code: str) -> None:
    """Clean a dose SR in place: header and content tree, private attributes removed, pseudonyms set."""
    patient_id = str(dataset.get("PatientID") or "").strip()
    accession = str(dataset.get("AccessionNumber") or "").strip()
    name = str(dataset.get("PatientName") or "").strip()
    replacements = {
        original: replacement
        for original, replacement in (
            (name, ""),
            (patient_id, pseudonym(key, site_code, "patient", patient_id)),
            (accession, pseudonym(key, site_code, "accession", accession)),
        )
        if original
    }
    for keyword in REMOVED_ATTRIBUTES:
        if keyword in dataset:
            delattr(dataset, keyword)
    dataset.PatientID = replacements.get(patient_id, "")
    dataset.AccessionNumber = replacements.get(accession, "")
    for request in dataset.get("RequestAttributesSequence") or []:
        for keyword in ("AccessionNumber", "RequestedProcedureID", "ScheduledProcedureStepID"):
            if keyword in request:
                delattr(request, keyword)
    _clean_content(dataset, key, site_code)
    dataset.remove_private_tags()
    _scrub_copies(dataset, replacements)
    dataset.PatientIdentityRemoved = "YES"
    dataset.DeidentificationMethod = "Kerma: HMAC-SHA256 pseudonyms for IDs; names and birth date removed"
