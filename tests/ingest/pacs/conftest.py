"""A real PACS for the pull tests: Orthanc on free ports, loaded by REST, with Kerma's listener beside it.

The recipe is the one in ../shared/pacs-notes.md: a private config in a temporary folder, Orthanc started
from the main thread as its own process group with PR_SET_PDEATHSIG (so it dies with the test process),
polled until `GET /system` answers, killed by its own PID. Files are loaded with `POST /instances`, never
by C-STORE. Tests skip where the Debian package is missing.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from ingest.pacs.models import PacsNode, RetrieveMethod
from ingest.pacs.nodes import pacs_node_save
from registry.models import Site
from tests.conftest import corpus_file
from tests.ingest.scp.conftest import listener_port  # noqa: F401 - the listener C-MOVE delivers to

ORTHANC = shutil.which("Orthanc") or "/usr/sbin/Orthanc"
MISSING = "apt-get install -y orthanc"
ORTHANC_AE = "ORTHANC"
START_ATTEMPTS = 3
START_TIMEOUT_SECONDS = 10.0
PR_SET_PDEATHSIG = 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _die_with_parent() -> None:
    """In the child: SIGKILL when the thread that started Orthanc ends (the test process's main thread)."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


@dataclass
class Orthanc:
    """A running Orthanc: its ports, and REST loading."""

    process: subprocess.Popen[bytes]
    http_port: int
    dicom_port: int

    def _request(self, method: str, path: str, body: bytes | None = None) -> Any:
        request = urllib.request.Request(f"http://127.0.0.1:{self.http_port}{path}", data=body, method=method)
        with urllib.request.urlopen(request, timeout=START_TIMEOUT_SECONDS) as response:  # noqa: S310
            return json.loads(response.read())

    def load(self, *names: str) -> None:
        """Store corpus files in the PACS, one `POST /instances` each."""
        for name in names:
            answer = self._request("POST", "/instances", corpus_file(name).read_bytes())
            assert answer["Status"] in ("Success", "AlreadyStored"), answer

    def answers(self) -> bool:
        try:
            self._request("GET", "/system")
        except (urllib.error.URLError, ConnectionError, OSError):
            return False
        return True


def _config(folder: Path, http_port: int, dicom_port: int, listener: int, extra: dict[str, Any]) -> Path:
    config = {
        "Name": "kerma-test-pacs",
        "StorageDirectory": str(folder / "storage"),
        "IndexDirectory": str(folder / "storage"),
        "Plugins": [],
        "HttpPort": http_port,
        "RemoteAccessAllowed": False,
        "AuthenticationEnabled": False,
        "WebDavEnabled": False,
        "DicomServerEnabled": True,
        "DicomAet": ORTHANC_AE,
        "DicomPort": dicom_port,
        "DicomCheckCalledAet": False,
        "DicomAlwaysAllowEcho": True,
        "DicomAlwaysAllowStore": True,
        "DicomAlwaysAllowFind": False,
        "DicomAlwaysAllowMove": False,
        "DicomAlwaysAllowGet": False,
        "UnknownSopClassAccepted": True,
        "DicomModalities": {
            settings.KERMA_DICOM_AE_TITLE: [settings.KERMA_DICOM_AE_TITLE, "127.0.0.1", listener]
        },
        "DicomAssociationCloseDelay": 0,
        "SaveJobs": False,
        **extra,
    }
    path = folder / "config.json"
    path.write_text(json.dumps(config))
    return path


def _start(folder: Path, listener: int, extra: dict[str, Any]) -> Orthanc | None:
    """One attempt on two fresh ports; None if Orthanc exited first (a port taken meanwhile)."""
    http_port, dicom_port = free_port(), free_port()
    config = _config(folder, http_port, dicom_port, listener, extra)
    with (folder / "orthanc.log").open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - our own config file, no shell
            [ORTHANC, str(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    orthanc = Orthanc(process, http_port, dicom_port)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return None
        if orthanc.answers():
            return orthanc
        time.sleep(0.02)
    _stop(process)
    return None


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()


StartOrthanc = Callable[..., Orthanc]


@pytest.fixture
def start_orthanc(listener_port: int) -> Iterator[StartOrthanc]:  # noqa: F811
    """Start Orthanc (extra config keys allowed) delivering C-MOVEs to the test listener; killed after."""
    if not Path(ORTHANC).is_file():
        pytest.skip(MISSING)
    started: list[tuple[subprocess.Popen[bytes], Path]] = []

    def _start_orthanc(**extra: Any) -> Orthanc:
        folder = Path(tempfile.mkdtemp(prefix="kerma-orthanc-"))
        for _ in range(START_ATTEMPTS):
            orthanc = _start(folder, listener_port, extra)
            if orthanc is not None:
                started.append((orthanc.process, folder))
                return orthanc
        shutil.rmtree(folder, ignore_errors=True)
        raise AssertionError(f"Orthanc did not start in {START_ATTEMPTS} attempts")

    yield _start_orthanc
    for process, folder in started:
        _stop(process)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def orthanc(start_orthanc: StartOrthanc) -> Orthanc:
    return start_orthanc()


MakeNode = Callable[..., PacsNode]


@pytest.fixture
def make_node(site: Site) -> MakeNode:
    """A node saved as an administrator would save it (so a C-MOVE node's deliveries are accepted)."""

    def _make(port: int, **fields: Any) -> PacsNode:
        values: dict[str, Any] = {
            "site": site,
            "name": "Test PACS",
            "ae_title": ORTHANC_AE,
            "host": "127.0.0.1",
            "port": port,
            "retrieve_method": RetrieveMethod.MOVE,
            "pull_from": dt.date(2013, 1, 1),
        }
        return pacs_node_save(actor="test", node=PacsNode(**{**values, **fields}))

    return _make
