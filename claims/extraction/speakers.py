"""Speaker mentions and in-article speaker resolution.

``source_left`` / ``source_right`` find the noun phrase that names the speaker next to a cue.
``SpeakerResolver`` links each mention to the fullest name the article gives: short names to full
names ("Putin" -> "Vladimir Putin", "Sharaa" -> "Ahmed al-Sharaa"), pronouns to the last
compatible speaker (he/she/they), role descriptions ("the Syrian leader") to the person
introduced with that role ("Syria's President Ahmed al-Sharaa").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from .text import OPENING_MARKS, Token, sentence_bounds

# "Syrian officials cited by Reuters": a participle and "by" name the channel of a statement
CHANNEL_PARTICIPLES = frozenset({"cited", "quoted"})
PERSON_PRONOUNS = {"he": "m", "she": "f", "i": None, "him": "m", "her": "f"}
GROUP_PRONOUNS = frozenset({"they", "we", "them"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
PRONOUNS = frozenset(PERSON_PRONOUNS) | GROUP_PRONOUNS | {"it", "you", "one"}
_CONTRACTIONS = ("'s", "’s", "'re", "’re", "'ve", "’ve", "'d", "’d", "'ll", "’ll", "'m", "’m")


# Words whose contracted auxiliary opens a cue: "he | ’s said", "they | 're", "who | 's called".
_CONTRACTED_WORDS = PRONOUNS | {"who"}
# A mention the resolver reads as a relative pronoun besides: "that’s", "which’s".
_RESOLVED_CONTRACTIONS = _CONTRACTED_WORDS | RELATIVE_PRONOUNS


def pronoun_contraction(low: str, words: frozenset[str] = _CONTRACTED_WORDS) -> int:
    """Length of the pronoun in "he’s", "they're", "I've", "who's" (0 for any other word, or
    for a contraction of a word not in ``words``)."""
    if "'" not in low and "’" not in low:
        return 0  # every contraction has an apostrophe: most words need no suffix test
    for c in _CONTRACTIONS:
        if low.endswith(c) and low[: -len(c)] in words:
            return len(low) - len(c)
    return 0


# Words that cannot be inside a subject noun phrase: stop the leftward scan there.
_NP_STOP = frozenset(
    [
        "and",
        "but",
        "or",
        "nor",
        "because",
        "if",
        "when",
        "while",
        "as",
        "although",
        "though",
        "since",
        "after",
        "before",
        "until",
        "unless",
        "in",
        "on",
        "at",
        "for",
        "with",
        "to",
        "from",
        "by",
        "about",
        "into",
        "over",
        "under",
        "than",
        "then",
        "so",
        "yet",
        "also",
        "is",
        "was",
        "are",
        "were",
        "has",
        "have",
        "had",
        "be",
        "been",
        "being",
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
        "not",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "where",
        "what",
        "why",
        "how",
        "there",
        "this",
        "these",
        "those",
        "it",
        "its",
        "they",
        "them",
        "he",
        "she",
        "him",
        "her",
        "we",
        "us",
        "you",
        "i",
        "me",
        "my",
        "our",
        "your",
        "their",
        "said",
        "says",
        "say",
        "told",
        "according",
        "despite",
        "during",
        "without",
        "within",
        "between",
        "against",
        "among",
        "through",
        "across",
        "toward",
        "towards",
        "upon",
        "like",
        "unlike",
        "including",
        "whether",
        "instead",
        "per",
        "via",
        "amid",
    ]
)
WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
# Sentence-initial adverbials that are not part of a subject ("Last week Trump said").
_LEADING_JUNK = WEEKDAYS | frozenset(
    [
        "last",
        "this",
        "next",
        "yesterday",
        "today",
        "tonight",
        "earlier",
        "later",
        "now",
        "meanwhile",
        "still",
        "however",
        "also",
        "then",
        "morning",
        "evening",
        "night",
        "week",
        "month",
        "year",
    ]
)
_TIME_WORDS = WEEKDAYS | frozenset(
    [
        "yesterday",
        "today",
        "tonight",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan.",
        "feb.",
        "aug.",
        "sept.",
        "oct.",
        "nov.",
        "dec.",
        "morning",
        "evening",
        "night",
        "week",
        "weekend",
        "month",
        "year",
    ]
)
_NOT_NOUN_END = frozenset(
    [
        "up",
        "out",
        "down",
        "off",
        "just",
        "even",
        "only",
        "again",
        "too",
        "very",
        "much",
        "more",
        "most",
        "well",
        "back",
        "away",
        "here",
        "there",
        "now",
        "then",
        "ago",
        "not",
        "never",
        "already",
        "still",
    ]
)
# Name particles written in lower case inside personal names.
NAME_PARTICLES = frozenset(
    [
        "al",
        "el",
        "bin",
        "ibn",
        "de",
        "da",
        "di",
        "van",
        "von",
        "der",
        "den",
        "du",
        "le",
        "la",
        "dos",
        "del",
        "ben",
        "abu",
    ]
)
TITLES = frozenset(
    [
        "mr.",
        "mrs.",
        "ms.",
        "dr.",
        # British style, without the full stop ("Mrs Badenoch"), and knighthoods
        "mr",
        "mrs",
        "ms",
        "dr",
        "sir",
        "dame",
        "sen.",
        "rep.",
        "del.",
        "gov.",
        "gen.",
        "lt.",
        "col.",
        "sgt.",
        "capt.",
        "adm.",
        "prof.",
        "rev.",
        "president",
        "senator",
        "governor",
        "representative",
        "congressman",
        "congresswoman",
        "delegate",
        "secretary",
        "minister",
        "chancellor",
        "premier",
        "king",
        "queen",
        "prince",
        "mayor",
        "judge",
        "justice",
        "ambassador",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "chairman",
        "chairwoman",
        "chair",
        "director",
        "chief",
        "executive",
        "ceo",
        "leader",
        "speaker",
        "general",
        "commander",
        "sheikh",
        "pope",
        "candidate",
        "nominee",
    ]
)
_MALE_TITLES = frozenset(
    ["mr.", "mr", "sir", "king", "prince", "sheikh", "pope", "congressman", "spokesman", "chairman"]
)
_FEMALE_TITLES = frozenset(
    ["mrs.", "ms.", "mrs", "ms", "dame", "queen", "congresswoman", "spokeswoman", "chairwoman"]
)
ROLE_SYNONYMS: dict[str, frozenset[str]] = {
    "leader": frozenset({"president", "leader", "premier", "chancellor", "king", "minister"}),
    "president": frozenset({"president"}),
    "head": frozenset({"president", "leader", "director", "chief", "chairman", "minister"}),
    # A title is stored as written before the name ("Sen. Marco Rubio" -> "sen"); the role
    # description spells it out ("the Florida senator").
    "senator": frozenset({"senator", "sen"}),
    "governor": frozenset({"governor", "gov"}),
    "congressman": frozenset({"congressman", "representative", "rep"}),
    "congresswoman": frozenset({"congresswoman", "representative", "rep"}),
    "representative": frozenset({"representative", "congressman", "congresswoman", "rep"}),
    "general": frozenset({"general", "gen"}),
}
_ORG_WORDS = frozenset(
    [
        "kremlin",
        "house",
        "pentagon",
        "congress",
        "senate",
        "parliament",
        "ministry",
        "department",
        "agency",
        "committee",
        "campaign",
        "party",
        "company",
        "government",
        "administration",
        "commission",
        "council",
        "office",
        "bureau",
        "court",
        "times",
        "post",
        "journal",
        "news",
        "cnn",
        "msnbc",
        "fox",
        "reuters",
        "afp",
        "ap",
        "bbc",
        "poll",
        "polls",
        "survey",
        "report",
        "study",
        "university",
        "institute",
        "foundation",
        "network",
        "newspaper",
        "magazine",
        "board",
        "union",
        "bank",
        "fund",
        "group",
        "organization",
        "organisation",
        "association",
        "inc.",
        "corp.",
        "police",
        "army",
        "military",
        "embassy",
        "cabinet",
        "spokesman",
        "chamber",
        "federation",
        "coalition",
        "alliance",
        "center",
        "centre",
        "authority",
        "corporation",
        "firm",
        "carmaker",
        "automaker",
        "airline",
        "airlines",
        "regulator",
        "watchdog",
        "lender",
        "retailer",
        "insurer",
        "manufacturer",
        "llc",
        "ltd",
        "plc",
        "society",
        "league",
        "trust",
        "academy",
        "institution",
        "club",
        "lobby",
        "consortium",
        "guild",
        "secretariat",
        "tribunal",
    ]
)
_GROUP_HEADS = frozenset(
    [
        "officials",
        "analysts",
        "experts",
        "critics",
        "supporters",
        "voters",
        "people",
        "sources",
        "aides",
        "advisers",
        "advisors",
        "democrats",
        "republicans",
        "observers",
        "residents",
        "leaders",
        "lawmakers",
        "members",
        "diplomats",
        "activists",
        "economists",
        "scientists",
        "researchers",
        "witnesses",
        "protesters",
        "authorities",
        "officers",
        "investigators",
        "prosecutors",
        "americans",
        "others",
        "many",
        "some",
        "both",
        "several",
        "most",
        "few",
        "all",
        "conservatives",
        "liberals",
        "strategists",
        "donors",
        "delegates",
        "candidates",
        "reporters",
        "journalists",
        "demonstrators",
        "students",
        "parents",
        "teachers",
        "workers",
        "farmers",
        "doctors",
        "nurses",
        "soldiers",
        "troops",
        "investors",
        "consumers",
        "citizens",
        "immigrants",
        "refugees",
        "senators",
        "governors",
        "lawyers",
        "historians",
        "pollsters",
        "organizers",
        "organisers",
        "respondents",
        "participants",
        "europeans",
    ]
)
_IRREGULAR_COUNTRIES = {
    "french": "france",
    "british": "britain",
    "german": "germany",
    "chinese": "china",
    "turkish": "turkey",
    "israeli": "israel",
    "iraqi": "iraq",
    "spanish": "spain",
    "polish": "poland",
    "greek": "greece",
    "dutch": "netherlands",
    "swiss": "switzerland",
    "saudi": "saudi",
    "u.s.": "america",
    "american": "america",
    "us": "america",
}
# Possessive determiners: a word that opens a noun phrase and never ends a mention.
POSSESSIVE_DETERMINERS = frozenset(["his", "her", "their", "its", "our", "my", "your"])
_SENTENCE_CAPS = POSSESSIVE_DETERMINERS | frozenset(
    [
        "the",
        "a",
        "an",
        "but",
        "and",
        "or",
        "so",
        "if",
        "in",
        "on",
        "at",
        "for",
        "as",
        "it",
        "he",
        "she",
        "they",
        "we",
        "i",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "when",
        "while",
        "after",
        "before",
        "although",
        "however",
        "meanwhile",
        "yet",
        "still",
        "also",
        "then",
        "what",
        "who",
        "why",
        "how",
        "where",
        "last",
        "next",
        "on",
        "one",
    ]
)


def _country(word: str) -> str:
    """Normalise "Syria's"/"Syrian" to a comparable country stem."""
    w = word.lower().removesuffix("'s").removesuffix("’s")
    w = _IRREGULAR_COUNTRIES.get(w, w)
    return w[:4]


@lru_cache(maxsize=1 << 16)  # called for every name word of every article; bounded memory
def _bare(word: str) -> str:
    """ "al-Sharaa" -> "sharaa": the part of a surname people shorten to."""
    low = word.lower().removesuffix("'s").removesuffix("’s")
    for p in ("al-", "el-", "ad-", "as-", "ash-", "an-", "ar-", "at-", "az-"):
        if low.startswith(p):
            return low[len(p) :]
    return low


# Capitalised words that describe a person before the name ("Republican Ben Carson",
# "Democrat Zephyr Teachout"), never a first name.
_DESCRIPTIONS = frozenset(
    ["republican", "democratic", "democrat", "gop", "former", "retired", "liberal", "conservative"]
)


def _from_first_name(words: list[Token]) -> list[Token]:
    """A known first name starts a person's name; the capitalised words before it describe the
    person ("Pollster Ann Selzer", "Secretary of State Hillary Clinton"; not an initial:
    "I. Charles McCullough")."""
    for m in range(1, len(words) - 1):
        before = words[m - 1]
        if (
            words[m].low in _FIRST_NAMES
            and before.low not in _FIRST_NAMES
            and not (len(before.text) == 2 and before.text.endswith("."))
        ):
            return words[m:]
    return words


def _without_description(words: list[Token]) -> list[Token]:
    """A person's name words without a party or "former" before a first and last name
    ("Democrat Zephyr Teachout"; "Republican Party" is no person's name to shorten)."""
    k = 0
    while k < len(words) - 2 and words[k].low in _DESCRIPTIONS:
        k += 1
    return words[k:]


def _genders_differ(a: Entity, b: Entity) -> bool:
    return a.gender is not None and b.gender is not None and a.gender != b.gender


def _before_place(words: list[Token], cap: list[Token]) -> list[Token]:
    """A person's name words without the place or body after "of"/"from": "Rep. Elijah
    Cummings of Maryland", "Del. Stacey Plaskett of the Virgin Islands". Only where the words
    before it are a person's (a title before them, or a known first name among them), so
    "Communications Workers of America" and "Secretary of State John Kerry" stay whole."""
    for i, w in enumerate(words):
        if w.text in ("of", "from") and i and words[i - 1] in cap:
            head = cap[: cap.index(words[i - 1]) + 1]  # cap keeps the words' order
            titled = any(x.low in TITLES for x in words[: words.index(head[0])])
            if titled or any(x.low in _FIRST_NAMES for x in head):
                return head
            break
    return cap


# Arabic articles written joined to a lower-case surname ("al-Sharaa", "el-Sisi").
_JOINED_ARTICLES = ("al-", "el-")


def is_name_word(tok: Token) -> bool:
    """A capitalised word, an initial, or a lower-case particle such as "al-" or "bin"."""
    if tok.is_cap:
        return True
    low = tok.low
    return low in NAME_PARTICLES or (low.startswith(_JOINED_ARTICLES) and len(low) > 3)


DETERMINER_CUT = True
_SUBJECT_OPENERS = frozenset(["the", "a", "an", "some", "many", "most", "these", "those"])
_NOT_BEFORE_CUT = frozenset(
    ["of", "and", "or", "&", "all", "both", "half", "than", "not", "only", "just"]
)


def source_left(tokens: list[Token], lo: int, hi: int) -> tuple[int, int] | None:
    """Subject noun phrase ending just before token ``hi`` (not before ``lo``): (first, last+1)."""
    j = hi - 1
    if j < lo:
        return None
    first = tokens[j]
    if first.low in PRONOUNS or first.low in RELATIVE_PRONOUNS:
        return (j, hi)
    while j >= lo:
        t = tokens[j]
        if not t.is_word:
            if t.text in "’'-&%" and j > lo and j + 1 < hi:
                j -= 1
                continue
            break
        if t.low in _NP_STOP:
            # "Secretary of State and Democratic frontrunner Hillary Clinton": keep "and"/"of"
            # between capitalised words.
            if (
                t.low in ("and", "of", "for", "&")
                and j > lo
                and j + 1 < hi
                and tokens[j - 1].is_cap
                and tokens[j + 1].is_cap
            ):
                j -= 1
                continue
            break
        j -= 1
    start = j + 1
    # Drop sentence-initial adverbials and stray capitalised sentence openers.
    while start < hi - 1 and tokens[start].low in _LEADING_JUNK:
        start += 1
    # "point the crowd chanted", "seeing the digital road sign warning": a determiner after a
    # lower-case word opens the subject; the word before it belongs to another phrase.
    if DETERMINER_CUT:
        for p in range(hi - 2, start, -1):
            if (
                tokens[p].low in _SUBJECT_OPENERS
                and tokens[p - 1].is_word
                and not tokens[p - 1].is_cap
            ):
                if tokens[p - 1].low not in _NOT_BEFORE_CUT:
                    start = p
                break
    # A date or a number is an adjunct ("Trump Wednesday said"), not the subject's head.
    k = hi
    while k > start and (tokens[k - 1].low in _TIME_WORDS or tokens[k - 1].low.isdigit()):
        k -= 1
    if not (PARTICIPLE_DATE and k < hi and _participle_before(tokens, k, start)):
        hi = k
    if start >= hi or not tokens[hi - 1].is_word or tokens[hi - 1].low in _NOT_NOUN_END:
        return None
    if hi - start > 12:
        start = hi - 12
    return (start, hi)


# "New polls released Sunday showed", "The report published Tuesday": the date closes a
# participle phrase on the subject and stays in it (on the first 700 train articles 10 of 10
# gold speakers before their cue that end "-ed <day>" include the day).
PARTICIPLE_DATE = True


def _participle_before(tokens: list[Token], k: int, start: int) -> bool:
    """Token ``k - 1`` is a lower-case participle (-ed/-en) after a noun of the subject."""
    if k - 1 <= start:
        return False
    t = tokens[k - 1]
    return (
        t.is_word
        and not t.is_cap
        and len(t.low) > 4
        and t.low.endswith(("ed", "en"))
        and tokens[k - 2].is_word
    )


def source_right(
    tokens: list[Token], lo: int, hi: int, determiner_her: bool = False
) -> tuple[int, int] | None:
    """Noun phrase starting at token ``lo`` (inverted "said Putin"): (first, last+1).

    With ``determiner_her``, "her" before a noun opens the phrase ("according to her account");
    after a verb it is mostly the object ("attacked her harshly")."""
    if lo >= hi:
        return None
    t = tokens[lo]
    possessive = (
        determiner_her
        and t.low == "her"
        and lo + 1 < hi
        and tokens[lo + 1].is_word
        and tokens[lo + 1].low not in _NP_STOP
        and tokens[lo + 1].low not in PRONOUNS
    )
    if t.low in PRONOUNS and not possessive:
        return (lo, lo + 1)
    j = lo + 1 if possessive else lo
    while j < hi:
        t = tokens[j]
        if not t.is_word:
            if t.text in "’'-&" and j > lo:
                j += 1
                continue
            break
        if t.low in _NP_STOP and not (
            t.low in ("of", "and", "for") and j + 1 < hi and tokens[j + 1].is_cap and j > lo
        ):
            break
        j += 1
    if j == lo:
        return None
    return (lo, j)


_DESCRIBING_PARTICIPLES = frozenset(
    ["released", "published", "conducted", "taken", "issued", "commissioned", "obtained"]
)


def _name_before_of(words: list[Token]) -> int:
    """The index of "of" after two or more capitalised words that end in no title ("Gary
    Black of the Future Fund", "Mr. Burman of the Tax Policy Center", "Communications Workers
    of America"), else 0: "Bank of America", "Secretary of State John Kerry", "RNC Chief of
    Staff Katie Walsh", "County Supervisor of Elections Susan Bucher" (a name after "of")."""
    of = next((i for i, w in enumerate(words) if w.low == "of"), 0)
    if not of:
        return 0  # no "of", or only a first word
    before = words[1:of] if words[0].low == "the" else words[:of]
    if (
        len(before) >= 2
        and all(w.is_cap for w in before)
        and before[0].low not in _SENTENCE_CAPS
        and before[-1].low not in TITLES
        and not (len(words) - of > 2 and words[-2].low in _FIRST_NAMES)
    ):
        return of
    return 0


def _person_before_of(words: list[Token], of: int) -> bool:
    """Whether the words before "of" name a person: a title or a known first name among
    them ("Sen. Bernie Sanders of Vermont"), or no plural ("Communications Workers of
    America" is a body) and no "the" ("The Hollywood Chamber of Commerce")."""
    return words[0].low != "the" and (
        not words[of - 1].low.endswith("s")
        or any(w.low in _FIRST_NAMES or w.low in TITLES for w in words[:of])
    )


def speaker_kind(words: list[Token]) -> str | None:
    """Guess whether a mention names a person, an organisation or a group."""
    if not words:
        return None
    head = words[-1].low
    first = words[0].low
    if len(words) == 1 and head in PERSON_PRONOUNS:
        return "person"
    if len(words) == 1 and head in GROUP_PRONOUNS:
        return "group"
    if len(words) == 1 and head in ("it", "which"):
        return "organisation"
    of = _name_before_of(words)
    if of and _person_before_of(words, of):
        # "Gary Black of the Future Fund": a name and where the person works, not the fund.
        return speaker_kind(words[:of])
    if any(w.low in _ORG_WORDS for w in words) or (
        len(words[-1].text) > 1 and words[-1].text.isupper() and len(words) <= 3
    ):
        return "organisation"
    if head in _GROUP_HEADS or (head.endswith("s") and not words[-1].is_cap and head != "his"):
        return "group"
    if not any(w.low in TITLES for w in words) and (
        head in _NON_PERSON_WORDS
        or (len(words) <= 3 and head in _COUNTRIES_AND_PLATFORMS)
        or (len(words) > 1 and first in _PLACE_START)
    ):
        return "organisation"  # "the Second Amendment", "New Jersey", "Quicken Loans Arena"
    if first in TITLES or any(w.is_cap or is_name_word(w) for w in words):
        return "person"
    return "person" if head in TITLES else None


TITLE_CASE_NOT_NAMES = True


def _title_case_words(sentence: list[Token]) -> list[Token] | None:
    """The words longer than three letters (numbers aside) of a sentence in title case, else
    None."""
    words = []
    for t in sentence:
        if t.is_word and len(t.text) > 3 and not t.text[0].isdigit():
            if not t.is_cap:
                return None  # most sentences end here, a few words in: no need to read on
            words.append(t)
    return words


def _title_case_sentences(toks: list[Token], lower_seen: set[str]) -> list[tuple[int, int]]:
    """Token ranges of title-case headlines: sentences in which every word longer than three
    letters (numbers aside: "5-Word"), four or more of them, is capitalised, and that have no
    closing full stop, or are the article's whole first paragraph, or have two such words the
    article also writes in lower case. ("Donald Trump and Hillary Clinton met on Monday." in
    the body is a sentence; "Trump Said The 11 Words Everyone Was Thinking." a headline.)"""
    out = []
    for a, b in sentence_bounds(toks):
        words = _title_case_words(toks[a:b])
        if words is None or len(words) < 4:
            continue
        if (
            toks[b - 1].text != "."
            or (toks[a].para == 0 and (b == len(toks) or toks[b].para > 0))
            or sum(t.low in lower_seen for t in words) >= 2
        ):
            out.append((a, b))
    return out


# Heads of a description before an organisation's name ("Her party, the National Rally").
_ORG_DESCRIPTIONS = frozenset(
    [
        "party",
        "group",
        "company",
        "firm",
        "agency",
        "ministry",
        "government",
        "union",
        "organization",
        "organisation",
        "network",
        "newspaper",
        "bank",
        "council",
        "committee",
        "coalition",
        "movement",
        "foundation",
        "institute",
        "association",
        "alliance",
    ]
)
UNNAMED_AFFILIATE = True
_AFFILIATION_LINKS = frozenset(["for", "of", "at", "with", "from", "to", "in"])
# People described by whom they work for or side with ("a spokesman for ...").
_AFFILIATE_HEADS = frozenset(
    [
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "reporter",
        "correspondent",
        "columnist",
        "editor",
        "writer",
        "aide",
        "adviser",
        "advisor",
        "strategist",
        "consultant",
        "supporter",
        "donor",
        "volunteer",
        "organizer",
        "lawyer",
        "attorney",
        "prosecutor",
        "judge",
        "official",
        "staffer",
        "employee",
        "member",
        "source",
        "friend",
        "associate",
        "analyst",
    ]
)


_UNNAMED_COUNTS = frozenset(["a", "an", "one", "two", "three", "several", "some", "other"])


def _unnamed_affiliate(words: list[Token]) -> str | None:
    """ "a/an/one <... person noun> for/of/at/in <Capitalised ...>" or "a/two <Capitalised ...>
    <person noun>": "person" (or "group" for a plural noun) when the mention describes someone
    unnamed by an affiliation ("a senior adviser to Mr. Sanders", "one of the former
    prosecutors for David Petraeus", "a White House official"); else None."""
    head = words[-1].low
    if (
        len(words) >= 3
        and words[0].low in _UNNAMED_COUNTS
        and head.rstrip("s") in _AFFILIATE_HEADS
        and any(w.is_cap for w in words[1:-1])
    ):
        # "a Federal Aviation Administration spokesperson", "two White House officials"
        return (
            "group" if head.endswith("s") and words[0].low not in ("a", "an", "one") else "person"
        )
    if len(words) < 4 or words[0].low not in ("a", "an", "one"):
        return None
    for k in range(2, len(words) - 1):
        if words[k].low in _AFFILIATION_LINKS:
            head = words[k - 1].low
            if head.rstrip("s") not in _AFFILIATE_HEADS or any(w.is_cap for w in words[1:k]):
                return None
            if not any(w.is_cap for w in words[k + 1 :]):
                return None
            return "group" if head.endswith("s") and words[0].low != "one" else "person"
    return None


PRONOUN_NOT_IN_CONTENT = True
NAMED_REACH = 80  # characters of a content whose names its pronoun speaker cannot be
_CATAPHORA_OPENERS = frozenset(
    ["though", "although", "as", "while", "when", "because", "if", "before", "after", "since"]
)


@dataclass(slots=True)
class Entity:
    """A speaker the article talks about."""

    name: str
    kind: str
    gender: str | None = None
    roles: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)  # lower-case name words people shorten to
    mentions: list[int] = field(default_factory=list)  # offsets of name mentions, ascending

    def last_before(self, pos: int) -> int:
        """Offset of the last mention before pos, or -1."""
        k = bisect_left(self.mentions, pos)
        return self.mentions[k - 1] if k else -1


