"""What the workflows keep: the e-mails sent (the audit trail is the kernel's, ``core``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
