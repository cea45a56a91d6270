from django.contrib import admin

from claims.models import Feed, Rating, RatingScale, Webhook, WebhookDelivery

from .base import ReadOnlyAdmin


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0
    fields = ["label", "slug", "value", "colour", "counts_as_false", "description"]


@admin.register(RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "claim_types"]
    inlines = [RatingInline]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["label", "scale", "value", "counts_as_false"]
    list_filter = ["scale"]
    search_fields = ["label"]


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "url",
        "outlet",
        "poll_interval",
        "active",
        "last_polled_at",
        "last_error",
    ]
    list_filter = ["active", "outlet"]
    search_fields = ["url", "title"]
    autocomplete_fields = ["outlet"]
    readonly_fields = ["etag", "last_modified", "last_polled_at", "last_error"]


class DeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    extra = 0
    fields = [
        "event",
        "state",
        "attempts",
        "response_status",
        "error",
        "created_at",
        "delivered_at",
    ]
    readonly_fields = fields
    can_delete = False
    max_num = 0


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["__str__", "url", "events", "active"]
    list_filter = ["active"]
    inlines = [DeliveryInline]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "event",
        "webhook",
        "state",
        "attempts",
        "response_status",
        "created_at",
        "delivered_at",
    ]
    list_filter = ["state", "event"]
