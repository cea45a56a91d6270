"""Tokenizer and sentence/paragraph segmentation: one linear pass, no backtracking regexes."""

from __future__ import annotations

import re

# Every alternative is a run over a single class or a sequence of runs separated by a
# character outside that class, so the regex engine never backtracks more than one step.
_TOKEN_RE = re.compile(r"(?:[A-Za-z]\.){2,}|\d+(?:[.,:]\d+)+|\w+(?:['’\-]\w+)*|\S")

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
    prev_end = 0
    pending_break = False  # a sentence-ending punctuation mark was seen
    for m in _TOKEN_RE.finditer(text):
        s, e = m.span()
        word = m.group()
        gap = text[prev_end:s] if tokens else ""
        if tokens:
            if "\n" in gap:
                sent += 1
                para += 1
                pending_break = False
            elif pending_break and gap:
                # A sentence ends at . ! ? (after closing quotes/brackets) followed by space and
                # a capital, a digit or an opening quote.
                first = word[0]
                if gap and (first.isupper() or first.isdigit() or first in "\"“‘'«„(["):
                    sent += 1
                pending_break = False
        if (
            word == "."
            and tokens
            and tokens[-1].end == s
            and (tokens[-1].low in ABBREVIATIONS or _is_initial(tokens[-1].text))
        ):
            # "Mr." / "Sen." / "J." form one token: the full stop is part of the word.
            prev = tokens[-1]
            prev.end = e
            prev.text += "."
            prev.low += "."
            prev_end = e
            continue
        if word in SENTENCE_END:
            prev = tokens[-1] if tokens else None
            is_abbrev = (
                word == "." and prev is not None and prev.end == s and (prev.text.endswith("."))
            )
            pending_break = not is_abbrev
        elif pending_break and not gap and word in "\"”’'»)]":
            pass  # closing marks after the full stop still belong to the sentence
        else:
            pending_break = False
        tokens.append(Token(s, e, word, word.lower(), sent, para))
        prev_end = e
    return tokens


def sentence_bounds(tokens: list[Token]) -> list[tuple[int, int]]:
    """Return (first, last+1) token indices for each sentence."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(tokens) + 1):
        if i == len(tokens) or tokens[i].sent != tokens[start].sent:
            bounds.append((start, i))
            start = i
    return bounds
