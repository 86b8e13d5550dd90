"""Reads of organisations and applications, bounded in queries and filtered by role."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import rules
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core import audit
from core.models import AuditEntry
from core.money import MoneyField
from grants.models import Call, Program, ProgramRole, User
from grants.roles import roles_of
from projects import retention
from projects import tally as rules_of_tally
from projects.models import (
    AgendaItem,
    Application,
    BudgetLine,
    ConflictDeclaration,
    Invitation,
    Meeting,
    Objection,
    Organization,
    PayoutBatch,
    PayoutRequest,
    Vote,
)
from projects.roles import invitation_address, organization_ids_of
from projects.states import COMMITTEE_VISIBLE_STATES, ApplicationState, DecisionMode, PayoutState


def application_visibility(user: User) -> Q:
    """DOMAIN.md, "People and roles": nobody sees an application unless a role gives it.

    Sponsors see their organisations' applications; the office sees its programs' once
    submitted (a draft is the sponsor's workspace until then); members of a decision body
    see the applications their body decides (the call's body) once they were put before
    it (and every one past approval), never drafts, never another body's; funders see
    none.
    """
    roles = roles_of(user)
    visible = Q(organization_id__in=organization_ids_of(user)) | Q(
        program_id__in=roles.office_program_ids, submitted_at__isnull=False
    )
    if roles.committee_body_ids:
        # A subquery on the calls, not a join: the office's count query stays on one table.
        decided_by_their_body = Call.objects.filter(body_id__in=roles.committee_body_ids)
        visible |= Q(call_id__in=decided_by_their_body.values("pk")) & (
            Q(state__in=COMMITTEE_VISIBLE_STATES) | Q(forwarded_at__isnull=False)
        )
    return visible


def applications_visible_to(user: User | AnonymousUser) -> QuerySet[Application]:
    applications = Application.objects.all()
    if not user.is_authenticated:
        return applications.none()
    if user.is_superuser:
        return applications
    return applications.filter(application_visibility(user))


# What an audit entry records about a funded project's money: payouts, receipts, change
# requests, the proof of use and the reclaim. Committee members see the review, not this
# (DOMAIN.md: never receipts, bank details or proof-of-use annexes; the API's payments,
# receipts and statement answer them 403): "projects.view_money" decides.
MONEY_NAMESPACES = frozenset({"payment", "expenditure", "change_request"})
MONEY_ACTIONS = frozenset(
    {
        "proof_of_use",
        "interim_proof",
        "submit_proof_of_use",
        "request_proof_revision",
        "accept_proof",
        "revoke",
        "confirm_repayment",
    }
)
MONEY_EVENTS = Q(namespace__in=MONEY_NAMESPACES) | Q(
    namespace="application", action__in=MONEY_ACTIONS
)


def money_visible_application_ids(user: User | AnonymousUser) -> Q:
    """The applications whose money ``user`` sees, as a condition on ``Application``:
    their organisations' (sponsors) and their programs' (office); an administrator all."""
    if user.is_superuser:
        return Q()
    return Q(organization_id__in=organization_ids_of(user)) | Q(
        program_id__in=roles_of(user).office_program_ids
    )


def application_history(
    application: Application, user: User | AnonymousUser
) -> QuerySet[AuditEntry]:
    """The application's audit trail as ``user`` may read it: whoever sees the money
    reads everything, anybody else (a committee member) the entries that record no money
    (``MONEY_EVENTS``)."""
    trail = audit.trail_of(application)
    if rules.has_perm("projects.view_money", user, application):
        return trail
    return trail.exclude(MONEY_EVENTS)


def audit_entries_visible_to(user: User | AnonymousUser) -> QuerySet[AuditEntry]:
    """Every application's entries that ``user`` may read (the admin's audit list): of
    the applications they see, the money entries only where they see the money."""
    kind = ContentType.objects.get_for_model(Application)
    visible = applications_visible_to(user)
    with_money = visible.filter(money_visible_application_ids(user)).values("pk")
    return AuditEntry.objects.filter(trail_type=kind, trail_id__in=visible.values("pk")).filter(
        ~MONEY_EVENTS | Q(trail_id__in=with_money)
    )


def application_list(*, user: User | AnonymousUser, lines: bool = True) -> QuerySet[Application]:
    """Applications with everything their serialisation and transition checks read,
    ``paid_out`` included (a subquery per row, not a query). ``lines=False`` leaves the
    cost plan's lines to ``attach_plan_lines``, which the list calls for its page."""
    paid = (
        PayoutRequest.objects.filter(application=OuterRef("pk"), state=PayoutState.PAID)
        .order_by()
        .values("application")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    applications = (
        applications_visible_to(user)
        .annotate(
            paid_out=Coalesce(Subquery(paid), Value(Decimal("0.00")), output_field=MoneyField())
        )
        .select_related("organization")
        # A page has one or a few calls and programs: fetched once each and shared by
        # the rows, rather than joined and built again for every row. The call's annex
        # types and the attachments feed the ``submit`` condition (#22).
        .prefetch_related("call__annex_types", "program", "attachments")
    )
    if lines:
        applications = applications.prefetch_related(
            Prefetch(
                "budget_lines",
                queryset=BudgetLine.objects.annotate(category_code=F("category__code")),
                to_attr="prefetched_lines",
            )
        )
    return applications


@dataclass(frozen=True, slots=True)
class PlanLine:
    """A cost plan line as a page of the list reads it: its values, not a model."""

    category_code: str
    description: str
    amount: Decimal


def attach_plan_lines(applications: Sequence[Application]) -> None:
    """The cost plan lines of ``applications`` in one query, as values, in plan order,
    into each one's ``prefetched_lines`` (``Application.cost_lines`` reads them). A page
    of a hundred has three hundred lines; as model instances through Django's prefetch
    they cost a sixth of the request (docs/performance.md)."""
    lines: dict[int, list[PlanLine]] = {application.pk: [] for application in applications}
    rows = (
        BudgetLine.objects.filter(application_id__in=lines)
        .order_by("application_id", "position", "pk")
        .values_list("application_id", "category__code", "description", "amount")
    )
    for application_id, code, description, amount in rows:
        lines[application_id].append(PlanLine(code, description, amount))
    for application in applications:
        application.prefetched_lines = lines[application.pk]


def organizations_to_apply_for(user: User | AnonymousUser) -> QuerySet[Organization]:
    """The organisations ``user`` may apply for (``projects.add_application``): their own;
    an administrator any."""
    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(pk__in=organization_ids_of(user))


def organizations_visible_to(user: User | AnonymousUser) -> QuerySet[Organization]:
    """Members see their organisations; the office sees those that applied to its programs."""
    organizations = Organization.objects.all()
    if not user.is_authenticated:
        return organizations.none()
    if user.is_superuser:
        return organizations
    applied = Application.objects.filter(program_id__in=roles_of(user).office_program_ids).values(
        "organization_id"
    )
    return organizations.filter(Q(pk__in=organization_ids_of(user)) | Q(pk__in=applied))


def application_for_update(application: Application, *, with_lines: bool = True) -> Application:
    """The application re-read and locked (``SELECT … FOR UPDATE``) with what its checks
    read: call, program, organisation and (``with_lines``) the cost plan's lines."""
    locked = Application.objects.select_for_update(of=("self",)).select_related(
        "call", "program", "organization"
    )
    if with_lines:
        locked = locked.prefetch_related(
            Prefetch("budget_lines", queryset=BudgetLine.objects.select_related("category"))
        )
    return locked.get(pk=application.pk)


def application_locked_in(application: Application, state: str, refusal: str) -> Application:
    """The application locked (``SELECT … FOR UPDATE``); 409 ``refusal`` (formatted with
    the current ``state``) unless it is in ``state``. The committee's review and a funded
    project's money both start here."""
    from core.errors import TransitionNotAllowed

    locked = application_for_update(application, with_lines=False)
    if locked.state != state:
        raise TransitionNotAllowed(refusal % {"state": locked.get_state_display()})
    return locked


def invitations_for(user: User | AnonymousUser) -> QuerySet[Invitation]:
    """The caller's open invitations, matched by their account's e-mail address."""
    address = invitation_address(user)
    if not user.is_authenticated or not address:
        return Invitation.objects.none()
    return Invitation.objects.filter(
        email=address, state=Invitation.State.OPEN, expires_at__gt=timezone.now()
    ).select_related("organization", "invited_by")


def organization_invitations(organization: Organization) -> QuerySet[Invitation]:
    """An organisation's invitations, newest first, for its members."""
    return Invitation.objects.filter(organization=organization).select_related("invited_by")


# -- the committee's tally ---------------------------------------------------------------
_TALLY_ATTRIBUTE = "_zuwendo_tally"


def attach_tallies(applications: Iterable[Application]) -> None:
    """Compute the tally of every application under committee review in six queries,
    however many there are, and keep it on each object (``application_tally`` and the
    ``approve``/``reject`` conditions read it from there). The application list calls
    this for its page; other states cost nothing."""
    pending = [a for a in applications if a.state == ApplicationState.COMMITTEE_REVIEW]
    if pending:
        _compute_tallies(pending)


def _compute_tallies(pending: list[Application], meeting: Meeting | None = None) -> None:
    ids = [a.pk for a in pending]
    meeting_of: dict[int, Meeting] = {}
    if meeting is not None:
        meeting_of = dict.fromkeys(ids, meeting)
    else:
        for item in (
            AgendaItem.objects.filter(application_id__in=ids)
            .select_related("meeting")
            .order_by("meeting__starts_at", "meeting_id")
        ):
            meeting_of[item.application_id] = item.meeting  # the latest meeting wins
    present: dict[int, set[int]] = defaultdict(set)
    for meeting_id, user_id in Meeting.present.through.objects.filter(
        meeting_id__in={m.pk for m in meeting_of.values()}
    ).values_list("meeting_id", "user_id"):
        present[meeting_id].add(user_id)
    votes: dict[tuple[int, int | None], dict[int, str]] = defaultdict(dict)
    for application_id, meeting_id, member_id, choice in Vote.objects.filter(
        application_id__in=ids, void=False
    ).values_list("application_id", "meeting_id", "member_id", "choice"):
        votes[application_id, meeting_id][member_id] = choice
    conflicted: dict[int, set[int]] = defaultdict(set)
    for application_id, member_id in ConflictDeclaration.objects.filter(
        application_id__in=ids, excluded=True
    ).values_list("application_id", "member_id"):
        conflicted[application_id].add(member_id)
    objected = set(
        Objection.objects.filter(application_id__in=ids).values_list("application_id", flat=True)
    )
    members = defaultdict(list)
    for role in ProgramRole.objects.filter(
        body_id__in={a.call.body_id for a in pending}, role=ProgramRole.Kind.COMMITTEE
    ).select_related("deputy_for", "body"):
        members[role.body_id].append(role)
    delivered: dict[int, set[int]] = defaultdict(set)
    for meeting_id, user_id in Meeting.invitations_delivered.through.objects.filter(
        meeting_id__in={m.pk for m in meeting_of.values()}
    ).values_list("meeting_id", "user_id"):
        delivered[meeting_id].add(user_id)
    today = timezone.localdate()
    for application in pending:
        at = None
        if application.decision_mode == DecisionMode.MEETING:
            at = meeting_of.get(application.pk)
        day = timezone.localdate(at.starts_at) if at else today
        recorded = at is not None and at.attendance_recorded_at is not None
        active = [role for role in members[application.call.body_id] if role.is_active_on(day)]
        data = rules_of_tally.TallyInput(
            mode=application.decision_mode,
            members=tuple(
                rules_of_tally.Member(
                    user_id=role.user_id,
                    voting=role.voting,
                    chair=role.chair,
                    deputy_for=role.deputy_for.user_id if role.deputy_for else None,
                    deputy_chair=role.deputy_chair,
                )
                for role in active
            ),
            quorum_min=application.program.quorum_min,
            conflicted=frozenset(conflicted[application.pk]),
            votes=votes[application.pk, at.pk if at else None],
            present=frozenset(present[at.pk]) if recorded else None,
            objection=application.pk in objected,
            all_invited=at is None or {role.user_id for role in active} <= delivered[at.pk],
            resummoned=at is not None and at.resummons_id is not None and at.quorate_notice,
            # The body, from its members' rows (no query of its own): no members, no base.
            conflicted_in_base=(active[0].body.conflicted_in_quorum_base if active else True),
        )
        setattr(application, _TALLY_ATTRIBUTE, rules_of_tally.tally(data))


def application_tally(
    application: Application, *, meeting: Meeting | None = None
) -> rules_of_tally.Tally:
    """The committee's tally of one application (DOMAIN.md, "Committee review"), at its
    latest meeting or (``meeting``) at a given one; computed once per object. Callers
    that must see the latest votes (the decision, under its row lock) pass a freshly
    read application."""
    if meeting is not None or not hasattr(application, _TALLY_ATTRIBUTE):
        _compute_tallies([application], meeting)
    return getattr(application, _TALLY_ATTRIBUTE)


def counted_votes(application: Application) -> list[int]:
    """The ids of the votes the tally counted (the decision's audit entry keeps them, so
    a vote that came too late is visibly not among them)."""
    result = application_tally(application)
    votes = Vote.objects.filter(
        application=application, member_id__in=list(result.counted), void=False
    )
    if result.decision_mode == DecisionMode.MEETING:
        latest = (
            AgendaItem.objects.filter(application=application)
            .order_by("-meeting__starts_at", "-meeting_id")
            .values_list("meeting_id", flat=True)
            .first()
        )
        votes = votes.filter(meeting_id=latest)
    else:
        votes = votes.filter(meeting__isnull=True)
    return sorted(votes.values_list("pk", flat=True))


def decision_tally(application: Application) -> dict | None:
    """The tally the office's decision rested on, as its audit entry keeps it (``None``
    when the application was not decided from committee review)."""
    entry = (
        audit.trail_of(application)
        .filter(namespace="application", action__in=["approve", "reject"])
        .order_by("-at", "-pk")
        .first()
    )
    if entry is None or "tally" not in entry.data:
        return None
    recorded = entry.data["tally"]
    return {**recorded, "reason_text": str(rules_of_tally.REASON_TEXT[recorded["reason"]])}


def meetings_visible_to(user: User | AnonymousUser) -> QuerySet[Meeting]:
    """The office sees its programs' meetings, members their bodies' meetings; with what
    their serialisation reads (agenda with applications, attendance)."""
    meetings = Meeting.objects.select_related("body").prefetch_related(
        Prefetch(
            "items",
            queryset=AgendaItem.objects.select_related("application").order_by("position", "pk"),
        ),
        "present",
        "invitations_delivered",
    )
    if not user.is_authenticated:
        return meetings.none()
    if user.is_superuser:
        return meetings
    roles = roles_of(user)
    return meetings.filter(
        Q(body__program_id__in=roles.office_program_ids) | Q(body_id__in=roles.committee_body_ids)
    )


def sponsor_applications(user: User | AnonymousUser) -> QuerySet[Application]:
    """The applications of the organisations the user is a member of (the sponsor's
    start page), newest first, with what the page reads."""
    return (
        applications_visible_to(user)
        .filter(organization_id__in=organization_ids_of(user))
        .select_related("organization", "call", "program")
        .order_by("-created_at", "-pk")
    )


def member_organizations(user: User | AnonymousUser) -> QuerySet[Organization]:
    return Organization.objects.filter(pk__in=organization_ids_of(user)).order_by("name")


def open_calls(now=None) -> QuerySet[Call]:
    """The calls accepting applications now, the nearest deadline first."""
    now = now or timezone.now()
    return (
        Call.objects.filter(opens_at__lte=now, closes_at__gt=now)
        .select_related("program")
        .order_by("closes_at", "pk")
    )


def calls_with_body() -> QuerySet[Call]:
    """Calls with their program and deciding body, as a dossier names them."""
    return Call.objects.select_related("program", "body")


def applications_for_review(user: User | AnonymousUser) -> QuerySet[Application]:
    """The applications a body the user sits on reviews now, the nearest vote deadline
    first, each with the user's own written vote (``my_vote``: its choice, or ``None``)
    and whether a conflict of theirs is on record (``my_conflict``). Two queries for
    the page however many there are."""
    if not user.is_authenticated:
        return Application.objects.none()
    bodies = roles_of(user).committee_body_ids
    if not bodies:
        return Application.objects.none()
    mine = Vote.objects.filter(
        application=OuterRef("pk"), member=user, meeting__isnull=True, void=False
    )
    conflicts = ConflictDeclaration.objects.filter(application=OuterRef("pk"), member=user)
    return (
        Application.objects.filter(
            state=ApplicationState.COMMITTEE_REVIEW, call__body_id__in=bodies
        )
        .select_related("call", "call__body", "organization", "program")
        .annotate(
            my_vote=Subquery(mine.values("choice")[:1]),
            my_conflict=Exists(conflicts),
        )
        .order_by(F("call__vote_deadline").asc(nulls_last=True), "pk")
    )


# -- the office's work queues (PORTAL.md) ------------------------------------------------

# Each queue of applications: the state its files wait in for the office's next step.
OFFICE_QUEUES = {
    "submitted": ApplicationState.SUBMITTED,  # new submissions to check
    "revision_requested": ApplicationState.REVISION_REQUESTED,  # revisions awaited
    "committee_review": ApplicationState.COMMITTEE_REVIEW,  # votes pending, decisions
    "approved": ApplicationState.APPROVED,  # agreements not accepted yet
    "proof_submitted": ApplicationState.PROOF_SUBMITTED,  # proofs of use to check
    "repayment_due": ApplicationState.REPAYMENT_DUE,  # repayments awaited
}


def office_applications(user: User | AnonymousUser) -> QuerySet[Application]:
    """The applications of the programs whose office the user is (all for an admin)."""
    if not user.is_authenticated:
        return Application.objects.none()
    if user.is_superuser:
        return Application.objects.all()
    return Application.objects.filter(program_id__in=roles_of(user).office_program_ids)


# A queue counts its files up to this many (and one more, to say "more than"): each
# count then reads at most that many index entries, however large the program grows.
QUEUE_COUNT_CAP = 1000


class _CountOf(Subquery):
    """``COUNT(*)`` of a subquery (a sliced one: a bounded count)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def office_queue_counts(user: User | AnonymousUser) -> dict[str, int]:
    """How many files wait in each queue of the office, in one query whatever the number
    of applications: each queue is counted up to ``QUEUE_COUNT_CAP`` + 1 rows, so a
    count above the cap means "more than" (the dashboard says so)."""
    applications = office_applications(user)
    limit = QUEUE_COUNT_CAP + 1
    queues = {name: applications.filter(state=state) for name, state in OFFICE_QUEUES.items()}
    queues["receipts_requested"] = applications.filter(
        state=ApplicationState.PROOF_SUBMITTED, expenditures__receipt_requested=True
    ).distinct()
    queues["deletion_ahead"] = applications & retention.deletion_ahead(timezone.localdate())
    queues["retention_held"] = applications.filter(erased_at__isnull=True).exclude(
        retention_hold=""
    )
    for name, state in (
        ("payouts_requested", PayoutState.REQUESTED),
        ("payouts_approved", PayoutState.APPROVED),
    ):
        queues[name] = PayoutRequest.objects.filter(application__in=applications, state=state)
    counts = {name: _CountOf(queryset.values("pk")[:limit]) for name, queryset in queues.items()}
    # Any one-row table carries the scalar subqueries (none: nothing to count).
    row = Program.objects.annotate(**counts).values(*counts).order_by()[:1]
    return dict(row[0]) if row else dict.fromkeys(counts, 0)


def office_batches(user: User | AnonymousUser) -> QuerySet[PayoutBatch]:
    """The payout batches of the office's programs, newest first, with their payouts."""
    return (
        PayoutBatch.objects.filter(program__in=office_programs(user))
        .select_related("program", "created_by", "paid_by")
        .prefetch_related(
            Prefetch(
                "payouts",
                queryset=PayoutRequest.objects.select_related(
                    "application", "application__organization"
                ).order_by("pk"),
            )
        )
        .order_by("-created_at", "-pk")
    )


def office_programs(user: User | AnonymousUser) -> QuerySet[Program]:
    """The programs whose office the user is (all for an admin)."""
    if not user.is_authenticated:
        return Program.objects.none()
    if user.is_superuser:
        return Program.objects.all()
    return Program.objects.filter(pk__in=roles_of(user).office_program_ids)


def office_payouts(user: User | AnonymousUser, state: str) -> QuerySet[PayoutRequest]:
    return (
        PayoutRequest.objects.filter(application__in=office_applications(user), state=state)
        .select_related("application", "application__organization", "requested_by")
        .order_by("requested_at", "pk")
    )
