"""The money of a funded project (DOMAIN.md, "Money"): payout requests (Mittelabruf),
the receipts list (Belegliste) and the proof of use (Verwendungsnachweis) with the actual
financing. Written only by ``workflows.money``; every change is audited in the
application's trail."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.money import MoneyField, format_eur
from core.text import Limit, LineField, ProseField
from projects.lifecycle import ChangeRequestLifecycle, PayoutLifecycle


class PayoutBatch(models.Model):
    """Approved payouts paid together (Zahllauf): the payment order for the municipal
    treasury (Auszahlungsanordnung, a PDF) and the SEPA credit transfer file (pain.001)
    are made for it and kept; marking it paid marks each of its payouts paid in one
    transaction. Written only by ``workflows.money``."""

    class State(models.TextChoices):
        OPEN = "open", _("ordered, not paid yet")
        PAID = "paid", _("paid")

    program = models.ForeignKey(
        "grants.Program",
        on_delete=models.PROTECT,
        related_name="payout_batches",
        verbose_name=_("program"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN, editable=False
    )
    execution_date = models.DateField(_("requested execution date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ordered by"),
    )
    created_at = models.DateTimeField(_("ordered"), auto_now_add=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True, editable=False)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("marked paid by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payout batch (Zahllauf)")
        verbose_name_plural = _("payout batches")

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """``PFD-KO-AO-0003``: the payment order's number (Anordnungsnummer)."""
        return f"{self.program.code}-AO-{self.pk:04d}"


class PayoutRequest(PayoutLifecycle):
    """A payout request (Mittelabruf): requested → approved → paid, or rejected. The sum
    of the requested, approved and paid ones never exceeds the approved grant (the
    service under the application's row lock, and on PostgreSQL a trigger)."""

    application = models.ForeignKey(
        "projects.Application",
        on_delete=models.PROTECT,
        related_name="payouts",
        verbose_name=_("application"),
    )
    amount = MoneyField(_("amount"), validators=[MinValueValidator(Decimal("0.01"))])
    note = ProseField(_("note"), max_length=Limit.NOTE, blank=True)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    window_ends_on = models.DateField(
        _("spending window ends"),
        null=True,
        blank=True,
        help_text=_("ANBest-P / ANBest-Gk 1.4: the money must be spent by this day."),
    )
    batch = models.ForeignKey(
        PayoutBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payouts",
        editable=False,
        verbose_name=_("payout batch"),
    )

    class Meta:
        ordering = ["application", "requested_at", "id"]
        verbose_name = _("payout request (Mittelabruf)")
        verbose_name_plural = _("payout requests")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payout_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {format_eur(self.amount)} ({self.get_state_display()})"

    # The permission predicates ask an object for its program and organisation.
    @property
    def program_id(self) -> int:
        return self.application.program_id

    @property
    def organization_id(self) -> int:
        return self.application.organization_id


