"""QA patterns match whole words, whatever the case: "Daily QA" is QA, "Aquarius" and "aQAb" are not."""

from __future__ import annotations

import pytest

from registry.quality.patterns import QA_PATTERNS, qa_pattern_in, words


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("Daily QA", "QA"),
        ("DailyQA", "QA"),  # a case change inside a word starts a new word
        ("QA_Head", "QA"),
        ("daily qa 2", "QA"),
        ("QA2", "QA"),
        ("10.13 RADIOTHERAPY QA", "QA"),
        ("Monthly QC", "QC"),
        ("CTDI phantom 32 cm", "phantom"),
        ("CTDI 16", "CTDI"),
        ("Water Phantom", "phantom"),
        ("Quality constancy", "constancy"),
        ("Specials^PhysicsTesting (Adult)", "physics testing"),
        ("Z_Physics Test", "physics test"),
        ("Quality Assurance Head", "quality assurance"),
        ("CDMAM 3.4", "CDMAM"),
        ("Flat-field calibration", "flat field"),
        ("Leeds test object TOR CDR", "test object"),
    ],
)
def test_qa_names_match(text: str, pattern: str) -> None:
    assert qa_pattern_in(text) == pattern


@pytest.mark.parametrize(
    "text",
    [
        "aQAb",
        "Aquarius",  # TeraRecon's workstation
        "Aquilion",  # Canon's CT scanners
        "AQUA",
        "Squamous",
        "CTDIvol-guided head",  # a protocol naming the quantity is not a CTDI measurement
        "High quality chest",  # "quality" alone also names patient protocols
        "Physics",
        "Thorax^Thorax_NON_CON (Adult)",
        "Abdomen Routine ZC (NR)",
        "PET/CT Ganzkoerper FDG",
        "liuotushoidon raajojen",
        "",
    ],
)
def test_patient_names_do_not_match(text: str) -> None:
    assert qa_pattern_in(text) is None


def test_words_split_at_separators_digits_and_case_changes() -> None:
    assert words("Specials^PhysicsTesting (Adult)") == ("specials", "physics", "testing", "adult")
    assert words("QATesting_2x") == ("qa", "testing", "2", "x")


def test_every_pattern_matches_itself_in_any_case() -> None:
    for pattern in QA_PATTERNS:
        assert qa_pattern_in(pattern.upper()) == qa_pattern_in(pattern.lower()) is not None
