"""Meetings of a decision body (Sitzung, § 90 VwVfG) and their minutes (§ 93 VwVfG).

The office invites with an agenda (the applications), records who is present and the
votes taken, and keeps the minutes; the chair signs them. The first signature freezes
the record: attendance, agenda and votes no longer change, and each item keeps the tally
as it stood. The minutes PDF is rendered from these rows (the documents issue).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import rules
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.errors import InvalidInput, PermissionDenied, TransitionNotAllowed, require
from grants.models import DecisionBody, User
from grants.selectors import body_members_on
from projects.models import AgendaItem, Application, Meeting, Vote
from projects.selectors import application_for_update, application_tally
from projects.states import ApplicationState, DecisionMode
from workflows.committee import is_conflicted, locked_under_review, put_vote


def _refuse_if_frozen(meeting: Meeting) -> None:
    if meeting.is_frozen:
        raise TransitionNotAllowed(_("The minutes are signed; the meeting's record is final."))


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("body").get(pk=meeting.pk)


def _check_agenda(body: DecisionBody, applications: Sequence[Application]) -> None:
    """Only applications this body decides, under its review, once each."""
    problems = []
    if len({a.pk for a in applications}) != len(applications):
        problems.append(_("An application is on the agenda twice."))
    for application in applications:
        if application.call.body_id != body.pk:
            problems.append(
                _("%(reference)s is decided by another body.")
                % {"reference": application.reference or application.pk}
            )
        elif application.state != ApplicationState.COMMITTEE_REVIEW:
            problems.append(
                _("%(reference)s is not under committee review.")
                % {"reference": application.reference or application.pk}
            )
    if problems:
        raise InvalidInput(errors={"agenda": problems})


def _set_agenda(meeting: Meeting, applications: Sequence[Application], actor: User) -> None:
    """Put the applications on the agenda in the given order; the body now decides them
    at a meeting (``decision_mode``), whichever way they were going before."""
    locked = [application_for_update(a, with_lines=False) for a in applications]
    _check_agenda(meeting.body, locked)
    meeting.items.exclude(application__in=locked).delete()
    for position, application in enumerate(locked, start=1):
        AgendaItem.objects.update_or_create(
            meeting=meeting, application=application, defaults={"position": position}
        )
        if application.decision_mode != DecisionMode.MEETING:
            application.decision_mode = DecisionMode.MEETING
            application.save(update_fields=["decision_mode", "updated_at"])
            audit.record(
                event="application.decide_at_meeting",
                trail=application,
                actor=actor,
                source=DecisionMode.WRITTEN,
                target=DecisionMode.MEETING,
                data={"meeting": meeting.pk},
            )


def meeting_create(
    *,
    actor: User,
    body: DecisionBody,
    starts_at: datetime,
    place: str,
    agenda: Sequence[Application] = (),
    notes: str = "",
    resummons: Meeting | None = None,
    quorate_notice: bool = False,
) -> Meeting:
    """The office calls a meeting of one of its program's bodies with an agenda. A
    second meeting on items of an earlier one (``resummons``) may be invited with the
    notice that it is quorate regardless of attendance (§ 90 Abs. 2 VwVfG)."""
    require(actor, "projects.manage_meetings", body)
    _check_resummons(body, starts_at, agenda, resummons, quorate_notice)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            body=body,
            starts_at=starts_at,
            place=place,
            notes=notes,
            created_by=actor,
            resummons=resummons,
            quorate_notice=quorate_notice,
        )
        _set_agenda(meeting, agenda, actor)
        audit.record(
            event="meeting.create",
            trail=meeting,
            actor=actor,
            data={"agenda": [a.pk for a in agenda], "starts_at": starts_at.isoformat()},
        )
    return meeting


def _check_resummons(
    body: DecisionBody,
    starts_at: datetime,
    agenda: Sequence[Application],
    resummons: Meeting | None,
    quorate_notice: bool,
) -> None:
    """§ 90 Abs. 2 VwVfG: the notice belongs to a second meeting of the same body, later
    than the first, on items the first had on its agenda."""
    if resummons is None:
        if quorate_notice:
            raise InvalidInput(
                errors={
                    "quorate_notice": [
                        _("Only a meeting called again after one without a quorum has the notice.")
                    ]
                }
            )
        return
    problems: dict[str, list[str]] = {}
    if resummons.body_id != body.pk or resummons.starts_at >= starts_at:
        problems["resummons"] = [_("An earlier meeting of the same body.")]
    earlier = set(resummons.items.values_list("application_id", flat=True))
    others = sorted(a.pk for a in agenda if a.pk not in earlier)
    if quorate_notice and others:
        problems["agenda"] = [
            _("With the notice, only items of the earlier meeting: not %(ids)s.")
            % {"ids": ", ".join(str(pk) for pk in others)}
        ]
    if problems:
        raise InvalidInput(errors=problems)


def meeting_update(
    *,
    meeting: Meeting,
    actor: User,
    agenda: Sequence[Application] | None = None,
    **fields,
) -> Meeting:
    """The office changes time, place, notes or agenda until the minutes are signed."""
    require(actor, "projects.manage_meetings", meeting)
    with transaction.atomic():
        locked = _lock(meeting)
        _refuse_if_frozen(locked)
        changes = {}
        for name, value in fields.items():
            old = getattr(locked, name)
            if old != value:
                changes[name] = [str(old), str(value)]
                setattr(locked, name, value)
        locked.save()
        if agenda is not None:
            _set_agenda(locked, agenda, actor)
            changes["agenda"] = [a.pk for a in agenda]
        audit.record(event="meeting.update", trail=locked, actor=actor, data=changes)
    return locked


def meeting_attendance(*, meeting: Meeting, actor: User, present: Sequence[User]) -> Meeting:
    """§ 90 VwVfG: the office records who is present; only members of the body on the
    meeting's day can be. The quorum then counts the eligible voting members present."""
    require(actor, "projects.manage_meetings", meeting)
    with transaction.atomic():
        locked = _lock(meeting)
        _refuse_if_frozen(locked)
        day = timezone.localdate(locked.starts_at)
        members = set(body_members_on(locked.body_id, day).values_list("user_id", flat=True))
        strangers = sorted(user.pk for user in present if user.pk not in members)
        if strangers:
            raise InvalidInput(
                errors={
                    "present": [
                        _("Not members of the body on the meeting's day: %(ids)s.")
                        % {"ids": ", ".join(str(pk) for pk in strangers)}
                    ]
                }
            )
        locked.present.set(present)
        locked.attendance_recorded_at = timezone.now()
        locked.save(update_fields=["attendance_recorded_at"])
        audit.record(
            event="meeting.attendance",
            trail=locked,
            actor=actor,
            data={"present": sorted(user.pk for user in present)},
        )
    return locked


