"""The PACS pages, for a site's administrators: its nodes, each node's runs, and a manual query with a
preview of what it would retrieve. Writes go through the services (nodes.py, runs.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ingest.pacs.association import PacsQueryError, PacsRefusedError
from ingest.pacs.forms import NodeForm, QueryForm
from ingest.pacs.models import INSTANCE_ATTEMPT_LIMIT, PacsNode, Trigger
from ingest.pacs.nodes import AETitleTakenError, pacs_admin_sites, pacs_node_resume, pacs_node_save
from ingest.pacs.preview import pacs_preview
from ingest.pacs.runs import pacs_run_queue
from registry.models import Site, visible_sites

RECENT_RUNS = 50


def _admin_sites(request: HttpRequest) -> QuerySet[Site]:
    sites = pacs_admin_sites(request.user)
    if not sites.exists():
        raise PermissionDenied("PACS nodes are managed by the site's administrators.")
    return sites


def _node(request: HttpRequest, pk: int) -> PacsNode:
    """The node if the user administers its site; 404 if they cannot see the site, 403 if they only see it."""
    node = get_object_or_404(
        PacsNode.objects.select_related("site").filter(site__in=visible_sites(request.user)), pk=pk
    )
    if not pacs_admin_sites(request.user).filter(pk=node.site_id).exists():
        raise PermissionDenied("Only the site's administrators manage its PACS nodes.")
    return node


@login_required
@require_GET
def node_list(request: HttpRequest) -> HttpResponse:
    """The nodes of the sites the user administers, each with its last run (the nav links here)."""
    nodes = PacsNode.objects.filter(site__in=_admin_sites(request)).select_related("site")
    rows = [(node, node.runs.first()) for node in nodes]
    return render(request, "ingest/pacs/list.html", {"rows": rows})


def _check_posted_site(request: HttpRequest, sites: QuerySet[Site]) -> None:
    """A site named in the form that the user does not administer is refused (403), not a form error."""
    code = request.POST.get("site")
    if code and not sites.filter(code=code).exists():
        raise PermissionDenied("Only the site's administrators manage its PACS nodes.")


def _save(request: HttpRequest, form: NodeForm) -> HttpResponse | None:
    """Save a valid form through the service; None (with the error on the form) if the AE title is taken."""
    try:
        node = pacs_node_save(actor=request.user, node=form.save(commit=False))
    except AETitleTakenError as error:
        form.add_error("ae_title", str(error))
        return None
    messages.success(request, f"Saved {node.name}.")
    return redirect("pacs:node", pk=node.pk)


def _form_page(request: HttpRequest, form: NodeForm, node: PacsNode | None) -> HttpResponse:
    context = {"form": form, "node": node, "kerma_ae_title": settings.KERMA_DICOM_AE_TITLE}
    return render(request, "ingest/pacs/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def node_add(request: HttpRequest) -> HttpResponse:
    sites = _admin_sites(request)
    _check_posted_site(request, sites)
    form = NodeForm(sites, request.POST or None)
    if request.method == "POST" and form.is_valid() and (saved := _save(request, form)):
        return saved
    return _form_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def node_edit(request: HttpRequest, pk: int) -> HttpResponse:
    node = _node(request, pk)
    sites = pacs_admin_sites(request.user)
    _check_posted_site(request, sites)
    form = NodeForm(sites, request.POST or None, instance=node)
    if request.method == "POST" and form.is_valid() and (saved := _save(request, form)):
        return saved
    return _form_page(request, form, node)


def _node_page(request: HttpRequest, node: PacsNode, **extra: Any) -> HttpResponse:
    context = {
        "node": node,
        "runs": node.runs.select_related("requested_by")[:RECENT_RUNS],
        "misses": node.misses.all()[:RECENT_RUNS],
        "attempt_limit": INSTANCE_ATTEMPT_LIMIT,
        "backing_off": bool(node.retry_after and node.retry_after > timezone.now()),
        "query_form": QueryForm(),
        **extra,
    }
    return render(request, "ingest/pacs/node.html", context)


@login_required
@require_GET
def node_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The node's settings, its state (backing off, paused), its runs and what it failed to deliver."""
    return _node_page(request, _node(request, pk))


@login_required
@require_POST
def node_resume(request: HttpRequest, pk: int) -> HttpResponse:
    node = _node(request, pk)
    cleared = pacs_node_resume(actor=request.user, node=node)
    again = f"; {cleared} object(s) given up are asked for again" if cleared else ""
    messages.success(request, f"{node.name} is tried again at the next scheduled run{again}.")
    return redirect("pacs:node", pk=node.pk)


@login_required
@require_http_methods(["GET", "POST"])
def node_query(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: ask the PACS now and show what a pull of that window would retrieve (nothing is written).
    POST: queue that pull as a run of its own and go back to the node's page."""
    node = _node(request, pk)
    form = QueryForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return _node_page(request, node, query_form=form)
    start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    modalities = form.modalities(node)
    if request.method == "POST":
        run = pacs_run_queue(
            node=node, start=start, end=end, modalities=modalities, trigger=Trigger.MANUAL, actor=request.user
        )
        messages.success(request, f"Run {run.pk} queued: {start} to {end}, {', '.join(modalities)}.")
        return redirect("pacs:node", pk=node.pk)
    context: dict[str, Any] = {"node": node, "form": form, "modalities": modalities, "preview": None}
    try:
        context["preview"] = pacs_preview(node=node, start=start, end=end, modalities=modalities)
    except (PacsRefusedError, PacsQueryError) as error:
        context["error"] = str(error)
    return render(request, "ingest/pacs/preview.html", context)