def _owner_description(words: list[Token]) -> bool:
    """``The Senate's top Republican``: after a possessive, lower-case words and one
    capitalised word (a party, a nationality) describe someone and name nobody; ``The
    Post's Dana Milbank`` names her."""
    k = max((i for i, w in enumerate(words) if w.low.endswith(("'s", "’s"))), default=-1)
    rest = words[k + 1 :]
    return (
        k >= 0
        and len(rest) >= 2
        and rest[-1].is_cap
        and not any(w.is_cap for w in rest[:-1])
        and rest[-1].low not in TITLES
    )


def _bare_company(ent: Entity) -> bool:
    """A "person" named by one word and nothing else: no title, role, gender or first name,
    and no plural ("Iranians")."""
    return (
        ent.kind == "person"
        and " " not in ent.name
        and not ent.name.endswith("s")
        and not ent.roles
        and ent.gender is None
        and first_name_gender(ent.name) is None
    )


@dataclass(slots=True)
class SpeakerResolver:
    """Links speaker mentions to entities, reading the article left to right."""

    tokens: list[Token]
    # Paragraphs whose capitalised words are not read as names: headlines, bylines and
    # captions ("Syria's al-Sharaa tells Putin Damascus will ..." has no "Putin Damascus").
    display_paragraphs: frozenset[int] = frozenset()
    entities: list[Entity] = field(default_factory=list)
    _by_key: dict[str, Entity] = field(default_factory=dict)
    _speakers: list[tuple[int, Entity]] = field(default_factory=list)
    _mention_pos: list[int] = field(default_factory=list)
    _mention_ent: list[Entity] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._scan_names()
        self._merge_bare_surnames()
        order = sorted((p, i) for i, e in enumerate(self.entities) for p in e.mentions)
        self._mention_pos = [p for p, _ in order]
        self._mention_ent = [self.entities[i] for _, i in order]

    # -- article pre-pass --------------------------------------------------------------------
    def _scan_names(self) -> None:
        """Register every capitalised name run with its titles, roles and nationality."""
        toks = self.tokens
        n = len(toks)
        # Words the article also writes in lower case are common words, not names: a
        # sentence opener ("Certainly Donald Trump") or a headline verb ("Fiorina Endorses Cruz").
        lower_seen = {t.low for t in toks if t.is_word and t.text[0].islower()}
        lower_seen -= TITLES | NAME_PARTICLES
        # is_name_word for every word token, computed once (the loop below visits each twice);
        # a capitalised word (is_cap: a capital first letter) needs no call.
        display = self.display_paragraphs
        namey = [
            t.is_word and (t.is_cap or is_name_word(t)) and t.para not in display for t in toks
        ]
        if TITLE_CASE_NOT_NAMES:
            # A title-case headline ("Glenn Beck Blasts Drudge Over Trump") is not a run of
            # names: its capitalised words would make people of "Glenn Beck Blasts Drudge".
            for a, b in _title_case_sentences(toks, lower_seen):
                namey[a:b] = [False] * (b - a)
        namey.append(True)  # sentinel: the index() below always finds one
        i = namey.index(True)
        while i < n:
            t = toks[i]
            if t.low in NAME_PARTICLES and not t.is_cap:
                i = namey.index(True, i + 1)
                continue
            j = i
            while j < n and namey[j] and toks[j].low != "i" and toks[j].sent == t.sent:
                low = toks[j].low
                if j > i and low in lower_seen and low.endswith("s") and len(low) > 3:
                    break
                j += 1
            a = i
            if j - i > 1 and t.low in lower_seen and t.low not in _SENTENCE_CAPS:
                a = i + 1
            self._register_run(a, j)
            i = namey.index(True, max(j, i + 1))

    def _register_run(self, i: int, j: int) -> None:
        toks = self.tokens
        run = toks[i:j]
        # Skip a capitalised sentence opener ("The", "But").
        while run and run[0].low in _SENTENCE_CAPS:
            run = run[1:]
        if not run:
            return
        roles: set[str] = set()
        countries: set[str] = set()
        k = 0
        while k < len(run) - 1 and (
            run[k].low in TITLES or run[k].low.endswith(("'s", "’s")) or run[k].low in ("prime",)
        ):
            low = run[k].low
            if low in TITLES:
                roles.add(low.rstrip("."))
            else:
                countries.add(_country(low))
            k += 1
        gender = _title_gender(run[:k])
        # Everything up to the last title is a description: "Russian President Vladimir Putin".
        for m in range(len(run) - 2, k - 1, -1):
            if run[m].low in TITLES:
                for d in run[k:m]:
                    if d.low in TITLES:
                        roles.add(d.low.rstrip("."))
                    else:
                        countries.add(_country(d.low))
                roles.add(run[m].low.rstrip("."))
                k = m + 1
                break
        name_toks = _from_first_name(run[k:])
        # A nationality adjective before the run ("Russian President Vladimir Putin").
        if i > 0 and toks[i - 1].is_cap and toks[i - 1].low.endswith(("ian", "an", "ese", "ish")):
            countries.add(_country(toks[i - 1].low))
        if k and toks[i].low.endswith(("ian", "ese", "ish")):
            countries.add(_country(toks[i].low))
        if i > 0 and toks[i - 1].low in ("leader", "president", "minister"):
            roles.add(toks[i - 1].low)
        if not name_toks or len(name_toks) > 5:
            return
        words = [w for w in name_toks if not w.low.endswith(("'s", "’s")) or w is name_toks[-1]]
        name = " ".join(w.text for w in words).removesuffix("'s").removesuffix("’s")
        if not name or name.lower() in _SENTENCE_CAPS:
            return
        keys = {_bare(w.text) for w in words if w.low not in NAME_PARTICLES}
        alias = self._alias_of(i)
        if alias is not None:
            alias.keys |= keys
            alias.mentions.append(run[0].start)
            return
        ent = self._find(name, gender)
        if ent is None:
            ent = Entity(name=name, kind=speaker_kind(name_toks) or "person")
            self.entities.append(ent)
        elif len(name) > len(ent.name) and ent.name.lower() in name.lower():
            ent.name = name  # a fuller form of its name: "Trump" -> "Donald Trump"
        ent.keys |= keys
        ent.roles |= roles
        ent.countries |= countries
        ent.gender = ent.gender or gender or first_name_gender(name)
        ent.mentions.append(run[0].start)
        for key in ent.keys:
            self._by_key.setdefault(key, ent)

    def _merge_bare_surnames(self) -> None:
        """A person named by surname alone before the full name ("Trump: NFL has gone soft" in
        a headline, "Donald Trump" in the body) is the one person of the article with that
        surname and a first name; with two ("Bill Clinton", "Hillary Clinton") it stays as
        it is."""
        full: dict[str, list[Entity]] = {}
        for ent in self.entities:
            if ent.kind == "person" and " " in ent.name:
                full.setdefault(_bare(ent.name.split()[-1]), []).append(ent)
        merged = []
        for ent in self.entities:
            people = full.get(_bare(ent.name), []) if ent.kind == "person" else []
            # of one name ("Bill Clinton" may be several entities) and a gender that fits
            people = [p for p in people if not _genders_differ(ent, p)]
            into = people[0] if people and {p.name for p in people} == {people[0].name} else None
            if " " in ent.name or into is None:
                merged.append(ent)
                continue
            into.mentions = sorted(into.mentions + ent.mentions)
            into.roles |= ent.roles
            into.countries |= ent.countries
            into.gender = into.gender or ent.gender
            for key in ent.keys:
                if self._by_key.get(key) is ent:
                    self._by_key[key] = into
        self.entities = merged

    def _alias_of(self, i: int) -> Entity | None:
        """The person named before ``, once known as`` / ``, also known as`` at token i."""
        toks = self.tokens
        while i > 0 and toks[i - 1].low in NAME_PARTICLES:
            i -= 1
        if i < 3 or toks[i - 1].low != "as" or toks[i - 2].low != "known":
            return None
        k = i - 3
        while k >= 0 and toks[k].low in ("once", "also", "formerly", "better", "widely", "then"):
            k -= 1
        if k < 1 or toks[k].text not in ",(—–":
            return None
        pos = toks[k - 1].start
        best, best_pos = None, -1
        for ent in self.entities[-8:]:
            last = ent.last_before(pos + 1)
            if ent.kind == "person" and last > best_pos:
                best, best_pos = ent, last
        return best

    def _find(self, name: str, gender: str | None = None) -> Entity | None:
        """Entity whose name words include this (short) name's last word; of the ``gender`` a
        title gives ("Mrs. Clinton" after "Bill Clinton": the most mentioned person of that
        surname not known to be a man, else no one yet)."""
        words = name.split()
        if not words:
            return None
        last = _bare(words[-1])
        ent = self._by_key.get(last)
        if ent is not None and gender and ent.gender and ent.gender != gender:
            same = [
                e
                for e in self.entities
                if e.kind == "person" and e.gender in (gender, None) and last in e.keys
            ]
            ent = max(reversed(same), key=lambda e: len(e.mentions), default=None)
        if ent is None or (ent.kind != "person" and len(words) > 1):
            return ent if ent is not None and ent.name.lower() == name.lower() else None
        if len(words) > 1:
            # "Ted Cruz" vs "Heidi Cruz": first names must agree when both are given.
            mine = {_bare(w) for w in words[:-1] if w.lower() not in NAME_PARTICLES}
            if mine and not (mine & ent.keys) and ent.name.lower() != name.lower():
                return None
        return ent

    # -- resolution ----------------------------------------------------------------------------
    def resolve(
        self, first: int, last: int, content: tuple[int, int] | None = None
    ) -> tuple[str | None, str | None]:
        """Resolve the mention tokens[first:last]; returns (speaker name, speaker kind).

        ``content`` is the statement's character span: a pronoun does not stand for a person
        named at the start of what it says ("Josh Earnest said ... Obama ... He said Obama
        hopes ...": he is Earnest, not Obama)."""
        described: list[Token] = []  # the description before a name: "Her party, ..."
        for k in range(first + 1, last):
            if self.tokens[k].text in ",(—–":
                # "Tad Devine, a senior adviser to Mr. Sanders": the name part. But
                # "Clinton's campaign chairman, John Podesta": the name after the description.
                m = k + 1
                while m < last and self.tokens[m].text not in ",(—–)":
                    m += 1
                seg = [t for t in self.tokens[k + 1 : m] if t.is_word]
                if (
                    (
                        not self.tokens[k - 1].is_cap
                        or self.tokens[k - 1].low in TITLES
                        # "The director of the European Centre, Ina Kirsch"
                        or (
                            self.tokens[first].low == "the" and self.tokens[first + 1].low in TITLES
                        )
                    )
                    and 0 < len(seg) <= 5
                    # "Her party, the National Rally": a name, also after "the"
                    and all(is_name_word(t) for t in (seg[1:] if seg[0].low == "the" else seg))
                    and len(seg) > (seg[0].low == "the")
                ):
                    described = [t for t in self.tokens[first:k] if t.is_word]
                    first = k + 1
                    last = m
                else:
                    last = k
                break
        words = _without_time_adjunct([t for t in self.tokens[first:last] if t.is_word])
        if not words:
            return None, None
        if UNNAMED_AFFILIATE:
            # "A reporter for USA Today", "a spokesman for Hillary Clinton": someone not named,
            # described by whom they work for; not that organisation or person.
            affiliate = _unnamed_affiliate(words)
            if affiliate:
                return None, affiliate
        pos = self.tokens[first].start
        gender = _title_gender(words)
        titled = _name_after_title(words)
        if titled:
            words = titled
        low = words[-1].low
        # "He’s said", "who’s called for"; "That’s" is no name either
        low = low[: pronoun_contraction(low, _RESOLVED_CONTRACTIONS) or None]
        if len(words) == 1 and low in RELATIVE_PRONOUNS:
            # "Trump, who said ...": the noun phrase before the comma (or dash).
            k = first - 1
            if k >= 0 and self.tokens[k].text in (",", "—", "–"):
                span = source_left(self.tokens, max(0, k - 8), k)
                if span:
                    return self.resolve(*span)
            return None, None
        if len(words) == 1 and low == "you":
            return None, "person"  # the reader or the one spoken to: no one the article names
        if len(words) == 1 and low in PERSON_PRONOUNS:
            if low == "i":
                return None, "person"
            named = self._named_in(content, first) if PRONOUN_NOT_IN_CONTENT else frozenset()
            named |= self._named_in_question(first)
            ent = self._last_speaker(pos, PERSON_PRONOUNS[low], ("person",), named)
            if ent:
                ent.gender = ent.gender or PERSON_PRONOUNS[low]
                return self._use(ent, pos)
            return None, "person"
        if len(words) == 1 and low in GROUP_PRONOUNS:
            ent = self._last_speaker(pos, None, ("group", "organisation"))
            return self._use(ent, pos) if ent else (None, "group")
        if len(words) == 1 and low in ("it", "which"):
            # "the Kremlin said ... It added": the last organisation; never the word "it".
            ent = self._last_speaker(pos, None, ("organisation",))
            if self._speakers:
                # "Boeing declined to comment. It said ...": the last speaker, named by one
                # word with nothing that marks a person (news introduces people by their full
                # names), was an organisation.
                p, last = self._speakers[-1]
                if _bare_company(last) and (ent is None or p > ent.last_before(pos)):
                    last.kind = "organisation"
                    ent = last
            return self._use(ent, pos) if ent else (None, "organisation")
        joined = self._coordinated(first, last)
        if joined is not None:
            return joined
        kind = speaker_kind(words)
        if described and described[-1].low in _ORG_DESCRIPTIONS:
            kind = "organisation"  # "Her party, the National Rally"
        of_at = next(
            (
                i
                for i in range(1, len(words) - 2)
                if words[i].low in TITLES and words[i + 1].low == "of"
            ),
            None,
        )
        if of_at is not None and words[0].low in ("the", "a", "an"):
            # "the former CEO of Hewlett-Packard": a role held at a place or body named after
            # "of", so the person introduced with that role next to that name ("Former
            # Hewlett-Packard CEO Carly Fiorina"); not a person named Hewlett-Packard.
            places = {w.low for w in words[of_at + 2 :] if w.is_cap} - _SENTENCE_CAPS
            ent = self._by_role(words[of_at].low, set(), pos, places) if places else None
            return self._use(ent, pos) if ent else (None, "person")
        cap = [w for w in words if is_name_word(w) and w.low not in TITLES]
        cap = [w for w in cap if w.low not in _SENTENCE_CAPS]
        if kind == "person" and words[0].low in ("the", "a", "an") and _owner_description(words):
            return None, "person"
        if kind == "person" and cap and words[-1] in cap:
            of = _name_before_of(words)
            if of and not _person_before_of(words, of):
                # "The Communications Workers of America": a body's name, written as it is.
                name = self._org_name(first, last, words)
                return self._use(self._named(name) or self._add(name, "organisation"), pos)
            if of:
                cap = [w for w in cap if words.index(w) < of]  # "Meenakshi Ganguly of HRW"
            cap = _without_description(_from_first_name(_before_place(words, cap)))
            name = " ".join(w.text for w in cap)
            ent = self._find(name, gender)
            if ent is not None:
                if _bare_company(ent) and self._says_it(content):
                    ent.kind = "organisation"  # "Ford said it would cut prices"
                return self._use(ent, pos)
            ent = self._add_person(name, {_bare(w.text) for w in cap}, gender)
            return self._use(ent, pos)
        if kind == "person" and low in TITLES | {"leader"}:
            # A role description: "the Syrian leader", "the president".
            # "The governor" opening a sentence names no country
            countries = {_country(w.low) for w in words if w.is_cap and w.low not in _SENTENCE_CAPS}
            places = set()
            if low in _DISTRICT_OFFICES:  # "the Florida senator": "Florida"
                places = {w.low for w in words[:-1] if w.is_cap} - {"the", "this", "that"}
            ent = self._by_role(low, countries, pos, places)
            if ent:
                return self._use(ent, pos)
        definite = words[0].low in ("the", "this", "that")
        if ROLE_VARIATION and kind == "person" and definite and low in _VARIATION_HEADS:
            ent = self._by_variation(low, pos, first, content)
            if ent:
                return self._use(ent, pos)
        if kind in ("organisation", "group"):
            text = self._org_name(first, last, words)
            ent = self._named(text)
            if ent is not None and described:
                ent.kind = kind  # the description says what the pre-pass guessed
            if (
                ent is None
                and definite
                and not any(w.is_cap for w in words[1:])
                and (low in _ORG_WORDS or low in _SHORT_FORM_HEADS)
            ):
                # "the campaign" after "the Trump campaign", "the poll" after "a new CNN/ORC
                # poll": the short form of an organisation named before.
                ent = self._by_head(text.lower(), pos)
            return self._use(ent or self._add(text, kind), pos)
        return None, kind

    def _coordinated(self, first: int, last: int) -> tuple[str, str] | None:
        """ "Mr. Grassley and Mr. Leahy", "Trump and Clinton": two people, each resolved on its
        own ("Chuck Grassley and Patrick J. Leahy", a group), not one person named after the
        last conjunct or after all the capitalised words. "X & Y" is a firm's name
        ("Johnson & Johnson"). None when the mention is not such a pair: "Reuters and AFP",
        "the Bill and Melinda Gates Foundation" read on as usual."""
        toks = self.tokens
        k = next((i for i in range(first + 1, last - 1) if toks[i].low in ("and", "&")), None)
        if k is None:
            return None
        left = [t for t in toks[first:k] if t.is_word]
        right = [t for t in toks[k + 1 : last] if t.is_word]
        if not (left and right and left[0].is_cap and right[0].is_cap):
            return None
        if toks[k].low == "&":
            name = self._org_name(first, last, left + right)
            ent = self._named(name) or self._add(name, "organisation")
            return self._use(ent, toks[first].start)
        if speaker_kind(left) != "person" or speaker_kind(right) != "person":
            return None
        if not all(is_name_word(w) or w.low in TITLES for w in left + right):
            return None
        names = [self.resolve(a, b)[0] for a, b in ((first, k), (k + 1, last))]
        if None in names or names[0] == names[1]:
            return None
        return f"{names[0]} and {names[1]}", "group"

    def _named(self, name: str) -> Entity | None:
        """The organisation or group already registered under that name (any case)."""
        key = name.lower()
        return next((e for e in self.entities if e.name.lower() == key), None)

    def _add_person(self, name: str, keys: set[str], gender: str | None = None) -> Entity:
        """A new person entity, found by its name words where no entity has them yet."""
        ent = Entity(name=name, kind="person", keys=keys, gender=gender)
        self.entities.append(ent)
        for key in keys:
            self._by_key.setdefault(key, ent)
        return ent

    def _add(self, name: str, kind: str) -> Entity:
        """A new organisation or group entity (people are keyed by their name words)."""
        ent = Entity(name=name, kind=kind)
        self.entities.append(ent)
        return ent

    def _org_name(self, first: int, last: int, words: list[Token]) -> str:
        """The organisation's name as written ("CNN/ORC poll", not "CNN ORC poll"), without a
        leading determiner or "new"/"latest": "a new CNN/ORC poll" -> "CNN/ORC poll"."""
        k = 0
        while k < len(words) - 1 and (
            words[k].low in ("the", "a", "an")
            or (words[k].low in _ORG_NAME_SKIP and not words[k].is_cap)  # not "New York Times"
        ):
            k += 1
        # "A CNN poll released Sunday": the name ends before a participle that describes it
        end = next(
            (
                i
                for i in range(k + 1, len(words))
                if words[i].low in _DESCRIBING_PARTICIPLES and words[i - 1].low in _ORG_WORDS
            ),
            len(words),
        )
        a, b = words[k].start, words[end - 1].end
        pieces: list[str] = []
        prev_end = None
        for t in self.tokens[first:last]:
            if a <= t.start and t.end <= b and t.text not in _DOUBLE_QUOTES:
                if prev_end is not None and t.start > prev_end:
                    pieces.append(" ")
                pieces.append(t.text)
                prev_end = t.end
        return "".join(pieces).removesuffix("'s").removesuffix("’s")

    def _by_head(self, key: str, pos: int) -> Entity | None:
        """The organisation most recently named before pos whose name ends with ``key``."""
        suffix = " " + key
        for p, ent in reversed(self._speakers[-50:]):
            if (
                p < pos
                and ent.kind != "person"
                and ent.name.lower().endswith(suffix)
                and any(w[:1].isupper() for w in ent.name.split())  # a name, not "one company"
            ):
                return ent
        return None

    def resolve_transcript_name(self, first: int, last: int) -> tuple[str, str]:
        """A transcript's speaker in capitals ("TAPPER:", "JAKE TAPPER:"): the article's person
        of that name ("Jake Tapper"), else the name as it would be written ("Tapper")."""
        name = " ".join(t.text.title() for t in self.tokens[first:last] if t.is_word)
        ent = self._find(name)
        if ent is None or ent.kind != "person":
            ent = self._add_person(name, {_bare(w) for w in name.split()})
            for key in ent.keys:
                if self._by_key[key].kind != "person":  # the pre-pass read "TAPPER" as an
                    self._by_key[key] = ent  # acronym's organisation
        elif len(name) > len(ent.name) and ent.name.lower() in name.lower():
            ent.name = name
        return self._use(ent, self.tokens[first].start)

    def _says_it(self, content: tuple[int, int] | None) -> bool:
        """Whether what is said opens with "it" or "its" ("said (that) it would"): the speaker
        speaks of itself as a thing, not as he or she."""
        if content is None:
            return False
        toks = self.tokens
        i = bisect_left(toks, content[0], key=lambda t: t.start)
        if 0 < i < len(toks) and toks[i - 1].text in OPENING_MARKS:
            return False  # a quotation's "It doesn't make any sense" is about something else
        if i < len(toks) and toks[i].low == "that":
            i += 1
        return i < len(toks) and toks[i].start < content[1] and toks[i].low in ("it", "its")

    def _use(self, ent: Entity, pos: int) -> tuple[str | None, str]:
        self._speakers.append((pos, ent))
        # "The company said" with no company named before: a speaker that "it" can refer back
        # to, but "company" is no name (unnamed groups, "Syrian officials", are speakers).
        words = ent.name.split()
        unnamed = ent.name.islower() and len(words) <= 3 and words[-1] in _KIND_ONLY_HEADS
        return None if unnamed else ent.name, ent.kind

    def _named_in(self, content: tuple[int, int] | None, first: int) -> frozenset[int]:
        """Ids of the entities named in the first words of a content right of the mention,
        unless the pronoun opens a subordinate clause ("Though she ..., Clinton said": there
        the name after it is the pronoun's own)."""
        if content is None or content[0] < self.tokens[first].end:
            return frozenset()
        if first > 0 and self.tokens[first - 1].low in _CATAPHORA_OPENERS:
            return frozenset()
        a = bisect_left(self._mention_pos, content[0])
        b = bisect_left(self._mention_pos, min(content[1], content[0] + NAMED_REACH))
        return frozenset(id(self._mention_ent[m]) for m in range(a, b))

    def _named_in_question(self, first: int) -> frozenset[int]:
        """Ids of the entities named in a question that opens the pronoun's sentence ("Asked
        whether Syria would seek Assad's extradition, he said ...": he answers; he is not
        Assad)."""
        toks = self.tokens
        k = first - 1
        if k < 1 or toks[k].text != ",":
            return frozenset()
        # Back to the sentence start, unless an earlier comma comes first (then the pronoun
        # does not follow the question's own comma): each token is read for one pronoun at
        # most, so a long sentence of many pronouns stays linear.
        sent = toks[first].sent
        a = k
        while a > 0 and toks[a - 1].sent == sent:
            if toks[a - 1].text == ",":
                return frozenset()
            a -= 1
        if toks[a].low not in _QUESTION_PARTICIPLES:
            return frozenset()
        lo = bisect_left(self._mention_pos, toks[a].start)
        hi = bisect_left(self._mention_pos, toks[k].start)
        return frozenset(id(self._mention_ent[m]) for m in range(lo, hi))

    def _last_spoke(
        self, pos: int, gender: str | None, kinds: tuple[str, ...], skip: frozenset[int]
    ) -> tuple[int, Entity | None]:
        """The most recent compatible speaker of a statement before pos, and where it was
        named (-1, None without one among the last twelve)."""
        for p, ent in reversed(self._speakers[-12:]):
            if id(ent) in skip:
                continue
            if p < pos and ent.kind in kinds and (gender is None or ent.gender in (None, gender)):
                return p, ent
        return -1, None

    def _last_speaker(
        self,
        pos: int,
        gender: str | None,
        kinds: tuple[str, ...],
        skip: frozenset[int] = frozenset(),
    ) -> Entity | None:
        """The most recent compatible mention before pos: a speaker or a person's name.

        "Council member Tom Becker disagreed. He said ..." -> Tom Becker, even when another
        person spoke before him; gender (from titles or earlier pronouns) must agree. Entities
        whose ids are in ``skip`` are passed over.
        """
        best_pos, best = self._last_spoke(pos, gender, kinds, skip)
        speakers = {id(e) for _, e in self._speakers[-50:]}
        # Walk back through the most recent name mentions (bounded, so long articles stay linear).
        k = bisect_left(self._mention_pos, pos)
        found: list[Entity] = []
        for m in range(k - 1, max(-1, k - 60), -1):
            if self._mention_pos[m] <= best_pos:
                break
            ent = self._mention_ent[m]
            if (
                id(ent) not in skip
                and ent.kind in kinds
                and (gender is None or ent.gender in (None, gender))
                and (id(ent) in speakers or ent.roles or ent.gender or _person_like(ent.name))
                and ent not in found
            ):
                if gender is None or ent.gender == gender:
                    return ent  # the most recent person known to fit
                found.append(ent)
                if len(found) == 3:
                    break
        if best is not None and gender is not None and best.gender == gender:
            return best
        return found[0] if found else best

    def _by_role(
        self, role: str, countries: set[str], pos: int, places: set[str] = frozenset()
    ) -> Entity | None:
        """The person last mentioned before pos with the role. ``places`` (for offices held
        for a state or district, "the Florida senator") must stand next to one of the person's
        name mentions ("Florida Sen. Marco Rubio", "Sen. Marco Rubio of Florida")."""
        wanted = ROLE_SYNONYMS.get(role, frozenset({role}))
        best, best_pos = None, -2
        for ent in self.entities:
            if ent.kind != "person" or not (ent.roles & wanted):
                continue
            if countries and ent.countries and not (countries & ent.countries):
                continue
            last = ent.last_before(pos)
            if last > best_pos and (not places or self._near_mention(ent, places)):
                best, best_pos = ent, last
        return best

    def _by_variation(self, head: str, pos: int, first: int, content) -> Entity | None:
        """A description of someone prominent that names no role given before ("The billionaire
        businessman", "the former Dutch prime minister" after "Mark Rutte"): news varies how it
        names the person it is writing about. That person is the one last mentioned, as for
        "he", when it is also the person who spoke last; when the two differ, no one (each
        alone was right about three times in five on PolNeAR, both together about six in
        seven). Known roles and countries are no test: people hold several roles, "former"
        ones the article need not give, and "NATO Secretary General" is no nationality."""
        skip = self._named_in(content, first) | self._named_in_question(first)
        gender = _HEAD_GENDER.get(head)
        mentioned = self._last_speaker(pos, gender, ("person",), skip)
        _, spoke = self._last_spoke(pos, None, ("person",), skip)  # whoever spoke, any gender
        return mentioned if mentioned is spoke else None

    def _near_mention(self, ent: Entity, words: set[str]) -> bool:
        """One of the words stands within a few tokens of one of the entity's mentions, or
        the party-and-state tag after a mention names that state ("Sen. Lindsey Graham
        (R-S.C.)" for "the South Carolina senator")."""
        for p in ent.mentions[:12]:
            i = bisect_left(self.tokens, p, key=lambda t: t.start)
            if any(t.low in words for t in self.tokens[max(0, i - 3) : i + 6]):
                return True
            tag = _PARTY_STATE.search("".join(t.text for t in self.tokens[i : i + 8]))
            if tag and _STATES.get(tag.group(1).replace(".", "").lower(), frozenset()) & words:
                return True
        return False


