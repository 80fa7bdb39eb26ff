"""Revising never updates a level: it adds version n+1 superseding n, audited with before and after."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from registry.models import AuditEvent, ReferenceLevel, Site
from registry.reference_levels.library import reference_level_revise
from tests.registry.reference_levels.conftest import local_dap


def test_a_revision_is_the_next_version_and_the_current_one(north: Site, physicist: User) -> None:
    first = local_dap(north, physicist, gym2=0.0015)
    second = reference_level_revise(actor=physicist, level=first, value=0.0012, note="after the 2025 audit")
    assert (second.version, second.supersedes, second.value, second.note) == (
        2,
        first,
        0.0012,
        "after the 2025 audit",
    )
    assert ReferenceLevel.objects.get(pk=second.pk).created_by == physicist  # the reviser, not nobody
    assert ReferenceLevel.objects.get(pk=first.pk).value == 0.0015
    assert list(ReferenceLevel.objects.filter(site=north).current()) == [second]


def test_the_audit_row_holds_before_and_after(north: Site, physicist: User) -> None:
    second = reference_level_revise(actor=physicist, level=local_dap(north, physicist), value=0.0012)
    event = AuditEvent.objects.get(action="reference_level.revised")
    assert (event.actor, event.site, event.object_id) == (physicist, north, str(second.pk))
    assert event.before is not None and event.after is not None
    assert (event.before["value"], event.after["value"]) == (0.0015, 0.0012)
    assert (event.before["version"], event.after["version"]) == (1, 2)


def test_a_superseded_version_cannot_be_revised_again(north: Site, physicist: User) -> None:
    first = local_dap(north, physicist)
    reference_level_revise(actor=physicist, level=first, value=0.0012)
    with pytest.raises(ValidationError, match="revise version 2"):
        reference_level_revise(actor=physicist, level=first, value=0.0011)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"value": 0.0015}, "changes nothing"),
        ({"status": "verified"}, "can be local"),
        ({"value": -1.0}, "positive number"),
    ],
)
def test_a_revision_that_changes_nothing_or_is_invalid_is_refused(
    north: Site, physicist: User, changes: dict[str, object], message: str
) -> None:
    level = local_dap(north, physicist, gym2=0.0015)
    with pytest.raises(ValidationError, match=message):
        reference_level_revise(actor=physicist, level=level, **changes)  # type: ignore[arg-type]
    assert ReferenceLevel.objects.count() == 1
