"""DX, CR, MG and breast tomosynthesis images read as a dose report: one irradiation event from the header.

Units come from PS3.3's attribute definitions (C.8.7.2, C.8.11.7, C.8.11.5 and the X-Ray Acquisition Dose
module C.8.7.8), never from the file, and are converted to the contract's canonical units. Where two
attributes hold one quantity (µAs and mAs, µs and ms) the finer one wins: (0018,1152) and (0018,1150) are
integers and round a 1.04 mAs, 6.4 ms exposure to 1 and 6. docs/dose-objects.md lists every attribute.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from pydicom.datadict import dictionary_description, tag_for_keyword
from pydicom.dataset import Dataset
from pydicom.sr.codedict import codes as dicom_codes
from pydicom.tag import Tag
from pydicom.uid import (
    UID,
    BreastProjectionXRayImageStorageForPresentation,
    BreastProjectionXRayImageStorageForProcessing,
    BreastTomosynthesisImageStorage,
)

from ingest.rdsr.errors import NotADoseReportError
from ingest.rdsr.header import device_of, header_text, patient_of, study_of
from ingest.rdsr.materials import material_name
from ingest.rdsr.model import DoseReport, Event, Filter, Modality, Plane, Totals
from ingest.rdsr.tree import Item
from ingest.rdsr.units import Quantity, conversion, convert
from ingest.rdsr.values import Notes, iso_datetime

# Source of Dose Information (CID 10021): TID 10001 states it as 113866 "Copied From Image Attributes" (DCM)
# when a report is built from image headers, which is what this module does.
COPIED_FROM_IMAGE_ATTRIBUTES = dicom_codes.DCM.CopiedFromImageAttributes
_TOMOSYNTHESIS = frozenset(
    {
        BreastTomosynthesisImageStorage,
        BreastProjectionXRayImageStorageForPresentation,
        BreastProjectionXRayImageStorageForProcessing,
    }
)
# Defined terms of Anode Target Material (0018,1191) and Filter Material (0018,7050), as SNOMED meanings.
_LATERALITIES: dict[str, Literal["L", "R", "B"]] = {"L": "L", "R": "R", "B": "B"}


@dataclass(frozen=True, slots=True)
class _Value:
    """One header attribute holding a quantity, in the unit PS3.3 defines for it."""

    keyword: str
    unit: str


# Where two attributes hold one quantity, the finer comes first (module docstring).
_DAP = _Value("ImageAndFluoroscopyAreaDoseProduct", "dGy.cm2")
_ENTRANCE_DOSE = (_Value("EntranceDoseInmGy", "mGy"), _Value("EntranceDose", "dGy"))
_KVP = _Value("KVP", "kV")
_EXPOSURE = (_Value("ExposureInuAs", "uAs"), _Value("Exposure", "mAs"))
_EXPOSURE_TIME = (_Value("ExposureTimeInuS", "us"), _Value("ExposureTime", "ms"))
_TUBE_CURRENT = (_Value("XRayTubeCurrentInuA", "uA"), _Value("XRayTubeCurrent", "mA"))
_ORGAN_DOSE = _Value("OrganDose", "dGy")
# Irradiation Event Type (CID 10002), as TID 10003 states it for the same exposures.
_STATIONARY = dicom_codes.DCM.StationaryAcquisition
_ROTATIONAL = dicom_codes.DCM.RotationalAcquisition


def _name(keyword: str) -> str:
    tag = Tag(tag_for_keyword(keyword) or 0)
    return f"{dictionary_description(tag)} ({tag.group:04X},{tag.element:04X})"


def _number(dataset: Any, keyword: str, notes: Notes) -> float | None:
    """The attribute as a float (the first value of a multi-valued one); None when absent or empty."""
    value = dataset.get(keyword)
    if value is None or value == "":
        return None
    if isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue":
        value = value[0] if len(value) else None
    try:
        return float(value) if value is not None and str(value).strip() else None
    except (TypeError, ValueError):
        notes.add(f"{_name(keyword)} holds a value that is not a number; stored as null")
        return None


def _numbers(dataset: Any, keyword: str) -> list[float | None]:
    value = dataset.get(keyword)
    several = isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue"
    members = list(value) if several else [value]
    result: list[float | None] = []
    for member in members:
        try:
            result.append(float(member))
        except (TypeError, ValueError):
            result.append(None)
    return result


def _quantity(dataset: Any, quantity: Quantity, notes: Notes, *choices: _Value) -> float | None:
    """The first attribute of `choices` that holds a number, converted from its unit to `quantity`'s."""
    for choice in choices:
        value = _number(dataset, choice.keyword, notes)
        if value is None:
            continue
        factor = conversion(choice.unit, quantity)
        if factor is None:  # a unit missing from units.py: a programming error, caught by the tests
            raise ValueError(f"no conversion from {choice.unit} to {quantity.value}")
        if choice.unit != quantity.value:
            notes.add(f"{_name(choice.keyword)} converted from {choice.unit} to {quantity.value}")
        return convert(value, factor)
    return None


