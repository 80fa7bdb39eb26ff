"""Dose statistics per acquisition protocol: counted irradiation events grouped by their protocol name, and
the histogram, monthly medians and patient-size rows of one protocol (or exam) over the same values.

A standard exam is a study's name; a protocol is what the device ran for each event (CT Acquisition
Protocol, TID 10013; the projection Acquisition Protocol, TID 10003), so these statistics show which
scanner protocol gives which dose. Which events count is written once per modality (`ProtocolMetrics.events`;
for CT it is registry.models.CTDIVOL_COUNTS, the CTDIvol rule: no localizer), every column and chart of
a modality counts the same events, and the values come from registry.statistics.values.metric_rows (patients
only, no null values), like the DRL statistics. Every read is one query whatever the number of studies.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, F, FloatField, Max, Min, Q, Value
from django.db.models.expressions import Combinable, ExpressionWrapper
from django.db.models.functions import Floor, NullIf, TruncMonth

from registry.models import IrradiationEvent
from registry.models.studies import StudyQuerySet
from registry.statistics.aggregates import Median, PercentileCont
from registry.statistics.drl import Summary
from registry.statistics.metrics import METRICS, Metric, metrics_for
from registry.statistics.values import Rows, metric_rows

HISTOGRAM_BINS = 20  # about this many bins between the lowest and the highest value
NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)  # bin widths are one of these times a power of ten
EDGE_NUDGE = 1e-9  # in bin widths


@dataclass(frozen=True)
class ProtocolMetrics:
    """A modality's per-event metrics, and the one rule of which of its events count for all of them."""

    modality: str
    events: Q  # the events that count, on IrradiationEvent
    counted: str  # the same rule in words, for the page
    metrics: tuple[Metric, ...]


def _event_metric(key: str, label: str, column: str, events: Q, **units: Any) -> Metric:
    """A per-event metric (the registry's METRICS are per exam, but for CTDIvol and AGD per view)."""
    value = lambda: F(column)  # noqa: E731
    return Metric(key, label, value=value, level="event", scope="per_sequence", events=events, **units)


CT_EVENTS = METRICS["ctdivol"].events  # registry.models.CTDIVOL_COUNTS: not a localizer, a CTDIvol reported
DAP_STATED = Q(dap_gym2__isnull=False)
AGD_STATED = Q(agd_mgy__isnull=False)
PROJECTION = ("RF", "DX")
GY_CM2 = {"modalities": PROJECTION, "unit": "Gy.m2", "display_unit": "Gy·cm²", "display_factor": 1e4}
MGY_FROM_GY = {"modalities": PROJECTION, "unit": "Gy", "display_unit": "mGy", "display_factor": 1e3}


def _projection(modality: str, what: str) -> ProtocolMetrics:
    dap = _event_metric("dap_event", "DAP (KAP) per event", "dap_gym2", DAP_STATED, **GY_CM2)
    kerma = _event_metric("dose_rp_event", "Ka,r per event", "dose_rp_gy", DAP_STATED, **MGY_FROM_GY)
    counted = f"{what} (irradiation events) that report a DAP"
    return ProtocolMetrics(modality, DAP_STATED, counted, (dap, kerma))


PROTOCOL_METRICS: dict[str, ProtocolMetrics] = {
    "CT": ProtocolMetrics(
        "CT",
        CT_EVENTS,
        "CT events except localizers (CT Acquisition Type Constant Angle, 113805) that report a CTDIvol",
        (
            METRICS["ctdivol"],
            _event_metric(
                "dlp_event",
                "DLP per sequence",
                "dlp_mgycm",
                CT_EVENTS,
                modalities=("CT",),
                unit="mGy.cm",
                display_unit="mGy·cm",
                display_factor=1.0,
            ),
        ),
    ),
    "DX": _projection("DX", "radiography exposures"),
    "RF": _projection("RF", "fluoroscopy runs and acquisitions"),
    "MG": ProtocolMetrics(
        "MG", AGD_STATED, "mammography views (irradiation events) that report an AGD", (METRICS["agd_view"],)
    ),
}


def chart_metrics(modality: str) -> list[Metric]:
    """What a histogram or size chart can show: the per-event metrics, then the registry's per-exam ones."""
    per_exam = [metric for metric in metrics_for(modality) if metric.level == "study"]
    return [*PROTOCOL_METRICS[modality].metrics, *per_exam]


def protocol_rows(
    studies: StudyQuerySet, metric: Metric, modality: str, protocol: str | None = None
) -> tuple[Rows, str]:
    """metric_rows narrowed to the modality's counted events (of `protocol`), and the path to the study.

    A per-exam metric keeps one value per study; with a protocol, the studies that have a counted event of it.
    """
    counted = PROTOCOL_METRICS[modality].events
    rows, to_study = metric_rows(studies, metric)
    if to_study:
        rows = rows.filter(counted, modality=modality)
        return (rows.filter(protocol=protocol) if protocol is not None else rows), to_study
    if protocol is not None:
        events = IrradiationEvent.objects.filter(counted, modality=modality, protocol=protocol)
        rows = rows.filter(pk__in=events.values("study_id"))
    return rows, to_study


