"""Fixtures for mapping tests: two sites, exams from the catalogue, studies with chosen names, people."""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps

from registry.models import Site, StandardExam, Study
from tests.ingest.conftest import send, site  # noqa: F401  (the pipeline: `send` stores corpus files at `site`)

_uids = itertools.count(1)
MakeStudy = Callable[..., Study]


@pytest.fixture(autouse=True)
def catalogue(db: None) -> None:
    """The whole seeded catalogue, seeded again if a transactional test emptied the table before this one."""
    importlib.import_module("registry.migrations.0003_standard_exam_catalogue").seed_catalogue(apps, None)


def exam(modality: str, name: str) -> StandardExam:
    """A catalogue exam; created if a transactional test emptied the seeded catalogue before this one."""
    return StandardExam.objects.get_or_create(modality=modality, name=name)[0]


@pytest.fixture
def make_study(db: None) -> MakeStudy:
    """A study with the given names, no reports (the rules only read study text and events)."""

    def _make(at: Site, description: str = "", modality: str = "CT", **values: Any) -> Study:
        return Study.objects.create(
            site=at,
            study_instance_uid=f"2.25.{next(_uids)}",
            modality=modality,
            modalities=modality,
            description=description,
            **values,
        )

    return _make


def exam_of(study: Study) -> str | None:
    """The study's standard exam name as stored now."""
    study.refresh_from_db()
    return study.standard_exam.name if study.standard_exam else None
