"""An email digest of the open high-priority flags, for editors away from the desk."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q, QuerySet
from django.urls import reverse

from claims.models import Flag
from claims.roles import ADMIN, EDITOR

# The digest lists this many flags at most, then says how many more are open.
MAX_LISTED = 50


@dataclass(frozen=True)
class Digest:
    subject: str
    body: str
    recipients: list[str]
    flags: int


def digest_flags() -> QuerySet[Flag]:
    """Open flags at or above the digest priority, most urgent first."""
    return (
        Flag.objects.open()
        .filter(priority__gte=settings.CLAIMDESK["DIGEST_MIN_PRIORITY"])
        .by_priority()
        .select_related("statement__speaker", "statement__article", "claim__rating")
        .prefetch_related("suggestions__claim__rating")
    )


def digest_recipients() -> list[str]:
    """The configured addresses, else every active editor and admin with an email address."""
    configured = settings.CLAIMDESK["DIGEST_RECIPIENTS"]
    if configured:
        return list(configured)
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    users = users.filter(Q(groups__name__in=[EDITOR, ADMIN]) | Q(is_superuser=True))
    return sorted(set(users.values_list("email", flat=True)))


def _flag_lines(flag: Flag, desk: str) -> list[str]:
    lines = [f"[{flag.get_priority_display()}] {flag.get_reason_display()}"]
    statement = flag.statement
    if statement is not None:
        speaker = statement.speaker.name if statement.speaker else statement.speaker_mention
        lines.append(f"  “{statement.text}” — {speaker or 'unattributed'}")
        lines.append(f"  in {statement.article.title or statement.article.link}")
    if flag.claim is not None and statement is None:
        lines.append(f"  claim: {flag.claim.text}")
    verb = "disputes" if flag.reason == Flag.Reason.DISPUTES_CLAIM else "repeats"
    for suggestion in flag.suggestions.all():
        claim = suggestion.claim
        verdict = f", rated {claim.rating.label}" if claim.rating else ""
        lines.append(f"  {verb}: {claim.text} ({suggestion.similarity:.0%} similar{verdict})")
    lines.append(f"  resolve: {desk}#flag-{flag.pk}")
    return lines


def build_digest() -> Digest | None:
    """The digest to send now, or None when no flag qualifies or nobody would receive it."""
    flags = digest_flags()
    total = flags.count()
    recipients = digest_recipients()
    if not total or not recipients:
        return None
    desk = settings.CLAIMDESK["SITE_URL"].rstrip("/") + reverse("claims:desk")
    urgent = flags.filter(priority__gte=Flag.Priority.URGENT).count()
    subject = f"Claimdesk: {total} open flag{'s need' if total != 1 else ' needs'} an editor"
    if urgent:
        subject += f" ({urgent} urgent)"
    body: list[str] = []
    for flag in flags[:MAX_LISTED]:
        body += [*_flag_lines(flag, desk), ""]
    if total > MAX_LISTED:
        body.append(f"… and {total - MAX_LISTED} more at {desk}")
    return Digest(subject, "\n".join(body).rstrip() + "\n", recipients, total)


def send_flag_digest() -> Digest | None:
    """Email the digest to the editors; returns what was sent (None: nothing to send)."""
    digest = build_digest()
    if digest is not None:
        send_mail(digest.subject, digest.body, None, digest.recipients)
    return digest
