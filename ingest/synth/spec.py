"""Frozen descriptions of the synthetic dose reports to write: the writer's input and the tests' expectation.

Every number is held in the dose-report contract's canonical unit (DAP Gy·m², dose Gy, AGD mGy, times in
seconds, exposure in mAs) and already rounded by `sig6`, so the value a spec holds is exactly the decimal
the writer puts in the DS string (a scaled unit variant only moves the decimal point).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from pydicom.sr.coding import Code

Modality = Literal["CT", "RF", "DX", "MG"]
Plane = Literal["A", "B", "single"]
Sex = Literal["M", "F", "O"]
Laterality = Literal["L", "R", "B"]
DapUnit = Literal["Gy.m2", "dGy.cm2", "cGy.cm2", "mGy.cm2"]
DoseUnit = Literal["Gy", "mGy"]
CtAcquisitionType = Literal["Spiral Acquisition", "Sequenced Acquisition", "Constant Angle Acquisition"]
ProjectionEventType = Literal[
    "Fluoroscopy", "Stationary Acquisition", "Stepping Acquisition", "Rotational Acquisition"
]
Phantom = Literal["head16", "body32"]

SIGNIFICANT_DIGITS = 6


def sig6(value: float) -> float:
    """`value` rounded to the six significant digits the writer puts in a DS string (max 16 characters)."""
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


@dataclass(frozen=True)
class SiteSpec:
    """One hospital: its short code names the output folder; `dose_factor` scales every dose drawn there."""

    code: str
    institution_name: str
    dose_factor: float = 1.0


@dataclass(frozen=True)
class DeviceSpec:
    """One X-ray unit; `observer_uid` is TID 1004 Device Observer UID (121012), stable per device."""

    modality: Modality
    observer_uid: str
    manufacturer: str
    model_name: str
    serial_number: str
    station_name: str
    software_versions: str
    dual_source: bool = False
    biplane: bool = False


@dataclass(frozen=True)
class PatientSpec:
    """A pseudonymous synthetic patient (the name says so); weight in kg, height in m."""

    patient_id: str
    name: str
    birth_date: dt.date
    sex: Sex
    weight_kg: float
    height_m: float


@dataclass(frozen=True)
class CtSourceSpec:
    """TID 10013 CT X-Ray Source Parameters (113831), one per tube."""

    source_id: str
    kvp: float
    tube_current_ma: float
    tube_current_max_ma: float
    exposure_time_per_rotation_s: float | None


@dataclass(frozen=True)
class CtEventSpec:
    """TID 10013 CT Irradiation Event Data; `ctdivol_mgy` None omits the CT Dose container (localizers)."""

    uid: str
    protocol: str
    target_region: Code
    acquisition_type: CtAcquisitionType
    exposure_time_s: float
    scanning_length_mm: float
    single_collimation_mm: float
    total_collimation_mm: float
    pitch: float | None
    sources: tuple[CtSourceSpec, ...]
    ctdivol_mgy: float | None
    dlp_mgycm: float | None
    phantom: Phantom | None


@dataclass(frozen=True)
class FilterSpec:
    """One TID 10003B X-Ray Filters container (113771)."""

    material: Code
    thickness_min_mm: float
    thickness_max_mm: float


@dataclass(frozen=True)
class MammoSpec:
    """The TID 10003 rows only mammography events carry (AGD, entrance exposure, breast geometry)."""

    agd_mgy: float
    entrance_exposure_mgy: float
    view: Code
    compression_thickness_mm: float
    hvl_mm: float
    anode: Code


@dataclass(frozen=True)
class ProjectionEventSpec:
    """TID 10003 Irradiation Event X-Ray Data; several `kvp` values are written as one multi-valued NUM."""

    uid: str
    started: dt.datetime
    event_type: ProjectionEventType
    plane: Plane
    protocol: str
    target_region: Code
    laterality: Laterality | None = None
    dap_gym2: float | None = None
    dose_rp_gy: float | None = None
    exposure_time_s: float | None = None
    exposure_mas: float | None = None
    pulse_rate_per_s: float | None = None
    number_of_pulses: int | None = None
    irradiation_duration_s: float | None = None
    pulse_width_s: float | None = None
    primary_angle_deg: float | None = None
    secondary_angle_deg: float | None = None
    kvp: tuple[float, ...] = ()
    tube_current_ma: float | None = None
    filters: tuple[FilterSpec, ...] = ()
    mammo: MammoSpec | None = None


@dataclass(frozen=True)
class PlaneTotalsSpec:
    """TID 10002 Accumulated X-Ray Dose for one plane: TID 10004 (fluoro) or 10007 (radiography) rows."""

    plane: Plane
    dap_total_gym2: float | None = None
    dose_rp_total_gy: float | None = None
    fluoro_dap_total_gym2: float | None = None
    fluoro_dose_rp_total_gy: float | None = None
    fluoro_time_total_s: float | None = None
    acquisition_dap_total_gym2: float | None = None
    acquisition_dose_rp_total_gy: float | None = None
    acquisition_time_total_s: float | None = None
    total_frames: int | None = None
    reference_point: Code | None = None


@dataclass(frozen=True)
class CtReportSpec:
    """TID 10011 content: events and the TID 10012 accumulated totals stated beside them."""

    events: tuple[CtEventSpec, ...]
    dlp_total_mgycm: float


@dataclass(frozen=True)
class ProjectionReportSpec:
    """TID 10001 content; `agd_totals` (TID 10005, per breast) go into the first plane's container."""

    events: tuple[ProjectionEventSpec, ...]
    planes: tuple[PlaneTotalsSpec, ...]
    agd_totals: tuple[tuple[Literal["L", "R"], float], ...] = ()


@dataclass(frozen=True)
class VariantSpec:
    """Deviations real devices show, so tests exercise the reader; the defaults are the standard form."""

    dap_unit: DapUnit = "Gy.m2"
    dose_rp_unit: DoseUnit = "Gy"
    with_template_id: bool = True


@dataclass(frozen=True)
class StudySpec:
    """One dose report of one study: identifiers, who, where, when, and the dose content."""

    study_uid: str
    series_uid: str
    sop_uid: str
    accession_number: str
    study_datetime: dt.datetime
    description: str
    modality: Modality
    site: SiteSpec
    device: DeviceSpec
    patient: PatientSpec
    report: CtReportSpec | ProjectionReportSpec
    variant: VariantSpec = field(default_factory=VariantSpec)

    @property
    def age_years(self) -> int:
        """Completed years at the study date, as written in PatientAge (`nnnY`)."""
        born, on = self.patient.birth_date, self.study_datetime.date()
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    @property
    def template(self) -> Literal["10011", "10001"]:
        """Root template: TID 10011 for CT, TID 10001 for every projection modality."""
        return "10011" if isinstance(self.report, CtReportSpec) else "10001"
