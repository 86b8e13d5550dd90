"""Programs (Förderprogramme), their calls, cost categories, and who holds which role."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import MoneyField


class User(AbstractUser):
    """A person signing in. Roles come from ProgramRole and organisation memberships."""

    class Language(models.TextChoices):
        GERMAN = "de", _("German")
        ENGLISH = "en", _("English")

    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.GERMAN
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")


class FinancingType(models.TextChoices):
    """VV zu § 44 BHO, Nr. 2.2."""

    DEFICIT = "deficit", _("Deficit financing (Fehlbedarfsfinanzierung)")
    SHARE = "share", _("Share financing (Anteilfinanzierung)")
    FIXED = "fixed", _("Fixed-amount financing (Festbetragsfinanzierung)")


class ReportFrequency(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    YEARLY = "yearly", _("yearly")


percent_validators = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
program_code_validator = RegexValidator(
    r"^[A-Z0-9]+(-[A-Z0-9]+)*$",
    _("Use upper-case letters, digits and single hyphens, e.g. PFD-KO."),
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
    name = models.CharField(_("name"), max_length=200)
    funder_name = models.CharField(_("funder"), max_length=200)
    committee_name = models.CharField(
        _("committee name"), max_length=200, default="Begleitausschuss"
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
        if problems:
            raise ValidationError(problems)


class ProgramRole(models.Model):
    """A user's role in one program: office, committee member or funder contact."""

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
    voting = models.BooleanField(
        _("voting member"),
        default=True,
        help_text=_("Committee only: advisory members do not vote."),
    )
    chair = models.BooleanField(_("chair"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["program", "role", "user"]
        verbose_name = _("program role")
        verbose_name_plural = _("program roles")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user", "role"], name="program_role_unique_per_user"
            ),
            models.UniqueConstraint(
                fields=["program"],
                condition=models.Q(role="committee", chair=True),
                name="program_role_one_chair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.program.code}"

    def clean(self) -> None:
        """DOMAIN.md: committee members vote or advise, and one of them chairs."""
        if self.chair and self.role != self.Kind.COMMITTEE:
            raise ValidationError({"chair": _("Only a committee member can chair.")})


class CostCategory(models.Model):
    """A cost category (Kostenart) of one program."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="categories", verbose_name=_("program")
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
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
    title = models.CharField(_("title"), max_length=200)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("submission deadline"))
    budget = MoneyField(_("budget"), default=Decimal("0.00"))
    vote_deadline = models.DateTimeField(_("committee vote deadline"), null=True, blank=True)
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

    def clean(self) -> None:
        problems = {}
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
