"""What every dose chart is drawn from: its spec, its source (filters, user, statistics) and shared labels.

registry.dashboards.charts (the DRL statistics' charts) and registry.dashboards.follow_up_charts (workload and
fluoroscopy follow-up) build their figures from a ChartSource; its statistics are computed once per page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Literal
from urllib.parse import urlencode

from django.urls import reverse

from registry.dashboards.chart_layout import (
    ReferenceLine,
)
from registry.models import StandardExam, Study, visible_sites
from registry.models.studies import StudyQuerySet
from registry.statistics.drl import (
    DrlStatistics,
    GroupBy,
    GroupRow,
    PublishedLevel,
    drl_statistics,
    selection_codes,
)
from registry.statistics.filters import DoseFilters, population_band, population_condition, registry_scope
from registry.statistics.metrics import Metric

ChartKind = Literal["drl", "distribution", "trend", "weight", "workload", "fluoroscopy"]
POINT_CAP = 2_000  # points of a scatter: enough to see a distribution, small enough for any browser
WORKLOAD_EXAMS = 8  # exams a workload cell's hover names; the rest are summed as "other exams"
ABOVE, BELOW, UNRATED, PEER = "#c0392b", "#2e6da4", "#7f8c8d", "#c8ced6"
PALETTE = ("#2e6da4", "#e67e22", "#27ae60", "#8e44ad", "#c0392b", "#16a085", "#d35400", "#2c3e50")


@dataclass(frozen=True)
class ChartSpec:
    """What to draw: the kind, and the exam, metric and grouping it is about."""

    kind: ChartKind
    modality: str
    metric: Metric
    exam: StandardExam | None = None
    group_by: GroupBy = "site"
    published: int | None = None  # the published DRL drawn; None: the first current P75 of exam and metric


class ChartSource:
    """The scoped, filtered studies of one request and what several charts share (computed once)."""

    def __init__(self, spec: ChartSpec, filters: DoseFilters, user: Any) -> None:
        self.spec, self.filters, self.user = spec, filters, user

    @property
    def studies(self) -> StudyQuerySet:
        """The caller's studies under the filters, the exam left to each chart (as the API does)."""
        return replace(self.filters, exam=None).apply(Study.objects.for_user(self.user))

    @property
    def patients(self) -> StudyQuerySet:
        """The studies the trend and weight charts summarise: those of the statistics' population."""
        return self.studies.filter(population_condition(population_band(self.filters)))

    @cached_property
    def stats(self) -> DrlStatistics | None:
        """drl_statistics with the API's arguments (registry levels from every site); None without an exam."""
        if self.spec.exam is None:
            return None
        return drl_statistics(
            self.studies,
            exam=self.spec.exam,
            metric=self.spec.metric,
            modality=self.spec.modality,
            group_by=self.spec.group_by,
            local_sites=visible_sites(self.user),
            registry_studies=registry_scope(self.filters).apply(Study.objects.all()),
            scope_codes=selection_codes(visible_sites(self.user), self.filters),
            population=population_band(self.filters),
        )

    @cached_property
    def labels(self) -> dict[tuple[str, int | None], str]:
        """The groups' names by (site, device), each once (group_labels)."""
        return group_labels(self.stats.groups) if self.stats else {}

    @property
    def lines(self) -> list[ReferenceLine]:
        return reference_lines(self.stats, self.spec.published) if self.stats else []


def chosen_published(stats: DrlStatistics, level_id: int | None) -> PublishedLevel | None:
    """The published DRL to draw: the one asked for, else the first current P75 (published before local)."""
    drls = [level for level in stats.published if level.role == "drl"]
    chosen = [level for level in drls if level.id == level_id] or drls
    return chosen[0] if chosen else None


