"""Read paths are query-bounded: a list costs the same queries for 10 rows and for 100."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    CallFactory,
    CostCategoryFactory,
    OrganizationFactory,
    ProgramFactory,
    UserFactory,
    bring_to,
    client_for,
    counted_get,
    grant_role,
    make_application,
    make_member,
)
from workflows import services as flow

# token + user, memberships, program roles, count, page, the page's calls, their annex
# types (#22), its programs, the attachments (#22), budget lines with categories
LIST_QUERIES = 10


def _fill(world, count, state):
    for _ in range(count):
        bring_to(world, make_application(world), state)


@pytest.mark.parametrize(
    ("role", "state"),
    [("office", "submitted"), ("sponsor_a", "draft"), ("committee", "committee_review")],
)
def test_application_list_queries_do_not_grow(world, role, state):
    user = getattr(world, role)
    url = "/api/applications/?page_size=200"
    _fill(world, 10, state)
    ten, page = counted_get(user, url)
    assert page["count"] == 10
    _fill(world, 90, state)
    hundred, page = counted_get(user, url)
    assert page["count"] == 100
    assert len(page["results"]) == 100
    assert hundred == ten == LIST_QUERIES


def _more_roles(world):
    grant_role(world.program, "funder", UserFactory())


def _more_organizations(world):
    make_member(OrganizationFactory(), world.sponsor_a)


def _more_applicants(world):
    organization = OrganizationFactory()
    sponsor = make_member(organization)
    application = make_application(world, organization=organization, sponsor=sponsor)
    bring_to(world, application, "submitted", sponsor)


def _more_members(world):
    make_member(world.org_a)


def _more_categories(world):
    CostCategoryFactory(program=world.program)


def _more_calls(world):
    CallFactory(program=world.program)


def _more_programs(world):
    ProgramFactory()


def _more_invitations(world):
    from projects import services as project_services

    project_services.invitation_create(
        organization=world.org_a, actor=world.sponsor_a, email=f"{UserFactory().username}@x.org"
    )


def _more_invitations_for_sponsor_b(world):
    from projects import services as project_services

    organization = OrganizationFactory()
    inviter = make_member(organization)
    project_services.invitation_create(
        organization=organization, actor=inviter, email=world.sponsor_b.email
    )


@pytest.mark.parametrize(
    ("user", "url", "grow"),
    [
        ("admin", "/api/programs/", _more_programs),
        ("sponsor_a", "/api/calls/", _more_calls),
        ("sponsor_a", "/api/organizations/", _more_organizations),
        ("office", "/api/organizations/", _more_applicants),
        ("admin", "/api/users/", _more_roles),
        ("office", "/api/programs/{program}/roles/", _more_roles),
        ("sponsor_a", "/api/programs/{program}/categories/", _more_categories),
        ("sponsor_a", "/api/organizations/{org}/members/", _more_members),
        ("sponsor_a", "/api/organizations/{org}/invitations/", _more_invitations),
        ("sponsor_b", "/api/invitations/", _more_invitations_for_sponsor_b),
    ],
)
def test_other_lists_are_query_bounded(world, user, url, grow):
    url = url.format(program=world.program.pk, org=world.org_a.pk)
    grow(world)  # an empty page skips its query: compare one row with sixteen
    few, _ = counted_get(getattr(world, user), url)
    for _ in range(15):
        grow(world)
    many, page = counted_get(getattr(world, user), url)
    assert page["count"] >= 16
    assert many == few


def test_history_queries_do_not_grow(world):
    application = bring_to(world, make_application(world), "revision_requested")
    url = f"/api/applications/{application.pk}/history/"
    few, _ = counted_get(world.sponsor_a, url)
    for _ in range(5):
        flow.application_resubmit(application=application, actor=world.sponsor_a)
        flow.application_request_revision(application=application, actor=world.office, comment="x")
    many, entries = counted_get(world.sponsor_a, url)
    assert len(entries) == 12
    assert many == few


@pytest.mark.parametrize(
    "query", ["state=submitted", "state=submitted&state=draft", "search=Demokratie"]
)
def test_filtering_the_list_adds_no_distinct(world, query):
    # DISTINCT over a page of wide rows and under the count made a filtered page at
    # 100,000 applications cost half a second (django-filter adds it to multiple choices).
    _fill(world, 3, "submitted")
    client = client_for(world.office)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/applications/?{query}")
    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert not [q["sql"] for q in captured if "DISTINCT" in q["sql"].upper()]
