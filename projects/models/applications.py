"""Organisations (Träger), their applications (Anträge) and cost plans."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.money import MoneyField
from core.text import Limit, LineField, ProseField
from projects.lifecycle import ApplicationLifecycle
from projects.states import DecisionMode
from projects.validation import CostPlan


class Organization(models.Model):
    """An applying organisation (Träger). Its members act as sponsors."""

    name = LineField(_("name"), max_length=Limit.NAME)
    legal_form = LineField(_("legal form"), max_length=Limit.SHORT, blank=True)
    is_municipal = models.BooleanField(
        _("municipal body"),
        default=False,
        help_text=_("Municipal sponsors fall under ANBest-Gk (two-month spending window)."),
    )
    address = ProseField(_("address"), max_length=Limit.ADDRESS, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    deducts_input_tax = models.BooleanField(
        _("may deduct input tax (vorsteuerabzugsberechtigt)"),
        default=False,
        help_text=_("Then only net amounts are costs: the plan and every receipt are net."),
    )
    legal_representative = LineField(_("legal representative"), max_length=Limit.NAME, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    account_holder = LineField(_("account holder"), max_length=Limit.NAME, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organizations"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["organization", "user"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"


class Application(ApplicationLifecycle):
    """A project application (Antrag) with its cost and financing plan.

    ``total_costs`` and ``requested_amount`` are stored, not only computed: lists, filters
    and the funder reports read them without touching the lines. The services keep them
    equal to the lines (``projects.services._store_cost_plan``).
    """

    reference = models.CharField(
        _("file number"), max_length=40, unique=True, null=True, blank=True, editable=False
    )
    call = models.ForeignKey(
        "grants.Call",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("call"),
    )
    # Denormalised from call.program: every permission and list filter is per program.
    program = models.ForeignKey(
        "grants.Program",
        on_delete=models.PROTECT,
        related_name="applications",
        editable=False,
        verbose_name=_("program"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    title = LineField(_("title"), max_length=Limit.NAME)
    summary = ProseField(_("summary"), max_length=Limit.SUMMARY, blank=True)
    field_of_action = LineField(_("field of action"), max_length=Limit.NAME, blank=True)
    target_group = LineField(_("target group"), max_length=Limit.NAME, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    expected_participants = models.PositiveIntegerField(
        _("expected participants"), null=True, blank=True
    )
    own_funds = MoneyField(
        _("own funds"), default=Decimal("0.00"), validators=[MinValueValidator(Decimal("0"))]
    )
    third_party_funds = MoneyField(
        _("third-party funds"), default=Decimal("0.00"), validators=[MinValueValidator(0)]
    )
    expected_income = MoneyField(
        _("expected income"),
        default=Decimal("0.00"),
        validators=[MinValueValidator(0)],
        help_text=_("E.g. participant fees (Einnahmen)."),
    )
    total_costs = MoneyField(_("total costs"), default=Decimal("0.00"), editable=False)
    requested_amount = MoneyField(_("requested grant"), default=Decimal("0.00"), editable=False)
    approved_amount = MoneyField(_("approved grant"), null=True, blank=True, editable=False)
    approved_costs = MoneyField(
        _("approved eligible costs"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when the grant is approved below the request: the approved plan."),
    )
    # VV Nr. 1.3 zu § 44 BHO: an early start (vorzeitiger Maßnahmebeginn), asked for
    # with the application, granted (with its day) or refused by the office.
    early_start_from = models.DateField(_("early start asked from"), null=True, blank=True)
    early_start_reason = ProseField(
        _("reason for the early start"), max_length=Limit.NOTE, blank=True
    )
    early_start_decision = models.CharField(
        _("early start"),
        max_length=10,
        choices=[("granted", _("granted")), ("refused", _("refused"))],
        blank=True,
        editable=False,
    )
    early_start_granted_from = models.DateField(
        _("early start granted from"), null=True, blank=True, editable=False
    )
    conditions = ProseField(
        _("conditions (Auflagen)"), max_length=Limit.SUMMARY, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    forwarded_at = models.DateTimeField(
        _("put before the committee"), null=True, blank=True, editable=False
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    # DOMAIN.md, "Committee review": decided in writing (Umlaufverfahren) unless a member
    # objects or the office puts it on a meeting's agenda.
    decision_mode = models.CharField(
        _("decision mode"),
        max_length=10,
        choices=DecisionMode.choices,
        default=DecisionMode.WRITTEN,
        editable=False,
    )
    voting_extended_until = models.DateTimeField(
        _("written vote reopened until"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when the office reopens the written vote after the call's deadline."),
    )
    # Proof of use, revocation and repayment (DOMAIN.md, lifecycle from ``funded`` on).
    proof_submitted_at = models.DateTimeField(
        _("proof of use submitted"), null=True, blank=True, editable=False
    )
    retention_until = models.DateField(
        _("keep the records until"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("ANBest-P Nr. 6: the proof's submission plus the program's retention years."),
    )
    proof_accepted_at = models.DateTimeField(
        _("proof of use accepted"), null=True, blank=True, editable=False
    )
    proven_amount = MoneyField(
        _("grant proven"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The eligible grant of the accepted proof of use."),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, editable=False)
    hearing_on = models.DateField(_("hearing (Anhörung) on"), null=True, blank=True, editable=False)
    reclaim_amount = MoneyField(_("amount to repay"), null=True, blank=True, editable=False)
    reclaim_set_on = models.DateField(
        _("repayment demanded on"), null=True, blank=True, editable=False
    )
    interest_from = models.DateField(
        _("grant ceased to be effective on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Empty: each payout's own day (a revocation with effect for the past)."),
    )
    interest_from_reason = ProseField(
        _("reason for the effective date"), max_length=Limit.NOTE, blank=True, editable=False
    )
    interest_waived = models.BooleanField(_("interest waived"), default=False, editable=False)
    repaid_amount = MoneyField(_("repaid amount"), null=True, blank=True, editable=False)
    repaid_on = models.DateField(_("repaid on"), null=True, blank=True, editable=False)
    interest_amount = MoneyField(_("interest"), null=True, blank=True, editable=False)
    # Data protection (DOMAIN.md, "Data protection"; ``workflows.retention``).
    retention_hold = ProseField(
        _("kept beyond the retention period because"),
        max_length=Limit.NOTE,
        blank=True,
        editable=False,
        help_text=_("A pending audit or lawsuit: while set, the retention sweep skips the file."),
    )
    retention_held_at = models.DateTimeField(_("held since"), null=True, blank=True, editable=False)
    retention_held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("held by"),
    )
    erased_at = models.DateTimeField(
        _("personal data erased"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the retention sweep deleted its files and erased its personal data."),
    )
    # Its audit trail; ``AuditEntry.objects.filter(application=...)`` reads it too.
    audit_entries = GenericRelation(
        "core.AuditEntry",
        content_type_field="trail_type",
        object_id_field="trail_id",
        related_query_name="application",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["program", "state"], name="application_program_state"),
            # The office's visibility filter and its list count (bench/api_list.py).
            models.Index(fields=["program", "submitted_at"], name="application_program_submitted"),
            models.Index(fields=["organization", "-created_at"], name="application_org_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(own_funds__gte=0)
                & models.Q(third_party_funds__gte=0)
                & models.Q(expected_income__gte=0),
                name="application_funds_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(approved_amount__isnull=True)
                | models.Q(approved_amount__lte=models.F("requested_amount")),
                name="application_approved_not_above_requested",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or _('draft')}: {self.title}"

    def cost_lines(self) -> list[Any]:
        """The cost plan's lines in order, each with ``category_code``, ``description``
        and ``amount``: what the list selector prefetched (``prefetched_lines``: budget
        lines, or ``selectors.PlanLine`` values for a page of the list), else Django's
        prefetch cache or one query."""
        try:
            return self.prefetched_lines
        except AttributeError:
            return list(self.budget_lines.all())

    def cost_plan(self) -> CostPlan:
        """Reads the lines through the prefetch when the caller prefetched them."""
        return CostPlan(
            start_date=self.start_date,
            end_date=self.end_date,
            own_funds=self.own_funds,
            third_party_funds=self.third_party_funds,
            expected_income=self.expected_income,
            financing_type=self.program.financing_type,
            line_amounts=tuple(line.amount for line in self.cost_lines()),
        )


class BudgetLine(models.Model):
    """One line of the cost plan (Kosten- und Finanzierungsplan)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.ForeignKey(
        "grants.CostCategory",
        on_delete=models.PROTECT,
        related_name="budget_lines",
        verbose_name=_("cost category"),
    )
    description = LineField(_("description"), max_length=Limit.LINE)
    amount = MoneyField(_("amount"), validators=[MinValueValidator(Decimal("0.01"))])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["application", "position", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="budget_line_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.description}"


class ReferenceCounter(models.Model):
    """The last file number handed out per program and year (see ``allocate_reference``)."""

    program = models.ForeignKey("grants.Program", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "year"], name="reference_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}/{self.year}: {self.last_number}"


class Invitation(models.Model):
    """An invitation to join an organisation, sent to an e-mail address (DOMAIN.md:
    nobody is added to an organisation without consent)."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-mail"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("invited by"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["email", "state"], name="invitation_email_state")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=models.Q(state="open"),
                name="invitation_one_open_per_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"