ROLE_VARIATION = True
# Heads of descriptions that news uses for a prominent person it has named ("the Vermont
# senator", "the billionaire businessman", "the retired neurosurgeon"). Not the heads that
# stand for unnamed sources, who are no one named before: official, spokesman, aide, adviser,
# source, analyst, judge, lawyer, witness.
_VARIATION_HEADS = frozenset(
    [
        "candidate",
        "nominee",
        "frontrunner",
        "front-runner",
        "incumbent",
        "senator",
        "governor",
        "congressman",
        "congresswoman",
        "president",
        "chancellor",
        "premier",
        "minister",
        "secretary",
        "leader",
        "mayor",
        "ambassador",
        "chairman",
        "chairwoman",
        "ceo",
        "king",
        "queen",
        "prince",
        "pope",
        "businessman",
        "businesswoman",
        "billionaire",
        "magnate",
        "mogul",
        "tycoon",
        "developer",
        "neurosurgeon",
        "actor",
        "actress",
        "star",
        "politician",
    ]
)
_HEAD_GENDER = {
    "congressman": "m",
    "congresswoman": "f",
    "chairman": "m",
    "chairwoman": "f",
    "king": "m",
    "queen": "f",
    "prince": "m",
    "businessman": "m",
    "businesswoman": "f",
    "actor": "m",
    "actress": "f",
}
# Words that make a capitalised run a place, an institution or a thing rather than a person.
_NON_PERSON_WORDS = frozenset(
    [
        "forum",
        "summit",
        "conference",
        "festival",
        "awards",
        "jersey",
        "york",
        "hampshire",
        "carolina",
        "dakota",
        "virginia",
        "mexico",
        "house",
        "court",
        "amendment",
        "convention",
        "street",
        "party",
        "committee",
        "department",
        "university",
        "county",
        "state",
        "states",
        "city",
        "island",
        "islands",
        "republic",
        "union",
        "council",
        "senate",
        "congress",
        "times",
        "post",
        "news",
        "network",
        "poll",
        "center",
        "centre",
        "institute",
        "foundation",
        "association",
        "agency",
        "bank",
        "fund",
        "group",
        "school",
        "college",
        "church",
        "hospital",
        "airport",
        "station",
        "river",
        "valley",
        "lake",
        "park",
        "square",
        "hall",
        "building",
        "tower",
        "bridge",
        "road",
        "avenue",
        "security",
        "service",
        "act",
        "bill",
        "law",
        "plan",
        "program",
        "project",
        "museum",
        "club",
        "league",
        "association",
        "council",
        "administration",
        "campaign",
        "office",
        "ministry",
        "army",
        "navy",
        "force",
        "forces",
        "guard",
        "police",
        "company",
        "corporation",
        "inc.",
        "corp.",
        "co.",
        "ltd.",
        "media",
        "press",
        "journal",
        "magazine",
        "review",
        "channel",
        "coast",
        "gulf",
        "sea",
        "ocean",
        "east",
        "west",
        "north",
        "south",
        "day",
        "week",
        "month",
        "year",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "trail",
        "debate",
        "caucus",
        "caucuses",
        "primary",
        "primaries",
        "summit",
        "war",
        "crisis",
        "act",
        "deal",
        "agreement",
        "treaty",
        "order",
        "movement",
        "revolution",
    ]
)
# Countries, regions and platforms news quotes as speakers ("Russia said", "Twitter
# suspended"): never a person a pronoun refers to. Not "Jordan", "Georgia", "Chad" or
# "Washington", which also name people.
_COUNTRIES_AND_PLATFORMS = frozenset(
    [
        "america",
        "russia",
        "china",
        "germany",
        "france",
        "britain",
        "iran",
        "iraq",
        "syria",
        "israel",
        "canada",
        "japan",
        "india",
        "pakistan",
        "afghanistan",
        "ukraine",
        "italy",
        "spain",
        "egypt",
        "libya",
        "cuba",
        "venezuela",
        "brazil",
        "korea",
        "europe",
        "africa",
        "asia",
        "greece",
        "poland",
        "switzerland",
        "netherlands",
        "arabia",
        "lebanon",
        "yemen",
        "qatar",
        "nigeria",
        "sweden",
        "australia",
        "vietnam",
        "taiwan",
        "twitter",
        "facebook",
        "youtube",
        "google",
        "instagram",
    ]
)
_PLACE_FIRST = frozenset(
    [
        "new",
        "north",
        "south",
        "east",
        "west",
        "united",
        "los",
        "las",
        "san",
        "santa",
        "fort",
        "saint",
        "st.",
        "mount",
        "lake",
        "the",
        "democratic",
        "republican",
        "federal",
        "national",
        "international",
        "supreme",
        "central",
    ]
)


