"""Template context for every page: `nav`, the role-bound links this person may follow (navigation.py)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from registry.access.navigation import SESSION_KEY, navigation_flags, refresh


def _flags(request: HttpRequest) -> dict[str, bool]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return navigation_flags(None)
    flags = request.session.get(SESSION_KEY)
    if isinstance(flags, dict) and set(flags) == set(navigation_flags(None)):
        return flags
    return refresh(request.session, user)  # a session from before the flags, or with other links


def navigation(request: HttpRequest) -> dict[str, SimpleLazyObject]:
    """`nav.upload`, `nav.mapping`, `nav.exports`, `nav.audit_log`, `nav.tokens`: lazily, so pages that
    show no navigation (fragments, the outage page) never look."""
    return {"nav": SimpleLazyObject(lambda: _flags(request))}
