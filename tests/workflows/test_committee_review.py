"""The committee's review in the written procedure (issue #8): votes, conflicts of
interest, objections, the tally, and the office's decision resting on it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.audit import trail_of
from core.models import AuditEntry
from projects.models import ConflictDeclaration, Objection, Vote
from tests.factories import (
    CallFactory,
    DecisionBodyFactory,
    ProgramFactory,
    UserFactory,
    bring_to,
    grant_role,
    make_application,
)


def _url(application, tail):
    return f"/api/applications/{application.pk}/{tail}/"


def _vote(api, user, application, choice, comment=""):
    return api(user).post(
        _url(application, "votes"), {"choice": choice, "comment": comment}, format="json"
    )


def _all_vote(api, world, choices):
    for member, choice in zip(world.members, choices, strict=False):
        assert _vote(api, member, world.application, choice).status_code == 201


def _decide(api, world, name, **body):
    return api(world.office).post(
        _url(world.application, f"transitions/{name}"), body, format="json"
    )


# -- votes ---------------------------------------------------------------------------------


def test_voting_member_votes_and_changes_the_vote(review, api):
    first = _vote(api, review.committee, review.application, "reject", "Zu teuer.")
    assert first.status_code == 201
    again = _vote(api, review.committee, review.application, "approve", "Überzeugt.")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    vote = Vote.objects.get()
    assert (vote.choice, vote.comment) == ("approve", "Überzeugt.")
    assert [e.event for e in trail_of(vote)] == ["vote.cast", "vote.change"]


def test_member_sees_their_own_vote_and_the_office_sees_all(review, api):
    _all_vote(api, review, ["approve", "reject"])
    own = api(review.committee).get(_url(review.application, "votes")).json()
    assert [v["member"] for v in own] == [review.committee.pk]
    every = api(review.office).get(_url(review.application, "votes")).json()
    assert len(every) == 2


def test_advisory_member_cannot_vote(review, api):
    response = _vote(api, review.advisory[0], review.application, "approve")
    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_sponsor_cannot_vote_on_their_application(review, api):
    assert _vote(api, review.sponsor_a, review.application, "approve").status_code == 403
    assert _vote(api, review.sponsor_b, review.application, "approve").status_code == 404
    assert not Vote.objects.exists()


def test_member_of_another_body_sees_nothing(review, api):
    forum = DecisionBodyFactory(program=review.program)
    outsider = grant_role(review.program, "committee", UserFactory(), body=forum)
    assert api(outsider).get(f"/api/applications/{review.application.pk}/").status_code == 404
    assert _vote(api, outsider, review.application, "approve").status_code == 404


def test_member_of_another_program_sees_nothing(review, api):
    stranger = grant_role(ProgramFactory(), "committee", UserFactory())
    assert _vote(api, stranger, review.application, "approve").status_code == 404
    assert api(stranger).get(_url(review.application, "tally")).status_code == 404


def test_former_member_cannot_vote(review, api):
    role = review.committee.program_roles.get()
    role.valid_until = timezone.localdate() - timedelta(days=1)
    role.save()
    assert _vote(api, review.committee, review.application, "approve").status_code == 404


def test_vote_refused_once_the_application_left_committee_review(review, api):
    api(review.sponsor_a).post(_url(review.application, "transitions/withdraw"), {}, format="json")
    response = _vote(api, review.committee, review.application, "approve")
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"


def test_vote_refused_after_the_deadline_until_the_office_reopens(review, api):
    call = review.call
    call.vote_deadline = call.closes_at
    call.closes_at = timezone.now() - timedelta(days=2)
    call.opens_at = timezone.now() - timedelta(days=20)
    call.vote_deadline = timezone.now() - timedelta(minutes=1)
    call.save()
    assert _vote(api, review.committee, review.application, "approve").status_code == 409
    until = (timezone.now() + timedelta(days=3)).isoformat()
    reopened = api(review.office).post(
        _url(review.application, "reopen-voting"),
        {"until": until, "comment": "Zwei Mitglieder waren krank."},
        format="json",
    )
    assert reopened.status_code == 200
    assert _vote(api, review.committee, review.application, "approve").status_code == 201
    events = [e.event for e in trail_of(review.application)]
    assert "application.reopen_voting" in events


def test_only_the_office_reopens_voting(review, api):
    until = (timezone.now() + timedelta(days=3)).isoformat()
    response = api(review.chair).post(
        _url(review.application, "reopen-voting"), {"until": until}, format="json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "body",
    [{"choice": "maybe"}, {}, {"choice": "approve", "weight": 2}, {"choice": ["approve"]}],
)
def test_bad_vote_is_refused_and_nothing_saved(review, api, body):
    response = api(review.committee).post(_url(review.application, "votes"), body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not Vote.objects.exists()


def test_votes_are_not_in_the_sponsors_history(review, api):
    _all_vote(api, review, ["approve"])
    history = api(review.sponsor_a).get(_url(review.application, "history")).json()
    assert not [entry for entry in history if entry["event"].startswith("vote.")]


# -- conflicts of interest ---------------------------------------------------------------------


def test_member_declares_a_conflict_and_their_earlier_vote_is_void(review, api):
    _vote(api, review.committee, review.application, "approve")
    response = api(review.committee).post(
        _url(review.application, "conflicts"),
        {"reason": "Ich bin im Vorstand des Trägers."},
        format="json",
    )
    assert response.status_code == 201
    vote = Vote.objects.get()
    assert vote.void and vote.voided_at is not None
    assert [e.event for e in trail_of(vote)] == ["vote.cast", "vote.void"]
    refused = _vote(api, review.committee, review.application, "approve")
    assert refused.status_code == 403
    assert Vote.objects.count() == 1


def test_conflicts_appear_in_the_tally(review, api):
    api(review.committee).post(
        _url(review.application, "conflicts"), {"reason": "Verwandt."}, format="json"
    )
    tally = api(review.office).get(_url(review.application, "tally")).json()
    assert (tally["conflicted"], tally["eligible"]) == (1, 4)


def test_office_records_a_conflict_for_a_member(review, api):
    response = api(review.office).post(
        _url(review.application, "conflicts"),
        {"reason": "Gutachten für den Träger erstellt.", "member": review.chair.pk},
        format="json",
    )
    assert response.status_code == 201
    conflict = ConflictDeclaration.objects.get()
    assert (conflict.member, conflict.recorded_by) == (review.chair, review.office)


def test_office_cannot_record_a_conflict_for_a_non_member(review, api):
    response = api(review.office).post(
        _url(review.application, "conflicts"),
        {"reason": "x", "member": review.sponsor_b.pk},
        format="json",
    )
    assert response.status_code == 400
    assert not ConflictDeclaration.objects.exists()


def test_member_cannot_record_a_conflict_for_another(review, api):
    response = api(review.committee).post(
        _url(review.application, "conflicts"),
        {"reason": "x", "member": review.chair.pk},
        format="json",
    )
    assert response.status_code == 403


def test_sponsor_cannot_see_or_declare_conflicts(review, api):
    assert api(review.sponsor_a).get(_url(review.application, "conflicts")).status_code == 403
    response = api(review.sponsor_a).post(
        _url(review.application, "conflicts"), {"reason": "x"}, format="json"
    )
    assert response.status_code == 403


def test_body_decides_a_doubtful_case_for_the_member(review, api):
    conflict = (
        api(review.committee)
        .post(
            _url(review.application, "conflicts"),
            {"reason": "Bekannt mit der Leitung."},
            format="json",
        )
        .json()
    )
    decided = api(review.office).post(
        _url(review.application, f"conflicts/{conflict['id']}/decision"),
        {"excluded": False, "comment": "Der Ausschuss sieht keine Befangenheit."},
        format="json",
    )
    assert decided.status_code == 200
    assert decided.json()["excluded"] is False
    assert _vote(api, review.committee, review.application, "approve").status_code == 201
    assert [e.event for e in trail_of(ConflictDeclaration.objects.get())] == [
        "conflict.declare",
        "conflict.decide",
    ]


def test_conflict_needs_a_reason(review, api):
    response = api(review.committee).post(
        _url(review.application, "conflicts"), {"reason": "   "}, format="json"
    )
    assert response.status_code == 400
    assert not ConflictDeclaration.objects.exists()


# -- objections ------------------------------------------------------------------------------


def test_objection_moves_the_application_to_a_meeting_and_tells_office_and_chair(
    review, api, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(review.committee).post(
            _url(review.application, "objections"),
            {"reason": "Das müssen wir besprechen."},
            format="json",
        )
    assert response.status_code == 201
    review.application.refresh_from_db()
    assert review.application.decision_mode == "meeting"
    told = sorted(address for message in mailoutbox for address in message.to)
    assert told == sorted([review.office.email, review.chair.email])
    assert _vote(api, review.chair, review.application, "approve").status_code == 409
    tally = api(review.office).get(_url(review.application, "tally")).json()
    assert (tally["outcome"], tally["reason"]) == ("undecided", "objection_pending")


def test_advisory_member_cannot_object(review, api):
    response = api(review.advisory[0]).post(
        _url(review.application, "objections"), {"reason": "Nein."}, format="json"
    )
    assert response.status_code == 403
    assert not Objection.objects.exists()


def test_second_objection_finds_the_written_procedure_over(review, api):
    url = _url(review.application, "objections")
    assert api(review.committee).post(url, {"reason": "a"}, format="json").status_code == 201
    assert api(review.chair).post(url, {"reason": "b"}, format="json").status_code == 409


# -- the tally and the decision ------------------------------------------------------------


def test_tally_reports_quorum_and_majority(review, api):
    _all_vote(api, review, ["approve", "approve", "reject", "abstain"])
    tally = api(review.committee).get(_url(review.application, "tally")).json()
    assert tally == {
        "decision_mode": "written",
        "eligible": 5,
        "conflicted": 0,
        "present": None,
        "votes": {"approve": 2, "reject": 1, "abstain": 1},
        "quorum_required": 3,
        "quorum_reached": True,
        "outcome": "approve",
        "reason": "majority",
        "reason_text": tally["reason_text"],
        "final": False,
    }
    assert tally["reason_text"]


def test_sponsor_does_not_see_the_tally(review, api):
    assert api(review.sponsor_a).get(_url(review.application, "tally")).status_code == 403


def test_office_approves_what_the_committee_recommends(
    review, api, mailoutbox, django_capture_on_commit_callbacks
):
    _all_vote(api, review, ["approve", "approve", "reject"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(
            api, review, "approve", approved_amount="350.00", conditions="Nachweis der Teilnehmer."
        )
    assert response.status_code == 200, response.json()
    assert (response.json()["state"], response.json()["approved_amount"]) == ("approved", "350.00")
    entry = AuditEntry.objects.filter(application=review.application, action="approve").get()
    counted = set(Vote.objects.values_list("pk", flat=True))
    assert set(entry.data["counted_votes"]) == counted
    assert entry.data["tally"]["outcome"] == "approve"
    assert review.sponsor_a.email in [a for m in mailoutbox for a in m.to]
    final = api(review.office).get(_url(review.application, "tally")).json()
    assert final["final"] and final["votes"]["approve"] == 2


def test_approval_refused_without_a_quorum(review, api):
    _all_vote(api, review, ["approve", "approve"])
    response = _decide(api, review, "approve", approved_amount="400.00")
    assert response.status_code == 400
    assert response.json()["code"] == "condition_failed"
    assert "committee" in response.json()["errors"]
    review.application.refresh_from_db()
    assert review.application.state == "committee_review"


def test_approval_needs_an_approved_amount(review, api):
    _all_vote(api, review, ["approve", "approve", "approve"])
    response = _decide(api, review, "approve")
    assert response.status_code == 400
    assert "approved_amount" in response.json()["errors"]


def test_approved_amount_not_above_the_request(review, api):
    _all_vote(api, review, ["approve", "approve", "approve"])
    response = _decide(api, review, "approve", approved_amount="400.01")
    assert response.status_code == 400
    review.application.refresh_from_db()
    assert review.application.approved_amount is None


def test_approval_refused_when_the_majority_rejects(review, api):
    _all_vote(api, review, ["reject", "reject", "approve"])
    assert _decide(api, review, "approve", approved_amount="400.00").status_code == 400
    rejected = _decide(api, review, "reject", comment="Der Ausschuss lehnt ab.")
    assert rejected.status_code == 200
    assert rejected.json()["state"] == "rejected"


def test_rejection_refused_when_the_committee_approves(review, api):
    _all_vote(api, review, ["approve", "approve", "reject"])
    response = _decide(api, review, "reject", comment="Trotzdem nicht.")
    assert response.status_code == 400
    assert response.json()["code"] == "condition_failed"


def test_tie_without_the_chairs_vote_lets_the_office_reject(review, api):
    # member2 chairs and abstains: 2 approve, 2 reject.
    _all_vote(api, review, ["approve", "abstain", "reject", "approve", "reject"])
    tally = api(review.office).get(_url(review.application, "tally")).json()
    assert (tally["outcome"], tally["reason"]) == ("reject", "tie_not_approved")
    assert _decide(api, review, "reject", comment="Stimmengleichheit.").status_code == 200


def test_transitions_offered_follow_the_tally(review, api):
    url = _url(review.application, "transitions")
    names = {t["name"] for t in api(review.office).get(url).json()}
    assert not {"approve", "reject"} & names
    _all_vote(api, review, ["approve", "approve", "approve"])
    names = {t["name"] for t in api(review.office).get(url).json()}
    assert "approve" in names and "reject" not in names


def test_deputy_votes_when_the_member_does_not(review, api):
    principal = review.members[2].program_roles.get()
    deputy = grant_role(review.program, "committee", UserFactory(), deputy_for=principal)
    assert _vote(api, deputy, review.application, "approve").status_code == 201
    _all_vote(api, review, ["approve", "approve"])
    tally = api(review.office).get(_url(review.application, "tally")).json()
    assert tally["votes"]["approve"] == 3 and tally["eligible"] == 5


def test_fast_track_still_works_beside_the_committee(world, api):
    application = make_application(world)
    bring_to(world, application, "approved")
    application.refresh_from_db()
    assert application.approved_amount == Decimal("400.00")


def test_forwarding_tells_only_the_deciding_body(
    world, api, mailoutbox, django_capture_on_commit_callbacks
):
    forum = DecisionBodyFactory(program=world.program)
    youth_call = CallFactory(program=world.program, body=forum)
    juror = grant_role(world.program, "committee", UserFactory(), body=forum)
    world.call = youth_call
    application = bring_to(world, make_application(world), "submitted")
    with django_capture_on_commit_callbacks(execute=True):
        api(world.office).post(
            _url(application, "transitions/forward_to_committee"), {}, format="json"
        )
    told = {a for m in mailoutbox for a in m.to}
    assert juror.email in told
    assert world.committee.email not in told


def test_objection_needs_a_reason_and_saves_nothing(review, api):
    response = api(review.committee).post(
        _url(review.application, "objections"), {"reason": ""}, format="json"
    )
    assert response.status_code == 400
    assert not Objection.objects.exists()
    review.application.refresh_from_db()
    assert review.application.decision_mode == "written"


@pytest.mark.parametrize("until", ["gestern", None, "2020-01-01T10:00:00+01:00"])
def test_reopening_needs_a_moment_in_the_future(review, api, until):
    response = api(review.office).post(
        _url(review.application, "reopen-voting"), {"until": until}, format="json"
    )
    assert response.status_code == 400
    review.application.refresh_from_db()
    assert review.application.voting_extended_until is None
