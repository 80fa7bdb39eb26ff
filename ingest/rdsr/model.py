"""The dose report as frozen dataclasses whose field names are the `kerma.dose-report/1` JSON keys.

Field names are the contract (`../shared/contracts/dose-report.md`), so `as_dict()` is a plain recursive
conversion and a renamed field is a contract change that the tests catch.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Literal

from ingest.rdsr.estimates import DoseEstimate

SCHEMA = "kerma.dose-report/1"

Template = Literal["10011", "10001", "10021", "10030", "10040"]
Modality = Literal["CT", "RF", "DX", "MG", "NM"]
EventKind = Literal["ct", "projection", "radiopharmaceutical"]


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(member) for member in value]
    if hasattr(value, "__dataclass_fields__"):
        return {field.name: _plain(getattr(value, field.name)) for field in fields(value)}
    return value


class _AsDict:
    def as_dict(self) -> dict[str, Any]:
        """This object as the contract's JSON object (lists for tuples, every key present)."""
        plain: dict[str, Any] = _plain(self)
        return plain


@dataclass(frozen=True, slots=True)
class Device(_AsDict):
    """The equipment that irradiated, from the Device Observer with header fallbacks."""

    manufacturer: str | None = None
    model_name: str | None = None
    serial_number: str | None = None
    station_name: str | None = None
    device_observer_uid: str | None = None
    institution_name: str | None = None
    software_versions: str | None = None


@dataclass(frozen=True, slots=True)
class Study(_AsDict):
    """The examination the report belongs to."""

    date: str | None = None
    time: str | None = None
    accession_number: str | None = None
    description: str | None = None
    procedure_reported: str | None = None
    requested_procedure: str | None = None


@dataclass(frozen=True, slots=True)
class Patient(_AsDict):
    """Patient identity (raw; pseudonymised by ingest before storage) and size."""

    id: str | None = None
    sex: Literal["M", "F", "O"] | None = None
    age_years: float | None = None
    weight_kg: float | None = None
    height_m: float | None = None


@dataclass(frozen=True, slots=True)
class Totals(_AsDict):
    """The accumulated dose the report states, summed over planes; never recomputed from events."""

    ct_dlp_total_mgycm: float | None = None
    ct_event_count: int | None = None
    dap_total_gym2: float | None = None
    dose_rp_total_gy: float | None = None
    fluoro_dap_total_gym2: float | None = None
    fluoro_dose_rp_total_gy: float | None = None
    fluoro_time_total_s: float | None = None
    acquisition_dap_total_gym2: float | None = None
    acquisition_dose_rp_total_gy: float | None = None
    acquisition_time_total_s: float | None = None
    agd_total_left_mgy: float | None = None
    agd_total_right_mgy: float | None = None
    administered_activity_mbq: float | None = None
    effective_dose_msv: float | None = None
    radiopharmaceutical: str | None = None
    radionuclide: str | None = None


@dataclass(frozen=True, slots=True)
class Plane(_AsDict):
    """One Accumulated X-Ray Dose Data container (TID 10002): one per plane."""

    plane: Literal["A", "B", "single"] = "single"
    dap_total_gym2: float | None = None
    dose_rp_total_gy: float | None = None
    fluoro_dap_total_gym2: float | None = None
    fluoro_dose_rp_total_gy: float | None = None
    fluoro_time_total_s: float | None = None
    acquisition_dap_total_gym2: float | None = None
    acquisition_dose_rp_total_gy: float | None = None
    acquisition_time_total_s: float | None = None
    reference_point_definition: str | None = None


@dataclass(frozen=True, slots=True)
class XraySource(_AsDict):
    """One CT X-Ray Source Parameters container (113831); dual-source scanners send two."""

    id: str | None = None
    kvp: float | None = None
    tube_current_ma: float | None = None
    tube_current_max_ma: float | None = None
    exposure_time_per_rotation_s: float | None = None


@dataclass(frozen=True, slots=True)
class Filter(_AsDict):
    """One X-Ray Filters container (113771) of a projection event."""

    material: str | None = None
    thickness_min_mm: float | None = None
    thickness_max_mm: float | None = None


