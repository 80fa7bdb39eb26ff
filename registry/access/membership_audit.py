"""Roles given, changed and taken away, and account privileges changed, wherever it happens: the admin,
a management command or the shell. Recorded from model signals, so no path can change a role unseen.

Who made the change is the signed-in person of the request that made it (`acting_user`, set by
`ActingUserMiddleware` for the request's duration), else "system" (a command, the shell).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse

from registry.models import Membership, audit_record

_acting_request: ContextVar[HttpRequest | None] = ContextVar("acting_request", default=None)
PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "is_active")


def acting_user() -> Any:
    """The person whose request is running in this context, or "system"."""
    request = _acting_request.get()
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else "system"


@contextmanager
def acting(request: HttpRequest) -> Iterator[None]:
    token = _acting_request.set(request)
    try:
        yield
    finally:
        _acting_request.reset(token)


class ActingUserMiddleware:
    """Lets the membership audit name the person behind a change made in a request (the admin's)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting(request):
            return self.get_response(request)


def _as_dict(membership: Membership) -> dict[str, Any]:
    return {
        "person": membership.user.get_username(),
        "role": membership.get_role_display(),
        "site": membership.site.code if membership.site is not None else "every site",
    }


def _remember_before(sender: Any, instance: Membership, **kwargs: Any) -> None:
    previous = (
        Membership.objects.filter(pk=instance.pk).select_related("user", "site").first()
        if instance.pk
        else None
    )
    instance._audit_before = _as_dict(previous) if previous is not None else None  # type: ignore[attr-defined]


def _record_saved(sender: Any, instance: Membership, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, "_audit_before", None)
    after = _as_dict(instance)
    if not created and before == after:
        return
    action = "membership.granted" if created or before is None else "membership.changed"
    audit_record(
        actor=acting_user(),
        action=action,
        obj=instance,
        site=instance.site,
        before=None if action == "membership.granted" else before,
        after=after,
    )


def _record_deleted(sender: Any, instance: Membership, **kwargs: Any) -> None:
    audit_record(
        actor=acting_user(),
        action="membership.revoked",
        obj=instance,
        site=instance.site if instance.site_id else None,
        before=_as_dict(instance),
    )


def _remember_privileges(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is not None and not set(update_fields) & set(PRIVILEGE_FIELDS):
        instance._audit_privileges = None  # e.g. the last_login of every sign-in: nothing to compare
        return
    previous = (
        sender.objects.filter(pk=instance.pk).values(*PRIVILEGE_FIELDS).first() if instance.pk else None
    )
    instance._audit_privileges = previous


def _record_privileges(
    sender: Any, instance: Any, created: bool, update_fields: Any = None, **kwargs: Any
) -> None:
    after = {field: getattr(instance, field) for field in PRIVILEGE_FIELDS}
    if created:
        if instance.is_superuser or instance.is_staff:  # ordinary accounts' rights are memberships
            audit_record(
                actor=acting_user(),
                action="user.created_privileged",
                obj=instance,
                detail={"person": instance.get_username()},
                after=after,
            )
        return
    before = getattr(instance, "_audit_privileges", None)
    if before is None or before == after:
        return
    audit_record(
        actor=acting_user(),
        action="user.privileges_changed",
        obj=instance,
        detail={"person": instance.get_username()},
        before=before,
        after=after,
    )


def connect_membership_audit() -> None:
    """Called once from RegistryConfig.ready()."""
    user_model = get_user_model()
    pre_save.connect(_remember_before, sender=Membership, dispatch_uid="registry.audit.membership.before")
    post_save.connect(_record_saved, sender=Membership, dispatch_uid="registry.audit.membership.saved")
    post_delete.connect(_record_deleted, sender=Membership, dispatch_uid="registry.audit.membership.deleted")
    pre_save.connect(_remember_privileges, sender=user_model, dispatch_uid="registry.audit.user.before")
    post_save.connect(_record_privileges, sender=user_model, dispatch_uid="registry.audit.user.saved")
