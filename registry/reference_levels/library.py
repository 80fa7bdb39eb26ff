"""Reference levels: read the published levels from CSV, load them, add local DRLs, revise any as a version.

A level is never changed in place (ICRP 135 comparisons must stay reproducible): a change adds a version
that supersedes the current one, in one transaction with its audit row (the zulip action pattern).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField
from django.utils import timezone

from registry.models import (
    LevelKind,
    LevelStatus,
    Modality,
    ReferenceLevel,
    Scope,
    Site,
    StandardExam,
    actor_user,
    audit_record,
)
from registry.statistics.metrics import METRICS, SOURCE_UNITS, Metric, to_canonical


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# The CSV columns, as the README of the published levels lists them.
DRL_COLUMNS = _words(
    "issuer document year region modality exam indication patient_group metric unit scope statistic value "
    "phantom status"
)
THRESHOLD_COLUMNS = _words("issuer document year modality name metric unit scope value status")
TEXT_COLUMNS = _words("issuer document region indication patient_group statistic phantom note")

# What makes two rows the same level; a change to anything else (value, status) is a new version of it.
IDENTITY = _words(
    "issuer document year modality exam name indication patient_group metric scope statistic phantom"
)

# A source metric name and scope → the registry metric; CTDIvol is the one name with two scopes.
SOURCE_METRICS: dict[tuple[str, str], str] = {
    **{(key, metric.scope): key for key, metric in METRICS.items()},
    ("ctdivol", "per_exam"): "ctdivol_exam",
}
# Published quantities the registry cannot compute: skipped, named in the summary, so every stored level's
# metric is a key of METRICS (comparisons, charts and this library's page rely on that).
UNCOMPUTED_METRICS = {
    "peak_skin_dose": "peak skin dose is not a registry metric (dose reports do not state it reliably)",
}
PUBLISHED_STATUSES = (LevelStatus.VERIFIED.value, LevelStatus.UNVERIFIED.value)
CHOICES: dict[str, Sequence[str]] = {
    "modality": Modality.values,
    "scope": Scope.values,
    "status": PUBLISHED_STATUSES,
}
MAX_LENGTHS: dict[str, int] = {
    **{
        f.name: f.max_length
        for f in ReferenceLevel._meta.concrete_fields
        if isinstance(f, CharField) and f.max_length
    },
    "exam": StandardExam._meta.get_field("name").max_length or 120,
}


class SourceError(ValueError):
    """A reference-level file that cannot be loaded; the message names the file, line and column."""


Fail = Callable[[str, str], SourceError]


@dataclass(frozen=True)
class LevelRow:
    """One checked source row: ReferenceLevel field values in canonical units, the exam by name."""

    where: str  # "drl.csv line 3", for messages
    fields: Mapping[str, Any]
    skip: str = ""  # why the row is not loaded, if it is not


@dataclass
class LoadSummary:
    created: int = 0
    revised: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)


# Reading


def reference_level_rows(path: Path) -> list[LevelRow]:
    """Every row of a drl.csv- or thresholds.csv-shaped file (told apart by its exam or name column).

    Everything is checked before anything is loaded, so a bad file loads nothing.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(f"{path.name}: cannot be read as UTF-8 text ({error})") from None
    with io.StringIO(text, newline="") as handle:
        reader = csv.DictReader(handle)
        header = [column.strip() for column in reader.fieldnames or []]
        reader.fieldnames = header
        kind = LevelKind.DRL if "exam" in header else LevelKind.THRESHOLD
        required = DRL_COLUMNS if kind == LevelKind.DRL else THRESHOLD_COLUMNS
        missing = [column for column in required if column not in header]
        if missing:
            raise SourceError(f"{path.name} line 1: missing column(s): {', '.join(missing)}")
        rows = [_row(record, kind, f"{path.name} line {reader.line_num}") for record in reader]
    _refuse_duplicates(rows)
    return rows


