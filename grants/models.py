"""Programs (Förderprogramme), their calls, cost categories, and who holds which role."""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import MoneyField
from core.text import Limit, LineField, ProseField
from core.uploads import ALLOWED as ALLOWED_FILE_TYPES


def username_key(username: str) -> str:
    """The form in which two usernames are the same: NFKC (``ｔraeger`` is ``traeger``)
    and case-folded (``Traeger.Koblenz`` is ``traeger.koblenz``), as e-mail addresses are
    compared. Sign-in, the lockout and uniqueness all use it."""
    return unicodedata.normalize("NFKC", username or "").casefold()


# Erased accounts are named "gelöschtes Konto <id>": nobody else may take such a name.
RESERVED_USERNAME = "gelöschtes konto"


class UserManager(DjangoUserManager):
    def get_by_natural_key(self, username: str) -> User:
        # Django's ModelBackend signs in through this: any spelling of the name.
        return self.get(username_key=username_key(username))


class User(AbstractUser):
    """A person signing in. Roles come from ProgramRole and organisation memberships.

    The username is kept as typed (NFKC-normalised), and unique in its ``username_key``
    (case-folded): a look-alike beside an existing account is refused."""

    first_name = LineField(_("first name"), max_length=150, blank=True)
    last_name = LineField(_("last name"), max_length=150, blank=True)
    username_key = models.CharField(max_length=150, unique=True, editable=False)

    class Language(models.TextChoices):
        GERMAN = "de", _("German")
        ENGLISH = "en", _("English")

    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.GERMAN
    )
    optional_notifications = models.BooleanField(
        _("optional reminders"),
        default=True,
        help_text=_(
            "Reminders of deadlines with legal effect are always sent; the others only "
            "while this is on."
        ),
    )

    verified_email = models.EmailField(
        _("verified e-mail address"),
        blank=True,
        editable=False,
        help_text=_(
            "The address its owner proved by opening a link sent to it, or that an "
            "administrator entered; only a verified address matches invitations."
        ),
    )

    # DSGVO Art. 17 (``workflows.privacy``): asked for, then erased at once or, while a
    # retention period still needs the account, locked until the sweep erases it.
    erasure_requested_at = models.DateTimeField(
        _("erasure requested"), null=True, blank=True, editable=False
    )
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self) -> None:
        super().clean()  # NFKC-normalises the username
        key = username_key(self.username)
        limit = self._meta.get_field("username").max_length
        if len(self.username) > limit or len(key) > limit:
            # NFKC and case-folding lengthen some characters ("ﷺ" is 18 letters).
            raise ValidationError(
                {
                    "username": _("The username is too long once normalised (%(max)s).")
                    % {"max": limit}
                }
            )
        if key.startswith(RESERVED_USERNAME):
            # The pseudonym of an erased account ("gelöschtes Konto 17", workflows.privacy).
            raise ValidationError({"username": _("This username is reserved.")})
        taken = User.objects.filter(username_key=key)
        if taken.exclude(pk=self.pk).exists():
            raise ValidationError({"username": _("A user with that username already exists.")})

    @property
    def email_verified(self) -> bool:
        """The account's present address is the one that was verified (changing the
        address ends its verification)."""
        return bool(self.email) and self.email.strip().lower() == self.verified_email.lower()

    def save(self, *args, **kwargs) -> None:
        self.username = self.normalize_username(self.username)
        self.username_key = username_key(self.username)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username_key"}
        super().save(*args, **kwargs)


class FinancingType(models.TextChoices):
    """VV zu § 44 BHO, Nr. 2.2."""

    DEFICIT = "deficit", _("Deficit financing (Fehlbedarfsfinanzierung)")
    SHARE = "share", _("Share financing (Anteilfinanzierung)")
    FIXED = "fixed", _("Fixed-amount financing (Festbetragsfinanzierung)")
    FULL = "full", _("Full financing (Vollfinanzierung)")


class ForwardingForm(models.TextChoices):
    """VV Nr. 12 zu § 44 BHO: how the grant is passed on to the sponsor."""

    DECISION = "decision", _("decision (Weiterleitungsbescheid)")
    CONTRACT = "contract", _("contract (Weiterleitungsvertrag)")


