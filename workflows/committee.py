"""The committee's review of an application (DOMAIN.md, "Committee review"): votes in the
written procedure, conflicts of interest, objections, and reopening the vote.

Every service locks the application row first, like the transition runner does, so a
vote and the office's decision never cross: a vote that arrives while the decision is
being recorded waits, then finds the application decided and is refused with 409; one
that came first is counted, and the decision's audit entry names it. Committee records
have their own audit trails (the vote's, the conflict's, the objection's), not the
application's: its history is read by the sponsor, the body's deliberation is not.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import rules
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import audit
from core.errors import (
    InvalidInput,
    PermissionDenied,
    TransitionNotAllowed,
    require,
    require_role,
)
from core.money import format_eur
from grants.models import User
from grants.selectors import body_members_on
from projects.models import (
    Application,
    ConflictDeclaration,
    Meeting,
    Objection,
    Recommendation,
    Vote,
)
from projects.selectors import application_for_update, application_locked_in
from projects.states import ApplicationState, DecisionMode


def locked_under_review(application: Application) -> Application:
    """The application locked (``SELECT … FOR UPDATE``); 409 unless the body is still
    reviewing it: votes, objections and conflicts end with the decision."""
    return application_locked_in(
        application,
        ApplicationState.COMMITTEE_REVIEW,
        _("The committee's review has ended: the application is “%(state)s”."),
    )


def is_conflicted(application: Application, user: User) -> bool:
    return ConflictDeclaration.objects.filter(
        application=application, member=user, excluded=True
    ).exists()


def _refuse_if_conflicted(application: Application, user: User) -> None:
    """§ 20 VwVfG: a conflicted member takes no part in deliberation or vote."""
    if is_conflicted(application, user):
        raise PermissionDenied(
            _("A conflict of interest is on record for you: you take no part in this decision.")
        )


def voting_deadline(application: Application) -> datetime | None:
    """The end of the written vote: the call's vote deadline, or later when the office
    reopened the vote; ``None``: no deadline."""
    deadline = application.call.vote_deadline
    extended = application.voting_extended_until
    if deadline is None:
        return None
    return max(deadline, extended) if extended else deadline


def _refuse_unless_written_vote_open(application: Application) -> None:
    if application.decision_mode == DecisionMode.MEETING:
        raise TransitionNotAllowed(
            _("This application is decided at a meeting; the votes are taken there.")
        )
    deadline = voting_deadline(application)
    if deadline is not None and timezone.now() >= deadline:
        raise TransitionNotAllowed(
            _("The vote closed on %(when)s; the office may reopen it.")
            % {"when": formats.date_format(timezone.localtime(deadline), "DATETIME_FORMAT")}
        )


def vote_cast(
    *, application: Application, actor: User, choice: str, comment: str = ""
) -> tuple[Vote, bool]:
    """DOMAIN.md: a voting member (or a deputy) votes approve, reject or abstain with a
    comment, once per application; voting again changes the vote, until the decision is
    recorded (409 after) and before the call's vote deadline in the written procedure
    (409, unless the office reopened it). A conflicted member cannot vote (403).
    Answers the vote and whether it is new."""
    with transaction.atomic():
        locked = locked_under_review(application)
        require_role(actor, "projects.vote", locked)
        _refuse_unless_written_vote_open(locked)
        _refuse_if_conflicted(locked, actor)
        vote, created = put_vote(
            application=locked,
            member=actor,
            meeting=None,
            choice=choice,
            comment=comment,
            actor=actor,
        )
    return vote, created


def put_vote(
    *,
    application: Application,
    member: User,
    meeting: Meeting | None,
    choice: str,
    comment: str,
    actor: User,
) -> tuple[Vote, bool]:
    """Record ``member``'s vote (in writing, or taken at ``meeting``) or change it, and
    audit it in the vote's own trail. The caller holds the application's lock and has
    checked who may vote."""
    vote = Vote.objects.filter(
        application=application, member=member, meeting=meeting, void=False
    ).first()
    created = vote is None
    previous = "" if created else vote.choice
    first = "vote.cast" if meeting is None else "vote.record"
    if created:
        vote = Vote.objects.create(
            application=application,
            member=member,
            meeting=meeting,
            choice=choice,
            comment=comment,
            recorded_by=actor,
        )
    else:
        vote.choice, vote.comment = choice, comment
        vote.save(update_fields=["choice", "comment", "changed_at"])
    data = {"application": application.pk}
    if meeting is not None:
        data.update(meeting=meeting.pk, member=member.pk)
    audit.record(
        event=first if created else "vote.change",
        trail=vote,
        actor=actor,
        source=previous,
        target=choice,
        comment=comment,
        data=data,
    )
    return vote, created


def conflict_declare(
    *, application: Application, actor: User, reason: str, member: User | None = None
) -> ConflictDeclaration:
    """§ 20 VwVfG (Befangenheit): a member declares a conflict for themself, or the office
    records one for a member of the deciding body. From then on the member cannot vote
    on the application; a vote they cast before is void (kept, marked, audited)."""
    with transaction.atomic():
        locked = locked_under_review(application)
        if member is None and not rules.has_perm("projects.declare_conflict", actor, locked):
            require(actor, "projects.manage_review", locked)
            raise InvalidInput(errors={"member": [_("Name the member the conflict concerns.")]})
        member = member or actor
        if member == actor:
            require_role(actor, "projects.declare_conflict", locked)
        else:
            require(actor, "projects.manage_review", locked)
            members = body_members_on(locked.call.body_id, timezone.localdate())
            if not members.filter(user=member).exists():
                raise InvalidInput(
                    errors={"member": [_("This person is not a member of the deciding body.")]}
                )
        if ConflictDeclaration.objects.filter(application=locked, member=member).exists():
            raise InvalidInput(
                errors={"member": [_("A conflict of interest is already on record.")]}
            )
        conflict = ConflictDeclaration.objects.create(
            application=locked, member=member, reason=reason, recorded_by=actor
        )
        audit.record(
            event="conflict.declare",
            trail=conflict,
            actor=actor,
            comment=reason,
            data={"application": locked.pk, "member": member.pk},
        )
        now = timezone.now()
        for vote in Vote.objects.filter(application=locked, member=member, void=False):
            vote.void, vote.voided_at = True, now
            vote.save(update_fields=["void", "voided_at"])
            audit.record(
                event="vote.void",
                trail=vote,
                actor=actor,
                source=vote.choice,
                comment=reason,
                data={"application": locked.pk, "conflict": conflict.pk},
            )
    return conflict


def conflict_decide(
    *, conflict: ConflictDeclaration, actor: User, excluded: bool, comment: str
) -> ConflictDeclaration:
    """§ 20 Abs. 4 VwVfG: in a doubtful case the body decides, without the member,
    whether the member is excluded; the office records that decision. A member found not
    excluded may vote again (votes voided before stay void)."""
    with transaction.atomic():
        locked = locked_under_review(conflict.application)
        require(actor, "projects.manage_review", locked)
        conflict = ConflictDeclaration.objects.select_for_update().get(pk=conflict.pk)
        previous = conflict.excluded
        conflict.excluded = excluded
        conflict.decided_at, conflict.decided_by = timezone.now(), actor
        conflict.decision_comment = comment
        conflict.save(update_fields=["excluded", "decided_at", "decided_by", "decision_comment"])
        audit.record(
            event="conflict.decide",
            trail=conflict,
            actor=actor,
            source="excluded" if previous else "not_excluded",
            target="excluded" if excluded else "not_excluded",
            comment=comment,
            data={"application": locked.pk, "member": conflict.member_id},
        )
    return conflict


def objection_raise(*, application: Application, actor: User, reason: str) -> Objection:
    """§ 90 Abs. 1 S. 2 VwVfG: any voting member may object to deciding in writing while
    the written vote runs; the application then goes to a meeting (``decision_mode``
    becomes ``meeting``) and the office and the chair are told."""
    with transaction.atomic():
        locked = locked_under_review(application)
        require_role(actor, "projects.object", locked)
        _refuse_unless_written_vote_open(locked)
        _refuse_if_conflicted(locked, actor)
        objection = Objection.objects.create(application=locked, member=actor, reason=reason)
        locked.decision_mode = DecisionMode.MEETING
        locked.save(update_fields=["decision_mode", "updated_at"])
        audit.record(
            event="objection.raise",
            trail=objection,
            actor=actor,
            source=DecisionMode.WRITTEN,
            target=DecisionMode.MEETING,
            comment=reason,
            data={"application": locked.pk},
        )
    return objection


def voting_reopen(
    *, application: Application, actor: User, until: datetime, comment: str = ""
) -> Application:
    """The office reopens the written vote after the call's deadline, until a later
    moment (audited in the application's history)."""
    with transaction.atomic():
        locked = locked_under_review(application)
        require(actor, "projects.manage_review", locked)
        if locked.decision_mode == DecisionMode.MEETING:
            raise TransitionNotAllowed(
                _("This application is decided at a meeting; the votes are taken there.")
            )
        if until <= timezone.now():
            raise InvalidInput(errors={"until": [_("Choose a moment in the future.")]})
        previous = locked.voting_extended_until
        locked.voting_extended_until = until
        locked.save(update_fields=["voting_extended_until", "updated_at"])
        audit.record(
            event="application.reopen_voting",
            trail=locked,
            actor=actor,
            comment=comment,
            data={
                "until": until.isoformat(),
                "previous": previous.isoformat() if previous else None,
            },
        )
    return locked


def recommendation_record(
    *,
    application: Application,
    actor: User,
    choice: str,
    amount: Decimal | None = None,
    text: str = "",
) -> Recommendation:
    """The office's recommendation to the body (Votum), recorded or changed until the
    decision; the dossier prints it. A recommended grant goes with approval only and is
    at most the requested one. Audited in the recommendation's own trail: the sponsor
    reads the application's history, not the office's advice to the body."""
    with transaction.atomic():
        locked = application_for_update(application, with_lines=False)
        require(actor, "projects.manage_review", locked)
        if locked.state not in (ApplicationState.SUBMITTED, ApplicationState.COMMITTEE_REVIEW):
            raise TransitionNotAllowed(
                _("The application is “%(state)s”: the recommendation can no longer change.")
                % {"state": locked.get_state_display()}
            )
        if amount is not None and choice == Recommendation.Choice.REJECT:
            raise InvalidInput(
                errors={"amount": [_("A grant is recommended only with an approval.")]}
            )
        if amount is not None and amount > locked.requested_amount:
            raise InvalidInput(
                errors={
                    "amount": [
                        _("At most the requested %(amount)s.")
                        % {"amount": format_eur(locked.requested_amount)}
                    ]
                }
            )
        recommendation, created = Recommendation.objects.update_or_create(
            application=locked,
            defaults={"choice": choice, "amount": amount, "text": text, "recorded_by": actor},
        )
        audit.record(
            event="recommendation.record" if created else "recommendation.change",
            trail=recommendation,
            actor=actor,
            comment=text,
            data={"choice": choice, "amount": str(amount) if amount is not None else None},
        )
    return recommendation