def _row(record: Mapping[str | None, Any], kind: str, where: str) -> LevelRow:
    def fail(column: str, problem: str) -> SourceError:
        return SourceError(f"{where}, column '{column}': {problem}")

    if None in record:
        raise SourceError(f"{where}: more fields than the header has columns")
    fields: dict[str, Any] = {column: _text(record, column, fail) for column in (*TEXT_COLUMNS, *CHOICES)}
    fields.update(kind=kind, exam=_text(record, "exam", fail), name=_text(record, "name", fail))
    for column, choices in CHOICES.items():
        if fields[column] not in choices:
            raise fail(column, f"{fields[column]!r} is not one of {', '.join(choices)}")
    subject = "exam" if kind == LevelKind.DRL else "name"
    if not fields[subject]:
        raise fail(subject, "empty")
    fields["year"] = _year(_text(record, "year", fail), fail)
    value = _number(_text(record, "value", fail), fail)
    name, unit = _text(record, "metric", fail), _text(record, "unit", fail)
    if name in UNCOMPUTED_METRICS:
        return LevelRow(where, {**fields, "metric": name, "value": value}, skip=UNCOMPUTED_METRICS[name])
    metric = _metric(name, fields["scope"], fields["modality"], fail)
    if (unit, metric.unit) not in SOURCE_UNITS:
        known = sorted(source for source, canonical in SOURCE_UNITS if canonical == metric.unit)
        raise fail("unit", f"unknown unit {unit!r} for {metric.key} (known: {', '.join(known)})")
    fields.update(
        metric=metric.key, unit=metric.unit, source_unit=unit, value=to_canonical(value, unit, metric)
    )
    return LevelRow(where, fields)


def _text(record: Mapping[str | None, Any], column: str, fail: Fail) -> str:
    value = str(record.get(column) or "").strip()
    if column in MAX_LENGTHS and len(value) > MAX_LENGTHS[column]:
        raise fail(column, f"longer than {MAX_LENGTHS[column]} characters")
    return value


def _metric(name: str, scope: str, modality: str, fail: Fail) -> Metric:
    key = SOURCE_METRICS.get((name, scope))
    if key is None:
        known = sorted({source for source, _ in SOURCE_METRICS} | set(UNCOMPUTED_METRICS))
        raise fail("metric", f"no registry metric for {name!r} {scope} (known: {', '.join(known)})")
    if modality not in METRICS[key].modalities:
        raise fail("metric", f"{key} does not apply to {modality}")
    return METRICS[key]


