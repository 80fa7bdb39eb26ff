"""The QA pages: the QA scans of the user's sites, a study's flag and unflag, and each site's QA lists.

Thin: each view finds its object through the one access rule (another site's object is a 404), checks the
role (403) and calls one service of registry.quality.services, which checks the role again and audits.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from registry.models import Device, QAPatient, Site, Study, visible_sites
from registry.quality.access import (
    QA_LIST_PAGE_ROLES,
    decision_sites,
    patient_list_sites,
    require,
    require_member,
)
from registry.quality.forms import QAPatientForm, ReasonForm
from registry.quality.services import (
    qa_device_mark,
    qa_device_unmark,
    qa_patient_add,
    qa_patient_remove,
    study_qa_flag,
    study_qa_unflag,
)

PAGE_SIZE = 50


@login_required
@require_GET
def qa_studies(request: HttpRequest) -> HttpResponse:
    """The QA scans of the user's sites, newest first, with why, who and when; unflag for physicists."""
    require_member(request.user)
    sites = visible_sites(request.user).order_by("code")
    studies = Study.objects.for_user(request.user).qa_scans()
    chosen = sites.filter(code=request.GET.get("site", "")).first()
    if chosen is not None:
        studies = studies.filter(site=chosen)
    ordered = studies.select_related("site", "standard_exam", "qa_changed_by").order_by("-study_date", "-id")
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "sites": sites,
        "chosen": chosen,
        "deciding": set(decision_sites(request.user).values_list("pk", flat=True)),
        "list_sites": visible_sites(request.user, roles=QA_LIST_PAGE_ROLES).order_by("code"),
    }
    return render(request, "registry/quality/qa_studies.html", context)


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """To the page the form was on (a local URL only), else to `fallback`."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = fallback
    return HttpResponseRedirect(target)


def _study_decision(request: HttpRequest, pk: int, *, qa: bool) -> HttpResponse:
    """Flag or unflag: another site's study is a 404, a role that does not decide a 403; back to the page."""
    study = get_object_or_404(Study.objects.for_user(request.user), pk=pk)
    require(
        decision_sites(request.user), study.site_id, "Only the site's physicists flag and unflag QA scans."
    )
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why: the reason is shown wherever the study is listed.")
        return _back(request, study_url(study))
    decide = study_qa_flag if qa else study_qa_unflag
    try:
        decide(actor=request.user, study=study, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = "flagged as a QA scan: it is no longer counted" if qa else "unflagged: it is counted again"
        messages.success(request, f"Study {study.pk} {done}.")
    return _back(request, study_url(study))


def study_url(study: Study) -> str:
    return reverse("study", kwargs={"pk": study.pk})


@login_required
@require_POST
def study_flag(request: HttpRequest, pk: int) -> HttpResponse:
    """A physicist of the study's site flags it as a QA scan, with a reason."""
    return _study_decision(request, pk, qa=True)


@login_required
@require_POST
def study_unflag(request: HttpRequest, pk: int) -> HttpResponse:
    """A physicist of the study's site says the study is a patient after all, with a reason."""
    return _study_decision(request, pk, qa=False)


def _list_site(request: HttpRequest, code: str) -> Site:
    """The site of the URL: 404 for sites the user cannot see, 403 for those whose lists they do not keep."""
    site = get_object_or_404(visible_sites(request.user), code=code)
    lists = visible_sites(request.user, roles=QA_LIST_PAGE_ROLES)
    require(lists, site.pk, "A site's QA lists are kept by its physicists and administrators.")
    return site


def _lists_page(
    request: HttpRequest, site: Site, *, patient_form: QAPatientForm | None = None
) -> HttpResponse:
    devices = Device.objects.filter(site=site).select_related("qa_only", "qa_only__marked_by")
    context: dict[str, Any] = {
        "site": site,
        "qa_patients": site.qa_patients.select_related("added_by"),
        "devices": devices.order_by("display_name", "pk"),
        "patient_form": patient_form or QAPatientForm(),
        "marks_devices": decision_sites(request.user).filter(pk=site.pk).exists(),
    }
    return render(request, "registry/quality/site_lists.html", context)


@login_required
@require_GET
def site_lists(request: HttpRequest, code: str) -> HttpResponse:
    """A site's QA patient IDs (by label, never the ID) and its devices, QA-only or not."""
    return _lists_page(request, _list_site(request, code))


@login_required
@require_POST
def qa_patient_add_view(request: HttpRequest, code: str) -> HttpResponse:
    """Put a patient ID on the site's QA list (physicists and administrators)."""
    site = _list_site(request, code)
    form = QAPatientForm(request.POST)
    if form.is_valid():
        try:
            listed = qa_patient_add(actor=request.user, site=site, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"“{listed.label}” is on the QA list; its studies are not counted.")
            return redirect("quality:site-lists", code=site.code)
    return _lists_page(request, site, patient_form=form)


@login_required
@require_POST
def qa_patient_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a patient ID off its site's QA list."""
    listed = get_object_or_404(QAPatient.objects.filter(site__in=visible_sites(request.user)), pk=pk)
    require(
        patient_list_sites(request.user), listed.site_id, "Only physicists and administrators keep QA IDs."
    )
    counts = qa_patient_remove(actor=request.user, qa_patient=listed)
    messages.success(
        request, f"“{listed.label}” is off the QA list; {counts['studies_unflagged']} studies count again."
    )
    return redirect("quality:site-lists", code=listed.site.code)


def _device(request: HttpRequest, pk: int) -> Device:
    device = get_object_or_404(Device.objects.filter(site__in=visible_sites(request.user)), pk=pk)
    require(decision_sites(request.user), device.site_id, "Only the site's physicists mark devices QA-only.")
    return device


@login_required
@require_POST
def device_mark(request: HttpRequest, pk: int) -> HttpResponse:
    """A physicist marks a device QA-only, with a reason: all its studies are QA scans."""
    device = _device(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the device takes no patients.")
    else:
        try:
            qa_device_mark(actor=request.user, device=device, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{device} is QA-only: its studies are not counted.")
    return redirect("quality:site-lists", code=device.site.code)


@login_required
@require_POST
def device_unmark(request: HttpRequest, pk: int) -> HttpResponse:
    """The device takes patients again: its studies are decided by the other rules."""
    device = _device(request, pk)
    try:
        counts = qa_device_unmark(actor=request.user, device=device)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"{device} takes patients; {counts['studies_unflagged']} studies count again."
        )
    return redirect("quality:site-lists", code=device.site.code)