def reference_lines(stats: DrlStatistics, published_id: int | None) -> list[ReferenceLine]:
    """The registry DRL (its label with its 95 % interval) and typical value, and one published DRL."""
    unit, lines = stats.metric.display_unit, []
    if (value := stats.registry.drl_display) is not None:
        detail = f"Registry DRL {value:.4g} {unit} ({interval_text(stats)})"
        lines.append(
            ReferenceLine("registry DRL", f"Registry DRL {value:.4g}", value, "dash", ABOVE, "y", detail)
        )
    if (value := stats.registry.typical_display) is not None:
        detail = f"Typical value {value:.4g} {unit}"
        lines.append(ReferenceLine("typical", f"Typical {value:.4g}", value, "dot", "#555555", "y", detail))
    level = chosen_published(stats, published_id)
    if level is not None:
        marked = " (unverified)" if level.unverified else ""
        issuer = f"{level.issuer} {level.year}" if level.year else level.issuer
        label = f"{issuer} DRL {level.value_display:.4g}{marked}"
        detail = f"{level.source}: DRL {level.value_display:.4g} {unit}{marked}"
        lines.append(
            ReferenceLine("published DRL", label, level.value_display, "dashdot", "#27ae60", "y", detail)
        )
    return lines


def why_empty(source: ChartSource, needs: str) -> str:
    """Why an exam's chart has nothing to draw, read from the data (a query or three, only when empty):
    no studies at all under the filters, none mapped to the exam, or none with what the chart `needs`."""
    exam, studies = source.spec.exam, source.studies
    if exam is None:
        return f"No {source.spec.modality} studies are mapped to a standard exam"
    if source.patients.filter(standard_exam=exam).exists():
        return f"No {exam.name} studies with {needs} for these filters"
    if studies.filter(standard_exam=exam).exists():
        return f"No {exam.name} studies of patients {population_band(source.filters).label.lower()}"
    if studies.exists():
        return f"No studies mapped to this exam ({exam.name}) for these filters"
    return nothing_selected(source.filters)


def nothing_selected(filters: DoseFilters) -> str:
    """The selection held no study at all: say which part of it, the date range first."""
    narrowed = {name for name, value in vars(filters).items() if value is not None} - {"modality", "exam"}
    if narrowed & {"date_from", "date_to"}:
        rest = " for these filters" if narrowed - {"date_from", "date_to"} else ""
        return f"No studies in this date range{rest}"
    if narrowed:
        return "No studies for these filters"
    return f"No {filters.modality} studies yet" if filters.modality else "No studies yet"


def axis_title(metric: Metric) -> str:  # the unit in every axis title
    return f"{metric.label} ({metric.display_unit})"


def chart_title(source: ChartSource, what: str) -> str:
    exam = source.spec.exam.name if source.spec.exam else "no exam"
    return f"{what}: {exam}, {source.spec.metric.label}"


def group_label(row: GroupRow, *, with_id: bool = False) -> str:
    """A bar's name: the site, or the device's name and its site (and its id, `with_id`)."""
    if row.device is None:
        return row.site
    return f"{row.device_name or row.device} ({row.site}{f', device {row.device}' if with_id else ''})"


def group_labels(rows: Sequence[GroupRow]) -> dict[tuple[str, int | None], str]:
    """Every group's name by (site, device); devices of a site that share a name (two scanners of one
    model, neither renamed) are told apart by their ids, so no two bars take the same place."""
    counts = Counter(group_label(row) for row in rows)
    return {(row.site, row.device): group_label(row, with_id=counts[group_label(row)] > 1) for row in rows}


def studies_link(source: ChartSource, row: GroupRow) -> str:
    """The studies and values behind a bar: the list page with the chart's filters, exam, metric and group.

    The metric makes the list show the values the bar's n counts (a per-sequence metric counts events, not
    studies); `group_by=device` makes it count only the device's own values, as the device's bar does.
    """
    params = replace(source.filters, exam=source.spec.exam.pk if source.spec.exam else None).as_params()
    params["metric"] = source.spec.metric.key
    params["site"] = row.site
    if row.device is not None:
        params["device"] = str(row.device)
        params["group_by"] = "device"
    return f"{reverse('studies')}?{urlencode(params)}"


def interval_text(stats: DrlStatistics) -> str:
    """The registry DRL's 95 % interval in words; with few groups the upper bound is open (intervals.py)."""
    low, high = stats.registry.drl_interval_display.low, stats.registry.drl_interval_display.high
    counted = f"{stats.registry.sites_counted} {stats.group_by}s"
    if low is not None and high is not None:
        return f"95 % CI {low:.4g} to {high:.4g}"
    if low is not None:
        return f"95 % CI from {low:.4g}, upper bound open with {counted}"
    return f"no 95 % CI with {counted}"
