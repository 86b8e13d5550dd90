"""The append-only audit trail (DOMAIN.md: every transition and money-relevant change
writes an entry: who, when, what, from and to, comment; nobody edits or deletes one).

One model for every kind of object: an entry is filed in the trail of one object (an
application, later an organisation or a meeting) through a generic relation, and its
event is namespaced by the kind of thing acted on (``application.submit``,
``payment.approve``, ``vote.cast``), so a new capability writes entries without a new
audit model. Write them with ``core.audit.record``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import Limit, ProseField


class AuditEntryImmutable(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AuditEntryImmutable("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditEntryImmutable("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """Who did what, when, from which state to which, and why.

    Append-only three times over: the model refuses to save an existing row or delete
    one, its queryset refuses bulk update and delete, and on PostgreSQL a trigger
    refuses UPDATE and DELETE from any client (migration 0002).
    """

    # The trail the entry belongs to (the object whose history shows it).
    trail_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind")
    )
    trail_id = models.PositiveBigIntegerField(_("object"))
    trail = GenericForeignKey("trail_type", "trail_id")
    # ``namespace.action`` is the event: the kind of thing acted on, and what was done.
    namespace = models.CharField(_("subject"), max_length=30)
    action = models.CharField(_("action"), max_length=50)
    source = models.CharField(_("from"), max_length=30, blank=True)
    target = models.CharField(_("to"), max_length=30, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    comment = ProseField(_("comment"), max_length=Limit.SUMMARY, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["trail_type", "trail_id", "at"], name="audit_trail_at"),
        ]

    def __str__(self) -> str:
        # Shown by the admin (titles, breadcrumbs): in the office's time, not UTC.
        at = f"{timezone.localtime(self.at):%d.%m.%Y %H:%M}" if self.at else "–"
        return f"{at} {self.event} {self.source}→{self.target}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditEntryImmutable("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditEntryImmutable("Audit entries cannot be deleted.")

    @property
    def event(self) -> str:
        return f"{self.namespace}.{self.action}"


class PendingFileDeletion(models.Model):
    """A stored file to delete once the transaction that let go of it has committed
    (``core.storage.delete_after_commit``). The row is written in that transaction and
    removed when the storage confirms the deletion: a crash or a failing store between
    the two leaves the row, and the next sweep (``retry_pending_deletions``) tries again.
    Nothing but the storage name is kept."""

    name = models.CharField(_("storage name"), max_length=300)
    created_at = models.DateTimeField(_("let go"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    failure = models.TextField(_("last failure"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("file to delete")
        verbose_name_plural = _("files to delete")

    def __str__(self) -> str:
        return self.name
