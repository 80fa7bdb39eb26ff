"""De-identifying an opened file by splicing: `ingest.deid`'s rules applied to the element stream.

`ingest.deid` holds the key and decides what replaces each identifier (`Cleaning`); this module finds the
elements those rules name among the stream's offsets and writes the copy as the original bytes with only
them changed (`splice`), which costs a millisecond where re-encoding a content tree through pydicom cost
seconds. Every decision is made on values exactly as pydicom gives them (`stream.Element.value`), so the
copy holds the same elements and values as `ingest.deid.deidentify_dataset` followed by pydicom's writer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from pydicom.tag import Tag
from pydicom.valuerep import PersonName

from ingest.rdsr.opened import Opened
from ingest.rdsr.splice import rewrite_dataset
from ingest.rdsr.stream import (
    ITEMS,
    START,
    VALUE_END,
    VALUE_START,
    VR,
    Node,
    Raw,
    Stream,
    content_items,
    elements,
)

# Content items (TID 1005/1006/1007/1020) whose value identifies a person.
SUBJECT_ID = "121030"
ACCESSION = "121022"
# Subject name and birth date, person ID, placer and filler numbers: blanked.
IDENTIFYING_TEXT = frozenset({"121029", "121031", "113871", "121020", "121021"})
_IDENTIFYING_CODES = (SUBJECT_ID, ACCESSION, *sorted(IDENTIFYING_TEXT))
TEXT_VRS = frozenset({"AE", "CS", "LO", "LT", "PN", "SH", "ST", "UC", "UT"})
EQUIPMENT_TAGS = frozenset(
    {
        0x00080070,  # Manufacturer
        0x00080080,  # Institution Name
        0x00081010,  # Station Name
        0x00081040,  # Institutional Department Name
        0x00081090,  # Manufacturer's Model Name
        0x00181000,  # Device Serial Number
        0x00181020,  # Software Versions
    }
)


def _tag(keyword: str) -> int:
    return int(Tag(keyword))


_VALUE_TYPE, _CODE_VALUE = _tag("ValueType"), _tag("CodeValue")
_CONCEPT_NAME = _tag("ConceptNameCodeSequence")
_TEXT_VALUE, _DATE, _PERSON_NAME = _tag("TextValue"), _tag("Date"), _tag("PersonName")
_PATIENT_ID, _ACCESSION_NUMBER, _PATIENT_AGE = _tag("PatientID"), _tag("AccessionNumber"), _tag("PatientAge")
_REQUEST_ATTRIBUTES = _tag("RequestAttributesSequence")
_REQUEST_IDENTIFIERS = (_ACCESSION_NUMBER, _tag("RequestedProcedureID"), _tag("ScheduledProcedureStepID"))


@dataclass(frozen=True)
class Identifiers:
    """The header's identifiers and their pseudonyms; `copies` maps any other copy to its replacement."""

    patient_pseudonym: str
    accession_pseudonym: str
    copies: dict[str, str]


@dataclass(frozen=True)
class Cleaning:
    """What `ingest.deid` writes instead of the identifiers of one file."""

    identifiers: Identifiers
    pseudonym: Callable[[str, str], str]  # (kind, value) -> pseudonym, for identifiers in the content tree
    removed: frozenset[int]  # header attributes removed outright
    age: str | None  # Patient's Age to write, where the header states none
    method: str  # De-identification Method


def text(item: Node, tag: int) -> str:
    """An element's value as text, "" when absent or empty (as `str(dataset.get(keyword) or "")`)."""
    value = item.value(tag)
    return str(value) if value else ""


def concept_code(item: Node) -> str:
    """The code value of a content item's concept name, "" when it has none."""
    names = item.value(_CONCEPT_NAME)
    return text(names[0], _CODE_VALUE) if names else ""


def _private_in(opened: Opened, content: Raw) -> list[Raw]:
    start, end = content[VALUE_START], content[VALUE_END]
    return [raw for raw in opened.stream.private if start <= raw[START] < end]


def content_needs_cleaning(opened: Opened, content: Raw, identifiers: Iterable[str]) -> bool:
    """Whether the content tree holds a name, an identifying item, a copy of an identifier or a private tag.

    Most dose reports hold none of these, and then the tree is copied byte for byte.
    """
    originals = set(identifiers)
    coded = _may_hold(opened, content, _IDENTIFYING_CODES)
    for item in content_items(content[ITEMS] or []):
        value_type, code = text(item, _VALUE_TYPE), concept_code(item) if coded else ""
        if value_type == "PNAME" and text(item, _PERSON_NAME).strip():
            return True
        if code in IDENTIFYING_TEXT or code in (SUBJECT_ID, ACCESSION):
            return True
        if text(item, _TEXT_VALUE).strip() in originals:
            return True
    return bool(_private_in(opened, content))


Edits = dict[int, bytes | None]  # an element, by where it starts -> its new value, or None to drop it


