"""TID 10011 CT Radiation Dose: accumulated dose (TID 10012) and one event per CT Acquisition (TID 10013).

Dual-source scanners send two X-Ray Source Parameters containers per event; their kVp and mA are kept per
source and averaged, never summed (rdsr-notes §8, Siemens Flash).
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from ingest.rdsr import codes
from ingest.rdsr.model import Event, Totals, XraySource
from ingest.rdsr.tree import Item
from ingest.rdsr.units import Quantity
from ingest.rdsr.values import Notes, coded, count, iso_datetime, mean_of_non_zero, meaning, number, text

_PHANTOMS: dict[codes.Concept, Literal["head16", "body32"]] = {
    codes.HEAD_PHANTOM: "head16",
    codes.BODY_PHANTOM: "body32",
}


def ct_totals(root: Item, notes: Notes) -> Totals:
    """CT Accumulated Dose Data (113811), looked for anywhere below the root."""
    accumulated = root.deep(codes.CT_ACCUMULATED)
    event_count = count(accumulated, codes.CT_EVENT_COUNT, notes)
    return Totals(
        ct_dlp_total_mgycm=number(accumulated, codes.CT_DLP_TOTAL, Quantity.DLP, "mGy.cm", notes),
        ct_event_count=int(event_count) if event_count is not None else None,
        effective_dose_msv=number(
            accumulated, codes.CT_EFFECTIVE_DOSE_TOTAL, Quantity.EFFECTIVE_DOSE_MSV, "mSv", notes
        ),
    )


Phantom = Literal["head16", "body32"]


def _phantom_item(container: Item | None, notes: Notes) -> Item | None:
    """The CTDIw Phantom Type (113835) stated in a container, if any."""
    return coded(container, codes.PHANTOM_TYPE, notes)


def _phantom_name(item: Item) -> Phantom | None:
    """`head16`/`body32` for the IEC phantoms; None for others (NEMA, 10 cm)."""
    return _PHANTOMS.get(item.code) if item.code else None


def _source(container: Item, notes: Notes) -> XraySource:
    return XraySource(
        id=text(container, codes.SOURCE_ID),
        kvp=number(container, codes.KVP, Quantity.VOLTAGE_KV, "kV", notes),
        tube_current_ma=number(container, codes.TUBE_CURRENT, Quantity.CURRENT_MA, "mA", notes),
        tube_current_max_ma=number(container, codes.MAX_TUBE_CURRENT, Quantity.CURRENT_MA, "mA", notes),
        exposure_time_per_rotation_s=number(
            container, codes.EXPOSURE_TIME_PER_ROTATION, Quantity.TIME_S, "s", notes
        ),
    )


def _present(values: list[float | None]) -> tuple[float, ...]:
    return tuple(value for value in values if value is not None)


class _DoseCheck(NamedTuple):
    ctdivol_alert_mgy: float | None
    dlp_alert_mgycm: float | None
    ctdivol_notification_mgy: float | None
    dlp_notification_mgycm: float | None


def _dose_check(dose: Item | None, notes: Notes) -> _DoseCheck:
    """TID 10015 alert and notification values; vendors put the containers inside CT Dose (113829)."""
    alert = dose.deep(codes.DOSE_CHECK_ALERT) if dose else None
    notification = dose.deep(codes.DOSE_CHECK_NOTIFICATION) if dose else None
    return _DoseCheck(
        number(alert, codes.CTDIVOL_ALERT_VALUE, Quantity.DOSE_MGY, "mGy", notes),
        number(alert, codes.DLP_ALERT_VALUE, Quantity.DLP, "mGy.cm", notes),
        number(notification, codes.CTDIVOL_NOTIFICATION_VALUE, Quantity.DOSE_MGY, "mGy", notes),
        number(notification, codes.DLP_NOTIFICATION_VALUE, Quantity.DLP, "mGy.cm", notes),
    )


def ct_event(acquisition: Item, default_phantom: Phantom | None, notes: Notes) -> Event:
    """One CT Acquisition container (113819) as an event."""
    parameters = acquisition.deep(codes.CT_ACQUISITION_PARAMETERS)
    dose = acquisition.deep(codes.CT_DOSE)
    source_containers = (parameters or acquisition).all(codes.CT_SOURCE_PARAMETERS) or [
        item for item in acquisition.descendants() if item.concept == codes.CT_SOURCE_PARAMETERS
    ]
    sources = tuple(_source(container, notes) for container in source_containers)
    kvps = _present([source.kvp for source in sources])
    currents = _present([source.tube_current_ma for source in sources])
    maxima = _present([source.tube_current_max_ma for source in sources])
    phantom = _phantom_item(dose, notes)
    check = _dose_check(dose, notes)
    sources_count = count(parameters, codes.NUMBER_OF_SOURCES, notes)
    return Event(
        uid=text(acquisition, codes.IRRADIATION_EVENT_UID),
        datetime=iso_datetime(text(acquisition, codes.DATETIME_STARTED)),
        kind="ct",
        acquisition_type=meaning(acquisition, codes.CT_ACQUISITION_TYPE, notes),
        localizer=_is_localizer(acquisition, notes),
        protocol=text(acquisition, codes.ACQUISITION_PROTOCOL),
        target_region=meaning(acquisition, codes.TARGET_REGION, notes),
        ctdivol_mgy=number(dose, codes.MEAN_CTDIVOL, Quantity.DOSE_MGY, "mGy", notes),
        dlp_mgycm=number(dose, codes.DLP, Quantity.DLP, "mGy.cm", notes),
        phantom=_phantom_name(phantom) if phantom is not None else default_phantom,
        scanning_length_mm=number(parameters, codes.SCANNING_LENGTH, Quantity.LENGTH_MM, "mm", notes),
        exposure_time_s=number(parameters, codes.EXPOSURE_TIME, Quantity.TIME_S, "s", notes),
        pitch=count(parameters, codes.PITCH, notes),
        total_collimation_mm=number(parameters, codes.TOTAL_COLLIMATION, Quantity.LENGTH_MM, "mm", notes),
        number_of_sources=int(sources_count) if sources_count is not None else None,
        kvp=mean_of_non_zero(kvps),
        tube_current_ma=mean_of_non_zero(currents),
        tube_current_max_ma=mean_of_non_zero(maxima),
        sources=sources,
        kvp_values=kvps,
        tube_current_ma_values=currents,
        tube_current_max_ma_values=maxima,
        ctdivol_alert_mgy=check.ctdivol_alert_mgy,
        dlp_alert_mgycm=check.dlp_alert_mgycm,
        ctdivol_notification_mgy=check.ctdivol_notification_mgy,
        dlp_notification_mgycm=check.dlp_notification_mgycm,
    )


def _is_localizer(acquisition: Item, notes: Notes) -> bool:
    """Matched on the code (113805, DCM), never the meaning, which vendors word as they like."""
    acquisition_type = coded(acquisition, codes.CT_ACQUISITION_TYPE, notes)
    return acquisition_type is not None and acquisition_type.code == codes.CONSTANT_ANGLE_ACQUISITION


def ct_events(root: Item, notes: Notes) -> tuple[Event, ...]:
    """Every CT Acquisition in document order; the phantom beside the DLP total is the default."""
    accumulated = root.deep(codes.CT_ACCUMULATED)
    dlp_total = accumulated.deep(codes.CT_DLP_TOTAL) if accumulated else None
    stated = _phantom_item(dlp_total, notes) or _phantom_item(accumulated, notes)
    fallback = _phantom_name(stated) if stated is not None else None
    acquisitions = root.all(codes.CT_ACQUISITION) or [
        item for item in root.descendants() if item.concept == codes.CT_ACQUISITION
    ]
    return tuple(ct_event(acquisition, fallback, notes) for acquisition in acquisitions)
