"""Receiving a web upload: every file, or every member of a ZIP archive, becomes one submission."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from ingest.models import Channel, Submission
from ingest.services import UploadTooLargeError, expand_upload, submission_receive
from registry.models import Site


@dataclass
class UploadOutcome:
    """The submissions made, and a sentence for each upload refused before anything of it was stored."""

    submissions: list[Submission] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def uploads_receive(
    *, site: Site, files: Iterable[UploadedFile], user: User | AnonymousUser
) -> UploadOutcome:
    """Receive each uploaded file as one submission (each ZIP member as one), queued for processing."""
    outcome = UploadOutcome()
    for upload in files:
        name = upload.name or "upload"
        try:
            members = expand_upload(name, upload.read())
        except UploadTooLargeError as error:
            outcome.refused.append(_refusal(name, error))
            continue
        for member_name, data in members:
            outcome.submissions.append(
                submission_receive(site=site, data=data, channel=Channel.WEB, filename=member_name, user=user)
            )
    return outcome


def _refusal(name: str, error: UploadTooLargeError) -> str:
    if error.unit == "files":
        return f"{name} was not uploaded: it holds {error.size} files, more than {error.limit}."
    return (
        f"{name} was not uploaded: its files add up to {filesizeformat(error.size)}, "
        f"more than the {filesizeformat(error.limit)} limit."
    )
