"""Quality-control scans: why a study is not a patient, and the site's lists that say so at ingest.

A phantom or constancy exposure counted as a patient would move medians, DRLs and workload counts that a
physicist signs. A study is flagged by its own text (registry.quality.detection), by a QA patient ID on
its site's list, by a device a physicist marked QA-only, or by a physicist directly; the lists live here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from registry.models.devices import Device
from registry.models.sites import Site


class QASource(models.TextChoices):
    """What decided a study's QA flag. Rules decide again on every report; a physicist's decision stays."""

    TEXT = "text", "Description or protocol"
    PATIENT = "patient", "QA patient ID"
    DEVICE = "device", "QA-only device"
    PHYSICIST = "physicist", "Physicist"


class QAPatient(models.Model):
    """A patient ID a site uses for phantoms and tests, kept only as its keyed pseudonym.

    The pseudonym is the one ingest stores as Study.patient_pseudonym (registry.models.pseudonyms), so a
    study matches by equality and the raw ID is never written anywhere.
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="qa_patients")
    patient_pseudonym = models.CharField(max_length=64)
    label = models.CharField(
        max_length=100, help_text="What the ID is used for, e.g. “CTDI head phantom”; never the ID itself."
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "patient_pseudonym"], name="qa_patient_unique_per_site")
        ]
        ordering = ["site", "label"]
        verbose_name = "QA patient ID"

    def __str__(self) -> str:
        return f"{self.site.code} QA patient {self.label}"


class QADevice(models.Model):
    """A device a physicist marked QA-only (a test bench, a unit for phantom work): its studies are QA."""

    device = models.OneToOneField(Device, on_delete=models.CASCADE, related_name="qa_only")
    reason = models.CharField(max_length=300)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "QA-only device"

    def __str__(self) -> str:
        return f"{self.device} (QA only)"
