"""Role checks: anonymous < reader < editor < admin, declared per view and per action."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from claims.roles import ADMIN, EDITOR, READER, role_of

ANONYMOUS = "anonymous"
RANK = {ANONYMOUS: 0, READER: 1, EDITOR: 2, ADMIN: 3}


def request_role(request) -> str:
    """Return the caller's role, cached on the request (role_of queries the groups)."""
    cached = getattr(request, "_claimdesk_role", None)
    if cached is None:
        cached = role_of(request.user) or ANONYMOUS
        # A signed-in user without any role group gets no more than an anonymous caller.
        request._claimdesk_role = cached
    return cached


def has_role(request, role: str) -> bool:
    return RANK[request_role(request)] >= RANK[role]


class RolePermission(BasePermission):
    """Allow by the view's ``read_role`` / ``write_role``, or ``action_roles[action]``.

    ``read_role = ANONYMOUS`` opens reads to everyone; the view's ``get_queryset`` then
    narrows what anonymous callers see (published claims and what hangs off them).
    """

    message = "Your role does not allow this operation."

    def required_role(self, request, view) -> str:
        action = getattr(view, "action", None)
        per_action = getattr(view, "action_roles", {})
        if action in per_action:
            return per_action[action]
        if request.method in SAFE_METHODS:
            return getattr(view, "read_role", READER)
        return getattr(view, "write_role", EDITOR)

    def has_permission(self, request, view) -> bool:
        return has_role(request, self.required_role(request, view))
