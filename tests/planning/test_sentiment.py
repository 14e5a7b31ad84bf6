"""VADER's bands on support messages labelled by hand."""

from __future__ import annotations

import pytest

from support_kpis.planning.sentiment import band, compound

# Written for this test, labelled by what a support lead would call them.
LABELLED = [
    ("Thanks so much, that fixed it! You are great.", "positive"),
    ("Perfect, works now. Really appreciate the quick help.", "positive"),
    ("Happy with the answer, thank you!", "positive"),
    ("Excellent support as always :)", "positive"),
    ("This is the third time I ask. Still broken. Terrible service.", "negative"),
    ("I am very disappointed, nobody answered for days.", "negative"),
    ("Your app crashed again and I lost my work. Awful.", "negative"),
    ("This is not acceptable. I want a refund.", "negative"),
    ("I have a question about my invoice.", "neutral"),
    ("The log file is attached.", "neutral"),
    ("We use the mobile app on Android.", "neutral"),
    ("Can you reset the password for the admin user?", "neutral"),
]


@pytest.mark.parametrize(("text", "expected"), LABELLED, ids=[label for _, label in LABELLED])
def test_hand_labelled_messages_fall_in_their_band(text: str, expected: str) -> None:
    assert band(compound(text)) == expected


def test_no_text_has_no_score_and_a_score_is_deterministic() -> None:
    assert compound(None) is None and compound("   ") is None and band(None) is None
    text = "Still not fixed, but thanks for trying."
    assert compound(text) == compound(text)
    assert -1.0 <= (compound(text) or 0.0) <= 1.0


# Misreadings the docs name as VADER's limits, kept here so the docs stay true: politeness reads as praise, and a
# long wait without a complaint word reads as no tone at all.
KNOWN_MISREADINGS = [
    ("Please find the log file attached.", "positive"),
    ("I have been waiting three weeks for an answer.", "neutral"),
]


@pytest.mark.parametrize(("text", "read_as"), KNOWN_MISREADINGS)
def test_the_documented_misreadings_are_still_misread(text: str, read_as: str) -> None:
    assert band(compound(text)) == read_as
