"""Property of issue #19: any text (any length up to past its limit, any Unicode, control
characters, lone surrogates) sent into any writable text field of the API answers 2xx or
400, never a 500; and every document of the object then renders within its bound."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.text import Limit
from tests.factories import client_for

# Text of every kind: short and random (controls and surrogates included), or as long
# as the limit and a little past it.
ANY_CHARACTER = st.characters(codec=None, exclude_categories=())


def texts(limit: int) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(alphabet=ANY_CHARACTER, max_size=80),
        st.tuples(
            st.integers(min_value=max(limit - 3, 1), max_value=limit + 3),
            st.text(alphabet=ANY_CHARACTER, min_size=1, max_size=8),
        ).map(lambda pair: (pair[1] * (pair[0] // len(pair[1]) + 1))[: pair[0]]),
    )


# (where, field, its limit): each is written by the sponsor of a funded application.
FIELDS = [
    ("organization", "name", Limit.NAME),
    ("organization", "legal_form", Limit.SHORT),
    ("organization", "address", Limit.ADDRESS),
    ("draft", "title", Limit.NAME),
    ("draft", "summary", Limit.SUMMARY),
    ("draft", "field_of_action", Limit.NAME),
    ("draft", "target_group", Limit.NAME),
    ("budget_line", "description", Limit.LINE),
    ("payment", "note", Limit.NOTE),
    ("receipt", "payee", Limit.NAME),
    ("receipt", "purpose", Limit.LINE),
    ("receipt", "receipt_number", 50),
    ("proof", "narrative", Limit.NARRATIVE),
    ("change_request", "reason", Limit.COMMENT),
]

DOCUMENTS = ("application", "agreement", "statement")


def _send(world, where: str, field: str, value: str):
    sponsor = client_for(world.sponsor_a)
    app = world.application
    today = timezone.localdate()
    if where == "organization":
        return sponsor.patch(f"/api/organizations/{world.org_a.pk}/", {field: value}, format="json")
    if where == "draft":
        return sponsor.patch(f"/api/applications/{world.draft.pk}/", {field: value}, format="json")
    if where == "budget_line":
        line = {"category": "honorare", "description": value, "amount": "100.00"}
        return sponsor.patch(
            f"/api/applications/{world.draft.pk}/", {"budget_lines": [line]}, format="json"
        )
    if where == "payment":
        body = {"amount": "1.00", "note": value}
        return sponsor.post(f"/api/applications/{app.pk}/payments/", body, format="json")
    if where == "receipt":
        body = {
            "date": today.isoformat(),
            "payee": "Trainerin K.",
            "purpose": "Workshop",
            "category": "honorare",
            "amount": "10.00",
            "receipt_number": "R-1",
            field: value,
        }
        return sponsor.post(f"/api/applications/{app.pk}/expenditures/", body, format="json")
    if where == "proof":
        body = {"narrative": value, "participants": 3}
        return sponsor.put(f"/api/applications/{app.pk}/proof-of-use/", body, format="json")
    body = {"reason": value}
    return sponsor.post(f"/api/applications/{app.pk}/change-requests/", body, format="json")


@pytest.fixture
def funded_world(world, application_in):
    today = timezone.localdate()
    world.call.funding_year = today.year
    world.call.save()
    world.application = application_in(
        "funded", start_date=date(today.year, 1, 1), end_date=date(today.year, 12, 31)
    )
    world.draft = application_in("draft")
    return world


@pytest.mark.parametrize(
    ("where", "field", "limit"), FIELDS, ids=[f"{w}.{f}" for w, f, _ in FIELDS]
)
def test_any_text_answers_400_or_is_kept_and_every_document_renders(
    funded_world, where, field, limit
):
    world = funded_world

    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(value=texts(limit))
    def property_holds(value: str) -> None:
        response = _send(world, where, field, value)
        assert response.status_code in (200, 201, 400), (response.status_code, response.content)
        assert response["Content-Type"].startswith("application/json")
        if len(value) > limit:
            assert response.status_code == 400
        for kind, subject in [(k, world.application) for k in DOCUMENTS] + [
            ("application", world.draft)
        ]:
            document = client_for(world.sponsor_a).get(
                f"/api/applications/{subject.pk}/documents/{kind}/"
            )
            assert document.status_code == 200, (kind, document.status_code)

    property_holds()
