"""A row whose value or status changed in the source supersedes the current level with version 2."""

from __future__ import annotations

from pathlib import Path

from registry.models import AuditEvent, ReferenceLevel
from registry.models.reference_levels import ReferenceLevelQuerySet
from registry.reference_levels.library import reference_level_revise
from tests.registry.reference_levels.conftest import Load, edit_row, ukhsa_head_dlp


def test_a_changed_value_makes_version_2_the_current_one(published: Path, load: Load) -> None:
    load(published)
    first = ukhsa_head_dlp()
    edit_row(published / "drl.csv", "Acute stroke,adult,dlp", ",790,", ",800,")
    output = load(published)
    second = ukhsa_head_dlp()
    assert (second.version, second.value, second.supersedes) == (2, 800, first)
    assert ReferenceLevel.objects.get(pk=first.pk).value == 790  # never updated in place
    assert "drl.csv: 0 created, 1 new version(s), 76 unchanged" in output
    event = AuditEvent.objects.get(action="reference_level.revised", object_id=str(second.pk))
    assert event.before is not None and event.after is not None
    assert (event.before["value"], event.after["value"]) == (790, 800)


def acr_head_dlp() -> ReferenceLevelQuerySet:
    """drl.csv: ACR 2017 adult CT Head/brain without contrast DLP P75 1011 mGy.cm, unverified."""
    return ReferenceLevel.objects.filter(issuer="ACR", exam__name="Head/brain without contrast", metric="dlp")


def test_a_changed_status_makes_a_new_version(published: Path, load: Load) -> None:
    load(published)
    edit_row(published / "drl.csv", "Head/brain without contrast,,adult,dlp", ",unverified", ",verified")
    load(published)
    assert sorted(acr_head_dlp().values_list("version", "status")) == [(1, "unverified"), (2, "verified")]
    assert acr_head_dlp().current().get().status == "verified"


def test_a_level_verified_in_kerma_stays_verified_while_the_source_says_unverified(
    published: Path, load: Load
) -> None:
    load(published)
    reference_level_revise(actor="checker", level=acr_head_dlp().get(), status="verified")
    output = load(published)
    assert "0 new version(s), 77 unchanged" in output
    current = acr_head_dlp().current().get()
    assert (current.version, current.status) == (2, "verified")
