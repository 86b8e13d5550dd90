"""The permission table: (role, method, url) → expected status, for every endpoint.

Objects a role may not see answer 404, never 403 (CONTRACT.md); objects it may see but
not change answer 403; no token answers 401.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import client_for

ROLES = ["anonymous", "sponsor_a", "sponsor_b", "office", "committee", "funder", "admin"]


def _call_body(w):
    now = timezone.now()
    return {
        "program": w.program.pk,
        "title": "Zweite Runde",
        "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(days=30)).isoformat(),
        "budget": "1000.00",
    }


def _application_body(w):
    year = w.call.funding_year
    return {
        "call": w.call.pk,
        "organization": w.org_a.pk,
        "title": "Neues Projekt",
        "start_date": f"{year}-03-01",
        "end_date": f"{year}-04-01",
        "budget_lines": [{"category": "honorare", "description": "Honorar", "amount": "100.00"}],
    }


# method, url (formatted with the objects), body factory, expected status per role;
# a role missing from the dict expects the row's "*" entry.
TABLE = [
    ("get", "/api/programs/", None, {"*": 200}),
    (
        "post",
        "/api/programs/",
        lambda w: {"code": "NEU", "name": "Neu", "funder_name": "Bund"},
        {"*": 403, "admin": 201},
    ),
    ("get", "/api/programs/{program}/", None, {"*": 200}),
    (
        "patch",
        "/api/programs/{program}/",
        lambda w: {"name": "Umbenannt"},
        {"*": 403, "office": 200, "admin": 200},
    ),
    ("get", "/api/programs/{program}/roles/", None, {"*": 403, "office": 200, "admin": 200}),
    (
        "post",
        "/api/programs/{program}/roles/",
        lambda w: {"user": w.funder.pk, "role": "committee"},
        {"*": 403, "office": 201, "admin": 201},
    ),
    (
        "delete",
        "/api/programs/{program}/roles/{funder_role}/",
        None,
        {"*": 403, "office": 204, "admin": 204},
    ),
    ("get", "/api/programs/{program}/categories/", None, {"*": 200}),
    (
        "post",
        "/api/programs/{program}/categories/",
        lambda w: {"code": "reise", "name": "Reise"},
        {"*": 403, "office": 201, "admin": 201},
    ),
    ("get", "/api/calls/", None, {"*": 200}),
    ("get", "/api/calls/{call}/", None, {"*": 200}),
    ("post", "/api/calls/", _call_body, {"*": 403, "office": 201, "admin": 201}),
    (
        "patch",
        "/api/calls/{call}/",
        lambda w: {"title": "Umbenannt"},
        {"*": 403, "office": 200, "admin": 200},
    ),
    ("get", "/api/organizations/", None, {"*": 200}),
    ("post", "/api/organizations/", lambda w: {"name": "Neuer Verein"}, {"*": 201}),
    (
        "get",
        "/api/organizations/{org_a}/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "admin": 200},
    ),
    (
        "patch",
        "/api/organizations/{org_a}/",
        lambda w: {"name": "Umbenannt"},
        {"*": 404, "sponsor_a": 200, "office": 403, "admin": 200},
    ),
    (
        "get",
        "/api/organizations/{org_a}/members/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 403, "admin": 200},
    ),
    (
        "post",
        "/api/organizations/{org_a}/members/",
        lambda w: {"user": w.funder.pk},
        # CONTRACT.md (issue #7): only administrators add members; members invite.
        {"*": 404, "sponsor_a": 403, "office": 403, "admin": 201},
    ),
    ("get", "/api/applications/", None, {"*": 200}),
    # Another organisation answers like an unknown one (#19: no existence oracle).
    ("post", "/api/applications/", _application_body, {"*": 400, "sponsor_a": 201, "admin": 201}),
    (
        "get",
        "/api/applications/{submitted}/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "admin": 200},
    ),
    ("get", "/api/applications/{draft}/", None, {"*": 404, "sponsor_a": 200, "admin": 200}),
    (
        "get",
        "/api/applications/{in_committee}/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "committee": 200, "admin": 200},
    ),
    (
        "patch",
        "/api/applications/{draft}/",
        lambda w: {"title": "Neuer Titel"},
        {"*": 404, "sponsor_a": 200, "admin": 200},
    ),
    (
        "patch",
        "/api/applications/{submitted}/",
        lambda w: {"title": "Neuer Titel"},
        {"*": 404, "sponsor_a": 409, "office": 403, "admin": 409},
    ),
    ("delete", "/api/applications/{draft}/", None, {"*": 404, "sponsor_a": 204, "admin": 204}),
    (
        "delete",
        "/api/applications/{submitted}/",
        None,
        {"*": 404, "sponsor_a": 409, "office": 403, "admin": 409},
    ),
    (
        "get",
        "/api/applications/{submitted}/history/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "admin": 200},
    ),
    (
        "get",
        "/api/applications/{submitted}/transitions/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "admin": 200},
    ),
    (
        "post",
        "/api/applications/{submitted}/transitions/forward_to_committee/",
        None,
        {"*": 404, "sponsor_a": 403, "office": 200, "admin": 200},
    ),
    (
        "post",
        "/api/applications/{in_committee}/transitions/withdraw/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 403, "committee": 403, "admin": 200},
    ),
    # The committee's review (issue #8): the deciding body's voting members vote and
    # object; the office and the body read the tally and conflicts; the sponsor sees the
    # application but not the deliberation (403); everybody else sees nothing (404).
    (
        "get",
        "/api/applications/{in_committee}/votes/",
        None,
        {"*": 404, "sponsor_a": 403, "office": 200, "committee": 200, "admin": 200},
    ),
    (
        "post",
        "/api/applications/{in_committee}/votes/",
        lambda w: {"choice": "approve", "comment": "Gutes Projekt."},
        {"*": 404, "sponsor_a": 403, "office": 403, "committee": 201, "admin": 403},
    ),
    (
        "post",
        "/api/applications/{submitted}/votes/",
        lambda w: {"choice": "approve"},
        # Not yet before the committee: its members do not see it; for an administrator
        # (who sees everything) the review has not begun.
        {"*": 404, "sponsor_a": 403, "office": 403, "admin": 409},
    ),
    (
        "get",
        "/api/applications/{draft}/tally/",
        None,
        {"*": 404, "sponsor_a": 403, "admin": 200},
    ),
    (
        "get",
        "/api/applications/{in_committee}/tally/",
        None,
        {"*": 404, "sponsor_a": 403, "office": 200, "committee": 200, "admin": 200},
    ),
    (
        "get",
        "/api/applications/{in_committee}/conflicts/",
        None,
        {"*": 404, "sponsor_a": 403, "office": 200, "committee": 200, "admin": 200},
    ),
    (
        "post",
        "/api/applications/{in_committee}/conflicts/",
        lambda w: {"reason": "Ich berate den Träger."},
        # The office and admins must name the member (400); members declare their own.
        {"*": 404, "sponsor_a": 403, "office": 400, "committee": 201, "admin": 400},
    ),
    (
        "post",
        "/api/applications/{in_committee}/objections/",
        lambda w: {"reason": "Bitte in der Sitzung beraten."},
        {"*": 404, "sponsor_a": 403, "office": 403, "committee": 201, "admin": 403},
    ),
    ("get", "/api/meetings/", None, {"*": 200}),
    (
        "post",
        "/api/meetings/",
        lambda w: {
            "body": w.program.default_body().pk,
            "starts_at": timezone.now().isoformat(),
            "place": "Rathaus",
        },
        {"*": 403, "office": 201, "admin": 201},
    ),
    ("get", "/api/programs/{program}/bodies/", None, {"*": 200}),
    (
        "post",
        "/api/programs/{program}/bodies/",
        lambda w: {"name": "Jugendforum", "kind": "youth_forum"},
        {"*": 403, "office": 201, "admin": 201},
    ),
    (
        "patch",
        "/api/programs/{program}/roles/{funder_role}/",
        lambda w: {"valid_until": "2030-12-31"},
        {"*": 403, "office": 200, "admin": 200},
    ),
    # A funded project's money (issue #9): the sponsor and the office; nobody else.
    (
        "get",
        "/api/applications/{funded}/payments/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "committee": 403, "admin": 200},
    ),
    (
        "post",
        "/api/applications/{funded}/payments/",
        lambda w: {"amount": "50.00", "needed_by": timezone.localdate().isoformat()},
        {"*": 404, "sponsor_a": 201, "office": 403, "committee": 403, "admin": 201},
    ),
    (
        "get",
        "/api/applications/{funded}/expenditures/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "committee": 403, "admin": 200},
    ),
    (
        "get",
        "/api/applications/{funded}/proof-of-use/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "committee": 403, "admin": 200},
    ),
    (
        "put",
        "/api/applications/{funded}/proof-of-use/",
        lambda w: {"narrative": "Bericht"},
        {"*": 404, "sponsor_a": 200, "office": 403, "committee": 403, "admin": 200},
    ),
    (
        "get",
        "/api/applications/{funded}/change-requests/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "committee": 403, "admin": 200},
    ),
    (
        "post",
        "/api/applications/{funded}/change-requests/",
        lambda w: {"reason": "Verlängerung", "end_date": f"{w.call.funding_year}-12-31"},
        {"*": 404, "sponsor_a": 201, "office": 403, "committee": 403, "admin": 201},
    ),
    (
        "get",
        "/api/applications/{funded}/interim-proof/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "committee": 403, "admin": 200},
    ),
    (
        "post",
        "/api/payments/{payment}/transitions/approve/",
        None,
        {"*": 404, "sponsor_a": 403, "office": 200, "committee": 403, "admin": 200},
    ),
    ("get", "/api/base-rates/", None, {"*": 200}),
    (
        "post",
        "/api/base-rates/",
        lambda w: {"valid_from": "2027-01-01", "rate_percent": "1.50"},
        {"*": 403, "admin": 201},
    ),
    ("get", "/api/users/", None, {"*": 403, "admin": 200}),
    (
        "post",
        "/api/users/",
        lambda w: {
            "username": "neu",
            "email": "neu@example.org",
            "password": "ein-langes-passwort-42",
        },
        {"*": 403, "admin": 201},
    ),
    ("get", "/api/users/me/", None, {"*": 200}),
    # Documents and funder reports (issue #11).
    (
        "get",
        "/api/applications/{submitted}/pdf/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "admin": 200},
    ),
    (
        "get",
        "/api/applications/{funded}/documents/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "committee": 200, "admin": 200},
    ),
    (
        "get",
        "/api/applications/{funded}/documents/agreement/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "committee": 403, "admin": 200},
    ),
    (
        "get",
        "/api/applications/{funded}/documents/statement/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "committee": 403, "admin": 200},
    ),
    (
        "post",
        "/api/applications/{funded}/documents/agreement/",
        None,
        {"*": 404, "sponsor_a": 403, "office": 201, "committee": 403, "admin": 201},
    ),
    (
        "put",
        "/api/applications/{in_committee}/recommendation/",
        lambda w: {"choice": "approve", "text": "Empfohlen."},
        {"*": 404, "sponsor_a": 403, "office": 200, "committee": 403, "admin": 200},
    ),
    (
        "get",
        "/api/calls/{call}/dossier/",
        None,
        {"*": 403, "office": 200, "committee": 200, "admin": 200},
    ),
    (
        "get",
        "/api/programs/{program}/figures/?period_start=2026-01-01&period_end=2026-12-31",
        None,
        {"*": 403, "office": 200, "funder": 200, "admin": 200},
    ),
    # -- #21: receipt review, check note, early start, payout batches --------------------
    (
        "post",
        "/api/applications/{funded}/receipts-request/",
        lambda w: {},
        {"*": 404, "sponsor_a": 403, "committee": 403, "office": 409, "admin": 409},
    ),
    (
        "get",
        "/api/applications/{funded}/check-note/",
        None,
        {"*": 404, "sponsor_a": 200, "committee": 403, "office": 200, "admin": 200},
    ),
    (
        "put",
        "/api/applications/{funded}/check-note/",
        lambda w: {"extent": "full", "result": "Geprüft."},
        {"*": 404, "sponsor_a": 403, "committee": 403, "office": 409, "admin": 409},
    ),
    (
        "post",
        "/api/expenditures/{expenditure}/finding/",
        lambda w: {"finding": "accepted"},
        {"*": 404, "sponsor_a": 403, "committee": 403, "office": 409, "admin": 409},
    ),
    (
        "post",
        "/api/applications/{early}/early-start/",
        lambda w: {"granted": True},
        {"*": 404, "sponsor_a": 403, "office": 200, "admin": 200},
    ),
    (
        "get",
        "/api/programs/{program}/payout-batches/",
        None,
        {"*": 403, "office": 200, "admin": 200},
    ),
    (
        "post",
        "/api/programs/{program}/payout-batches/",
        lambda w: {"payments": [999999]},
        {"*": 403, "office": 400, "admin": 400},
    ),
    ("get", "/api/payout-batches/{batch}/", None, {"*": 404, "office": 200, "admin": 200}),
    (
        "get",
        "/api/payout-batches/{batch}/payment-order/",
        None,
        {"*": 404, "office": 200, "admin": 200},
    ),
    ("get", "/api/payout-batches/{batch}/sepa/", None, {"*": 404, "office": 200, "admin": 200}),
    (
        "post",
        "/api/payout-batches/{batch}/mark-paid/",
        lambda w: {},
        {"*": 404, "office": 200, "admin": 200},
    ),
    ("delete", "/api/payout-batches/{batch}/", None, {"*": 404, "office": 204, "admin": 204}),
    # -- #22: attachments and annex types ------------------------------------------------
    ("get", "/api/calls/{call}/annex-types/", None, {"*": 200}),
    (
        "post",
        "/api/calls/{call}/annex-types/",
        lambda w: {"name": "Freistellungsbescheid"},
        {"*": 403, "office": 201, "admin": 201},
    ),
    (
        "patch",
        "/api/annex-types/{annex}/",
        lambda w: {"required": False},
        {"*": 403, "office": 200, "admin": 200},
    ),
    (
        "get",
        "/api/applications/{in_committee}/attachments/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "committee": 200, "admin": 200},
    ),
    (
        "get",
        "/api/attachments/{clean_annex}/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "committee": 200, "admin": 200},
    ),
    (
        "get",
        "/api/attachments/{clean_annex}/file/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "committee": 200, "admin": 200},
    ),
    (
        "get",
        "/api/attachments/{pending_annex}/file/",
        None,
        {"*": 404, "sponsor_a": 200},
    ),
    (
        "get",
        "/api/attachments/{clean_receipt}/file/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "admin": 200},
    ),
    (
        "get",
        "/api/attachments/{proof_file}/file/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "admin": 200},
    ),
    (
        "get",
        "/api/attachments/{interim_file}/file/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "admin": 200},
    ),
    (
        "get",
        "/api/attachments/{change_file}/file/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "admin": 200},
    ),
    (
        "get",
        "/api/attachments/{pending_receipt}/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "admin": 200},
    ),
    (
        "get",
        "/api/attachments/{pending_receipt}/file/",
        None,
        {"*": 404, "sponsor_a": 200},
    ),
    (
        "get",
        "/api/attachments/{funded_annex}/file/",
        None,
        {"*": 404, "sponsor_a": 200, "office": 200, "committee": 200, "admin": 200},
    ),
    (
        "get",
        "/api/attachments/{office_file}/",
        None,
        {"*": 404, "office": 200, "admin": 200},
    ),
    (
        "delete",
        "/api/attachments/{clean_annex}/",
        None,
        {"*": 404, "sponsor_a": 409, "office": 403, "committee": 403, "admin": 409},
    ),
    (
        "get",
        "/api/applications/{funded}/export/",
        None,
        {"*": 404, "sponsor_a": 403, "committee": 403, "office": 200, "admin": 200},
    ),
    ("get", "/api/reports/", None, {"*": 200}),
    (
        "post",
        "/api/reports/",
        lambda w: {
            "kind": "funder_period",
            "program": w.program.pk,
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
        },
        {"*": 403, "office": 202, "funder": 202, "admin": 202},
    ),
    ("get", "/api/reports/{report}/", None, {"*": 404, "office": 200, "funder": 200, "admin": 200}),
    (
        "get",
        "/api/reports/{report}/file/",
        None,
        {"*": 404, "office": 200, "funder": 200, "admin": 200},
    ),
]

PUBLIC = [("get", "/healthz"), ("get", "/api/schema/"), ("get", "/api/docs/")]


def _cases():
    for method, url, body, expected in TABLE:
        for role in ROLES:
            status = 401 if role == "anonymous" else expected.get(role, expected["*"])
            yield pytest.param(role, method, url, body, status, id=f"{role}-{method}-{url}")


@pytest.fixture
def objects(world, application_in):
    from django.core.files.base import ContentFile

    from grants.models import AnnexType, ProgramRole
    from projects.models import Attachment, Expenditure, PayoutBatch, PayoutRequest
    from reports import services
    from reports.models import Report

    funded = application_in("funded")
    world.program.treasury_name = "Stadtkasse"
    world.program.treasury_iban = "DE71570501200000001234"
    world.program.save()
    world.org_a.iban = "DE89370400440532013000"
    world.org_a.save()
    paid_out = PayoutRequest.objects.create(
        application=funded, amount="50.00", requested_by=world.sponsor_a
    )
    batch = PayoutBatch.objects.create(
        program=world.program, execution_date=timezone.localdate(), created_by=world.office
    )
    PayoutRequest.objects.filter(pk=paid_out.pk).update(
        state="approved", batch=batch, decided_at=timezone.now()
    )
    early = application_in(
        "submitted",
        early_start_from=timezone.localdate().replace(month=2, day=1),
        early_start_reason="Die Referentin ist nur im Februar frei.",
    )
    in_committee = application_in("committee_review")
    annex = AnnexType.objects.create(call=world.call, name="Satzung", required=False)

    def attached(application, owner, state, uploader, owner_id=None, name="a"):
        return Attachment.objects.create(
            application=application,
            owner=owner,
            owner_id=owner_id,
            annex_type=annex if owner == "application" else None,
            original_name=f"{name}.pdf",
            content_type="application/pdf",
            size=9,
            sha256=name * 64,
            file=ContentFile(b"%PDF-1.4\n", name=f"{name}.pdf"),
            uploaded_by=uploader,
            scan_state=state,
        )

    line = Expenditure.objects.create(
        application=funded,
        date=funded.start_date,
        payee="Druckerei",
        purpose="Flyer",
        category=world.category,
        amount="20.00",
        created_by=world.sponsor_a,
    )
    return {
        "annex": annex.pk,
        "in_committee": in_committee.pk,
        "clean_annex": attached(in_committee, "application", "clean", world.sponsor_a).pk,
        "pending_annex": attached(
            in_committee, "application", "pending", world.sponsor_a, name="b"
        ).pk,
        "clean_receipt": attached(
            funded, "receipt", "clean", world.sponsor_a, owner_id=line.pk, name="c"
        ).pk,
        "office_file": attached(in_committee, "office", "clean", world.office, name="d").pk,
        "proof_file": attached(funded, "proof_of_use", "clean", world.sponsor_a, name="e").pk,
        "interim_file": attached(funded, "interim_proof", "clean", world.sponsor_a, name="g").pk,
        "change_file": attached(funded, "change_request", "clean", world.sponsor_a, name="h").pk,
        "pending_receipt": attached(
            funded, "receipt", "pending", world.sponsor_a, owner_id=line.pk, name="i"
        ).pk,
        "funded_annex": attached(funded, "application", "clean", world.sponsor_a, name="f").pk,
        "program": world.program.pk,
        "call": world.call.pk,
        "org_a": world.org_a.pk,
        "draft": application_in("draft").pk,
        "submitted": application_in("submitted").pk,
        "funder_role": ProgramRole.objects.get(user=world.funder).pk,
        "funded": funded.pk,
        "early": early.pk,
        "batch": batch.pk,
        "expenditure": Expenditure.objects.create(
            application=funded,
            date=funded.start_date,
            payee="Trainerin K.",
            purpose="Workshop",
            category=world.category,
            amount="80.00",
            created_by=world.sponsor_a,
        ).pk,
        "payment": PayoutRequest.objects.create(
            application=funded, amount="100.00", requested_by=world.sponsor_a
        ).pk,
        "report": services.report_render(
            Report.objects.create(
                program=world.program,
                period_start=timezone.localdate().replace(month=1, day=1),
                period_end=timezone.localdate(),
            ).pk
        ).pk,
    }


@pytest.mark.parametrize(("role", "method", "url", "body", "status"), list(_cases()))
def test_permission_table(world, objects, role, method, url, body, status):
    client = client_for(None if role == "anonymous" else getattr(world, role))
    payload = body(world) if body else None

    response = getattr(client, method)(url.format(**objects), payload, format="json")

    assert response.status_code == status, response.content[:300]
    if status >= 400:
        assert (
            response.json()["code"]
            == {
                401: "not_authenticated",
                400: "invalid",
                403: "permission_denied",
                404: "not_found",
                409: "transition_not_allowed",
            }[status]
        )


@pytest.mark.parametrize(("method", "url"), PUBLIC)
def test_public_endpoints_need_no_token(db, method, url):
    assert getattr(client_for(None), method)(url).status_code == 200


def test_sponsor_lists_only_own_organisations_applications(world, application_in, api):
    mine = application_in("submitted")
    theirs = application_in("submitted", organization=world.org_b, sponsor=world.sponsor_b)

    ids = {a["id"] for a in api(world.sponsor_a).get("/api/applications/").json()["results"]}

    assert mine.pk in ids
    assert theirs.pk not in ids


def test_funder_sees_no_applications(world, application_in, api):
    application_in("funded")
    assert api(world.funder).get("/api/applications/").json()["count"] == 0
