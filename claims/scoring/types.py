"""Rule-based claim type: factual, promise, prediction, opinion or other.

There is no labelled data for types, so these are transparent linguistic rules, applied in order:

1. other      - empty, very short (< 4 words), questions, greetings/thanks.
2. promise    - first person (I/we/my administration) + commitment: will/'ll/going to/promise/
                pledge/commit/vow/guarantee/intend to/plan to.
3. prediction - a future statement about the world: will/'ll/going to/is expected to/predict/
                forecast/by <year> with a subject that is not "I"/"we", or "I predict/expect".
4. factual    - states a quantity (digits, number words, percent, money, years), or is
                check-worthy (score >= 0.5) without opinion markers.
5. opinion    - "I think/believe/feel", "in my opinion", should/must/ought to, evaluative words.
6. other      - everything else (declarative but neither check-worthy nor evaluative).
"""

from __future__ import annotations

import re

TYPES = ("factual", "promise", "prediction", "opinion", "other")

_I = re.IGNORECASE
_WORD = re.compile(r"[A-Za-z']+")
_GREETING = re.compile(
    r"^\W*(thank(s| you)|good (evening|morning|afternoon|night)|hello|hi|welcome|"
    r"ladies and gentlemen|excuse me)\b",
    _I,
)
_FIRST = r"(i|we|my administration|our (administration|government|party|campaign))"
_COMMIT = (
    r"(will|shall|'ll|am going to|are going to|'m going to|'re going to|gonna|promise\w*|"
    r"pledge\w*|commit\w*|vow\w*|guarantee\w*|intend to|plan to|am determined to|"
    r"are determined to)"
)
# "I will ..." / "We're going to ..." possibly with an adverb: "we will never", "I will also".
_PROMISE = re.compile(rf"\b{_FIRST}\s*(\w+\s+)?{_COMMIT}\b", _I)
_I_FUTURE_VIEW = re.compile(r"\b(i|we)\s+(predict|expect|forecast|bet|anticipate)\b", _I)
_FUTURE = re.compile(
    r"\b(will|won't|'ll|is going to|are going to|'s going to|'re going to|is expected to|"
    r"are expected to|is projected to|are projected to|predict\w*|forecast\w*|projected|"
    r"within the next|next (year|decade|month)|by (the year )?(19|20)\d\d)\b",
    _I,
)
_OPINION = re.compile(
    r"\b(i (think|believe|feel|guess|suppose)|in my (opinion|view|judgment)|it seems|"
    r"should|must|ought to|needs? to|have to|"
    r"good|bad|great|terrible|horrible|wrong|right|best|worst|disaster\w*|ridiculous|"
    r"unfair|fair|wonderful|outrageous|shameful|disgrace\w*|incompetent|strong|weak|"
    r"important|dangerous|failed|failure|mistake|better|worse)\b",
    _I,
)
_NUMBER_WORDS = (
    r"(hundred|thousand|million|billion|trillion|percent|per cent|dozen|twice|half|"
    r"two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty)"
)
_QUANTITY = re.compile(rf"(\d|%|\$|\b{_NUMBER_WORDS}\b)", _I)


def claim_type(text: str, check_worthiness: float) -> str:
    """Guess the claim type of one sentence from wording and its check-worthiness."""
    stripped = text.strip()
    words = _WORD.findall(stripped)
    if len(words) < 4 or stripped.endswith("?") or _GREETING.match(stripped):
        return "other"
    if _PROMISE.search(stripped):
        return "promise"
    if _I_FUTURE_VIEW.search(stripped) or _FUTURE.search(stripped):
        return "prediction"
    opinion = bool(_OPINION.search(stripped))
    # A stated quantity is verifiable even inside a hedge ("I think we lost 700,000 jobs").
    if _QUANTITY.search(stripped) or (check_worthiness >= 0.5 and not opinion):
        return "factual"
    if opinion:
        return "opinion"
    return "other"
