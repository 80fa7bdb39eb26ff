"""`manage.py rdsr_dump PATH...`: each dose SR as one JSON line of the dose-report contract."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ingest.rdsr import RdsrError, read


def dump_line(path: str) -> tuple[dict[str, Any], bool]:
    """The contract's line for one file, and whether it was read."""
    try:
        return {"source": path, "report": read(path).as_dict()}, True
    except RdsrError as error:
        return {"source": path, "error": {"kind": error.kind, "message": error.message}}, False
    except Exception as error:  # the reader lets no other error out; a bug must still not print a traceback
        message = f"internal reader error ({type(error).__name__}: {error})"
        return {"source": path, "error": {"kind": "malformed", "message": message}}, False


class Command(BaseCommand):
    help = "Print each DICOM dose SR as a JSON line (kerma.dose-report/1); exit 1 if any file was rejected."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="DICOM dose SR files")

    def handle(self, *args: Any, **options: Any) -> None:
        rejected = False
        for path in options["paths"]:
            line, ok = dump_line(path)
            rejected = rejected or not ok
            self.stdout.write(json.dumps(line, ensure_ascii=False, allow_nan=False))
        self.stdout.flush()
        if rejected:
            sys.exit(1)
