"""Writing to and reading from the audit trail: the one helper every service uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.signals import pre_delete

from core.models import AuditEntry

# event → what to call with the entry's id once the transaction that wrote it commits.
_SUBSCRIBERS: dict[str, list[Callable[[int], Any]]] = {}


def subscribe(event: str, handler: Callable[[int], Any]) -> None:
    """Call ``handler(entry_id)`` after commit whenever ``event`` is recorded. How an upper
    layer (``workflows``: e-mail) reacts to what a lower one did, without being imported
    by it."""
    handlers = _SUBSCRIBERS.setdefault(event, [])
    if handler not in handlers:
        handlers.append(handler)


def record(
    *,
    event: str,
    trail: models.Model,
    actor: Any = None,
    source: str = "",
    target: str = "",
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to ``trail``'s history. ``event`` is namespaced:
    ``application.submit``, ``application.update``, ``payment.approve``, ``vote.cast``.

    Call it inside the transaction that makes the change, so both land or neither does.
    """
    namespace, separator, action = event.partition(".")
    if not (namespace and separator and action):
        raise ValueError(f"An audit event is 'namespace.action', not {event!r}.")
    entry = AuditEntry.objects.create(
        trail_type=ContentType.objects.get_for_model(trail, for_concrete_model=False),
        trail_id=trail.pk,
        namespace=namespace,
        action=action,
        source=source,
        target=target,
        actor=actor,
        comment=comment,
        data=data or {},
    )
    for handler in _SUBSCRIBERS.get(event, ()):
        transaction.on_commit(lambda handler=handler: handler(entry.pk))
    return entry


def trail_of(obj: models.Model) -> models.QuerySet[AuditEntry]:
    """Every entry filed in ``obj``'s trail, oldest first."""
    return AuditEntry.objects.filter(
        trail_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        trail_id=obj.pk,
    ).select_related("actor")


def _refuse_delete_of_audited(sender: type[models.Model], instance: models.Model, **kwargs: Any):
    if trail_of(instance).exists():
        raise models.ProtectedError(
            f"{instance} has an audit trail and cannot be deleted.", {instance}
        )


def protect_trails_of(model: type[models.Model]) -> None:
    """Refuse to delete an object of ``model`` that has audit entries (decision 004).

    A generic relation has no ``on_delete``: without this, deleting the object would
    delete its trail with it (on PostgreSQL the trigger refuses; SQLite would not).
    """
    pre_delete.connect(
        _refuse_delete_of_audited, sender=model, dispatch_uid=f"protect-trail-{model._meta.label}"
    )
