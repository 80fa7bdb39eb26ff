"""Free-text exam names → standard exams: the rule engine (one UPDATE) and the rule services that drive it.

Rule order, first match wins: lower `priority` first; at equal priority a site's own rule before a global
one (the site knows its names best); then the older rule. A rule only matches studies at its site (when
it has one) that include its exam's modality. Matching ignores case: exact → `iexact`, contains →
`icontains`, regex → `iregex` (PostgreSQL's regular expressions, Python's `re` on SQLite). Re-mapping is
always done by the database in one `UPDATE ... SET standard_exam_id = CASE WHEN ... END`, never by a
Python loop over studies, so it costs the same for ten studies as for ten million.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When

from registry.models import (
    IrradiationEvent,
    MappingRule,
    MatchField,
    MatchKind,
    Site,
    StandardExam,
    Study,
    actor_user,
    audit_record,
    visible_sites,
)
from registry.models.access import MAPPING_ROLES
from registry.statistics.workload import sites_touched, workload_recount

_LOOKUPS = {MatchKind.EXACT: "iexact", MatchKind.CONTAINS: "icontains", MatchKind.REGEX: "iregex"}
_STUDY_COLUMNS = {
    MatchField.STUDY_DESCRIPTION: "description",
    MatchField.REQUESTED_PROCEDURE: "requested_procedure",
}


def rule_condition(rule: MappingRule) -> Q:
    """The studies a rule matches, as a Q the database evaluates (events through EXISTS)."""
    lookup = _LOOKUPS[MatchKind(rule.kind)]
    if rule.field == MatchField.ACQUISITION_PROTOCOL:
        events = IrradiationEvent.objects.filter(
            study=OuterRef("pk"), **{f"protocol__{lookup}": rule.pattern}
        )
        condition = Q(Exists(events))
    else:
        condition = Q(**{f"{_STUDY_COLUMNS[MatchField(rule.field)]}__{lookup}": rule.pattern})
    condition &= Q(modalities__contains=rule.exam.modality)
    if rule.site_id is not None:
        condition &= Q(site_id=rule.site_id)
    return condition


def rule_order(priority: int, site_id: int | None, pk: int) -> tuple[int, bool, int]:
    """Where a rule stands in the order rules are tried (see the module docstring)."""
    return priority, site_id is None, pk


def active_rules() -> list[MappingRule]:
    """Active rules of active exams in the order they are tried (see the module docstring)."""
    rules = MappingRule.objects.filter(active=True, exam__active=True).select_related("exam")
    return sorted(rules, key=lambda rule: rule_order(rule.priority, rule.site_id, rule.pk))


def _rules_case() -> Case | None:
    """The exam of the first active rule a study matches, as one CASE; None when there are no rules."""
    whens = [When(rule_condition(rule), then=Value(rule.exam_id)) for rule in active_rules()]
    return Case(*whens, default=None) if whens else None


def _apply_rules(target: QuerySet[Study]) -> int:
    case = _rules_case()
    return target.update(standard_exam=case)


@transaction.atomic
def mapping_apply(*, studies: QuerySet[Study] | None = None) -> int:
    """Set every study's standard exam (all studies, or `studies`) from the active rules; one UPDATE.

    Returns the number of studies the UPDATE touched. Studies no rule matches get no standard exam. The
    workload counts of the sites touched are recounted in the same transaction (registry.statistics.workload).
    """
    target = Study.objects.all() if studies is None else studies
    site_ids = None if studies is None else sites_touched(target)  # before the UPDATE changes `target`
    updated = _apply_rules(target)
    workload_recount(site_ids)
    return updated


def may_manage_mapping(user: Any, site: Site | None) -> bool:
    """Global rules: superusers only; a site's rules: its physicists and administrators (and superusers)."""
    if site is None:
        return bool(getattr(user, "is_superuser", False))
    return visible_sites(user, roles=MAPPING_ROLES).filter(pk=site.pk).exists()


@dataclass(frozen=True)
class RuleChange:
    """A changed rule and how many studies it now maps (for the page's message)."""

    rule: MappingRule | None
    studies_mapped: int
    studies_updated: int


def rule_as_dict(rule: MappingRule) -> dict[str, Any]:
    """A rule's state for the audit trail: ids and readable names, so the trail reads without joins."""
    return {
        "exam_id": rule.exam_id,
        "exam": str(rule.exam),
        "site": rule.site.code if rule.site is not None else None,
        "field": rule.field,
        "kind": rule.kind,
        "pattern": rule.pattern,
        "priority": rule.priority,
        "active": rule.active,
    }