class Delivery(models.TextChoices):
    """How a decision reaches the sponsor; § 41 Abs. 2 VwVfG counts it notified on the
    fourth day after posting or sending."""

    POST = "post", _("by post")
    ELECTRONIC = "electronic", _("electronically")


class ReportFrequency(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    YEARLY = "yearly", _("yearly")


percent_validators = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
program_code_validator = RegexValidator(
    r"^[A-Z0-9]+(-[A-Z0-9]+)*$",
    _("Use upper-case letters, digits and single hyphens, e.g. PFD-KO."),
)


FEDERAL_STATES = [
    ("BB", "Brandenburg"),
    ("BE", "Berlin"),
    ("BW", "Baden-Württemberg"),
    ("BY", "Bayern"),
    ("HB", "Bremen"),
    ("HE", "Hessen"),
    ("HH", "Hamburg"),
    ("MV", "Mecklenburg-Vorpommern"),
    ("NI", "Niedersachsen"),
    ("NW", "Nordrhein-Westfalen"),
    ("RP", "Rheinland-Pfalz"),
    ("SH", "Schleswig-Holstein"),
    ("SL", "Saarland"),
    ("SN", "Sachsen"),
    ("ST", "Sachsen-Anhalt"),
    ("TH", "Thüringen"),
]
month_day_validator = RegexValidator(
    r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
    _("Use month-day, e.g. 04-30."),
)


class Program(models.Model):
    """A funding program with the rules of its guidelines; every rule has DOMAIN.md's default."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[program_code_validator],
        help_text=_("Short upper-case code used in file numbers, e.g. PFD-KO."),
    )
    name = LineField(_("name"), max_length=Limit.NAME)
    funder_name = LineField(_("funder"), max_length=Limit.NAME)
    committee_name = LineField(
        _("committee name"), max_length=Limit.NAME, default="Begleitausschuss"
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR", editable=False)
    year_budget = MoneyField(_("budget per year"), default=Decimal("0.00"))
    min_grant = MoneyField(_("minimum grant"), default=Decimal("0.00"))
    max_grant = MoneyField(_("maximum grant"), default=Decimal("10000.00"))
    min_own_share_percent = models.DecimalField(
        _("minimum own contribution (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=percent_validators,
    )
    financing_type = models.CharField(
        _("financing type"),
        max_length=10,
        choices=FinancingType.choices,
        default=FinancingType.DEFICIT,
    )
    fast_track_ceiling = MoneyField(_("fast-track ceiling"), default=Decimal("500.00"))
    spending_window_days = models.PositiveSmallIntegerField(
        _("spending window after payout (days)"), default=42
    )
    proof_of_use_due_days = models.PositiveSmallIntegerField(
        _("proof of use due after project end (days)"), default=42
    )
    proof_of_use_due_months = models.PositiveSmallIntegerField(
        _("proof of use due after project end (months)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(6)],
        help_text=_(
            "Set it for a period in months (ANBest-P 6.1: up to six); it replaces the days."
        ),
    )
    repayment_months = models.PositiveSmallIntegerField(
        _("repayment period after notification (months)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    decisions_sent = models.CharField(
        _("decisions are sent"),
        max_length=10,
        choices=Delivery.choices,
        default=Delivery.ELECTRONIC,
        help_text=_("§ 41 Abs. 2 VwVfG: notified on the fourth day after posting or sending."),
    )
    forwarding_form = models.CharField(
        _("form of forwarding"),
        max_length=10,
        choices=ForwardingForm.choices,
        default=ForwardingForm.DECISION,
    )
    authority_name = LineField(_("issuing authority"), max_length=Limit.NAME, blank=True)
    authority_address = ProseField(
        _("address of the issuing authority"), max_length=Limit.ADDRESS, blank=True
    )
    authority_signatory = LineField(
        _("signatory of the issuing authority"), max_length=Limit.NAME, blank=True
    )
    receipt_scans = models.CharField(
        _("receipts are attached as scans"),
        max_length=12,
        choices=[("on_request", _("on request only")), ("always", _("always"))],
        default="on_request",
        help_text=_(
            "Always: the proof of use is submitted only with a clean scan of every receipt."
        ),
    )
    attachment_types = models.JSONField(
        _("file types accepted"),
        default=list,
        blank=True,
        help_text=_(
            "Empty: every type DOMAIN.md allows (PDF, JPEG, PNG, Office, text); else a "
            "narrower list of those content types."
        ),
    )
    treasury_name = LineField(
        _("paying treasury (Kasse)"),
        max_length=Limit.NAME,
        blank=True,
        help_text=_("The account holder the payouts are made from, e.g. Stadtkasse Koblenz."),
    )
    treasury_iban = models.CharField(_("IBAN of the treasury"), max_length=34, blank=True)
    treasury_bic = models.CharField(_("BIC of the treasury"), max_length=11, blank=True)
    category_tolerance_percent = models.DecimalField(
        _("cost category tolerance (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=percent_validators,
    )
    quorum_min = models.PositiveSmallIntegerField(
        _("minimum number of votes for a quorum"), default=3
    )
    retention_years = models.PositiveSmallIntegerField(_("document retention (years)"), default=5)
    report_frequency = models.CharField(
        _("funder report frequency"),
        max_length=10,
        choices=ReportFrequency.choices,
        default=ReportFrequency.QUARTERLY,
    )
    funder_contacts = models.JSONField(
        _("funder contacts"), default=list, blank=True, help_text=_("E-mail addresses.")
    )
    interim_proof_due = models.CharField(
        _("interim proof due (month-day)"),
        max_length=5,
        default="04-30",
        validators=[month_day_validator],
        help_text=_("ANBest-P 6.1: for projects running past 31 December, in the next year."),
    )
    state = models.CharField(
        _("federal state"),
        max_length=2,
        choices=FEDERAL_STATES,
        default="RP",
        help_text=_("Its public holidays move sponsors' deadlines (§ 31 VwVfG)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_grant__gte=models.F("min_grant")),
                name="program_min_grant_not_above_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def save(self, *args, **kwargs) -> None:
        """A new program gets its default decision body (DOMAIN.md: every program has one),
        whoever creates it: the service, the admin, a fixture."""
        creating = self._state.adding
        with transaction.atomic():
            super().save(*args, **kwargs)
            if creating:
                DecisionBody.objects.create(
                    program=self,
                    name=self.committee_name,
                    kind=DecisionBody.Kind.COMMITTEE,
                    is_default=True,
                )

    def default_body(self) -> DecisionBody:
        return self.bodies.get(is_default=True)

    def clean(self) -> None:
        """The program's rules fit together (the percentages are 0–100 by their validators):
        the minimum grant is not above the maximum, and the office cannot fast-track more
        than any application may receive."""
        problems = {}
        if self.min_grant is not None and self.max_grant is not None:
            if self.min_grant > self.max_grant:
                problems["max_grant"] = _("The maximum grant must not be below the minimum.")
            elif self.fast_track_ceiling is not None and self.fast_track_ceiling > self.max_grant:
                problems["fast_track_ceiling"] = _(
                    "The fast-track ceiling must not be above the maximum grant."
                )
        types = self.attachment_types
        if not isinstance(types, list) or not set(types) <= set(ALLOWED_FILE_TYPES):
            problems["attachment_types"] = _("Only these types: %(types)s.") % {
                "types": ", ".join(ALLOWED_FILE_TYPES)
            }
        if self.interim_proof_due:
            try:
                month, day = (int(part) for part in self.interim_proof_due.split("-"))
                date(2001, month, day)  # not a leap year: 02-29 would not always exist
            except ValueError:
                problems["interim_proof_due"] = _("This day does not exist every year.")
        if problems:
            raise ValidationError(problems)


class DecisionBody(models.Model):
    """A decision body (Gremium) of a program: the advisory committee (Begleitausschuss),
    or for instance a youth forum (Jugendforum) deciding the youth fund. Each call names
    the body that decides its applications; every program has a default body."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("advisory committee (Begleitausschuss)")
        YOUTH_FORUM = "youth_forum", _("youth forum (Jugendforum)")
        OTHER = "other", _("other decision body")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="bodies", verbose_name=_("program")
    )
    name = LineField(_("name"), max_length=Limit.NAME)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMITTEE)
    is_default = models.BooleanField(_("default body"), default=False, editable=False)
    conflicted_in_quorum_base = models.BooleanField(
        _("conflicted members count in the quorum base"),
        default=True,
        help_text=_(
            "§ 90 VwVfG read strictly: a conflicted member still counts among the members "
            "of whom more than half must take part. Off if the body's rules say otherwise."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["program", "-is_default", "name", "id"]
        verbose_name = _("decision body")
        verbose_name_plural = _("decision bodies")
        constraints = [
            models.UniqueConstraint(
                fields=["program"],
                condition=models.Q(is_default=True),
                name="decision_body_one_default",
            ),
            models.UniqueConstraint(fields=["program", "name"], name="decision_body_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.program.code})"


class ProgramRole(models.Model):
    """A user's role in one program: office, funder contact, or member of one of its
    decision bodies (committee), voting or advisory, perhaps chair or a member's deputy,
    from and until given days."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("coordinating office (Koordinierungs- und Fachstelle)")
        COMMITTEE = "committee", _("committee member (Begleitausschuss)")
        FUNDER = "funder", _("funder (Zuwendungsgeber)")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="roles", verbose_name=_("program")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="program_roles",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Kind.choices)
    body = models.ForeignKey(
        DecisionBody,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("decision body"),
        help_text=_("Committee only; empty: the program's default body."),
    )
    voting = models.BooleanField(
        _("voting member"),
        default=True,
        help_text=_("Committee only: advisory members do not vote."),
    )
    chair = models.BooleanField(_("chair"), default=False)
    deputy_chair = models.BooleanField(
        _("deputy chair"),
        default=False,
        help_text=_("Chairs when the chair is absent or conflicted."),
    )
    deputy_for = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputies",
        verbose_name=_("deputy for (Stellvertretung)"),
        help_text=_("The voting member this member stands in for."),
    )
    valid_from = models.DateField(_("member from"), null=True, blank=True)
    valid_until = models.DateField(_("member until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["program", "role", "body", "user"]
        verbose_name = _("program role")
        verbose_name_plural = _("program roles")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user", "role"],
                condition=~models.Q(role="committee"),
                name="program_role_unique_per_user",
            ),
            models.UniqueConstraint(
                fields=["body", "user"],
                condition=models.Q(role="committee"),
                name="program_role_one_seat_per_body",
            ),
            models.UniqueConstraint(
                fields=["body"], condition=models.Q(chair=True), name="program_role_one_chair"
            ),
            models.UniqueConstraint(
                fields=["body"],
                condition=models.Q(deputy_chair=True),
                name="program_role_one_deputy_chair",
            ),
            models.UniqueConstraint(
                fields=["deputy_for"],
                condition=models.Q(deputy_for__isnull=False),
                name="program_role_one_deputy_per_member",
            ),
            models.CheckConstraint(
                condition=models.Q(role="committee", body__isnull=False)
                | (~models.Q(role="committee") & models.Q(body__isnull=True)),
                name="program_role_body_iff_committee",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="program_role_until_not_before_from",
            ),
        ]

    def __str__(self) -> str:
        where = self.body.name if self.body_id else self.program.code
        return f"{self.user} · {self.get_role_display()} · {where}"

    def save(self, *args, **kwargs) -> None:
        # DOMAIN.md / CONTRACT.md: committee roles without a body belong to the default one.
        if self.role == self.Kind.COMMITTEE and self.body_id is None and self.program_id:
            self.body = self.program.default_body()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """DOMAIN.md, "Committee review": members vote or advise, one of them chairs; a
        deputy stands in for one voting member of the same body."""
        problems: dict[str, list] = {}
        committee = self.role == self.Kind.COMMITTEE
        if committee and self.body_id is None and self.program_id:
            self.body = self.program.default_body()
        if self.chair and not committee:
            problems["chair"] = [_("Only a committee member can chair.")]
        if self.deputy_chair and (not committee or self.chair or not self.voting):
            problems["deputy_chair"] = [
                _("The deputy chair is a voting committee member other than the chair.")
            ]
        if self.body_id and not committee:
            problems["body"] = [_("Only committee members belong to a decision body.")]
        if self.body_id and self.program_id and self.body.program_id != self.program_id:
            problems["body"] = [_("This decision body belongs to another program.")]
        if self.deputy_for_id:
            principal = self.deputy_for
            if not committee:
                problems["deputy_for"] = [_("Only a committee member can be a deputy.")]
            elif principal.role != self.Kind.COMMITTEE or principal.body_id != self.body_id:
                problems["deputy_for"] = [_("A deputy stands in for a member of the same body.")]
            elif principal.deputy_for_id or not principal.voting:
                problems["deputy_for"] = [_("A deputy stands in for a voting member.")]
            elif principal.user_id == self.user_id:
                problems["deputy_for"] = [_("Nobody is their own deputy.")]
            if self.chair:
                problems["chair"] = [_("A deputy cannot chair the body.")]
            if self.deputy_chair:
                problems["deputy_chair"] = [_("A deputy cannot chair the body.")]
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            problems["valid_until"] = [_("The membership cannot end before it starts.")]
        if problems:
            raise ValidationError(problems)

    def is_active_on(self, day: date) -> bool:
        """DOMAIN.md: membership from/until; a former member cannot vote."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class CostCategory(models.Model):
    """A cost category (Kostenart) of one program."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="categories", verbose_name=_("program")
    )
    code = models.SlugField(_("code"), max_length=40)
    name = LineField(_("name"), max_length=Limit.NAME)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["program", "position", "code"]
        verbose_name = _("cost category")
        verbose_name_plural = _("cost categories")
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="cost_category_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Call(models.Model):
    """A call for applications (Förderaufruf) with its deadline and budget."""

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="calls", verbose_name=_("program")
    )
    title = LineField(_("title"), max_length=Limit.NAME)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("submission deadline"))
    budget = MoneyField(_("budget"), default=Decimal("0.00"))
    vote_deadline = models.DateTimeField(_("committee vote deadline"), null=True, blank=True)
    body = models.ForeignKey(
        DecisionBody,
        on_delete=models.PROTECT,
        blank=True,
        related_name="calls",
        verbose_name=_("decision body"),
        help_text=_("The body that decides this call's applications; empty: the default body."),
    )
    funding_year = models.PositiveSmallIntegerField(
        _("funding year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("Projects of this call must start and end within this year."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "id"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="call_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.code}: {self.title}"

    def save(self, *args, **kwargs) -> None:
        # DOMAIN.md: each call names its body; the program's default unless chosen.
        if self.body_id is None and self.program_id:
            self.body = self.program.default_body()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        problems = {}
        if self.body_id and self.program_id and self.body.program_id != self.program_id:
            problems["body"] = _("This decision body belongs to another program.")
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            problems["closes_at"] = _("The deadline must be after the opening.")
        if self.vote_deadline and self.closes_at and self.vote_deadline <= self.closes_at:
            problems["vote_deadline"] = _("The committee votes after the submission deadline.")
        if problems:
            raise ValidationError(problems)

    def has_opened(self, moment=None) -> bool:
        return (moment or timezone.now()) >= self.opens_at

    def has_closed(self, moment=None) -> bool:
        """DOMAIN.md: submissions are accepted until the deadline, not at it."""
        return (moment or timezone.now()) >= self.closes_at

    def is_open_at(self, moment) -> bool:
        return self.has_opened(moment) and not self.has_closed(moment)

    @property
    def is_open(self) -> bool:
        return self.is_open_at(timezone.now())


class BaseRate(models.Model):
    """The base rate (Basiszinssatz, § 247 BGB) from a day on, as the Deutsche Bundesbank
    publishes it each 1 January and 1 July. Interest under § 49a VwVfG is 5 points above
    it, computed piece by piece across changes (``projects.interest``)."""

    valid_from = models.DateField(_("valid from"), unique=True)
    rate_percent = models.DecimalField(
        _("base rate (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("-10")), MaxValueValidator(Decimal("20"))],
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("base rate")
        verbose_name_plural = _("base rates")

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.rate_percent} %"


class AnnexType(models.Model):
    """An annex a call asks for (Anlage: statutes, the tax office's exemption notice, a
    quote): required or optional. ``submit`` waits for the required ones, scanned clean."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="annex_types", verbose_name=_("call")
    )
    name = LineField(_("name"), max_length=Limit.NAME)
    description = ProseField(_("description"), max_length=Limit.NOTE, blank=True)
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["call", "position", "id"]
        verbose_name = _("annex type (Anlage)")
        verbose_name_plural = _("annex types")
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="annex_type_unique_per_call")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def program_id(self) -> int:
        return self.call.program_id
