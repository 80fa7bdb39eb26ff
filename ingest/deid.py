"""De-identification in the IHE REM register style: keyed pseudonyms for IDs, no names, no birth dates.

Patient ID and accession number become HMAC-SHA256 pseudonyms keyed by KERMA_PSEUDONYM_KEY and scoped to
the site (patient IDs are only unique per issuing hospital), so one patient's studies still link. Age, sex,
weight and height stay: dose statistics need them. Names live in the content tree too (operators,
authorising physicians, subject context), so the tree is cleaned as well as the header (rdsr-notes §11).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any

import pydicom
from pydicom.datadict import dictionary_VR
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.filewriter import dcmwrite
from pydicom.tag import Tag
from pydicom.valuerep import PersonName

from ingest.rdsr import Opened
from ingest.rdsr.cleaning import (
    ACCESSION,
    EQUIPMENT_TAGS,
    IDENTIFYING_TEXT,
    SUBJECT_ID,
    TEXT_VRS,
    Cleaning,
    Identifiers,
    cleaned_copy,
)

# One pseudonym function for ingest and the registry (which compares a site's QA patient IDs by it).
from registry.models.pseudonyms import pseudonym

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
_REMOVED_TAGS = frozenset(int(Tag(keyword)) for keyword in REMOVED_ATTRIBUTES)
_METHOD = "Kerma: HMAC-SHA256 pseudonyms for IDs; names and birth date removed"
CONTENT_SEQUENCE = 0x0040A730
# The content items that identify a person (SUBJECT_ID, ACCESSION, IDENTIFYING_TEXT), the text VRs and
# the equipment attributes never scrubbed are `ingest.rdsr.cleaning`'s: both ways of cleaning share them.


def deidentify_report(report: Mapping[str, Any], *, key: str, site_code: str) -> dict[str, Any]:
    """A copy of the contract dict with pseudonyms instead of patient ID and accession number.

    Only `patient` and `study` are copied; the rest (events, totals) is shared with `report`: a deep copy
    of a 500-event report cost more than de-identifying its file.
    """
    patient_id = pseudonym(key, site_code, "patient", report["patient"].get("id")) or None
    accession = pseudonym(key, site_code, "accession", report["study"].get("accession_number")) or None
    return {
        **report,
        "patient": {**report["patient"], "id": patient_id},
        "study": {**report["study"], "accession_number": accession},
    }


def _content_items(items: Iterable[Dataset]) -> Iterable[Dataset]:
    for item in items:
        yield item
        yield from _content_items(item.get("ContentSequence") or [])


def _concept_code(item: Dataset) -> str:
    names = item.get("ConceptNameCodeSequence") or []
    return str(names[0].get("CodeValue", "")) if names else ""


def _clean_content(dataset: Dataset, key: str, site_code: str) -> None:
    for item in _content_items(dataset.get("ContentSequence") or []):
        value_type, code = str(item.get("ValueType", "")), _concept_code(item)
        if value_type == "PNAME":
            item.PersonName = ""
        elif code == SUBJECT_ID and value_type == "TEXT":
            item.TextValue = pseudonym(key, site_code, "patient", str(item.get("TextValue", "")))
        elif code == ACCESSION and value_type == "TEXT":
            item.TextValue = pseudonym(key, site_code, "accession", str(item.get("TextValue", "")))
        elif code in IDENTIFYING_TEXT:
            for keyword in ("TextValue", "Date"):
                if keyword in item:
                    setattr(item, keyword, "")


def _content_needs_cleaning(dataset: Dataset, identifiers: Iterable[str]) -> bool:
    """Whether the content tree holds a name, an identifying item, a copy of an identifier or a private tag.

    Most dose reports hold none of these, and then the tree can be copied byte for byte.
    """
    originals = set(identifiers)
    for item in _content_items(dataset.get("ContentSequence") or []):
        value_type, code = str(item.get("ValueType", "")), _concept_code(item)
        if value_type == "PNAME" and str(item.get("PersonName") or "").strip():
            return True
        if code in IDENTIFYING_TEXT or code in (SUBJECT_ID, ACCESSION):
            return True
        if str(item.get("TextValue") or "").strip() in originals:
            return True
        if _holds_private(item):
            return True
    return False


_CONTENT_SEQUENCE = Tag("ContentSequence")


def _holds_private(item: Dataset) -> bool:
    """A private tag in the item or in any sequence nested in it other than ContentSequence (whose items
    the caller walks itself). Vendors nest private groups there too (Philips Allura in its references).

    Tags and VRs are read from the raw elements, so no value but a nested sequence's is decoded.
    """
    for tag in item.keys():  # noqa: SIM118 - tags, without converting values
        if tag.is_private:
            return True
        if tag == _CONTENT_SEQUENCE:
            continue
        vr = item.get_item(tag).VR or dictionary_VR(tag)  # implicit VR: the dictionary's
        if vr == "SQ" and any(_holds_private(child) for child in item[tag].value):
            return True
    return False


def _scrub_copies(elements: Iterable[DataElement], replacements: dict[str, str]) -> None:
    """Replace every other copy of an identifier, wherever a producer repeated it.

    Identifiers turn up again in places no list foresees (the accession number in Referenced Request
    Sequence, Philips Veradius), so after the known places are cleaned, any text element whose whole
    value is one of the original identifiers is replaced too.
    """
    for element in elements:
        if element.tag in EQUIPMENT_TAGS:
            continue  # anonymisers write placeholders such as REMOVED into both ID and station name
        if element.VR in TEXT_VRS and isinstance(element.value, (str, PersonName)):
            replacement = replacements.get(str(element.value).strip())
            if replacement is not None:
                element.value = "" if element.VR == "PN" else replacement


def _identifiers(dataset: Dataset, key: str, site_code: str) -> Identifiers:
    patient_id = str(dataset.get("PatientID") or "").strip()
    accession = str(dataset.get("AccessionNumber") or "").strip()
    name = str(dataset.get("PatientName") or "").strip()
    patient, accession_pseudonym = (
        pseudonym(key, site_code, "patient", patient_id),
        pseudonym(key, site_code, "accession", accession),
    )
    # Later pairs win where two identifiers are equal (anonymisers write REMOVED into several).
    pairs = ((name, ""), (accession, accession_pseudonym), (patient_id, patient))
    return Identifiers(patient, accession_pseudonym, {original: new for original, new in pairs if original})


def _outside_content(dataset: Dataset) -> Iterable[DataElement]:
    """Every element except those inside the content tree (which stays raw bytes on the fast path)."""
    for element in dataset:
        if element.tag == CONTENT_SEQUENCE:
            continue
        yield element
        if element.VR == "SQ":
            for item in element.value:
                yield from item.iterall()


def _age_string(years: float) -> str:
    """Age as a DICOM Age String: whole years from one year on, days below (ICRP 135 infant bands)."""
    return f"{int(years):03d}Y" if years >= 1 else f"{min(999, round(years * 365.25)):03d}D"


def _deidentify_header(dataset: Dataset, identifiers: Identifiers, age_years: float | None) -> None:
    if not str(dataset.get("PatientAge") or "").strip() and age_years is not None:
        dataset.PatientAge = _age_string(age_years)  # the birth date goes; the age it gave stays
    for keyword in REMOVED_ATTRIBUTES:
        if keyword in dataset:
            delattr(dataset, keyword)
    dataset.PatientID = identifiers.patient_pseudonym
    dataset.AccessionNumber = identifiers.accession_pseudonym
    for request in dataset.get("RequestAttributesSequence") or []:
        for keyword in ("AccessionNumber", "RequestedProcedureID", "ScheduledProcedureStepID"):
            if keyword in request:
                delattr(request, keyword)
    for tag in [tag for tag in dataset.keys() if tag.is_private]:  # noqa: SIM118 - tags, not elements
        del dataset[tag]
    _scrub_copies(_outside_content(dataset), identifiers.copies)
    dataset.PatientIdentityRemoved = "YES"
    dataset.DeidentificationMethod = _METHOD


def deidentify_dataset(dataset: Dataset, *, key: str, site_code: str, age_years: float | None = None) -> None:
    """Clean a dose SR in place: header and content tree, private attributes removed, pseudonyms set.

    `age_years` (the reader's age, which may come from the birth date) is written as Patient's Age
    where the header has none, so statistics by age survive the removal of the birth date.
    """
    identifiers = _identifiers(dataset, key, site_code)
    _deidentify_header(dataset, identifiers, age_years)
    _clean_content(dataset, key, site_code)
    dataset.remove_private_tags()
    _scrub_copies(dataset.iterall(), identifiers.copies)


def _encoded(dataset: Dataset) -> bytes:
    buffer = io.BytesIO()
    dcmwrite(buffer, dataset, enforce_file_format=True)
    return buffer.getvalue()


def deidentified_copy(
    original: bytes,
    parsed: Dataset | Opened,
    *,
    key: str,
    site_code: str,
    age_years: float | None = None,
) -> bytes:
    """The de-identified Part 10 bytes of a dose SR, given its original bytes and what was parsed to read it.

    Re-encoding a whole content tree costs more than reading it. A file opened through the element stream
    (`Opened`, consumed here: its header is changed in place) is copied as its original bytes with only
    the changed elements written anew (`_spliced_copy`). For a pydicom dataset, when the tree holds nothing
    to clean, the copy is made from a fresh, still-raw read of the original with only the header changed;
    otherwise the parsed dataset is cleaned throughout and re-encoded. Both clean the same elements.
    """
    if isinstance(parsed, Opened):
        return _spliced_copy(parsed, key=key, site_code=site_code, age_years=age_years)
    identifiers = _identifiers(parsed, key, site_code)
    if _content_needs_cleaning(parsed, identifiers.copies):
        deidentify_dataset(parsed, key=key, site_code=site_code, age_years=age_years)
        return _encoded(parsed)
    fresh = pydicom.dcmread(io.BytesIO(original), force=True)
    _deidentify_header(fresh, identifiers, age_years)
    return _encoded(fresh)


def _spliced_copy(opened: Opened, *, key: str, site_code: str, age_years: float | None) -> bytes:
    """`deidentify_dataset`'s cleaning, spliced into the original bytes (`ingest.rdsr.cleaning`)."""
    header = opened.header
    stated_age = str(header.get("PatientAge") or "").strip()
    cleaning = Cleaning(
        identifiers=_identifiers(header, key, site_code),
        pseudonym=lambda kind, value: pseudonym(key, site_code, kind, value),
        removed=_REMOVED_TAGS,
        age=_age_string(age_years) if not stated_age and age_years is not None else None,
        method=_METHOD,
    )
    return cleaned_copy(opened, cleaning)
