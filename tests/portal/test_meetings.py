"""The office's committee work in the portal (issue #24): a meeting called with its
agenda, the invitation sent, attendance and votes recorded, the decision taken on the
application's page, the minutes signed by keeper and chair; the recommendation. Nobody
but the program's office runs a meeting; a wrong vote saves nothing."""

from datetime import timedelta

from django.core import mail
from django.test import Client
from django.utils import timezone

from projects.models import Meeting, Recommendation, Vote


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _called(review, client) -> Meeting:
    yesterday = timezone.localdate() - timedelta(days=1)
    answer = client.post(
        "/office/meetings/new/",
        {
            "body": review.call.body.pk,
            "day": yesterday.strftime("%d.%m.%Y"),
            "time": "17:30",
            "place": "Rathaus, Ratssaal",
            "agenda": [review.application.pk],
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return Meeting.objects.get(place="Rathaus, Ratssaal")


def test_the_office_runs_a_meeting_from_call_to_signed_minutes(
    review, django_capture_on_commit_callbacks
):
    office = _client(review.office)
    meeting = _called(review, office)
    url = f"/office/meetings/{meeting.pk}/"
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "17:30"
    page = office.get(url).content.decode()
    assert review.application.title in page and "Erfassen Sie zuerst die Anwesenheit" in page

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert office.post(url, {"action": "invite"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.invited_at is not None
    reached = set(meeting.invitations_delivered.all())
    assert reached and {message.to[0] for message in mail.outbox} == {u.email for u in reached}
    for member in {*review.members, review.chair, *review.advisory} - reached:
        answer = office.post(url, {"action": "delivered", "member": member.pk, "how": "post"})
        assert answer.status_code == 302
    assert "Per E-Mail nicht erreicht" not in office.get(url).content.decode()

    present = review.members[:4]
    answer = office.post(
        url, {"action": "attendance", "present": [str(user.pk) for user in present]}
    )
    assert answer.status_code == 302
    assert set(meeting.present.all()) == set(present)

    item = f"item-{review.application.pk}"
    votes = {f"{item}-member-{user.pk}": "approve" for user in present[:3]}
    votes[f"{item}-member-{present[3].pk}"] = "reject"
    answer = office.post(url, {"action": "votes", "item": review.application.pk, **votes})
    assert answer.status_code == 302
    recorded = Vote.objects.filter(meeting=meeting, void=False)
    assert sorted(vote.choice for vote in recorded) == ["approve"] * 3 + ["reject"]
    assert "3 dafür, 1 dagegen" in office.get(url).content.decode()

    decided = office.post(
        f"/applications/{review.application.pk}/steps/approve/",
        {"approved_amount": "400,00", "comment": "Beschluss der Sitzung"},
    )
    assert decided.status_code == 302, decided.content.decode()[:3000]
    review.application.refresh_from_db()
    assert review.application.state == "approved"
    # The office's page of the file shows the tally of the decision.
    decided = office.get(f"/applications/{review.application.pk}/").content.decode()
    assert 'id="tally-heading"' in decided and "3 dafür, 1 dagegen" in decided

    assert office.post(url, {"action": "sign"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.keeper_signed_at and meeting.is_frozen
    assert "Anwesenheit erfassen" not in office.get(url).content.decode()

    chair = _client(review.chair)
    listed = chair.get("/meetings/").content.decode()
    assert "Protokoll als Vorsitz unterschreiben" in listed
    assert chair.post("/meetings/", {"meeting": meeting.pk}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_signed
    minutes = chair.get(f"/meetings/{meeting.pk}/minutes/").content.decode()
    assert review.application.title in minutes


def test_a_vote_of_somebody_absent_saves_no_vote_of_the_item(review):
    office = _client(review.office)
    meeting = _called(review, office)
    url = f"/office/meetings/{meeting.pk}/"
    present = review.members[:3]
    office.post(url, {"action": "attendance", "present": [str(user.pk) for user in present]})
    item = f"item-{review.application.pk}"
    answer = office.post(
        url,
        {
            "action": "votes",
            "item": review.application.pk,
            f"{item}-member-{present[0].pk}": "approve",
            f"{item}-member-{present[1].pk}": "maybe",
        },
    )
    assert answer.status_code == 400
    assert not Vote.objects.filter(meeting=meeting).exists()
    nothing = office.post(url, {"action": "votes", "item": review.application.pk})
    assert nothing.status_code == 400
    assert "mindestens" in nothing.content.decode()


def test_a_meeting_with_a_bad_day_time_or_place_is_refused(review):
    office = _client(review.office)
    answer = office.post(
        "/office/meetings/new/",
        {"body": review.call.body.pk, "day": "31.02.2026", "time": "25:00", "place": ""},
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "TT.MM.JJJJ" in html and "HH:MM" in html
    assert not Meeting.objects.exists()


def test_only_the_programs_office_runs_meetings(review):
    office = _client(review.office)
    meeting = _called(review, office)
    for user in (review.committee, review.chair, review.sponsor_a, review.funder):
        client = _client(user)
        assert client.get(f"/office/meetings/{meeting.pk}/").status_code == 404
        assert client.get("/office/meetings/new/").status_code == 404
        assert client.post(f"/office/meetings/{meeting.pk}/", {"action": "sign"}).status_code == 404
    # A member who is not the chair cannot sign as chair.
    answer = _client(review.committee).post("/meetings/", {"meeting": meeting.pk})
    assert answer.status_code == 302
    meeting.refresh_from_db()
    assert meeting.chair_signed_at is None
    assert _client(review.chair).post("/meetings/", {"meeting": "１"}).status_code == 404


def test_the_office_records_its_recommendation(review):
    office = _client(review.office)
    url = f"/applications/{review.application.pk}/recommendation/"
    page = office.get(f"/applications/{review.application.pk}/").content.decode()
    assert url in page
    too_much = office.post(url, {"choice": "approve", "amount": "999999,00", "text": "Gut."})
    assert too_much.status_code == 400
    assert "Höchstens die beantragten" in too_much.content.decode()
    assert not Recommendation.objects.exists()
    saved = office.post(url, {"choice": "approve", "amount": "300,00", "text": "Gut."})
    assert saved.status_code == 302
    recommendation = Recommendation.objects.get()
    assert str(recommendation.amount) == "300.00"
    member = _client(review.committee).get(f"/reviews/{review.application.pk}/")
    assert "300,00" in member.content.decode()
    for user in (review.committee, review.sponsor_a, review.funder):
        assert _client(user).get(url).status_code == 404
