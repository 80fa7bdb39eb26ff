"""Mapping the one study a report is being stored into: the rules' CASE, compiled once per rule set.

`mapping_apply` re-maps many studies with one UPDATE; storing a report maps one study with the same CASE,
evaluated by the database as a SELECT of that row (registry.store calls `mapping_apply_to_study`). Django
compiling that CASE cost far more than the database evaluating it: 7 ms of a report's 26 with the demo's 44
rules. So the SELECT is compiled once for a given set of rules and reused while the set is unchanged. The
set itself is read on every report (one small query of the rules' columns) and is the cache's key, so a
rule added, changed, deactivated or removed is applied from the very next report: nothing can go stale.
That query's own SQL, which never changes, is compiled once as well.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import connection
from django.db.models import Case, Value, When

from registry.mapping.rules import rule_condition, rule_order
from registry.models import MappingRule, StandardExam, Study

# The columns that decide what a rule matches and where it stands in the order (`rules.rule_condition`).
RULE_COLUMNS = ("pk", "exam_id", "site_id", "field", "kind", "pattern", "priority", "exam__modality")
RuleSet = tuple[tuple[Any, ...], ...]
# A study key no study has: compiled in the study's place, then found among the parameters and replaced.
_PLACEHOLDER_KEY = -2_000_000_001


def mapping_apply_to_study(study: Study) -> None:
    """Map one study being stored (the ingest path), and keep the instance in step.

    The row is written only when its exam changes: a new study no rule matches, or a later report of a
    study mapped already, costs the rule set's query and the CASE's. The caller
    (registry.store.store_dose_report) moves the study's workload count itself.
    """
    rules = _active_rule_set()
    exam_id = None
    if rules:
        sql, params, position = _compiled_select(rules, connection.vendor)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params[:position], study.pk, *params[position + 1 :]])
            exam_id = cursor.fetchone()[0]
    if exam_id != study.standard_exam_id:
        Study.objects.filter(pk=study.pk).update(standard_exam_id=exam_id)
        study.standard_exam_id = exam_id


def _active_rule_set() -> RuleSet:
    """The active rules of active exams, as the columns that decide them, in the order they are tried."""
    with connection.cursor() as cursor:  # every stored report asks: a statement built once
        cursor.execute(*_rule_set_sql())
        rows = [tuple(row) for row in cursor.fetchall()]
    return tuple(sorted(rows, key=lambda row: rule_order(row[6], row[2], row[0])))


@functools.cache
def _rule_set_sql() -> tuple[str, list[Any]]:
    """RULE_COLUMNS of the active rules of active exams, compiled by Django once (its parameters: the two
    booleans, as the backend writes them)."""
    rows = MappingRule.objects.filter(active=True, exam__active=True).order_by()
    sql, params = rows.values_list(*RULE_COLUMNS).query.sql_with_params()
    return sql, list(params)


@functools.lru_cache(maxsize=4)
def _compiled_select(rules: RuleSet, vendor: str) -> tuple[str, tuple[Any, ...], int]:
    """The SELECT of one study's mapped exam under these rules: SQL, parameters, the study key's position.

    `vendor` is part of the key only: each database backend compiles its own SQL.
    """
    whens = [When(rule_condition(_rule(row)), then=Value(row[1])) for row in rules]
    mapped = Case(*whens, default=None)
    selected = Study.objects.filter(pk=_PLACEHOLDER_KEY).order_by().annotate(mapped=mapped)
    sql, params = selected.values_list("mapped", flat=True).query.sql_with_params()
    positions = [index for index, value in enumerate(params) if value == _PLACEHOLDER_KEY]
    if len(positions) != 1:
        raise AssertionError(f"the study key appears {len(positions)} times in the mapping SELECT")
    return sql, tuple(params), positions[0]


def _rule(row: tuple[Any, ...]) -> MappingRule:
    """A rule (and its exam's modality) from its columns, as `rule_condition` reads it; never saved."""
    pk, exam_id, site_id, field, kind, pattern, priority, modality = row
    rule = MappingRule(pk=pk, exam_id=exam_id, site_id=site_id, field=field, kind=kind, pattern=pattern)
    rule.priority = priority
    rule.exam = StandardExam(pk=exam_id, modality=modality)
    return rule