def _filters(dataset: Any) -> tuple[Filter, ...]:
    materials = [material_name(term) for term in (header_text(dataset, "FilterMaterial") or "").split("\\")]
    thinnest = _numbers(dataset, "FilterThicknessMinimum")
    thickest = _numbers(dataset, "FilterThicknessMaximum")
    return tuple(
        Filter(
            material=material,
            thickness_min_mm=thinnest[index] if index < len(thinnest) else None,
            thickness_max_mm=thickest[index] if index < len(thickest) else None,
        )
        for index, material in enumerate(materials)
        if material is not None
    )


def _code_meaning(dataset: Any, keyword: str) -> str | None:
    for item in dataset.get(keyword) or []:
        return header_text(item, "CodeMeaning") or header_text(item, "CodeValue")
    return None


def _laterality(dataset: Any) -> Literal["L", "R", "B"] | None:
    # Image Laterality (0020,0062) is the image's; Laterality (0020,0060) the series', sent by older units.
    for keyword in ("ImageLaterality", "Laterality"):
        found = _LATERALITIES.get((header_text(dataset, keyword) or "").upper())
        if found is not None:
            return found
    return None


def _datetime(dataset: Any) -> str | None:
    stated = iso_datetime(header_text(dataset, "AcquisitionDateTime"))
    if stated is not None:
        return stated
    for prefix in ("Acquisition", "Content"):
        day = header_text(dataset, f"{prefix}Date")
        if day:
            return iso_datetime(day + (header_text(dataset, f"{prefix}Time") or ""))
    return None


def _first_text(dataset: Any, *keywords: str) -> str | None:
    return next((found for keyword in keywords if (found := header_text(dataset, keyword))), None)


def _exposure(dataset: Any, modality: Modality, notes: Notes) -> dict[str, Any]:
    """The technique and dose values every projection image may carry."""
    mammography = modality == "MG"
    return {
        "dap_gym2": _quantity(dataset, Quantity.DAP, notes, _DAP),
        "entrance_exposure_mgy": _quantity(dataset, Quantity.DOSE_MGY, notes, *_ENTRANCE_DOSE),
        "kvp": _quantity(dataset, Quantity.VOLTAGE_KV, notes, _KVP),
        "exposure_mas": _quantity(dataset, Quantity.EXPOSURE_MAS, notes, *_EXPOSURE),
        "exposure_time_s": _quantity(dataset, Quantity.TIME_S, notes, *_EXPOSURE_TIME),
        "tube_current_ma": _quantity(dataset, Quantity.CURRENT_MA, notes, *_TUBE_CURRENT),
        "source_image_distance_mm": _number(dataset, "DistanceSourceToDetector", notes),
        "exposure_index": _number(dataset, "ExposureIndex", notes),
        "target_exposure_index": _number(dataset, "TargetExposureIndex", notes),
        "deviation_index": _number(dataset, "DeviationIndex", notes),
        "agd_mgy": _quantity(dataset, Quantity.DOSE_MGY, notes, _ORGAN_DOSE) if mammography else None,
    }


# The header attributes that tell one exposure from another, and that a unit writes alike into the For
# Processing and the For Presentation image of one exposure (docs/dose-objects.md, "One exposure, two
# images").
_EXPOSURE_IDENTITY = (
    "StudyInstanceUID",
    "Manufacturer",
    "DeviceSerialNumber",
    "StationName",
    "ImageLaterality",
    "ViewPosition",
    "KVP",
    "ExposureInuAs",
    "Exposure",
    "ImageAndFluoroscopyAreaDoseProduct",
    "OrganDose",
)
_EXPOSURE_NAMESPACE = uuid.UUID("5a0e2c3c-5f0c-4f7e-9b1d-6b6572de0e01")  # Kerma's, for these UIDs only


