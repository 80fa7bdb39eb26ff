"""One name per anode or filter material, whichever object states it (rdsr-notes: materials).

An RDSR names a material by a code whose meaning is SNOMED's older "Tungsten or Tungsten compound" (SRT
C-164F9); an image header by a defined term, `TUNGSTEN` (PS3.3 C.8.7.10, C.8.11.5); pydicom's current SNOMED
meaning is "Tungsten". A registry that groups by target/filter, or shows one study's RDSR and header
events side by side, needs one name: the element's, as pydicom's SNOMED dictionary spells it. A material
this rule does not know is kept as sent.
"""

from __future__ import annotations

import re

from pydicom.sr.codedict import codes as dicom_codes

# The defined terms of Anode Target Material (0018,1191) and Filter Material (0018,7050) that name one
# element, and pydicom's SNOMED meaning for each ("Tungsten").
_ELEMENTS = {
    term: getattr(dicom_codes.SCT, term.title()).meaning
    for term in ("ALUMINUM", "COPPER", "MOLYBDENUM", "RHODIUM", "SILVER", "TUNGSTEN", "LEAD", "NIOBIUM")
    if hasattr(dicom_codes.SCT, term.title())
}
# British spellings some vendors write (GE's fluoroscopy RDSR: "Aluminium or Aluminium Compound").
_SPELLINGS = {"ALUMINIUM": "ALUMINUM"}
# SNOMED's older meanings: "<Element> or <Element> compound" (any case).
_OR_COMPOUND = re.compile(r"(?P<element>[A-Za-z]+)\s+or\s+(?P=element)\s+compound", re.IGNORECASE)


def material_name(stated: str | None) -> str | None:
    """One name for a material: "Tungsten" for TUNGSTEN and "Tungsten or Tungsten compound", "Aluminum" for
    "Aluminium or Aluminium Compound"; None if blank."""
    text = (stated or "").strip()
    if not text:
        return None
    compound = _OR_COMPOUND.fullmatch(text)
    element = compound["element"] if compound else text
    term = element.upper()
    return _ELEMENTS.get(_SPELLINGS.get(term, term), element if compound else text)
