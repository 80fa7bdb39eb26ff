"""Which dose template a dataset carries, decided from its SOP class and root concept (rdsr-notes §2).

Labels are unreliable: GE CT sends TID 10011 in an Enhanced SR, some fluoroscopy units omit
ContentTemplateSequence, GE Pristina writes concept codes into nested template identifiers. So the root
concept decides whether this is a dose report at all, and the root template identifier is only trusted
when it names a template the content agrees with.
"""

from __future__ import annotations

from typing import Any

from pydicom.uid import (
    UID,
    BreastProjectionXRayImageStorageForPresentation,
    BreastProjectionXRayImageStorageForProcessing,
    BreastTomosynthesisImageStorage,
    Comprehensive3DSRStorage,
    ComprehensiveSRStorage,
    ComputedRadiographyImageStorage,
    DigitalMammographyXRayImageStorageForPresentation,
    DigitalMammographyXRayImageStorageForProcessing,
    DigitalXRayImageStorageForPresentation,
    DigitalXRayImageStorageForProcessing,
    EnhancedSRStorage,
    EnhancedXRayRadiationDoseSRStorage,
    PatientRadiationDoseSRStorage,
    RadiopharmaceuticalRadiationDoseSRStorage,
    XRayRadiationDoseSRStorage,
)

from ingest.rdsr import codes
from ingest.rdsr.errors import MalformedError, NotADoseReportError
from ingest.rdsr.model import Modality, Template
from ingest.rdsr.tree import Item
from ingest.rdsr.values import Notes

XRAY_DOSE_SR = XRayRadiationDoseSRStorage
RADIOPHARMACEUTICAL_DOSE_SR = RadiopharmaceuticalRadiationDoseSRStorage
PATIENT_DOSE_SR = PatientRadiationDoseSRStorage
ENHANCED_XRAY_DOSE_SR = EnhancedXRayRadiationDoseSRStorage
DOSE_SR_CLASSES: frozenset[str] = frozenset(
    {XRAY_DOSE_SR, RADIOPHARMACEUTICAL_DOSE_SR, PATIENT_DOSE_SR, ENHANCED_XRAY_DOSE_SR}
)
# SR classes whose IOD allows the NUM, CODE and CONTAINER items of TID 10001/10011/10021, so a dose tree may
# come in one: GE CT sends its "Dose Record" as an Enhanced SR, older software a Comprehensive SR. Basic Text
# SR (.88.11) is left out: its IOD permits no NUM item (PS3.3 Table A.35.1-2), so it cannot hold a dose
# report, and no vendor in the corpus or in rdsr-notes §2 sends one.
GENERAL_SR_CLASSES: frozenset[str] = frozenset(
    {EnhancedSRStorage, ComprehensiveSRStorage, Comprehensive3DSRStorage}
)
# Image classes whose header carries the dose of its one exposure (docs/dose-objects.md, "Image headers"), and
# the contract modality each becomes. The store lets a study's dose SR win over its header reports.
IMAGE_SOP_CLASSES: dict[str, Modality] = {
    DigitalXRayImageStorageForPresentation: "DX",
    DigitalXRayImageStorageForProcessing: "DX",
    ComputedRadiographyImageStorage: "DX",
    DigitalMammographyXRayImageStorageForPresentation: "MG",
    DigitalMammographyXRayImageStorageForProcessing: "MG",
    BreastTomosynthesisImageStorage: "MG",
    BreastProjectionXRayImageStorageForPresentation: "MG",
    BreastProjectionXRayImageStorageForProcessing: "MG",
}
# The one list every way in accepts: the C-STORE listener offers exactly these as presentation contexts,
# STOW-RS refuses other parts with 0x0122, and the reader calls anything else "not a dose report".
ACCEPTED_SOP_CLASSES: frozenset[str] = DOSE_SR_CLASSES | GENERAL_SR_CLASSES | frozenset(IMAGE_SOP_CLASSES)
_ROOT_CONCEPTS = frozenset(
    {codes.XRAY_DOSE_REPORT, codes.RADIOPHARMACEUTICAL_DOSE_REPORT, codes.PATIENT_DOSE_REPORT}
)


