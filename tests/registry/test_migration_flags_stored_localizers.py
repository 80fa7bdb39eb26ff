"""Migration 0010 flags the CT events stored before the reader did, and keeps each study's highest CTDIvol."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from registry.models import IrradiationEvent, Site, Study
from tests.registry.conftest import Store

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("registry.migrations.0010_ct_localizers_and_ctdivol_max")


def test_stored_events_are_flagged_from_their_acquisition_type(store: Store, north: Site) -> None:
    study = store("CT-RDSR-Siemens-Multi-3.dcm")
    rf = store("RF-RDSR-Philips_Allura.dcm")
    IrradiationEvent.objects.update(localizer=None)  # as stored before 0010
    Study.objects.update(ctdivol_max_mgy=None)
    MIGRATION.flag_localizers_and_keep_ctdivol_max(apps, None)
    ct = list(study.events.filter(kind="ct").order_by("ctdivol_mgy").values_list("localizer", "ctdivol_mgy"))
    assert ct == [(True, 0.15), (False, 7.02), (False, 8.13)]
    assert not IrradiationEvent.objects.exclude(kind="ct").exclude(localizer=None).exists()
    study.refresh_from_db()
    assert study.ctdivol_max_mgy == 8.13
    rf.refresh_from_db()
    assert rf.ctdivol_max_mgy is None
