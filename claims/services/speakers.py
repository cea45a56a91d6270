"""Resolving speakers named in articles against the registry."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q

from claims.models import Speaker, SpeakerRole
from claims.models.speakers import name_key

GROUP_WORDS = {
    "officials",
    "sources",
    "people",
    "critics",
    "analysts",
    "experts",
    "lawmakers",
    "residents",
    "diplomats",
    "observers",
    "activists",
    "aides",
    "authorities",
    "voters",
    "republicans",
    "democrats",
    "leaders",
    "members",
    "supporters",
    "protesters",
    "workers",
    "investigators",
    "prosecutors",
}
ORGANISATION_WORDS = {
    "ministry",
    "kremlin",
    "government",
    "agency",
    "department",
    "council",
    "committee",
    "party",
    "house",
    "office",
    "embassy",
    "army",
    "police",
    "commission",
    "union",
    "court",
    "parliament",
    "congress",
    "senate",
    "campaign",
    "company",
    "corporation",
    "bank",
    "group",
    "organization",
    "organisation",
    "association",
    "institute",
    "university",
    "news",
    "reuters",
    "afp",
    "press",
}


def guess_kind(name: str, hint: str | None = None) -> str:
    if hint in Speaker.Kind.values:
        return hint
    words = {w.strip(".,").casefold() for w in name.split()}
    if words & GROUP_WORDS:
        return Speaker.Kind.GROUP
    if words & ORGANISATION_WORDS:
        return Speaker.Kind.ORGANISATION
    return Speaker.Kind.PERSON


PARTICLES = {
    "al",
    "al-",
    "el",
    "bin",
    "ibn",
    "van",
    "von",
    "de",
    "da",
    "di",
    "du",
    "der",
    "la",
    "le",
}


def proper_name(name: str) -> str:
    """Drop a lowercase job description in front of a name ("council member John Roe")."""
    words = name.split()
    for i, word in enumerate(words):
        if word[:1].isupper() or word[:1].isdigit():
            if all(
                w[:1].isupper() or w.lower().rstrip("-") in PARTICLES or "-" in w for w in words[i:]
            ):
                return " ".join(words[i:])
            return name
        if word.lower().rstrip("-") in PARTICLES or word.split("-")[0].lower() in PARTICLES:
            return " ".join(words[i:]) if i else name
    return name


def find_speaker(name: str) -> Speaker | None:
    """Find a registered speaker by full name or alias, then by a unique surname."""
    match = Speaker.objects.matching_name(name).order_by("-verified", "pk").first()
    if match:
        return match
    words = name.split()
    if len(words) == 1 and len(name) > 2:
        # A bare surname ("Putin") names a registered person when only one fits.
        candidates = list(
            Speaker.objects.filter(kind=Speaker.Kind.PERSON).filter(
                Q(name_key__endswith=" " + name_key(name))
                | Q(alias_keys__contains=[name_key(name)])
            )[:2]
        )
        if len(candidates) == 1:
            return candidates[0]
    return None


def find_speaker_by_role(mention: str) -> Speaker | None:
    """Resolve a role description ("the Syrian president") to the holder of that office."""
    words = mention.casefold().split()
    if len(words) < 2:
        return None
    office = words[-1]
    roles = SpeakerRole.objects.filter(office__iexact=office, end_date__isnull=True).select_related(
        "speaker"
    )
    matches = [
        r.speaker
        for r in roles
        if r.organisation and r.organisation.casefold()[:4] in " ".join(words[:-1])
    ]
    return matches[0] if len(matches) == 1 else None


def resolve_speaker(
    *, name: str | None, mention: str = "", kind_hint: str | None = None
) -> Speaker | None:
    """Return the registry speaker for an extracted name, creating an unverified one if unknown."""
    name = " ".join((name or "").split())
    if not name:
        mention = " ".join(mention.split())
        # A bare proper name the article never expanded ("al-Sharaa") may be in the registry.
        if (
            any(word[:1].isupper() for word in mention.split()[1:] or mention.split())
            or "-" in mention
        ):
            found = find_speaker(mention)
            if found:
                return found
        return find_speaker_by_role(mention) if mention else None
    name = proper_name(name)
    found = find_speaker(name)
    if found:
        return found
    if not any(word[:1].isupper() for word in name.split()):
        # "company", "officials", "his campaign": a description the article gives no name for.
        # As a registry speaker it would gather every article's unnamed company under one row.
        return None
    try:
        with transaction.atomic():
            return Speaker.objects.create(
                name=name[:300], kind=guess_kind(name, kind_hint), verified=False
            )
    except IntegrityError:
        # Another worker created it first: the unique unverified-name key decided.
        return Speaker.objects.get(name_key=name_key(name), verified=False)
