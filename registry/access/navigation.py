"""What the navigation offers a person: one flag per link that needs a role, from the role sets of
`registry.models.access`, so a link is shown exactly to those whose click the page would allow.

The flags are worked out once at sign-in (one query over the person's memberships) and kept in the
session, so pages cost no query for them. The pages behind the links check access on every request, so a
role granted or removed later only shows in the links at the next sign-in (or after `refresh`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.base import SessionBase

from registry.models.access import (
    AUDIT_ROLES,
    EXPORT_ROLES,
    MAPPING_ROLES,
    TOKEN_ADMIN_ROLES,
    UPLOAD_ROLES,
    Membership,
)

SESSION_KEY = "kerma.navigation"
# Link → the roles that open it. Reading pages (dashboards, studies, reference levels, QA scans) are for
# every member and need no flag.
LINK_ROLES: dict[str, tuple[str, ...]] = {
    "upload": UPLOAD_ROLES,
    "mapping": MAPPING_ROLES,
    "exports": EXPORT_ROLES,
    "audit_log": AUDIT_ROLES,
    "tokens": TOKEN_ADMIN_ROLES,
}


def navigation_flags(user: Any) -> dict[str, bool]:
    """Which role-bound links to show `user`: superusers all, others by the roles they hold anywhere."""
    if user is None or not user.is_authenticated:
        return dict.fromkeys(LINK_ROLES, False)
    if user.is_superuser:
        return dict.fromkeys(LINK_ROLES, True)
    held = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    return {link: bool(held.intersection(roles)) for link, roles in LINK_ROLES.items()}


def refresh(session: SessionBase, user: Any) -> dict[str, bool]:
    """Work the flags out again and keep them in the session (sign-in, or a session from before them)."""
    flags = navigation_flags(user)
    session[SESSION_KEY] = flags
    return flags
