"""Receiving a web upload: every file, or every member of a ZIP archive, becomes one submission."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
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


def upload_members(name: str, data: bytes) -> list[tuple[str, bytes]]:
    """The files of one upload, expanded in full first so that a refused archive stores nothing."""
    try:
        return list(expand_upload(name, data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError):
        # A damaged archive is received as it is: the reader rejects it with a reason the sender sees.
        return [(name, data)]


def uploads_receive(
    *, site: Site, files: Iterable[UploadedFile], user: User | AnonymousUser
) -> UploadOutcome:
    """Receive each uploaded file as one submission (each ZIP member as one), queued for processing."""
    outcome = UploadOutcome()
    for upload in files:
        name = upload.name or "upload"
        try:
            members = upload_members(name, upload.read())
        except UploadTooLargeError as error:
            outcome.refused.append(_refusal(name, error))
            continue
        for member_name, data in members:
            outcome.submissions.append(
                submission_receive(site=site, data=data, channel=Channel.WEB, filename=member_name, user=user)
            )
    return outcome


def _refusal(name: str, error: UploadTooLargeError) -> str:
    # expand_upload raises one error for two limits: total size, and the number of members.
    if error.limit != settings.KERMA_MAX_UPLOAD_BYTES:
        return f"{name} was not uploaded: it holds {error.size} files, more than {error.limit}."
    return (
        f"{name} was not uploaded: its files add up to {filesizeformat(error.size)}, "
        f"more than the {filesizeformat(error.limit)} limit."
    )