def _exposure_uid(dataset: Any) -> str | None:
    """A UID for the image's exposure, the same for its For Processing and For Presentation images.

    Built (UUID-derived, PS3.5 B.2) from the acquisition moment and the identity attributes above; None when
    the header states no acquisition time, since two exposures of a study may then not be told apart.
    """
    moment = header_text(dataset, "AcquisitionDateTime")
    if not moment and header_text(dataset, "AcquisitionTime"):
        moment = f"{header_text(dataset, 'AcquisitionDate') or ''}{header_text(dataset, 'AcquisitionTime')}"
    if not moment:
        return None
    identity = [moment, *(header_text(dataset, keyword) or "" for keyword in _EXPOSURE_IDENTITY)]
    return f"2.25.{uuid.uuid5(_EXPOSURE_NAMESPACE, chr(31).join(identity)).int}"


def image_event(dataset: Any, modality: Modality, notes: Notes) -> Event:
    """The image's one exposure. Its UID is the Irradiation Event UID (0008,3010) when the header has one,
    the UID an RDSR of the same exposure names; else one derived from the exposure (`_exposure_uid`), so the
    For Processing and For Presentation images of one exposure are one event; else the SOP Instance UID."""
    values = _exposure(dataset, modality, notes)
    if all(value is None for value in values.values()):
        raise NotADoseReportError(f"{_class_name(dataset)} holds no dose or exposure attribute in its header")
    tomosynthesis = str(dataset.get("SOPClassUID")) in _TOMOSYNTHESIS
    acquisition = _ROTATIONAL if tomosynthesis else _STATIONARY
    return Event(
        uid=header_text(dataset, "IrradiationEventUID")
        or _exposure_uid(dataset)
        or header_text(dataset, "SOPInstanceUID"),
        datetime=_datetime(dataset),
        kind="projection",
        acquisition_type=acquisition.meaning,
        protocol=_first_text(dataset, "ProtocolName", "AcquisitionDeviceProcessingDescription"),
        target_region=_code_meaning(dataset, "AnatomicRegionSequence")
        or header_text(dataset, "BodyPartExamined"),
        plane="single",
        filters=_filters(dataset),
        laterality=_laterality(dataset),
        view=_code_meaning(dataset, "ViewCodeSequence") or header_text(dataset, "ViewPosition"),
        compression_thickness_mm=_number(dataset, "BodyPartThickness", notes) if modality == "MG" else None,
        compression_force_n=_number(dataset, "CompressionForce", notes) if modality == "MG" else None,
        anode=material_name(header_text(dataset, "AnodeTargetMaterial")),
        filter_type=header_text(dataset, "FilterType"),
        grid=header_text(dataset, "Grid"),
        kvp_values=(values["kvp"],) if values["kvp"] is not None else (),
        tube_current_ma_values=(values["tube_current_ma"],) if values["tube_current_ma"] is not None else (),
        **values,
    )


def _class_name(dataset: Any) -> str:
    uid = str(dataset.get("SOPClassUID") or "").strip()
    return f"{UID(uid).name} ({uid})"


def _totals(event: Event) -> tuple[Totals, tuple[Plane, ...]]:
    """What the image states is its one exposure, so its totals are that exposure's values: the store sums
    the contributing reports' totals into the study's (registry/store.py)."""
    agd_left = event.agd_mgy if event.laterality == "L" else None
    agd_right = event.agd_mgy if event.laterality == "R" else None
    totals = Totals(
        dap_total_gym2=event.dap_gym2,
        acquisition_dap_total_gym2=event.dap_gym2,
        acquisition_time_total_s=event.exposure_time_s,
        agd_total_left_mgy=agd_left,
        agd_total_right_mgy=agd_right,
    )
    plane = Plane(
        plane="single",
        dap_total_gym2=event.dap_gym2,
        acquisition_dap_total_gym2=event.dap_gym2,
        acquisition_time_total_s=event.exposure_time_s,
    )
    return totals, (plane,)


def read_image_header(dataset: Dataset, modality: Modality, notes: Notes) -> DoseReport:
    """The dose report of one DX, CR, MG or breast tomosynthesis image, from its header alone."""
    no_content = Item(concept=None, meaning="", value_type="CONTAINER")
    event = image_event(dataset, modality, notes)
    totals, planes = _totals(event)
    study = study_of(dataset, no_content, None, event.datetime, notes)
    return DoseReport(
        sop_class_uid=str(dataset.get("SOPClassUID")).strip(),
        sop_instance_uid=header_text(dataset, "SOPInstanceUID") or "",
        study_instance_uid=header_text(dataset, "StudyInstanceUID"),
        template="10001",
        modality=modality,
        device=device_of(dataset, no_content, notes),
        study=study,
        patient=patient_of(dataset, no_content, study.date, notes),
        totals=totals,
        planes=planes,
        events=(event,),
        source_of_dose_information=(COPIED_FROM_IMAGE_ATTRIBUTES.meaning,),
        warnings=notes.as_tuple(),
    )
