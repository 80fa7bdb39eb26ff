"""The storage writes a file whole or not at all, and a save under a name that exists replaces it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage


class BreaksMidway(File):
    """A source that fails after its first chunk, as a disk filling up or a dropped upload would."""

    def __init__(self) -> None:
        super().__init__(None, name="broken")

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        yield b"the first half"
        raise OSError(28, "No space left on device")

    @property
    def size(self) -> int:
        return 28


def test_a_failed_write_leaves_no_file_and_no_temporary(private_storage: Path) -> None:
    with pytest.raises(OSError, match="No space left"):
        default_storage.save("reports/SITE/report.dcm", BreaksMidway())
    folder = private_storage / "reports" / "SITE"
    assert list(folder.iterdir()) == []


def test_a_save_under_an_existing_name_replaces_it(private_storage: Path) -> None:
    first = default_storage.save("reports/SITE/report.dcm", ContentFile(b"first attempt"))
    second = default_storage.save("reports/SITE/report.dcm", ContentFile(b"the retry"))
    assert first == second == "reports/SITE/report.dcm"
    assert (private_storage / second).read_bytes() == b"the retry"
    assert [path.name for path in (private_storage / "reports" / "SITE").iterdir()] == ["report.dcm"]
