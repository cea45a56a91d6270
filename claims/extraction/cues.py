"""Cue lexicon: which words introduce a statement, and how far a cue phrase reaches.

Two sources are merged:

* a hand-written list of reporting verbs (say, tell, assure, insist, ...) in all their forms, so
  that general reporting verbs work even when a training corpus never saw them;
* ``cue_lexicon.json``, learned from the PolNeAR train split by ``train_lexicon.py``: for each
  word form, how often it heads an annotated cue versus how often it occurs at all, and which
  particles follow it inside cues ("called for", "according to", "pointed out").

A cue phrase is built around a head word: auxiliaries, negation and adverbs to its left
("has also said", "might be asking") and a learned tail to its right ("called for").
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from .text import Token

# Words that join a cue phrase to the left of the head verb.
AUXILIARIES = frozenset(
    [
        "has",
        "have",
        "had",
        "having",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "will",
        "would",
        "could",
        "should",
        "may",
        "might",
        "must",
        "can",
        "did",
        "does",
        "do",
        "'s",
        "'ve",
        "'d",
        "'ll",
        "’s",
        "’ve",
        "’d",
        "’ll",
        "not",
        "n't",
        "n’t",
        "never",
        "also",
        "still",
        "already",
        "repeatedly",
        "reportedly",
        "later",
        "then",
        "previously",
        "recently",
        "once",
        "often",
        "even",
        "just",
        "again",
        "further",
        "publicly",
        "privately",
        "quickly",
        "first",
        "frequently",
        "long",
        "initially",
        "now",
        "simply",
        "only",
        "clearly",
        "openly",
        "explicitly",
        "flatly",
        "immediately",
    ]
    # Negated auxiliaries are one token ("hasn't said", "didn’t respond").
    + [
        neg.replace("'", q)
        for neg in (
            "hasn't",
            "haven't",
            "hadn't",
            "isn't",
            "aren't",
            "wasn't",
            "weren't",
            "didn't",
            "doesn't",
            "don't",
            "won't",
            "wouldn't",
            "couldn't",
            "shouldn't",
            "can't",
        )
        for q in "'’"
    ]
    + ["cannot"]
)

_HAND_VERBS = [
    "say",
    "says",
    "said",
    "saying",
    "tell",
    "tells",
    "told",
    "telling",
    "add",
    "adds",
    "added",
    "adding",
    "claim",
    "claims",
    "claimed",
    "claiming",
    "assure",
    "assures",
    "assured",
    "assuring",
    "insist",
    "insists",
    "insisted",
    "insisting",
    "state",
    "states",
    "stated",
    "stating",
    "declare",
    "declares",
    "declared",
    "declaring",
    "announce",
    "announces",
    "announced",
    "announcing",
    "explain",
    "explains",
    "explained",
    "explaining",
    "argue",
    "argues",
    "argued",
    "arguing",
    "note",
    "notes",
    "noted",
    "noting",
    "warn",
    "warns",
    "warned",
    "warning",
    "stress",
    "stresses",
    "stressed",
    "stressing",
    "suggest",
    "suggests",
    "suggested",
    "suggesting",
    "admit",
    "admits",
    "admitted",
    "admitting",
    "acknowledge",
    "acknowledges",
    "acknowledged",
    "acknowledging",
    "deny",
    "denies",
    "denied",
    "denying",
    "confirm",
    "confirms",
    "confirmed",
    "confirming",
    "report",
    "reports",
    "reported",
    "reporting",
    "write",
    "writes",
    "wrote",
    "writing",
    "tweet",
    "tweets",
    "tweeted",
    "tweeting",
    "ask",
    "asks",
    "asked",
    "asking",
    "reply",
    "replies",
    "replied",
    "replying",
    "respond",
    "responds",
    "responded",
    "responding",
    "predict",
    "predicts",
    "predicted",
    "predicting",
    "promise",
    "promises",
    "promised",
    "promising",
    "vow",
    "vows",
    "vowed",
    "vowing",
    "pledge",
    "pledges",
    "pledged",
    "pledging",
    "urge",
    "urges",
    "urged",
    "urging",
    "believe",
    "believes",
    "believed",
    "believing",
    "think",
    "thinks",
    "thought",
    "thinking",
    "recall",
    "recalls",
    "recalled",
    "recalling",
    "emphasize",
    "emphasizes",
    "emphasized",
    "emphasised",
    "emphasising",
    "emphasizing",
    "maintain",
    "maintains",
    "maintained",
    "contend",
    "contends",
    "contended",
    "allege",
    "alleges",
    "alleged",
    "alleging",
    "concede",
    "concedes",
    "conceded",
    "complain",
    "complains",
    "complained",
    "complaining",
    "reiterate",
    "reiterates",
    "reiterated",
    "reiterating",
    "announce",
    "threaten",
    "threatens",
    "threatened",
    "threatening",
    "estimate",
    "estimates",
    "estimated",
    "according",
]

HAND_CUES = frozenset(_HAND_VERBS)

# Hand verbs whose bare form is too ambiguous to trust alone ("the report", "a claim").
_AMBIGUOUS_NOUN_FORMS = frozenset(
    [
        "report",
        "reports",
        "claim",
        "claims",
        "estimate",
        "estimates",
        "promise",
        "promises",
        "state",
        "states",
        "note",
        "notes",
        "tweet",
        "tweets",
    ]
)


@cache
def _lexicon() -> dict:
    path = Path(__file__).with_name("cue_lexicon.json")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {"heads": {}, "tails": {}}


# A learned head is trusted when at least this share of its occurrences were annotated cues.
MIN_RATIO = 0.3
MIN_COUNT = 3


@cache
def cue_heads() -> frozenset[str]:
    """Word forms accepted as cue heads."""
    learned = _lexicon()["heads"]
    heads = set()
    for word in HAND_CUES - _AMBIGUOUS_NOUN_FORMS:
        as_cue, total = learned.get(word, (0, 0))
        # A hand verb is dropped only when the corpus shows it is rarely a cue ("think").
        if total < 20 or as_cue / total >= MIN_RATIO / 2:
            heads.add(word)
    for word, (as_cue, total) in learned.items():
        if as_cue >= MIN_COUNT and as_cue / max(total, 1) >= MIN_RATIO and word.isalpha():
            heads.add(word)
    return frozenset(heads - AUXILIARIES)


@cache
def cue_tails() -> dict[str, list[tuple[str, ...]]]:
    """Head form -> learned right extensions (longest first)."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for word, tails in _lexicon()["tails"].items():
        # A tail is kept when most of its occurrences after the head were part of the cue.
        keep = [tuple(t.split()) for t, (n, seen) in tails.items() if n >= 2 and n * 2 >= seen]
        keep.sort(key=len, reverse=True)
        out[word] = keep
    out.setdefault("according", [("to",)])
    return out


def head_index(tokens: list[Token]) -> int:
    """Index of the head word of a cue phrase: the first word that is not an auxiliary."""
    for i, t in enumerate(tokens):
        if t.is_word and t.low not in AUXILIARIES:
            return i
    return 0
