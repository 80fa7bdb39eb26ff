"""Template context for every page: whether the user administers or audits a site (nav links)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from registry.login_security import ADMINISTERS_SITES_KEY, AUDITS_SITES_KEY


def administers_sites(request: HttpRequest) -> dict[str, Callable[[], bool]]:
    """A callable, so only pages that show the nav look; the session was filled at sign-in, so no query."""

    def check() -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        return bool(user.is_superuser or request.session.get(ADMINISTERS_SITES_KEY, False))

    return {"administers_sites": check}


def audits_sites(request: HttpRequest) -> dict[str, Callable[[], bool]]:
    """Whether to show the nav's "Audit log": auditors and administrators (noted at sign-in; the page
    itself checks access on every request)."""

    def check() -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        return bool(user.is_superuser or request.session.get(AUDITS_SITES_KEY, False))

    return {"audits_sites": check}
