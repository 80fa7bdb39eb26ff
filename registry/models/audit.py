"""The audit trail: every change to mappings, reference levels, tokens, and every export, with before/after.

Each action function writes its audit row in the same transaction as the change it records (the zulip
pattern), so the trail can never miss a change that happened or record one that did not.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """Who did what to which object, when, and the object's state before and after."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True, help_text="Kept if the user is deleted.")
    action = models.CharField(max_length=60, db_index=True, help_text="e.g. mapping_rule.created")
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    site = models.ForeignKey(
        "registry.Site", on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events"
    )
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label or 'system'} {self.action} {self.object_id}"


def actor_user(actor: object) -> User | None:
    """The user row an action is recorded against, or None: the one rule for every `actor` argument.

    Services take whoever acted: a signed-in person, a command's label ("system"), a site's upload token
    (registry.api.auth.SiteUploader) or an anonymous visitor. Only the first is a row to point to.
    """
    return actor if isinstance(actor, User) and actor.pk is not None else None


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    site: Any = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit row; call it inside the transaction of the change it records."""
    user = actor_user(actor)
    return AuditEvent.objects.create(
        actor=user,
        actor_label=str(getattr(actor, "get_username", lambda: "")() or "") if user else str(actor or ""),
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        site=site,
        before=before,
        after=after,
        detail=detail or {},
    )
