"""The default QA patterns, and how a description or protocol name is compared with them: whole words only.

A pattern is a word or a phrase of words. Text is cut into words at anything that is not a letter or a
digit (space, `_`, `^`, `-`, `.`), at a change between letters and digits, and at a case change inside a
word ("PhysicsTesting", "DailyQA", "QA2"), then compared without case. So "Daily QA", "DailyQA", "QA_Head"
and "qa" match "QA", while "aQAb", "Aquarius" and "Aquilion" hold no word "QA", and "CTDIvol" holds no word
"CTDI". False positives hide real patients, so the list is short and every entry says why it is there.
"""

from __future__ import annotations

import re

# Conservative on purpose: each is a word no patient examination is named with. Broad words that also name
# patient work ("quality" alone: "high quality", "physics" alone, "test" alone) are left out.
QA_PATTERNS: tuple[str, ...] = (
    "QA",  # quality assurance: "Daily QA", "QA_Phantom", vendor daily QA protocols
    "QC",  # quality control
    "quality assurance",
    "quality control",
    "phantom",  # CTDI, water, ACR and anthropomorphic phantoms
    "constancy",  # constancy (daily/monthly) tests, e.g. Siemens "Quality constancy"
    "CTDI",  # CTDI measurements; a whole word, so a protocol naming "CTDIvol" does not match
    "physics test",  # physicists' test exposures: "Z_Physics Test" (Siemens Fluorospot)
    "physics testing",  # "Specials^PhysicsTesting" (Siemens Definition Flash QA)
    "acceptance test",
    "commissioning",
    "CDMAM",  # the contrast-detail mammography phantom
    "test object",  # Leeds and similar test objects (radiography, fluoroscopy, mammography)
    "flat field",  # detector flat-field calibration exposures (radiography, mammography)
)

_CASE_CHANGE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_DIGIT_CHANGE = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_SEPARATORS = re.compile(r"[\W_]+")


def words(text: str) -> tuple[str, ...]:
    """The words of a text as the patterns see them: split at separators, digits and case changes."""
    spaced = _DIGIT_CHANGE.sub(" ", _CASE_CHANGE.sub(" ", text))
    return tuple(word.casefold() for word in _SEPARATORS.split(spaced) if word)


_PATTERN_WORDS = tuple((pattern, words(pattern)) for pattern in QA_PATTERNS)


def qa_pattern_in(text: str) -> str | None:
    """The first QA pattern whose words occur in a row among the text's words, or None."""
    found = words(text)
    for pattern, wanted in _PATTERN_WORDS:
        size = len(wanted)
        if any(found[start : start + size] == wanted for start in range(len(found) - size + 1)):
            return pattern
    return None
