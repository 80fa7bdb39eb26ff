"""Sign-in glue: django-axes' lockout backend and client address, and what the session notes at sign-in."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """Refuses sign-ins of a locked-out username and address; authenticates nobody itself.

    Axes raises when `authenticate()` gets no request, to catch sign-in forms that forgot to pass one. Every
    HTTP sign-in here (LoginView, the admin) passes it; the callers without one are in-process (Django's
    test client, scripts), where no attacker can guess passwords, so they skip the lockout check.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username, password, **kwargs)
        return None


def client_ip(request: HttpRequest) -> str:
    """The address failed sign-ins are counted by.

    Behind the TLS proxy every request comes from the proxy, so one address would lock a username out for
    everyone: use the last X-Forwarded-For entry, the one our proxy appended (earlier entries are whatever
    the client sent). Without a proxy the header is the client's own claim, so only REMOTE_ADDR counts.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.KERMA_BEHIND_TLS_PROXY and forwarded:
        return str(forwarded.split(",")[-1].strip())
    return str(request.META.get("REMOTE_ADDR", ""))


def remember_navigation(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """At sign-in, note in the session which role-bound links the person may follow, so the navigation
    costs no query per page (registry.access.navigation)."""
    if request is not None and hasattr(request, "session"):
        from registry.access.navigation import refresh  # the models are loaded by the time anyone signs in

        refresh(request.session, user)


# Connected here because Django imports every AUTHENTICATION_BACKENDS module before a sign-in completes
# (authenticate(), and the test client's force_login), so no sign-in can miss it.
user_logged_in.connect(remember_navigation, dispatch_uid="registry.access.login_security.navigation")
