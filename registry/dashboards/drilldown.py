"""The values behind a chart's bar, so the studies list a bar opens counts exactly what the bar's n counts.

A bar's n counts the rows of registry.statistics.values.metric_rows in its group: studies for a per-exam
metric, counted irradiation events for a per-sequence one (CTDIvol: localizers left out), so nine CT
studies of two spirals each are n = 18. The list shows the studies that have at least one such value and,
beside each, its values; the rows are narrowed to the bar's group the way registry.statistics.drl groups
them (an event by its device's site, a device bar by the row's own device), not only by the study filters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from registry.models.studies import StudyQuerySet
from registry.statistics.metrics import Metric
from registry.statistics.values import Rows, metric_rows


@dataclass(frozen=True)
class Drilldown:
    """The counted rows of one metric in a selection, and the studies they belong to."""

    metric: Metric
    rows: Rows  # metric_rows, narrowed to the bar's group; each has a non-null `metric_value`
    to_study: str  # the path from a row to its study: "" (per-exam rows are studies) or "study__"
    studies: StudyQuerySet  # the selected studies with at least one counted value

    def values_count(self) -> int:
        """The number of values, the bar's n (one query)."""
        return self.rows.count()

    def display_values(self, study_ids: Iterable[int]) -> dict[int, list[float]]:
        """Each study's counted values in the display unit, in acquisition order (one query for a page)."""
        path = f"{self.to_study}pk"
        order = ("study_id", "started_at", "pk") if self.to_study else ("pk",)
        rows = self.rows.filter(**{f"{path}__in": list(study_ids)}).values_list(path, "metric_value")
        shown: dict[int, list[float]] = {}
        for study_id, value in rows.order_by(*order):
            shown.setdefault(study_id, []).append(value * self.metric.display_factor)
        return shown


def drilldown(
    studies: StudyQuerySet, metric: Metric, *, site: str | None = None, device: int | None = None
) -> Drilldown:
    """The values of `metric` in `studies` (scoped and filtered), in the group of `site` (and `device`, for a
    bar of a device grouping: then only that device's values count, as in its bar)."""
    rows, to_study = metric_rows(studies, metric)
    if to_study and site is not None:
        rows = rows.filter(device__site__code=site)  # drl.grouped_summaries: an event's site is its device's
    if device is not None:
        rows = rows.filter(device_id=device)  # a study's device (per exam) or an event's (per sequence)
    listed = studies.filter(pk__in=rows.values(f"{to_study}pk")) if to_study else cast(StudyQuerySet, rows)
    return Drilldown(metric, rows, to_study, listed)
