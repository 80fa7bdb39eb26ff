"""The multipart/related splitter: parts byte-exact, preamble and epilogue ignored, bad syntax refused."""

from __future__ import annotations

import pytest

from ingest.api.multipart import MultipartError, media_type, split_parts
from tests.conftest import corpus_file


def test_binary_parts_come_back_byte_for_byte() -> None:
    data = corpus_file("RF-RDSR-GE.dcm").read_bytes()
    body = b"preamble\r\n--b\r\nContent-Type: application/dicom\r\n\r\n" + data + b"\r\n--b--\r\nepilogue"
    [part] = split_parts(body, "b")
    assert part.data == data and part.content_type == "application/dicom"


def test_a_part_without_headers_has_no_content_type() -> None:
    assert split_parts(b"--b\r\n\r\nX\r\n--b--", "b")[0].content_type == ""


@pytest.mark.parametrize(
    "body",
    [b"", b"--b\r\n\r\nX", b"--bb\r\n\r\nX\r\n--b--", b"--b\r\nContent-Type: x\r\nX\r\n--b--"],
)
def test_bodies_that_break_the_syntax_are_refused(body: bytes) -> None:
    with pytest.raises(MultipartError):
        split_parts(body, "b")


def test_a_close_delimiter_alone_has_no_parts() -> None:
    assert split_parts(b"--b--", "b") == []


@pytest.mark.parametrize(
    ("value", "boundary"),
    [
        ('multipart/related; type="application/dicom"; boundary="a;b"', "a;b"),  # quoted: the ; is inside
        ("Multipart/Related; boundary=a;b; TYPE=application/dicom", "a"),  # unquoted: the ; ends it
    ],
)
def test_media_type_parameters_are_read_quoted_or_not(value: str, boundary: str) -> None:
    parsed = media_type(value)
    assert parsed.type == "multipart/related"
    assert parsed.params["type"] == "application/dicom"
    assert parsed.params["boundary"] == boundary
