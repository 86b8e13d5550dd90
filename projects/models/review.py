"""What a decision body records about the applications before it (DOMAIN.md, "Committee
review"): conflicts of interest, votes, objections to the written procedure, and meetings
with their agenda, attendance and signed minutes.

The rows are written only by ``workflows.committee`` and ``workflows.meetings``; each
write also appends to the application's (or meeting's) audit trail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import MoneyField
from core.text import Limit, LineField, ProseField
from projects.states import VoteChoice


def _name(user) -> str:
    return user.get_full_name() or user.username


class ConflictDeclaration(models.Model):
    """Befangenheit (§ 20 VwVfG): the member takes no part in deliberation or vote on the
    application. Declared by the member or recorded by the office; in a doubtful case the
    body decides without the member (§ 20 Abs. 4), and the office records that decision
    (``excluded``, ``decided_at``)."""

    application = models.ForeignKey(
        "projects.Application",
        on_delete=models.PROTECT,
        related_name="conflicts",
        verbose_name=_("application"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member"),
    )
    reason = ProseField(_("reason"), max_length=Limit.COMMENT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)
    excluded = models.BooleanField(
        _("excluded"),
        default=True,
        help_text=_("Cleared only when the body decided the doubtful case for the member."),
    )
    decided_at = models.DateTimeField(_("body's decision recorded"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision recorded by"),
    )
    decision_comment = ProseField(_("body's decision"), max_length=Limit.COMMENT, blank=True)

    class Meta:
        ordering = ["application", "declared_at", "id"]
        verbose_name = _("conflict of interest (Befangenheit)")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "member"], name="conflict_once_per_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{_name(self.member)} · {self.application}"


class Vote(models.Model):
    """One member's vote on one application: in the written procedure (``meeting`` empty,
    cast by the member) or taken at a meeting (recorded by the office). Changeable until
    the decision is recorded; void (kept, never deleted) once the member is conflicted."""

    application = models.ForeignKey(
        "projects.Application",
        on_delete=models.PROTECT,
        related_name="votes",
        verbose_name=_("application"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member"),
    )
    meeting = models.ForeignKey(
        "projects.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="votes",
        verbose_name=_("meeting"),
    )
    choice = models.CharField(_("vote"), max_length=10, choices=VoteChoice.choices)
    comment = ProseField(_("comment"), max_length=Limit.COMMENT, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    cast_at = models.DateTimeField(_("cast"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)
    void = models.BooleanField(_("void"), default=False)
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)

    class Meta:
        ordering = ["application", "cast_at", "id"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "member"],
                condition=models.Q(meeting__isnull=True, void=False),
                name="vote_once_in_writing",
            ),
            models.UniqueConstraint(
                fields=["application", "member", "meeting"],
                condition=models.Q(meeting__isnull=False, void=False),
                name="vote_once_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{_name(self.member)} · {self.application}: {self.get_choice_display()}"


class Objection(models.Model):
    """A voting member objects to deciding in writing (§ 90 Abs. 1 S. 2 VwVfG): the
    application goes to the next meeting."""

    application = models.ForeignKey(
        "projects.Application",
        on_delete=models.PROTECT,
        related_name="objections",
        verbose_name=_("application"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member"),
    )
    reason = ProseField(_("reason"), max_length=Limit.COMMENT)
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)

    class Meta:
        ordering = ["application", "raised_at", "id"]
        verbose_name = _("objection to the written procedure")
        verbose_name_plural = _("objections to the written procedure")

    def __str__(self) -> str:
        return f"{_name(self.member)} · {self.application}"


class Meeting(models.Model):
    """A meeting (Sitzung) of a decision body and its minutes (Niederschrift, § 93 VwVfG):
    place, time, who was present, the agenda's applications with their conflicts, votes
    and outcomes, signed by the keeper of the minutes (the office) and the chair.

    The first signature freezes the record: attendance, agenda and votes no longer
    change, and each item's tally is kept as it stood (``AgendaItem.outcome``).
    """

    body = models.ForeignKey(
        "grants.DecisionBody",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("decision body"),
    )
    starts_at = models.DateTimeField(_("starts"))
    place = LineField(_("place"), max_length=Limit.NAME)
    notes = ProseField(_("notes for the minutes"), max_length=Limit.NOTES, blank=True)
    agenda = models.ManyToManyField(
        "projects.Application",
        through="AgendaItem",
        related_name="meetings",
        verbose_name=_("agenda"),
    )
    present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("present")
    )
    attendance_recorded_at = models.DateTimeField(_("attendance recorded"), null=True, blank=True)
    invited_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)
    # § 90 Abs. 1 S. 1 VwVfG: a meeting counts only if every member was invited; the
    # members whose invitation was delivered (the delivery log, or the office's record
    # of a letter or a hand delivery).
    invitations_delivered = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="+",
        blank=True,
        verbose_name=_("invitation delivered to"),
    )
    # § 90 Abs. 2 VwVfG: a second meeting on the same items, invited with the notice that
    # it will be quorate regardless of attendance.
    resummons = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resummoned_by",
        verbose_name=_("called again after"),
    )
    quorate_notice = models.BooleanField(
        _("invited with the notice of § 90 Abs. 2 VwVfG"),
        default=False,
        help_text=_("The invitation says the meeting is quorate regardless of attendance."),
    )
    keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("keeper of the minutes"),
    )
    keeper_signed_at = models.DateTimeField(_("signed by the keeper"), null=True, blank=True)
    chair_signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
    )
    chair_signed_at = models.DateTimeField(_("signed by the chair"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["body", "-starts_at"], name="meeting_body_starts")]

    def __str__(self) -> str:
        return f"{self.body.name}, {timezone.localtime(self.starts_at):%d.%m.%Y}"

    @property
    def program_id(self) -> int:
        """The program whose office runs the meeting (the permission predicates ask)."""
        return self.body.program_id

    @property
    def is_frozen(self) -> bool:
        """Somebody signed the minutes: the record no longer changes."""
        return self.keeper_signed_at is not None or self.chair_signed_at is not None

    @property
    def minutes_signed(self) -> bool:
        """§ 93 VwVfG: signed by the chair and the keeper of the minutes."""
        return self.keeper_signed_at is not None and self.chair_signed_at is not None


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting")
    )
    application = models.ForeignKey(
        "projects.Application",
        on_delete=models.PROTECT,
        related_name="agenda_items",
        verbose_name=_("application"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    outcome = models.JSONField(
        _("outcome"),
        null=True,
        blank=True,
        help_text=_("The tally as it stood when the minutes were first signed."),
    )

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "application"], name="agenda_item_once_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}, {self.position}.: {self.application}"


class Recommendation(models.Model):
    """The office's recommendation to the body (Votum der Koordinierungsstelle): what it
    proposes to decide and why. The committee's dossier (Sitzungsvorlage) prints it; the
    body decides."""

    class Choice(models.TextChoices):
        APPROVE = "approve", _("approve")
        APPROVE_WITH_CONDITIONS = "approve_with_conditions", _("approve with conditions")
        REJECT = "reject", _("reject")

    application = models.OneToOneField(
        "projects.Application",
        on_delete=models.CASCADE,
        related_name="recommendation",
        verbose_name=_("application"),
    )
    choice = models.CharField(_("recommendation"), max_length=30, choices=Choice.choices)
    amount = MoneyField(_("recommended grant"), null=True, blank=True)
    text = ProseField(_("reasons"), max_length=Limit.SUMMARY, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("office's recommendation")
        verbose_name_plural = _("office's recommendations")

    def __str__(self) -> str:
        return f"{self.application}: {self.get_choice_display()}"


# The OpenAPI schema names enums by a module path (``SPECTACULAR_SETTINGS``).
RecommendationChoice = Recommendation.Choice
