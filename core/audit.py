"""Writing to and reading from the audit trail: the one helper every service uses."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
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


# -- pseudonymisation: the one change the trail allows (DOMAIN.md, "Data protection") ------

Rewrite = Callable[[str, dict[str, Any]], tuple[str, dict[str, Any]]]


def pseudonymise(entries: models.QuerySet[AuditEntry], rewrite: Rewrite) -> int:
    """Replace personal data in the ``comment`` and ``data`` of ``entries`` by what
    ``rewrite(comment, data)`` answers; everything else of an entry (its event, trail,
    actor, time, states) stays. The only way an entry changes: on PostgreSQL the
    append-only trigger lets an UPDATE through only from the database function
    ``core_auditentry_pseudonymise`` and only when no other column changes (core
    migration 0005). Answers how many entries changed."""
    from django.db import connection

    changes = []
    for pk, comment, data in entries.values_list("pk", "comment", "data").order_by("pk"):
        new_comment, new_data = rewrite(comment, data or {})
        if new_comment != comment or new_data != (data or {}):
            changes.append((pk, new_comment, new_data))
    if not changes:
        return 0
    if connection.vendor == "postgresql":
        # One statement however many entries change: the function once per row.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT core_auditentry_pseudonymise(x.id, x.comment, x.data::jsonb) "
                "FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS x(id, comment, data)",
                [
                    [pk for pk, _comment, _data in changes],
                    [comment for _pk, comment, _data in changes],
                    [json.dumps(data, cls=DjangoJSONEncoder) for _pk, _comment, data in changes],
                ],
            )
    else:  # SQLite: the model's and queryset's guards are the only ones; pass them here
        for pk, comment, data in changes:
            models.QuerySet.update(AuditEntry.objects.filter(pk=pk), comment=comment, data=data)
    return len(changes)


def mentioning(terms: list[str]) -> models.Q:
    """Entries whose comment or data name one of ``terms`` (case-insensitive), the data
    searched in its stored text both as written and as JSON escapes it (``\\u00fc``
    for ü). Terms shorter than three characters are not looked for."""
    found = models.Q(pk__in=[])
    for term in terms:
        if term and len(term) >= 3:
            for variant in {term, json.dumps(term)[1:-1]}:
                found |= models.Q(comment__icontains=variant) | models.Q(
                    data_text__icontains=variant
                )
    return found


def entries_naming(terms: list[str], also: models.Q | None = None) -> models.QuerySet[AuditEntry]:
    """The entries that name one of ``terms`` in their words, or match ``also`` (e.g.
    the person as actor): for a person's export and for the erasure of their account."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    condition = mentioning(terms) | (also or models.Q(pk__in=[]))
    return AuditEntry.objects.filter(
        pk__in=AuditEntry.objects.annotate(data_text=Cast("data", TextField()))
        .filter(condition)
        .values("pk")
    )


def replacing(terms: list[str], by: str) -> Rewrite:
    """A rewrite that replaces every occurrence of each of ``terms`` (case-insensitive,
    longest first) in the comment and in every text of the data by ``by``."""
    words = sorted({term for term in terms if term and len(term) >= 3}, key=len, reverse=True)
    if not words:
        return lambda comment, data: (comment, data)
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)

    def text(value: Any) -> Any:
        if isinstance(value, str):
            return pattern.sub(by, value)
        if isinstance(value, dict):
            return {key: text(item) for key, item in value.items()}
        if isinstance(value, list):
            return [text(item) for item in value]
        return value

    return lambda comment, data: (text(comment), text(data))


def erasing(keys: frozenset[str], by: str) -> Rewrite:
    """A rewrite that empties the comment and replaces the value of each of ``keys``
    (at any depth of the data) by ``by``: a deleted file's trail keeps what happened,
    when and by whom, and the figures, without the words."""

    def scrub(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: (by if key in keys and item not in ("", None) else scrub(item))
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [scrub(item) for item in value]
        return value

    return lambda comment, data: ("", scrub(data))
