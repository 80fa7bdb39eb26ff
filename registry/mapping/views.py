"""The mapping page: unmapped names with one-click suggestions, the rules, and the recent rule changes.

For people who manage mapping at one site at least (physicists, administrators) and superusers. Every
write goes through the services of registry.mapping.rules, which check the site again, audit and re-map.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from registry.mapping.rules import (
    mapping_rule_create,
    mapping_rule_delete,
    mapping_rule_update,
    may_manage_mapping,
)
from registry.mapping.suggestions import suggestion_rules, suggestions, unmapped_names
from registry.models import (
    AuditEvent,
    MappingRule,
    MatchField,
    MatchKind,
    Modality,
    Site,
    StandardExam,
    visible_sites,
)
from registry.models.access import MAPPING_ROLES

UNMAPPED_ROWS = 30
AUDIT_ROWS = 20


def _mapping_sites(request: HttpRequest) -> QuerySet[Site]:
    """Sites whose mapping the user manages; none at all is a 403 (superusers manage every site)."""
    sites = visible_sites(request.user, roles=MAPPING_ROLES)
    if not request.user.is_superuser and not sites.exists():
        raise PermissionDenied("Mapping needs the physicist or administrator role at a site.")
    return sites


class FilterForm(forms.Form):
    site = forms.ModelChoiceField(
        Site.objects.none(), required=False, to_field_name="code", empty_label="All"
    )
    modality = forms.ChoiceField(choices=[("", "All"), *Modality.choices], required=False)
    field = forms.ChoiceField(choices=MatchField.choices, required=False, label="Name from")
    all_sites = forms.BooleanField(required=False, label="New rules apply to all sites")

    def __init__(self, sites: QuerySet[Site], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]


class RuleFromNameForm(forms.Form):
    """One click on a suggestion (or the select): map this name, at this site or everywhere, to an exam."""

    name = forms.CharField(max_length=300, strip=False)
    # Any site: one the user does not manage is a 403 from the view, not a form error.
    site = forms.ModelChoiceField(Site.objects.all(), required=False, to_field_name="code")
    field = forms.ChoiceField(choices=MatchField.choices)
    exam = forms.ModelChoiceField(StandardExam.objects.filter(active=True))
    all_sites = forms.BooleanField(required=False)
    next = forms.CharField(required=False)


class RuleEditForm(forms.Form):
    pattern = forms.CharField(max_length=300)
    kind = forms.ChoiceField(choices=MatchKind.choices)
    priority = forms.IntegerField(help_text="Lower numbers are tried first.")
    active = forms.BooleanField(required=False)


def _back(request: HttpRequest, target: str | None) -> HttpResponseRedirect:
    """Back to the page the form was on (its filters kept), never to another host."""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(target)
    return redirect("mapping")


@login_required
@require_GET
def mapping_page(request: HttpRequest) -> HttpResponse:
    """Unmapped names (busiest first) with suggestions, the rules, and the recent changes."""
    sites = _mapping_sites(request)
    filters = FilterForm(sites, request.GET or None)
    chosen: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    site, modality = chosen.get("site"), chosen.get("modality") or None
    field = chosen.get("field") or MatchField.STUDY_DESCRIPTION
    names = unmapped_names(request.user, site, field, modality=modality, roles=MAPPING_ROLES)
    context = {
        "filters": filters,
        "field": field,
        "all_sites": bool(chosen.get("all_sites")) and request.user.is_superuser,
        "rows": _rows(list(names[:UNMAPPED_ROWS]), field),
        "more": max(0, names.count() - UNMAPPED_ROWS),
        "rules": _rules(request.user, sites, site),
        "changes": _changes(request.user, sites),
        "here": request.get_full_path(),
    }
    return render(request, "registry/mapping/page.html", context)


def _rows(names: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    """Each unmapped name with its suggestions and the exams of its modality (loaded once per page)."""
    exams = list(StandardExam.objects.filter(active=True))
    rules = suggestion_rules(field)
    sites = {site.pk: site for site in Site.objects.filter(pk__in={row["site_pk"] for row in names})}
    return [
        {
            **row,
            "suggestions": suggestions(
                row["name"],
                row["modality_code"],
                site=sites[row["site_pk"]],
                field=field,
                exams=exams,
                rules=rules,
            ),
            "exams": [exam for exam in exams if exam.modality == row["modality_code"]],
        }
        for row in names
    ]


def _rules(user: Any, sites: QuerySet[Site], site: Site | None) -> list[dict[str, Any]]:
    """The rules of the user's sites and the global ones; `editable` says which the user may change."""
    rules = MappingRule.objects.filter(Q(site__in=sites) | Q(site__isnull=True)).select_related(
        "exam", "site"
    )
    if site is not None:
        rules = rules.filter(Q(site=site) | Q(site__isnull=True))
    return [{"rule": rule, "editable": user.is_superuser or rule.site_id is not None} for rule in rules]