@dataclass(frozen=True, slots=True)
class Event(_AsDict):
    """One irradiation event (CT acquisition, projection exposure) or radiopharmaceutical administration."""

    uid: str | None = None
    datetime: str | None = None
    kind: EventKind = "ct"
    acquisition_type: str | None = None
    # CT: the acquisition type is 113805 Constant Angle Acquisition (CID 10013); None for other kinds.
    localizer: bool | None = None
    protocol: str | None = None
    target_region: str | None = None
    plane: Literal["A", "B", "single"] | None = None
    # CT (TID 10013)
    ctdivol_mgy: float | None = None
    dlp_mgycm: float | None = None
    phantom: Literal["head16", "body32"] | None = None
    scanning_length_mm: float | None = None
    exposure_time_s: float | None = None
    pitch: float | None = None
    total_collimation_mm: float | None = None
    number_of_sources: int | None = None
    kvp: float | None = None
    tube_current_ma: float | None = None
    tube_current_max_ma: float | None = None
    sources: tuple[XraySource, ...] = ()
    ctdivol_alert_mgy: float | None = None
    dlp_alert_mgycm: float | None = None
    ctdivol_notification_mgy: float | None = None
    dlp_notification_mgycm: float | None = None
    # Projection (TID 10003)
    dap_gym2: float | None = None
    dose_rp_gy: float | None = None
    exposure_mas: float | None = None
    pulse_rate_per_s: float | None = None
    number_of_pulses: float | None = None
    irradiation_duration_s: float | None = None
    pulse_width_s: float | None = None
    primary_angle_deg: float | None = None
    secondary_angle_deg: float | None = None
    filters: tuple[Filter, ...] = ()
    # Mammography
    agd_mgy: float | None = None
    entrance_exposure_mgy: float | None = None
    laterality: Literal["L", "R", "B"] | None = None
    view: str | None = None
    compression_thickness_mm: float | None = None
    hvl_mm: float | None = None
    anode: str | None = None
    # Image headers (DX, CR, MG, DBT; docs/dose-objects.md): attributes no dose template carries
    compression_force_n: float | None = None
    source_image_distance_mm: float | None = None
    exposure_index: float | None = None
    target_exposure_index: float | None = None
    deviation_index: float | None = None
    filter_type: str | None = None
    grid: str | None = None
    # Radiopharmaceutical (TID 10022)
    administered_activity_mbq: float | None = None
    radiopharmaceutical: str | None = None
    radionuclide: str | None = None
    route: str | None = None
    # Every value of quantities that can have several per event (per pulse, per source)
    kvp_values: tuple[float, ...] = ()
    tube_current_ma_values: tuple[float, ...] = ()
    tube_current_max_ma_values: tuple[float, ...] = ()
    pulse_width_s_values: tuple[float, ...] = ()
    # Enhanced X-Ray Radiation Dose (TID 10040; ingest.rdsr.enhanced): the event's end, its X-ray source, the
    # repeat/reject flags, and the details of the time windows of its source that overlap it (TID 10043).
    datetime_ended: str | None = None
    xray_source: str | None = None
    repeated: bool | None = None
    repeat_reason: str | None = None
    rejected: bool | None = None
    reject_reason: str | None = None
    field_area_m2: float | None = None
    output_air_kerma_mgy: float | None = None
    patient_equivalent_thickness_mm: float | None = None
    water_equivalent_diameter_mm: float | None = None
    frame_of_reference_uid: str | None = None
    frame_of_reference_origin: str | None = None
    # Points (x, y, z) in mm in that frame of reference (SCOORD3D, TID 10051).
    output_point_mm: tuple[float, ...] | None = None
    reference_point_mm: tuple[float, ...] | None = None


@dataclass(frozen=True, slots=True)
class DoseReport(_AsDict):
    """One dose SR, read: what `ingest.rdsr.read` returns."""

    sop_class_uid: str
    sop_instance_uid: str
    study_instance_uid: str | None
    template: Template
    modality: Modality
    device: Device
    study: Study
    patient: Patient
    totals: Totals
    planes: tuple[Plane, ...]
    events: tuple[Event, ...]
    warnings: tuple[str, ...]
    source_of_dose_information: tuple[str, ...] = ()
    # TID 10030 (ingest.rdsr.patient_dose): estimates made by other software; empty for the other templates.
    estimates: tuple[DoseEstimate, ...] = ()
    schema: str = SCHEMA
