"""Helpers shared by the apps' services."""

from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models

from core.errors import InvalidInput

M = TypeVar("M", bound=models.Model)


def validated(instance: M, **options: Any) -> M:
    """Run the model's own validation (``clean`` and friends) as a service error."""
    try:
        instance.full_clean(**options)
    except DjangoValidationError as exc:
        raise InvalidInput(errors=exc.message_dict) from None
    return instance


def apply_changes(instance: M, fields: dict[str, Any], *, validate: bool = False) -> M:
    """Set the given fields and save; with ``validate``, the model's rules run first."""
    for name, value in fields.items():
        setattr(instance, name, value)
    if validate:
        validated(instance)
    instance.save()
    return instance