def _check_actor(actor: Any, site: Site | None) -> None:
    """People are checked; a plain string actor is the system (a management command), which may do all."""
    if not isinstance(actor, str) and not may_manage_mapping(actor, site):
        raise PermissionDenied("Mapping rules need the physicist or administrator role (global: superuser).")


def _validate(rule: MappingRule) -> None:
    """A blank pattern would match empty names everywhere; a bad regex would fail inside the UPDATE."""
    rule.pattern = rule.pattern.strip()
    if not rule.pattern:
        raise ValidationError({"pattern": "The pattern must not be empty."})
    if rule.kind == MatchKind.REGEX:
        try:
            re.compile(rule.pattern)
        except re.error as error:
            raise ValidationError({"pattern": f"Not a valid regular expression: {error}."}) from error
    rule.full_clean(exclude=["created_by"])
    if not rule.exam.active:
        raise ValidationError({"exam": "This standard exam is inactive."})
    twins = MappingRule.objects.filter(
        site=rule.site, field=rule.field, kind=rule.kind, pattern__iexact=rule.pattern, active=True
    ).exclude(pk=rule.pk)
    if rule.active and twins.exists():
        raise ValidationError({"pattern": "An active rule with this pattern exists for this scope."})


def _remap(conditions: list[Q], site_id: int | None) -> int:
    """Re-map only the studies a rule matched before or matches now, at its site (or everywhere if global).

    A study the old and the new rule both miss keeps its exam: that rule was never its first match.
    """
    scope = Study.objects.filter(reduce(operator.or_, conditions))
    if site_id is not None:
        scope = scope.filter(site_id=site_id)
    return mapping_apply(studies=scope)


def _mapped_by(rule: MappingRule) -> int:
    return Study.objects.filter(rule_condition(rule), standard_exam_id=rule.exam_id).count()


@transaction.atomic
def mapping_rule_create(
    *,
    actor: Any,
    exam: StandardExam,
    pattern: str,
    field: str = MatchField.STUDY_DESCRIPTION,
    kind: str = MatchKind.EXACT,
    site: Site | None = None,
    priority: int = 100,
) -> RuleChange:
    """Add a rule, audit it and re-map the history it touches, all in one transaction."""
    _check_actor(actor, site)
    user = actor_user(actor)
    rule = MappingRule(
        exam=exam, site=site, field=field, kind=kind, pattern=pattern, priority=priority, created_by=user
    )
    _validate(rule)
    rule.save()
    updated = _remap([rule_condition(rule)], rule.site_id)
    change = RuleChange(rule, _mapped_by(rule), updated)
    _audit(actor, "mapping_rule.created", rule, rule.site, None, rule_as_dict(rule), change)
    return change


@transaction.atomic
def mapping_rule_update(
    *,
    actor: Any,
    rule: MappingRule,
    exam: StandardExam | None = None,
    pattern: str | None = None,
    field: str | None = None,
    kind: str | None = None,
    priority: int | None = None,
    active: bool | None = None,
) -> RuleChange:
    """Change a rule (None leaves a value as it is; the site cannot change: delete and re-create)."""
    _check_actor(actor, rule.site)
    rule = MappingRule.objects.select_for_update(of=("self",)).select_related("exam", "site").get(pk=rule.pk)
    before, old_condition = rule_as_dict(rule), rule_condition(rule)
    changes = {"exam": exam, "pattern": pattern, "field": field, "kind": kind, "priority": priority}
    for name, value in (changes | {"active": active}).items():
        if value is not None:
            setattr(rule, name, value)
    _validate(rule)
    rule.save()
    updated = _remap([old_condition, rule_condition(rule)], rule.site_id)
    change = RuleChange(rule, _mapped_by(rule) if rule.active else 0, updated)
    _audit(actor, "mapping_rule.updated", rule, rule.site, before, rule_as_dict(rule), change)
    return change


@transaction.atomic
def mapping_rule_delete(*, actor: Any, rule: MappingRule) -> RuleChange:
    """Delete a rule, audit it, and re-map the studies it matched (they fall to the next rule, or none)."""
    _check_actor(actor, rule.site)
    before, old_condition, site = rule_as_dict(rule), rule_condition(rule), rule.site
    audited = MappingRule(pk=rule.pk)  # the audit row names the rule's id after the row itself is gone
    rule.delete()
    updated = _remap([old_condition], site.pk if site is not None else None)
    change = RuleChange(None, 0, updated)
    _audit(actor, "mapping_rule.deleted", audited, site, before, None, change)
    return change


def _audit(
    actor: Any,
    action: str,
    rule: MappingRule,
    site: Site | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    change: RuleChange,
) -> None:
    detail = {"studies_mapped": change.studies_mapped, "studies_updated": change.studies_updated}
    audit_record(actor=actor, action=action, obj=rule, before=before, after=after, site=site, detail=detail)
