"""Saving with a history entry that says who changed what and why."""

from django.db import models


def save_with_history(instance: models.Model, *, by=None, reason: str = "", **save_kwargs) -> None:
    """Save ``instance`` so that its history record names the user and the reason."""
    if by is not None and getattr(by, "is_authenticated", False):
        instance._history_user = by
    instance._change_reason = reason[:100] if reason else ""
    instance.save(**save_kwargs)
