"""Upload tokens of a site, for its administrators: list, issue, rotate and revoke; a new secret shown once.

A new secret travels from the POST to the page that shows it in the session, and that page takes it out
as it shows it: a reload, the back button or a second visit find nothing (the page is never cached).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from registry.access.tokens import (
    IssuedToken,
    token_admin_sites,
    upload_token_issue,
    upload_token_revoke,
    upload_token_rotate,
)
from registry.models import Site, visible_sites

NEW_SECRET_KEY = "kerma.new_upload_token"  # noqa: S105 - a session key name, not a secret


class IssueForm(forms.Form):
    label = forms.CharField(
        max_length=100, required=False, help_text="Who or what sends with it, e.g. “PACS router”."
    )


class RotateForm(IssueForm):
    confirm = forms.BooleanField(label="Revoke every active token of the site now")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The page holds both forms: ids of their own, so each label names its own field.
        kwargs.setdefault("auto_id", "id_rotate_%s")
        super().__init__(*args, **kwargs)


def _site(user: Any, code: str) -> Site:
    """The site, if the user administers it: 404 for sites they cannot see, 403 for those they only see."""
    site = get_object_or_404(visible_sites(user), code=code)
    if not token_admin_sites(user).filter(pk=site.pk).exists():
        raise PermissionDenied("Only the site's administrators manage its upload tokens.")
    return site


def _list_page(
    request: HttpRequest, site: Site, *, issue: IssueForm | None = None, rotate: RotateForm | None = None
) -> HttpResponse:
    context = {
        "site": site,
        "tokens": site.upload_tokens.order_by("revoked_at", "-created_at"),
        "issue_form": issue or IssueForm(),
        "rotate_form": rotate or RotateForm(),
    }
    return render(request, "registry/tokens/list.html", context)


def _show_once(request: HttpRequest, site: Site, issued: IssuedToken) -> HttpResponse:
    request.session[NEW_SECRET_KEY] = {"token": issued.token.pk, "secret": issued.secret}
    return redirect("access:token-issued", code=site.code, pk=issued.token.pk)


@login_required
@require_GET
def token_sites(request: HttpRequest) -> HttpResponse:
    """The sites whose tokens the user manages (the nav links here)."""
    sites = token_admin_sites(request.user)
    if not sites.exists():
        raise PermissionDenied("Upload tokens are managed by the site's administrators.")
    return render(request, "registry/tokens/sites.html", {"sites": sites})


@login_required
@require_GET
def token_list(request: HttpRequest, code: str) -> HttpResponse:
    """The site's tokens by prefix (never a secret), with the forms to issue, rotate and revoke."""
    return _list_page(request, _site(request.user, code))


@login_required
@require_POST
def token_issue(request: HttpRequest, code: str) -> HttpResponse:
    site = _site(request.user, code)
    form = IssueForm(request.POST)
    if not form.is_valid():
        return _list_page(request, site, issue=form)
    issued = upload_token_issue(actor=request.user, site=site, label=form.cleaned_data["label"])
    return _show_once(request, site, issued)


@login_required
@require_POST
def token_rotate(request: HttpRequest, code: str) -> HttpResponse:
    site = _site(request.user, code)
    form = RotateForm(request.POST)
    if not form.is_valid():
        return _list_page(request, site, rotate=form)
    issued, revoked = upload_token_rotate(actor=request.user, site=site, label=form.cleaned_data["label"])
    messages.success(request, f"Revoked {revoked} active token(s) of {site.code}.")
    return _show_once(request, site, issued)


@login_required
@require_POST
def token_revoke(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    site = _site(request.user, code)
    token = get_object_or_404(site.upload_tokens, pk=pk)
    if upload_token_revoke(actor=request.user, site=site, token=token):
        messages.success(request, f"Revoked token {token.prefix}…; uploads with it are refused from now on.")
    return redirect("access:token-list", code=site.code)


@never_cache
@login_required
@require_GET
def token_issued(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The new token's secret, this once; afterwards only its prefix."""
    site = _site(request.user, code)
    token = get_object_or_404(site.upload_tokens, pk=pk)
    pending = request.session.get(NEW_SECRET_KEY)
    secret = None
    if isinstance(pending, dict) and pending.get("token") == token.pk:
        secret = request.session.pop(NEW_SECRET_KEY)["secret"]
    return render(request, "registry/tokens/issued.html", {"site": site, "token": token, "secret": secret})
