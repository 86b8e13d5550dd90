"""Files attached to an application and what belongs to it (DOMAIN.md, "Attachments"):
annexes, receipt scans, proof-of-use files, a change request's justification, the
office's own files. Written only by ``workflows.attachments``; the bytes go through
Django's storage API under a path of their own, never the client's file name."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import Limit, LineField, ProseField


class Owner(models.TextChoices):
    """What a file is attached to; all of them belong to one application."""

    APPLICATION = "application", _("application (annex)")
    OFFICE = "office", _("office's file on the application")
    RECEIPT = "receipt", _("receipts-list line (receipt scan)")
    PROOF_OF_USE = "proof_of_use", _("proof of use")
    INTERIM_PROOF = "interim_proof", _("interim proof")
    CHANGE_REQUEST = "change_request", _("change request")


class ScanState(models.TextChoices):
    PENDING = "pending", _("waiting for the virus scan")
    CLEAN = "clean", _("clean")
    INFECTED = "infected", _("infected (deleted)")
    FAILED = "failed", _("scan failed")


def attachment_path(attachment: Attachment, filename: str) -> str:
    """``attachments/PFD-KO/42/<sha256>``: one file per content and application, never
    named by the client."""
    program = attachment.application.program.code
    return f"attachments/{program}/{attachment.application_id}/{attachment.sha256}"


class Attachment(models.Model):
    application = models.ForeignKey(
        "projects.Application",
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=_("application"),
    )
    owner = models.CharField(_("attached to"), max_length=20, choices=Owner.choices)
    owner_id = models.PositiveBigIntegerField(
        _("object"), null=True, blank=True, help_text=_("The line, interim proof or change.")
    )
    annex_type = models.ForeignKey(
        "grants.AnnexType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("kind"),
        help_text=_("The call's annex type; empty: other."),
    )
    description = ProseField(_("description"), max_length=Limit.NOTE, blank=True)
    original_name = LineField(_("original file name"), max_length=Limit.NAME)
    content_type = models.CharField(_("content type (detected)"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    scan_state = models.CharField(
        _("virus scan"), max_length=10, choices=ScanState.choices, default=ScanState.PENDING
    )
    scan_verdict = LineField(_("scanner's verdict"), max_length=Limit.LINE, blank=True)
    scanned_at = models.DateTimeField(_("scanned"), null=True, blank=True)

    class Meta:
        ordering = ["application", "uploaded_at", "id"]
        verbose_name = _("attachment (Anlage)")
        verbose_name_plural = _("attachments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "owner", "owner_id", "sha256"],
                name="attachment_once_per_content_and_owner",
            )
        ]
        indexes = [models.Index(fields=["application", "owner"], name="attachment_owner")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def program_id(self) -> int:
        return self.application.program_id

    @property
    def organization_id(self) -> int:
        return self.application.organization_id
