"""Template context for every page: whether the user administers or audits a site (nav links)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from registry.access.login_security import ADMINISTERS_SITES_KEY, AUDITS_SITES_KEY


def _session_flag(request: HttpRequest, key: str) -> Callable[[], bool]:
    """A callable, so only pages that show the nav look; the session was filled at sign-in, so no query
    (the pages behind the links check access on every request)."""

    def check() -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        return bool(user.is_superuser or request.session.get(key, False))

    return check


def administers_sites(request: HttpRequest) -> dict[str, Callable[[], bool]]:
    """Whether to show the nav's "Upload tokens": administrators of a site."""
    return {"administers_sites": _session_flag(request, ADMINISTERS_SITES_KEY)}


def audits_sites(request: HttpRequest) -> dict[str, Callable[[], bool]]:
    """Whether to show the nav's "Audit log": auditors and administrators."""
    return {"audits_sites": _session_flag(request, AUDITS_SITES_KEY)}
