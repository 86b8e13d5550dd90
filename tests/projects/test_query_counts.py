"""Read paths are query-bounded: a list costs the same queries for 10 rows and for 100."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import bring_to, client_for, make_application
from workflows import services as flow

# token + user, memberships, program roles, count, page, budget lines with categories
LIST_QUERIES = 6


def _fill(world, count, state):
    for _ in range(count):
        bring_to(world, make_application(world), state)


def _queries(user, url):
    client = client_for(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.json()


@pytest.mark.parametrize(
    ("role", "state"),
    [("office", "submitted"), ("sponsor_a", "draft"), ("committee", "committee_review")],
)
def test_application_list_queries_do_not_grow(world, role, state):
    user = getattr(world, role)
    url = "/api/applications/?page_size=200"
    _fill(world, 10, state)
    ten, page = _queries(user, url)
    assert page["count"] == 10
    _fill(world, 90, state)
    hundred, page = _queries(user, url)
    assert page["count"] == 100
    assert len(page["results"]) == 100
    assert hundred == ten == LIST_QUERIES


@pytest.mark.parametrize(
    "url",
    [
        "/api/programs/",
        "/api/calls/",
        "/api/organizations/",
        "/api/users/",
        "/api/programs/{p}/roles/",
    ],
)
def test_other_lists_are_query_bounded(world, url):
    from tests.factories import OrganizationFactory, UserFactory, grant_role

    url = url.format(p=world.program.pk)
    few, _ = _queries(world.admin, url)
    for _ in range(15):
        grant_role(world.program, "funder", UserFactory())
        OrganizationFactory()
    many, _ = _queries(world.admin, url)
    assert many == few


def test_history_queries_do_not_grow(world):
    application = bring_to(world, make_application(world), "revision_requested")
    url = f"/api/applications/{application.pk}/history/"
    few, _ = _queries(world.sponsor_a, url)
    for _ in range(5):
        flow.application_resubmit(application=application, actor=world.sponsor_a)
        flow.application_request_revision(application=application, actor=world.office, comment="x")
    many, entries = _queries(world.sponsor_a, url)
    assert len(entries) == 12
    assert many == few