def cleaned_copy(opened: Opened, cleaning: Cleaning) -> bytes:
    """The de-identified Part 10 bytes: preamble and file meta as they were, the dataset spliced.

    As `ingest.deid`: the header always; the content tree (names, identifying items, copies of
    identifiers, private attributes at any depth) only when it holds something to clean.
    """
    content = opened.content
    clean = content is not None and content_needs_cleaning(opened, content, cleaning.identifiers.copies)
    edits: Edits = {}
    added: dict[int, tuple[str, bytes]] = {}
    _clean_header(opened, cleaning, clean, edits, added)
    if clean and content is not None:
        _clean_content(opened, content, cleaning, edits)
    data = opened.stream.data
    return data[: opened.start] + rewrite_dataset(opened.stream, opened.root, edits, added)


def _padded(value: str) -> bytes:
    encoded = value.encode()
    return encoded + b" " if len(encoded) % 2 else encoded


def _clean_header(
    opened: Opened, cleaning: Cleaning, clean: bool, edits: Edits, added: dict[int, tuple[str, bytes]]
) -> None:
    """`ingest.deid._deidentify_header`; when `clean`, private attributes go at any depth, as there."""
    root, identifiers = opened.root, cleaning.identifiers

    def put(tag: int, vr: str, value: str) -> None:
        raw = root.get(tag)
        if raw is None:
            added[tag] = (vr, _padded(value))
        else:
            edits[raw[START]] = _padded(value)

    if cleaning.age is not None:
        put(_PATIENT_AGE, "AS", cleaning.age)
    edits.update((root[tag][START], None) for tag in cleaning.removed if tag in root)
    put(_PATIENT_ID, "LO", identifiers.patient_pseudonym)
    put(_ACCESSION_NUMBER, "SH", identifiers.accession_pseudonym)
    for request in root.value(_REQUEST_ATTRIBUTES) or []:
        edits.update((request[tag][START], None) for tag in _REQUEST_IDENTIFIERS if tag in request)
    # Private attributes: at the top level always, at any depth when the whole file is cleaned.
    private = opened.stream.private if clean else [raw for tag, raw in root.items() if tag >> 16 & 1]
    edits.update((raw[START], None) for raw in private)
    _scrub(opened.stream, _outside(root, opened.content), identifiers.copies, edits)
    put(_tag("PatientIdentityRemoved"), "CS", "YES")
    put(_tag("DeidentificationMethod"), "LO", cleaning.method)


def _outside(root: Node, content: Raw | None) -> Iterator[tuple[int, Raw]]:
    """Every element of the header and of its sequences' items: all but the content tree."""
    for tag, raw in root.items():
        if raw is content:
            continue
        yield tag, raw
        for item in raw[ITEMS] or ():
            yield from elements(item)


def _clean_content(opened: Opened, content: Raw, cleaning: Cleaning, edits: Edits) -> None:
    """`ingest.deid._clean_content`, private attributes removed, then every copy of an identifier replaced."""

    def put(item: Node, tag: int, value: str) -> None:
        raw = item.get(tag)
        if raw is not None:
            edits[raw[START]] = _padded(value)

    coded = _may_hold(opened, content, _IDENTIFYING_CODES)
    for item in content_items(content[ITEMS] or []):
        value_type, code = text(item, _VALUE_TYPE), concept_code(item) if coded else ""
        if value_type == "PNAME":
            put(item, _PERSON_NAME, "")
        elif code == SUBJECT_ID and value_type == "TEXT":
            put(item, _TEXT_VALUE, cleaning.pseudonym("patient", text(item, _TEXT_VALUE)))
        elif code == ACCESSION and value_type == "TEXT":
            put(item, _TEXT_VALUE, cleaning.pseudonym("accession", text(item, _TEXT_VALUE)))
        elif code in IDENTIFYING_TEXT:
            put(item, _TEXT_VALUE, "")
            put(item, _DATE, "")
    edits.update((raw[START], None) for raw in _private_in(opened, content))
    copies = cleaning.identifiers.copies
    if _may_hold(opened, content, copies):
        every = (element for item in content[ITEMS] or [] for element in elements(item))
        _scrub(opened.stream, every, copies, edits)


def _may_hold(opened: Opened, content: Raw, texts: Iterable[str]) -> bool:
    """Whether any value in the content tree can equal one of `texts` (identifiers, concept codes).

    A value equal to an ASCII text holds its bytes in every character set DICOM allows, unless ISO 2022
    escapes interrupt them; so when no such byte string occurs, no value needs decoding and comparing.
    """
    data, start, end = opened.stream.data, content[VALUE_START], content[VALUE_END]
    if data.find(b"\x1b", start, end) >= 0:
        return True
    return any(not wanted.isascii() or data.find(wanted.encode(), start, end) >= 0 for wanted in texts)


def _scrub(
    stream: Stream, candidates: Iterable[tuple[int, Raw]], copies: dict[str, str], edits: Edits
) -> None:
    """`ingest.deid._scrub_copies`: any text element whose whole value is an identifier is replaced.

    Elements already changed or removed keep that; equipment attributes are left alone.
    """
    for tag, raw in candidates:
        if raw[START] in edits or tag in EQUIPMENT_TAGS or raw[VR] not in TEXT_VRS:
            continue
        value = stream.decode(tag, raw)
        if isinstance(value, (str, PersonName)):
            replacement = copies.get(str(value).strip())
            if replacement is not None:
                edits[raw[START]] = _padded("" if raw[VR] == "PN" else replacement)
