"""Resolving flags: link to a claim, create a claim, or dismiss."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.models import Claim, ClaimStatement, Flag, Statement

from .claims import create_claim_from_statement, link_statement
from .history import save_with_history


def _close(flag: Flag, *, state: str, resolution: str, note: str, by) -> Flag:
    flag.state, flag.resolution, flag.resolution_note = state, resolution, note
    flag.resolver = by if getattr(by, "is_authenticated", False) else None
    flag.resolved_at = timezone.now()
    save_with_history(
        flag,
        by=by,
        reason=f"{flag.get_resolution_display()}: {note}"
        if note
        else flag.get_resolution_display(),
    )
    return flag


def _open_flag(flag: Flag) -> Flag:
    flag = Flag.objects.select_for_update(of=("self",)).select_related("statement").get(pk=flag.pk)
    if flag.state != Flag.State.OPEN:
        raise ValidationError(f"This flag is already {flag.get_state_display().lower()}.")
    return flag


def _close_sibling_flags(statement: Statement | None, *, resolution: str, note: str, by) -> None:
    """Other open flags on the same statement are settled by the same decision."""
    if statement is None:
        return
    state = Flag.State.DISMISSED if resolution == Flag.Resolution.DISMISSED else Flag.State.RESOLVED
    for sibling in Flag.objects.select_for_update().filter(
        statement=statement, state=Flag.State.OPEN
    ):
        _close(sibling, state=state, resolution=resolution, note=note, by=by)


@transaction.atomic
def resolve_flag_with_link(
    *,
    flag: Flag,
    claim: Claim,
    by=None,
    relation: str | None = None,
    fidelity: str = ClaimStatement.Fidelity.PARAPHRASE,
    note: str = "",
) -> ClaimStatement:
    """Resolve a flag by linking its statement to a (suggested or chosen) claim, with the
    flag's ``link_relation`` unless another relation is given."""
    flag = _open_flag(flag)
    if flag.statement is None:
        raise ValidationError("This flag has no statement to link.")
    link = link_statement(
        claim=claim,
        statement=flag.statement,
        by=by,
        relation=relation or flag.link_relation,
        fidelity=fidelity,
        note=note,
    )
    _close(
        flag,
        state=Flag.State.RESOLVED,
        resolution=Flag.Resolution.LINKED,
        note=note or f"Linked to claim {claim.pk}",
        by=by,
    )
    _close_sibling_flags(
        flag.statement, resolution=Flag.Resolution.LINKED, note=f"Linked to claim {claim.pk}", by=by
    )
    return link


@transaction.atomic
def resolve_flag_with_new_claim(
    *, flag: Flag, by=None, text: str | None = None, claim_type: str | None = None
) -> Claim:
    """Resolve a flag by creating a new draft claim from its statement."""
    flag = _open_flag(flag)
    if flag.statement is None:
        raise ValidationError("This flag has no statement to make a claim from.")
    claim = create_claim_from_statement(
        statement=flag.statement, by=by, text=text, claim_type=claim_type
    )
    _close(
        flag,
        state=Flag.State.RESOLVED,
        resolution=Flag.Resolution.CREATED_CLAIM,
        note=f"Created claim {claim.pk}",
        by=by,
    )
    _close_sibling_flags(
        flag.statement,
        resolution=Flag.Resolution.CREATED_CLAIM,
        note=f"Created claim {claim.pk}",
        by=by,
    )
    return claim


@transaction.atomic
def dismiss_flag(*, flag: Flag, reason: str, by=None) -> Flag:
    """Dismiss a flag; the reason is required so the next editor knows why."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the flag is dismissed."})
    flag = _open_flag(flag)
    _close(
        flag, state=Flag.State.DISMISSED, resolution=Flag.Resolution.DISMISSED, note=reason, by=by
    )
    statement = flag.statement
    if (
        statement
        and not statement.flags.filter(state=Flag.State.OPEN).exists()
        and not statement.claim_links.exists()
    ):
        statement.review_state = Statement.ReviewState.DISMISSED
        save_with_history(statement, by=by, reason=f"Flag dismissed: {reason}")
    return flag
