"""TID 10033 Radiation Dose Estimate Methodology: the model, the parameters and the dose reports used.

Rows are found by concept code anywhere under the estimate, never by position: Supplement 191 producers are
few and new, and TID 10031/10032 (which place the methodology and the parameters) could not be checked row
by row (docs/dose-objects.md, "Patient Radiation Dose SR"). The referenced reports come from COMPOSITE items,
whose Referenced SOP Sequence the generic tree walk does not keep, so `composite_references` reads it from
the same content once more.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any, NamedTuple

from pydicom.sr.codedict import codes as dicom
from pydicom.sr.coding import Code

from ingest.rdsr import codes
from ingest.rdsr.codes import Concept, concept
from ingest.rdsr.estimates import Methodology, Parameter, SrInstanceUsed
from ingest.rdsr.stream import Node
from ingest.rdsr.tree import Item
from ingest.rdsr.values import Notes, label


def key(code: Code) -> Concept:
    """The matching key of a pydicom code (SNOMED spellings folded, as every concept the reader matches)."""
    return concept(code.value, code.scheme_designator)


D = dicom.DCM
METHODOLOGY = key(D.RadiationDoseEstimateMethodology)  # 128415, TID 10033 row 1
SR_INSTANCE_USED = key(D.SRInstanceUsed)  # 128416, row 2
EVENT_UID_USED = key(D.EventUIDUsed)  # 128429, row 4
DOSE_MODEL = key(D.PatientRadiationDoseModel)  # 128500, row 5
PATIENT_MODEL_TYPE = key(D.PatientModelType)  # 128417, row 6, CID 10064
TRANSPORT_MODEL_TYPE = key(D.RadiationTransportModelType)  # 128420, row 7, CID 10065
MODEL_DATA = key(D.PatientRadiationDoseModelData)  # 128425, rows 8-10
MODEL_REFERENCE = key(D.PatientRadiationDoseModelReference)  # 128426, row 11
MODEL_DEMOGRAPHICS = key(D.PatientModelDemographics)  # 128427, rows 13-19
# Not confirmed against the published table (its rows after 19 were not found): where these sit.
ESTIMATE_PARAMETERS = key(D.RadiationDoseEstimateParameters)  # 128434, CID 10069 values
METHOD_TYPE = key(D.RadiationDoseEstimateMethodType)  # 128477, CID 10068
METHOD_REFERENCE = key(D.RadiationDoseEstimateMethodReference)  # 128482

_CONTENT_SEQUENCE = 0x0040A730
_REFERENCED_SOP_SEQUENCE = 0x00081199
_REFERENCED_SOP_CLASS = 0x00081150
_REFERENCED_SOP_INSTANCE = 0x00081155


class Reference(NamedTuple):
    """The object a COMPOSITE or IMAGE content item points to (PS3.3 C.17.3, SOP Instance Reference)."""

    sop_class_uid: str | None
    sop_instance_uid: str | None


References = dict[int, Reference]  # id() of an `Item` -> what it references


def _element(source: Any, tag: int) -> Any:
    """An element's value in a pydicom Dataset or a stream `Node` (the two roots the reader walks)."""
    if type(source) is Node:
        return source.value(tag)
    element = source.get(tag)
    return None if element is None else element.value


def _uid(source: Any, tag: int) -> str | None:
    value = _element(source, tag)
    if value is None:
        return None
    return str(value).strip() or None


def _raw_items(source: Any) -> Iterator[Any]:
    """Every content item below `source`, depth first in document order: the order of `Item.descendants`."""
    for child in _element(source, _CONTENT_SEQUENCE) or ():
        yield child
        yield from _raw_items(child)


def composite_references(content_root: Any, root: Item, notes: Notes) -> References:
    """What each referencing item of the tree points to, paired with the walked items by document order."""
    raw = list(_raw_items(content_root))
    items = list(root.descendants())
    if len(raw) != len(items):  # cannot happen: both walk the same ContentSequence
        notes.add("content tree changed while read; referenced SOP instances not read")
        return {}
    found: References = {}
    for item, source in zip(items, raw, strict=True):
        referenced = _element(source, _REFERENCED_SOP_SEQUENCE)
        if referenced:
            first = referenced[0]
            found[id(item)] = Reference(
                _uid(first, _REFERENCED_SOP_CLASS), _uid(first, _REFERENCED_SOP_INSTANCE)
            )
    return found


