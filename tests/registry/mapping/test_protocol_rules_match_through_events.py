"""An acquisition-protocol rule maps a study when any of its irradiation events has that protocol.

CT-RDSR-Siemens-Multi-2 (read with pydicom: Acquisition Protocol (125203) items) has two events, "Topogram"
and "4DCT", and the study description "Thorax^RTP_4DCT_Thorax_C (Adult)".
"""

from __future__ import annotations

import pytest

from registry.mapping.rules import mapping_apply
from registry.models import MappingRule, MatchField, MatchKind, Site, Study
from tests.ingest.conftest import Send
from tests.registry.mapping.conftest import exam, exam_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("kind", "pattern"), [(MatchKind.EXACT, "4dct"), (MatchKind.REGEX, "^4d")])
def test_a_protocol_of_any_event_maps_the_study(send: Send, kind: str, pattern: str) -> None:
    send("CT-RDSR-Siemens-Multi-2.dcm")
    MappingRule.objects.create(
        exam=exam("CT", "Chest"), field=MatchField.ACQUISITION_PROTOCOL, kind=kind, pattern=pattern
    )
    mapping_apply()
    assert exam_of(Study.objects.get()) == "Chest"


def test_a_protocol_no_event_has_maps_nothing(send: Send, site: Site) -> None:
    send("CT-RDSR-Siemens-Multi-2.dcm")
    # The description contains "4DCT", but no event's protocol is the description.
    MappingRule.objects.create(
        exam=exam("CT", "Chest"),
        field=MatchField.ACQUISITION_PROTOCOL,
        kind=MatchKind.CONTAINS,
        pattern="RTP_4DCT",
    )
    mapping_apply()
    assert exam_of(Study.objects.get(site=site)) is None
