"""Device, study and patient from the header and the root observer context.

Equipment identity comes from the Device Observer (TID 1004) first, because some consoles leave the header
model empty (Philips Allura), with the header as fallback; demographics come from the Patient module, with
the radiopharmaceutical report's Patient Characteristics as fallback (rdsr-notes §8, §10).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from ingest.rdsr import codes
from ingest.rdsr.model import Device, Patient, Study
from ingest.rdsr.tree import Item
from ingest.rdsr.units import Quantity
from ingest.rdsr.values import Notes, coded, iso_datetime, number, text


def header_text(dataset: Any, keyword: str) -> str | None:
    """A header attribute as stripped text (several values joined by a backslash); None when empty."""
    value = dataset.get(keyword)
    if value is None:
        return None
    if isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue":
        value = "\\".join(str(member).strip() for member in value)
    return str(value).strip() or None


def device_of(dataset: Any, root: Item, notes: Notes) -> Device:
    """The irradiating device: Device Observer items first, header attributes as fallback."""
    uid_item = root.first(codes.DEVICE_OBSERVER_UID)
    if uid_item is not None and uid_item.value_type != "UIDREF":
        notes.add(f"Device Observer UID (121012) sent as {uid_item.value_type}, not UIDREF")
    uid = uid_item.text if uid_item is not None else None
    return Device(
        manufacturer=text(root, codes.DEVICE_OBSERVER_MANUFACTURER) or header_text(dataset, "Manufacturer"),
        model_name=text(root, codes.DEVICE_OBSERVER_MODEL) or header_text(dataset, "ManufacturerModelName"),
        serial_number=text(root, codes.DEVICE_OBSERVER_SERIAL) or header_text(dataset, "DeviceSerialNumber"),
        station_name=header_text(dataset, "StationName") or text(root, codes.DEVICE_OBSERVER_NAME),
        device_observer_uid=uid,
        institution_name=header_text(dataset, "InstitutionName"),
        software_versions=header_text(dataset, "SoftwareVersions"),
    )


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    digits = value.replace("-", "").replace(".", "")
    if not re.fullmatch(r"\d{8}", digits):
        return None
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"


def _iso_time(value: str | None) -> str | None:
    if not value:
        return None
    match = re.fullmatch(r"(\d{2}):?(\d{2})?:?(\d{2})?(\.\d{1,6})?", value.strip())
    if match is None:
        return None
    hour, minute, second, fraction = match.groups()
    return f"{hour}:{minute or '00'}:{second or '00'}{fraction or ''}"


def _requested_procedure(dataset: Any) -> str | None:
    direct = header_text(dataset, "RequestedProcedureDescription")
    if direct:
        return direct
    for request in dataset.get("RequestAttributesSequence") or []:
        found = header_text(request, "RequestedProcedureDescription")
        if found:
            return found
    return None


def study_of(
    dataset: Any, root: Item, procedure_reported: str | None, first_event_time: str | None, notes: Notes
) -> Study:
    """The study: header date and time, else the start of irradiation, else the first event."""
    study_date = _iso_date(header_text(dataset, "StudyDate"))
    study_time = _iso_time(header_text(dataset, "StudyTime"))
    if study_date is None:
        fallback = iso_datetime(text(root, codes.START_OF_IRRADIATION)) or first_event_time
        if fallback is not None:
            notes.add("StudyDate is empty; the study date and time are taken from the irradiation start")
            study_date, _, rest = fallback.partition("T")
            study_time = re.split(r"[+-]", rest)[0] or None
    return Study(
        date=study_date,
        time=study_time,
        accession_number=header_text(dataset, "AccessionNumber"),
        description=header_text(dataset, "StudyDescription"),
        procedure_reported=procedure_reported,
        requested_procedure=_requested_procedure(dataset),
    )


_AGE = re.compile(r"^\s*(\d{1,3})\s*([DWMY])\s*$", re.IGNORECASE)
_AGE_UNIT_YEARS = {"Y": 1.0, "M": 1 / 12, "W": 7 / 365.25, "D": 1 / 365.25}


def _age_from_string(value: str | None) -> float | None:
    match = _AGE.match(value or "")
    if match is None:
        return None
    amount, unit = int(match.group(1)), match.group(2).upper()
    return float(amount) if unit == "Y" else round(amount * _AGE_UNIT_YEARS[unit], 3)


def _age_from_birth_date(birth: str | None, study_date: str | None) -> float | None:
    born, on = _iso_date(birth), study_date
    if born is None or on is None:
        return None
    try:
        birth_day, study_day = date.fromisoformat(born), date.fromisoformat(on)
    except ValueError:
        return None
    if birth_day > study_day:
        return None  # placeholders such as 99990101 (rdsr-notes §10)
    years = (
        study_day.year
        - birth_day.year
        - ((study_day.month, study_day.day) < (birth_day.month, birth_day.day))
    )
    if years >= 1:
        return float(years)
    return round((study_day - birth_day).days / 365.25, 3)  # infants: ICRP 135 bands start below 1 year


def _positive(value: Any) -> float | None:
    try:
        number_value = float(value)
    except (TypeError, ValueError):
        return None
    return number_value if number_value > 0 else None


_SEXES: dict[str, Literal["M", "F", "O"]] = {"M": "M", "F": "F", "O": "O"}


def patient_of(dataset: Any, root: Item, study_date: str | None, notes: Notes) -> Patient:
    """Patient identity and size from the header, then the RRDSR Patient Characteristics (121118)."""
    characteristics = root.first(codes.PATIENT_CHARACTERISTICS)
    sex = _SEXES.get((header_text(dataset, "PatientSex") or "").upper())
    if sex is None:
        sex_item = coded(characteristics, codes.SUBJECT_SEX, notes)
        sex = _SEXES.get(sex_item.code.value.upper()) if sex_item and sex_item.code else None
    age = _age_from_string(header_text(dataset, "PatientAge"))
    if age is None:
        age = _age_from_birth_date(header_text(dataset, "PatientBirthDate"), study_date)
    if age is None:
        age = number(characteristics, codes.SUBJECT_AGE, Quantity.AGE_YEARS, "a", notes)
    weight = _positive(dataset.get("PatientWeight")) or number(
        characteristics, codes.PATIENT_WEIGHT, Quantity.MASS_KG, "kg", notes
    )
    height = _positive(dataset.get("PatientSize")) or number(
        characteristics, codes.PATIENT_HEIGHT, Quantity.LENGTH_M, "m", notes
    )
    return Patient(
        id=header_text(dataset, "PatientID"),
        sex=sex,
        age_years=age,
        weight_kg=weight,
        height_m=height,
    )
