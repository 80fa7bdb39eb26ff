"""What the upload page hands to `uploads_receive`, and the sentence it shows for an upload refused whole."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from ingest.services import Upload, UploadTooLargeError


def uploads_of(files: Iterable[UploadedFile]) -> Iterator[Upload]:
    """Each posted file, read only when its turn comes, so one file at a time is held in memory."""
    for upload in files:
        yield Upload(upload.name or "upload", upload.read())


def refusal_message(name: str, error: UploadTooLargeError) -> str:
    if error.unit == "files":
        return f"{name} was not uploaded: it holds {error.size} files, more than {error.limit}."
    return (
        f"{name} was not uploaded: its files add up to {filesizeformat(error.size)}, "
        f"more than the {filesizeformat(error.limit)} limit."
    )
