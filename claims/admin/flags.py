from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from claims import services
from claims.models import Flag, FlagSuggestion

from .base import CSSMixin, ServiceActionMixin, excerpt, rating_badge


class FlagSuggestionInline(admin.TabularInline):
    model = FlagSuggestion
    extra = 0
    fields = ["rank", "claim", "similarity"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Flag)
class FlagAdmin(CSSMixin, ServiceActionMixin, SimpleHistoryAdmin):
    list_display = [
        "priority_label",
        "reason",
        "statement_text",
        "speaker",
        "top_suggestion",
        "score",
        "state",
        "created_at",
    ]
    list_filter = ["state", "reason", "priority"]
    search_fields = ["statement__text", "statement__speaker__name", "claim__text"]
    list_select_related = ["statement", "statement__speaker", "claim", "claim__rating"]
    ordering = ["-priority", "-score", "-created_at"]
    readonly_fields = [
        "statement",
        "claim",
        "reason",
        "score",
        "priority",
        "state",
        "resolution",
        "resolver",
        "resolved_at",
        "created_at",
    ]
    fields = [*readonly_fields, "resolution_note"]
    inlines = [FlagSuggestionInline]
    actions = ["link_top_suggestion", "create_claims", "dismiss"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("suggestions__claim__rating")

    def has_add_permission(self, request):
        return False

    @admin.display(description="priority", ordering="priority")
    def priority_label(self, obj):
        return format_html(
            '<span class="cd-priority-{}">{}</span>', obj.priority, obj.get_priority_display()
        )

    @admin.display(description="statement")
    def statement_text(self, obj):
        return (
            excerpt(obj.statement.text, 100) if obj.statement_id else excerpt(str(obj.claim), 100)
        )

    @admin.display(description="speaker")
    def speaker(self, obj):
        return obj.statement.speaker if obj.statement_id and obj.statement.speaker_id else "—"

    @admin.display(description="suggested claim")
    def top_suggestion(self, obj):
        suggestions = list(obj.suggestions.all())[:1]
        return (
            format_html_join(
                "",
                "{} {} <small>({})</small>",
                (
                    (excerpt(str(s.claim), 60), rating_badge(s.claim.rating), f"{s.similarity:.2f}")
                    for s in suggestions
                ),
            )
            or "—"
        )

    @admin.action(description="Link statement to the top suggested claim")
    def link_top_suggestion(self, request, queryset):
        def link(flag):
            top = flag.suggestions.order_by("rank").first()
            if top is None:
                raise ValidationError("No suggested claim.")
            services.resolve_flag_with_link(flag=flag, claim=top.claim, by=request.user)

        self.run_for_each(request, list(queryset.open()), link, "Linked")

    @admin.action(description="Create a new claim from each statement")
    def create_claims(self, request, queryset):
        self.run_for_each(
            request,
            list(queryset.open()),
            lambda f: services.resolve_flag_with_new_claim(flag=f, by=request.user),
            "Claims created",
        )

    @admin.action(description="Dismiss (not worth checking)")
    def dismiss(self, request, queryset):
        self.run_for_each(
            request,
            list(queryset.open()),
            lambda f: services.dismiss_flag(flag=f, reason="Not worth checking", by=request.user),
            "Dismissed",
        )
