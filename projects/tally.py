"""The committee's tally (DOMAIN.md, "Committee review"), a pure function over plain data.

``projects.selectors.application_tally`` feeds it from the database; the API's
``/tally/``, the ``approve`` and ``reject`` conditions and the minutes all read its
answer, so the rule is written once, here.

The rules, as Zuwendo applies them:

- A *seat* is a voting member who is not a deputy, member on the tally's day. A deputy
  (Stellvertretung) stands in for one seat: their vote counts only when the member they
  stand in for has not voted (or may not: a conflicted member does not vote).
- A conflicted member (Befangenheit, § 20 VwVfG) neither votes nor acts; a seat is
  *eligible* when its member or its deputy is not conflicted.
- Written procedure (§ 91 VwVfG: Umlaufverfahren): the quorum is reached when the seats
  that voted (abstentions included) are more than half of the eligible seats.
- Meeting (§ 90 VwVfG): quorate only if every member was invited (``all_invited``: the
  invitation's delivery is recorded, § 90 Abs. 1 S. 1), and when the seats present
  (member or deputy, not conflicted: a conflicted member leaves for the item and counts
  as absent) are more than half of the quorum base: every seat when the body counts
  conflicted members in the base (``conflicted_in_base``, the default, § 90 read
  strictly), else the eligible seats. Only votes of people present count. A second
  meeting on the same items, invited with the notice that it will be quorate
  regardless of attendance (``resummoned``, § 90 Abs. 2), is quorate with those present.
- Both: at least the program's minimum quorum (``quorum_min``, default 3).
- Majority: more approve than reject; abstentions count for the quorum only. On a tie
  the vote of whoever chairs the item decides if they voted approve or reject: the
  chair, or the deputy chair when the chair is absent or conflicted; otherwise the
  application is not approved (outcome ``reject``).
- Undecided: no quorum; in meeting mode before attendance is recorded (``objection
  pending`` when a member's objection sent it there, else ``no meeting``) or while an
  invitation's delivery is missing; at a meeting with a quorum but no vote yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

APPROVE, REJECT, ABSTAIN = "approve", "reject", "abstain"
WRITTEN, MEETING = "written", "meeting"


class Reason:
    """Why the tally says what it says (stable codes; ``REASON_TEXT`` words them)."""

    MAJORITY = "majority"
    CHAIR_DECIDES_TIE = "chair_decides_tie"
    TIE_NOT_APPROVED = "tie_not_approved"
    NO_QUORUM = "no_quorum"
    NO_VOTES = "no_votes"
    OBJECTION_PENDING = "objection_pending"
    NO_MEETING = "no_meeting"
    NOT_ALL_INVITED = "not_all_invited"


REASON_TEXT = {
    Reason.MAJORITY: _("The majority of the votes cast decides."),
    Reason.CHAIR_DECIDES_TIE: _("The votes are tied; the chair's vote decides."),
    Reason.TIE_NOT_APPROVED: _(
        "The votes are tied and the chair did not vote for either side: not approved."
    ),
    Reason.NO_QUORUM: _("The body does not have a quorum."),
    Reason.NO_VOTES: _("No vote has been recorded yet."),
    Reason.OBJECTION_PENDING: _(
        "A member objected to the written procedure; the body decides at a meeting."
    ),
    Reason.NO_MEETING: _("The body decides at a meeting whose attendance is not recorded yet."),
    Reason.NOT_ALL_INVITED: _(
        "Not every member's invitation to the meeting was delivered (§ 90 Abs. 1 VwVfG): "
        "the meeting has no quorum."
    ),
}


@dataclass(frozen=True)
class Member:
    """A member of the deciding body on the tally's day."""

    user_id: int
    voting: bool = True
    chair: bool = False
    deputy_for: int | None = None  # the user id of the member they stand in for
    deputy_chair: bool = False


@dataclass(frozen=True)
class TallyInput:
    mode: str  # WRITTEN or MEETING
    members: tuple[Member, ...]
    quorum_min: int
    conflicted: frozenset[int] = frozenset()  # user ids excluded under § 20 VwVfG
    votes: Mapping[int, str] = field(default_factory=dict)  # user id → choice (valid votes)
    present: frozenset[int] | None = None  # meeting: who was present; None: not recorded
    objection: bool = False  # a member objected to the written procedure
    all_invited: bool = True  # meeting: every member's invitation was delivered
    resummoned: bool = False  # meeting: a second one, quorate regardless (§ 90 Abs. 2)
    conflicted_in_base: bool = True  # meeting: conflicted members count in the base


