"""Does a statement dispute the claim it resembles? A cautious check, no Django needed.

Similarity does not see stance: "reported crime had fallen" looks like "crime has doubled", and
"crime has not doubled" looks like it even more. Flagging asks this before it calls a statement
a repeat of a claim rated false (urgent): a statement that disputes the claim is flagged as
such instead. The check errs towards "repeats" — a missed repeat of a false claim costs more
than an urgent flag too many — so it only answers yes on plain signals:

* opposite changes: the claim says a quantity rose and the statement that it fell, or back;
* a negation right before a word of the claim or a verb of change ("has not doubled",
  "never said");
* a word that calls it untrue ("false", "myth", "debunked") that the claim itself lacks.
"""

from __future__ import annotations

from .text import words

_RISE_WORDS = """
    rise rises rising rose risen increase increases increased increasing grow grows grew grown
    growing double doubles doubled doubling triple tripled tripling soar soared soaring surge
    surged surging jump jumped jumping climb climbed climbing skyrocket skyrocketed
"""
_FALL_WORDS = """
    fall falls falling fell fallen decrease decreases decreased decreasing decline declines
    declined declining drop drops dropped dropping shrink shrinks shrank shrunk shrinking
    halve halved halving plunge plunged plunging plummet plummeted slump slumped
"""
_STOP_WORDS = "the a an of in on at to and or is are was were has have had be been it"
RISE = frozenset(_RISE_WORDS.split())
FALL = frozenset(_FALL_WORDS.split())
STOP = frozenset(_STOP_WORDS.split())
NEGATIONS = frozenset(["not", "never", "no", "cannot"])  # and every word ending in n't
UNTRUE = frozenset(["false", "untrue", "myth", "debunked", "baseless", "fabricated", "misleading"])
# How many words may stand between a negation and the word it denies ("has not yet doubled").
NEGATION_REACH = 3


def _direction(tokens: list[str]) -> int:
    rise = any(t in RISE for t in tokens)
    fall = any(t in FALL for t in tokens)
    return (rise and not fall) - (fall and not rise)


def _negated(tokens: list[str], targets: set[str]) -> bool:
    return any(
        (token in NEGATIONS or token.endswith("n't"))
        and any(t in targets for t in tokens[i + 1 : i + 1 + NEGATION_REACH])
        for i, token in enumerate(tokens)
    )


def disputes(statement: str, claim: str) -> bool:
    """True when ``statement`` plainly disputes ``claim`` rather than repeating it."""
    said, claimed = words(statement), words(claim)
    direction_said, direction_claimed = _direction(said), _direction(claimed)
    if direction_said and direction_claimed and direction_said != direction_claimed:
        return True
    content = {t for t in claimed if t not in STOP} | RISE | FALL
    if _negated(said, content) and not _negated(claimed, content):
        return True
    return any(t in UNTRUE for t in said) and not any(t in UNTRUE for t in claimed)
