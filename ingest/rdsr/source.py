"""Turning what a caller hands `read()` into a pydicom Dataset, with typed errors for what is not DICOM.

pydicom keeps whatever it could read of a cut file: an element cut short simply holds fewer bytes, a file
that ends inside an element header ends the dataset quietly, and a sequence without its delimiter is only
a warning. Any of these would silently drop irradiation events, so each is refused here as a truncation.
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path
from typing import IO

import pydicom
import pydicom.config
from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError

from ingest.rdsr.errors import NotDicomError

# pydicom's validation warnings quote the offending value, which can be a patient's name or ID; nothing
# identifying may reach the logs (DEVELOPERS.md, privacy), and the reader reports bad values itself.
pydicom.config.settings.reading_validation_mode = pydicom.config.IGNORE

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes] | Dataset

_UNDEFINED_LENGTH = 0xFFFFFFFF
_LONGEST_HEADER = 12  # explicit VR with a 4-byte length: tag 4, VR 2, reserved 2, length 4


class _WatchedBytes(io.BytesIO):
    """An in-memory file that notices a read cut short by the end of the data.

    pydicom reads each element header and each defined-length value with one read of its exact size, so a
    short read means the file ends inside that element. An empty read is normal for a header read at the
    very end; for a longer value it is a cut too.
    """

    cut_short = False

    def read(self, size: int | None = -1, /) -> bytes:
        data = super().read(size)
        if size is not None and size > 0 and len(data) < size and (data or size > _LONGEST_HEADER):
            self.cut_short = True
        return data


def _check_complete(element: RawDataElement, name: str) -> None:
    value = element.value
    if element.length != _UNDEFINED_LENGTH and isinstance(value, bytes) and len(value) < element.length:
        raise NotDicomError(
            f"{name} is truncated: element {element.tag} holds {len(value)} of its {element.length} bytes"
        )


def _dcmread(data: bytes, name: str, *, force: bool) -> Dataset:
    stream = _WatchedBytes(data)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # Only header bytes are ever read: a dose SR has no pixel data, and an image's dose is in its header.
        dataset = pydicom.dcmread(stream, force=force, stop_before_pixels=True)
    if stream.cut_short:
        raise NotDicomError(f"{name} is truncated: it ends inside an element")
    if any("End of file reached" in str(warning.message) for warning in caught):
        raise NotDicomError(f"{name} is truncated: it ends inside a sequence")
    meta = getattr(dataset, "file_meta", None)
    for element in [*(meta.elements() if meta is not None else ()), *dataset.elements()]:
        if isinstance(element, RawDataElement):
            _check_complete(element, name)
    if not force and "SOPClassUID" not in dataset:
        # (0008,0016) comes first in every dataset: a Part 10 file without it was cut before it
        raise NotDicomError(f"{name} is truncated: it ends before the dataset's SOP Class UID")
    return dataset


def _parse(data: bytes, name: str) -> Dataset:
    if not data:
        raise NotDicomError(f"{name} is empty (0 bytes)")
    try:
        return _dcmread(data, name, force=False)
    except NotDicomError:
        raise
    except InvalidDicomError:
        pass
    except Exception as error:  # pydicom raises many kinds on cut or garbled input
        raise NotDicomError(f"{name} is truncated or corrupt: {error}") from error
    # No preamble: a bare dataset, as a C-STORE spool or an older archive writes it.
    try:
        dataset = _dcmread(data, name, force=True)
    except Exception as error:  # garbage read as a bare dataset fails in arbitrary ways
        raise NotDicomError(f"{name} is not a DICOM file (no DICM marker, no readable dataset)") from error
    if "SOPClassUID" not in dataset:
        raise NotDicomError(f"{name} is not a DICOM file (no DICM marker and no SOP Class UID)")
    return dataset


def parse_bytes(data: bytes, name: str) -> Dataset:
    """The pydicom Dataset of bytes named `name` by `source_bytes`; NotDicomError as `load` raises it."""
    return _parse(data, f"input of {len(data)} bytes" if name == "input" else name)


def source_bytes(source: Source) -> tuple[bytes, str]:
    """The bytes of a path, bytes or binary stream, and a name for messages; NotDicomError when unreadable.

    Files are read whole into memory: dose reports are small (kilobytes to a few megabytes) and uploads
    are size-limited before they reach the reader.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), "input"
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        try:
            return Path(name).read_bytes(), name
        except OSError as error:
            raise NotDicomError(f"cannot open {name}: {error.strerror or error}") from error
    if hasattr(source, "read"):
        data = source.read()
        if not isinstance(data, bytes):
            raise NotDicomError("the input stream is not binary")
        return data, "input stream"
    raise NotDicomError(f"cannot read a DICOM file from {type(source).__name__}")


def load(source: Source) -> tuple[Dataset, str]:
    """The dataset and a name for messages; NotDicomError for anything that is not readable DICOM."""
    if isinstance(source, Dataset):
        return source, "dataset"
    data, name = source_bytes(source)
    return parse_bytes(data, name), name