@dataclass(frozen=True)
class Tally:
    decision_mode: str
    eligible: int
    conflicted: tuple[int, ...]
    present: int | None
    votes: dict[str, int]
    counted: dict[int, str]  # whose votes counted (voter's user id → choice)
    quorum_required: int
    quorum_reached: bool
    outcome: str  # APPROVE, REJECT or "undecided"
    reason: str

    @property
    def reason_text(self) -> str:
        return str(REASON_TEXT[self.reason])

    def as_dict(self) -> dict:
        """The figures as JSON-ready data, without naming anybody: the API's ``/tally/``,
        the decision's audit entry and the minutes keep them."""
        return {
            "decision_mode": self.decision_mode,
            "eligible": self.eligible,
            "conflicted": len(self.conflicted),
            "present": self.present,
            "votes": dict(self.votes),
            "quorum_required": self.quorum_required,
            "quorum_reached": self.quorum_reached,
            "outcome": self.outcome,
            "reason": self.reason,
        }


UNDECIDED = "undecided"


def quorum_required(eligible: int, quorum_min: int) -> int:
    """More than half of the eligible seats, and at least the program's minimum."""
    return max(eligible // 2 + 1, quorum_min)


def tally(data: TallyInput) -> Tally:
    seats = [m for m in data.members if m.voting and m.deputy_for is None]
    seat_ids = {m.user_id for m in seats}
    deputy_of = {
        m.deputy_for: m.user_id for m in data.members if m.deputy_for in seat_ids and m.voting
    }
    meeting = data.mode == MEETING
    member_ids = {m.user_id for m in data.members}
    conflicted = tuple(sorted(data.conflicted & member_ids))

    def may_act(user_id: int | None) -> bool:
        if user_id is None or user_id in data.conflicted:
            return False
        return not meeting or (data.present is not None and user_id in data.present)

    eligible = 0
    present = 0
    counted: dict[int, str] = {}
    for seat in seats:
        holders = [seat.user_id, deputy_of.get(seat.user_id)]
        if any(h is not None and h not in data.conflicted for h in holders):
            eligible += 1
        elif meeting and data.conflicted_in_base:
            eligible += 1  # § 90 read strictly: still in the base, counted absent
        if any(may_act(h) for h in holders):
            present += 1
        for holder in holders:  # the member first, their deputy only in their stead
            if may_act(holder) and holder in data.votes:
                counted[holder] = data.votes[holder]
                break

    counts = {APPROVE: 0, REJECT: 0, ABSTAIN: 0}
    for choice in counted.values():
        counts[choice] += 1
    required = quorum_required(eligible, data.quorum_min)
    if meeting and data.resummoned:
        required = max(1, data.quorum_min)  # § 90 Abs. 2: with those present
    if meeting:
        reached = data.all_invited and data.present is not None and present >= required
    else:
        reached = sum(counts.values()) >= required

    def result(outcome: str, reason: str) -> Tally:
        return Tally(
            decision_mode=data.mode,
            eligible=eligible,
            conflicted=conflicted,
            present=present if meeting else None,
            votes=counts,
            counted=counted,
            quorum_required=required,
            quorum_reached=reached,
            outcome=outcome,
            reason=reason,
        )

    if meeting and data.present is None:
        return result(UNDECIDED, Reason.OBJECTION_PENDING if data.objection else Reason.NO_MEETING)
    if meeting and not data.all_invited:
        return result(UNDECIDED, Reason.NOT_ALL_INVITED)
    if not reached:
        return result(UNDECIDED, Reason.NO_QUORUM)
    if not counted:
        return result(UNDECIDED, Reason.NO_VOTES)
    if counts[APPROVE] != counts[REJECT]:
        winner = APPROVE if counts[APPROVE] > counts[REJECT] else REJECT
        return result(winner, Reason.MAJORITY)
    chairing = next((m.user_id for m in data.members if m.chair and may_act(m.user_id)), None)
    if chairing is None:
        chairing = next(
            (m.user_id for m in data.members if m.deputy_chair and may_act(m.user_id)), None
        )
    chair_vote = counted.get(chairing) if chairing is not None else None
    if chair_vote in (APPROVE, REJECT):
        return result(chair_vote, Reason.CHAIR_DECIDES_TIE)
    return result(REJECT, Reason.TIE_NOT_APPROVED)
