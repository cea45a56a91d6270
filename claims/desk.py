"""The editor desk: one focused page to triage flags, each decision one click through a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from claims import services
from claims.models import Claim, ClaimStatement, Flag, FlagSuggestion

CONTEXT_CHARS = 220


def statement_in_context(statement) -> str:
    """The statement in its paragraph (at most CONTEXT_CHARS either side, cut between words),
    the statement marked."""
    body = statement.article.body
    left = max(0, statement.start - CONTEXT_CHARS)
    paragraph = body.rfind("\n\n", left, statement.start)
    if paragraph != -1:
        left = paragraph + 2
    elif left:
        space = body.find(" ", left, statement.start)
        left = space + 1 if space != -1 else left
    right = min(len(body), statement.end + CONTEXT_CHARS)
    paragraph = body.find("\n\n", statement.end, right)
    if paragraph != -1:
        right = paragraph
    elif right < len(body):
        space = body.rfind(" ", statement.end, right)
        right = space if space != -1 else right
    cut_left = left > 0 and body[left - 2 : left] != "\n\n"
    cut_right = right < len(body) and body[right : right + 2] != "\n\n"
    before = ("…" if cut_left else "") + body[left : statement.start]
    after = body[statement.end : right] + ("…" if cut_right else "")
    # Every piece of article text is escaped; only our <mark> is markup.
    return mark_safe(f"{escape(before)}<mark>{escape(statement.text)}</mark>{escape(after)}")


def _open_flags(reason: str | None):
    flags = (
        Flag.objects.open()
        .by_priority()
        .select_related("statement__article__outlet", "statement__speaker", "claim__rating")
        .prefetch_related(
            Prefetch(
                "suggestions",
                queryset=FlagSuggestion.objects.select_related("claim__rating").order_by("rank"),
            )
        )
    )
    return flags.filter(reason=reason) if reason else flags


@login_required
@permission_required("claims.change_flag", raise_exception=True)
def desk(request):
    reason = request.GET.get("reason") or None
    if reason not in Flag.Reason.values:
        reason = None
    page = Paginator(_open_flags(reason), 20).get_page(request.GET.get("page"))
    for flag in page:
        if flag.statement_id:
            flag.context = statement_in_context(flag.statement)
    counts = {r: Flag.objects.open().filter(reason=r).count() for r in Flag.Reason.values}
    return render(
        request,
        "claims/desk/desk.html",
        {
            "page": page,
            "reason": reason,
            "reasons": [(value, label, counts[value]) for value, label in Flag.Reason.choices],
            "open_total": sum(counts.values()),
            "claim_types": Claim.Type.choices,
            "relations": ClaimStatement.Relation.choices,
        },
    )


def flag_decision(view):
    """A POST that resolves a flag: for logged-in users who may change flags."""
    return require_POST(
        login_required(permission_required("claims.change_flag", raise_exception=True)(view))
    )


def _decide(request, pk: int, action) -> object:
    flag = get_object_or_404(Flag, pk=pk)
    try:
        message = action(flag)
        messages.success(request, message)
    except (ValidationError, Claim.DoesNotExist) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else "No such claim."
        messages.error(request, f"Flag {pk}: {text}")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("claims:desk")
    return redirect(back)


@flag_decision
def link(request, pk: int):
    def action(flag):
        claim = Claim.objects.get(pk=request.POST.get("claim"))
        services.resolve_flag_with_link(
            flag=flag,
            claim=claim,
            relation=request.POST.get("relation") or None,
            fidelity=ClaimStatement.Fidelity.PARAPHRASE,
            by=request.user,
        )
        return f"Linked to “{claim}”."

    return _decide(request, pk, action)


@flag_decision
def new_claim(request, pk: int):
    def action(flag):
        claim = services.resolve_flag_with_new_claim(
            flag=flag,
            text=request.POST.get("text") or None,
            claim_type=request.POST.get("claim_type") or None,
            by=request.user,
        )
        return f"Draft claim created: “{claim}”."

    return _decide(request, pk, action)


@flag_decision
def dismiss(request, pk: int):
    def action(flag):
        services.dismiss_flag(flag=flag, reason=request.POST.get("reason", ""), by=request.user)
        return "Flag dismissed."

    return _decide(request, pk, action)
