"""TID 10021 Radiopharmaceutical Radiation Dose: one event per administration (TID 10022).

The standard template has no effective dose; Siemens adds it in a private container (220001, 99SHS), which
is read as a vendor extra (rdsr-notes §5.4).
"""

from __future__ import annotations

from ingest.rdsr import codes
from ingest.rdsr.model import Event, Totals
from ingest.rdsr.tree import Item
from ingest.rdsr.units import Quantity
from ingest.rdsr.values import Notes, iso_datetime, meaning, number, text


def administration_event(administration: Item, notes: Notes) -> Event:
    """One Radiopharmaceutical Administration container (113502) as an event."""
    agent = administration.first(codes.RADIOPHARMACEUTICAL_AGENT)
    radionuclide = meaning(agent, codes.RADIONUCLIDE, notes) or meaning(
        administration, codes.RADIONUCLIDE, notes
    )
    return Event(
        uid=text(administration, codes.ADMINISTRATION_EVENT_UID),
        datetime=iso_datetime(text(administration, codes.RADIOPHARMACEUTICAL_START)),
        kind="radiopharmaceutical",
        administered_activity_mbq=number(
            administration, codes.ADMINISTERED_ACTIVITY, Quantity.ACTIVITY_MBQ, "MBq", notes
        ),
        radiopharmaceutical=meaning(administration, codes.RADIOPHARMACEUTICAL_AGENT, notes),
        radionuclide=radionuclide,
        route=meaning(administration, codes.ROUTE_OF_ADMINISTRATION, notes),
    )


def radiopharmaceutical_events(root: Item, notes: Notes) -> tuple[Event, ...]:
    """Every administration in document order."""
    return tuple(
        administration_event(item, notes) for item in root.all(codes.RADIOPHARMACEUTICAL_ADMINISTRATION)
    )


def radiopharmaceutical_totals(root: Item, events: tuple[Event, ...], notes: Notes) -> Totals:
    """Administered activity over all administrations, and the vendor's effective dose if stated."""
    activities = [event.administered_activity_mbq for event in events]
    present = [activity for activity in activities if activity is not None]
    private = root.deep(codes.SIEMENS_EFFECTIVE_DOSE_CONTAINER)
    return Totals(
        administered_activity_mbq=sum(present) if present else None,
        effective_dose_msv=number(private, codes.EFFECTIVE_DOSE, Quantity.EFFECTIVE_DOSE_MSV, "mSv", notes),
        radiopharmaceutical=events[0].radiopharmaceutical if events else None,
        radionuclide=events[0].radionuclide if events else None,
    )