def _number(raw: str, fail: Fail) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise fail("value", f"not a number: {raw!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise fail("value", f"not a positive number: {raw!r}")
    return value


def _year(raw: str, fail: Fail) -> int | None:
    if not raw:
        return None
    if not raw.isdigit() or not 1900 <= int(raw) <= 2100:
        raise fail("year", f"not a year: {raw!r}")
    return int(raw)


def _refuse_duplicates(rows: list[LevelRow]) -> None:
    """Two rows with one identity would load as two versions of one level: refuse the file instead."""
    seen: dict[tuple[Any, ...], str] = {}
    for row in rows:
        identity = tuple(row.fields[column] for column in IDENTITY)
        if identity in seen:
            raise SourceError(f"{row.where}: the same level as {seen[identity]} (same {', '.join(IDENTITY)})")
        seen[identity] = row.where


# Writing


def reference_levels_load(
    *, rows: Iterable[LevelRow], actor: Any, progress: Callable[[], object] | None = None
) -> LoadSummary:
    """Load published levels in one transaction: new ones created, changed ones versioned, the rest left.

    Unchanged means the same value and status; a level verified in Kerma stays verified while the source
    still says unverified for the same value (the check of that number stands).
    """
    summary = LoadSummary()
    exams: dict[tuple[str, str], StandardExam] = {}
    with transaction.atomic():
        for row in rows:
            if row.skip:
                summary.skipped.append(f"{row.where} ({row.fields['metric']}): {row.skip}")
            else:
                outcome = _load_row(row, actor=actor, exams=exams)
                setattr(summary, outcome, getattr(summary, outcome) + 1)
            if progress is not None:
                progress()
    return summary


def _load_row(row: LevelRow, *, actor: Any, exams: dict[tuple[str, str], StandardExam]) -> str:
    fields = dict(row.fields)
    exam_name = fields.pop("exam")
    exam = _exam(fields["modality"], exam_name, exams) if exam_name else None
    identity = {column: fields[column] for column in IDENTITY if column != "exam"}
    current = (
        ReferenceLevel.objects.current()
        .select_for_update(of=("self",))
        .filter(site=None, exam=exam, **identity)
        .first()
    )
    detail = {"source": row.where}
    if current is None:
        level = ReferenceLevel.objects.create(exam=exam, created_by=actor_user(actor), **fields)
        audit_record(
            actor=actor, action="reference_level.created", obj=level, after=snapshot(level), detail=detail
        )
        return "created"
    same_status = fields["status"] == current.status or (
        current.status == LevelStatus.VERIFIED and fields["status"] == LevelStatus.UNVERIFIED
    )
    if math.isclose(current.value, fields["value"], rel_tol=1e-9) and same_status:
        return "unchanged"
    changes = {
        column: fields[column] for column in ("value", "status", "unit", "source_unit", "region", "note")
    }
    _supersede(current, actor=actor, changes=changes, detail=detail)
    return "revised"


def _exam(modality: str, name: str, exams: dict[tuple[str, str], StandardExam]) -> StandardExam:
    """The standard exam of that name (any case), created if the catalogue does not have it yet."""
    if (modality, name) not in exams:
        found = StandardExam.objects.filter(modality=modality, name__iexact=name).first()
        exams[modality, name] = found or StandardExam.objects.create(modality=modality, name=name)
    return exams[modality, name]


def reference_level_create(
    *,
    actor: Any,
    site: Site,
    exam: StandardExam,
    metric: str,
    value: float,
    statistic: str = "P75",
    note: str = "",
    patient_group: str = "adult",
) -> ReferenceLevel:
    """Add a site's local DRL; `value` is in the metric's canonical unit. Callers check the actor's role."""
    spec = METRICS[metric]
    if exam.modality not in spec.modalities:
        raise ValidationError(f"{spec.label} does not apply to {exam.get_modality_display()} examinations.")
    _check_value(value)
    with transaction.atomic():
        existing = ReferenceLevel.objects.current().filter(
            site=site, exam=exam, metric=metric, statistic=statistic, patient_group=patient_group
        )
        if existing.exists():
            raise ValidationError(
                f"{site.code} already has a local {statistic} for {exam.name}: revise that one."
            )
        level = ReferenceLevel.objects.create(
            kind=LevelKind.DRL,
            issuer=site.name[:120],
            document="Local DRL",
            year=timezone.now().year,
            region=site.country,
            modality=exam.modality,
            exam=exam,
            patient_group=patient_group,
            metric=metric,
            unit=spec.unit,
            source_unit=spec.unit,
            scope=spec.scope,
            statistic=statistic,
            value=value,
            status=LevelStatus.LOCAL,
            note=note,
            site=site,
            created_by=actor_user(actor),
        )
        audit_record(
            actor=actor, action="reference_level.created", obj=level, after=snapshot(level), site=site
        )
    return level


def reference_level_revise(
    *,
    actor: Any,
    level: ReferenceLevel,
    value: float | None = None,
    status: str | None = None,
    note: str | None = None,
) -> ReferenceLevel:
    """A new version of the current `level` with the given changes; the old one stays, superseded."""
    changes = {
        key: new for key, new in (("value", value), ("status", status), ("note", note)) if new is not None
    }
    if value is not None:
        _check_value(value)
    with transaction.atomic():
        current = ReferenceLevel.objects.select_for_update().get(pk=level.pk)
        newer = ReferenceLevel.objects.filter(supersedes=current).first()
        if newer is not None:
            raise ValidationError(
                f"Version {current.version} was revised already: revise version {newer.version}."
            )
        allowed = (LevelStatus.LOCAL.value,) if current.site_id else PUBLISHED_STATUSES
        if status is not None and status not in allowed:
            raise ValidationError(f"The status of this level can be {' or '.join(allowed)}, not {status}.")
        if all(getattr(current, key) == new for key, new in changes.items()):
            raise ValidationError("The revision changes nothing.")
        return _supersede(current, actor=actor, changes=changes)


def _supersede(
    current: ReferenceLevel, *, actor: Any, changes: Mapping[str, Any], detail: dict[str, Any] | None = None
) -> ReferenceLevel:
    """Copy `current` with `changes` as its next version, and audit the before and after."""
    copied = {
        f.attname: getattr(current, f.attname)
        for f in ReferenceLevel._meta.concrete_fields
        if not f.primary_key
    }
    # created_by_id, not created_by: a copied created_by_id would override the keyword (set after it).
    copied.update(changes, version=current.version + 1, supersedes_id=current.pk)
    copied.update(created_at=timezone.now(), created_by_id=getattr(actor_user(actor), "pk", None))
    level = ReferenceLevel.objects.create(**copied)
    audit_record(
        actor=actor,
        action="reference_level.revised",
        obj=level,
        before=snapshot(current),
        after=snapshot(level),
        site=level.site,
        detail=detail,
    )
    return level


def _check_value(value: float) -> None:
    if not math.isfinite(value) or value <= 0:
        raise ValidationError("A reference level is a positive number.")


def snapshot(level: ReferenceLevel) -> dict[str, Any]:
    """What an audit row keeps of a level: its identity and everything a version can change."""
    return {
        "version": level.version,
        "issuer": level.issuer,
        "document": level.document,
        "year": level.year,
        "modality": level.modality,
        "exam": level.exam.name if level.exam is not None else "",
        "name": level.name,
        "patient_group": level.patient_group,
        "metric": level.metric,
        "scope": level.scope,
        "statistic": level.statistic,
        "value": level.value,
        "unit": level.unit,
        "source_unit": level.source_unit,
        "status": level.status,
        "note": level.note,
        "site": level.site.code if level.site is not None else "",
    }
