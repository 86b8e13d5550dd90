"""Property of issue #19: any text (any length up to past its limit, any Unicode, control
characters, lone surrogates) sent into any writable text field of the API answers 2xx or
400 (or 409 where the state refuses a second step), never a 500; and every document of
the object then renders within its bound. The fields are the sponsor's, the office's
and the committee's."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.text import Limit
from tests.factories import client_for, seat_committee

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
    # the office's
    ("program", "name", Limit.NAME),
    ("program", "funder_name", Limit.NAME),
    ("program", "committee_name", Limit.NAME),
    ("call", "title", Limit.NAME),
    ("category", "name", Limit.NAME),
    ("body", "name", Limit.NAME),
    ("meeting", "place", Limit.NAME),
    ("meeting", "notes", Limit.NOTES),
    ("recommendation", "text", Limit.SUMMARY),
    ("transition", "comment", Limit.SUMMARY),
    ("approval", "conditions", Limit.SUMMARY),
    ("payment_transition", "comment", Limit.SUMMARY),
    ("meeting_change", "place", Limit.NAME),
    ("meeting_change", "notes", Limit.NOTES),
    ("conflict_decision", "comment", Limit.COMMENT),
    ("reopen_voting", "comment", Limit.COMMENT),
    ("change_decision", "comment", Limit.SUMMARY),
    ("interim_proof", "narrative", Limit.NARRATIVE),
    # the administrator's
    ("account", "first_name", 150),
    ("account", "last_name", 150),
    ("account", "username", 150),
    # the committee's
    ("vote", "comment", Limit.COMMENT),
    ("conflict", "reason", Limit.COMMENT),
    ("objection", "reason", Limit.COMMENT),
]

DOCUMENTS = ("application", "agreement", "statement")


def send(client, method: str, url: str, body: dict):
    """The body as an attacker writes it: JSON with ``\\ud800`` escapes for lone
    surrogates (the test client's own encoder would refuse to send them)."""
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def _send(world, where: str, field: str, value: str):
    sponsor = client_for(world.sponsor_a)
    app = world.application
    today = timezone.localdate()
    if where == "organization":
        return send(sponsor, "patch", f"/api/organizations/{world.org_a.pk}/", {field: value})
    if where == "draft":
        return send(sponsor, "patch", f"/api/applications/{world.draft.pk}/", {field: value})
    if where == "budget_line":
        line = {"category": "honorare", "description": value, "amount": "100.00"}
        return send(
            sponsor, "patch", f"/api/applications/{world.draft.pk}/", {"budget_lines": [line]}
        )
    if where == "payment":
        body = {"amount": "1.00", "note": value, "needed_by": timezone.localdate().isoformat()}
        return send(sponsor, "post", f"/api/applications/{app.pk}/payments/", body)
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
        return send(sponsor, "post", f"/api/applications/{app.pk}/expenditures/", body)
    if where == "proof":
        body = {"narrative": value, "participants": 3}
        return send(sponsor, "put", f"/api/applications/{app.pk}/proof-of-use/", body)
    if where == "change_request":
        body = {"reason": value}
        return send(sponsor, "post", f"/api/applications/{app.pk}/change-requests/", body)
    return _send_as_office_or_member(world, where, field, value)


def _send_as_office_or_member(world, where: str, field: str, value: str):
    office = client_for(world.office)
    member = client_for(world.committee)
    review = world.review
    if where == "program":
        return send(office, "patch", f"/api/programs/{world.program.pk}/", {field: value})
    if where == "call":
        return send(office, "patch", f"/api/calls/{world.call.pk}/", {field: value})
    if where == "category":
        world.counter += 1
        body = {"code": f"kat-{world.counter}", "name": value}
        return send(office, "post", f"/api/programs/{world.program.pk}/categories/", body)
    if where == "body":
        body = {"name": value, "kind": "other"}
        return send(office, "post", f"/api/programs/{world.program.pk}/bodies/", body)
    if where == "meeting":
        body = {
            "body": world.call.body_id,
            "starts_at": (timezone.now() + timedelta(days=7)).isoformat(),
            "place": "Rathaus",
            "agenda": [],
            field: value,
        }
        created = send(office, "post", "/api/meetings/", body)
        if created.status_code == 201:
            world.meetings.append(created.json()["id"])
        return created
    if where == "recommendation":
        body = {"choice": "approve", "text": value}
        return send(office, "put", f"/api/applications/{review.pk}/recommendation/", body)
    if where == "transition":
        submitted = world.make("submitted")
        return send(
            office,
            "post",
            f"/api/applications/{submitted.pk}/transitions/request_revision/",
            {"comment": value},
        )
    if where == "approval":
        submitted = world.make("submitted")
        return send(
            office,
            "post",
            f"/api/applications/{submitted.pk}/transitions/fast_track_approve/",
            {"conditions": value},
        )
    if where == "payment_transition":
        payment = client_for(world.sponsor_a).post(
            f"/api/applications/{world.application.pk}/payments/",
            {"amount": "1.00", "needed_by": timezone.localdate().isoformat()},
            format="json",
        )
        return send(
            office,
            "post",
            f"/api/payments/{payment.json()['id']}/transitions/reject/",
            {"comment": value},
        )
    if where == "meeting_change":
        meeting = _meeting(world)
        return send(office, "patch", f"/api/meetings/{meeting}/", {field: value})
    if where == "conflict_decision":
        if not hasattr(world, "conflict"):  # one declaration, decided again and again
            world.conflict = send(
                client_for(world.advisory[0]),
                "post",
                f"/api/applications/{review.pk}/conflicts/",
                {"reason": "Mein Verein"},
            ).json()["id"]
        url = f"/api/applications/{review.pk}/conflicts/{world.conflict}/decision/"
        return send(office, "post", url, {"excluded": True, "comment": value})
    if where == "reopen_voting":
        until = (timezone.now() + timedelta(days=3)).isoformat()
        url = f"/api/applications/{review.pk}/reopen-voting/"
        return send(office, "post", url, {"until": until, "comment": value})
    if where == "change_decision":
        change = send(
            client_for(world.sponsor_a),
            "post",
            f"/api/applications/{world.application.pk}/change-requests/",
            {"reason": "Später fertig", "end_date": world.application.end_date.isoformat()},
        ).json()
        url = f"/api/change-requests/{change.get('id', 0)}/transitions/refuse/"
        return send(office, "post", url, {"comment": value})
    if where == "interim_proof":
        url = f"/api/applications/{world.application.pk}/interim-proof/"
        return send(client_for(world.sponsor_a), "put", url, {"narrative": value})
    if where == "account":
        world.counter += 1
        body = {
            "username": f"konto{world.counter}",
            "email": f"k{world.counter}@example.org",
            "password": "Ein-gutes-Passwort-2026",
            field: value,
        }
        return send(client_for(world.admin), "post", "/api/users/", body)
    if where == "vote":
        body = {"choice": "approve", "comment": value}
        return send(member, "post", f"/api/applications/{review.pk}/votes/", body)
    if where == "conflict":
        body = {"reason": value}
        return send(member, "post", f"/api/applications/{review.pk}/conflicts/", body)
    body = {"reason": value}
    return send(member, "post", f"/api/applications/{review.pk}/objections/", body)


def _meeting(world) -> int:
    """The meeting the office's changes go to (created once)."""
    if not world.meetings:
        body = {
            "body": world.call.body_id,
            "starts_at": (timezone.now() + timedelta(days=7)).isoformat(),
            "place": "Rathaus",
            "agenda": [world.review.pk],
        }
        created = send(client_for(world.office), "post", "/api/meetings/", body)
        assert created.status_code == 201, created.content
        world.meetings.append(created.json()["id"])
    return world.meetings[-1]


def _documents(world) -> list[tuple[object, str]]:
    """Every document of the objects written to, with somebody who may read it."""
    sponsor, office = world.sponsor_a, world.office
    urls = [
        (sponsor, f"/api/applications/{world.application.pk}/documents/{k}/") for k in DOCUMENTS
    ]
    urls += [
        (sponsor, f"/api/applications/{world.draft.pk}/documents/application/"),
        (office, f"/api/applications/{world.review.pk}/documents/application/"),
        (office, f"/api/calls/{world.call.pk}/dossier/"),
    ]
    for meeting in world.meetings[-1:]:
        urls += [
            (office, f"/api/meetings/{meeting}/dossier/"),
            (office, f"/api/meetings/{meeting}/minutes/"),
        ]
    return urls


@pytest.fixture
def funded_world(funded, application_in):
    world = funded
    world.draft = application_in("draft")
    seat_committee(world)
    world.review = application_in("committee_review")
    world.make = application_in
    world.meetings = []
    world.counter = 0
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
        assert response.status_code in (200, 201, 400, 409), (
            response.status_code,
            response.content,
        )
        assert response["Content-Type"].startswith("application/json")
        # Over its limit once trimmed (the API trims white space at the ends, as DRF does).
        if len(value.strip()) > limit:
            assert response.status_code == 400
        for reader, url in _documents(world):
            document = client_for(reader).get(url)
            assert document.status_code == 200, (url, document.status_code)

    property_holds()
