"""`remap_studies` sets the exams again after an exam is deactivated in the admin."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from registry.mapping.rules import mapping_apply
from registry.models import MappingRule, Site, StandardExam, Study

pytestmark = pytest.mark.django_db


def test_deactivating_an_exam_unmaps_its_studies_once_remapped() -> None:
    site = Site.objects.create(code="A", name="A")
    exam = StandardExam.objects.create(modality="CT", name="Test head")
    MappingRule.objects.create(exam=exam, pattern="HEAD", kind="exact")
    study = Study.objects.create(
        site=site, study_instance_uid="1.2", modality="CT", modalities="CT", description="head"
    )
    mapping_apply()
    assert Study.objects.get(pk=study.pk).standard_exam == exam
    StandardExam.objects.filter(pk=exam.pk).update(active=False)
    call_command("remap_studies", stdout=StringIO())
    assert Study.objects.get(pk=study.pk).standard_exam is None
