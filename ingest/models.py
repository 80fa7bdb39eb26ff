"""Submissions: every file a site sends, with the state it is in, from receipt to stored or rejected."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from ingest.pacs import models as pacs_models  # noqa: F401 - Django finds an app's models through this module
from registry.models import DoseReport, Site, Study, visible_sites


class Channel(models.TextChoices):
    WEB = "web", "Web upload"
    API = "api", "REST API"
    STOW = "stow", "DICOMweb STOW-RS"
    CSTORE = "cstore", "DICOM C-STORE"
    CLI = "cli", "Command line"


class State(models.TextChoices):
    RECEIVED = "received", "Received"
    PROCESSING = "processing", "Processing"
    STORED = "stored", "Stored"
    DUPLICATE = "duplicate", "Duplicate"
    REJECTED = "rejected", "Rejected"
    FAILED = "failed", "Failed (will be retried)"


FINAL_STATES = frozenset({State.STORED, State.DUPLICATE, State.REJECTED})


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def for_site(self, site: Site) -> SubmissionQuerySet:
        return self.filter(site=site)

    def for_user(self, user: Any) -> SubmissionQuerySet:
        """Only the submissions of sites the user may see (registry.models.access.visible_sites)."""
        return self.filter(site__in=visible_sites(user))

    def pending(self) -> SubmissionQuerySet:
        """Not yet in a final state: received, processing (maybe a crashed worker) or failed."""
        return self.exclude(state__in=FINAL_STATES)

    def awaiting_queue(self) -> SubmissionQuerySet:
        """Received and kept, but not yet handed to the broker (it refused or was unreachable)."""
        return self.pending().filter(awaiting_queue=True)


class Submission(models.Model):
    """One received file. Its bytes wait in the spool until processed; nothing received is dropped unseen.

    The raw bytes are deleted once read: a stored report keeps only its de-identified copy, a rejected
    one only its checksum, size, error kind and message.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="submissions")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    state = models.CharField(max_length=12, choices=State.choices, default=State.RECEIVED, db_index=True)
    filename = models.CharField(max_length=255, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    spool = models.FileField(upload_to="spool/", blank=True, max_length=255)
    stored_file = models.FileField(upload_to="reports/", blank=True, max_length=255)
    error_kind = models.CharField(max_length=32, blank=True)
    error_message = models.TextField(blank=True)
    sop_instance_uid = models.CharField(max_length=64, blank=True, db_index=True)
    outcome = models.CharField(max_length=16, blank=True)
    study = models.ForeignKey(Study, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    dose_report = models.ForeignKey(
        DoseReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    calling_ae_title = models.CharField(max_length=16, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The broker did not take this submission's message (down, unreachable): it waits, safe in the database,
    # for the requeue schedule. `queue_failures` counts every refusal, `queue_error` keeps the last one.
    awaiting_queue = models.BooleanField(default=False)
    queue_failures = models.PositiveIntegerField(default=0)
    queue_error = models.CharField(max_length=500, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["site", "received_at"], name="submission_site_received")]

    def __str__(self) -> str:
        return f"{self.site.code} {self.filename or self.id} ({self.state})"

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES
