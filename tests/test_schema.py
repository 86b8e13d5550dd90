"""The OpenAPI schema describes the API, and no generated request makes it answer 5xx.

A bounded schemathesis run (``SCHEMATHESIS_MAX_EXAMPLES``, default 15 per operation)
against the in-process WSGI app, authenticated as an administrator over seeded data.
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import client_for

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "8"))


def test_schema_is_served_and_names_every_contract_path(db):
    response = client_for(None).get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = set(response.json()["paths"])
    for path in [
        "/api/auth/token/",
        "/api/users/",
        "/api/users/me/",
        "/api/programs/",
        "/api/programs/{id}/",
        "/api/programs/{program_pk}/roles/",
        "/api/programs/{program_pk}/roles/{id}/",
        "/api/programs/{program_pk}/categories/",
        "/api/calls/",
        "/api/calls/{id}/",
        "/api/organizations/",
        "/api/organizations/{id}/",
        "/api/organizations/{organization_pk}/members/",
        "/api/applications/",
        "/api/applications/{id}/",
        "/api/applications/{id}/transitions/",
        "/api/applications/{id}/history/",
    ]:
        assert path in paths, path
    # one path per transition, each with its own input (decision 016)
    from workflows.services import APPLICATIONS

    for name in APPLICATIONS.names():
        assert f"/api/applications/{{id}}/transitions/{name}/" in paths, name


@pytest.fixture
def api_schema(world, application_in):
    """The schema as the WSGI app serves it. Like Django's test client, keep the test's
    database connection open across requests (the handler would close it at the end)."""
    from config.wsgi import application

    for state in ("draft", "submitted", "committee_review", "funded"):
        application_in(state)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def negative_api_schema(api_schema):
    """The same schema, generating only requests that violate it (wrong types, missing
    fields, out-of-range values): every answer must be a 4xx, never a 5xx."""
    api_schema.config.generation.update(modes=[GenerationMode.NEGATIVE])
    return api_schema


@pytest.fixture
def admin_token(world):
    return AuthToken.objects.create(user=world.admin)[1]


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_errors(case, admin_token):
    case.call_and_validate(
        headers={"Authorization": f"Token {admin_token}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )


# Operations that take no input at all have nothing to violate.
negative_schema = (
    schemathesis.pytest.from_fixture("negative_api_schema")
    .exclude(path_regex=r"^/api/(users/me|auth/tokens?)/$", method=["GET", "DELETE"])
    .exclude(path="/api/users/me/two-factor/")
    .exclude(path="/api/users/me/export/")
)


@negative_schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_negative_data_never_makes_a_server_error(case, admin_token):
    response = case.call(headers={"Authorization": f"Token {admin_token}"})
    assert response.status_code < 500, (case.method, case.path, response.status_code)
    if response.status_code != 204:
        content_type = response.headers.get("content-type", [""])[0]
        assert content_type.startswith("application/json"), (case.path, content_type)


def _served_schema() -> dict:
    return client_for(None).get("/api/schema/?format=json").json()


def test_ids_and_id_filters_are_integers(db):
    """#20: a generated client takes ids as whole numbers, not as strings or floats."""
    schema = _served_schema()
    kinds = set()
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                name = parameter["name"]
                if parameter["in"] == "path" and (name == "id" or name.endswith("_id")):
                    kinds.add((path, name, parameter["schema"]["type"]))
                if parameter["in"] == "query" and name in ("call", "program", "organization"):
                    kinds.add((path, name, parameter["schema"]["type"]))
    assert kinds
    assert {kind for _path, _name, kind in kinds} == {"integer"}, sorted(kinds)


def test_bodies_are_json_and_no_endpoint_only_fails(db):
    schema = _served_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if path == "/api/applications/{id}/attachments/" and method == "post":
                # #22: the one upload takes a file, as multipart/form-data only.
                assert set(content) == {"multipart/form-data"}, set(content)
                continue
            assert set(content) <= {"application/json"}, (method, path, set(content))
    assert set(schema["paths"]["/api/applications/{id}/pdf/"]) == {"get"}
    kind = next(
        p
        for p in schema["paths"]["/api/applications/{id}/documents/{kind}/"]["get"]["parameters"]
        if p["name"] == "kind"
    )
    assert kind["schema"]["enum"] == ["agreement", "application", "statement"]


def test_the_schema_is_valid_openapi(db):
    """#20: openapi-spec-validator finds nothing (it found a default outside its enum)."""
    from openapi_spec_validator import validate

    validate(_served_schema())