_PLACE_START = frozenset(
    ["new", "north", "south", "east", "west", "united", "los", "las", "san", "santa", "saint"]
)
# Common first names (US news), for the gender of people introduced without a title; names
# given to both (Kelly, Kim, Jordan, Taylor) are in neither list.
_MALE_NAMES = frozenset(
    [
        "donald",
        "bernie",
        "barack",
        "bill",
        "john",
        "ted",
        "marco",
        "jeb",
        "ben",
        "chris",
        "mike",
        "mitt",
        "paul",
        "rand",
        "scott",
        "jim",
        "joe",
        "george",
        "tim",
        "rick",
        "lindsey",
        "reince",
        "corey",
        "kevin",
        "harry",
        "mitch",
        "chuck",
        "newt",
        "rudy",
        "vladimir",
        "ahmed",
        "tom",
        "robert",
        "michael",
        "david",
        "james",
        "richard",
        "charles",
        "thomas",
        "mark",
        "steven",
        "steve",
        "brian",
        "jeff",
        "jason",
        "jeffrey",
        "ryan",
        "eric",
        "andrew",
        "gary",
        "peter",
        "frank",
        "jack",
        "dennis",
        "jerry",
        "tony",
        "roger",
        "martin",
        "lawrence",
        "larry",
        "ronald",
        "nicholas",
        "henry",
        "patrick",
        "sean",
        "carl",
        "dan",
        "daniel",
        "matt",
        "matthew",
        "adam",
        "bob",
        "bobby",
        "jon",
        "jonathan",
        "justin",
        "josh",
        "joshua",
        "brandon",
        "aaron",
        "samuel",
        "sam",
        "alexander",
        "alex",
        "benjamin",
        "kyle",
        "nathan",
        "zach",
        "zachary",
        "randy",
        "bruce",
        "billy",
        "jimmy",
        "ray",
        "fred",
        "wayne",
        "phil",
        "philip",
        "victor",
        "albert",
        "alan",
        "arthur",
        "keith",
        "jesse",
        "howard",
        "louis",
        "russell",
        "edward",
        "ed",
        "karl",
        "hans",
        "emmanuel",
        "francois",
        "xi",
        "bashar",
        "recep",
        "benjamin",
        "boris",
        "viktor",
        "dmitry",
        "sergei",
    ]
)
_FEMALE_NAMES = frozenset(
    [
        "hillary",
        "hilary",
        "sarah",
        "nancy",
        "elizabeth",
        "carly",
        "michelle",
        "melania",
        "ivanka",
        "chelsea",
        "huma",
        "kellyanne",
        "megyn",
        "maria",
        "mary",
        "patricia",
        "jennifer",
        "linda",
        "barbara",
        "susan",
        "jessica",
        "karen",
        "lisa",
        "betty",
        "dorothy",
        "sandra",
        "ashley",
        "kimberly",
        "donna",
        "emily",
        "carol",
        "amanda",
        "melissa",
        "deborah",
        "stephanie",
        "rebecca",
        "laura",
        "sharon",
        "cynthia",
        "kathleen",
        "amy",
        "shirley",
        "angela",
        "helen",
        "anna",
        "brenda",
        "pamela",
        "nicole",
        "ruth",
        "katherine",
        "samantha",
        "christine",
        "catherine",
        "virginia",
        "debra",
        "rachel",
        "janet",
        "emma",
        "carolyn",
        "julie",
        "heather",
        "diane",
        "joyce",
        "victoria",
        "christina",
        "lauren",
        "joan",
        "evelyn",
        "judith",
        "megan",
        "cheryl",
        "andrea",
        "hannah",
        "jacqueline",
        "martha",
        "gloria",
        "teresa",
        "madison",
        "theresa",
        "sara",
        "janice",
        "doris",
        "julia",
        "grace",
        "judy",
        "abigail",
        "marie",
        "denise",
        "alice",
        "kathy",
        "tammy",
        "irene",
        "jane",
        "lori",
        "rose",
        "marilyn",
        "beverly",
        "diana",
        "ann",
        "anne",
        "debbie",
        "elaine",
        "wendy",
        "angela",
        "theresa",
        "marine",
        "theresa",
        "kamala",
        "tulsi",
        "loretta",
        "condoleezza",
        "madeleine",
        "condi",
        "jill",
        "valerie",
        "donna",
    ]
)


