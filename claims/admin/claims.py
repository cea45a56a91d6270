from django.contrib import admin, messages
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from claims import services
from claims.models import Claim, ClaimSource, ClaimStatement, Source, Statement

from .base import CSSMixin, HistoryReasonMixin, ServiceActionMixin, excerpt, rating_badge


class ClaimStatementInline(admin.TabularInline):
    model = ClaimStatement
    extra = 0
    fields = ["statement", "speaker", "relation", "fidelity", "note", "linked_by"]
    readonly_fields = ["speaker", "linked_by"]
    autocomplete_fields = ["statement"]

    @admin.display(description="speaker")
    def speaker(self, obj):
        return obj.statement.speaker if obj.pk and obj.statement.speaker_id else "—"


class ClaimSourceInline(admin.TabularInline):
    model = ClaimSource
    extra = 0
    fields = ["source", "stance", "note", "added_by"]
    readonly_fields = ["added_by"]
    autocomplete_fields = ["source"]


@admin.register(Claim)
class ClaimAdmin(CSSMixin, ServiceActionMixin, SimpleHistoryAdmin):
    list_display = [
        "display_text",
        "claim_type",
        "state",
        "verdict",
        "assignee",
        "due_date",
        "links",
        "version",
        "updated_at",
    ]
    list_filter = ["state", "claim_type", "rating", "topics", "assignee"]
    search_fields = ["text", "title", "claimants__name", "external_id"]
    autocomplete_fields = ["claimants", "topics", "assignee"]
    readonly_fields = [
        "state",
        "version",
        "published_at",
        "verdict_changed_at",
        "merged_into",
        "created_by",
        "created_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "text",
                    "title",
                    "claim_type",
                    "claimants",
                    "topics",
                    "due_date",
                    "assignee",
                ]
            },
        ),
        ("Verdict", {"fields": ["rating", "verdict_explanation", "verdict_changed_at"]}),
        (
            "Workflow",
            {
                "fields": [
                    "state",
                    "version",
                    "published_at",
                    "merged_into",
                    "external_id",
                    "external_url",
                    "created_by",
                    "created_at",
                ]
            },
        ),
    ]
    inlines = [ClaimStatementInline, ClaimSourceInline]
    actions = ["send_to_review", "publish", "assign_to_me", "merge_duplicates"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("rating", "assignee")
            .annotate(link_total=Count("statement_links", distinct=True))
        )

    @admin.display(description="claim", ordering="text")
    def display_text(self, obj):
        return excerpt(str(obj), 90)

    @admin.display(description="verdict", ordering="rating__value")
    def verdict(self, obj):
        return rating_badge(obj.rating)

    @admin.display(description="statements", ordering="link_total")
    def links(self, obj):
        return obj.link_total

    def save_model(self, request, obj, form, change):
        # Edits go through the services so versions, verdict history and webhooks stay right.
        data = form.cleaned_data
        if not change:
            created = services.create_claim(
                text=data["text"],
                title=data.get("title", ""),
                claim_type=data["claim_type"],
                due_date=data.get("due_date"),
                by=request.user,
                reason="Created in admin",
            )
            obj.pk, obj.version = created.pk, created.version
            if data.get("rating") or data.get("verdict_explanation"):
                services.change_verdict(
                    claim=created,
                    rating=data.get("rating"),
                    explanation=data.get("verdict_explanation", ""),
                    by=request.user,
                )
            obj.refresh_from_db()
            return
        content = {
            f: data[f]
            for f in ("text", "title", "claim_type", "due_date", "assignee")
            if f in form.changed_data
        }
        if content:
            services.update_claim(claim=obj, by=request.user, reason="Edited in admin", **content)
        if {"rating", "verdict_explanation"} & set(form.changed_data):
            services.change_verdict(
                claim=obj,
                rating=data.get("rating"),
                explanation=data.get("verdict_explanation", ""),
                by=request.user,
            )
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        form.save_m2m()
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        # The admin's change message reads these; the services below do the saving.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        claim = form.instance
        for inline_form in formset.forms:
            if not inline_form.has_changed() or not inline_form.is_valid():
                continue
            data = inline_form.cleaned_data
            if data.get("DELETE"):
                if inline_form.instance.pk:
                    inline_form.instance.delete()
                continue
            if formset.model is ClaimStatement:
                services.link_statement(
                    claim=claim,
                    statement=data["statement"],
                    relation=data["relation"],
                    fidelity=data["fidelity"],
                    note=data.get("note", ""),
                    by=request.user,
                )
            elif formset.model is ClaimSource:
                services.attach_source(
                    claim=claim,
                    source=data["source"],
                    stance=data["stance"],
                    note=data.get("note", ""),
                    by=request.user,
                )

    @admin.action(description="Send selected claims to review")
    def send_to_review(self, request, queryset):
        self.run_for_each(
            request,
            list(queryset),
            lambda c: services.transition_claim(claim=c, to=Claim.State.IN_REVIEW, by=request.user),
            "Sent to review",
        )

    @admin.action(description="Publish selected claims")
    def publish(self, request, queryset):
        self.run_for_each(
            request,
            list(queryset),
            lambda c: services.publish_claim(claim=c, by=request.user),
            "Published",
        )

    @admin.action(description="Assign selected claims to me")
    def assign_to_me(self, request, queryset):
        self.run_for_each(
            request,
            list(queryset),
            lambda c: services.assign_claim(claim=c, assignee=request.user, by=request.user),
            "Assigned to you",
        )

    @admin.action(description="Merge selected duplicates into the oldest")
    def merge_duplicates(self, request, queryset):
        claims = list(queryset.exclude(state=Claim.State.MERGED).order_by("created_at", "pk"))
        if len(claims) < 2:
            self.message_user(request, "Select at least two claims to merge.", messages.WARNING)
            return
        survivor = claims[0]
        for duplicate in claims[1:]:
            services.merge_claims(survivor=survivor, duplicate=duplicate, by=request.user)
        self.message_user(
            request, f"Merged {len(claims) - 1} claim(s) into “{survivor}”.", messages.SUCCESS
        )


@admin.register(Statement)
class StatementAdmin(HistoryReasonMixin, SimpleHistoryAdmin):
    list_display = [
        "display_text",
        "speaker",
        "kind",
        "cue",
        "check_worthiness",
        "type_guess",
        "review_state",
        "article",
    ]
    list_filter = ["kind", "review_state", "type_guess"]
    search_fields = ["text", "speaker__name", "speaker_mention", "article__title"]
    autocomplete_fields = ["speaker"]
    list_select_related = ["speaker", "article"]
    readonly_fields = [
        "article",
        "text",
        "start",
        "end",
        "kind",
        "cue",
        "cue_start",
        "cue_end",
        "speaker_mention",
        "speaker_start",
        "speaker_end",
        "attribution_chain",
        "check_worthiness",
        "type_guess",
    ]
    actions = ["make_claims"]

    def has_add_permission(self, request):
        return False  # statements come from extraction

    @admin.display(description="statement", ordering="text")
    def display_text(self, obj):
        return excerpt(obj.text, 100)

    @admin.action(description="Create a draft claim from each selected statement")
    def make_claims(self, request, queryset):
        for statement in queryset:
            services.create_claim_from_statement(statement=statement, by=request.user)
        self.message_user(request, f"Created {queryset.count()} draft claim(s).", messages.SUCCESS)


@admin.register(Source)
class SourceAdmin(HistoryReasonMixin, SimpleHistoryAdmin):
    list_display = ["title", "publisher", "kind", "url", "retrieved_at"]
    list_filter = ["kind"]
    search_fields = ["title", "url", "publisher"]