def test_every_operation_has_a_summary_and_the_login_needs_no_token(db):
    schema = _served_schema()
    missing = [
        (method, path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if not operation.get("summary")
    ]
    assert missing == []
    assert schema["paths"]["/api/auth/token/"]["post"]["security"] == []
    assert schema["info"]["license"]["name"] == "AGPL-3.0-or-later"
    assert schema["servers"]


def test_bodies_refusing_unknown_keys_say_so(db):
    schemas = _served_schema()["components"]["schemas"]
    for name in [
        "ApplicationApproveInputRequest",
        "PatchedApplicationRequest",
        "SignInputRequest",
        "PaymentRejectInputRequest",
    ]:
        assert schemas[name]["additionalProperties"] is False, name
    # answers are not closed: a later version may add fields
    assert "additionalProperties" not in schemas["Application"]


def test_amount_pattern_refuses_what_the_server_refuses(db):
    """#20: the amount pattern and ``MoneySerializerField`` agree on every sample."""
    import re

    from rest_framework.exceptions import ValidationError

    from core.money import MoneySerializerField

    pattern = _served_schema()["components"]["schemas"]["ExpenditureRequest"]["properties"][
        "amount"
    ]["pattern"]
    field = MoneySerializerField(min_value=0)
    for sample in ["", "-", ".", "+", "1.", ".5", "1.234", "1,50", "x", "1e3", " ", "٤٠"]:
        assert not re.search(pattern, sample), sample
        with pytest.raises(ValidationError):
            field.to_internal_value(sample)
    for sample in ["0", "1", "1.5", "1234.50", " 12.30 ", "+7", "00012.00"]:
        assert re.search(pattern, sample), sample
        field.to_internal_value(sample)


def test_statuses_a_write_can_answer_are_documented(db):
    paths = _served_schema()["paths"]
    for path, method in [
        ("/api/meetings/", "post"),
        ("/api/meetings/{id}/attendance/", "put"),
        ("/api/meetings/{id}/sign/", "post"),
        ("/api/applications/{id}/expenditures/", "post"),
        ("/api/expenditures/{id}/", "patch"),
        ("/api/applications/{id}/proof-of-use/", "put"),
        ("/api/applications/{id}/interim-proof/", "put"),
        ("/api/applications/{id}/recommendation/", "put"),
        ("/api/payments/{id}/transitions/approve/", "post"),
        ("/api/users/me/two-factor/", "post"),
    ]:
        assert "409" in paths[path][method]["responses"], (method, path)
    off = paths["/api/users/me/two-factor/disable/"]["post"]
    assert "400" in off["responses"]
    assert off["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "TwoFactorCodeRequest"
    )
    assert "400" in paths["/api/users/me/two-factor/"]["delete"]["responses"]


def test_each_transition_has_its_own_typed_input(db):
    """#20, decision 016: one path per transition, its body naming what it takes and what
    it needs."""
    schema = _served_schema()
    schemas = schema["components"]["schemas"]

    def body(path):
        operation = schema["paths"][path]["post"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        return schemas[ref.rsplit("/", 1)[1]]

    approve = body("/api/applications/{id}/transitions/approve/")
    assert set(approve["properties"]) == {
        "approved_amount",
        "approved_costs",
        "conditions",
        "comment",
    }
    revoke = body("/api/applications/{id}/transitions/revoke/")
    assert {"comment", "hearing_on"} <= set(revoke["required"])
    reject = body("/api/payments/{id}/transitions/reject/")
    assert reject["required"] == ["comment"]
    assert "/api/applications/{id}/transitions/{name}/" not in schema["paths"]


@pytest.mark.parametrize("prose", [False, True], ids=["line", "prose"])
def test_the_text_pattern_refuses_what_the_server_refuses(prose):
    """#20: the schema's ``pattern`` of a text field and ``core.text`` agree on every
    character of the Basic Multilingual Plane (surrogates aside) and a few beyond."""
    import re

    from django.core.exceptions import ValidationError

    from core.text import TextCharacters

    check = TextCharacters(prose=prose)
    pattern = re.compile(check.regex.pattern)
    points = [*range(0x0000, 0xD800), *range(0xE000, 0x10000), 0x1F600, 0xE0001, 0x10FFFD]
    disagree = []
    for point in points:
        sample = f"a{chr(point)}b"
        try:
            check(sample)
            server = True
        except ValidationError:
            server = False
        if server != bool(pattern.search(sample)):
            disagree.append(f"U+{point:04X}")
    assert disagree == []


def test_decimal_patterns_follow_the_fields(db):
    schemas = _served_schema()["components"]["schemas"]
    percent = schemas["ProgramRequest"]["properties"]["min_own_share_percent"]["pattern"]
    import re

    assert re.search(percent, "12.5") and re.search(percent, "100")
    assert not re.search(percent, "") and not re.search(percent, "1234")
    amount = schemas["PaymentInputRequest"]["properties"]["amount"]["pattern"]
    assert re.search(amount, "99999999.99") and not re.search(amount, "100000000")
    # answers are as written, negative figures included
    statement = schemas["Statement"]["properties"]
    assert all("pattern" not in value for value in statement.values())
