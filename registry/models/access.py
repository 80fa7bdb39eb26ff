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


# Who may do what, once for the whole registry (docs/access.md); each feature checks its own set through
# `visible_sites(user, roles)`, and the navigation shows a link only to those who hold one of its roles.
# Roles that may send dose reports for a site (upload page, the API with a session).
UPLOAD_ROLES = (Role.UPLOADER.value, Role.ADMINISTRATOR.value)
# Mapping rules (free-text names to standard exams) and a site's local reference levels.
MAPPING_ROLES = (Role.PHYSICIST.value, Role.ADMINISTRATOR.value)
LOCAL_LEVEL_ROLES = (Role.PHYSICIST.value, Role.ADMINISTRATOR.value)
# CSV, XLSX and the PDF audit report of a site's studies.
EXPORT_ROLES = (Role.PHYSICIST.value, Role.AUDITOR.value, Role.ADMINISTRATOR.value)
# The audit log of a site.
AUDIT_ROLES = (Role.AUDITOR.value, Role.ADMINISTRATOR.value)
# A site's upload tokens.
TOKEN_ADMIN_ROLES = (Role.ADMINISTRATOR.value,)
# Whether an exposure was a patient is a physicist's judgement; a site's QA patient IDs (set up with its RIS
# and PACS) are kept by its physicists and administrators.
QA_DECISION_ROLES = (Role.PHYSICIST.value,)
QA_PATIENT_LIST_ROLES = (Role.PHYSICIST.value, Role.ADMINISTRATOR.value)
# Roles that may hold for every site at once (a registry-wide physicist or auditor, e.g. a national body's).
# Uploading and administering a site's tokens are always for named sites.
REGISTRY_WIDE_ROLES = (Role.PHYSICIST.value, Role.AUDITOR.value)


class Membership(models.Model):
    """A person's role at one site, or at every site (no site); a person may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    site = models.ForeignKey(
        Site,
        on_delete=models.CASCADE,
        related_name="memberships",
        null=True,
        blank=True,
        help_text="Empty: the role holds at every site, present and future (physicist or auditor only).",
    )
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "site", "role"], name="membership_unique"),
            # NULLs never collide in the key above, so registry-wide roles need their own.
            models.UniqueConstraint(
                fields=["user", "role"], condition=models.Q(site__isnull=True), name="membership_unique_all"
            ),
            models.CheckConstraint(
                condition=models.Q(site__isnull=False) | models.Q(role__in=REGISTRY_WIDE_ROLES),
                name="membership_all_sites_roles",
                violation_error_message="Only physicists and auditors can hold a role at every site.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} at {self.site.code if self.site else 'every site'}"


def visible_sites(user: Any, roles: tuple[str, ...] | None = None) -> models.QuerySet[Site]:
    """The sites a user may see (all for superusers), optionally only those where they hold one of `roles`.

    This is the single access rule: every other scoping (studies, submissions, exports) filters by it. A
    membership without a site (a registry-wide physicist or auditor) opens every site; it is one EXISTS
    in the same query, so the rule still costs no extra round trip.
    """
    if user is None or not user.is_authenticated:
        return Site.objects.none()
    if user.is_superuser:
        return Site.objects.all()
    memberships = Membership.objects.filter(user=user)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    everywhere = models.Exists(memberships.filter(site__isnull=True))
    return Site.objects.filter(models.Q(pk__in=memberships.values("site")) | models.Q(everywhere))