def _site(to_study: str) -> str:
    # registry.statistics.drl.grouped_summaries: an event's site is its device's.
    return "device__site" if to_study else "site"


@dataclass(frozen=True)
class Population:
    """What a statistic or chart counts: values (events, or studies for a per-exam metric), studies, sites."""

    values: int
    studies: int
    sites: int


def population(rows: Rows, to_study: str) -> Population:
    """Values, distinct studies and distinct sites of `rows` (one aggregate query)."""
    counts = rows.aggregate(
        values=Count("pk"),
        studies=Count(f"{to_study}pk", distinct=True),
        sites=Count(_site(to_study), distinct=True),
    )
    return Population(counts["values"], counts["studies"], counts["sites"])


@dataclass(frozen=True)
class ProtocolRow:
    """One protocol: the studies and sites of its counted events, and each metric's summary (display unit)."""

    protocol: str  # as stored; "" when the device stated none
    events: int  # counted events (the first metric's n)
    studies: int
    sites: int
    summaries: dict[str, Summary | None]  # by metric key; None when no counted event states the metric


@dataclass(frozen=True)
class ProtocolTable:
    modality: ProtocolMetrics
    rows: list[ProtocolRow]  # busiest first (events of the first metric), then by name
    population: Population  # of the first metric: every counted event


def protocol_table(studies: StudyQuerySet, modality: str) -> ProtocolTable:
    """Per protocol: n, median, P25, P75, mean, min and max of each per-event metric (one GROUP BY each)."""
    spec = PROTOCOL_METRICS[modality]
    grouped = {metric.key: _grouped(studies, metric, modality) for metric in spec.metrics}
    first = grouped[spec.metrics[0].key]
    rows = [
        ProtocolRow(
            protocol,
            row["n"],
            row["studies"],
            row["sites"],
            {metric.key: _summary(grouped[metric.key].get(protocol), metric) for metric in spec.metrics},
        )
        for protocol, row in first.items()
    ]
    rows.sort(key=lambda row: (-row.events, row.protocol))
    return ProtocolTable(spec, rows, population(*protocol_rows(studies, spec.metrics[0], modality)))


def _grouped(studies: StudyQuerySet, metric: Metric, modality: str) -> dict[str, dict[str, Any]]:
    rows, to_study = protocol_rows(studies, metric, modality)
    value = F("metric_value")
    summaries = rows.values("protocol").annotate(
        n=Count(value),
        studies=Count(f"{to_study}pk", distinct=True),
        sites=Count(_site(to_study), distinct=True),
        median=Median(value),
        p25=PercentileCont(value, 0.25),
        p75=PercentileCont(value, 0.75),
        mean=Avg(value),
        minimum=Min(value),
        maximum=Max(value),
    )
    return {row["protocol"]: row for row in summaries.order_by("protocol")}


def _summary(row: dict[str, Any] | None, metric: Metric) -> Summary | None:
    if row is None:
        return None
    names = ("median", "p25", "p75", "mean", "minimum", "maximum")
    return Summary(row["n"], *(row[name] for name in names)).scaled(metric.display_factor)


def busiest_protocols(studies: StudyQuerySet, modality: str, limit: int) -> list[str]:
    """The `limit` protocols with the most counted events (one GROUP BY)."""
    rows, _ = protocol_rows(studies, PROTOCOL_METRICS[modality].metrics[0], modality)
    ordered = rows.values("protocol").annotate(n=Count("pk")).order_by("-n", "protocol")
    return [row["protocol"] for row in ordered[:limit]]


def dated_rows(
    studies: StudyQuerySet, metric: Metric, modality: str, protocols: Sequence[str]
) -> tuple[Rows, str]:
    """protocol_rows of a per-event metric in `protocols` whose study has a date (what a timeline counts)."""
    rows, to_study = protocol_rows(studies, metric, modality)
    return rows.filter(protocol__in=protocols, **{f"{to_study}study_date__isnull": False}), to_study


def monthly_protocol_medians(rows: Rows, to_study: str) -> list[dict[str, Any]]:
    """Per protocol and calendar month of the study date: n and the median of dated_rows (one GROUP BY)."""
    return list(
        rows.values("protocol", month=TruncMonth(f"{to_study}study_date"))
        .annotate(n=Count("metric_value"), median=Median("metric_value"))
        .order_by("protocol", "month")
    )


@dataclass(frozen=True)
class Histogram:
    """Counts of values in bins [start + i·width, start + (i + 1)·width), in the metric's display unit."""

    metric: Metric
    population: Population
    start: float
    width: float
    counts: list[int]

    @property
    def edges(self) -> list[float]:
        return [_tidy(self.start + index * self.width) for index in range(len(self.counts) + 1)]


