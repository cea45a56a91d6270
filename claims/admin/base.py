"""Shared admin pieces."""

from django.contrib import admin
from django.utils.html import format_html

from claims.services.history import save_with_history


def excerpt(text: str, length: int = 90) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def rating_badge(rating) -> str:
    if rating is None:
        return "—"
    return format_html(
        '<span class="cd-badge" style="background:{}">{}</span>', rating.colour, rating.label
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
