"""`manage.py dicom_listener`: run the DICOM C-STORE listener until Ctrl-C or SIGTERM."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from ingest.scp import serve


class Command(BaseCommand):
    help = "Receive dose SRs by DICOM C-STORE from the AE titles registered for each site."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port", type=int, default=settings.KERMA_DICOM_PORT, help="TCP port to listen on"
        )
        parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")  # noqa: S104
        parser.add_argument("--ae-title", default=settings.KERMA_DICOM_AE_TITLE, help="our own AE title")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        # systemd stops services with SIGTERM; both signals end the wait so running associations can finish.
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        serve(options["port"], host=options["host"], ae_title=options["ae_title"], stop=stop)
