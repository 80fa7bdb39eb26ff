"""A multipart/related body (RFC 2387) split into its parts, for STOW-RS (PS3.18 §8.6.1.2).

Part headers are parsed by the stdlib `email` package; the body is split with `bytes.find` on the delimiter,
not by `email.parser`, which works line by line on text and is slow and fragile on megabytes of binary.
Nothing new is installed for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import HTTP

CRLF = b"\r\n"
_PARAMETER = re.compile(r';\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


class MultipartError(ValueError):
    """The body does not follow the multipart syntax its Content-Type announces (HTTP 400)."""


@dataclass(frozen=True)
class MediaType:
    """A Content-Type value: the media type, lower case, and its parameters."""

    type: str
    params: dict[str, str]


@dataclass(frozen=True)
class Part:
    content_type: str
    data: bytes


def media_type(value: str) -> MediaType:
    """Parse a Content-Type value: quoted parameters as RFC 2045 says, and unquoted `type=application/dicom`
    as many DICOMweb senders write it (the stdlib parser would cut that at the `/`)."""
    kind, _, rest = value.partition(";")
    params = {name.lower(): _unquote(raw.strip()) for name, raw in _PARAMETER.findall(";" + rest) if name}
    return MediaType(kind.strip().lower(), params)


def _unquote(raw: str) -> str:
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        return re.sub(r"\\(.)", r"\1", raw[1:-1])
    return raw


def split_parts(body: bytes, boundary: str) -> list[Part]:
    """The parts between the first delimiter and the close delimiter; preamble and epilogue are ignored."""
    if not boundary:
        raise MultipartError("multipart Content-Type without a boundary parameter")
    delimiter = b"--" + boundary.encode("latin-1")
    position = _first_delimiter_end(body, delimiter)
    parts = []
    while not body.startswith(b"--", position):
        end = body.find(CRLF + delimiter, position)
        if end < 0:
            raise MultipartError("the body ends without the closing multipart boundary")
        parts.append(_part(body[_line_end(body, position) : end]))
        position = end + len(CRLF) + len(delimiter)
    return parts


def _first_delimiter_end(body: bytes, delimiter: bytes) -> int:
    """Where the first delimiter ends: at the very start, or after a preamble and a CRLF."""
    if body.startswith(delimiter):
        return len(delimiter)
    start = body.find(CRLF + delimiter)
    if start < 0:
        raise MultipartError("the body contains no multipart boundary")
    return start + len(CRLF) + len(delimiter)


def _line_end(body: bytes, position: int) -> int:
    """Skip transport padding after a delimiter (RFC 2046 §5.1.1) up to and including its CRLF."""
    end = body.find(CRLF, position)
    if end < 0 or body[position:end].strip(b" \t"):
        raise MultipartError("a multipart boundary line is malformed")
    return end + len(CRLF)


def _part(raw: bytes) -> Part:
    if raw.startswith(CRLF):
        head, data = b"", raw[len(CRLF) :]
    else:
        head, separator, data = raw.partition(CRLF + CRLF)
        if not separator:
            raise MultipartError("a multipart part has no blank line after its headers")
    headers = BytesHeaderParser(policy=HTTP).parsebytes(head + CRLF)
    return Part(str(headers.get("Content-Type", "")).strip(), data)
