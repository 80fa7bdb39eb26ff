"""Views of the reference-level library: thin, each a form or a selector and one service call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from registry.models import AuditEvent, ReferenceLevel
from registry.reference_levels.access import (
    editable_site_ids,
    level_editable,
    levels_visible,
    local_level_sites,
    require_member,
)
from registry.reference_levels.forms import FilterForm, LocalLevelForm, ReviseForm
from registry.reference_levels.library import reference_level_create, reference_level_revise
from registry.reference_levels.tables import display, display_number, modality_tables
from registry.statistics.metrics import METRICS


@login_required
@require_GET
def level_list(request: HttpRequest) -> HttpResponse:
    """Current levels the user may see, one table per modality; unverified and local ones marked."""
    require_member(request.user)
    current = levels_visible(request.user).current()
    filters = FilterForm(request.GET or None, levels=current)
    levels = filters.apply(current).select_related("exam", "site")
    editable = None if request.user.is_superuser else editable_site_ids(request.user)
    context = {
        "filters": filters,
        "tables": modality_tables(levels, editable=editable),
        "can_add": request.user.is_superuser or bool(editable),
    }
    return render(request, "registry/reference_levels/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def level_add(request: HttpRequest) -> HttpResponse:
    """Add a local DRL for one of the sites where the user is a physicist or an administrator."""
    sites = local_level_sites(request.user)
    if not sites.exists():
        raise PermissionDenied(
            "Local reference levels are added by the site's physicists and administrators."
        )
    form = LocalLevelForm(sites, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            level = reference_level_create(
                actor=request.user,
                site=data["site"],
                exam=data["exam"],
                metric=data["metric"],
                value=form.canonical_value(),
                statistic=data["statistic"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Added the local level {level}.")
            return redirect("reference_levels:list")
    return render(request, "registry/reference_levels/add.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def level_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """A new version of a level (never an edit in place): value, status, note."""
    level = get_object_or_404(levels_visible(request.user).select_related("exam", "site"), pk=pk)
    if not level_editable(request.user, level):
        raise PermissionDenied("Only the site's physicists and administrators revise its local levels.")
    form = ReviseForm(level, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            revised = reference_level_revise(actor=request.user, level=level, **form.changes())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved version {revised.version}.")
            return redirect("reference_levels:history", pk=revised.pk)
    context = {"form": form, "level": level, "metric_label": form.metric.label}
    return render(request, "registry/reference_levels/revise.html", context)


@login_required
@require_GET
def level_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every version of a level, newest first, with who made it, when, and what changed."""
    level = get_object_or_404(levels_visible(request.user), pk=pk)
    versions = _versions(level)
    events = AuditEvent.objects.filter(
        object_type=ReferenceLevel._meta.label, object_id__in=[str(version.pk) for version in versions]
    )
    by_level = {event.object_id: event for event in events}
    rows = [_history_row(version, by_level.get(str(version.pk))) for version in versions]
    context = {
        "level": level,
        "rows": rows,
        "editable": level_editable(request.user, versions[0]),
        "current": versions[0],
        "metric_label": METRICS[level.metric].label if level.metric in METRICS else level.metric,
    }
    return render(request, "registry/reference_levels/history.html", context)


def _versions(level: ReferenceLevel) -> list[ReferenceLevel]:
    """The whole chain, newest first; chains are a handful of versions, so one query a step is fine."""
    levels = ReferenceLevel.objects.select_related("exam", "site", "created_by")
    chain = [levels.get(pk=level.pk)]
    while (newer := levels.filter(supersedes=chain[0]).first()) is not None:
        chain.insert(0, newer)
    while chain[-1].supersedes_id is not None:
        chain.append(levels.get(pk=chain[-1].supersedes_id))
    return chain


def _history_row(version: ReferenceLevel, event: AuditEvent | None) -> dict[str, Any]:
    value, unit = display(version)
    changes = []
    if event is not None and event.before and event.after:
        for key, after in event.after.items():
            before = event.before.get(key)
            if key not in ("version", "unit") and before != after:
                changes.append((key, *_shown(version, key, before, after)))
    return {"version": version, "value": value, "unit": unit, "event": event, "changes": changes}


def _shown(version: ReferenceLevel, key: str, before: Any, after: Any) -> tuple[Any, Any]:
    """Audit rows keep canonical values; show value changes in the display unit, like the table."""
    metric = METRICS.get(version.metric)
    if (
        key == "value"
        and metric is not None
        and isinstance(before, int | float)
        and isinstance(after, int | float)
    ):
        return display_number(before * metric.display_factor), display_number(after * metric.display_factor)
    return before, after