def _class_name(sop_class_uid: str) -> str:
    name = UID(sop_class_uid).name
    return f"{name} ({sop_class_uid})" if name != sop_class_uid else sop_class_uid


def image_modality(dataset: Any) -> Modality | None:
    """DX or MG when the dataset is an image whose header Kerma reads as a dose report, else None."""
    return IMAGE_SOP_CLASSES.get(str(dataset.get("SOPClassUID") or "").strip())


def check_sop_class(dataset: Any) -> str:
    """The SOP Class UID, or NotADoseReportError when the object cannot hold a dose report."""
    sop_class = str(dataset.get("SOPClassUID") or "").strip()
    if not sop_class:
        raise NotADoseReportError("DICOM object without a SOP Class UID; not a dose report")
    if sop_class not in ACCEPTED_SOP_CLASSES:
        raise NotADoseReportError(
            f"{_class_name(sop_class)} is not a dose report, nor a DX, CR, MG or breast tomosynthesis image"
            " whose header Kerma reads"
        )
    return sop_class


def _root_template_identifier(dataset: Any) -> str | None:
    for item in dataset.get("ContentTemplateSequence") or []:
        identifier = str(item.get("TemplateIdentifier") or "").strip()
        if identifier:
            return identifier
    return None


def _is_enhanced(root: Item, sop_class: str) -> bool:
    """TID 10040 content: per-source accumulated dose (130500) or irradiation event summaries (130501).

    Looked for below the root's own rows only in the enhanced class: a search of the whole tree of every
    classic report (15,000 items for a long fluoroscopy) would cost more than the rest of the routing.
    """
    find = root.deep if sop_class == ENHANCED_XRAY_DOSE_SR else root.first
    return find(codes.ACCUMULATED_DOSE_DATA) is not None or find(codes.IRRADIATION_EVENT_SUMMARY) is not None


def template_of(dataset: Any, root: Item, sop_class: str, notes: Notes) -> Template:
    """The dose template of this report: 10011, 10001, 10021, 10030 or 10040."""
    name = f"{root.meaning or 'no concept'} ({root.concept.value if root.concept else 'none'})"
    if root.concept not in _ROOT_CONCEPTS:
        if sop_class in DOSE_SR_CLASSES:
            raise MalformedError(f"{_class_name(sop_class)} has root concept {name}, not a dose report title")
        raise NotADoseReportError(f"{_class_name(sop_class)} with root concept {name} is not a dose report")
    if not root.children:
        raise MalformedError(f"{_class_name(sop_class)} {name} has no content tree (empty ContentSequence)")
    if root.concept == codes.RADIOPHARMACEUTICAL_DOSE_REPORT:
        return "10021"
    if root.concept == codes.PATIENT_DOSE_REPORT:
        return "10030"
    declared = _root_template_identifier(dataset)
    if declared is None:
        notes.add("ContentTemplateSequence absent; the template is decided from the content")
    if _is_enhanced(root, sop_class):  # Supplement 214 content, whichever SR class carries it
        return "10040"
    if sop_class == ENHANCED_XRAY_DOSE_SR:
        notes.add("Enhanced X-Ray Radiation Dose SR holding a TID 10001/10011 tree; read as that template")
    procedure = root.first(codes.PROCEDURE_REPORTED)
    is_ct = (procedure is not None and procedure.code == codes.CT_PROCEDURE) or (
        root.deep(codes.CT_ACCUMULATED) is not None or root.first(codes.CT_ACQUISITION) is not None
    )
    if declared in ("10011", "10001") and (declared == "10011") != is_ct:
        notes.add(f"ContentTemplateSequence says TID {declared} but the content is the other template")
    return "10011" if is_ct else "10001"
