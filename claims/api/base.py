"""Shared view plumbing: role permission, strict filters/ordering, query-string hygiene."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from .filters import StrictOrderingFilter
from .permissions import ANONYMOUS, RolePermission, request_role

# Query parameters that belong to pagination and ordering, never to a FilterSet.
NON_FILTER_PARAMS = frozenset({"page_size", "cursor", "ordering"})


class FilterBackend(DjangoFilterBackend):
    """django-filter, skipped when the query string holds no parameter a filter could read.

    An empty bound FilterSet filters nothing (every filter ignores an empty value), but building
    and validating its form costs a few milliseconds per list request. Any other parameter,
    known or not, still goes through django-filter exactly as before.
    """

    def filter_queryset(self, request, queryset, view):
        if NON_FILTER_PARAMS.issuperset(request.query_params.keys()):
            return queryset
        return super().filter_queryset(request, queryset, view)


def reject_unstorable_query(request) -> None:
    """Refuse query strings PostgreSQL cannot take (NUL bytes) with a 400, not a 500."""
    for key, values in request.query_params.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            raise ValidationError({key.replace("\x00", ""): ["NUL characters are not allowed."]})


class ApiViewSet(viewsets.GenericViewSet):
    """Base for every resource: roles per action, django-filter, allowlisted ordering."""

    permission_classes = [RolePermission]
    filter_backends = [FilterBackend, StrictOrderingFilter]
    ordering_fields: tuple[str, ...] = ("id",)
    ordering = ("-id",)
    read_role = ANONYMOUS
    write_role = ANONYMOUS
    action_roles: dict[str, str] = {}
    extra_error_statuses: dict[str, list[int]] = {}

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        reject_unstorable_query(request)

    @property
    def role(self) -> str:
        return request_role(self.request)

    @property
    def is_anonymous(self) -> bool:
        # During schema generation there is no real caller; document the full resource.
        if getattr(self, "swagger_fake_view", False):
            return False
        return self.role == ANONYMOUS
