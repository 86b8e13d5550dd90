"""A client generated from the served schema works (#20): openapi-python-client builds it
from ``/api/schema/`` of a live server, every module imports, and the whole lifecycle runs
through that client alone; every answer of that run matches the schema
(openapi-schema-validator).

The journey: the sponsor signs in, applies and submits; the office forwards it to the
committee; the member votes; the office approves; the sponsor accepts and asks for a
payout; the office approves and pays it; the sponsor records a receipt, writes the proof
of use and submits it; the office accepts it; the sponsor downloads the PDF.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx
import pytest
from django.utils import timezone
from openapi_schema_validator import OAS30ReadValidator

from tests.factories import seat_committee

PASSWORD = "secret-pass-123"  # tests.factories.UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="session")
def served_schema(live_server, django_db_blocker) -> dict:
    # The server's request handling opens a connection (close_old_connections), before
    # any test of this module has its database.
    with django_db_blocker.unblock():
        response = httpx.get(f"{live_server.url}/api/schema/?format=json", timeout=30)
    assert response.status_code == 200, (response.status_code, response.text[:500])
    return response.json()


@pytest.fixture(scope="session")
def generated(served_schema, tmp_path_factory):
    """The client package, generated into a folder of its own and importable."""
    folder = tmp_path_factory.mktemp("generated-client")
    (folder / "schema.json").write_text(json.dumps(served_schema))
    (folder / "config.yaml").write_text(
        # PDFs and the SEPA file are files to the generator, like any binary body.
        "content_type_overrides:\n"
        "  application/pdf: application/octet-stream\n"
        "  application/xml: application/octet-stream\n"
        "  application/zip: application/octet-stream\n"
    )
    bin_dir = Path(sys.executable).parent  # the generator runs ruff over what it writes
    result = subprocess.run(  # noqa: S603 (our own venv's tool, our own arguments)
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(folder / "schema.json"),
            "--config",
            str(folder / "config.yaml"),
            "--meta",
            "none",
            "--output-path",
            str(folder / "zuwendo_client"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The generator says so when it leaves an operation or a response out.
    assert "Unable to parse" not in result.stdout + result.stderr, result.stdout
    assert "will be omitted" not in result.stdout + result.stderr, result.stdout
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("zuwendo_client")
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.startswith("zuwendo_client")]:
            del sys.modules[name]


def test_every_generated_module_imports(generated):
    names = [m.name for m in pkgutil.walk_packages(generated.__path__, "zuwendo_client.")]
    failures = {}
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as error:
            failures[name] = repr(error)
    assert failures == {}
    endpoints = [name for name in names if name.startswith("zuwendo_client.api.")]
    assert len(endpoints) > 100, len(endpoints)


@dataclass
class Recorder:
    """Every exchange of the journey, for the schema check."""

    exchanges: list[tuple[str, str, int, str, bytes]] = field(default_factory=list)

    def __call__(self, response: httpx.Response) -> None:
        response.read()
        self.exchanges.append(
            (
                response.request.method,
                response.request.url.path,
                response.status_code,
                response.headers.get("content-type", ""),
                response.content,
            )
        )


def _module(name: str):
    return importlib.import_module(f"zuwendo_client.{name}")


def _sign_in(live_server, recorder: Recorder, username: str):
    client_module = _module("client")
    anonymous = client_module.Client(
        base_url=live_server.url, httpx_args={"event_hooks": {"response": [recorder]}}
    )
    login = _module("api.auth.auth_token_create")
    body = _module("models.auth_token_request").AuthTokenRequest(
        username=username, password=PASSWORD
    )
    answer = login.sync(client=anonymous, body=body)
    assert answer.__class__.__name__ == "TokenAnswer", answer
    return client_module.AuthenticatedClient(
        base_url=live_server.url,
        token=answer.token,
        prefix="Token",
        httpx_args={"event_hooks": {"response": [recorder]}},
    )


def _ok(response, status: int = 200):
    assert response.status_code == status, (response.status_code, response.content[:800])
    return response.parsed


def _journey(live_server, world) -> Recorder:
    """The lifecycle through the generated client alone; returns what it exchanged."""
    today = timezone.localdate()
    world.call.funding_year = today.year
    world.call.save()
    seat_committee(world, voting=2, advisory=0)  # three seats, all vote in writing
    recorder = Recorder()
    sponsor = _sign_in(live_server, recorder, "sponsor_a")
    office = _sign_in(live_server, recorder, "office")
    members = [
        _sign_in(live_server, recorder, name) for name in ("committee", "member2", "member3")
    ]
    api = "api.applications."

    def transition(user, name: str, **inputs):
        title = "".join(part.capitalize() for part in f"application_{name}".split("_"))
        model = getattr(_module(f"models.application_{name}_input_request"), f"{title}InputRequest")
        return _ok(
            _module(f"{api}application_{name}").sync_detailed(
                pk, client=user, body=model.from_dict(inputs)
            )
        )

    draft = _ok(
        _module(f"{api}applications_create").sync_detailed(
            client=sponsor,
            body=_module("models.application_request").ApplicationRequest.from_dict(
                {
                    "call": world.call.pk,
                    "organization": world.org_a.pk,
                    "title": "Demokratiewerkstatt Jugendforum",
                    "summary": "Vier Workshops für Jugendliche über Beteiligung.",
                    "start_date": date(today.year, 1, 1).isoformat(),
                    "end_date": date(today.year, 12, 31).isoformat(),
                    "budget_lines": [
                        {
                            "category": "honorare",
                            "description": "Honorar Workshop",
                            "amount": "400.00",
                        }
                    ],
                }
            ),
        ),
        201,
    )
    pk = draft.id
    assert draft.state.value == "draft"
    assert transition(sponsor, "submit").state.value == "submitted"
    assert transition(office, "forward_to_committee").state.value == "committee_review"
    vote = _module("models.vote_input_request").VoteInputRequest.from_dict({"choice": "approve"})
    for member in members:
        cast = _module(f"{api}applications_votes_create").sync_detailed
        _ok(cast(pk, client=member, body=vote), 201)
    tally = _ok(_module(f"{api}applications_tally_retrieve").sync_detailed(pk, client=office))
    assert (tally.outcome.value, tally.quorum_reached) == ("approve", True)
    approved = transition(office, "approve", approved_amount="400.00")
    assert (approved.state.value, approved.approved_amount) == ("approved", "400.00")
    assert transition(sponsor, "accept_agreement").state.value == "funded"

    payout = _ok(
        _module(f"{api}applications_payments_create").sync_detailed(
            pk,
            client=sponsor,
            body=_module("models.payment_input_request").PaymentInputRequest.from_dict(
                {"amount": "400.00", "needed_by": today.isoformat()}
            ),
        ),
        201,
    )
    payments = "api.payments."
    _ok(_module(f"{payments}payment_approve").sync_detailed(payout.id, client=office))
    paid = _ok(
        _module(f"{payments}payment_mark_paid").sync_detailed(
            payout.id,
            client=office,
            body=_module("models.payment_mark_paid_input_request").PaymentMarkPaidInputRequest(
                paid_on=today
            ),
        )
    )
    assert paid.state.value == "paid"

    _ok(
        _module(f"{api}applications_expenditures_create").sync_detailed(
            pk,
            client=sponsor,
            body=_module("models.expenditure_request").ExpenditureRequest.from_dict(
                {
                    "date": today.isoformat(),
                    "payee": "Müller & Söhne GbR",
                    "purpose": "Honorar Workshop 1–4",
                    "category": "honorare",
                    "amount": "400.00",
                    "receipt_number": "B-1",
                }
            ),
        ),
        201,
    )
    proof = _ok(
        _module(f"{api}applications_proof_of_use_update").sync_detailed(
            pk,
            client=sponsor,
            body=_module("models.proof_of_use_request").ProofOfUseRequest.from_dict(
                {
                    "narrative": "Vier Workshops mit 38 Jugendlichen.",
                    "participants": 38,
                    "certified": True,
                }
            ),
        )
    )
    assert proof.statement.reclaim == "0.00"
    assert proof.certified is True
    assert transition(sponsor, "submit_proof_of_use").state.value == "proof_submitted"
    note = _ok(
        _module(f"{api}applications_check_note_update").sync_detailed(
            pk,
            client=office,
            body=_module("models.check_note_request").CheckNoteRequest.from_dict(
                {"extent": "full", "result": "Alle Belege geprüft, zuwendungsfähig."}
            ),
        )
    )
    assert note.extent.value == "full"
    assert transition(office, "accept_proof").state.value == "closed"

    pdf = _ok(_module(f"{api}applications_pdf_retrieve").sync_detailed(pk, client=sponsor))
    assert pdf.payload.read().startswith(b"%PDF-")
    history = _ok(_module(f"{api}applications_history_list").sync_detailed(pk, client=office))
    assert [entry.event for entry in history][-1] == "application.accept_proof"
    return recorder


def test_the_whole_lifecycle_through_the_generated_client(generated, live_server, world):
    recorder = _journey(live_server, world)
    assert len(recorder.exchanges) >= 20


def _operation(spec: dict, method: str, path: str) -> dict:
    # a literal path before a template that also matches it (``me`` is not an ``{id}``)
    for template, operations in sorted(spec["paths"].items(), key=lambda p: p[0].count("{")):
        pattern = "^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in operations:
            return operations[method.lower()]
    raise AssertionError(f"{method} {path} is in no path of the schema")


def test_every_answer_of_the_journey_matches_the_schema(
    generated, served_schema, live_server, world
):
    recorder = _journey(live_server, world)
    application = _operation(served_schema, "GET", "/api/applications/1/")["responses"]["200"]
    strict = OAS30ReadValidator(
        {
            "components": served_schema["components"],
            **application["content"]["application/json"]["schema"],
        },
        format_checker=OAS30ReadValidator.FORMAT_CHECKER,
    )
    assert not strict.is_valid({"id": "seven"})  # the check below can fail
    checked = 0
    for method, path, status, content_type, body in recorder.exchanges:
        responses = _operation(served_schema, method, path)["responses"]
        assert str(status) in responses, (method, path, status)
        content = responses[str(status)].get("content", {})
        media = content_type.split(";")[0].strip()
        if not content:
            assert body == b"", (method, path)
            continue
        assert media in content, (method, path, media, list(content))
        if media != "application/json":
            continue
        schema = {"components": served_schema["components"], **content[media]["schema"]}
        validator = OAS30ReadValidator(schema, format_checker=OAS30ReadValidator.FORMAT_CHECKER)
        errors = [error.message for error in validator.iter_errors(json.loads(body))]
        assert errors == [], (method, path, errors[:3])
        checked += 1
    assert checked >= 20
