from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from claims.models import Outlet, Speaker, SpeakerRole, Topic

from .base import HistoryReasonMixin


class SpeakerRoleInline(admin.TabularInline):
    model = SpeakerRole
    extra = 0


@admin.register(Speaker)
class SpeakerAdmin(HistoryReasonMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "current_role", "verified", "external_id", "statement_count"]
    list_filter = ["kind", "verified"]
    search_fields = ["name", "aliases", "external_id", "roles__office", "roles__organisation"]
    inlines = [SpeakerRoleInline]
    fields = ["name", "kind", "aliases", "external_id", "description", "verified"]

    def get_queryset(self, request):
        from django.db.models import Count

        return (
            super()
            .get_queryset(request)
            .annotate(statement_total=Count("statements"))
            .prefetch_related("roles")
        )

    @admin.display(description="statements", ordering="statement_total")
    def statement_count(self, obj):
        return obj.statement_total

    @admin.display(description="role")
    def current_role(self, obj):
        roles = list(obj.roles.all())
        return str(roles[0]) if roles else ""


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "country"]
    search_fields = ["name", "domain"]
    list_filter = ["country"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
