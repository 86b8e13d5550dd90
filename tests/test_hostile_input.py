"""Hostile input: every answer is a 4xx with the contract's JSON body, never a 500 or an
HTML page, and nothing is saved (CONTRACT.md, "Errors")."""

import json

import pytest
from django.apps import apps
from django.test import Client

from tests.factories import client_for


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def assert_contract_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert body["code"] == code
    assert body["detail"]


def nested(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


@pytest.mark.parametrize("depth", [65, 1000, 100_000])
def test_deep_nesting_is_refused_even_before_signing_in(db, depth):
    response = Client().post("/api/auth/token/", nested(depth), content_type="application/json")
    assert_contract_error(response, 400, "invalid")
    assert "64" in response.json()["detail"]


def test_nesting_up_to_64_levels_is_parsed(world, api):
    # 64 levels parse; the body is then simply not an application (400 with field errors).
    response = api(world.sponsor_a).post(
        "/api/applications/", nested(63), content_type="application/json"
    )
    assert_contract_error(response, 400, "invalid")
    assert response.json()["errors"]  # field errors: the body was parsed


def test_deep_nesting_on_a_signed_in_endpoint(world, api):
    client = api(world.sponsor_a)
    before = row_counts()
    body = '{"call": 1, "title": ' + nested(200) + "}"
    response = client.post("/api/applications/", body, content_type="application/json")
    assert_contract_error(response, 400, "invalid")
    assert "64" in response.json()["detail"]
    assert row_counts() == before


def test_body_over_the_limit_is_413(world, api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = api(world.sponsor_a)
    before = row_counts()
    body = json.dumps({"name": "x" * 2000})
    response = client.post("/api/organizations/", body, content_type="application/json")
    assert_contract_error(response, 413, "too_large")
    assert row_counts() == before


def test_bad_host_gets_the_json_body(db):
    response = Client().get("/api/programs/", HTTP_HOST="evil.example")
    assert_contract_error(response, 400, "invalid")


def test_bad_host_on_healthz_too(db):
    response = Client().get("/healthz", HTTP_HOST="evil.example")
    assert_contract_error(response, 400, "invalid")


def test_invalid_utf8_is_refused(world, api):
    client = api(world.sponsor_a)
    before = row_counts()
    response = client.post(
        "/api/organizations/", b'{"name": "\xff\xfe"}', content_type="application/json"
    )
    assert_contract_error(response, 400, "invalid")
    assert row_counts() == before


def test_wrong_content_type_is_refused(world, api):
    client = api(world.sponsor_a)
    before = row_counts()
    response = client.post("/api/organizations/", "name=Verein", content_type="text/plain")
    assert_contract_error(response, 415, "unsupported_type")
    assert row_counts() == before


def test_malformed_json_is_refused(world, api):
    response = api(world.sponsor_a).post(
        "/api/organizations/", '{"name": "Verein",', content_type="application/json"
    )
    assert_contract_error(response, 400, "invalid")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("own_funds", 1.005),
        ("own_funds", "-5.00"),
        ("own_funds", "1e20"),
        ("own_funds", "NaN"),
        ("start_date", "2027-02-30"),
        ("start_date", "99999-01-01"),
        ("title", "x" * 100_000),
        ("summary", ["not", "text"]),
    ],
    ids=["3-places", "negative", "absurd", "nan", "feb-30", "year-99999", "100k-chars", "list"],
)
def test_bad_values_are_refused_and_nothing_is_saved(world, field, value):
    client = client_for(world.sponsor_a)
    before = row_counts()
    body = {
        "call": world.call.pk,
        "organization": world.org_a.pk,
        "title": "Werkstatt",
        field: value,
    }
    response = client.post("/api/applications/", body, format="json")
    assert_contract_error(response, 400, "invalid")
    assert field in response.json()["errors"]
    assert row_counts() == before


def test_absurd_budget_line_amount_is_refused(world):
    client = client_for(world.sponsor_a)
    before = row_counts()
    body = {
        "call": world.call.pk,
        "organization": world.org_a.pk,
        "title": "Werkstatt",
        "budget_lines": [{"category": "honorare", "description": "x", "amount": "1" * 40}],
    }
    response = client.post("/api/applications/", body, format="json")
    assert_contract_error(response, 400, "invalid")
    assert row_counts() == before


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/applications/", {"titel": "Tippfehler"}),
        ("/api/organizations/", {"name": "Verein", "nmae": "Tippfehler"}),
    ],
    ids=["application", "organization"],
)
def test_unknown_fields_are_refused_not_silently_dropped(world, url, body):
    client = client_for(world.sponsor_a)
    before = row_counts()
    full = {"call": world.call.pk, "organization": world.org_a.pk, "title": "T", **body}
    if "organizations" in url:
        full = body
    response = client.post(url, full, format="json")
    assert_contract_error(response, 400, "invalid")
    unknown = next(key for key in body if key not in ("name", "title"))
    assert unknown in response.json()["errors"]
    assert row_counts() == before


def test_unknown_field_in_a_budget_line_is_refused(world):
    client = client_for(world.sponsor_a)
    body = {
        "call": world.call.pk,
        "organization": world.org_a.pk,
        "title": "T",
        "budget_lines": [
            {"category": "honorare", "description": "x", "amount": "10.00", "betrag": "9"}
        ],
    }
    response = client.post("/api/applications/", body, format="json")
    assert_contract_error(response, 400, "invalid")
    assert "budget_lines.0.betrag" in response.json()["errors"]


def test_read_only_fields_sent_back_are_ignored(world):
    client = client_for(world.sponsor_a)
    created = client.post(
        "/api/applications/",
        {"call": world.call.pk, "organization": world.org_a.pk, "title": "T"},
        format="json",
    ).json()
    echoed = {**created, "title": "Neu", "state": "approved", "reference": "X"}
    response = client.patch(f"/api/applications/{created['id']}/", echoed, format="json")
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["state"]) == ("Neu", "draft")


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_healthz_refuses_other_methods_with_405_json(db, method):
    response = getattr(Client(raise_request_exception=False), method)("/healthz")
    assert_contract_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET, HEAD"


def test_a_decision_body_without_a_kind_is_a_committee(world, api):
    # schemathesis (#20): {"name": "0"} answered 500, the service wanting a kind.
    response = api(world.office).post(
        f"/api/programs/{world.program.pk}/bodies/", {"name": "Beirat"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "committee"


def test_form_and_multipart_bodies_are_415(world, api):
    # A multipart PATCH dropped what it could not express (a list) and saved the rest.
    client = api(world.sponsor_a)
    before = row_counts()
    for content_type, body in (
        (
            "multipart/form-data; boundary=BoUnDaRy",
            b"--BoUnDaRy\r\n"
            b'Content-Disposition: form-data; name="name"\r\n\r\n'
            b"Verein\r\n--BoUnDaRy--\r\n",
        ),
        ("application/x-www-form-urlencoded", b"name=Verein"),
    ):
        response = client.generic("POST", "/api/organizations/", body, content_type=content_type)
        assert_contract_error(response, 415, "unsupported_type")
    assert row_counts() == before
