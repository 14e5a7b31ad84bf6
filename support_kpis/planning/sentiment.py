"""The tone of a customer's message or survey comment, scored offline by VADER.

VADER is a lexicon of English words and rules (negation, intensifiers, "but", capitals, punctuation, emoticons)
shipped inside its package: it runs on a CPU with nothing to download, and the same text always gets the same
score. Its limits, which the docs repeat: English only; it reads words, not situations ("I waited three weeks" is
neutral to it); sarcasm reads as meant; product words carry no tone.

`compound` runs from -1 (most negative) to 1; VADER's authors put the neutral band at -0.05 to 0.05.
"""

from __future__ import annotations

from functools import cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

NEUTRAL_BAND = 0.05
BANDS: tuple[str, ...] = ("negative", "neutral", "positive")


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    # Reads the lexicon once (a few thousand entries).
    return SentimentIntensityAnalyzer()


def compound(text: str | None) -> float | None:
    """The text's compound score, or None for no text (a message with no words has no tone to measure)."""
    if text is None or not text.strip():
        return None
    return float(_analyzer().polarity_scores(text)["compound"])


def band(score: float | None) -> str | None:
    if score is None:
        return None
    if score <= -NEUTRAL_BAND:
        return "negative"
    if score >= NEUTRAL_BAND:
        return "positive"
    return "neutral"
