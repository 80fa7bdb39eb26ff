"""The library's table: current levels per modality, grouped by standard exam and metric, in display units."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby

from registry.models import LevelKind, Modality, ReferenceLevel
from registry.statistics.metrics import METRICS

METRIC_ORDER = {key: index for index, key in enumerate(METRICS)}


def display_number(value: float) -> str:
    """Six significant digits: 0.0015 Gy·m² x 1e4 shows as 15, not 15.000000000000002."""
    return f"{value:.6g}"


def display(level: ReferenceLevel) -> tuple[str, str]:
    """The level's value and unit as people read them (DAP in Gy·cm², dose in mGy, time in min)."""
    metric = METRICS.get(level.metric)
    if metric is None:
        return display_number(level.value), level.unit
    return display_number(level.value * metric.display_factor), metric.display_unit


@dataclass(frozen=True)
class Row:
    level: ReferenceLevel
    value: str
    unit: str
    editable: bool


@dataclass
class MetricGroup:
    label: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class SubjectGroup:
    """One standard exam (DRLs) or one named threshold, with its levels by metric."""

    subject: str
    metrics: list[MetricGroup] = field(default_factory=list)


@dataclass
class ModalityTable:
    modality: str
    label: str
    drls: list[SubjectGroup]
    thresholds: list[SubjectGroup]


def _subject(level: ReferenceLevel) -> str:
    return level.exam.name if level.exam is not None else level.name


def _sort_key(level: ReferenceLevel) -> tuple[str, int, str, str, int, str, str, str]:
    """Exam, metric, then each source's levels together (its P50 beside its P75), local levels first."""
    return (
        _subject(level).lower(),
        METRIC_ORDER.get(level.metric, len(METRIC_ORDER)),
        level.patient_group,
        "" if level.site_id else level.issuer,
        -(level.year or 0),
        level.document,
        level.indication,
        level.statistic,
    )


def _groups(rows: list[Row]) -> list[SubjectGroup]:
    groups = []
    for subject, in_subject in groupby(rows, key=lambda row: _subject(row.level)):
        group = SubjectGroup(subject)
        for key, in_metric in groupby(in_subject, key=lambda row: row.level.metric):
            label = METRICS[key].label if key in METRICS else key
            group.metrics.append(MetricGroup(label, list(in_metric)))
        groups.append(group)
    return groups


def modality_tables(levels: Iterable[ReferenceLevel], *, editable: set[int] | None) -> list[ModalityTable]:
    """Tables in modality order; `editable` is the ids of sites whose local levels the user changes
    (None: every level, for superusers)."""
    rows = [
        Row(level, *display(level), editable=editable is None or level.site_id in editable)
        for level in sorted(levels, key=_sort_key)
    ]
    tables = []
    for modality, label in Modality.choices:
        mine = [row for row in rows if row.level.modality == modality]
        if mine:
            drls = [row for row in mine if row.level.kind == LevelKind.DRL]
            thresholds = [row for row in mine if row.level.kind == LevelKind.THRESHOLD]
            tables.append(ModalityTable(modality, label, _groups(drls), _groups(thresholds)))
    return tables
