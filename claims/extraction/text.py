"""Tokenizer and sentence/paragraph segmentation: one linear pass, no backtracking regexes."""

from __future__ import annotations

import re
from bisect import bisect_right

# Every alternative is a run over a single class or a sequence of runs separated by a
# character outside that class, so the regex engine never backtracks more than one step.
_TOKEN_RE = re.compile(r"(?:[A-Za-z]\.){2,}|\d+(?:[.,:]\d+)+|\w+(?:['’\-]\w+)*|\S")
# The same, with the whitespace before each token (every character outside \s is a token, so
# up to the last one a token always follows the whitespace: see tokenize).
_GAP_TOKEN_RE = re.compile(r"(\s*+)(" + _TOKEN_RE.pattern + ")")
# Quotation marks and brackets that open and close a stretch of text.
OPENING_MARKS = frozenset("\"“‘'«„([")
CLOSING_MARKS = frozenset("\"”’'»)]")

QUOTE_CHARS = "\"'“”‘’«»„‚‹›「」『』"
SENTENCE_END = frozenset(".!?")
# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "sen",
        "rep",
        "gov",
        "lt",
        "gen",
        "col",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "st",
        "jr",
        "sr",
        "inc",
        "corp",
        "co",
        "ltd",
        "vs",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "prof",
        "rev",
        "hon",
        "pres",
        "amb",
        "maj",
        "supt",
        "det",
        "del",
        "messrs",
        "mt",
        "ft",
        "approx",
        "dept",
        "est",
    ]
)


class Token:
    """A word or punctuation character with its character offsets."""

    __slots__ = ("end", "is_cap", "is_word", "low", "para", "sent", "start", "text")

    def __init__(self, start: int, end: int, text: str, low: str, sent: int = 0, para: int = 0):
        self.start = start
        self.end = end
        self.text = text
        self.low = low
        self.sent = sent  # index of the sentence the token belongs to
        self.para = para  # index of the paragraph the token belongs to
        first = text[0]
        self.is_word = first.isalnum()
        self.is_cap = first.isupper()

    def __repr__(self) -> str:
        return f"Token({self.text!r}@{self.start})"


def _is_initial(word: str) -> bool:
    return len(word) == 1 and word.isupper()


def tokenize(text: str) -> list[Token]:
    """Split text into word and punctuation tokens; assign sentence and paragraph indices."""
    tokens: list[Token] = []
    sent = 0
    para = 0
    pos = 0
    pending_break = False  # a sentence-ending punctuation mark was seen
    prev: Token | None = None
    # findall yields (whitespace before, token) string pairs: offsets follow from the lengths,
    # which is about a quarter faster than a Match object per token.
    # Trailing whitespace is left out: with no token after it, every start position in a long
    # run of it would rescan the rest of the run (quadratic time).
    for gap, word in _GAP_TOKEN_RE.findall(text, 0, len(text.rstrip())):
        s = pos + len(gap)
        e = pos = s + len(word)
        if gap and prev is not None:
            if "\n" in gap:
                sent += 1
                para += 1
                pending_break = False
            elif pending_break:
                # A sentence ends at . ! ? (after closing quotes/brackets) followed by space and
                # a capital, a digit or an opening quote.
                first = word[0]
                if first.isupper() or first.isdigit() or first in OPENING_MARKS:
                    sent += 1
                pending_break = False
        if (
            word == "."
            and not gap
            and prev is not None
            and (prev.low in ABBREVIATIONS or _is_initial(prev.text))
        ):
            # "Mr." / "Sen." / "J." form one token: the full stop is part of the word.
            prev.end = e
            prev.text += "."
            prev.low += "."
            continue
        if word in SENTENCE_END:
            is_abbrev = word == "." and prev is not None and not gap and prev.text.endswith(".")
            pending_break = not is_abbrev
        elif pending_break and not gap and word in CLOSING_MARKS:
            pass  # closing marks after the full stop still belong to the sentence
        else:
            pending_break = False
        prev = Token(s, e, word, word.lower(), sent, para)
        tokens.append(prev)
    return tokens


def sentence_bounds(tokens: list[Token]) -> list[tuple[int, int]]:
    """Return (first, last+1) token indices for each sentence."""
    return runs([t.sent for t in tokens])


def paragraph_bounds(tokens: list[Token]) -> list[tuple[int, int]]:
    """Return (first, last+1) token indices for each paragraph."""
    return runs([t.para for t in tokens])


def runs(keys: list[int]) -> list[tuple[int, int]]:
    """(first, last+1) index ranges of the runs of equal consecutive keys, for keys that
    never decrease (sentence and paragraph indices): each run ends where a binary search for
    its key does, so the work is per run, not per token."""
    out = []
    i, n = 0, len(keys)
    while i < n:
        j = bisect_right(keys, keys[i], i)
        out.append((i, j))
        i = j
    return out
