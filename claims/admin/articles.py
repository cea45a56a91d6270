from django.contrib import admin, messages
from django.db.models import Count
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from claims.highlight import highlight_body
from claims.models import Article, Statement

from .base import CSSMixin, HistoryReasonMixin, excerpt


class StatementInline(admin.TabularInline):
    model = Statement
    extra = 0
    can_delete = False
    fields = [
        "quote",
        "kind",
        "speaker",
        "speaker_mention",
        "cue",
        "check_worthiness",
        "review_state",
    ]
    readonly_fields = ["quote", "kind", "speaker_mention", "cue", "check_worthiness"]
    autocomplete_fields = ["speaker"]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="statement")
    def quote(self, obj):
        return format_html('<a href="#statement-{}">{}</a>', obj.pk, excerpt(obj.text, 120))


@admin.register(Article)
class ArticleAdmin(CSSMixin, HistoryReasonMixin, SimpleHistoryAdmin):
    list_display = ["display_title", "outlet", "state", "statements", "published_at", "created_at"]
    list_filter = ["state", "origin", "outlet", "language"]
    search_fields = ["title", "url", "canonical_url"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["outlet"]
    readonly_fields = [
        "highlighted_body",
        "state",
        "failure_reason",
        "content_hash",
        "canonical_url",
        "attempts",
        "fetched_at",
        "extracted_at",
        "origin",
        "feed",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "url",
                    "canonical_url",
                    "outlet",
                    "published_at",
                    "authors",
                    "language",
                ]
            },
        ),
        (
            "Pipeline",
            {
                "fields": [
                    "state",
                    "failure_reason",
                    "origin",
                    "feed",
                    "attempts",
                    "fetched_at",
                    "extracted_at",
                    "content_hash",
                ]
            },
        ),
        ("Text with statements", {"fields": ["highlighted_body"]}),
    ]
    inlines = [StatementInline]
    actions = ["retry"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("outlet")
            .annotate(statement_total=Count("statements"))
        )

    @admin.display(description="title", ordering="title")
    def display_title(self, obj):
        return excerpt(str(obj), 80)

    @admin.display(description="statements", ordering="statement_total")
    def statements(self, obj):
        return obj.statement_total

    @admin.display(description="article text")
    def highlighted_body(self, obj):
        if not obj.body:
            return "No text yet."
        statements = obj.statements.select_related("speaker")
        legend = format_html(
            '<div class="cd-legend"><span class="cd-direct">direct quote</span>'
            '<span class="cd-indirect">reported speech</span><span class="cd-mixed">mixed</span></div>'
        )
        return format_html(
            '{}<div class="cd-body">{}</div>', legend, highlight_body(obj.body, statements)
        )

    @admin.action(description="Retry selected failed articles")
    def retry(self, request, queryset):
        from claims.services.ingestion import retry_article

        count = 0
        for article in queryset.filter(state=Article.State.FAILED):
            retry_article(article=article, by=request.user)
            count += 1
        self.message_user(request, f"Queued {count} article(s) again.", messages.SUCCESS)
