"""The committee member's pages (issue #24, first part): what awaits their vote, the
review page with the dossier, the vote and its change, a conflict of interest, an
objection, the tally; nobody outside the body sees the page."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from projects.models import ConflictDeclaration, Objection, Vote
from workflows.meetings import meeting_create


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_member_sees_what_awaits_the_vote_and_votes(review):
    member = review.committee
    client = _client(member)
    start = client.get("/").content.decode()
    assert f"/reviews/{review.application.pk}/" in start
    assert "noch nicht abgegeben" in start or "not yet given" in start
    page = client.get(f"/reviews/{review.application.pk}/")
    assert page.status_code == 200
    assert review.application.title in page.content.decode()
    voted = client.post(
        f"/reviews/{review.application.pk}/",
        {"action": "vote", "choice": "reject", "comment": "Zu teuer."},
    )
    assert voted.status_code == 302
    changed = client.post(
        f"/reviews/{review.application.pk}/", {"action": "vote", "choice": "approve"}
    )
    assert changed.status_code == 302
    (vote,) = Vote.objects.filter(application=review.application, member=member, void=False)
    assert vote.choice == "approve"
    page = client.get(f"/reviews/{review.application.pk}/").content.decode()
    assert 'value="approve" selected' in page


def test_a_conflict_voids_the_vote_and_ends_voting(review):
    member = review.committee
    client = _client(member)
    url = f"/reviews/{review.application.pk}/"
    client.post(url, {"action": "vote", "choice": "approve"})
    declared = client.post(url, {"action": "conflict", "conflict-reason": "Mein Verein."})
    assert declared.status_code == 302
    assert ConflictDeclaration.objects.filter(application=review.application, member=member)
    assert not Vote.objects.filter(application=review.application, member=member, void=False)
    refused = client.post(url, {"action": "vote", "choice": "reject"})
    assert refused.status_code == 403
    assert not Vote.objects.filter(application=review.application, member=member, void=False)


def test_an_objection_is_recorded(review):
    client = _client(review.committee)
    url = f"/reviews/{review.application.pk}/"
    assert client.post(url, {"action": "objection", "objection-reason": ""}).status_code == 400
    assert (
        client.post(
            url, {"action": "objection", "objection-reason": "Bitte in der Sitzung beraten."}
        ).status_code
        == 302
    )
    assert Objection.objects.filter(application=review.application).count() == 1


@pytest.mark.parametrize("choice", ["", "maybe", "approve' OR 1=1"])
def test_a_bad_vote_is_refused_and_saves_nothing(review, choice):
    client = _client(review.committee)
    response = client.post(
        f"/reviews/{review.application.pk}/", {"action": "vote", "choice": choice}
    )
    assert response.status_code == 400
    assert 'id="id_choice_error"' in response.content.decode()
    assert not Vote.objects.exists()


def test_nobody_outside_the_body_sees_the_review(review):
    url = f"/reviews/{review.application.pk}/"
    for user in (review.sponsor_a, review.sponsor_b, review.funder):
        client = _client(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "vote", "choice": "approve"}).status_code == 404
    assert not Vote.objects.exists()
    assert _client(review.office).get(url).status_code == 200


def test_the_call_dossier_reads_as_a_page_for_the_body_only(review):
    url = f"/calls/{review.call.pk}/dossier/"
    page = _client(review.committee).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert review.application.title in html and review.application.reference in html
    assert "<table" in html
    for user in (review.sponsor_a, review.funder):
        assert _client(user).get(url).status_code == 404
    assert _client(review.committee).get("/calls/999999/dossier/").status_code == 404


def test_the_bodys_meetings_with_dossier_and_minutes(review):
    meeting = meeting_create(
        actor=review.office,
        body=review.call.body,
        starts_at=timezone.now() - timedelta(hours=2),
        place="Rathaus, Raum 101",
        agenda=[review.application],
    )
    member = _client(review.committee)
    listed = member.get("/meetings/").content.decode()
    assert "Rathaus, Raum 101" in listed and review.application.title in listed
    for kind in ("dossier", "minutes"):
        page = member.get(f"/meetings/{meeting.pk}/{kind}/")
        assert page.status_code == 200
        assert review.application.title in page.content.decode()
    assert member.get(f"/meetings/{meeting.pk}/agenda/").status_code == 404
    for user in (review.sponsor_a, review.funder):
        assert _client(user).get(f"/meetings/{meeting.pk}/dossier/").status_code == 404
        assert "Rathaus" not in _client(user).get("/meetings/").content.decode()