def meeting_vote_record(
    *,
    meeting: Meeting,
    actor: User,
    application: Application,
    member: User,
    choice: str,
    comment: str = "",
) -> tuple[Vote, bool]:
    """The office records a vote taken at the meeting: by a voting member or deputy of
    the body who is present and not conflicted, on an item of the agenda still under
    review (409 once decided). Recording again changes the vote."""
    require(actor, "projects.manage_meetings", meeting)
    with transaction.atomic():
        locked_meeting = _lock(meeting)
        _refuse_if_frozen(locked_meeting)
        locked = locked_under_review(application)
        if not locked_meeting.items.filter(application=locked).exists():
            raise InvalidInput(errors={"application": [_("Not on this meeting's agenda.")]})
        if locked_meeting.attendance_recorded_at is None:
            raise InvalidInput(errors={"member": [_("Record the attendance first.")]})
        if not locked_meeting.present.filter(pk=member.pk).exists():
            raise InvalidInput(errors={"member": [_("This member is not present.")]})
        day = timezone.localdate(locked_meeting.starts_at)
        if (
            not body_members_on(locked_meeting.body_id, day)
            .filter(user=member, voting=True)
            .exists()
        ):
            raise InvalidInput(errors={"member": [_("This member does not vote.")]})
        if is_conflicted(locked, member):
            raise InvalidInput(
                errors={"member": [_("A conflict of interest is on record for this member.")]}
            )
        vote, created = put_vote(
            application=locked,
            member=member,
            meeting=locked_meeting,
            choice=choice,
            comment=comment,
            actor=actor,
        )
    return vote, created


