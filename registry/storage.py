"""Where received bytes and de-identified copies live, written so that a failure never leaves half a file.

Django's FileSystemStorage writes straight into the final name: a full disk or a killed process leaves a
truncated file that a row may then point to. Here every file is written to a temporary name beside its
target, flushed to disk, then renamed over the target (rename is atomic on POSIX), so a name holds either
nothing or the whole file. Writing to a name that exists replaces it: the worker names a submission's
de-identified copy after the submission, so a retry after a crash overwrites its own earlier copy instead
of leaving a second one (docs/ingest.md, "When something fails").

The doors also ask `storage_status` before they write, and refuse while the disk is nearly full: the
database often shares that disk, and a refusal now (507, the sender retries) is better than a half-stored
report later.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage

_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class StorageUnavailableError(Exception):
    """Storage cannot take a file now: full (`full`) or not writable. Nothing of the file was kept."""

    def __init__(self, message: str, *, full: bool) -> None:
        super().__init__(message)
        self.full = full

    @classmethod
    def of(cls, error: OSError) -> StorageUnavailableError:
        """The storage error for an OSError raised while writing (errno tells full from not writable)."""
        full = error.errno in _FULL_ERRNOS
        what = "full" if full else "not writable"
        return cls(f"the registry's storage is {what} ({error.strerror or type(error).__name__})", full=full)


class AtomicFileSystemStorage(FileSystemStorage):
    """FileSystemStorage whose files appear whole or not at all, and whose saves replace an existing name."""

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        """The name asked for: callers choose unique names (UUIDs) or mean to replace (a retry's copy)."""
        return name

    def _save(self, name: str, content: File[Any]) -> str:
        full_path = Path(self.path(name))
        full_path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=full_path.parent, prefix=".incoming-", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as output:
                if hasattr(content, "seek"):
                    content.seek(0)
                for chunk in content.chunks():  # a file opened in text mode gives str (exports' CSV)
                    output.write(chunk.encode() if isinstance(chunk, str) else chunk)
                output.flush()
                os.fsync(output.fileno())
            Path(temporary).chmod(self.file_permissions_mode or 0o644)  # mkstemp makes it private (0600)
            Path(temporary).replace(full_path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _sync_directory(full_path.parent)
        return str(name).replace("\\", "/")


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable: a file whose directory entry is lost after a crash is lost too."""
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


@dataclass(frozen=True)
class StorageStatus:
    """What the health check and the doors need to know about the storage folder."""

    writable: bool
    free_bytes: int
    minimum_free_bytes: int
    problem: str = ""

    @property
    def full(self) -> bool:
        return self.writable and self.free_bytes < self.minimum_free_bytes

    @property
    def ok(self) -> bool:
        return self.writable and not self.full

    def describe(self) -> str:
        if not self.writable:
            return f"storage not writable: {self.problem}"
        free, minimum = self.free_bytes // 2**20, self.minimum_free_bytes // 2**20
        if self.full:
            return f"storage full: {free} MB free, below KERMA_STORAGE_MIN_FREE_MB={minimum}"
        return f"storage ok: {free} MB free"


def storage_status() -> StorageStatus:
    """Whether MEDIA_ROOT can take files now: a probe file written and removed, and the free space.

    A probe is needed because permissions alone do not tell (root ignores them; a read-only mount or a
    missing folder does not show in them).
    """
    root = Path(settings.MEDIA_ROOT)
    minimum = settings.KERMA_STORAGE_MIN_FREE_MB * 2**20
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=root, prefix=".probe-"):
            pass
        free = shutil.disk_usage(root).free
    except OSError as error:
        return StorageStatus(False, 0, minimum, f"{root}: {error.strerror or error}")
    return StorageStatus(True, free, minimum)


def check_room(size: int) -> None:
    """Refuse a file of `size` bytes while storing it would leave less than the free minimum.

    Only the free space is asked here (one statvfs); whether the folder can be written shows when the file
    is written, and that error becomes StorageUnavailableError too (`StorageUnavailableError.of`).
    """
    root = Path(settings.MEDIA_ROOT)
    minimum = settings.KERMA_STORAGE_MIN_FREE_MB * 2**20
    try:
        root.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(root).free
    except OSError as error:
        raise StorageUnavailableError(
            f"storage not writable: {root}: {error.strerror or error}", full=False
        ) from error
    if free - size < minimum:
        message = f"storage full: {free // 2**20} MB free, below KERMA_STORAGE_MIN_FREE_MB={minimum // 2**20}"
        raise StorageUnavailableError(message, full=True)
