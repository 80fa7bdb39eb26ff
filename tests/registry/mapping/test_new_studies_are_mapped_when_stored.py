"""A study stored through the ingest pipeline is mapped at once by the rules that exist then."""

from __future__ import annotations

import pytest

from registry.models import MappingRule, MatchKind, Study
from tests.ingest.conftest import Send
from tests.registry.mapping.conftest import exam, exam_of

pytestmark = pytest.mark.django_db


def test_a_stored_study_gets_the_exam_its_description_maps_to(send: Send) -> None:
    MappingRule.objects.create(exam=exam("CT", "Chest"), kind=MatchKind.CONTAINS, pattern="thorax^rtp")
    submission = send("CT-RDSR-Siemens-Multi-2.dcm")
    assert submission.study is not None
    assert submission.study.standard_exam_id == exam("CT", "Chest").pk
    assert exam_of(Study.objects.get()) == "Chest"


def test_a_stored_study_no_rule_matches_stays_unmapped(send: Send) -> None:
    MappingRule.objects.create(exam=exam("CT", "Head"), pattern="CT HEAD ROUTINE")
    send("CT-RDSR-Siemens-Multi-2.dcm")
    assert exam_of(Study.objects.get()) is None


def test_a_rule_changed_between_two_reports_maps_the_next_report_by_the_new_rule(send: Send) -> None:
    # The per-report SELECT is compiled once per set of rules (registry/mapping/one_study.py); the set is
    # read on every report, so an edited or deactivated rule is never applied from a stale compile.
    rule = MappingRule.objects.create(exam=exam("CT", "Chest"), kind=MatchKind.CONTAINS, pattern="thorax^rtp")
    multi = send("CT-RDSR-Siemens-Multi-2.dcm").study  # "Thorax^RTP_4DCT_Thorax_C (Adult)"
    assert multi is not None and exam_of(multi) == "Chest"

    rule.exam, rule.pattern = exam("CT", "Abdomen"), "thorax^thorax_non"
    rule.save()
    continued = send("CT-RDSR-Siemens-Continued-1.dcm").study  # "Thorax^Thorax_NON_CON (Adult)"
    assert continued is not None and exam_of(continued) == "Abdomen"

    rule.active = False
    rule.save()
    send("CT-RDSR-Siemens-Multi-3.dcm")  # a later report of the first study: mapped again, by no rule now
    assert exam_of(Study.objects.get(pk=multi.pk)) is None
    assert exam_of(Study.objects.get(pk=continued.pk)) == "Abdomen"
