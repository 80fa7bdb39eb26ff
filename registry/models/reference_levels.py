"""Reference levels: published and local DRLs, typical values and follow-up thresholds, versioned.

Values are stored in the dose-report contract's canonical units (the metric says which); a change never
overwrites a level: it adds a version that supersedes the previous one, so past comparisons stay auditable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from registry.models.exams import StandardExam
from registry.models.sites import Site
from registry.models.studies import Modality


class LevelKind(models.TextChoices):
    DRL = "drl", "Diagnostic reference level"
    THRESHOLD = "threshold", "Follow-up / notification threshold"


class LevelStatus(models.TextChoices):
    VERIFIED = "verified", "Verified against the publication"
    UNVERIFIED = "unverified", "Not yet verified"
    LOCAL = "local", "Local level"


class Scope(models.TextChoices):
    PER_EXAM = "per_exam", "Per examination"
    PER_SEQUENCE = "per_sequence", "Per sequence / irradiation event"


class ReferenceLevelQuerySet(models.QuerySet["ReferenceLevel"]):
    def current(self) -> ReferenceLevelQuerySet:
        """Only the latest version of each level."""
        return self.filter(superseded_by__isnull=True)


class ReferenceLevel(models.Model):
    """One published or local level for an exam (or a modality, for thresholds) and a metric."""

    kind = models.CharField(max_length=10, choices=LevelKind.choices, default=LevelKind.DRL)
    issuer = models.CharField(max_length=120)
    document = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    region = models.CharField(max_length=40, blank=True)
    modality = models.CharField(max_length=2, choices=Modality.choices)
    exam = models.ForeignKey(
        StandardExam, on_delete=models.PROTECT, null=True, blank=True, related_name="reference_levels"
    )
    name = models.CharField(max_length=200, blank=True, help_text="The level's own name (thresholds).")
    indication = models.CharField(max_length=200, blank=True)
    patient_group = models.CharField(max_length=60, blank=True, default="adult")
    metric = models.CharField(
        max_length=40, help_text="A key of registry.statistics.metrics, e.g. dlp, ctdivol, dap."
    )
    unit = models.CharField(max_length=20, help_text="Canonical unit of the stored value.")
    source_unit = models.CharField(max_length=20, blank=True, help_text="The unit the source states.")
    scope = models.CharField(max_length=12, choices=Scope.choices, default=Scope.PER_EXAM)
    statistic = models.CharField(max_length=8, blank=True, help_text="P75 = DRL, P50 = typical value.")
    value = models.FloatField()
    phantom = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=10, choices=LevelStatus.choices, default=LevelStatus.UNVERIFIED)
    note = models.CharField(max_length=300, blank=True)
    site = models.ForeignKey(
        Site,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reference_levels",
        help_text="Set for a site's local DRL; empty for published levels.",
    )
    version = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReferenceLevelQuerySet.as_manager()

    class Meta:
        ordering = ["modality", "exam", "metric", "issuer", "-version"]
        indexes = [models.Index(fields=["modality", "metric"], name="reflevel_modality_metric")]

    def __str__(self) -> str:
        subject = self.exam.name if self.exam is not None else self.name
        value = f"{self.metric} {self.value:g} {self.unit}"
        return f"{self.issuer} {self.year or ''} {self.modality} {subject}: {value}"
