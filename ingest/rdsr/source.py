"""Turning what a caller hands `read()` into a pydicom Dataset, with typed errors for what is not DICOM."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import IO, cast

import pydicom
import pydicom.config
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError

from ingest.rdsr.errors import NotDicomError

# pydicom's validation warnings quote the offending value, which can be a patient's name or ID; nothing
# identifying may reach the logs (DEVELOPERS.md, privacy), and the reader reports bad values itself.
pydicom.config.settings.reading_validation_mode = pydicom.config.IGNORE

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes] | Dataset


def _parse(stream: IO[bytes], name: str) -> Dataset:
    try:
        return pydicom.dcmread(stream)
    except InvalidDicomError:
        pass
    except Exception as error:  # pydicom raises many kinds on cut or garbled input
        raise NotDicomError(f"{name} is truncated or corrupt: {error}") from error
    # No preamble: a bare dataset, as a C-STORE spool or an older archive writes it.
    stream.seek(0)
    try:
        dataset = pydicom.dcmread(stream, force=True)
    except Exception as error:
        raise NotDicomError(f"{name} is not a DICOM file (no DICM marker): {error}") from error
    if "SOPClassUID" not in dataset:
        raise NotDicomError(f"{name} is not a DICOM file (no DICM marker and no SOP Class UID)")
    return dataset


def load(source: Source) -> tuple[Dataset, str]:
    """The dataset and a name for messages; NotDicomError for anything that is not readable DICOM."""
    if isinstance(source, Dataset):
        return source, "dataset"
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if not data:
            raise NotDicomError("input is empty (0 bytes)")
        return _parse(io.BytesIO(data), f"input of {len(data)} bytes"), "input"
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        try:
            with Path(name).open("rb") as stream:
                if os.fstat(stream.fileno()).st_size == 0:
                    raise NotDicomError(f"{name} is empty (0 bytes)")
                return _parse(stream, name), name
        except OSError as error:
            raise NotDicomError(f"cannot open {name}: {error.strerror or error}") from error
    if hasattr(source, "read"):
        return _parse(cast("IO[bytes]", source), "input stream"), "input stream"
    raise NotDicomError(f"cannot read a DICOM file from {type(source).__name__}")
