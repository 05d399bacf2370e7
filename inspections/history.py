"""Saving a row with its history record: who changed it and why (django-simple-history)."""

from __future__ import annotations

from typing import Any

from django.db import models


def save_recorded(instance: models.Model, *, user: Any, reason: str | None = None, **save_options: Any) -> None:
    """Save `instance`; its history record names `user` (None: a script or the operator) and `reason`."""
    setattr(instance, "_history_user", user)  # noqa: B010 - django-simple-history reads these attributes
    if reason:
        setattr(instance, "_change_reason", reason)  # noqa: B010
    instance.save(**save_options)


def delete_recorded(instance: models.Model, *, user: Any, reason: str | None = None) -> None:
    """Delete `instance`; its last history record names `user` and `reason`."""
    setattr(instance, "_history_user", user)  # noqa: B010
    if reason:
        setattr(instance, "_change_reason", reason)  # noqa: B010
    instance.delete()