def below(parent: Item, wanted: Concept) -> list[Item]:
    """Items with this concept among the children, else anywhere below: producers nest one level off."""
    direct = parent.all(wanted)
    return direct if direct else [item for item in parent.descendants() if item.concept == wanted]


def code_text(item: Item | None) -> str | None:
    """A CODE's meaning as sent (its code value when the meaning is empty), or a TEXT's value."""
    if item is None:
        return None
    if item.value_type == "CODE":
        return item.code_meaning or (item.code.value if item.code else None)
    return item.text


def referenced_uid(item: Item | None, references: References) -> str | None:
    """The SOP Instance UID a COMPOSITE or IMAGE item references, or a UIDREF's UID."""
    if item is None:
        return None
    reference = references.get(id(item))
    return reference.sop_instance_uid if reference is not None else item.text


def _parameter(item: Item) -> Parameter:
    value: float | str | None = item.numbers[0] if item.numbers else code_text(item)
    code = f"{item.concept.scheme}:{item.concept.value}" if item.concept else None
    return Parameter(code=code, name=item.meaning or None, value=value, unit=item.unit)


def parameters(containers: list[Item]) -> tuple[Parameter, ...]:
    """Every NUM, CODE and TEXT below these containers, as named values in document order."""
    return tuple(
        _parameter(item)
        for container in containers
        for item in container.descendants()
        if item.value_type in ("NUM", "CODE", "TEXT")
    )


def methodology_of(estimate: Item, references: References, notes: Notes) -> Methodology:
    """TID 10033 for one Radiation Dose Estimate (128402); every row is looked for anywhere below it."""
    found = estimate.deep(METHODOLOGY)
    if found is None:
        notes.add(
            "Radiation Dose Estimate Methodology (128415) is absent: how the estimate was made is unknown"
        )
    scope = found or estimate
    model = scope.deep(DOSE_MODEL) or scope
    return Methodology(
        patient_model=code_text(model.deep(PATIENT_MODEL_TYPE)),
        transport_model=code_text(model.deep(TRANSPORT_MODEL_TYPE)),
        model_reference=code_text(model.deep(MODEL_REFERENCE)),
        model_data_uid=referenced_uid(model.deep(MODEL_DATA), references),
        model_demographics=parameters(below(model, MODEL_DEMOGRAPHICS)),
        method=code_text(estimate.deep(METHOD_TYPE)),
        method_reference=code_text(estimate.deep(METHOD_REFERENCE)),
        parameters=parameters(below(estimate, ESTIMATE_PARAMETERS)),
        comment=code_text(model.first(codes.COMMENT)),
    )


def _event_uids(parent: Item) -> tuple[str, ...]:
    return tuple(item.text for item in parent.all(EVENT_UID_USED) if item.text)


def sr_instances_used(estimate: Item, references: References, notes: Notes) -> tuple[SrInstanceUsed, ...]:
    """The dose reports (128416) the estimate was made from, each with the events it used (128429).

    Event UIDs found beside rather than below a single SR Instance Used are given to it (one level off);
    beside several, no one can tell whose they are.
    """
    items = below(estimate, SR_INSTANCE_USED)
    if not items:
        notes.add("no SR Instance Used (128416): the dose reports the estimate was made from are not named")
    used: list[SrInstanceUsed] = []
    for item in items:
        reference = references.get(id(item))
        if reference is None or reference.sop_instance_uid is None:
            notes.add(f"{label(item)} references no SOP instance")
        used.append(
            SrInstanceUsed(
                sop_instance_uid=reference.sop_instance_uid if reference else None,
                sop_class_uid=reference.sop_class_uid if reference else None,
                event_uids=_event_uids(item),
            )
        )
    methodology = estimate.deep(METHODOLOGY)
    loose = _event_uids(methodology) if methodology is not None else ()
    if loose and len(used) == 1 and not used[0].event_uids:
        notes.add("Event UID Used (128429) beside its SR Instance Used, not below it; read as its events")
        used[0] = replace(used[0], event_uids=loose)
    elif loose:
        notes.add("Event UID Used (128429) beside several SR Instances Used; not read")
    return tuple(used)
