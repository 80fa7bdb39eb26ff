"""What the reader must give back for a spec: the contract keys in canonical units (docs/reader-rules.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ingest.synth.spec import (
    CtEventSpec,
    CtReportSpec,
    PlaneTotalsSpec,
    ProjectionEventSpec,
    ProjectionReportSpec,
    StudySpec,
)

PROCEDURES = {"CT": "Computed Tomography X-Ray", "MG": "Mammography"}
PLANE_KEYS = [
    "dap_total_gym2",
    "dose_rp_total_gy",
    "fluoro_dap_total_gym2",
    "fluoro_dose_rp_total_gy",
    "fluoro_time_total_s",
    "acquisition_dap_total_gym2",
    "acquisition_dose_rp_total_gy",
    "acquisition_time_total_s",
]


def mean_nonzero(values: Iterable[float]) -> float | None:
    kept = [value for value in values if value]
    return sum(kept) / len(kept) if kept else None


def expected_report(spec: StudySpec) -> dict[str, Any]:
    """The subset of `report.as_dict()` a spec determines (every key listed here must match)."""
    report = spec.report
    return {
        "sop_class_uid": "1.2.840.10008.5.1.4.1.1.88.67",
        "sop_instance_uid": spec.sop_uid,
        "study_instance_uid": spec.study_uid,
        "template": spec.template,
        "modality": spec.modality,
        "device": {
            "manufacturer": spec.device.manufacturer,
            "model_name": spec.device.model_name,
            "serial_number": spec.device.serial_number,
            "station_name": spec.device.station_name,
            "device_observer_uid": spec.device.observer_uid,
            "institution_name": spec.site.institution_name,
            "software_versions": spec.device.software_versions,
        },
        "study": {
            "date": spec.study_datetime.date().isoformat(),
            "time": spec.study_datetime.strftime("%H:%M:%S"),
            "accession_number": spec.accession_number,
            "description": spec.description,
            "procedure_reported": PROCEDURES.get(spec.modality, "Projection X-Ray"),
            "requested_procedure": spec.description,
        },
        "patient": {
            "id": spec.patient.patient_id,
            "sex": spec.patient.sex,
            "age_years": spec.age_years,
            "weight_kg": spec.patient.weight_kg,
            "height_m": spec.patient.height_m,
        },
        "totals": _ct_totals(report) if isinstance(report, CtReportSpec) else _projection_totals(report),
        "planes": [] if isinstance(report, CtReportSpec) else [_plane(p) for p in report.planes],
        "events": [
            _ct_event(e) if isinstance(e, CtEventSpec) else _projection_event(e) for e in report.events
        ],
    }


def _ct_totals(report: CtReportSpec) -> dict[str, Any]:
    return {"ct_dlp_total_mgycm": report.dlp_total_mgycm, "ct_event_count": len(report.events)}


def _projection_totals(report: ProjectionReportSpec) -> dict[str, Any]:
    totals: dict[str, Any] = {}
    for key in PLANE_KEYS:
        stated = [getattr(p, key) for p in report.planes if getattr(p, key) is not None]
        totals[key] = sum(stated) if stated else None
    agd = dict(report.agd_totals)
    totals.update(agd_total_left_mgy=agd.get("L"), agd_total_right_mgy=agd.get("R"), ct_dlp_total_mgycm=None)
    return totals


def _plane(plane: PlaneTotalsSpec) -> dict[str, Any]:
    row = {key: getattr(plane, key) for key in PLANE_KEYS}
    rp = plane.reference_point
    row.update(plane=plane.plane, reference_point_definition=rp.meaning if rp else None)
    return row


def _ct_event(event: CtEventSpec) -> dict[str, Any]:
    sources = event.sources
    return {
        "uid": event.uid,
        "kind": "ct",
        "acquisition_type": event.acquisition_type,
        "protocol": event.protocol,
        "target_region": event.target_region.meaning,
        "plane": None,
        "ctdivol_mgy": event.ctdivol_mgy,
        "dlp_mgycm": event.dlp_mgycm,
        "phantom": event.phantom,
        "scanning_length_mm": event.scanning_length_mm,
        "exposure_time_s": event.exposure_time_s,
        "pitch": event.pitch,
        "total_collimation_mm": event.total_collimation_mm,
        "number_of_sources": len(sources),
        "kvp": mean_nonzero(s.kvp for s in sources),
        "kvp_values": [s.kvp for s in sources],
        "tube_current_ma": mean_nonzero(s.tube_current_ma for s in sources),
        "tube_current_max_ma": mean_nonzero(s.tube_current_max_ma for s in sources),
        "sources": [
            {
                "id": s.source_id,
                "kvp": s.kvp,
                "tube_current_ma": s.tube_current_ma,
                "tube_current_max_ma": s.tube_current_max_ma,
                "exposure_time_per_rotation_s": s.exposure_time_per_rotation_s,
            }
            for s in sources
        ],
        "dap_gym2": None,
    }


def _projection_event(event: ProjectionEventSpec) -> dict[str, Any]:
    mammo = event.mammo
    row: dict[str, Any] = {
        "uid": event.uid,
        "datetime": event.started.isoformat(),
        "kind": "projection",
        "acquisition_type": event.event_type,
        "protocol": event.protocol,
        "target_region": event.target_region.meaning,
        "plane": event.plane,
        "dap_gym2": event.dap_gym2,
        "dose_rp_gy": event.dose_rp_gy,
        "exposure_time_s": _projection_exposure_time(event),
        "exposure_mas": event.exposure_mas,
        "pulse_rate_per_s": event.pulse_rate_per_s,
        "number_of_pulses": event.number_of_pulses,
        "irradiation_duration_s": event.irradiation_duration_s,
        "primary_angle_deg": event.primary_angle_deg,
        "secondary_angle_deg": event.secondary_angle_deg,
        "kvp": mean_nonzero(event.kvp),
        "kvp_values": list(event.kvp),
        "tube_current_ma": event.tube_current_ma,
        "filters": [
            {
                # "Copper or Copper compound" reads as the element (ingest/rdsr/materials.py)
                "material": f.material.meaning.split(" or ")[0],
                "thickness_min_mm": f.thickness_min_mm,
                "thickness_max_mm": f.thickness_max_mm,
            }
            for f in event.filters
        ],
        "ctdivol_mgy": None,
        "agd_mgy": mammo.agd_mgy if mammo else None,
        "entrance_exposure_mgy": mammo.entrance_exposure_mgy if mammo else None,
        "laterality": event.laterality,
        "view": mammo.view.meaning if mammo else None,
        "compression_thickness_mm": mammo.compression_thickness_mm if mammo else None,
        "hvl_mm": mammo.hvl_mm if mammo else None,
        "anode": mammo.anode.meaning.split(" or ")[0] if mammo else None,  # the element (materials.py)
    }
    row["pulse_width_s"] = event.pulse_width_s
    row["pulse_width_s_values"] = [] if event.pulse_width_s is None else [event.pulse_width_s]
    return row


def _projection_exposure_time(event: ProjectionEventSpec) -> float | None:
    """Exposure Time as written, else derived as pulses x pulse width (reader-rules: Philips Allura)."""
    if event.exposure_time_s is not None:
        return event.exposure_time_s
    if event.number_of_pulses is not None and event.pulse_width_s is not None:
        return event.number_of_pulses * event.pulse_width_s
    return None