def meeting_votes_record(
    *,
    meeting: Meeting,
    actor: User,
    application: Application,
    votes: dict[User, str],
) -> int:
    """The votes taken on one item, several members at once (the portal's form): each as
    ``meeting_vote_record`` checks it, all or none. Answers how many were recorded."""
    with transaction.atomic():
        for member, choice in votes.items():
            try:
                meeting_vote_record(
                    meeting=meeting,
                    actor=actor,
                    application=application,
                    member=member,
                    choice=choice,
                )
            except InvalidInput as error:
                name = member.get_full_name() or member.username
                problems = [f"{name}: {p}" for ps in error.errors.values() for p in ps]
                raise InvalidInput(
                    errors={"votes": problems or [f"{name}: {error.detail}"]}
                ) from error
    return len(votes)


def meeting_invite(*, meeting: Meeting, actor: User) -> Meeting:
    """The office sends the invitation with the agenda to the body's members (by e-mail,
    after commit; the dossier PDF comes with the documents issue)."""
    require(actor, "projects.manage_meetings", meeting)
    with transaction.atomic():
        locked = _lock(meeting)
        _refuse_if_frozen(locked)
        locked.invited_at = timezone.now()
        locked.save(update_fields=["invited_at"])
        audit.record(event="meeting.invite", trail=locked, actor=actor)
    return locked


INVITED_BY = ("post", "hand", "other")


def meeting_invitation_record(
    *, meeting: Meeting, actor: User, member: User, how: str, comment: str = ""
) -> Meeting:
    """§ 90 Abs. 1 S. 1 VwVfG: the office records that a member got the invitation by
    other means than e-mail (a letter, by hand), e.g. a member without an address."""
    require(actor, "projects.manage_meetings", meeting)
    with transaction.atomic():
        locked = _lock(meeting)
        _refuse_if_frozen(locked)
        day = timezone.localdate(locked.starts_at)
        if not body_members_on(locked.body_id, day).filter(user_id=member.pk).exists():
            raise InvalidInput(
                errors={"member": [_("Not a member of the body on the meeting's day.")]}
            )
        if how not in INVITED_BY:
            raise InvalidInput(errors={"how": [_("Say how: post, hand or other.")]})
        locked.invitations_delivered.add(member)
        audit.record(
            event="meeting.invitation_delivered",
            trail=locked,
            actor=actor,
            comment=comment,
            data={"member": member.pk, "how": how},
        )
    return locked


def meeting_sign(*, meeting: Meeting, actor: User, signature: str = "") -> Meeting:
    """§ 93 VwVfG: the minutes are signed by the chair and by the keeper (the office).
    ``signature`` says which signature the actor gives (default: the chair's if they chair the
    body). The first signature freezes the record and keeps each item's tally."""
    with transaction.atomic():
        locked = _lock(meeting)
        was_frozen = locked.is_frozen
        if not signature:
            chairs = rules.has_perm("projects.sign_as_chair", actor, locked)
            signature = "chair" if chairs else "keeper"
        if signature == "chair":
            if not rules.has_perm("projects.sign_as_chair", actor, locked):
                raise PermissionDenied(_("Only the body's chair signs as chair."))
            if locked.chair_signed_at:
                raise TransitionNotAllowed(_("The chair has signed already."))
            locked.chair_signer, locked.chair_signed_at = actor, timezone.now()
        elif signature == "keeper":
            require(actor, "projects.manage_meetings", locked)
            if locked.keeper_signed_at:
                raise TransitionNotAllowed(_("The keeper of the minutes has signed already."))
            locked.keeper, locked.keeper_signed_at = actor, timezone.now()
        else:
            raise InvalidInput(errors={"signature": [_("Sign as “chair” or as “keeper”.")]})
        if not was_frozen:
            _keep_outcomes(locked)
        locked.save()
        audit.record(event="meeting.sign", trail=locked, actor=actor, data={"signature": signature})
    return locked


def _keep_outcomes(meeting: Meeting) -> None:
    for item in meeting.items.select_related("application__call", "application__program"):
        application = item.application
        if application.state == ApplicationState.COMMITTEE_REVIEW:
            result = application_tally(application, meeting=meeting)
            item.outcome = {**result.as_dict(), "reason_text": result.reason_text}
        else:
            item.outcome = {"state": application.state}
        item.save(update_fields=["outcome"])
