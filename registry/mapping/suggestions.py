"""Reads for the mapping work: which names are still unmapped, and which standard exam each probably is.

Suggestion score (0-100, higher is better), explained on the page:

1. **Other sites' rules first.** An active rule of another site, or a global one, that would match this
   name (exact and contains compare normalised text; a regex is tried on the name) is a mapping someone
   already decided; the more sites decided it, the higher it ranks. Such suggestions carry `sites` > 0.
2. **Then name similarity.** The mean of rapidfuzz's token-set and token-sort ratios between the
   normalised name and the normalised exam name (or its description, whichever is closer). Token-set
   alone calls "CT CHEST ABD PELVIS" a perfect "Chest" (every exam token is in the name); token-sort
   alone is fooled by word order; their mean prefers the exam that covers the name's words best.

Normalising: camel case is split ("AbdPel"), lowercased, punctuation and `^` (DICOM's component
separator) become spaces, a few common abbreviations are spelled out (abd → abdomen), modality words (ct,
xr, fl...) and words that say nothing about the exam (routine, adult, w, wo...) are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, QuerySet
from rapidfuzz import fuzz

from registry.models import (
    IrradiationEvent,
    MappingRule,
    MatchField,
    MatchKind,
    Site,
    StandardExam,
    Study,
    visible_sites,
)

_SPELLED_OUT = {
    "abd": "abdomen",
    "pel": "pelvis",
    "pelv": "pelvis",
    "thorax": "chest",
    "thx": "chest",
    "brain": "head",
    "cap": "chest abdomen pelvis",
    "tap": "chest abdomen pelvis",
    "lspine": "lumbar spine",
    "lws": "lumbar spine",
    "cspine": "cervical spine",
    "coro": "coronary",
    "lhc": "coronary angiography",
    "screen": "screening",
    "koronarangiographie": "coronary angiography",
    "angio": "angiography",
    "esophagram": "barium swallow",
    "ba": "barium",
    "mammo": "mammography",
    "mammogram": "mammography",
    "mammographie": "mammography",
}
_NOISE = {
    "ct",
    "xr",
    "dx",
    "cr",
    "fl",
    "rf",
    "xa",
    "mg",
    "nm",
    "routine",
    "standard",
    "adult",
    "w",
    "wo",
    "the",
}


def normalise(text: str) -> str:
    """Lowercase words without punctuation, abbreviations spelled out, noise words dropped."""
    split = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)  # "AbdPel" is two words
    words = re.sub(r"[^0-9a-z]+", " ", split.lower()).split()
    spelled = " ".join(_SPELLED_OUT.get(word, word) for word in words).split()
    return " ".join(word for word in spelled if word not in _NOISE)


def unmapped_names(
    user: Any,
    site: Site | None = None,
    field: str = MatchField.STUDY_DESCRIPTION,
    *,
    modality: str | None = None,
    roles: tuple[str, ...] | None = None,
) -> QuerySet[Any, dict[str, Any]]:
    """Distinct non-empty texts of unmapped studies per (site, modality), with study counts, busiest first.

    Rows: `site_pk`, `site_code`, `modality_code`, `name`, `studies`. Scoped to `visible_sites(user, roles)`;
    the counting is one GROUP BY in the database. For acquisition protocols a study counts once per name.
    """
    if field == MatchField.ACQUISITION_PROTOCOL:
        rows: QuerySet[Any, Any] = IrradiationEvent.objects.filter(study__standard_exam__isnull=True)
        prefix = "study__"
        column = "protocol"
    else:
        rows = Study.objects.filter(standard_exam__isnull=True)
        prefix = ""
        column = "description" if field == MatchField.STUDY_DESCRIPTION else "requested_procedure"
    rows = rows.filter(**{f"{prefix}site__in": visible_sites(user, roles=roles)}).exclude(**{column: ""})
    if site is not None:
        rows = rows.filter(**{f"{prefix}site": site})
    if modality:
        rows = rows.filter(**{f"{prefix}modality": modality})
    return (
        rows.values(
            site_pk=F(f"{prefix}site_id"),
            site_code=F(f"{prefix}site__code"),
            modality_code=F(f"{prefix}modality"),
            name=F(column),
        )
        .annotate(studies=Count("study" if prefix else "pk", distinct=bool(prefix)))
        .order_by("-studies", "name", "site_code")
    )


@dataclass(frozen=True)
class Suggestion:
    """A standard exam for a name: `sites` other sites' rules map the name to it; `score` = similarity."""

    exam: StandardExam
    score: int
    sites: int

    @property
    def reason(self) -> str:
        if self.sites:
            where = "1 other site maps" if self.sites == 1 else f"{self.sites} other sites map"
            return f"{where} this name here"
        return f"name similarity {self.score}/100"


def _rule_matches(rule: MappingRule, name: str) -> bool:
    if rule.kind == MatchKind.REGEX:
        try:
            return re.search(rule.pattern, name, re.IGNORECASE) is not None
        except re.error:  # PostgreSQL syntax Python does not know: no vote rather than no page
            return False
    pattern, text = normalise(rule.pattern), normalise(name)
    if rule.kind == MatchKind.EXACT:
        return pattern == text
    return bool(pattern) and pattern in text


def _votes(name: str, site: Site | None, rules: Sequence[MappingRule]) -> dict[int, set[int | None]]:
    """exam id → the other sites (None: a global rule) whose rules would map this name to it."""
    votes: dict[int, set[int | None]] = {}
    for rule in rules:
        if (site is None or rule.site_id != site.pk) and _rule_matches(rule, name):
            votes.setdefault(rule.exam_id, set()).add(rule.site_id)
    return votes


def suggestion_rules(field: str = MatchField.STUDY_DESCRIPTION) -> list[MappingRule]:
    """The rules suggestions consult; load them once for a page of names."""
    return list(
        MappingRule.objects.filter(active=True, exam__active=True, field=field).select_related("exam")
    )


def similarity(name: str, exam: StandardExam) -> int:
    """0-100: how close the name is to the exam's name or description (see the module docstring)."""
    text = normalise(name)
    best = 0.0
    for candidate in (exam.name, exam.description):
        other = normalise(candidate)
        if text and other:
            best = max(best, (fuzz.token_set_ratio(text, other) + fuzz.token_sort_ratio(text, other)) / 2)
    return round(best)


def suggestions(
    name: str,
    modality: str,
    *,
    site: Site | None = None,
    field: str = MatchField.STUDY_DESCRIPTION,
    limit: int = 3,
    exams: Sequence[StandardExam] | None = None,
    rules: Sequence[MappingRule] | None = None,
) -> list[Suggestion]:
    """The best few standard exams of `modality` for `name`: other sites' decisions first, then similarity.

    `site` is the site the name comes from; its own rules are left out (they would have mapped it already).
    A page of names passes `exams` (active ones) and `rules` (`suggestion_rules`) loaded once.
    """
    if exams is None:
        exams = list(StandardExam.objects.filter(active=True))
    if rules is None:
        rules = suggestion_rules(field)
    votes = _votes(name, site, [rule for rule in rules if rule.exam.modality == modality])
    ranked = [
        Suggestion(exam, similarity(name, exam), len(votes.get(exam.pk, ())))
        for exam in exams
        if exam.modality == modality
    ]
    ranked.sort(key=lambda suggestion: (-suggestion.sites, -suggestion.score, suggestion.exam.name))
    return [suggestion for suggestion in ranked[:limit] if suggestion.sites or suggestion.score > 0]