_FIRST_NAMES = _MALE_NAMES | _FEMALE_NAMES


def first_name_gender(name: str) -> str | None:
    words = name.split(maxsplit=1)
    first = words[0].lower() if words else ""
    if first in _MALE_NAMES:
        return "m"
    return "f" if first in _FEMALE_NAMES else None


def _person_like(name: str) -> bool:
    """Two to four capitalised words that name no place or institution: "Tom Becker"."""
    words = name.split()
    if not 2 <= len(words) <= 4 or words[0].lower() in _PLACE_FIRST:
        return False
    return not any(
        w.lower() in _NON_PERSON_WORDS
        or w.lower() in _COUNTRIES_AND_PLATFORMS
        or (w.isupper() and len(w) > 2 and "." not in w)
        for w in words
    )


def _title_gender(words: list[Token]) -> str | None:
    """ "m" or "f" when a title among the words says so ("Mrs. Clinton"), else None."""
    for w in words:
        if w.low in _MALE_TITLES:
            return "m"
        if w.low in _FEMALE_TITLES:
            return "f"
    return None


def _without_time_adjunct(words: list[Token]) -> list[Token]:
    """``The senator in late August``: a date the mention ends with names no one."""
    if len(words) > 2 and words[-1].low in _TIME_WORDS:
        for k in range(len(words) - 2, max(0, len(words) - 4), -1):
            if words[k].low in ("in", "on", "during", "at", "since"):
                return words[:k]
    return words


