"""The declared role matrix: what anonymous visitors and each role get from every URL pattern of Kerma.

Each role is a member of site A only (the superuser is a member nowhere). A row says, per method, the
status each role gets for the route at site A (`mine`) and, for routes that name an object or a site, for
site B's (`theirs`). Objects in the URL path of another site are 404, so ids reveal nothing; a site named
in a form or an export filter is refused with 403 (an empty answer would read as "no data"). "-" marks a
case that cannot arise (an uploader never owns an export job: starting one is already refused).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model

from ingest.models import Channel, Submission
from ingest.pacs.models import PacsNode
from registry.exports.selection import ExportRequest, export_record
from registry.models import MappingRule, QADevice, QAPatient, QASource, Site, StandardExam, UploadToken
from tests.registry.reference_levels.conftest import local_dap
from tests.registry.statistics.conftest import DeviceFactory, StudyFactory

ANONYMOUS, SUPERUSER = "anonymous", "superuser"
ROLES = (ANONYMOUS, "uploader", "physicist", "auditor", "administrator", SUPERUSER)
Statuses = dict[str, int | None]


@dataclass(frozen=True)
class World:
    """Two sites, an exam, and a person of neither site who authors the objects nobody asking owns."""

    a: Site
    b: Site
    exam: StandardExam
    author: User


@dataclass(frozen=True)
class Call:
    """One request: path arguments, query or form, the object a refused POST must leave as it was, and
    a text (the object's id) that a 200 for another site's object must not contain."""

    kwargs: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    form: dict[str, Any] = field(default_factory=dict)
    obj: Model | None = None
    marker: str = ""


Target = Callable[[World, Site, User | None], Call]


def statuses(text: str) -> Statuses:
    """'302 200 403 ...' in the order of ROLES; '-' where the case cannot arise."""
    cells = text.split()
    if len(cells) != len(ROLES):
        raise ValueError(f"{text!r}: one status for each of {', '.join(ROLES)}")
    return {role: None if cell == "-" else int(cell) for role, cell in zip(ROLES, cells, strict=True)}


def nothing(world: World, site: Site, user: User | None) -> Call:
    return Call()


@dataclass(frozen=True)
class Route:
    """A URL pattern's row: method → statuses at site A (`mine`) and for site B's object (`theirs`).

    `public` routes are open to anonymous visitors on purpose; every other route must send them to the
    login page (pages) or answer 401 with WWW-Authenticate (the API), and the test checks that it does.
    """

    mine: dict[str, Statuses]
    theirs: dict[str, Statuses] = field(default_factory=dict)
    target: Target = nothing
    public: bool = False


def row(
    mine: dict[str, str],
    theirs: dict[str, str] | None = None,
    target: Target = nothing,
    *,
    public: bool = False,
) -> Route:
    """A Route from the matrix's compact spelling: method → 'anonymous uploader ... superuser' statuses."""

    def parse(texts: dict[str, str]) -> dict[str, Statuses]:
        return {method: statuses(text) for method, text in texts.items()}

    return Route(parse(mine), parse(theirs or {}), target, public)


# The objects behind the routes: each made at the site asked for (A for `mine`, B for `theirs`).


def study(world: World, site: Site, user: User | None) -> Call:
    made = StudyFactory.create(site=site, standard_exam=world.exam, ct_dlp_total_mgycm=300.0)
    return Call(kwargs={"pk": made.pk}, obj=made)


def submission(world: World, site: Site, user: User | None) -> Call:
    made = Submission.objects.create(site=site, channel=Channel.API, sha256="0" * 64, filename="rm.dcm")
    return Call(kwargs={"pk": made.pk}, obj=made, marker=str(made.pk))


def submission_ids(world: World, site: Site, user: User | None) -> Call:
    """The upload page's status poll for one submission of the site."""
    made = submission(world, site, user)
    return Call(query={"ids": made.marker}, marker=made.marker)


def upload(world: World, site: Site, user: User | None) -> Call:
    report = SimpleUploadedFile("rm.dcm", b"not yet read", content_type="application/dicom")
    return Call(form={"file": report, "site": site.code})


def job(world: World, site: Site, user: User | None) -> Call:
    """The asker's own export job at site A; at site B, a job of someone else (jobs belong to people)."""
    owner = user if site == world.a and user is not None else world.author
    made = export_record(actor=owner, request=ExportRequest("csv", "studies", {"site": site.code}, 5, "job"))
    return Call(kwargs={"pk": made.pk}, obj=made)


def site_filter(world: World, site: Site, user: User | None) -> Call:
    return Call(query={"site": site.code})


def drl_query(world: World, site: Site, user: User | None) -> Call:
    return Call(query={"modality": "CT", "exam": world.exam.pk, "metric": "dlp"})


def rule_form(world: World, site: Site, user: User | None) -> Call:
    """The one-click form of the mapping page, naming the site the new rule is for."""
    form = {"name": "HEAD WO", "site": site.code, "field": "study_description", "exam": world.exam.pk}
    return Call(form=form)


def rule(world: World, site: Site, user: User | None) -> Call:
    made = MappingRule.objects.create(exam=world.exam, pattern="HEAD WO", site=site)
    form = {"pattern": "HEAD WITHOUT", "kind": "exact", "priority": "100", "active": "on"}
    return Call(kwargs={"pk": made.pk}, form=form, obj=made)


def level(world: World, site: Site, user: User | None) -> Call:
    made = local_dap(site, world.author)
    return Call(kwargs={"pk": made.pk}, form={"value": "12", "note": "role matrix"}, obj=made)


def site_tokens(world: World, site: Site, user: User | None) -> Call:
    """The site's token pages; an active token, so a refused rotation can be seen to revoke nothing."""
    token, _ = UploadToken.issue(site, label="gateway")
    return Call(kwargs={"code": site.code}, form={"label": "role matrix", "confirm": "on"}, obj=token)


def token(world: World, site: Site, user: User | None) -> Call:
    made, _ = UploadToken.issue(site, label="gateway")
    return Call(kwargs={"code": site.code, "pk": made.pk}, obj=made)


def study_to_flag(world: World, site: Site, user: User | None) -> Call:
    made = study(world, site, user)
    return Call(kwargs=made.kwargs, form={"reason": "role matrix: a phantom"}, obj=made.obj)


def qa_study(world: World, site: Site, user: User | None) -> Call:
    """A study the rules flagged as a QA scan, for the unflag form."""
    made = StudyFactory.create(site=site, qa=True, qa_source=QASource.TEXT, qa_reason="Daily QA")
    return Call(kwargs={"pk": made.pk}, form={"reason": "role matrix: a patient"}, obj=made)


def qa_lists(world: World, site: Site, user: User | None) -> Call:
    """The site's QA lists page, and the form that puts a patient ID on its list."""
    return Call(kwargs={"code": site.code}, form={"patient_id": "PHANTOM-1", "label": "CTDI head phantom"})


def qa_patient(world: World, site: Site, user: User | None) -> Call:
    made = QAPatient.objects.create(site=site, patient_pseudonym="0" * 64, label="CTDI body phantom")
    return Call(kwargs={"pk": made.pk}, obj=made)


def device_to_mark(world: World, site: Site, user: User | None) -> Call:
    made = DeviceFactory.create(site=site)
    return Call(kwargs={"pk": made.pk}, form={"reason": "role matrix: a test bench"}, obj=made)


def qa_device(world: World, site: Site, user: User | None) -> Call:
    made = QADevice.objects.create(device=DeviceFactory.create(site=site), reason="test bench")
    return Call(kwargs={"pk": made.device_id}, obj=made)


def pacs_node(world: World, site: Site, user: User | None) -> Call:
    """A C-GET node on a port where nothing listens: its queries and runs are refused at once."""
    made = PacsNode.objects.create(
        site=site, name="rm", ae_title="RM-PACS", host="127.0.0.1", port=9, retrieve_method="get"
    )
    window = {"date_from": "2024-01-01", "date_to": "2024-01-31"}
    return Call(kwargs={"pk": made.pk}, query=window, form={**_pacs_form(site, "rm"), **window}, obj=made)


def pacs_new_node(world: World, site: Site, user: User | None) -> Call:
    return Call(form=_pacs_form(site, "new"))


def _pacs_form(site: Site, name: str) -> dict[str, Any]:
    return {
        "site": site.code,
        "name": name,
        "ae_title": f"{name.upper()}-PACS",
        "host": "127.0.0.1",
        "port": 9,
        "retrieve_method": "get",
        "modalities": "SR",
        "lookback_days": 3,
    }


def fixed(**kwargs: Any) -> Target:
    """Path arguments that name no object of a site (a chart kind, a DICOM UID, a reset link)."""
    return lambda world, site, user: Call(kwargs=kwargs)


# fmt: off
# Columns: anonymous uploader physicist auditor administrator superuser.
EVERYONE = "200 200 200 200 200 200"
MEMBERS, API_MEMBERS = "302 200 200 200 200 200", "401 200 200 200 200 200"
EXPORTERS, EXPORTERS_THEIRS = "302 403 200 200 200 200", "302 403 403 403 403 200"
MAPPERS, MAPPERS_POST = "302 403 200 403 200 200", "302 403 302 403 302 302"
ADMINS, ADMINS_POST = "302 403 403 403 200 200", "302 403 403 403 302 302"
PHYSICISTS_POST = "302 403 302 403 403 302"
NOT_THEIRS, NOT_THEIRS_POST = "302 404 404 404 404 200", "302 404 404 404 404 302"
ADMIN_FORM = {"GET": ADMINS, "POST": ADMINS_POST}
NOT_THEIR_FORM = {"GET": NOT_THEIRS, "POST": NOT_THEIRS_POST}

MATRIX: dict[str, Route] = {
    # Public: signing in and out, password reset, the health check, CSP reports, the OpenAPI schema.
    "healthz": row({"GET": EVERYONE}, public=True),
    "login": row({"GET": EVERYONE}, public=True),
    "logout": row({"POST": "302 302 302 302 302 302"}, public=True),
    "password_reset": row({"GET": EVERYONE}, public=True),
    "password_reset_done": row({"GET": EVERYONE}, public=True),
    "password_reset_confirm": row({"GET": EVERYONE}, target=fixed(uidb64="x", token="y"), public=True),
    "password_reset_complete": row({"GET": EVERYONE}, public=True),
    "access:csp-report": row({"POST": "204 204 204 204 204 204"}, public=True),
    "api-schema": row({"GET": EVERYONE}, public=True),
    # Any member: the home page, dashboards, studies, the reference-level library, ingest status.
    "home": row({"GET": MEMBERS}),
    "dashboard-drl": row({"GET": MEMBERS}),
    "dashboard-chart": row({"GET": MEMBERS}, target=fixed(kind="drl")),
    "dashboard-protocols": row({"GET": MEMBERS}),
    "dashboard-protocol-chart": row({"GET": MEMBERS}, target=fixed(kind="protocols")),
    "studies": row({"GET": MEMBERS}),
    "study": row({"GET": MEMBERS}, {"GET": NOT_THEIRS}, study),
    "reference_levels:list": row({"GET": MEMBERS}),
    "reference_levels:history": row({"GET": MEMBERS}, {"GET": NOT_THEIRS}, level),
    "upload-summary": row({"GET": MEMBERS}),
    "upload-status": row({"GET": MEMBERS}, {"GET": MEMBERS}, submission_ids),  # others' ids left out
    # Uploading: uploaders and administrators (a refused POST stores nothing).
    "upload": row({"GET": "302 200 403 403 200 200", "POST": "302 200 403 403 200 200"}),
    # The API: 401 for anonymous callers, another site's objects 404.
    "api-study-list": row({"GET": API_MEMBERS}),
    "api-study-detail": row({"GET": API_MEMBERS}, {"GET": "401 404 404 404 404 200"}, study),
    "api-stats-drl": row({"GET": API_MEMBERS}, target=drl_query),
    "api-submission-list": row(
        {"POST": "401 202 403 403 202 202"}, {"POST": "401 403 403 403 403 202"}, upload
    ),
    "api-submission-detail": row({"GET": API_MEMBERS}, {"GET": "401 404 404 404 404 200"}, submission),
    # STOW-RS takes site tokens only: a session is not a DICOM sender.
    "dicomweb-studies": row({"POST": "401 401 401 401 401 401"}),
    "dicomweb-study": row({"POST": "401 401 401 401 401 401"}, target=fixed(study_uid="1.2.3")),
    # Mapping and local reference levels: physicists and administrators of the site.
    "mapping": row({"GET": MAPPERS}),
    "mapping-rule-new": row({"POST": MAPPERS_POST}, {"POST": "302 403 403 403 403 302"}, rule_form),
    "mapping-rule-edit": row(
        {"GET": MAPPERS, "POST": MAPPERS_POST},
        {"GET": "302 403 404 403 404 200", "POST": "302 403 404 403 404 302"},
        rule,
    ),
    "mapping-rule-delete": row({"POST": MAPPERS_POST}, {"POST": "302 403 404 403 404 302"}, rule),
    "reference_levels:add": row({"GET": MAPPERS, "POST": MAPPERS}),
    "reference_levels:revise": row(
        {"GET": MAPPERS, "POST": MAPPERS_POST}, {"GET": NOT_THEIRS, "POST": NOT_THEIRS_POST}, level
    ),
    # QA scans: every member reads them; physicists decide (flag, unflag, QA-only devices); physicists and
    # administrators keep the site's QA patient IDs.
    "quality:qa-studies": row({"GET": MEMBERS}),
    "quality:study-flag": row({"POST": PHYSICISTS_POST}, {"POST": NOT_THEIRS_POST}, study_to_flag),
    "quality:study-unflag": row({"POST": PHYSICISTS_POST}, {"POST": NOT_THEIRS_POST}, qa_study),
    "quality:site-lists": row({"GET": MAPPERS}, {"GET": NOT_THEIRS}, qa_lists),
    "quality:qa-patient-add": row({"POST": MAPPERS_POST}, {"POST": NOT_THEIRS_POST}, qa_lists),
    "quality:qa-patient-remove": row({"POST": MAPPERS_POST}, {"POST": NOT_THEIRS_POST}, qa_patient),
    "quality:device-mark": row({"POST": PHYSICISTS_POST}, {"POST": NOT_THEIRS_POST}, device_to_mark),
    "quality:device-unmark": row({"POST": PHYSICISTS_POST}, {"POST": NOT_THEIRS_POST}, qa_device),
    # Exports: physicists, auditors and administrators; jobs belong to the person who started them.
    "exports:reports": row({"GET": EXPORTERS}),
    "exports:studies-csv": row({"GET": EXPORTERS}, {"GET": EXPORTERS_THEIRS}, site_filter),
    "exports:events-csv": row({"GET": EXPORTERS}, {"GET": EXPORTERS_THEIRS}, site_filter),
    "exports:studies-xlsx": row({"GET": EXPORTERS}, {"GET": EXPORTERS_THEIRS}, site_filter),
    "exports:events-xlsx": row({"GET": EXPORTERS}, {"GET": EXPORTERS_THEIRS}, site_filter),
    "audit-report-pdf": row({"GET": EXPORTERS}, {"GET": EXPORTERS_THEIRS}, site_filter),
    "exports:job": row({"GET": "302 - 200 200 200 200"}, {"GET": "302 404 404 404 404 404"}, job),
    "exports:job-status": row({"GET": "302 - 200 200 200 200"}, {"GET": "302 404 404 404 404 404"}, job),
    "exports:job-download": row({"GET": "302 - 302 302 302 302"}, {"GET": "302 404 404 404 404 404"}, job),
    # The audit log: auditors and administrators.
    "access:audit-log": row({"GET": "302 403 403 200 200 200"}),
    "access:audit-log-csv": row({"GET": "302 403 403 200 200 200"}),
    # Upload tokens: the site's administrators.
    "access:token-sites": row({"GET": ADMINS}),
    "access:token-list": row({"GET": ADMINS}, {"GET": NOT_THEIRS}, site_tokens),
    "access:token-issue": row({"POST": ADMINS_POST}, {"POST": NOT_THEIRS_POST}, site_tokens),
    "access:token-rotate": row({"POST": ADMINS_POST}, {"POST": NOT_THEIRS_POST}, site_tokens),
    "access:token-revoke": row({"POST": ADMINS_POST}, {"POST": NOT_THEIRS_POST}, token),
    "access:token-issued": row({"GET": ADMINS}, {"GET": NOT_THEIRS}, token),
    # PACS nodes and their pulls: the site's administrators.
    "pacs:nodes": row({"GET": ADMINS}),
    # Adding a node for another site is refused (403) rather than hidden: the form names the site.
    "pacs:node-add": row(ADMIN_FORM, {"POST": "302 403 403 403 403 302"}, pacs_new_node),
    "pacs:node": row({"GET": ADMINS}, {"GET": NOT_THEIRS}, pacs_node),
    "pacs:node-edit": row(ADMIN_FORM, NOT_THEIR_FORM, pacs_node),
    "pacs:node-resume": row({"POST": ADMINS_POST}, {"POST": NOT_THEIRS_POST}, pacs_node),
    "pacs:node-query": row(ADMIN_FORM, NOT_THEIR_FORM, pacs_node),
}
# fmt: on