def _changes(user: Any, sites: QuerySet[Site]) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(action__startswith="mapping_rule.")
    if not user.is_superuser:
        events = events.filter(Q(site__in=sites) | Q(site__isnull=True))
    return events[:AUDIT_ROWS]


@login_required
@require_POST
def mapping_rule_new(request: HttpRequest) -> HttpResponse:
    """Create the rule a click asked for; the service re-maps history, the message says how many studies."""
    managed = _mapping_sites(request)
    code = request.POST.get("site")
    if code and not request.user.is_superuser and not managed.filter(code=code).exists():
        # Checked before the form, so an unknown code and another site's code get the same 403.
        raise PermissionDenied("You do not manage mapping there.")
    form = RuleFromNameForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Not mapped: {form.errors.as_text()}")
        return _back(request, request.POST.get("next"))
    data = form.cleaned_data
    site = None if data["all_sites"] else data["site"]
    try:  # mapping_rule_create refuses (403) a scope the person does not manage
        change = mapping_rule_create(
            actor=request.user, exam=data["exam"], pattern=data["name"], field=data["field"], site=site
        )
    except ValidationError as error:
        messages.error(request, f"Not mapped: {' '.join(error.messages)}")
    else:
        scope = site.code if site is not None else "all sites"
        messages.success(
            request,
            f"“{data['name']}” ({scope}) → {data['exam']}: {change.studies_mapped} studies mapped.",
        )
    return _back(request, data["next"])


def _managed_rule(request: HttpRequest, pk: int) -> MappingRule:
    """The rule, if the user manages it: 404 for other sites' rules (ids reveal nothing), 403 for rules
    they only see (global ones, or a site where they hold another role)."""
    _mapping_sites(request)
    seen = MappingRule.objects.filter(Q(site__in=visible_sites(request.user)) | Q(site__isnull=True))
    rule = get_object_or_404(seen.select_related("exam", "site"), pk=pk)
    if not may_manage_mapping(request.user, rule.site):
        raise PermissionDenied("You do not manage this rule.")
    return rule


@login_required
@require_http_methods(["GET", "POST"])
def mapping_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a rule's pattern, kind, priority or active flag; history is re-mapped on save."""
    rule = _managed_rule(request, pk)
    initial = {"pattern": rule.pattern, "kind": rule.kind, "priority": rule.priority, "active": rule.active}
    form = RuleEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            change = mapping_rule_update(actor=request.user, rule=rule, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, f"Rule saved: it maps {change.studies_mapped} studies.")
            return redirect(f"{reverse('mapping')}#rules")
    return render(request, "registry/mapping/rule_edit.html", {"rule": rule, "form": form})


@login_required
@require_POST
def mapping_rule_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a rule; the studies it mapped fall to the next matching rule, or become unmapped."""
    rule = _managed_rule(request, pk)
    description = str(rule)
    change = mapping_rule_delete(actor=request.user, rule=rule)
    messages.success(request, f"Rule deleted: {description}. {change.studies_updated} studies re-mapped.")
    return redirect(f"{reverse('mapping')}#rules")
