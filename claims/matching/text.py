"""Normalising statements and tweets before matching (no Django needed)."""

from __future__ import annotations

import html
import re
import unicodedata

URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S+", re.IGNORECASE)
# "— Ilhan Omar (@IlhanMN) January 6, 2020": the signature of an embedded tweet.
TWEET_DATE = re.compile(
    r"\s*[—–-]?\s*\(?@?\w*\)?\s*(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\s+\d{1,2},\s+\d{4}\s*$"
)
TAG = re.compile(r"[#@](\w+)")
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)")
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
SPACE = re.compile(r"\s+")


def split_tag(match: re.Match) -> str:
    """Turn #BlackLivesMatter or @realDonaldTrump into separate words."""
    return " " + CAMEL.sub(" ", match.group(1).replace("_", " ")) + " "


def normalise(text: str) -> str:
    """Drop URLs, tweet signatures and emoji; split hashtags and handles into words."""
    text = html.unescape(text or "")
    text = URL.sub(" ", text)
    text = TWEET_DATE.sub(" ", text)
    text = TAG.sub(split_tag, text)
    # Emoji and other symbols carry no matchable words.
    text = "".join(" " if unicodedata.category(ch).startswith("S") else ch for ch in text)
    text = text.replace("’", "'").replace("“", '"').replace("”", '"')
    return SPACE.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """Lower-case words of ``text``."""
    return [w.lower() for w in WORD.findall(text)]