class Finding(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    REDUCED = "reduced", _("reduced")
    REFUSED = "refused", _("refused")


class CheckExtent(models.TextChoices):
    FULL = "full", _("in full")
    SAMPLE = "sample", _("by sample")


class Expenditure(models.Model):
    """One line of the receipts list (Belegliste)."""

    application = models.ForeignKey(
        "projects.Application",
        on_delete=models.PROTECT,
        related_name="expenditures",
        verbose_name=_("application"),
    )
    date = models.DateField(_("date"))
    payee = LineField(_("payee"), max_length=Limit.NAME)
    purpose = LineField(_("purpose"), max_length=Limit.LINE)
    category = models.ForeignKey(
        "grants.CostCategory",
        on_delete=models.PROTECT,
        related_name="expenditures",
        verbose_name=_("cost category"),
    )
    amount = MoneyField(_("net amount"), validators=[MinValueValidator(Decimal("0.01"))])
    vat = MoneyField(
        _("VAT"), default=Decimal("0.00"), validators=[MinValueValidator(Decimal("0.00"))]
    )
    receipt_number = LineField(_("receipt number"), max_length=50, blank=True)
    # The office's receipt review (Belegprüfung, VV Nr. 11 zu § 44 BHO).
    receipt_requested = models.BooleanField(_("receipt requested"), default=False, editable=False)
    finding = models.CharField(
        _("finding"), max_length=10, choices=Finding.choices, blank=True, editable=False
    )
    finding_amount = MoneyField(
        _("eligible amount after review"), null=True, blank=True, editable=False
    )
    finding_reason = ProseField(
        _("reason of the finding"), max_length=Limit.NOTE, blank=True, editable=False
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["application", "date", "id"]
        verbose_name = _("expenditure (receipt)")
        verbose_name_plural = _("receipts list")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="expenditure_positive"),
            models.CheckConstraint(condition=models.Q(vat__gte=0), name="expenditure_vat"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.payee}: {format_eur(self.amount)}"

    def claimed(self, deducts_input_tax: bool) -> Decimal:
        """What the receipt claims as cost: net where the sponsor deducts input tax
        (ANBest-P 1.2: "Vorsteuer ... nicht zuwendungsfähig"), else net + VAT."""
        return self.amount if deducts_input_tax else self.amount + self.vat

    def eligible(self, deducts_input_tax: bool) -> Decimal:
        """The amount the statement counts: the claim, or the office's finding."""
        if self.finding == Finding.REFUSED:
            return Decimal("0.00")
        if self.finding == Finding.REDUCED and self.finding_amount is not None:
            return min(self.finding_amount, self.claimed(deducts_input_tax))
        return self.claimed(deducts_input_tax)


class ProofOfUse(models.Model):
    """The proof of use (Verwendungsnachweis): the narrative report (Sachbericht) and the
    actual financing; the numeric statement is computed from the receipts
    (``projects.statement``). Empty actual amounts mean: as planned."""

    application = models.OneToOneField(
        "projects.Application",
        on_delete=models.PROTECT,
        related_name="proof_of_use",
        verbose_name=_("application"),
    )
    narrative = ProseField(
        _("narrative report (Sachbericht)"), max_length=Limit.NARRATIVE, blank=True
    )
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    actual_own_funds = MoneyField(_("actual own funds"), null=True, blank=True)
    actual_third_party_funds = MoneyField(_("actual third-party funds"), null=True, blank=True)
    actual_income = MoneyField(_("actual income"), null=True, blank=True)
    purpose_met = models.BooleanField(
        _("purpose met"), default=True, help_text=_("Fixed-amount financing depends on it.")
    )
    # The sponsor's certification (ANBest-P 6): economical use, the grant's conditions
    # kept, the figures as in the books and receipts.
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("certified by"),
    )
    certified_at = models.DateTimeField(_("certified"), null=True, blank=True, editable=False)
    # The office's check note (Prüfvermerk, VV Nr. 11 zu § 44 BHO).
    check_extent = models.CharField(
        _("extent of the check"), max_length=10, choices=CheckExtent.choices, blank=True
    )
    check_result = ProseField(_("result of the check"), max_length=Limit.NOTE, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("proof of use (Verwendungsnachweis)")
        verbose_name_plural = _("proofs of use")

    def __str__(self) -> str:
        return str(self.application)


class ChangeRequest(ChangeRequestLifecycle):
    """A change request (Änderungsantrag, ANBest-P 5): a later end, or money moved
    between categories beyond the tolerance (``budget_lines``: the whole new plan, same
    total). Granted, it is the plan the statement and the deadlines use from then on;
    the original plan stays as it was."""

    application = models.ForeignKey(
        "projects.Application",
        on_delete=models.PROTECT,
        related_name="change_requests",
        verbose_name=_("application"),
    )
    reason = ProseField(_("reason"), max_length=Limit.COMMENT)
    end_date = models.DateField(_("new end"), null=True, blank=True)
    budget_lines = models.JSONField(
        _("new cost plan"),
        null=True,
        blank=True,
        help_text=_("[{category, description, amount}], the same total as before."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["application", "requested_at", "id"]
        verbose_name = _("change request (Änderungsantrag)")
        verbose_name_plural = _("change requests")

    def __str__(self) -> str:
        return f"{self.application}: {self.get_state_display()}"

    @property
    def program_id(self) -> int:
        return self.application.program_id

    @property
    def organization_id(self) -> int:
        return self.application.organization_id


class InterimProof(models.Model):
    """The interim proof (Zwischennachweis, ANBest-P 6.1) of a project running past
    31 December: a narrative for the year; its statement is the proof of use's, restricted
    to the year's receipts and payouts."""

    application = models.ForeignKey(
        "projects.Application",
        on_delete=models.PROTECT,
        related_name="interim_proofs",
        verbose_name=_("application"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    narrative = ProseField(
        _("narrative report (Sachbericht)"), max_length=Limit.NARRATIVE, blank=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["application", "year"]
        verbose_name = _("interim proof (Zwischennachweis)")
        verbose_name_plural = _("interim proofs")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "year"], name="interim_proof_once_a_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}, {self.year}"
