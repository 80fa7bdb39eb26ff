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
