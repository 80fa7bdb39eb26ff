"""Which rows carry a metric's values: the one choice the statistics, the charts and the samples share.

A per-sequence metric (level "event") has one value per irradiation event of the selected studies that
counts for it (`Metric.events`: for CTDIvol, registry.models.CTDIVOL_COUNTS leaves localizers out), so its
n counts sequences or views; a per-exam metric has one value per study. Rows without a value are left out,
so a missing CTDIvol is no value rather than a zero. Quality-control scans are no patients' doses: only
`StudyQuerySet.patients()` are read, so no statistic, chart or sample counts a phantom.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from registry.models import IrradiationEvent
from registry.models.studies import StudyQuerySet
from registry.statistics.metrics import Metric

# Rows of values().annotate() querysets (django-stubs types them as TypedDicts, which we do not name).
Rows = QuerySet[Any, Any]


def metric_rows(studies: StudyQuerySet, metric: Metric) -> tuple[Rows, str]:
    """Rows annotated with a non-null `metric_value`, and the path from a row to its study (or "")."""
    rows: Rows
    patients = studies.patients()
    if metric.level == "event":
        events = IrradiationEvent.objects.filter(metric.events, study__in=patients.values("pk"))
        rows, prefix = events, "study__"
    else:
        rows, prefix = patients, ""
    return rows.annotate(metric_value=metric.value()).filter(metric_value__isnull=False), prefix
