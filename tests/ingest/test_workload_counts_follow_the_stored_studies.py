"""The workload table counts each stored study once, under the key it has now, through every change.

Study dates, modalities and descriptions below were read from the corpus files with pydicom (StudyDate,
the SR's report type, StudyDescription); the table must always equal a fresh count of the studies.
"""

from __future__ import annotations

import threading
from datetime import date
from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test import RequestFactory

from ingest.rdsr import read
from registry.mapping.rules import mapping_rule_create
from registry.models import MatchKind, MonthlyWorkload, Site, StandardExam, Study
from registry.models.workload import UNMAPPED
from registry.statistics.workload import workload_drift, workload_recount
from registry.store import store_dose_report
from tests.conftest import corpus_file
from tests.ingest.conftest import Send

pytestmark = pytest.mark.django_db

MULTI = ["CT-RDSR-Siemens-Multi-1.dcm", "CT-RDSR-Siemens-Multi-2.dcm", "CT-RDSR-Siemens-Multi-3.dcm"]


def rows() -> set[tuple[date, str, int, int]]:
    return {
        (row.month, row.modalities, row.exam_key, row.studies)
        for row in MonthlyWorkload.objects.filter(studies__gt=0)
    }


def test_three_cumulative_reports_of_one_study_count_one_study(send: Send) -> None:
    send(*MULTI)  # StudyDate 20180105 in all three
    assert rows() == {(date(2018, 1, 1), "CT", UNMAPPED, 1)}
    assert workload_drift() == {}


def test_a_pet_ct_study_moves_from_nm_to_ct_nm_when_its_ct_report_arrives(send: Send) -> None:
    send("NM-RRDSR-Siemens.dcm")  # StudyDate 20220224, radiopharmaceutical report
    assert rows() == {(date(2022, 2, 1), "NM", UNMAPPED, 1)}
    send("NM-CT-RDSR-Siemens.dcm")  # the same StudyInstanceUID, a CT report
    assert rows() == {(date(2022, 2, 1), "CT,NM", UNMAPPED, 1)}
    assert workload_drift() == {}


def test_duplicates_and_several_studies_count_as_studies(send: Send) -> None:
    send("CT-RDSR-GEPixelMed.dcm", "CT-RDSR-GEPixelMed.dcm", "DX-RDSR-Canon_CXDI.dcm", *MULTI)
    assert sum(row.studies for row in MonthlyWorkload.objects.all()) == Study.objects.count() == 3
    assert (date(2013, 3, 1), "CT", UNMAPPED, 1) in rows()  # GEPixelMed: StudyDate 20130313
    assert workload_drift() == {}


def test_a_new_mapping_rule_moves_the_history_it_maps(send: Send) -> None:
    send("NM-RRDSR-Siemens.dcm", "NM-CT-RDSR-Siemens.dcm", *MULTI)
    exam = StandardExam.objects.get_or_create(modality="NM", name="FDG PET/CT whole body")[0]
    # StudyDescription "PET/CT Ganzkoerper FDG"; the Multi study is "Thorax^RTP_4DCT_Thorax_C (Adult)"
    mapping_rule_create(actor="test", exam=exam, pattern="Ganzkoerper", kind=MatchKind.CONTAINS)
    assert rows() == {(date(2022, 2, 1), "CT,NM", exam.pk, 1), (date(2018, 1, 1), "CT", UNMAPPED, 1)}
    assert workload_drift() == {}


def test_deleting_studies_in_the_admin_recounts_their_site(send: Send) -> None:
    send("CT-RDSR-GEPixelMed.dcm", *MULTI)
    request = RequestFactory().post("/admin/")
    request.user = User.objects.create_superuser("root", password="x")
    study_admin = admin.site._registry[Study]
    study_admin.delete_queryset(request, Study.objects.filter(study_date=date(2018, 1, 5)))
    assert rows() == {(date(2013, 3, 1), "CT", UNMAPPED, 1)}
    assert workload_drift() == {}


def test_changing_or_deleting_one_study_in_the_admin_moves_its_count(send: Send) -> None:
    send("CT-RDSR-GEPixelMed.dcm", *MULTI)
    request = RequestFactory().post("/admin/")
    request.user = User.objects.create_superuser("root", password="x")
    study_admin = admin.site._registry[Study]
    multi = Study.objects.get(study_date=date(2018, 1, 5))
    exam = StandardExam.objects.get_or_create(modality="CT", name="Chest")[0]
    multi.standard_exam = exam
    study_admin.save_model(request, multi, form=None, change=True)
    assert rows() == {(date(2018, 1, 1), "CT", exam.pk, 1), (date(2013, 3, 1), "CT", UNMAPPED, 1)}
    study_admin.delete_model(request, Study.objects.get(pk=multi.pk))
    assert rows() == {(date(2013, 3, 1), "CT", UNMAPPED, 1)}
    assert workload_drift() == {}


def test_a_recount_repairs_a_table_that_drifted(send: Send) -> None:
    send("CT-RDSR-GEPixelMed.dcm", "DX-RDSR-Canon_CXDI.dcm")
    MonthlyWorkload.objects.update(studies=7)
    assert len(workload_drift()) == 2
    assert workload_recount() == 2
    assert workload_drift() == {}


def test_the_rebuild_command_checks_and_repairs(send: Send) -> None:
    send("CT-RDSR-GEPixelMed.dcm")
    call_command("rebuild_workload", "--check", stdout=StringIO())
    MonthlyWorkload.objects.update(studies=5)
    with pytest.raises(CommandError, match="1 workload counts differ"):
        call_command("rebuild_workload", "--check", stdout=StringIO())
    out = StringIO()
    call_command("rebuild_workload", stdout=out)
    assert out.getvalue() == "1 workload counts written\n"
    assert rows() == {(date(2013, 3, 1), "CT", UNMAPPED, 1)}


@pytest.mark.django_db(transaction=True)
def test_a_recount_waits_for_a_report_being_stored_at_its_site(site: Site) -> None:
    """PostgreSQL: the recount's FOR UPDATE on the site waits for the storing transaction's KEY SHARE."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite lets one transaction write at a time")
    report = read(corpus_file("CT-RDSR-GEPixelMed.dcm")).as_dict()
    stored, release, recounted = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def store() -> None:
        try:
            with transaction.atomic():
                store_dose_report(site=site, report=report)
                stored.set()
                release.wait(10)
        except BaseException as error:  # reported by the test thread
            errors.append(error)
        finally:
            connections.close_all()  # this thread's own connection

    def recount() -> None:
        try:
            workload_recount([site.pk])
            recounted.set()
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    storing = threading.Thread(target=store)
    storing.start()
    assert stored.wait(10)
    counting = threading.Thread(target=recount)
    counting.start()
    assert not recounted.wait(1.0)  # held back while the report's transaction is open
    release.set()
    storing.join(10)
    counting.join(10)
    assert recounted.is_set() and errors == []
    assert rows() == {(date(2013, 3, 1), "CT", UNMAPPED, 1)}
    assert workload_drift() == {}
