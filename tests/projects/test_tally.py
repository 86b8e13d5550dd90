"""The committee's tally (``projects.tally``) against a small reference written here from
DOMAIN.md, "Committee review", on random bodies, conflicts, votes and attendance; and the
boundary cases by name."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from projects.tally import MEETING, WRITTEN, Member, Reason, TallyInput, tally

CHOICES = ("approve", "reject", "abstain")


def reference(data: TallyInput) -> dict:
    """DOMAIN.md, "Committee review" (as corrected for #21), read person by person:
    only voting members count; a deputy votes only when the member they stand in for
    does not (or may not); conflicted members neither vote nor take part. In writing the
    quorum is more than half of the eligible (not conflicted) members voting. A meeting
    is quorate only if every member's invitation was delivered and more than half of the
    quorum base is present: every seat when the body counts conflicted members in the
    base (the default), else the eligible ones; conflicted members count as absent; a
    second meeting invited with the notice is quorate with those present. Both need at
    least the program's minimum. More approve than reject wins; abstentions count for the
    quorum only; a tie is decided by whoever chairs (the chair, or the deputy chair when
    the chair is absent or conflicted) if they voted, otherwise not approved."""
    members = list(data.members)
    regular = [m for m in members if m.voting and m.deputy_for is None]
    deputy = {m.deputy_for: m.user_id for m in members if m.deputy_for is not None and m.voting}
    meeting = data.mode == MEETING

    def excluded(user):
        return user is None or user in data.conflicted

    def takes_part(user):
        if excluded(user):
            return False
        if not meeting:
            return True
        return data.present is not None and user in data.present

    base = 0
    attending = 0
    ballots = []
    ballot_of = {}
    for m in regular:
        stand_in = deputy.get(m.user_id)
        in_base = not excluded(m.user_id) or not excluded(stand_in)
        if in_base or (meeting and data.conflicted_in_base):  # counted absent, § 90 strictly
            base += 1
        if takes_part(m.user_id) or takes_part(stand_in):
            attending += 1
        own = data.votes.get(m.user_id) if takes_part(m.user_id) else None
        theirs = data.votes.get(stand_in) if takes_part(stand_in) else None
        ballot = own if own is not None else theirs
        if own is not None:
            ballot_of[m.user_id] = own
        elif theirs is not None:
            ballot_of[stand_in] = theirs
        if ballot is not None:
            ballots.append(ballot)
    chair = next((m.user_id for m in members if m.chair and takes_part(m.user_id)), None)
    if chair is None:
        chair = next((m.user_id for m in members if m.deputy_chair and takes_part(m.user_id)), None)
    chair_ballot = ballot_of.get(chair)

    def quorate(count):
        if meeting and data.resummoned:
            return count >= max(1, data.quorum_min)
        return 2 * count > base and count >= data.quorum_min

    counts = {choice: ballots.count(choice) for choice in CHOICES}
    figures = {"eligible": base, "votes": counts}
    if meeting:
        figures["present"] = attending
        if data.present is None:
            reason = Reason.OBJECTION_PENDING if data.objection else Reason.NO_MEETING
            return {**figures, "quorum_reached": False, "outcome": "undecided", "reason": reason}
        if not data.all_invited:
            reason = Reason.NOT_ALL_INVITED
            return {**figures, "quorum_reached": False, "outcome": "undecided", "reason": reason}
        reached = quorate(attending)
    else:
        reached = quorate(len(ballots))
    figures["quorum_reached"] = reached
    if not reached:
        return {**figures, "outcome": "undecided", "reason": Reason.NO_QUORUM}
    if not ballots:
        return {**figures, "outcome": "undecided", "reason": Reason.NO_VOTES}
    if counts["approve"] > counts["reject"]:
        return {**figures, "outcome": "approve", "reason": Reason.MAJORITY}
    if counts["reject"] > counts["approve"]:
        return {**figures, "outcome": "reject", "reason": Reason.MAJORITY}
    if chair_ballot in ("approve", "reject"):
        return {**figures, "outcome": chair_ballot, "reason": Reason.CHAIR_DECIDES_TIE}
    return {**figures, "outcome": "reject", "reason": Reason.TIE_NOT_APPROVED}


def smallest_quorum(eligible: int, quorum_min: int) -> int:
    n = 0
    while not (2 * n > eligible and n >= quorum_min):
        n += 1
    return n


@st.composite
def situations(draw) -> TallyInput:
    size = draw(st.integers(min_value=0, max_value=9))
    members: list[Member] = []
    without_deputy: list[int] = []
    for user in range(1, size + 1):
        kind = draw(st.sampled_from(["voting", "voting", "advisory", "deputy"]))
        if kind == "deputy" and without_deputy:
            principal = draw(st.sampled_from(without_deputy))
            without_deputy.remove(principal)
            members.append(Member(user_id=user, deputy_for=principal))
        else:
            voting = kind != "advisory"
            members.append(Member(user_id=user, voting=voting))
            if voting:
                without_deputy.append(user)
    chairs = [m for m in members if m.deputy_for is None]
    if chairs and draw(st.booleans()):
        chair = draw(st.sampled_from(chairs))
        members[members.index(chair)] = Member(chair.user_id, chair.voting, chair=True)
    deputies = [m for m in members if m.deputy_for is None and not m.chair]
    if deputies and draw(st.booleans()):
        second = draw(st.sampled_from(deputies))
        members[members.index(second)] = Member(second.user_id, second.voting, deputy_chair=True)
    users = [m.user_id for m in members]
    subset = st.frozensets(st.sampled_from(users)) if users else st.just(frozenset())
    voters = draw(subset)
    mode = draw(st.sampled_from([WRITTEN, MEETING]))
    return TallyInput(
        mode=mode,
        members=tuple(members),
        quorum_min=draw(st.integers(min_value=0, max_value=12)),
        conflicted=draw(subset),
        votes={user: draw(st.sampled_from(CHOICES)) for user in sorted(voters)},
        present=draw(st.none() | subset) if mode == MEETING else None,
        objection=mode == MEETING and draw(st.booleans()),
        all_invited=mode != MEETING or draw(st.booleans()),
        resummoned=mode == MEETING and draw(st.booleans()),
        conflicted_in_base=draw(st.booleans()),
    )


def _figures(result) -> dict:
    figures = {
        "eligible": result.eligible,
        "votes": result.votes,
        "quorum_reached": result.quorum_reached,
        "outcome": result.outcome,
        "reason": result.reason,
    }
    if result.decision_mode == MEETING:
        figures["present"] = result.present
    return figures


@settings(max_examples=600, deadline=None)
@given(situations())
def test_tally_agrees_with_the_reference(data):
    result = tally(data)
    assert _figures(result) == reference(data)
    if data.mode == MEETING and data.resummoned:  # § 90 Abs. 2: with those present
        assert result.quorum_required == max(1, data.quorum_min)
    else:
        assert result.quorum_required == smallest_quorum(result.eligible, data.quorum_min)


@given(situations())
def test_counted_votes_come_from_members_who_may_vote(data):
    result = tally(data)
    for voter, choice in result.counted.items():
        assert voter not in data.conflicted
        assert data.votes[voter] == choice
        if data.mode == MEETING:
            assert voter in data.present
    assert sum(result.votes.values()) == len(result.counted) <= result.eligible


def _body(count: int, *, chair: int | None = None) -> tuple[Member, ...]:
    return tuple(Member(user_id=u, chair=u == chair) for u in range(1, count + 1))


def written(members, votes, *, quorum_min=3, conflicted=frozenset()):
    return tally(
        TallyInput(
            mode=WRITTEN,
            members=members,
            quorum_min=quorum_min,
            conflicted=frozenset(conflicted),
            votes=votes,
        )
    )


def test_exactly_half_voting_is_no_quorum():
    result = written(_body(6), {1: "approve", 2: "approve", 3: "reject"})
    assert (result.quorum_required, result.quorum_reached) == (4, False)
    assert (result.outcome, result.reason) == ("undecided", Reason.NO_QUORUM)


def test_one_more_than_half_is_a_quorum():
    result = written(_body(6), {1: "approve", 2: "approve", 3: "reject", 4: "abstain"})
    assert result.quorum_reached
    assert (result.outcome, result.reason) == ("approve", Reason.MAJORITY)


def test_quorum_minimum_above_the_eligible_count_is_never_reached():
    result = written(_body(2), {1: "approve", 2: "approve"}, quorum_min=3)
    assert (result.eligible, result.quorum_required) == (2, 3)
    assert result.outcome == "undecided"


def test_everyone_conflicted_leaves_nobody_to_decide():
    votes = {1: "approve", 2: "approve", 3: "approve"}
    result = written(_body(3), votes, quorum_min=0, conflicted={1, 2, 3})
    assert (result.eligible, result.votes["approve"], result.quorum_required) == (0, 0, 1)
    assert (result.outcome, result.reason) == ("undecided", Reason.NO_QUORUM)


def test_conflicted_member_lowers_the_eligible_count_and_their_vote_is_not_counted():
    votes = {1: "reject", 2: "approve", 3: "approve"}
    result = written(_body(4), votes, quorum_min=2, conflicted={1})
    assert result.eligible == 3
    assert result.votes == {"approve": 2, "reject": 0, "abstain": 0}
    assert result.outcome == "approve"


def test_abstentions_count_for_the_quorum_not_the_majority():
    votes = {1: "approve", 2: "abstain", 3: "abstain"}
    result = written(_body(4), votes)
    assert result.quorum_reached
    assert (result.outcome, result.reason) == ("approve", Reason.MAJORITY)


def test_tie_decided_by_the_chairs_vote():
    votes = {1: "reject", 2: "approve", 3: "abstain", 4: "reject", 5: "approve"}
    result = written(_body(5, chair=4), votes)
    assert (result.outcome, result.reason) == ("reject", Reason.CHAIR_DECIDES_TIE)
    result = written(_body(5, chair=2), votes)
    assert (result.outcome, result.reason) == ("approve", Reason.CHAIR_DECIDES_TIE)


def test_tie_without_the_chairs_vote_is_not_approved():
    votes = {1: "approve", 2: "reject", 3: "abstain"}
    result = written(_body(5, chair=3), votes)
    assert (result.outcome, result.reason) == ("reject", Reason.TIE_NOT_APPROVED)
    result = written(_body(5, chair=5), votes)
    assert (result.outcome, result.reason) == ("reject", Reason.TIE_NOT_APPROVED)


def test_deputy_counts_only_when_the_member_has_not_voted():
    members = (*_body(3), Member(user_id=9, deputy_for=1))
    both = written(members, {1: "reject", 9: "approve", 2: "approve", 3: "reject"})
    assert both.counted == {1: "reject", 2: "approve", 3: "reject"}
    stand_in = written(members, {9: "approve", 2: "approve", 3: "reject"})
    assert stand_in.counted == {9: "approve", 2: "approve", 3: "reject"}
    assert stand_in.outcome == "approve"


def test_deputy_stands_in_for_a_conflicted_member():
    members = (*_body(3), Member(user_id=9, deputy_for=1))
    result = written(members, {1: "reject", 9: "approve", 2: "approve"}, conflicted={1})
    assert result.eligible == 3
    assert result.counted == {9: "approve", 2: "approve"}


def test_advisory_members_do_not_count():
    members = (*_body(3), Member(user_id=7, voting=False), Member(user_id=8, voting=False))
    result = written(members, {1: "approve", 2: "approve", 7: "reject", 8: "reject"})
    assert result.eligible == 3
    assert result.votes["reject"] == 0


def _meeting(members, votes, present, *, objection=False, quorum_min=3):
    return tally(
        TallyInput(
            mode=MEETING,
            members=members,
            quorum_min=quorum_min,
            votes=votes,
            present=present,
            objection=objection,
        )
    )


@example(objection=True)
@example(objection=False)
@given(st.booleans())
def test_meeting_not_held_yet_is_undecided(objection):
    result = _meeting(_body(5), {1: "approve"}, None, objection=objection)
    expected = Reason.OBJECTION_PENDING if objection else Reason.NO_MEETING
    assert (result.outcome, result.reason) == ("undecided", expected)


def test_meeting_quorum_counts_those_present_and_only_their_votes():
    present = frozenset({1, 2, 3})
    result = _meeting(_body(5), {1: "approve", 2: "reject", 3: "approve", 4: "reject"}, present)
    assert (result.present, result.quorum_reached) == (3, True)
    assert result.votes == {"approve": 2, "reject": 1, "abstain": 0}
    assert result.outcome == "approve"


def test_meeting_with_a_quorum_but_no_votes_yet_is_undecided():
    result = _meeting(_body(5), {}, frozenset({1, 2, 3}))
    assert (result.outcome, result.reason) == ("undecided", Reason.NO_VOTES)


def test_meeting_without_a_quorum_present():
    result = _meeting(_body(5), {1: "approve", 2: "approve"}, frozenset({1, 2}))
    assert (result.outcome, result.reason) == ("undecided", Reason.NO_QUORUM)


# -- #21: invitations delivered, § 90 Abs. 2, the quorum base, the deputy chair ----------


def at_meeting(members, votes, present, **options):
    return tally(
        TallyInput(
            mode=MEETING,
            members=members,
            quorum_min=options.pop("quorum_min", 3),
            votes=votes,
            present=frozenset(present),
            **options,
        )
    )


def test_a_meeting_without_every_invitation_delivered_has_no_quorum():
    everyone = {1: "approve", 2: "approve", 3: "approve", 4: "approve", 5: "approve"}
    result = at_meeting(_body(5), everyone, {1, 2, 3, 4, 5}, all_invited=False)
    assert (result.quorum_reached, result.outcome) == (False, "undecided")
    assert result.reason == Reason.NOT_ALL_INVITED
    assert at_meeting(_body(5), everyone, {1, 2, 3, 4, 5}).outcome == "approve"


def test_a_resummoned_meeting_is_quorate_with_those_present():
    """§ 90 Abs. 2 VwVfG: 3 of 9 present; the first meeting had no quorum (5 needed),
    the second, invited with the notice, decides (the program's minimum of 3 met)."""
    votes = {1: "approve", 2: "approve", 3: "reject"}
    first = at_meeting(_body(9), votes, {1, 2, 3})
    assert (first.quorum_required, first.outcome) == (5, "undecided")
    second = at_meeting(_body(9), votes, {1, 2, 3}, resummoned=True)
    assert (second.quorum_required, second.quorum_reached, second.outcome) == (3, True, "approve")


def test_the_quorum_base_setting_decides_whether_conflicted_members_count():
    """5 seats, 2 conflicted, 3 present: counted in the base (default) 3 of 5 are a
    quorum; out of the base, 3 of 3 are too; with 2 present: 2 of 5 no, 2 of 3 yes."""
    votes = {3: "approve", 4: "approve"}
    strict = at_meeting(_body(5), votes, {3, 4}, quorum_min=2, conflicted=frozenset({1, 2}))
    assert (strict.eligible, strict.quorum_reached) == (5, False)
    lenient = at_meeting(
        _body(5),
        votes,
        {3, 4},
        quorum_min=2,
        conflicted=frozenset({1, 2}),
        conflicted_in_base=False,
    )
    assert (lenient.eligible, lenient.quorum_reached, lenient.outcome) == (3, True, "approve")


def test_the_deputy_chair_breaks_a_tie_when_the_chair_is_absent_or_conflicted():
    members = (
        Member(1, chair=True),
        Member(2, deputy_chair=True),
        Member(3),
        Member(4),
        Member(5),
    )
    tie = {2: "approve", 3: "reject", 4: "approve", 5: "reject"}
    absent_chair = at_meeting(members, tie, {2, 3, 4, 5})
    assert (absent_chair.outcome, absent_chair.reason) == ("approve", Reason.CHAIR_DECIDES_TIE)
    conflicted_chair = at_meeting(members, tie, {1, 2, 3, 4, 5}, conflicted=frozenset({1}))
    assert conflicted_chair.outcome == "approve"
    chair_there = at_meeting(members, {**tie, 1: "reject", 5: "abstain"}, {1, 2, 3, 4, 5})
    assert (chair_there.outcome, chair_there.reason) == ("reject", Reason.CHAIR_DECIDES_TIE)
