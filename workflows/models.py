"""What the workflows keep: the e-mails sent (the audit trail is the kernel's, ``core``),
and the admin's view of a call under committee review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grants.models import Call


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


class CallReview(Call):
    """A call seen by the office as the committee's work: its applications under review
    with their tallies (admin only; the same rows as ``grants.Call``)."""

    class Meta:
        proxy = True
        verbose_name = _("call under committee review")
        verbose_name_plural = _("calls under committee review")
