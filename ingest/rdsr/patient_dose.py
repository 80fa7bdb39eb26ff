"""TID 10030 Patient Radiation Dose: the estimates another program made, read into the contract.

A Patient Radiation Dose SR (Supplement 191, SOP class .88.73) irradiates nothing: it states organ, effective
and skin doses computed from dose reports it names. So its report has no events and no totals (the events and
totals are those of the reports it used, stored from them), and its modality is the modality of the reports
it used where the file says it, else inferred and said so in a warning (docs/dose-objects.md).

TID 10030 and TID 10033 were checked row by row against PS3.16; TID 10031 (the estimate) and TID 10032 (its
representations) were not found, so every row is looked for by concept code anywhere under its container.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from typing import Any

from pydicom.sr.codedict import codes as dicom
from pydicom.uid import RadiopharmaceuticalRadiationDoseSRStorage

from ingest.rdsr import codes
from ingest.rdsr.codes import Concept
from ingest.rdsr.errors import UnsupportedError
from ingest.rdsr.estimates import DoseEstimate, EstimateKind, Methodology, SrInstanceUsed
from ingest.rdsr.header import device_of, header_text, patient_of, study_of
from ingest.rdsr.methodology import (
    References,
    below,
    code_text,
    composite_references,
    key,
    methodology_of,
    referenced_uid,
    sr_instances_used,
)
from ingest.rdsr.model import DoseReport, Modality, Totals
from ingest.rdsr.tree import Item
from ingest.rdsr.units import Quantity, conversion, convert
from ingest.rdsr.values import Notes, label

D = dicom.DCM
RADIATION_DOSE_ESTIMATE = key(D.RadiationDoseEstimate)  # 128402, TID 10030 row 4 (TID 10031)
ESTIMATE_NAME = key(D.RadiationDoseEstimateName)  # 128403
REPRESENTATION = key(D.RadiationDoseEstimateRepresentation)  # 128412
DISTRIBUTION = key(D.DistributionRepresentation)  # 128413, CID 10063
REPRESENTATION_DATA = key(D.RadiationDoseRepresentationData)  # 128414
SKIN_DOSE_MAP = key(D.SkinDoseMap)  # 128485
FINDING_SITE = key(dicom.SCT.FindingSite)  # 363698007
ORGANS = frozenset(key(code) for code in dicom.cid10060.concepts.values())  # CID 10060
EFFECTIVE = frozenset({codes.EFFECTIVE_DOSE})  # 113839, the CT templates' effective dose
# CID 10062 and Equivalent Dose (CID 10070); CID 10061, Absorbed Dose and TID 10023's Organ Dose (113518).
EQUIVALENT = frozenset(key(code) for code in dicom.cid10062.concepts.values()) | {key(D.EquivalentDose)}
ABSORBED = frozenset(key(code) for code in dicom.cid10061.concepts.values()) | {
    key(D.AbsorbedDose),
    key(D.OrganDose),
}
_STANDARD_UNIT: dict[EstimateKind, str] = {"absorbed": "Gy", "equivalent": "Sv", "effective": "Sv"}


def _kind(item: Item) -> EstimateKind | None:
    if item.concept in EFFECTIVE:
        return "effective"
    if item.concept in EQUIVALENT:
        return "equivalent"
    return "absorbed" if item.concept in ABSORBED else None


def _factor(unit: str, kind: EstimateKind) -> Fraction | None:
    """Unit to Gy (absorbed) or to Sv (equivalent, effective); None for a unit of the other family."""
    if kind == "absorbed":
        return conversion(unit, Quantity.DOSE_GY)
    per_msv = conversion(unit, Quantity.EFFECTIVE_DOSE_MSV)
    return None if per_msv is None else per_msv / 1000


def _dose(item: Item, kind: EstimateKind, notes: Notes) -> tuple[float | None, float | None]:
    """The value as stated and in Gy or Sv (CID 10071 allows only these two units)."""
    if item.invalid_number is not None:
        notes.add(f"{label(item)} has {item.invalid_number} that is not a number; stored as null")
        return None, None
    if not item.numbers:
        notes.add(f"{label(item)} has no value (empty MeasuredValueSequence); stored as null")
        return None, None
    if len(item.numbers) > 1:
        notes.add(f"{label(item)} has several values in one NumericValue; the first is read")
    stated, standard = item.numbers[0], _STANDARD_UNIT[kind]
    unit = item.unit or standard
    if item.unit is None:
        notes.add(f"{label(item)} has no unit; read as {standard}")
    factor = _factor(unit, kind)
    if factor is None:
        notes.add(f"{label(item)} has unit {unit!r}, not a unit of {standard}; stored as null")
        return stated, None
    if unit != standard:
        notes.add(f"{label(item)} converted from {unit} to {standard}")
    return stated, convert(stated, factor)


def _target(container: Item) -> tuple[Item | None, Item | None]:
    """The organ or region (Finding Site, Target Region, else any CID 10060 code) and its laterality."""
    target = container.deep(FINDING_SITE) or container.deep(codes.TARGET_REGION)
    if target is None:
        target = next((item for item in container.descendants() if item.code in ORGANS), None)
    laterality = (target.first(codes.LATERALITY) if target else None) or container.deep(codes.LATERALITY)
    return target, laterality


def _dose_items(container: Item, notes: Notes) -> list[tuple[Item, EstimateKind]]:
    """The dose NUMs of a representation and their kind; other NUMs beside them are named, not read."""
    for item in container.children:
        if item.value_type == "NUM" and _kind(item) is None:
            notes.add(f"{label(item)} in a dose estimate is not a dose concept of CID 10061/10062; not read")
    found = ((item, _kind(item)) for item in container.descendants() if item.value_type == "NUM")
    return [(item, kind) for item, kind in found if kind is not None]


def _code_key(concept: Concept | None) -> str | None:
    return f"{concept.scheme}:{concept.value}" if concept else None


class _Shared:
    """What every value of one Radiation Dose Estimate (128402) shares: its name, methodology, sources."""

    def __init__(self, estimate: Item, references: References, notes: Notes) -> None:
        self.name = code_text(estimate.deep(ESTIMATE_NAME))
        self.methodology: Methodology = methodology_of(estimate, references, notes)
        self.sources: tuple[SrInstanceUsed, ...] = sr_instances_used(estimate, references, notes)


def _representation(
    container: Item, shared: _Shared, references: References, notes: Notes
) -> Iterator[DoseEstimate]:
    """One Radiation Dose Estimate Representation (128412): a value per dose NUM, or the map alone."""
    target, laterality = _target(container)
    distribution = container.deep(DISTRIBUTION)
    common: dict[str, Any] = {
        "name": shared.name,
        "representation": code_text(distribution),
        "representation_data_uid": referenced_uid(container.deep(REPRESENTATION_DATA), references),
        "target_code": _code_key(target.code) if target else None,
        "target": code_text(target),
        "laterality": code_text(laterality),
        "methodology": shared.methodology,
        "sr_instances_used": shared.sources,
    }
    items = _dose_items(container, notes)
    if not items and (common["representation"] or common["representation_data_uid"]):
        yield DoseEstimate(**common)  # a dose map without a value stated beside it
    for item, kind in items:
        stated, canonical = _dose(item, kind, notes)
        yield DoseEstimate(
            quantity_code=_code_key(item.concept),
            quantity=item.meaning or None,
            kind=kind,
            dose_gy=canonical if kind == "absorbed" else None,
            dose_sv=None if kind == "absorbed" else canonical,
            stated_value=stated,
            stated_unit=item.unit,
            **common,
        )


def dose_estimates(root: Item, references: References, notes: Notes) -> tuple[DoseEstimate, ...]:
    """Every value of every Radiation Dose Estimate (128402) in document order."""
    containers = below(root, RADIATION_DOSE_ESTIMATE)
    if len(containers) > 1:
        notes.add("several Radiation Dose Estimate (128402) containers, where TID 10030 has one; all read")
    found: list[DoseEstimate] = []
    for estimate in containers:
        shared = _Shared(estimate, references, notes)
        for container in below(estimate, REPRESENTATION) or [estimate]:
            found.extend(_representation(container, shared, references, notes))
    return tuple(found)


def _modality(root: Item, estimates: tuple[DoseEstimate, ...], notes: Notes) -> Modality:
    """The modality of the reports used where the file says it; else inferred, with a warning."""
    classes = {used.sop_class_uid for estimate in estimates for used in estimate.sr_instances_used}
    if classes == {RadiopharmaceuticalRadiationDoseSRStorage}:
        return "NM"
    procedure = root.deep(codes.PROCEDURE_REPORTED)  # not a TID 10030 row; some producers extend with it
    if procedure is not None and procedure.code == codes.CT_PROCEDURE:
        return "CT"
    if procedure is not None and procedure.code == codes.MAMMOGRAPHY_PROCEDURE:
        return "MG"
    if any(item.code == SKIN_DOSE_MAP for item in root.descendants() if item.concept == DISTRIBUTION):
        notes.add("TID 10030 states no modality; RF inferred from its Skin Dose Map (128485)")
        return "RF"
    notes.add("TID 10030 states no modality; CT assumed (no skin dose map, no radiopharmaceutical report)")
    return "CT"


def read_patient_dose(
    dataset: Any, content_root: Any, root: Item, sop_class: str, notes: Notes
) -> DoseReport:
    """The report of a TID 10030 document: header identity, no events, no totals, and its estimates.

    A document with no estimate the reader can find is refused as unsupported, not stored empty: the layout
    of TID 10031/10032 is not confirmed, so the sender learns that this reader cannot read it yet, rather
    than the file passing as read with nothing in it.
    """
    estimates = dose_estimates(root, composite_references(content_root, root, notes), notes)
    if not estimates:
        raise UnsupportedError(
            "Patient Radiation Dose Report (TID 10030) holds no dose estimate the reader can read: no"
            " Radiation Dose Estimate (128402) with a dose value or a dose map"
        )
    study = study_of(dataset, root, None, None, notes)
    return DoseReport(
        sop_class_uid=sop_class,
        sop_instance_uid=header_text(dataset, "SOPInstanceUID") or "",
        study_instance_uid=header_text(dataset, "StudyInstanceUID"),
        template="10030",
        modality=_modality(root, estimates, notes),
        device=device_of(dataset, root, notes),
        study=study,
        patient=patient_of(dataset, root, study.date, notes),
        totals=Totals(),
        planes=(),
        events=(),
        estimates=estimates,
        warnings=notes.as_tuple(),
    )
