"""Standard examinations and the rules that map hospitals' free-text names onto them.

Sites name the same examination many ways ("CT HEAD ROUTINE", "Head^Routine (Adult)"); DRL comparisons
need one name. Rules match a text field of a study (or of its events, for CT acquisition protocols), per
site or for every site, in priority order; the first matching rule sets the study's standard exam.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from registry.models.sites import Site
from registry.models.studies import Modality


class ExternalCodeSystem(models.TextChoices):
    RADLEX = "RPID", "RadLex Playbook (RPID)"
    LOINC = "LOINC", "LOINC"
    OTHER = "OTHER", "Other"


class StandardExam(models.Model):
    """One examination type the registry compares across sites (ICRP 135: a 'standard examination')."""

    modality = models.CharField(max_length=2, choices=Modality.choices)
    name = models.CharField(max_length=120)
    code_system = models.CharField(max_length=8, choices=ExternalCodeSystem.choices, blank=True)
    code = models.CharField(max_length=40, blank=True, help_text="RadLex RPID or LOINC code, if any.")
    description = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["modality", "name"], name="exam_unique_per_modality")]
        ordering = ["modality", "name"]

    def __str__(self) -> str:
        return f"{self.modality} {self.name}"


class MatchField(models.TextChoices):
    STUDY_DESCRIPTION = "study_description", "Study description"
    REQUESTED_PROCEDURE = "requested_procedure", "Requested procedure"
    ACQUISITION_PROTOCOL = "acquisition_protocol", "Acquisition protocol (any event)"


class MatchKind(models.TextChoices):
    EXACT = "exact", "is (ignoring case)"
    CONTAINS = "contains", "contains (ignoring case)"
    REGEX = "regex", "matches the regular expression (ignoring case)"


class MappingRule(models.Model):
    """`field` `kind` `pattern` → `exam`, for one site or (site empty) for all; lower priority first."""

    exam = models.ForeignKey(StandardExam, on_delete=models.CASCADE, related_name="rules")
    site = models.ForeignKey(
        Site,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mapping_rules",
        help_text="Empty: the rule applies to every site.",
    )
    field = models.CharField(max_length=24, choices=MatchField.choices, default=MatchField.STUDY_DESCRIPTION)
    kind = models.CharField(max_length=8, choices=MatchKind.choices, default=MatchKind.EXACT)
    pattern = models.CharField(max_length=300)
    priority = models.IntegerField(default=100, help_text="Lower numbers are tried first.")
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["priority", "id"]
        indexes = [models.Index(fields=["active", "priority"], name="mappingrule_active_priority")]

    def __str__(self) -> str:
        scope = self.site.code if self.site is not None else "all sites"
        return f"{self.get_field_display()} {self.kind} {self.pattern!r} → {self.exam} ({scope})"
