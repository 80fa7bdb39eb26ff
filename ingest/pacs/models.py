"""PACS nodes a site pulls dose objects from, each pull run with its counts, and instances that did not come.

Only UIDs, modalities, dates and counts are kept: C-FIND answers also carry patient names, IDs and accession
numbers, which are never stored here (docs/pacs.md, "Privacy").
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from registry.models import Site

# A node that refuses (or drops) the association this many times in a row is paused until an administrator
# tries it again: backoff first, never retried forever.
NODE_FAILURE_LIMIT = 8
BACKOFF_FIRST = timedelta(minutes=10)
BACKOFF_LONGEST = timedelta(hours=8)
# An instance the PACS would not deliver is asked for again in this many runs, then left out (given up), so
# one undeliverable object (a class the listener refuses, a broken file) cannot hold a window open forever.
INSTANCE_ATTEMPT_LIMIT = 3
# A queued or running run not heard of for this long was lost (worker killed, message lost): it is closed
# as failed and its window asked for again by the next scheduled run.
RUN_STALE_AFTER = timedelta(hours=1)


def default_modalities() -> list[str]:
    """SR: every study holding a structured report, where dose SRs are archived."""
    return ["SR"]


def backoff(failures: int) -> timedelta:
    """How long to wait after `failures` refusals in a row: 10 min, doubling, at most 8 h."""
    return min(BACKOFF_FIRST * 2 ** max(failures - 1, 0), BACKOFF_LONGEST)


class RetrieveMethod(models.TextChoices):
    MOVE = "move", "C-MOVE to Kerma's DICOM listener"
    GET = "get", "C-GET over the query association"


class PacsNodeQuerySet(models.QuerySet["PacsNode"]):
    def due(self, now: datetime) -> PacsNodeQuerySet:
        """Enabled, not paused after too many refusals, and past any backoff: what the schedule pulls."""
        waited = models.Q(retry_after__isnull=True) | models.Q(retry_after__lte=now)
        return self.filter(waited, enabled=True, consecutive_failures__lt=NODE_FAILURE_LIMIT)


class PacsNode(models.Model):
    """A remote DICOM node (usually a PACS) that a site's dose objects are pulled from."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="pacs_nodes")
    name = models.CharField(max_length=100, help_text="e.g. “Main PACS”.")
    ae_title = models.CharField(
        "AE title",
        max_length=16,
        help_text="The PACS's AE title: Kerma calls it, and its C-MOVE deliveries call Kerma with it.",
    )
    host = models.CharField(max_length=255)
    port = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(65535)])
    modalities = models.JSONField(
        default=default_modalities,
        help_text="Studies to search, by Modalities in Study: SR finds every study with a structured report.",
    )
    station_names = models.JSONField(
        default=list, blank=True, help_text="Only series from these station names; empty: every station."
    )
    include_images = models.BooleanField(
        "pull DX/MG images too",
        default=False,
        help_text="Also DX, CR and MG images, whose headers hold dose.",
    )
    retrieve_method = models.CharField(
        max_length=4, choices=RetrieveMethod.choices, default=RetrieveMethod.MOVE
    )
    enabled = models.BooleanField(default=True)
    lookback_days = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text="Each scheduled run asks again for this many recent days: objects reach a PACS late.",
    )
    pull_from = models.DateField(
        null=True, blank=True, help_text="First study date to pull (a backfill); empty: from now on."
    )
    # Every study dated up to this day was pulled completely; the next scheduled run starts after it.
    synced_through = models.DateField(null=True, blank=True, editable=False)
    consecutive_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    retry_after = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.CharField(max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PacsNodeQuerySet.as_manager()

    class Meta:
        ordering = ["site__code", "name"]
        verbose_name = "PACS node"
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="pacs_node_unique_name")]

    def __str__(self) -> str:
        return f"{self.site.code} {self.name} ({self.ae_title}@{self.host}:{self.port})"

    @property
    def paused(self) -> bool:
        """Refused too often in a row: the schedule leaves it alone until an administrator tries again."""
        return self.consecutive_failures >= NODE_FAILURE_LIMIT


class Trigger(models.TextChoices):
    SCHEDULE = "schedule", "Schedule"
    MANUAL = "manual", "Manual query"
    COMMAND = "command", "Command line"


class RunState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Complete"
    PARTIAL = "partial", "Some not retrieved"
    FAILED = "failed", "Failed"
    REFUSED = "refused", "Refused by the PACS"


ACTIVE_RUN_STATES = (RunState.QUEUED, RunState.RUNNING)


class PacsRunQuerySet(models.QuerySet["PacsRun"]):
    def active(self) -> PacsRunQuerySet:
        return self.filter(state__in=ACTIVE_RUN_STATES)


class PacsRun(models.Model):
    """One pull from one node over one window of study dates, and what it found and retrieved."""

    node = models.ForeignKey(PacsNode, on_delete=models.CASCADE, related_name="runs")
    trigger = models.CharField(max_length=8, choices=Trigger.choices)
    state = models.CharField(max_length=9, choices=RunState.choices, default=RunState.QUEUED, db_index=True)
    window_start = models.DateField()
    window_end = models.DateField()
    modalities = models.JSONField(default=default_modalities)
    # The node's own next window: when complete, the node's `synced_through` moves to its end.
    follows_schedule = models.BooleanField(default=False)
    found = models.PositiveIntegerField(default=0)
    already_stored = models.PositiveIntegerField(default=0)
    retrieved = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0, help_text="Given up after failing in earlier runs.")
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PacsRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "PACS pull run"
        indexes = [models.Index(fields=["node", "created_at"], name="pacs_run_node_created")]

    def __str__(self) -> str:
        return f"{self.node.name} {self.window_start} to {self.window_end} ({self.state})"


class PacsMiss(models.Model):
    """An instance a node found but did not deliver: asked for again, up to INSTANCE_ATTEMPT_LIMIT runs."""

    node = models.ForeignKey(PacsNode, on_delete=models.CASCADE, related_name="misses")
    study_instance_uid = models.CharField(max_length=64)
    series_instance_uid = models.CharField(max_length=64)
    sop_instance_uid = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    reason = models.CharField(max_length=500, blank=True)
    last_tried_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_tried_at"]
        verbose_name = "instance not retrieved"
        verbose_name_plural = "instances not retrieved"
        constraints = [
            models.UniqueConstraint(fields=["node", "sop_instance_uid"], name="pacs_miss_unique_instance")
        ]

    def __str__(self) -> str:
        return f"{self.node.name} {self.sop_instance_uid} ({self.attempts} attempts)"

    @property
    def given_up(self) -> bool:
        return self.attempts >= INSTANCE_ATTEMPT_LIMIT
