"""The studies list as an investigation tool: free text, sortable columns, one column per main metric.

The columns follow the modality shown: a CT list shows DLP and the examination's mean CTDIvol, a
fluoroscopy list DAP, Ka,r and fluoroscopy time, mammography the examination's AGD, nuclear medicine the
activity and MBq/kg; a list of several modalities keeps one "Totals" column. Values are the metrics'
own expressions (registry.statistics.metrics), so a column, its sort and the dashboard agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Q

from registry.models import IrradiationEvent
from registry.models.studies import StudyQuerySet
from registry.statistics.metrics import METRICS, Metric

# The main per-examination metrics of each modality, in the order physicists read them.
MAIN_METRICS = {
    "CT": ("dlp", "ctdivol_exam"),
    "RF": ("dap", "dose_rp", "fluoro_time"),
    "DX": ("dap", "dose_rp"),
    "MG": ("agd_exam",),
    "NM": ("activity", "activity_per_kg"),
}
# Sorts besides the metrics: key -> the ordering (the newest first is the default).
PLAIN_SORTS = {
    "date": ("study_date", "study_time", "id"),
    "site": ("site__code", "study_date", "id"),
    "exam": ("standard_exam__name", "study_date", "id"),
    "description": ("description", "study_date", "id"),
}
DEFAULT_SORT = "-date"


@dataclass(frozen=True)
class Column:
    key: str
    metric: Metric

    @property
    def annotation(self) -> str:
        return f"listed_{self.key}"


def columns_for(modality: str | None) -> list[Column]:
    """The metric columns of a list of one modality; none (the Totals column) for a mixed list."""
    return [Column(key, METRICS[key]) for key in MAIN_METRICS.get(modality or "", ())]


def with_text(studies: StudyQuerySet, text: str) -> StudyQuerySet:
    """Studies whose description, requested procedure or any event's protocol contains `text` (any case)."""
    text = text.strip()
    if not text:
        return studies
    protocol = IrradiationEvent.objects.filter(study=OuterRef("pk"), protocol__icontains=text)
    return studies.filter(
        Q(description__icontains=text) | Q(requested_procedure__icontains=text) | Exists(protocol)
    )


def sorted_studies(studies: StudyQuerySet, columns: list[Column], sort: str) -> tuple[StudyQuerySet, str]:
    """The studies annotated with their column values and in the asked order; an unknown sort is the
    default (newest first). Nulls go last either way, so "highest DLP first" starts with a value."""
    studies = studies.annotate(**{column.annotation: column.metric.value() for column in columns})
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    by_column = {column.key: column for column in columns}
    if key in by_column:
        expression = F(by_column[key].annotation)
        ordered = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        return studies.order_by(ordered, "-study_date", "-id"), sort
    if key in PLAIN_SORTS:
        fields = PLAIN_SORTS[key]
        return studies.order_by(*[f"-{name}" if descending else name for name in fields]), sort
    return sorted_studies(studies, columns, DEFAULT_SORT)[0], DEFAULT_SORT


def row_values(study: Any, columns: list[Column]) -> list[tuple[Column, float | None]]:
    """Each column's value of one listed study, in display units."""
    return [(column, column.metric.to_display(getattr(study, column.annotation))) for column in columns]
