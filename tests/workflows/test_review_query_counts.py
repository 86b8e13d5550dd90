"""The committee's read paths are query-bounded: the same queries for few rows and many."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    UserFactory,
    bring_to,
    grant_role,
    make_application,
    query_count,
)
from workflows import committee, meetings


def _more_votes(world, count):
    for _ in range(count):
        member = grant_role(world.program, "committee", UserFactory())
        committee.vote_cast(application=world.application, actor=member, choice="approve")


def _more_conflicts(world, count):
    for _ in range(count):
        member = grant_role(world.program, "committee", UserFactory())
        committee.conflict_declare(application=world.application, actor=member, reason="x")


@pytest.mark.parametrize(
    ("tail", "grow", "expected"),
    [
        # token + user, roles, memberships, application; votes with their members
        ("votes", _more_votes, 5),
        ("conflicts", _more_conflicts, 5),
        # token + user, roles, memberships, application; agenda, votes, conflicts,
        # objections, members of the body (attendance only once it has a meeting)
        ("tally", _more_votes, 9),
    ],
)
def test_review_reads_do_not_grow(review, tail, grow, expected):
    url = f"/api/applications/{review.application.pk}/{tail}/"
    grow(review, 2)
    few = query_count(review.office, url)
    grow(review, 20)
    assert query_count(review.office, url) == few == expected


def _meetings(world, count):
    for _ in range(count):
        application = bring_to(world, make_application(world), "committee_review")
        meeting = meetings.meeting_create(
            actor=world.office,
            body=world.program.default_body(),
            starts_at=timezone.now() + timedelta(days=3),
            place="Rathaus",
            agenda=[application],
        )
        meetings.meeting_attendance(meeting=meeting, actor=world.office, present=world.members)


def test_meeting_list_does_not_grow(review):
    # token + user, roles, count, page, agenda items with applications, attendance,
    # invitations delivered
    url = "/api/meetings/?page_size=200"
    _meetings(review, 2)
    few = query_count(review.office, url)
    _meetings(review, 10)
    assert query_count(review.office, url) == few == 7


def test_office_list_of_applications_under_review_does_not_grow(review):
    # the application list's 10 (#22: annex types and attachments), and one tally batch
    # for the page: agenda, votes, conflicts, objections, members (attendance only when
    # an item has a meeting)
    url = "/api/applications/?page_size=200&state=committee_review"
    for _ in range(3):
        bring_to(review, make_application(review), "committee_review")
    few = query_count(review.office, url)
    for _ in range(20):
        bring_to(review, make_application(review), "committee_review")
    assert query_count(review.office, url) == few == 15


def _funded_with(world, count):
    from projects.models import Expenditure, PayoutRequest

    application = world.funded
    for _ in range(count):
        PayoutRequest.objects.create(
            application=application, amount="1.00", requested_by=world.sponsor_a
        )
        Expenditure.objects.create(
            application=application,
            date=application.start_date,
            payee="X",
            purpose="Y",
            category=world.category,
            amount="1.00",
            created_by=world.sponsor_a,
        )


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        # token + user, roles, memberships, application; payouts; paid payouts, receipts
        # and the proof's actual financing for the uncovered amounts (the other funds
        # pay first under deficit financing)
        ("payments", 8),
        # token + user, roles, memberships, application; the lines with their categories;
        # the receipt scans (#22)
        ("expenditures", 6),
        # … the proof (answer, statement, the grant's uses), receipts (statement, uses),
        # paid payouts (sum, list), the plan (change, lines, categories), base rates, the
        # due dates' change request (the end, read once) and interim proofs: the same
        # for 2 receipts and 22
        ("proof-of-use", 14),
        ("change-requests", 5),
    ],
)
def test_money_reads_do_not_grow(world, application_in, tail, expected):
    world.funded = application_in("funded")
    url = f"/api/applications/{world.funded.pk}/{tail}/"
    _funded_with(world, 2)
    few = query_count(world.sponsor_a, url)
    _funded_with(world, 20)
    many = query_count(world.sponsor_a, url)
    assert many == few
    if expected is not None:
        assert few == expected
