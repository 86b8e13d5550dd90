"""Helpers shared by the apps' services."""

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def apply_changes(instance: M, fields: dict[str, Any]) -> M:
    """Set validated fields and save only those (plus auto-updated timestamps)."""
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.save()
    return instance
