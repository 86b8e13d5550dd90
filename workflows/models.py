"""What the workflows keep: the delivery log of every e-mail (the audit trail is the
kernel's, ``core``), and the admin's view of a call under committee review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grants.models import Call


class Delivery(models.Model):
    """One e-mail to one recipient for one occasion (DOMAIN.md, "Reminders"): a
    transition, an invitation, or a reminder rule with its object and due date.

    The row is written (``queued``) and committed before the mail is handed to the mail
    server, and marked ``sent`` after: a worker killed at any point leaves a queued row
    that the next run sends. The one duplicate no mail system can rule out (the server
    accepted, the worker died before recording it) goes out again with the same
    ``message_id``, so mail clients fold the two, and is counted in ``resends``.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    key = models.CharField(_("key"), max_length=255, unique=True)
    occasion = models.CharField(_("occasion"), max_length=100, db_index=True)
    reference = models.CharField(_("reference"), max_length=60, blank=True, db_index=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
        help_text=_("Empty: an address without an account (an invitation)."),
    )
    address = models.EmailField(_("address"))
    due = models.DateField(_("due"), null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=120, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    resends = models.PositiveIntegerField(
        _("resends"),
        default=0,
        help_text=_("Sent again after a crash left it unrecorded (same Message-ID)."),
    )
    failure = models.TextField(_("last failure"), blank=True)
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("delivery log")
        indexes = [models.Index(fields=["state", "queued_at"], name="delivery_state_queued")]

    def __str__(self) -> str:
        return f"{self.key} ({self.state})"


class CallReview(Call):
    """A call seen by the office as the committee's work: its applications under review
    with their tallies (admin only; the same rows as ``grants.Call``)."""

    class Meta:
        proxy = True
        verbose_name = _("call under committee review")
        verbose_name_plural = _("calls under committee review")
