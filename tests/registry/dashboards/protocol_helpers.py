"""Helpers of the protocols dashboard tests: events made by hand, the page's table and chart payloads read
back as the person gets them."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from registry.models import IrradiationEvent, Study
from tests.registry.dashboards.conftest import Browser, payloads
from tests.registry.statistics.conftest import EventFactory, ReportFactory

PAGE_URL = "/dashboards/protocols/"


def chart_url(kind: str) -> str:
    return f"/dashboards/protocols/charts/{kind}/"


def events(study: Study, protocol: str, *values: dict[str, Any]) -> list[IrradiationEvent]:
    """One event of `protocol` per dict of column values, in one report of `study` (its device's site)."""
    report = ReportFactory.create(study=study)
    kind = "ct" if study.modality == "CT" else "projection"
    made = []
    for columns in values:
        fields = {"localizer": False} if study.modality == "CT" else {}
        fields.update(columns)
        made.append(
            EventFactory.create(
                report=report, protocol=protocol, modality=study.modality, kind=kind, **fields
            )
        )
    return made


class _Table(HTMLParser):
    """The rows of the table with id `protocol-table`: each a list of cell texts (th and td alike)."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = self.in_body = False
        self.rows: list[list[str]] = []
        self.cell: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("id", "protocol-table") in attrs:
            self.inside = True
        elif self.inside and tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join(self.cell.split()))
            self.cell = None
        elif tag == "table":
            self.inside = self.in_body = False

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell += data


def table_rows(html: str) -> dict[str, list[str]]:
    """The protocol table by the protocol's label: the other cells as the page shows them."""
    parser = _Table()
    parser.feed(html)
    return {row[0]: row[1:] for row in parser.rows if len(row) > 1}


def page(client: Browser, **params: Any) -> tuple[str, dict[str, dict[str, Any]]]:
    response = client.get(PAGE_URL, params)
    assert response.status_code == 200, response.content[:400]
    return response.content.decode(), payloads(response)


def chart(client: Browser, kind: str, **params: Any) -> dict[str, Any]:
    response = client.get(chart_url(kind), params)
    assert response.status_code == 200, response.content[:400]
    return payloads(response)[f"chart-{kind}"]


def subtitle(figure: dict[str, Any]) -> str:
    return str(figure["layout"]["title"]["subtitle"]["text"])
