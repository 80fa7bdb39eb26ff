"""Who may see which site: memberships, and the one queryset method every view, API and export uses."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from registry.models.sites import Site


class Role(models.TextChoices):
    UPLOADER = "uploader", "Site uploader"
    PHYSICIST = "physicist", "Physicist / radiation-protection officer"
    AUDITOR = "auditor", "Auditor"
    ADMINISTRATOR = "administrator", "Administrator"


class Membership(models.Model):
    """A person's role at one site; a person may belong to several sites with different roles."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "site", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.role} at {self.site.code}"


def visible_sites(user: Any, roles: tuple[str, ...] | None = None) -> models.QuerySet[Site]:
    """The sites a user may see (all for superusers), optionally only those where they hold one of `roles`.

    This is the single access rule: every other scoping (studies, submissions, exports) filters by it.
    """
    if user is None or not user.is_authenticated:
        return Site.objects.none()
    if user.is_superuser:
        return Site.objects.all()
    memberships = Membership.objects.filter(user=user)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return Site.objects.filter(pk__in=memberships.values("site"))
