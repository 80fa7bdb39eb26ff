"""Sign-ins in the audit trail: `auth.login` and `auth.login_failed`, with the username only.

Django hands `user_login_failed` the credentials with the password already masked; only the username is
kept, never anything else the login form carried.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed

from registry.models import audit_record


def record_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action="auth.login", detail={"username": user.get_username()})


def record_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_record(actor=username, action="auth.login_failed", detail={"username": username})


def connect_login_audit() -> None:
    """Called once from RegistryConfig.ready()."""
    user_logged_in.connect(record_login, dispatch_uid="registry.audit.login")
    user_login_failed.connect(record_login_failed, dispatch_uid="registry.audit.login_failed")
