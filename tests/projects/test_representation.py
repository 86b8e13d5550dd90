"""The application's representation is DRF's, though it is not built by DRF's loop.

``core.api.CompiledRepresentationMixin`` reads plain columns directly and the list reads
its page's cost plans as values (``selectors.attach_plan_lines``). Both must give what
DRF's own ``to_representation`` gives for the same object, for every state and role."""

import json
from decimal import Decimal

import pytest
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory, force_authenticate

from projects.api import ApplicationSerializer
from projects.selectors import application_list
from projects.services import BudgetLineInput
from tests.factories import PATHS, CostCategoryFactory, bring_to, client_for, make_application


def _drf(user, application) -> dict:
    """DRF's generic representation of ``application`` as ``user`` sees it, as JSON."""
    raw = APIRequestFactory().get("/api/applications/")
    force_authenticate(raw, user=user)
    request = Request(raw)
    request.user = user
    serializer = ApplicationSerializer(context={"request": request})
    data = serializers.ModelSerializer.to_representation(serializer, application)
    data = serializer.redacted(application, data)  # the money a committee does not see
    return json.loads(JSONRenderer().render(data))


@pytest.fixture
def every_state(world):
    travel = CostCategoryFactory(program=world.program, code="reisekosten", name="Reisekosten")
    lines = [
        BudgetLineInput(world.category, "Honorar Workshop", Decimal("300.00")),
        BudgetLineInput(travel, "Fahrten zum Veranstaltungsort", Decimal("80.50")),
        BudgetLineInput(world.category, "Honorar Moderation", Decimal("100.00")),
    ]
    for state in PATHS:
        bring_to(world, make_application(world, lines=lines), state)
    # One above the fast-track ceiling, one with no lines, one with third-party money,
    # one of another organisation.
    big = [BudgetLineInput(world.category, "Honorar Jahresprojekt", Decimal("2400.00"))]
    bring_to(world, make_application(world, lines=big), "submitted")
    make_application(world, lines=[])
    make_application(world, third_party_funds=Decimal("50.00"), lines=lines[:1])
    bring_to(
        world,
        make_application(world, organization=world.org_b, sponsor=world.sponsor_b),
        "submitted",
        world.sponsor_b,
    )
    return world


@pytest.mark.parametrize("viewer", ["sponsor_a", "office", "committee", "admin", "sponsor_b"])
def test_list_rows_are_what_drf_would_write(every_state, viewer):
    user = getattr(every_state, viewer)
    response = client_for(user).get("/api/applications/?page_size=200")
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["results"]}
    expected = {a.pk: _drf(user, a) for a in application_list(user=user)}
    assert rows.keys() == expected.keys() and rows
    for pk, row in rows.items():
        assert row == expected[pk]
        assert list(row) == list(expected[pk])  # the same keys in the same order


def test_list_shows_the_cost_plan_in_plan_order(every_state):
    response = client_for(every_state.office).get("/api/applications/?state=submitted")
    lines = response.json()["results"][-1]["budget_lines"]
    assert [(line["category"], line["description"], line["amount"]) for line in lines] == [
        ("honorare", "Honorar Workshop", "300.00"),
        ("reisekosten", "Fahrten zum Veranstaltungsort", "80.50"),
        ("honorare", "Honorar Moderation", "100.00"),
    ]


@pytest.mark.parametrize("state", ["draft", "committee_review", "funded"])
def test_detail_is_what_drf_would_write(world, state):
    application = bring_to(world, make_application(world), state)
    for user in (world.sponsor_a, world.office):
        if state == "draft" and user is world.office:
            continue  # the office does not see drafts
        response = client_for(user).get(f"/api/applications/{application.pk}/")
        assert response.status_code == 200
        fresh = application_list(user=user).get(pk=application.pk)
        assert response.json() == _drf(user, fresh)