def nice_width(low: float, high: float, bins: int = HISTOGRAM_BINS) -> float:
    """The smallest 1, 2, 2.5 or 5 x 10^k of at least (high - low) / bins (all equal: a tenth of one)."""
    span = (high - low) / bins if high > low else abs(high) / 10 or 1.0
    power = 10.0 ** math.floor(math.log10(span))
    return _tidy(next(step * power for step in NICE_STEPS if step * power >= span * (1 - 1e-9)))


def _tidy(value: float) -> float:
    """Float noise off an edge (0.30000000000000004 -> 0.3)."""
    return float(f"{value:.12g}")


def histogram(rows: Rows, to_study: str, metric: Metric) -> Histogram:
    """The values of `rows` (protocol_rows) in about HISTOGRAM_BINS bins of a round width (two queries)."""
    counts = rows.aggregate(
        values=Count("pk"),
        studies=Count(f"{to_study}pk", distinct=True),
        sites=Count(_site(to_study), distinct=True),
        low=Min("metric_value"),
        high=Max("metric_value"),
    )
    counted = Population(counts["values"], counts["studies"], counts["sites"])
    if not counted.values:
        return Histogram(metric, counted, 0.0, 1.0, [])
    low, high = metric.to_display(counts["low"]) or 0.0, metric.to_display(counts["high"]) or 0.0
    width = nice_width(low, high)
    start = _tidy(math.floor(low / width) * width)
    shown = ExpressionWrapper(F("metric_value") * Value(metric.display_factor), output_field=FloatField())
    # A value on an edge belongs to the bin above it; the nudge keeps float noise in the display
    # conversion (3e-4 Gy·m2 * 1e4 = 2.9999999999999996 Gy·cm²) from moving it to the bin below.
    index = Floor((shown - Value(start)) / Value(width) + Value(EDGE_NUDGE))
    bins = rows.annotate(bin=index).values("bin").annotate(n=Count("pk")).order_by("bin")
    tally = {int(row["bin"]): row["n"] for row in bins}
    size = max(tally) + 1
    return Histogram(metric, counted, start, width, [tally.get(number, 0) for number in range(size)])


@dataclass(frozen=True)
class Size:
    """A patient size quantity on Study, in its display unit; a stated 0 is no size (an unknown weight)."""

    key: str
    label: str
    unit: str
    stated: str  # what a study must state to have it, in words
    expression: Callable[[str], Combinable]  # the path to the study ("" or "study__") in, the value out


def _positive(column: str) -> Callable[[str], Combinable]:
    return lambda to_study: NullIf(F(f"{to_study}{column}"), Value(0.0))


def _bmi(to_study: str) -> Combinable:
    weight, height = _positive("patient_weight_kg")(to_study), _positive("patient_height_m")(to_study)
    return ExpressionWrapper(weight / (height * height), output_field=FloatField())


def _height_cm(to_study: str) -> Combinable:
    height = _positive("patient_height_m")(to_study)
    return ExpressionWrapper(height * Value(100.0), output_field=FloatField())


# The sizes the registry stores: weight and height (Patient's Weight and Size of the report's study).
# Water-equivalent diameter is not read from dose reports, so it is not offered
# (docs/statistics-protocols.md).
SIZES: dict[str, Size] = {
    size.key: size
    for size in (
        Size("weight", "Patient weight", "kg", "a weight", _positive("patient_weight_kg")),
        Size("height", "Patient height", "cm", "a height", _height_cm),
        Size("bmi", "Body mass index", "kg/m²", "a weight and a height", _bmi),
    )
}


@dataclass(frozen=True)
class SizedRows:
    """The rows with a size (annotated `size`, `site_code`, `study_pk`) and who is left out without one."""

    size: Size
    all: Population
    sized: Population
    rows: Rows

    @property
    def studies_without(self) -> int:
        return self.all.studies - self.sized.studies

    @property
    def values_without(self) -> int:
        return self.all.values - self.sized.values


def sized_rows(rows: Rows, to_study: str, size: Size) -> SizedRows:
    """`rows` with the patient's size; the counts with and without it in one aggregate query."""
    rows = rows.annotate(
        size=size.expression(to_study), site_code=F(f"{_site(to_study)}__code"), study_pk=F(f"{to_study}pk")
    )
    known = Q(size__isnull=False)
    counts = rows.aggregate(
        values=Count("pk"),
        studies=Count("study_pk", distinct=True),
        sized_values=Count("pk", filter=known),
        sized_studies=Count("study_pk", distinct=True, filter=known),
        sized_sites=Count("site_code", distinct=True, filter=known),
        sites=Count("site_code", distinct=True),
    )
    every = Population(counts["values"], counts["studies"], counts["sites"])
    sized = Population(counts["sized_values"], counts["sized_studies"], counts["sized_sites"])
    return SizedRows(size, every, sized, rows.filter(known))