# Participles that open a question put to the speaker of the main clause ("Asked about ...,").
_QUESTION_PARTICIPLES = frozenset(["asked", "pressed", "questioned", "quizzed"])


def _name_after_title(words: list[Token]) -> list[Token] | None:
    """``Kremlin spokesman Dmitry Peskov`` -> ``Dmitry Peskov``: the capitalised name that
    follows the last title word, when there is one."""
    if len(words) < 2:
        return None
    m = max((k for k, w in enumerate(words[:-1]) if w.low in TITLES), default=-1)
    if m < 0:
        return None
    rest = words[m + 1 :]
    if 1 <= len(rest) <= 4 and all(is_name_word(w) for w in rest) and is_name_word(rest[-1]):
        if rest[-1].low in NAME_PARTICLES or not (
            rest[0].is_cap or rest[0].low[:3] in ("al-", "el-")
        ):
            return None
        return rest
    return None


# Offices held for a state or district: "the Florida senator" names the place, not a country.
# "(R-S.C.)", "D-Calif.", "(R-TX)": the party and state after a lawmaker's name.
_PARTY_STATE = re.compile(r"\b[RDI]-([A-Z][A-Za-z.]{1,13})")
# State abbreviations (AP style and postal codes, dots removed, lower case) -> name words.
_STATES = {
    abbr: frozenset(name.split())
    for name, abbrs in {
        "alabama": "ala al",
        "alaska": "alaska ak",
        "arizona": "ariz az",
        "arkansas": "ark ar",
        "california": "calif ca",
        "colorado": "colo co",
        "connecticut": "conn ct",
        "delaware": "del de",
        "florida": "fla fl",
        "georgia": "ga",
        "hawaii": "hawaii hi",
        "idaho": "idaho id",
        "illinois": "ill il",
        "indiana": "ind in",
        "iowa": "iowa ia",
        "kansas": "kan ks",
        "kentucky": "ky",
        "louisiana": "la",
        "maine": "maine me",
        "maryland": "md",
        "massachusetts": "mass ma",
        "michigan": "mich mi",
        "minnesota": "minn mn",
        "mississippi": "miss ms",
        "missouri": "mo",
        "montana": "mont mt",
        "nebraska": "neb ne",
        "nevada": "nev nv",
        "new hampshire": "nh",
        "new jersey": "nj",
        "new mexico": "nm",
        "new york": "ny",
        "north carolina": "nc",
        "north dakota": "nd",
        "ohio": "ohio oh",
        "oklahoma": "okla ok",
        "oregon": "ore or",
        "pennsylvania": "pa",
        "rhode island": "ri",
        "south carolina": "sc",
        "south dakota": "sd",
        "tennessee": "tenn tn",
        "texas": "texas tex tx",
        "utah": "utah ut",
        "vermont": "vt",
        "virginia": "va",
        "washington": "wash wa",
        "west virginia": "wva wv",
        "wisconsin": "wis wi",
        "wyoming": "wyo wy",
    }.items()
    for abbr in abbrs.split()
}
_DISTRICT_OFFICES = frozenset(
    ["senator", "governor", "congressman", "congresswoman", "representative", "mayor"]
)
# Heads besides _ORG_WORDS whose "the <head>" is the short form of a name given before.
_SHORT_FORM_HEADS = frozenset(
    [
        "poll",
        "survey",
        "study",
        "report",
        "fund",
        "foundation",
        "group",
        "network",
        "organization",
        "organisation",
        "union",
        "association",
        "institute",
        "center",
        "centre",
        "firm",
        "bank",
        "board",
        "council",
    ]
)
# Heads of a short lower-case mention that say what kind of body it is and name none ("the
# company", "his campaign", "a new poll", "exit polls"; "advisers to the government" is a group).
_KIND_ONLY_HEADS = _ORG_WORDS | _SHORT_FORM_HEADS | {"polls", "surveys", "reports", "studies"}
_DOUBLE_QUOTES = frozenset('“”"«»„')  # a title inside a name: "the “Jane The Virgin” actress"
_ORG_NAME_SKIP = frozenset(["new", "latest", "newest", "recent"])


