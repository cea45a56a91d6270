"""Shared admin pieces."""

from collections.abc import Callable, Sequence

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from claims.services.history import save_with_history


def excerpt(text: str, length: int = 90) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def rating_badge(rating) -> str:
    if rating is None:
        return "—"
    return format_html(
        '<span class="cd-badge" style="background:{};color:{}">{}</span>',
        rating.colour,
        rating.text_colour,
        rating.label,
    )


class HistoryReasonMixin:
    """Save admin edits with a history entry naming the editor."""

    def save_model(self, request, obj, form, change):
        save_with_history(
            obj, by=request.user, reason="Edited in admin" if change else "Created in admin"
        )


class CSSMixin:
    class Media:
        css = {"all": ["claims/admin.css"]}


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ServiceActionMixin:
    """Admin actions that call a service once per selected object and report each refusal."""

    def run_for_each(self, request, objects: Sequence, action: Callable, done: str) -> None:
        ok = 0
        for obj in objects:
            try:
                action(obj)
                ok += 1
            except ValidationError as exc:
                self.message_user(request, f"{obj}: {' '.join(exc.messages)}", messages.WARNING)
        level = messages.SUCCESS if ok else messages.WARNING
        self.message_user(request, f"{done}: {ok} of {len(objects)} selected.", level)
