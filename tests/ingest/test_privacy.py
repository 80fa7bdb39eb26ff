"""After ingesting the whole corpus, no patient name, birth date, raw ID or accession number is stored."""

from __future__ import annotations

import re
from pathlib import Path

import pydicom
import pytest
from django.apps import apps
from django.core import serializers

from ingest.models import State, Submission
from tests.ingest.conftest import Send

pytestmark = pytest.mark.django_db

# Placeholders the anonymised corpus itself uses; they are not identifying and appear as site names too.
PLACEHOLDERS = {"REMOVED", "REMOVED1"}


def _identifiers(path: Path) -> set[str]:
    """What must not survive: read from the file's own header, never typed in by hand."""
    ds = pydicom.dcmread(path)
    name = ds.get("PatientName")
    values = {
        str(name) if name else "",
        str(ds.get("PatientID") or ""),
        str(ds.get("AccessionNumber") or ""),
        str(ds.get("PatientBirthDate") or ""),
    }
    return {value for value in values if len(value) >= 5 and value not in PLACEHOLDERS}


def _found(value: str, text: str) -> bool:
    """The identifier as a whole token: a device serial "abc123deff" is not the patient ID "abc123def"."""
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])", text) is not None


def _database_text() -> str:
    models = [*apps.get_app_config("registry").get_models(), *apps.get_app_config("ingest").get_models()]
    return "\n".join(serializers.serialize("json", model._default_manager.all()) for model in models)


def test_no_raw_identifier_reaches_the_database_or_the_stored_copies(send: Send, corpus_dir: Path) -> None:
    names = sorted(path.name for path in corpus_dir.glob("*.dcm"))
    for name in names:
        send(name)
    assert set(Submission.objects.values_list("state", flat=True)) <= {State.STORED}
    identifiers = set().union(*(_identifiers(corpus_dir / name) for name in names))
    # Filenames are the sender's choice and can carry anything; corpus names carry no patient data.
    database = _database_text()
    copies = [Path(sub.stored_file.path).read_bytes().decode("latin-1") for sub in Submission.objects.all()]
    leaked = {value for value in identifiers if _found(value, database)}
    leaked |= {value for value in identifiers for copy in copies if _found(value, copy)}
    assert not leaked


def test_stored_copies_keep_no_person_names_in_the_content_tree(send: Send) -> None:
    # The Toshiba dose-check report names the person who proceeded past an alert (TID 1020 PNAME).
    stored = send("CT-RDSR-Toshiba_DoseCheck.dcm")
    ds = pydicom.dcmread(stored.stored_file.path)

    def pnames(items: object) -> list[str]:
        found: list[str] = []
        for item in items or []:  # type: ignore[attr-defined]
            if item.get("ValueType") == "PNAME":
                found.append(str(item.get("PersonName") or ""))
            found += pnames(item.get("ContentSequence"))
        return found

    names = pnames(ds.ContentSequence)
    assert names and not any(names)
    assert "PatientName" not in ds and "PatientBirthDate" not in ds
    assert ds.PatientIdentityRemoved == "YES"


def test_one_patients_studies_share_a_pseudonym_and_another_sites_do_not(send: Send) -> None:
    from registry.models import Site, Study

    # Multi-1 and Toshiba DoseCheck carry the same PatientID (4018119567876617) in their headers.
    send("CT-RDSR-Siemens-Multi-1.dcm", "CT-RDSR-Toshiba_DoseCheck.dcm")
    send("CT-RDSR-Siemens-Multi-1.dcm", to=Site.objects.create(code="SOUTH-02", name="South"))
    north = set(Study.objects.filter(site__code="NORTH-01").values_list("patient_pseudonym", flat=True))
    south = set(Study.objects.filter(site__code="SOUTH-02").values_list("patient_pseudonym", flat=True))
    assert len(north) == 1 and len(south) == 1 and north != south
    assert "4018119567876617" not in north | south