DISCOURSE_ADVERBIALS = frozenset(
    """however|meanwhile|though|too|also|for example|for instance|in turn|in response|
    in contrast|by contrast|for his part|for her part|for their part|in a statement|
    in an interview|on tuesday|on monday|on wednesday|on thursday|on friday|on saturday|
    on sunday|for its part|likewise|similarly|instead|nonetheless|nevertheless|still|
    in fact|of course|then|later|earlier|once again|again""".replace("\n", "").split("|")
)
DISCOURSE_ADVERBIALS = frozenset(a.strip() for a in DISCOURSE_ADVERBIALS)


def skip_time_adjunct(tokens: list[Token], lo: int, hi: int) -> int:
    """End of a subject before "on Tuesday" / "last week" / "Tuesday" preceding a cue."""
    k = hi
    while k > lo and tokens[k - 1].low in _TIME_WORDS:
        k -= 1
    if k == hi:
        return hi
    if PARTICIPLE_DATE and _participle_before(tokens, k, lo):
        return hi  # "New polls released Sunday showed": the date is the participle's
    if k > lo and tokens[k - 1].low in ("on", "last", "this", "early", "late", "earlier"):
        k -= 1
    if k > lo and tokens[k - 1].low in ("in", "on", "during") and tokens[k].low != "on":
        k -= 1  # "in late August"
        if _participle_before(tokens, k, lo):
            k -= 1  # "A Quinnipiac poll released in late August found": the poll found
    return k if k > lo else hi


