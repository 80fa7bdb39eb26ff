"""The study page's tables: one per modality, with the columns a physicist reads for that modality.

A CT acquisition is judged by its CTDIvol, DLP, phantom, pitch, collimation and scan length; a fluoroscopy
run by its mode, pulse rate, pulses, angles, DAP and reference-point air kerma, per plane; a mammogram by its
laterality, view, compression, target/filter and AGD. Values are in display units with three significant
digits (`significant`), fluoroscopy times as m:ss, and DICOM's caret separators shown as spaces.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from registry.dashboards.chart_source import chosen_published
from registry.models import IrradiationEvent, Study, visible_sites
from registry.statistics.drl import drl_statistics
from registry.statistics.filters import ADULT, AGE_BANDS, Band, DoseFilters, registry_scope
from registry.statistics.metrics import METRICS, metrics_for
from registry.templatetags.dose import dicom_text, minutes_seconds, significant

Cell = Callable[[IrradiationEvent], str]


def _number(name: str, factor: float = 1.0) -> Cell:
    def cell(event: IrradiationEvent) -> str:
        value = getattr(event, name)
        return significant(None if value is None else value * factor)

    return cell


def _text(name: str) -> Cell:
    return lambda event: dicom_text(getattr(event, name) or "") or "—"


def _time(event: IrradiationEvent) -> str:
    return event.started_at.strftime("%H:%M:%S") if event.started_at else "—"


def _acquisition(event: IrradiationEvent) -> str:
    return dicom_text(event.acquisition_type or "") or "—"


def _duration(event: IrradiationEvent) -> str:
    return minutes_seconds(event.irradiation_duration_s)


def _angles(event: IrradiationEvent) -> str:
    if event.primary_angle_deg is None and event.secondary_angle_deg is None:
        return "—"
    return f"{significant(event.primary_angle_deg)}° / {significant(event.secondary_angle_deg)}°"


def _ctdivol(event: IrradiationEvent) -> str:
    """A localizer's CTDIvol is shown, said not to count (registry.models.CTDIVOL_COUNTS)."""
    shown = significant(event.ctdivol_mgy)
    return f"{shown} (not counted)" if event.localizer and event.ctdivol_mgy is not None else shown


def _phantom(event: IrradiationEvent) -> str:
    """The CTDI phantom as physicists name it: "body32" reads "Body 32 cm"."""
    match = re.fullmatch(r"([a-z]+)(\d+)", event.phantom or "")
    return f"{match[1].capitalize()} {match[2]} cm" if match else (event.phantom or "—")


def _layers(event: IrradiationEvent) -> str:
    """The filter layers: material (one name per material: ingest.rdsr.materials) and thickness where
    stated; a layer repeated as the report repeats it is named once."""
    named: list[str] = []
    for layer in event.filters or []:
        material = layer.get("material") or "unnamed"
        thickness = (
            layer.get("thickness_max_mm")
            if layer.get("thickness_max_mm") is not None
            else layer.get("thickness_min_mm")
        )
        text = material if thickness is None else f"{material} {significant(thickness)} mm"
        if text not in named:
            named.append(text)
    return ", ".join(named)


def _filters(event: IrradiationEvent) -> str:
    """Target / filter as mammographers say it ("Tungsten / Rhodium 0.05 mm")."""
    return " / ".join(filter(None, [event.anode, _layers(event)])) or "—"


def _filtration(event: IrradiationEvent) -> str:
    return _layers(event) or "—"


