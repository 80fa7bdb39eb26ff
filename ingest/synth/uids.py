"""Deterministic DICOM UIDs: the same names always give the same UID, so a seed reproduces every file."""

from __future__ import annotations

import hashlib
import uuid

NAMESPACE = "kerma-synth"


def derived_uid(*names: object) -> str:
    """A `2.25.<uuid>` UID (PS3.5 B.2) from a name-based UUID of `names`: unique per name, stable per run."""
    digest = hashlib.sha256("/".join([NAMESPACE, *map(str, names)]).encode("utf-8")).digest()
    return f"2.25.{uuid.UUID(bytes=digest[:16], version=5).int}"


def derived_digits(count: int, *names: object) -> str:
    """`count` decimal digits derived from `names`, for identifiers such as accession numbers."""
    digest = hashlib.sha256("/".join([NAMESPACE, "digits", *map(str, names)]).encode("utf-8")).digest()
    return str(int.from_bytes(digest[:12], "big"))[-count:].zfill(count)
