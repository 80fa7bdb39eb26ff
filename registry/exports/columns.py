"""The export columns: one registry of (header with unit, database path) for studies and for events.

Modality is a parameter, not a copy: every modality's studies share one column list, and events one list
whose columns that do not apply to an event's kind stay empty. Values are the stored canonical values (the
unit is in the header), so an export equals the database. Patients appear only by their pseudonyms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim

from registry.models import IrradiationEvent
from registry.models.studies import StudyQuerySet


@dataclass(frozen=True)
class Column:
    """One export column: `path` is a field or annotation of the rows; `unit` goes in the header."""

    path: str
    label: str
    unit: str = ""

    @property
    def header(self) -> str:
        return f"{self.label} ({self.unit})" if self.unit else self.label


def _device_label() -> Coalesce:
    """A device's display name, else its manufacturer and model (as `Device.__str__`, in SQL); no device:
    NULL (Concat treats NULLs as '', so the bare separator is trimmed and nulled)."""
    maker_and_model = Concat(
        F("device__manufacturer"), Value(" "), F("device__model_name"), output_field=CharField()
    )
    return Coalesce(
        NullIf(F("device__display_name"), Value("")),
        NullIf(Trim(maker_and_model), Value("")),
        output_field=CharField(),
    )


_PATIENT = (
    Column("patient_pseudonym", "Patient pseudonym"),
    Column("accession_pseudonym", "Accession pseudonym"),
    Column("patient_age_years", "Patient age", "years"),
    Column("patient_sex", "Patient sex"),
    Column("patient_weight_kg", "Patient weight", "kg"),
    Column("patient_height_m", "Patient height", "m"),
)

STUDY_COLUMNS: tuple[Column, ...] = (
    Column("pk", "Study id"),
    Column("site__code", "Site"),
    Column("device_name", "Device"),
    Column("standard_exam__name", "Standard exam"),
    Column("study_date", "Study date"),
    Column("study_time", "Study time"),
    Column("modality", "Modality"),
    Column("modalities", "Modalities"),
    Column("description", "Study description"),
    Column("requested_procedure", "Requested procedure"),
    *_PATIENT,
    Column("ct_dlp_total_mgycm", "CT DLP total", "mGy.cm"),
    Column("ct_event_count", "CT events"),
    Column("ctdivol_max_mgy", "CTDIvol highest (no localizers)", "mGy"),
    Column("dap_total_gym2", "DAP total", "Gy.m2"),
    Column("dose_rp_total_gy", "Reference point air kerma total", "Gy"),
    Column("fluoro_dap_total_gym2", "Fluoroscopy DAP total", "Gy.m2"),
    Column("fluoro_dose_rp_total_gy", "Fluoroscopy reference point air kerma total", "Gy"),
    Column("fluoro_time_total_s", "Fluoroscopy time total", "s"),
    Column("acquisition_dap_total_gym2", "Acquisition DAP total", "Gy.m2"),
    Column("acquisition_dose_rp_total_gy", "Acquisition reference point air kerma total", "Gy"),
    Column("acquisition_time_total_s", "Acquisition time total", "s"),
    Column("agd_total_left_mgy", "AGD total left", "mGy"),
    Column("agd_total_right_mgy", "AGD total right", "mGy"),
    Column("administered_activity_mbq", "Administered activity", "MBq"),
    Column("effective_dose_msv", "Effective dose", "mSv"),
    Column("radiopharmaceutical", "Radiopharmaceutical"),
    Column("radionuclide", "Radionuclide"),
)

EVENT_COLUMNS: tuple[Column, ...] = (
    Column("study_id", "Study id"),
    Column("study__site__code", "Site"),
    Column("device_name", "Device"),
    Column("study__standard_exam__name", "Standard exam"),
    Column("study__study_date", "Study date"),
    Column("study__modality", "Study modality"),
    Column("study__description", "Study description"),
    *(Column(f"study__{column.path}", column.label, column.unit) for column in _PATIENT),
    Column("modality", "Event modality"),
    Column("kind", "Event kind"),
    Column("started_at", "Started at"),
    Column("acquisition_type", "Acquisition type"),
    Column("localizer", "Localizer (CTDIvol not counted)"),
    Column("protocol", "Protocol"),
    Column("target_region", "Target region"),
    Column("plane", "Plane"),
    Column("ctdivol_mgy", "CTDIvol", "mGy"),
    Column("dlp_mgycm", "DLP", "mGy.cm"),
    Column("phantom", "Phantom"),
    Column("scanning_length_mm", "Scanning length", "mm"),
    Column("exposure_time_s", "Exposure time", "s"),
    Column("pitch", "Pitch factor"),
    Column("total_collimation_mm", "Total collimation", "mm"),
    Column("kvp", "Tube voltage", "kV"),
    Column("tube_current_ma", "Tube current", "mA"),
    Column("dap_gym2", "DAP", "Gy.m2"),
    Column("dose_rp_gy", "Reference point air kerma", "Gy"),
    Column("exposure_mas", "Exposure", "mAs"),
    Column("pulse_rate_per_s", "Pulse rate", "1/s"),
    Column("number_of_pulses", "Pulses"),
    Column("irradiation_duration_s", "Irradiation duration", "s"),
    Column("pulse_width_s", "Pulse width", "s"),
    Column("primary_angle_deg", "Primary angle", "deg"),
    Column("secondary_angle_deg", "Secondary angle", "deg"),
    Column("agd_mgy", "AGD", "mGy"),
    Column("entrance_exposure_mgy", "Entrance exposure", "mGy"),
    Column("laterality", "Laterality"),
    Column("view", "View"),
    Column("compression_thickness_mm", "Compression thickness", "mm"),
    Column("hvl_mm", "HVL", "mm"),
    Column("anode", "Anode"),
)


def study_rows(studies: StudyQuerySet, *extra: str) -> QuerySet[Any, tuple[Any, ...]]:
    """The export tuples of `studies` (STUDY_COLUMNS, then `extra` annotations), in a stable order."""
    return (
        studies.annotate(device_name=_device_label())
        .order_by("study_date", "id")
        .values_list(*(column.path for column in STUDY_COLUMNS), *extra)
    )


def export_table(
    studies: StudyQuerySet, kind: str
) -> tuple[tuple[Column, ...], QuerySet[Any, tuple[Any, ...]]]:
    """The columns and rows of an export of `kind`: one row per study, or per irradiation event."""
    return (STUDY_COLUMNS, study_rows(studies)) if kind == "studies" else (EVENT_COLUMNS, event_rows(studies))


def event_rows(studies: StudyQuerySet) -> QuerySet[Any, tuple[Any, ...]]:
    """The export tuples of the irradiation events of `studies` (EVENT_COLUMNS), in a stable order.

    The device is the event's own; a subquery on the studies rather than a join keeps one row per event.
    """
    events = IrradiationEvent.objects.filter(study__in=studies.values("pk"))
    return (
        events.annotate(device_name=_device_label())
        .order_by("study_id", "id")
        .values_list(*(column.path for column in EVENT_COLUMNS))
    )


def event_count(studies: StudyQuerySet) -> int:
    """How many events `event_rows` yields, with one COUNT."""
    return IrradiationEvent.objects.filter(study__in=studies.values("pk")).count()
