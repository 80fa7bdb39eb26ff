"""A registry-wide role (a membership without a site) sees every counting site by name: no peer is anonymous.

Checked in the API's answer and in the DRL chart the dashboard serves to the same person.
"""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from registry.models import Role, StandardExam
from tests.conftest import person
from tests.registry.statistics.conftest import DRL_URL, dlp_studies, drl_query

pytestmark = pytest.mark.django_db

CODES = ("SITE-A", "SITE-B", "SITE-C", "SITE-D", "SITE-E")


@pytest.fixture
def auditor(exam: StandardExam, small_minimum: None) -> User:
    for number, code in enumerate(CODES, start=1):
        dlp_studies(code, exam, 100 * number, 110 * number, 120 * number)
    return person("inspector", (None, Role.AUDITOR))


def test_the_api_names_every_site_and_lists_no_peer(auditor: User, exam: StandardExam) -> None:
    client = APIClient()
    client.force_authenticate(auditor)
    body = client.get(DRL_URL, drl_query(exam)).json()
    assert [row["site"] for row in body["sites"]] == list(CODES)
    assert body["peers"] == []
    # Medians 110 220 330 440 550: DRL at position 3, 440.
    assert (body["registry"]["drl"], body["registry"]["sites_counted"]) == (440.0, 5)


def test_the_drl_chart_names_every_site(auditor: User, exam: StandardExam) -> None:
    client = Client()
    client.force_login(auditor)
    html = client.get("/dashboards/drl/", drl_query(exam)).content.decode()
    payload = re.search(r'<script id="chart-drl" type="application/json">(.*?)</script>', html, re.DOTALL)
    assert payload is not None
    bars = {label for trace in json.loads(payload[1])["data"] for label in trace["x"]}
    assert bars == set(CODES)
