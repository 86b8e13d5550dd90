"""Meetings of a decision body (issue #8): agenda, attendance, votes taken there, the
quorum of those present, the invitation and the signed minutes' record."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.audit import trail_of
from projects.models import AgendaItem, Meeting, Vote
from tests.factories import (
    CallFactory,
    DecisionBodyFactory,
    UserFactory,
    bring_to,
    grant_role,
    make_application,
)


def _create(api, world, agenda, **extra):
    return api(world.office).post(
        "/api/meetings/",
        {
            "body": world.program.default_body().pk,
            "starts_at": (timezone.now() + timedelta(days=7)).isoformat(),
            "place": "Rathaus, Sitzungssaal 2",
            "agenda": [a.pk for a in agenda],
            **extra,
        },
        format="json",
    )


@pytest.fixture
def meeting(review, api, django_capture_on_commit_callbacks):
    """A meeting on the application, every member invited by e-mail (the delivery log
    records each invitation: § 90 Abs. 1 S. 1 VwVfG)."""
    response = _create(api, review, [review.application])
    assert response.status_code == 201, response.json()
    review.meeting = Meeting.objects.get(pk=response.json()["id"])
    with django_capture_on_commit_callbacks(execute=True):
        invited = api(review.office).post(f"/api/meetings/{review.meeting.pk}/invite/")
    assert invited.status_code == 202, invited.json()
    return review


def _attend(api, world, users):
    return api(world.office).put(
        f"/api/meetings/{world.meeting.pk}/attendance/",
        {"present": [u.pk for u in users]},
        format="json",
    )


def _record(api, world, member, choice, application=None):
    return api(world.office).post(
        f"/api/meetings/{world.meeting.pk}/votes/",
        {
            "application": (application or world.application).pk,
            "member": member.pk,
            "choice": choice,
        },
        format="json",
    )


def _tally(api, world):
    return api(world.office).get(f"/api/applications/{world.application.pk}/tally/").json()


def test_agenda_puts_the_application_before_a_meeting(meeting, api):
    meeting.application.refresh_from_db()
    assert meeting.application.decision_mode == "meeting"
    data = api(meeting.office).get(f"/api/meetings/{meeting.meeting.pk}/").json()
    assert [item["application"] for item in data["items"]] == [meeting.application.pk]
    assert _tally(api, meeting)["reason"] == "no_meeting"


def test_quorum_counts_the_members_present_and_their_votes_decide(meeting, api):
    present = meeting.members[:3]
    assert _attend(api, meeting, present).status_code == 200
    for member, choice in zip(present, ["approve", "approve", "reject"], strict=True):
        assert _record(api, meeting, member, choice).status_code == 201
    tally = _tally(api, meeting)
    assert (tally["present"], tally["quorum_reached"], tally["outcome"]) == (3, True, "approve")
    approved = api(meeting.office).post(
        f"/api/applications/{meeting.application.pk}/transitions/approve/",
        {"approved_amount": "400.00"},
        format="json",
    )
    assert approved.status_code == 200, approved.json()


def test_two_present_of_five_is_no_quorum(meeting, api):
    _attend(api, meeting, meeting.members[:2])
    for member in meeting.members[:2]:
        _record(api, meeting, member, "approve")
    assert _tally(api, meeting)["reason"] == "no_quorum"


def test_written_votes_do_not_count_at_the_meeting(review, api):
    for member in review.members[:3]:
        api(member).post(
            f"/api/applications/{review.application.pk}/votes/",
            {"choice": "approve"},
            format="json",
        )
    _create(api, review, [review.application])
    review.meeting = Meeting.objects.get()
    _attend(api, review, review.members[:3])
    assert _tally(api, review)["votes"] == {"approve": 0, "reject": 0, "abstain": 0}


def test_vote_of_an_absent_member_is_refused(meeting, api):
    _attend(api, meeting, meeting.members[:3])
    response = _record(api, meeting, meeting.members[4], "approve")
    assert response.status_code == 400
    assert not Vote.objects.exists()


def test_vote_before_attendance_is_refused(meeting, api):
    assert _record(api, meeting, meeting.committee, "approve").status_code == 400


def test_advisory_member_present_does_not_vote(meeting, api):
    _attend(api, meeting, [*meeting.members[:3], meeting.advisory[0]])
    assert _record(api, meeting, meeting.advisory[0], "approve").status_code == 400
    assert _tally(api, meeting)["present"] == 3


def test_conflicted_member_present_does_not_vote_or_count(meeting, api):
    api(meeting.committee).post(
        f"/api/applications/{meeting.application.pk}/conflicts/",
        {"reason": "Vorstand des Trägers."},
        format="json",
    )
    _attend(api, meeting, meeting.members[:3])
    assert _record(api, meeting, meeting.committee, "approve").status_code == 400
    tally = _tally(api, meeting)
    # The conflicted member stays in the quorum base (§ 90 read strictly), counted absent.
    assert (tally["eligible"], tally["present"], tally["conflicted"]) == (5, 2, 1)


def test_attendance_of_a_non_member_is_refused_and_nothing_saved(meeting, api):
    response = _attend(api, meeting, [meeting.committee, meeting.sponsor_a])
    assert response.status_code == 400
    meeting.meeting.refresh_from_db()
    assert meeting.meeting.attendance_recorded_at is None
    assert not meeting.meeting.present.exists()


def test_agenda_refuses_another_bodys_application_and_saves_nothing(review, api):
    forum = DecisionBodyFactory(program=review.program)
    review.call = CallFactory(program=review.program, body=forum)
    other = bring_to(review, make_application(review), "committee_review")
    response = _create(api, review, [review.application, other])
    assert response.status_code == 400
    assert "agenda" in response.json()["errors"]
    assert not Meeting.objects.exists()
    review.application.refresh_from_db()
    assert review.application.decision_mode == "written"


def test_agenda_refuses_an_application_not_under_review(review, api):
    submitted = bring_to(review, make_application(review), "submitted")
    assert _create(api, review, [submitted]).status_code == 400


def test_committee_member_cannot_create_a_meeting(review, api):
    response = api(review.chair).post(
        "/api/meetings/",
        {
            "body": review.program.default_body().pk,
            "starts_at": timezone.now().isoformat(),
            "place": "x",
        },
        format="json",
    )
    assert response.status_code == 403


def test_members_read_their_bodys_meetings_others_do_not(meeting, api):
    assert api(meeting.chair).get(f"/api/meetings/{meeting.meeting.pk}/").status_code == 200
    juror = grant_role(
        meeting.program,
        "committee",
        UserFactory(),
        body=DecisionBodyFactory(program=meeting.program),
    )
    assert api(juror).get(f"/api/meetings/{meeting.meeting.pk}/").status_code == 404
    assert api(meeting.sponsor_a).get("/api/meetings/").json()["count"] == 0


def test_invitation_goes_to_every_member_with_the_agenda(
    meeting, api, mailoutbox, django_capture_on_commit_callbacks
):
    del mailoutbox[:]  # the fixture's invitation; the office sends it again
    with django_capture_on_commit_callbacks(execute=True):
        response = api(meeting.office).post(f"/api/meetings/{meeting.meeting.pk}/invite/")
    assert response.status_code == 202
    told = sorted(a for m in mailoutbox for a in m.to)
    expected = sorted(u.email for u in [*meeting.members, *meeting.advisory])
    assert told == expected
    assert meeting.application.reference in mailoutbox[0].body


def test_minutes_signed_by_keeper_and_chair_freeze_the_record(meeting, api):
    _attend(api, meeting, meeting.members[:3])
    for member in meeting.members[:3]:
        _record(api, meeting, member, "approve")
    url = f"/api/meetings/{meeting.meeting.pk}/"
    keeper = api(meeting.office).post(url + "sign/", {}, format="json")
    assert keeper.status_code == 200
    assert keeper.json()["minutes_signed"] is False
    assert api(meeting.office).patch(url, {"place": "Anderswo"}, format="json").status_code == 409
    assert _attend(api, meeting, meeting.members[:4]).status_code == 409
    assert _record(api, meeting, meeting.members[3], "reject").status_code == 409
    chair = api(meeting.chair).post(url + "sign/", {}, format="json")
    assert chair.status_code == 200
    assert chair.json()["minutes_signed"] is True
    item = AgendaItem.objects.get()
    assert (item.outcome["outcome"], item.outcome["votes"]["approve"]) == ("approve", 3)
    assert [e.event for e in trail_of(meeting.meeting)][-2:] == ["meeting.sign", "meeting.sign"]


def test_only_the_chair_signs_as_chair(meeting, api):
    url = f"/api/meetings/{meeting.meeting.pk}/sign/"
    response = api(meeting.committee).post(url, {"signature": "chair"}, format="json")
    assert response.status_code in (403, 404)
    assert api(meeting.office).post(url, {"signature": "chair"}, format="json").status_code == 403


def test_keeper_signs_once(meeting, api):
    url = f"/api/meetings/{meeting.meeting.pk}/sign/"
    assert api(meeting.office).post(url, {}, format="json").status_code == 200
    assert api(meeting.office).post(url, {}, format="json").status_code == 409


def test_meeting_lists_filter_by_body_and_program(meeting, api):
    body = meeting.program.default_body().pk
    assert api(meeting.office).get(f"/api/meetings/?body={body}").json()["count"] == 1
    assert api(meeting.office).get(f"/api/meetings/?body={body + 99}").json()["count"] == 0
    url = f"/api/meetings/?program={meeting.program.pk}"
    assert api(meeting.office).get(url).json()["count"] == 1


@pytest.mark.parametrize(
    "body",
    [
        {"place": "x"},
        {"body": 1, "starts_at": "morgen", "place": "x"},
        {"body": 1, "starts_at": "2026-12-01T18:00:00+01:00", "place": "x", "agenda": ["a"]},
        {"body": 1, "starts_at": "2026-12-01T18:00:00+01:00", "place": "x", "chair": 3},
    ],
)
def test_bad_meeting_input_is_refused_and_nothing_saved(review, api, body):
    response = api(review.office).post("/api/meetings/", body, format="json")
    assert response.status_code == 400
    assert not Meeting.objects.exists()


# -- #21: every member invited, § 90 Abs. 2, the deputy chair --------------------------


def test_a_meeting_whose_invitation_did_not_reach_a_member_has_no_quorum(
    review, api, django_capture_on_commit_callbacks
):
    """A member without an e-mail address gets no invitation: the meeting is not quorate
    until the office records that the invitation reached them by post."""
    silent = review.members[-1]
    silent.email = ""
    silent.save()
    created = _create(api, review, [review.application]).json()
    review.meeting = Meeting.objects.get(pk=created["id"])
    with django_capture_on_commit_callbacks(execute=True):
        api(review.office).post(f"/api/meetings/{review.meeting.pk}/invite/")
    _attend(api, review, review.members)
    for member in review.members[:3]:
        _record(api, review, member, "approve")
    tally = _tally(api, review)
    assert (tally["quorum_reached"], tally["reason"]) == (False, "not_all_invited")
    url = f"/api/meetings/{review.meeting.pk}/invitation-delivered/"
    stranger = api(review.office).post(
        url, {"member": review.sponsor_a.pk, "how": "post"}, format="json"
    )
    assert stranger.status_code == 400
    assert api(review.committee).post(url, {"member": silent.pk, "how": "post"}).status_code == 403
    recorded = api(review.office).post(
        url, {"member": silent.pk, "how": "post", "comment": "Brief vom 1.12."}, format="json"
    )
    assert recorded.status_code == 200, recorded.json()
    assert silent.pk in recorded.json()["invitations_delivered"]
    assert _tally(api, review)["outcome"] == "approve"


def test_a_second_meeting_with_the_notice_is_quorate_with_those_present(
    meeting, api, django_capture_on_commit_callbacks, mailoutbox
):
    """§ 90 Abs. 2 VwVfG: the first meeting had two of five present, no quorum; the
    second, called on the same item with the notice, decides with the two present (the
    program's minimum set to two)."""
    _attend(api, meeting, meeting.members[:2])
    assert _tally(api, meeting)["reason"] == "no_quorum"
    meeting.program.quorum_min = 2
    meeting.program.save()
    first = meeting.meeting
    outside = _create(api, meeting, [meeting.application], quorate_notice=True)
    assert outside.status_code == 400 and "quorate_notice" in outside.json()["errors"]
    second = _create(api, meeting, [meeting.application], resummons=first.pk, quorate_notice=True)
    assert second.status_code == 201, second.json()
    meeting.meeting = Meeting.objects.get(pk=second.json()["id"])
    del mailoutbox[:]
    with django_capture_on_commit_callbacks(execute=True):
        api(meeting.office).post(f"/api/meetings/{meeting.meeting.pk}/invite/")
    assert "§ 90 Abs. 2" in mailoutbox[0].body
    _attend(api, meeting, meeting.members[:2])
    _record(api, meeting, meeting.members[0], "approve")
    _record(api, meeting, meeting.members[1], "approve")
    tally = _tally(api, meeting)
    assert (tally["quorum_reached"], tally["outcome"]) == (True, "approve")


def test_the_deputy_chair_breaks_a_tie_when_the_chair_is_absent(meeting, api):
    from grants.models import ProgramRole

    deputy_chair = meeting.members[2]
    ProgramRole.objects.filter(user=deputy_chair, role="committee").update(deputy_chair=True)
    present = [m for m in meeting.members if m != meeting.chair]  # four of five
    _attend(api, meeting, present)
    _record(api, meeting, deputy_chair, "approve")
    _record(api, meeting, meeting.members[0], "reject")
    _record(api, meeting, meeting.members[3], "approve")
    _record(api, meeting, meeting.members[4], "reject")
    tally = _tally(api, meeting)
    assert (tally["outcome"], tally["reason"]) == ("approve", "chair_decides_tie")
