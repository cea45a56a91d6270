"""Roles as Django groups: reader, editor, admin."""

from django.contrib.auth.models import Group, Permission

READER = "reader"
EDITOR = "editor"
ADMIN = "admin"

# Models editors work on day to day; admins also manage the desk's configuration.
EDITORIAL_MODELS = [
    "article",
    "statement",
    "speaker",
    "speakerrole",
    "claim",
    "claimstatement",
    "source",
    "claimsource",
    "flag",
    "flagsuggestion",
    "outlet",
    "topic",
]
CONFIGURATION_MODELS = ["ratingscale", "rating", "feed", "webhook", "webhookdelivery"]


def ensure_roles(**kwargs) -> None:
    """Create or refresh the role groups and their permissions (idempotent)."""
    perms = Permission.objects.filter(content_type__app_label="claims")
    # Webhook secrets are for admins only.
    view = [p for p in perms if p.codename.startswith("view_") and p.codename != "view_webhook"]
    editorial = [
        p
        for p in perms
        if p.codename.split("_", 1)[1] in EDITORIAL_MODELS and not p.codename.startswith("delete_")
    ]
    everything = list(perms) + list(
        Permission.objects.filter(content_type__app_label__in=["auth", "knox"])
    )
    for name, granted in [
        (READER, view),
        (EDITOR, view + editorial),
        (ADMIN, everything),
    ]:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(granted)


def role_of(user) -> str | None:
    """Return the strongest role a user holds, or None."""
    if not user or not user.is_authenticated:
        return None
    if user.is_superuser:
        return ADMIN
    names = set(user.groups.values_list("name", flat=True))
    for role in (ADMIN, EDITOR, READER):
        if role in names:
            return role
    return None
