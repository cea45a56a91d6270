from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from claims.highlight import highlight_body
from claims.models import Article, Outlet, Statement

from .base import CSSMixin, HistoryReasonMixin, excerpt

LEGEND = mark_safe(
    '<div class="cd-legend"><span class="cd-direct">direct quote</span>'
    '<span class="cd-indirect">reported speech</span><span class="cd-mixed">mixed</span></div>'
)


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


class IngestForm(forms.Form):
    """A URL to fetch, or pasted text with its title (and optionally outlet, date, URL)."""

    url = forms.URLField(
        label="URL",
        required=False,
        assume_scheme="https",
        max_length=2000,
        help_text="The page to fetch, or where the pasted text was published.",
        widget=forms.URLInput(attrs={"size": 80, "autofocus": True}),
    )
    text = forms.CharField(
        label="Article text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 80}),
        help_text="Paste the article text to skip fetching.",
    )
    title = forms.CharField(max_length=1000, required=False)
    outlet = forms.ModelChoiceField(Outlet.objects.all(), required=False)
    published_at = forms.DateTimeField(label="Published", required=False)
    language = forms.CharField(max_length=16, required=False, help_text="e.g. en")

    def clean(self):
        data = super().clean()
        text, url = (data.get("text") or ""), data.get("url")
        if not text.strip() and not url:
            raise ValidationError("Give a URL to fetch, or paste the article text.")
        if text.strip() and not (data.get("title") or "").strip():
            self.add_error("title", "Pasted text needs a title.")
        return data


@admin.register(Article)
class ArticleAdmin(CSSMixin, HistoryReasonMixin, SimpleHistoryAdmin):
    list_display = [
        "display_title",
        "outlet",
        "state_and_reason",
        "statements",
        "published_at",
        "created_at",
    ]
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
    # The text with its statements comes first: it is what an editor opens an article for.
    fieldsets = [
        (None, {"fields": ["title", ("state", "failure_reason"), "highlighted_body"]}),
        (
            "Source",
            {"fields": ["url", "canonical_url", "outlet", "published_at", "authors", "language"]},
        ),
        (
            "Pipeline",
            {
                "classes": ["collapse"],
                "fields": [
                    "origin",
                    "feed",
                    "attempts",
                    "fetched_at",
                    "extracted_at",
                    "content_hash",
                ],
            },
        ),
    ]
    inlines = [StatementInline]
    actions = ["retry"]
    change_list_template = "admin/claims/article/change_list.html"
    change_form_template = "admin/claims/article/change_form.html"
    # States after which the pipeline is still working on the article (the page refreshes).
    PENDING = (Article.State.QUEUED, Article.State.FETCHING, Article.State.FETCHED)

    def get_urls(self):
        urls = [
            path(
                "ingest/",
                self.admin_site.admin_view(self.ingest_view),
                name="claims_article_ingest",
            )
        ]
        return urls + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        # Articles enter through the ingestion service (duplicates, fetching, extraction).
        return redirect("admin:claims_article_ingest")

    def ingest_view(self, request: HttpRequest) -> HttpResponse:
        """Ingest one article from a URL or pasted text, then show it."""
        from claims.services.ingestion import error_text, submit_text, submit_url

        if not self.has_add_permission(request):
            raise PermissionDenied
        form = IngestForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if data["text"].strip():
                    submission = submit_text(
                        body=data["text"],
                        title=data["title"],
                        url=data["url"] or "",
                        outlet=data["outlet"],
                        published_at=data["published_at"],
                        language=data["language"],
                        by=request.user,
                    )
                else:
                    submission = submit_url(
                        url=data["url"],
                        title=data["title"],
                        outlet=data["outlet"],
                        published_at=data["published_at"],
                        language=data["language"],
                        by=request.user,
                    )
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                article = submission.article
                if submission.created:
                    self.message_user(
                        request,
                        f"Ingesting “{article}”: it is {article.get_state_display().lower()}; "
                        "this page shows its statements as soon as they are extracted.",
                        messages.SUCCESS,
                    )
                else:
                    self.message_user(
                        request,
                        f"Already ingested as article {article.pk} "
                        f"({article.get_state_display().lower()}); nothing was stored twice.",
                        messages.WARNING,
                    )
                return HttpResponseRedirect(
                    reverse("admin:claims_article_change", args=[article.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": "Ingest article",
            "opts": self.opts,
            "form": form,
            "has_view_permission": self.has_view_permission(request),
        }
        return TemplateResponse(request, "admin/claims/article/ingest.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "article_pending": bool(article and article.state in self.PENDING),
        }
        return super().change_view(request, object_id, form_url, extra_context)

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

    @admin.display(description="state", ordering="state")
    def state_and_reason(self, obj):
        if obj.failure_reason:
            return format_html(
                '{}<br><small title="{}">{}</small>',
                obj.get_state_display(),
                obj.failure_reason,
                excerpt(obj.failure_reason, 80),
            )
        return obj.get_state_display()

    @admin.display(description="statements", ordering="statement_total")
    def statements(self, obj):
        return obj.statement_total

    @admin.display(description="article text")
    def highlighted_body(self, obj):
        if not obj.body:
            return "No text yet."
        statements = obj.statements.select_related("speaker")
        return format_html(
            '{}<div class="cd-body">{}</div>', LEGEND, highlight_body(obj.body, statements)
        )

    @admin.action(description="Retry selected failed articles")
    def retry(self, request, queryset):
        from claims.services.ingestion import retry_article

        count = 0
        for article in queryset.filter(state=Article.State.FAILED):
            retry_article(article=article, by=request.user)
            count += 1
        skipped = queryset.count() - count
        self.message_user(request, f"Queued {count} article(s) again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"Skipped {skipped} article(s) that had not failed.",
                messages.WARNING,
            )
