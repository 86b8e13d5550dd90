"""The append-only audit trail (DOMAIN.md: every transition and money-relevant change)."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntryImmutable(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditEntryImmutable("Audit entries cannot be changed.")

    def delete(self):
        raise AuditEntryImmutable("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """Who did what to an application, when, from which state to which, and why.

    Append-only three times over: the model refuses to save an existing row or delete
    one, its queryset refuses bulk update and delete, and on PostgreSQL a trigger
    refuses UPDATE and DELETE from any client (migration 0002).
    """

    application = models.ForeignKey(
        "projects.Application",
        on_delete=models.PROTECT,
        related_name="audit_entries",
        verbose_name=_("application"),
    )
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
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.source}→{self.target}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditEntryImmutable("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEntryImmutable("Audit entries cannot be deleted.")


class SentMail(models.Model):
    """One e-mail sent to one recipient for one occasion (``key``), never twice."""

    key = models.CharField(_("occasion"), max_length=200)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient"], name="sent_mail_once"),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.recipient_id}"
