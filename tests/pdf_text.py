"""Reading a served PDF as its reader would: pypdf's text of every page, whitespace runs as one space."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader


def pdf_text(pdf: bytes | Path) -> str:
    """The text of every page, each run of whitespace one space (table cells wrap their words)."""
    source = io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf
    text = " ".join(page.extract_text() for page in PdfReader(source).pages)
    return " ".join(text.split())