_APPOSITIVE_OPENERS = frozenset(
    ["known", "formerly", "born", "elected", "appointed", "nicknamed", "dubbed", "himself"]
)


def _looks_appositive(tokens: list[Token], a: int, b: int) -> bool:
    """A comma-delimited segment that describes a person: "a former governor", "who ..."."""
    words = [t for t in tokens[a:b] if t.is_word]
    if not words or len(words) > 16:
        return False
    first = words[0].low
    if first.isdigit() and len(words) == 1:
        return True  # an age: "Ki Hong, 33, said"
    if first in ("who", "a", "an", "the", "his", "her", "its", "their") or first in TITLES:
        return True
    if first in _APPOSITIVE_OPENERS or (len(words) > 1 and words[1].low in ("known", "named")):
        return True  # "once known as Abu Mohammed al-Julani", "also known as ..."
    # "Democrat of Vermont", "R-Texas", "executive director of ..."
    return words[0].is_cap or any(w.low in TITLES or w.low == "of" for w in words[:4])


def extend_appositive(tokens: list[Token], end: int, hi: int) -> int:
    """Extend a mention ending at ``end`` over ", a former governor," up to ``hi``."""
    if end < hi and tokens[end].text == "," and end + 1 < hi:
        k = end + 1
        while k < hi and tokens[k].text not in ",.;:!?()—–\"“”'’":
            k += 1
        if _looks_appositive(tokens, end + 1, k):
            end = k
            # A following relative clause belongs to the description too.
            if end + 1 < hi and tokens[end].text == "," and tokens[end + 1].low == "who":
                k = end + 1
                while k < hi and tokens[k].text not in ',.;:!?()—–"“”':
                    k += 1
                end = k
    return end


def source_left_appositive(tokens: list[Token], lo: int, hi: int) -> tuple[int, int] | None:
    """``Tad Devine, a senior adviser to Mr. Sanders, said``: mention plus its apposition."""
    if hi - 1 <= lo or tokens[hi - 1].text != ",":
        return None
    k = hi - 2
    while k >= lo and tokens[k].text not in ',.;:!?()—–"“”':
        k -= 1
    if k < lo or tokens[k].text != ",":
        return None
    segment = " ".join(t.low for t in tokens[k + 1 : hi - 1])
    if segment in DISCOURSE_ADVERBIALS or segment.startswith(
        tuple(f"{w} by " for w in CHANNEL_PARTICIPLES)
    ):
        # "Mr. Trump, however, said": the aside is not part of the mention; nor is the channel
        # of "Syrian officials, cited by Reuters, said" (the extractor keeps it as the chain).
        return source_left(tokens, lo, k)
    if not _looks_appositive(tokens, k + 1, hi - 1):
        return None
    np = source_left(tokens, lo, k)
    if np is None or not tokens[np[0]].is_word:
        return None
    if not (tokens[np[1] - 1].is_cap or tokens[np[1] - 1].low in PRONOUNS):
        # "Clinton's campaign chairman, John Podesta, said": a description, then the name.
        seg = [t for t in tokens[k + 1 : hi - 1] if t.is_word]
        if not (0 < len(seg) <= 4 and all(is_name_word(t) for t in seg)):
            return None
    return (np[0], hi - 1)
