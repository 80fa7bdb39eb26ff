"""TID 10011 CT Radiation Dose content below the root: accumulated data (TID 10012), events (TID 10013)."""

from __future__ import annotations

import datetime as dt

from pydicom.dataset import Dataset

from ingest.synth import items as it
from ingest.synth import vocab as v
from ingest.synth.spec import CtEventSpec, CtReportSpec, CtSourceSpec


def ct_context(start: dt.datetime, end: dt.datetime) -> list[Dataset]:
    """TID 10011 irradiation period: Start / End of X-Ray Irradiation (113809 / 113810), both mandatory."""
    return [
        it.datetime(v.START_OF_IRRADIATION, start, it.HAS_OBS_CONTEXT),
        it.datetime(v.END_OF_IRRADIATION, end, it.HAS_OBS_CONTEXT),
    ]


def ct_body(report: CtReportSpec) -> list[Dataset]:
    """TID 10011 content rows: one TID 10012 accumulated container, then one TID 10013 per event."""
    return [ct_accumulated(report), *(ct_event(event) for event in report.events)]


def ct_accumulated(report: CtReportSpec) -> Dataset:
    """TID 10012 CT Accumulated Dose Data: event count (113812) and DLP total (113813), both mandatory."""
    return it.container(
        v.CT_ACCUMULATED,
        [
            it.num(v.TOTAL_EVENTS, len(report.events), "{events}"),
            it.num(v.CT_DLP_TOTAL, report.dlp_total_mgycm, "mGy.cm"),
        ],
    )


def ct_event(event: CtEventSpec) -> Dataset:
    """TID 10013 CT Irradiation Event Data (113819); CT Dose (113829) is MC, absent for some localizers."""
    rows = [
        it.text(v.ACQUISITION_PROTOCOL, event.protocol),
        it.code(v.TARGET_REGION, event.target_region),
        it.code(v.CT_ACQUISITION_TYPE, v.CT_ACQUISITION_TYPES[event.acquisition_type]),
        it.uidref(v.IRRADIATION_EVENT_UID, event.uid),
        _acquisition_parameters(event),
    ]
    if event.ctdivol_mgy is not None:
        rows.append(_ct_dose(event, event.ctdivol_mgy))
    rows.append(it.text(v.MODULATION_TYPE, "NONE" if event.acquisition_type[0] == "C" else "XYZ_EC"))
    return it.container(v.CT_ACQUISITION, rows)


def _acquisition_parameters(event: CtEventSpec) -> Dataset:
    """CT Acquisition Parameters (113822): exposure time in s (CT), TID 10014 scanning length, collimation."""
    rows = [
        it.num(v.EXPOSURE_TIME, event.exposure_time_s, "s"),
        it.num(v.SCANNING_LENGTH, event.scanning_length_mm, "mm"),
        it.num(v.SINGLE_COLLIMATION, event.single_collimation_mm, "mm"),
        it.num(v.TOTAL_COLLIMATION, event.total_collimation_mm, "mm"),
    ]
    # Pitch Factor is MC: required for spiral and sequenced scans, meaningless for a localizer.
    rows += it.optional_num(v.PITCH_FACTOR, event.pitch, "{ratio}")
    rows.append(it.num(v.NUMBER_OF_SOURCES, len(event.sources), "{X-Ray sources}"))
    rows += [_source(source) for source in event.sources]
    return it.container(v.CT_ACQUISITION_PARAMETERS, rows)


def _source(source: CtSourceSpec) -> Dataset:
    """CT X-Ray Source Parameters (113831), one per tube: dual-source scanners send two."""
    rows = [
        it.text(v.SOURCE_ID, source.source_id),
        it.num(v.KVP, source.kvp, "kV"),
        it.num(v.MAX_TUBE_CURRENT, source.tube_current_max_ma, "mA"),
        it.num(v.TUBE_CURRENT, source.tube_current_ma, "mA"),
    ]
    rows += it.optional_num(v.EXPOSURE_TIME_PER_ROTATION, source.exposure_time_per_rotation_s, "s")
    return it.container(v.CT_SOURCE_PARAMETERS, rows)


def _ct_dose(event: CtEventSpec, ctdivol_mgy: float) -> Dataset:
    """CT Dose (113829): Mean CTDIvol, the CTDIw phantom (CID 4052) and DLP, all mandatory in it."""
    rows = [it.num(v.MEAN_CTDIVOL, ctdivol_mgy, "mGy")]
    if event.phantom is not None:
        rows.append(it.code(v.PHANTOM_TYPE, v.PHANTOMS[event.phantom]))
    rows += it.optional_num(v.DLP, event.dlp_mgycm, "mGy.cm")
    return it.container(v.CT_DOSE, rows)