# (header, unit, cell) per modality. Units in the header, so cells carry numbers only.
COLUMNS: dict[str, list[tuple[str, str, Cell]]] = {
    "CT": [
        ("Started", "", _time),
        ("Acquisition type", "", _acquisition),
        ("Protocol", "", _text("protocol")),
        ("Target region", "", _text("target_region")),
        ("CTDIvol", "mGy", _ctdivol),
        ("DLP", "mGy·cm", _number("dlp_mgycm")),
        ("Phantom", "", _phantom),
        ("Pitch", "", _number("pitch")),
        ("Collimation", "mm", _number("total_collimation_mm")),
        ("Scan length", "mm", _number("scanning_length_mm")),
        ("Exposure", "mAs", _number("exposure_mas")),
        ("kVp", "kV", _number("kvp")),
    ],
    "RF": [
        ("Started", "", _time),
        ("Plane", "", _text("plane")),
        ("Mode", "", _acquisition),
        ("Protocol", "", _text("protocol")),
        ("Pulse rate", "/s", _number("pulse_rate_per_s")),
        ("Pulses", "", _number("number_of_pulses")),
        ("Time", "m:ss", _duration),
        ("Angles", "primary / secondary", _angles),
        ("DAP", "Gy·cm²", _number("dap_gym2", 1e4)),
        ("Ka,r", "mGy", _number("dose_rp_gy", 1e3)),
        ("kVp", "kV", _number("kvp")),
        ("Filtration", "", _filtration),
    ],
    "DX": [
        ("Started", "", _time),
        ("Protocol", "", _text("protocol")),
        ("Target region", "", _text("target_region")),
        ("View", "", _text("view")),
        ("DAP", "Gy·cm²", _number("dap_gym2", 1e4)),
        ("Ka,r", "mGy", _number("dose_rp_gy", 1e3)),
        ("Exposure", "mAs", _number("exposure_mas")),
        ("kVp", "kV", _number("kvp")),
        ("Filtration", "", _filtration),
    ],
    "MG": [
        ("Started", "", _time),
        ("Laterality", "", _text("laterality")),
        ("View", "", _text("view")),
        ("Compression", "mm", _number("compression_thickness_mm")),
        ("Target / filter", "", _filters),
        ("kVp", "kV", _number("kvp")),
        ("Exposure", "mAs", _number("exposure_mas")),
        ("AGD", "mGy", _number("agd_mgy")),
        ("Entrance dose", "mGy", _number("entrance_exposure_mgy")),
        ("HVL", "mm Al", _number("hvl_mm")),
    ],
}
COLUMNS["NM"] = COLUMNS["CT"]  # the CT part of a PET/CT or SPECT/CT study
MODALITY_TITLES = {
    "CT": "CT acquisitions",
    "RF": "Fluoroscopy and acquisition runs",
    "DX": "Radiographic exposures",
    "MG": "Mammographic exposures",
    "NM": "CT acquisitions of the hybrid study",
}


@dataclass
class PlaneTotal:
    """Sums of one plane's events (a biplane system's A and B planes are judged apart)."""

    plane: str
    events: int = 0
    dap_gycm2: float = 0.0
    dose_rp_mgy: float = 0.0
    seconds: float = 0.0
    has: set[str] = field(default_factory=set)

    def cells(self) -> list[str]:
        return [
            self.plane,
            str(self.events),
            significant(self.dap_gycm2) if "dap" in self.has else "—",
            significant(self.dose_rp_mgy) if "kar" in self.has else "—",
            minutes_seconds(self.seconds) if "time" in self.has else "—",
        ]


@dataclass
class EventTable:
    modality: str
    title: str
    headers: list[tuple[str, str]]
    rows: list[dict[str, Any]]
    planes: list[PlaneTotal]


def event_tables(events: Iterable[IrradiationEvent]) -> list[EventTable]:
    """One table per modality in the order CT, RF, DX, MG, NM, with per-plane sums for fluoroscopy."""
    by_modality: dict[str, list[IrradiationEvent]] = defaultdict(list)
    for event in events:
        by_modality[event.modality].append(event)
    tables = []
    for modality in ("CT", "RF", "DX", "MG", "NM"):
        chosen = by_modality.get(modality)
        if not chosen:
            continue
        columns = COLUMNS[modality]
        rows = [
            {"event": event, "cells": [cell(event) for _, _, cell in columns], "localizer": event.localizer}
            for event in chosen
        ]
        headers = [(header, unit) for header, unit, _ in columns]
        planes = _plane_totals(chosen) if modality == "RF" else []
        tables.append(EventTable(modality, MODALITY_TITLES[modality], headers, rows, planes))
    return tables


def _plane_totals(events: list[IrradiationEvent]) -> list[PlaneTotal]:
    totals: dict[str, PlaneTotal] = {}
    for event in events:
        total = totals.setdefault(event.plane or "single", PlaneTotal(event.plane or "single"))
        total.events += 1
        if event.dap_gym2 is not None:
            total.dap_gycm2 += event.dap_gym2 * 1e4
            total.has.add("dap")
        if event.dose_rp_gy is not None:
            total.dose_rp_mgy += event.dose_rp_gy * 1e3
            total.has.add("kar")
        if event.irradiation_duration_s is not None:
            total.seconds += event.irradiation_duration_s
            total.has.add("time")
    return list(totals.values()) if len(totals) > 1 or any(total.has for total in totals.values()) else []


