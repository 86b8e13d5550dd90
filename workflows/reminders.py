"""The daily reminders (DOMAIN.md, "Reminders"): one rule per row of the table, each with
its own query over indexed columns, so a sweep costs what is due, not what exists.

A rule yields ``Reminder`` rows: the object, who is told, the due date the reminder is
about, and for repeated reminders their number (the 1st, 2nd … weekly escalation). The
delivery log's key is (rule, object, due date, number, recipient): the sweep can run as
often as it likes, a missed day is caught up, and a moved due date starts its own series
instead of silencing or doubling the old one.

Rules marked ``mandatory`` concern deadlines with legal effect and reach everybody;
the others respect the recipient's ``optional_notifications`` setting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import AuditEntry
from core.money import format_eur
from grants.models import ProgramRole, User
from grants.selectors import body_members_on
from projects import deadlines, funding, retention
from projects.models import Application, ConflictDeclaration, PayoutRequest, Vote
from projects.states import ApplicationState, DecisionMode, PayoutState
from workflows.delivery import deliver
from workflows.links import application_url


def days(name: str) -> int:
    """A reminder threshold in days (``settings.REMINDER_DAYS``, DOMAIN.md's defaults)."""
    return settings.REMINDER_DAYS[name]


@dataclass(frozen=True)
class Reminder:
    rule: str
    application: Application
    recipients: tuple[User, ...]
    due: date
    number: int = 0
    detail: str = ""  # e.g. the payout's amount

    @property
    def key(self) -> str:
        return f"reminder.{self.rule}:{self.application.pk}:{self.due.isoformat()}:{self.number}"


@dataclass(frozen=True)
class Rule:
    name: str
    label: object  # lazy text: what the reminder is about
    mandatory: bool
    select: Callable[[date], Iterable[Reminder]]
    message: Callable[[Reminder], str]


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def _members(application: Application) -> tuple[User, ...]:
    """The sponsors: the organisation's members (prefetched by ``_with_people``)."""
    return tuple(sorted(application.organization.members.all(), key=lambda user: user.pk))


def _office(application: Application) -> tuple[User, ...]:
    """The program's office (prefetched by ``_with_people``)."""
    return tuple(role.user for role in application.program.office_roles)


def _with_people(queryset: QuerySet, path: str = "") -> QuerySet:
    """Load who is told with the rows, a fixed number of queries however many are due."""
    return queryset.prefetch_related(
        f"{path}organization__members",
        Prefetch(
            f"{path}program__roles",
            queryset=ProgramRole.objects.filter(role=ProgramRole.Kind.OFFICE)
            .select_related("user")
            .order_by("user_id"),
            to_attr="office_roles",
        ),
    )


def _applications(**filters) -> QuerySet[Application]:
    return _with_people(
        Application.objects.filter(**filters).select_related("program", "call", "organization")
    )


def _date(day: date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


# -- the rules -----------------------------------------------------------------------------


def call_closing(today: date) -> Iterator[Reminder]:
    """Sponsors with a draft: the call closes in 3 days, and again in 1 day."""
    for ahead in (days("call_closing_first"), days("call_closing_last")):
        start, end = _day_bounds(today + timedelta(days=ahead))
        for application in _applications(
            state=ApplicationState.DRAFT, call__closes_at__gte=start, call__closes_at__lt=end
        ):
            closes = timezone.localdate(application.call.closes_at)
            yield Reminder("call_closing", application, _members(application), closes, ahead)


def revision_pending(today: date) -> Iterator[Reminder]:
    """Sponsors: a revision was requested 14 days ago; again every 7 days."""
    requested = AuditEntry.objects.filter(
        namespace="application",
        action="request_revision",
        trail_type__model="application",
        trail_id=OuterRef("pk"),
    ).order_by("-at")
    start, _end = _day_bounds(today - timedelta(days=days("revision_pending")))
    for application in (
        _applications(state=ApplicationState.REVISION_REQUESTED)
        .annotate(asked=requested.values("at")[:1])
        .filter(asked__lt=start + timedelta(days=1))
    ):
        asked = timezone.localdate(application.asked)
        waited = (today - asked).days
        yield Reminder(
            "revision_pending",
            application,
            _members(application),
            asked,
            (waited - days("revision_pending")) // days("repeat"),
        )


def vote_pending(today: date) -> Iterator[Reminder]:
    """Voting members (and deputies) of the deciding body today who have not voted and
    are not conflicted: the vote deadline is in 3 days. A former member is not asked."""
    start, end = _day_bounds(today + timedelta(days=days("vote_pending")))
    for application in _applications(
        state=ApplicationState.COMMITTEE_REVIEW,
        decision_mode=DecisionMode.WRITTEN,
        call__vote_deadline__gte=start,
        call__vote_deadline__lt=end,
    ):
        voted = Vote.objects.filter(
            application=application, member=OuterRef("pk"), meeting__isnull=True, void=False
        )
        conflicted = ConflictDeclaration.objects.filter(
            application=application, member=OuterRef("pk"), excluded=True
        )
        seats = body_members_on(application.call.body_id, today).filter(voting=True)
        members = (
            User.objects.filter(pk__in=seats.values("user_id"))
            .exclude(Exists(voted))
            .exclude(Exists(conflicted))
            .distinct()
            .order_by("pk")
        )
        deadline = timezone.localdate(application.call.vote_deadline)
        yield Reminder("vote_pending", application, tuple(members), deadline)


def formal_check_pending(today: date) -> Iterator[Reminder]:
    """The office: submitted 10 days ago and not acted on."""
    start, _end = _day_bounds(today - timedelta(days=days("formal_check_pending")))
    for application in _applications(
        state=ApplicationState.SUBMITTED, submitted_at__lt=start + timedelta(days=1)
    ):
        submitted = timezone.localdate(application.submitted_at)
        yield Reminder("formal_check_pending", application, _office(application), submitted)


def agreement_pending(today: date) -> Iterator[Reminder]:
    """Sponsors: approved 14 days ago, the grant agreement not accepted."""
    start, _end = _day_bounds(today - timedelta(days=days("agreement_pending")))
    for application in _applications(
        state=ApplicationState.APPROVED, decided_at__lt=start + timedelta(days=1)
    ):
        decided = timezone.localdate(application.decided_at)
        yield Reminder("agreement_pending", application, _members(application), decided)


def spending_window(today: date) -> Iterator[Reminder]:
    """Sponsors: a payout's spending window ends in 7 days and paid funds are not yet
    covered by receipts (ANBest-P 1.4; § 49a Abs. 4)."""
    payouts = PayoutRequest.objects.filter(
        state=PayoutState.PAID,
        window_ends_on__gte=today,
        window_ends_on__lte=today + timedelta(days=days("spending_window")),
        application__state=ApplicationState.FUNDED,
    ).select_related("application__program", "application__organization", "application__call")
    for payout in _with_people(payouts, "application__"):
        uncovered = funding.uncovered_amounts(payout.application).get(payout.pk)
        if uncovered:
            yield Reminder(
                "spending_window",
                payout.application,
                _members(payout.application),
                payout.window_ends_on,
                payout.pk,
                format_eur(uncovered),
            )


def _funded_ending_before(day: date) -> QuerySet[Application]:
    """Funded applications whose (current) end may make a deadline due by ``day``: the
    plan's end, or one a granted change request set."""
    return (
        _applications(state=ApplicationState.FUNDED)
        .filter(
            Q(end_date__lte=day)
            | Q(change_requests__state="granted", change_requests__end_date__isnull=False)
        )
        .distinct()
    )


def interim_proof_due(today: date) -> Iterator[Reminder]:
    """Sponsors: the next interim proof of a project that ran past 31 December is due in
    14 days (ANBest-P 6.1, one per year-end; the due day moved by § 31 VwVfG)."""
    for application in _applications(
        state=ApplicationState.FUNDED, start_date__year__lt=today.year
    ):
        due = funding.due_dates(application)["interim_proof_due"]
        if due and 0 <= (due - today).days <= days("interim_proof_due"):
            yield Reminder("interim_proof_due", application, _members(application), due)


def proof_of_use_due(today: date) -> Iterator[Reminder]:
    """Sponsors: the proof of use is due in 14 days; overdue: sponsors and the office,
    every 7 days until it is submitted."""
    ahead = days("proof_of_use_due")
    horizon = today + timedelta(days=ahead)
    for application in _funded_ending_before(horizon):
        due = funding.due_dates(application)["proof_of_use_due"]
        if due is None:
            continue
        left = (due - today).days
        if 0 <= left <= ahead:
            yield Reminder("proof_of_use_due", application, _members(application), due)
        elif left < 0:
            escalation = (-left - 1) // days("repeat") + 1
            people = _members(application) + _office(application)
            yield Reminder("proof_of_use_overdue", application, people, due, escalation)


def repayment_overdue(today: date) -> Iterator[Reminder]:
    """The office: a repayment's due day (the program's months after the demand was
    notified, § 41 Abs. 2 VwVfG) passed and it is not confirmed. The demand is at least
    a month and four days old by then: older ones only are looked at."""
    for application in _applications(state=ApplicationState.REPAYMENT_DUE).filter(
        reclaim_set_on__lte=today - timedelta(days=28 + 4 + days("repayment_overdue"))
    ):
        # From the row and its program alone: no query per application.
        due = deadlines.repayment_due(
            application.reclaim_set_on,
            application.program.repayment_months,
            application.program.state,
        )
        if (today - due).days >= days("repayment_overdue"):
            yield Reminder("repayment_overdue", application, _office(application), due)


def retention_notice(today: date) -> Iterator[Reminder]:
    """The office, once per file (the key is the file and its deletion day): the
    retention sweep will delete it within 30 days (``projects.retention``)."""
    for application in _with_people(
        retention.deletion_ahead(today).select_related("program", "call", "organization")
    ):
        yield Reminder(
            "retention_notice",
            application,
            _office(application),
            retention.deletion_day(application),
        )


def _text(rule: str) -> Callable[[Reminder], str]:
    texts = {
        "call_closing": gettext_lazy(
            "The call closes on %(due)s; your draft “%(title)s” is not submitted yet."
        ),
        "revision_pending": gettext_lazy(
            "The office asked for a revision of “%(title)s” (%(reference)s) on %(due)s; "
            "please answer it."
        ),
        "vote_pending": gettext_lazy(
            "The vote on “%(title)s” (%(reference)s) closes on %(due)s; you have not voted."
        ),
        "formal_check_pending": gettext_lazy(
            "“%(title)s” (%(reference)s) was submitted on %(due)s and awaits the formal check."
        ),
        "agreement_pending": gettext_lazy(
            "“%(title)s” (%(reference)s) was approved on %(due)s; please accept the grant "
            "agreement."
        ),
        "spending_window": gettext_lazy(
            "The spending window of a payout for “%(title)s” (%(reference)s) ends on "
            "%(due)s; %(detail)s are not yet covered by receipts."
        ),
        "interim_proof_due": gettext_lazy(
            "The interim proof for “%(title)s” (%(reference)s) is due on %(due)s."
        ),
        "proof_of_use_due": gettext_lazy(
            "The proof of use for “%(title)s” (%(reference)s) is due on %(due)s."
        ),
        "proof_of_use_overdue": gettext_lazy(
            "The proof of use for “%(title)s” (%(reference)s) was due on %(due)s and has "
            "not been submitted (reminder %(number)s)."
        ),
        "retention_notice": gettext_lazy(
            "The retention period of “%(title)s” (%(reference)s) ends: on %(due)s its "
            "attachments and documents are deleted and its personal data erased. Put it "
            "on hold if it must be kept (a pending audit or lawsuit)."
        ),
        "repayment_overdue": gettext_lazy(
            "The repayment for “%(title)s” (%(reference)s) was due on %(due)s and is not confirmed."
        ),
    }

    def message(reminder: Reminder) -> str:
        return str(texts[rule]) % {
            "title": reminder.application.title,
            "reference": reminder.application.reference or "–",
            "due": _date(reminder.due),
            "number": reminder.number,
            "detail": reminder.detail,
        }

    return message


RULES = [
    Rule("call_closing", gettext_lazy("call closing"), False, call_closing, _text("call_closing")),
    Rule(
        "revision_pending",
        gettext_lazy("revision pending"),
        True,
        revision_pending,
        _text("revision_pending"),
    ),
    Rule("vote_pending", gettext_lazy("vote pending"), False, vote_pending, _text("vote_pending")),
    Rule(
        "formal_check_pending",
        gettext_lazy("formal check pending"),
        False,
        formal_check_pending,
        _text("formal_check_pending"),
    ),
    Rule(
        "agreement_pending",
        gettext_lazy("agreement pending"),
        False,
        agreement_pending,
        _text("agreement_pending"),
    ),
    Rule(
        "spending_window",
        gettext_lazy("spending window"),
        True,
        spending_window,
        _text("spending_window"),
    ),
    Rule(
        "interim_proof_due",
        gettext_lazy("interim proof due"),
        True,
        interim_proof_due,
        _text("interim_proof_due"),
    ),
    Rule(
        "proof_of_use_due",
        gettext_lazy("proof of use due"),
        True,
        proof_of_use_due,
        lambda r: _text(r.rule)(r),
    ),
    Rule(
        "repayment_overdue",
        gettext_lazy("repayment overdue"),
        True,
        repayment_overdue,
        _text("repayment_overdue"),
    ),
    Rule(
        "retention_notice",
        gettext_lazy("deletion ahead"),
        True,
        retention_notice,
        _text("retention_notice"),
    ),
]


def due_reminders(today: date) -> Iterator[tuple[Rule, Reminder]]:
    for rule in RULES:
        for reminder in rule.select(today):
            yield rule, reminder


def _render(rule: Rule, reminder: Reminder, user: User) -> tuple[str, str]:
    with translation.override(user.language):
        subject = _("[Zuwendo] %(reference)s: reminder") % {
            "reference": reminder.application.reference or reminder.application.title
        }
        lines = [
            _("Hello %(name)s,") % {"name": user.get_full_name() or user.username},
            "",
            rule.message(reminder),
            "",
            application_url(reminder.application.pk, rule.name),
            "",
            _("This message was sent by Zuwendo."),
        ]
    return str(subject), "\n".join(str(line) for line in lines)


@dataclass
class SweepResult:
    sent: int = 0
    skipped: int = 0
    lines: list[tuple[str, str, str, str, str]] | None = None  # rule, reference, due, to, done


def sweep(
    *,
    today: date | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> SweepResult:
    """Send every reminder due ``today`` (Europe/Berlin) that the delivery log has not
    sent; safe to run any number of times (``send_reminders``, the beat schedule).
    ``progress(done, total)`` is told after each reminder."""
    today = today or timezone.localdate()
    result = SweepResult(lines=[])
    due = list(due_reminders(today))
    for done, (rule, reminder) in enumerate(due, start=1):
        if progress is not None:
            progress(done, len(due))
        for user in reminder.recipients:
            if not user.is_active or not user.email:
                continue
            if not rule.mandatory and not user.optional_notifications:
                result.skipped += 1
                continue
            reference = reminder.application.reference or ""
            if dry_run:
                done = "dry-run"
            else:
                sent = deliver(
                    key=f"{reminder.key}:{user.pk}",
                    occasion=f"reminder.{reminder.rule}",
                    user=user,
                    render=lambda rule=rule, reminder=reminder, user=user: _render(
                        rule, reminder, user
                    ),
                    reference=reference,
                    due=reminder.due,
                    program_name=reminder.application.program.name,
                    optional=not rule.mandatory,
                )
                result.sent += sent
                done = "sent" if sent else "already"
            result.lines.append(
                (reminder.rule, reference, reminder.due.isoformat(), user.email, done)
            )
    return result
