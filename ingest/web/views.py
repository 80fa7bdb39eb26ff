"""The upload page (several files or ZIP archives per post) and the JSON status its script polls."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from ingest.models import Channel, Submission
from ingest.services import uploads_receive
from ingest.web.forms import UploadForm
from ingest.web.status import queue_health, submission_status
from ingest.web.uploads import refusal_message, uploads_of
from registry.models import Site, visible_sites
from registry.models.access import UPLOAD_ROLES

RECENT_COUNT = 50
MAX_STATUS_IDS = 500
BATCH_SESSION_KEY = "ingest.upload_batch"


def _upload_sites(request: HttpRequest) -> QuerySet[Site]:
    """Sites the user may upload for; none at all is a 403 (superusers may upload for any site)."""
    sites = visible_sites(request.user, roles=UPLOAD_ROLES)
    if not request.user.is_superuser and not sites.exists():
        raise PermissionDenied("Uploading needs the uploader or administrator role at a site.")
    return sites


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Post files for a site, then follow them (post/redirect/get: a reload never sends them twice)."""
    sites = _upload_sites(request)
    site = sites.filter(code=request.GET.get("site", "")).first() or sites.first()
    form = UploadForm(sites, initial={"site": site})
    if request.method == "POST":
        form = UploadForm(sites, request.POST, request.FILES)
        if form.is_valid():
            chosen: Site = form.cleaned_data["site"]
            received = uploads_receive(
                site=chosen,
                uploads=uploads_of(form.cleaned_data["reports"]),
                channel=Channel.WEB,
                user=request.user,
            )
            request.session[BATCH_SESSION_KEY] = [str(submission.pk) for submission in received.submissions]
            for name, error in received.refused:
                messages.error(request, refusal_message(name, error))
            return redirect(f"{reverse('upload')}?site={chosen.code}")
    batch = Submission.objects.for_user(request.user).filter(
        pk__in=request.session.pop(BATCH_SESSION_KEY, [])  # shown once, right after the post
    )
    recent = Submission.objects.for_site(site)[:RECENT_COUNT] if site else Submission.objects.none()
    context = {
        "form": form,
        "site": site,
        "batch": _rows(batch.order_by("received_at")),
        "recent": _rows(recent),
        "queue": queue_health(Submission.objects.for_site(site)) if site else None,
    }
    return render(request, "ingest/upload.html", context)


def _rows(submissions: QuerySet[Submission]) -> list[dict[str, Any]]:
    """Rows as the status endpoint gives them, so the page and its script show the same thing."""
    return [
        {**submission_status(submission), "received_at": submission.received_at}
        for submission in submissions.select_related("study")
    ]


def _ids(text: str) -> list[uuid.UUID] | None:
    try:
        return [uuid.UUID(part) for part in text.split(",") if part.strip()]
    except ValueError:
        return None


@login_required
@require_GET
def upload_status(request: HttpRequest) -> JsonResponse:
    """The states of the asked submissions the user may see; others are left out, never an error."""
    ids = _ids(request.GET.get("ids", ""))
    if ids is None or len(ids) > MAX_STATUS_IDS:
        return JsonResponse(
            {"error": f"ids: up to {MAX_STATUS_IDS} submission UUIDs, comma-separated"}, status=400
        )
    found = Submission.objects.for_user(request.user).filter(pk__in=ids).select_related("study")
    rows = [submission_status(submission) for submission in found]
    return JsonResponse({"submissions": rows, "done": all(row["final"] for row in rows)})