# Study totals: the report's stated total when there is one; otherwise the sum of the events' values, said so.
_EVENT_SUMS = {"dlp": "dlp_mgycm", "dap": "dap_gym2", "dose_rp": "dose_rp_gy"}


def _shown(metric: Any, value: float) -> str:
    if metric.key == "fluoro_time":
        return f"{minutes_seconds(value / metric.display_factor)} (m:ss)"
    return f"{significant(value)} {metric.display_unit}"


def study_totals(stated: list[tuple[Any, float]], events: list[IrradiationEvent]) -> list[dict[str, Any]]:
    """The study's totals to show: stated ones, and for what no report states, the events' sum.

    Fluoroscopy time is never summed from events (their durations mix fluoroscopy with acquisition runs);
    mammography's AGD is summed per breast, since a sum over both breasts is no dose to any tissue.
    """
    shown = [
        {"label": metric.label, "text": _shown(metric, value), "summed": False} for metric, value in stated
    ]
    have = {metric.key for metric, _ in stated}
    for key, column in _EVENT_SUMS.items():
        values = [getattr(event, column) for event in events if getattr(event, column) is not None]
        if key not in have and values:
            metric = METRICS[key]
            value = metric.to_display(sum(values))
            shown.append({"label": metric.label, "text": _shown(metric, value or 0.0), "summed": True})
    if "agd_exam" not in have:
        for side, name in (("L", "left"), ("R", "right")):
            doses = [
                event.agd_mgy for event in events if event.laterality == side and event.agd_mgy is not None
            ]
            if doses:
                label = f"Average glandular dose, {name} breast"
                shown.append({"label": label, "text": f"{significant(sum(doses))} mGy", "summed": True})
    return shown


def _age_band(age_years: float | None) -> Band:
    """The age band of the published levels and registry statistics a study is compared within."""
    if age_years is None:
        return AGE_BANDS[ADULT]
    return next(band for band in AGE_BANDS.values() if _holds(band, age_years))


def _holds(band: Band, age: float) -> bool:
    return age >= band.lower and (band.upper is None or age < band.upper)


def against_levels(user: Any, study: Study) -> list[dict[str, Any]]:
    """The study's per-examination values beside the registry DRL and the published DRL of its exam.

    Compared like with like: the exam's own metrics at examination level, within the study's age band
    (adults when it states no age), with the registry DRL the person would see on the dashboard (every
    site's medians, withheld with its reason while too few sites count). A QA scan or an unmapped study
    has no comparison: it is no patient, or no exam.
    """
    exam = study.standard_exam
    if exam is None or study.qa:
        return []
    band = _age_band(study.patient_age_years)
    selection = DoseFilters(modality=exam.modality)
    studies = Study.objects.for_user(user)
    codes = frozenset(visible_sites(user).values_list("code", flat=True))
    rows = []
    for metric in metrics_for(exam.modality):
        if metric.level != "study":
            continue
        value = (
            Study.objects.filter(pk=study.pk)
            .annotate(value=metric.value())
            .values_list("value", flat=True)[0]
        )
        if value is None:
            continue
        stats = drl_statistics(
            selection.apply(studies),
            exam=exam,
            metric=metric,
            modality=exam.modality,
            registry_studies=registry_scope(selection).apply(Study.objects.all()),
            scope_codes=codes,
            population=band,
        )
        shown = metric.to_display(value)
        published = chosen_published(stats, None)  # the level the dashboard draws by default
        rows.append(
            {
                "metric": metric,
                "value": shown,
                "registry_drl": stats.registry.drl_display,
                "registry_reason": stats.registry.reason,
                "registry_sites": stats.registry.sites_counted,
                "published": published,
                "above_registry": _above(shown, stats.registry.drl_display),
                "above_published": _above(shown, published.value_display if published else None),
            }
        )
    return rows


def _above(value: float | None, level: float | None) -> bool | None:
    return None if value is None or level is None else value > level
