"""The committee's review in the office's admin: tallies per call and per meeting, votes
and conflicts read-only with their audit trails (issue #8)."""

from datetime import timedelta

from django.utils import timezone

from workflows import committee, meetings


def _voted(review):
    for member in review.members[:3]:
        committee.vote_cast(application=review.application, actor=member, choice="approve")


def test_call_page_shows_the_applications_with_their_tallies(review, office_browser):
    _voted(review)
    response = office_browser.get(f"/admin/workflows/callreview/{review.call.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert review.application.reference in page
    assert "3 / 0 / 0" in page


def test_meeting_page_shows_agenda_attendance_and_conflicts(review, office_browser):
    committee.conflict_declare(
        application=review.application, actor=review.committee, reason="Vorstand"
    )
    meeting = meetings.meeting_create(
        actor=review.office,
        body=review.program.default_body(),
        starts_at=timezone.now() + timedelta(days=2),
        place="Rathaus",
        agenda=[review.application],
    )
    meetings.meeting_attendance(meeting=meeting, actor=review.office, present=review.members[1:4])
    page = office_browser.get(f"/admin/projects/meeting/{meeting.pk}/change/").content.decode()
    assert review.application.reference in page
    assert review.chair.username in page
    assert "Vorstand" in page
    assert "meeting" in page and "create" in page  # its audit trail


def test_votes_and_conflicts_are_read_only_with_their_trail(review, office_browser):
    _voted(review)
    vote = review.application.votes.first()
    page = office_browser.get(f"/admin/projects/vote/{vote.pk}/change/")
    assert page.status_code == 200
    assert "cast" in page.content.decode()
    assert office_browser.get("/admin/projects/vote/add/").status_code == 403
    assert office_browser.get("/admin/projects/conflictdeclaration/").status_code == 200


def test_other_programs_office_sees_no_votes(review, client):
    _voted(review)
    other = review.other_office
    other.is_staff = True
    other.save()
    client.force_login(other)
    vote = review.application.votes.first()
    assert client.get(f"/admin/projects/vote/{vote.pk}/change/").status_code == 302
    assert review.application.reference not in client.get("/admin/projects/vote/").content.decode()
