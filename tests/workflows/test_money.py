"""A funded project's money (issue #9): payouts, receipts, proof of use, acceptance with
and without a reclaim, revocation, repayment with interest, and the closed file."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from core.audit import trail_of
from projects.models import Expenditure, PayoutRequest
from workflows import money

BERLIN = ZoneInfo("Europe/Berlin")

D = Decimal


def _request(api, world, amount, **extra):
    return api(world.sponsor_a).post(
        f"/api/applications/{world.application.pk}/payments/",
        {"amount": amount, "needed_by": timezone.localdate().isoformat(), **extra},
        format="json",
    )


def _move(api, world, payment_id, name, **body):
    return api(world.office).post(
        f"/api/payments/{payment_id}/transitions/{name}/", body, format="json"
    )


def _paid(api, world, amount, paid_on=None):
    # A payout is paid on or after its approval: one paid in the past was requested and
    # approved that morning.
    with time_machine.travel(
        datetime.combine(paid_on, time(8), tzinfo=BERLIN) if paid_on else timezone.now(),
        tick=False,
    ):
        payment = _request(api, world, amount).json()["id"]
        assert _move(api, world, payment, "approve").status_code == 200
    body = {"paid_on": paid_on.isoformat()} if paid_on else {}
    response = _move(api, world, payment, "mark_paid", **body)
    assert response.status_code == 200, response.json()
    return response.json()


def _receipt(api, world, amount, day=None, category="honorare"):
    day = day or timezone.localdate()
    return api(world.sponsor_a).post(
        f"/api/applications/{world.application.pk}/expenditures/",
        {
            "date": day.isoformat(),
            "payee": "Trainerin K.",
            "purpose": "Workshop",
            "category": category,
            "amount": amount,
            "receipt_number": "R-1",
        },
        format="json",
    )


# -- payouts ---------------------------------------------------------------------------------


def test_payout_is_requested_approved_and_paid(funded, api):
    created = _request(api, funded, "150.00", note="Erste Rate")
    assert created.status_code == 201, created.json()
    assert created.json()["state"] == "requested"
    payment = created.json()["id"]
    assert _move(api, funded, payment, "approve").json()["state"] == "approved"
    paid = _move(api, funded, payment, "mark_paid").json()
    assert paid["state"] == "paid"
    assert paid["paid_on"] == timezone.localdate().isoformat()
    window = timezone.localdate() + timedelta(days=42)
    assert paid["window_ends_on"] == window.isoformat()
    assert paid["uncovered_amount"] == "150.00"
    events = [e.event for e in trail_of(funded.application)]
    assert {"payment.request", "payment.approve", "payment.mark_paid"} <= set(events)


def test_payouts_never_exceed_the_approved_grant(funded, api):
    assert _request(api, funded, "300.00").status_code == 201
    refused = _request(api, funded, "100.01")
    assert refused.status_code == 400
    assert "amount" in refused.json()["errors"]
    assert PayoutRequest.objects.count() == 1
    assert _request(api, funded, "100.00").status_code == 201


def test_a_rejected_payout_frees_its_amount(funded, api):
    payment = _request(api, funded, "400.00").json()["id"]
    rejected = _move(api, funded, payment, "reject", comment="Bitte Belege nachreichen.")
    assert rejected.json()["state"] == "rejected"
    assert _request(api, funded, "400.00").status_code == 201


def test_rejecting_a_payout_needs_a_comment(funded, api):
    payment = _request(api, funded, "100.00").json()["id"]
    response = _move(api, funded, payment, "reject")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"  # the body lacks what the transition needs
    assert "comment" in response.json()["errors"]
    blank = _move(api, funded, payment, "reject", comment="  ")
    assert blank.status_code == 400
    assert blank.json()["code"] == "condition_failed"
    assert PayoutRequest.objects.get(pk=payment).state == "requested"


@pytest.mark.parametrize("amount", ["0.00", "-5.00", "12.345", "abc"])
def test_bad_payout_amounts_are_refused(funded, api, amount):
    assert _request(api, funded, amount).status_code == 400
    assert not PayoutRequest.objects.exists()


def test_a_payout_without_the_day_it_is_needed_by_is_refused(funded, api):
    """#21, ANBest-P 1.4: the whole grant drawn at once, no day named: refused."""
    response = api(funded.sponsor_a).post(
        f"/api/applications/{funded.application.pk}/payments/", {"amount": "400.00"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["needed_by"]
    assert not PayoutRequest.objects.exists()


def test_payout_needed_beyond_the_spending_window_is_refused(funded, api):
    late = timezone.localdate() + timedelta(days=60)
    response = _request(api, funded, "100.00", needed_by=late.isoformat())
    assert response.status_code == 400
    assert "needed_by" in response.json()["errors"]


def test_no_payout_before_the_project_is_funded(world, application_in, api):
    approved = application_in("approved")
    response = api(world.sponsor_a).post(
        f"/api/applications/{approved.pk}/payments/",
        {"amount": "10.00", "needed_by": timezone.localdate().isoformat()},
        format="json",
    )
    assert response.status_code == 409
    assert not PayoutRequest.objects.exists()


def test_only_the_office_decides_payouts(funded, api):
    payment = _request(api, funded, "100.00").json()["id"]
    response = api(funded.sponsor_a).post(
        f"/api/payments/{payment}/transitions/approve/", {}, format="json"
    )
    assert response.status_code == 403
    other = api(funded.sponsor_b).post(
        f"/api/payments/{payment}/transitions/approve/", {}, format="json"
    )
    assert other.status_code == 404


def test_municipal_sponsors_have_two_months(funded, api):
    funded.org_a.is_municipal = True
    funded.org_a.save()
    paid = _paid(api, funded, "100.00", paid_on=date(2026, 1, 31))
    assert paid["window_ends_on"] == "2026-03-31"


# -- receipts --------------------------------------------------------------------------------


def test_receipts_are_recorded_corrected_and_removed_with_an_audit(funded, api):
    created = _receipt(api, funded, "120.00")
    assert created.status_code == 201, created.json()
    line = created.json()["id"]
    changed = api(funded.sponsor_a).patch(
        f"/api/expenditures/{line}/", {"amount": "125.50"}, format="json"
    )
    assert changed.json()["amount"] == "125.50"
    assert api(funded.sponsor_a).delete(f"/api/expenditures/{line}/").status_code == 204
    events = [e.event for e in trail_of(funded.application) if e.namespace == "expenditure"]
    assert events == ["expenditure.create", "expenditure.update", "expenditure.delete"]
    update = next(e for e in trail_of(funded.application) if e.event == "expenditure.update")
    assert (update.data["before"]["amount"], update.data["after"]["amount"]) == (
        "120.00",
        "125.50",
    )


def test_receipt_outside_the_project_period_is_refused(funded, api):
    outside = date(timezone.localdate().year - 1, 12, 31)
    response = _receipt(api, funded, "50.00", day=outside)
    assert response.status_code == 400
    assert "date" in response.json()["errors"]
    assert not Expenditure.objects.exists()


def test_receipt_in_an_unknown_category_is_refused(funded, api):
    response = _receipt(api, funded, "50.00", category="catering")
    assert response.status_code == 400
    assert "category" in response.json()["errors"]
    assert not Expenditure.objects.exists()


def test_receipts_use_the_oldest_payout_first(funded, api):
    _paid(api, funded, "100.00", paid_on=timezone.localdate() - timedelta(days=10))
    _paid(api, funded, "100.00")
    _receipt(api, funded, "150.00")
    payments = (
        api(funded.sponsor_a).get(f"/api/applications/{funded.application.pk}/payments/").json()
    )
    assert [p["uncovered_amount"] for p in payments] == ["0.00", "50.00"]


# -- proof of use and its outcome -----------------------------------------------------------


def _proof(api, world, **body):
    return api(world.sponsor_a).put(
        f"/api/applications/{world.application.pk}/proof-of-use/",
        {
            "narrative": "Vier Workshops mit 38 Jugendlichen.",
            "participants": 38,
            "certified": True,
            **body,
        },
        format="json",
    )


def _check_note(api, world, extent="full", result="Belege vollständig geprüft."):
    return api(world.office).put(
        f"/api/applications/{world.application.pk}/check-note/",
        {"extent": extent, "result": result},
        format="json",
    )


def _transition(api, user, world, name, **body):
    if name == "accept_proof":
        note = _check_note(api, world)
        assert note.status_code in (200, 409), note.json()
    return api(user).post(
        f"/api/applications/{world.application.pk}/transitions/{name}/", body, format="json"
    )


def test_proof_of_use_shows_the_statement_with_reasons(funded, api):
    _paid(api, funded, "400.00")
    _receipt(api, funded, "380.00")
    response = _proof(api, funded)
    assert response.status_code == 200, response.json()
    statement = response.json()["statement"]
    assert (statement["eligible_costs"], statement["eligible_grant"]) == ("380.00", "380.00")
    assert (statement["paid_out"], statement["reclaim"]) == ("400.00", "20.00")
    assert statement["categories"][0]["category"] == "honorare"
    assert statement["explanations"]["reclaim"]


def test_proof_needs_a_narrative_and_an_ended_or_spent_project(funded, api):
    _proof(api, funded, narrative="")
    response = _transition(api, funded.sponsor_a, funded, "submit_proof_of_use")
    assert response.status_code == 400
    assert {"narrative", "end_date"} <= set(response.json()["errors"])


def test_accepted_proof_without_reclaim_closes_the_file(funded, api):
    _paid(api, funded, "400.00")
    _receipt(api, funded, "400.00")
    _proof(api, funded)
    submitted = _transition(api, funded.sponsor_a, funded, "submit_proof_of_use")
    assert submitted.status_code == 200, submitted.json()
    keep = timezone.localdate().replace(year=timezone.localdate().year + 5).isoformat()
    assert submitted.json()["retention_until"] == keep
    closed = _transition(api, funded.office, funded, "accept_proof")
    assert closed.json()["state"] == "closed"


def test_accepted_proof_with_a_reclaim_asks_for_repayment(funded, api):
    _paid(api, funded, "400.00")
    _receipt(api, funded, "400.00")
    _proof(api, funded, actual_income="100.00")  # unplanned fees: ANBest-P 2
    _transition(api, funded.sponsor_a, funded, "submit_proof_of_use")
    due = _transition(api, funded.office, funded, "accept_proof", waive_interest=True)
    assert due.json()["state"] == "repayment_due"
    assert due.json()["reclaim_amount"] == "100.00"


def test_office_sends_the_proof_back(funded, api):
    _paid(api, funded, "400.00")
    _receipt(api, funded, "400.00")
    _proof(api, funded)
    _transition(api, funded.sponsor_a, funded, "submit_proof_of_use")
    back = _transition(api, funded.office, funded, "request_proof_revision", comment="Fotos?")
    assert back.json()["state"] == "funded"


def test_revocation_reclaims_what_was_paid_and_repayment_closes_with_interest(funded, api):
    paid_on = timezone.localdate() - timedelta(days=30)
    _paid(api, funded, "400.00", paid_on=paid_on)
    hearing = (timezone.localdate() - timedelta(days=1)).isoformat()
    revoked = _transition(
        api, funded.office, funded, "revoke", comment="Zweck verfehlt.", hearing_on=hearing
    )
    assert revoked.status_code == 200, revoked.json()
    assert (revoked.json()["state"], revoked.json()["reclaim_amount"]) == (
        "repayment_due",
        "400.00",
    )
    repaid = _transition(
        api,
        funded.office,
        funded,
        "confirm_repayment",
        repaid_amount="400.00",
        repaid_on=timezone.localdate().isoformat(),
    )
    assert repaid.status_code == 200, repaid.json()
    body = repaid.json()
    assert body["state"] == "closed"
    assert D(body["interest_amount"]) > 0  # 30 days at 5 points above the base rate


def test_revocation_needs_the_hearing_and_a_comment(funded, api):
    _paid(api, funded, "400.00")
    response = _transition(api, funded.office, funded, "revoke")
    assert response.status_code == 400
    assert {"comment", "hearing_on"} <= set(response.json()["errors"])


def test_revocation_cannot_reclaim_more_than_was_paid(funded, api):
    _paid(api, funded, "100.00")
    response = _transition(
        api,
        funded.office,
        funded,
        "revoke",
        comment="x",
        hearing_on=timezone.localdate().isoformat(),
        reclaim_amount="100.01",
    )
    assert response.status_code == 400
    funded.application.refresh_from_db()
    assert funded.application.state == "funded"


def test_a_closed_file_no_longer_changes(funded, api):
    _paid(api, funded, "400.00")
    line = _receipt(api, funded, "400.00").json()["id"]
    _proof(api, funded)
    _transition(api, funded.sponsor_a, funded, "submit_proof_of_use")
    _transition(api, funded.office, funded, "accept_proof")
    assert _request(api, funded, "1.00").status_code == 409
    assert _receipt(api, funded, "1.00").status_code == 409
    patch = api(funded.sponsor_a).patch(
        f"/api/expenditures/{line}/", {"amount": "1.00"}, format="json"
    )
    assert patch.status_code == 409
    assert api(funded.sponsor_a).delete(f"/api/expenditures/{line}/").status_code == 409
    assert _proof(api, funded).status_code == 409
    with pytest.raises(Exception):  # noqa: B017  (the service refuses, any path)
        money.expenditure_delete(
            expenditure=Expenditure.objects.get(pk=line), actor=funded.sponsor_a
        )
    assert Expenditure.objects.filter(pk=line).exists()


def test_committee_members_do_not_see_the_money(funded, api):
    url = f"/api/applications/{funded.application.pk}/payments/"
    assert api(funded.committee).get(url).status_code in (403, 404)


# -- change requests (ANBest-P 5) ------------------------------------------------------------


def _change(api, world, **body):
    return api(world.sponsor_a).post(
        f"/api/applications/{world.application.pk}/change-requests/",
        {"reason": "Die Referentin fiel aus.", **body},
        format="json",
    )


def test_granted_change_moves_money_and_the_statement_follows(funded, api):
    lines = [
        {"category": "honorare", "description": "Workshop", "amount": "250.00"},
        {"category": "sachausgaben", "description": "Material", "amount": "150.00"},
    ]
    created = _change(api, funded, budget_lines=lines)
    assert created.status_code == 201, created.json()
    change = created.json()["id"]
    granted = api(funded.office).post(
        f"/api/change-requests/{change}/transitions/grant/", {}, format="json"
    )
    assert granted.json()["state"] == "granted"
    _receipt(api, funded, "150.00", category="sachausgaben")
    statement = _proof(api, funded).json()["statement"]
    assert [(c["category"], c["planned"]) for c in statement["categories"]] == [
        ("honorare", "250.00"),
        ("sachausgaben", "150.00"),
    ]
    assert statement["eligible_costs"] == "150.00"
    # the original plan is still the application's
    application = api(funded.sponsor_a).get(f"/api/applications/{funded.application.pk}/")
    assert [line["amount"] for line in application.json()["budget_lines"]] == ["400.00"]


def test_a_change_keeps_the_total(funded, api):
    lines = [{"category": "honorare", "description": "Workshop", "amount": "500.00"}]
    response = _change(api, funded, budget_lines=lines)
    assert response.status_code == 400
    assert "budget_lines" in response.json()["errors"]


def test_a_granted_later_end_admits_later_receipts(funded, api):
    funded.application.end_date = timezone.localdate() - timedelta(days=5)
    funded.application.save(update_fields=["end_date"])
    later = timezone.localdate()
    assert _receipt(api, funded, "10.00", day=later).status_code == 400
    change = _change(api, funded, end_date=(later + timedelta(days=30)).isoformat()).json()["id"]
    api(funded.office).post(f"/api/change-requests/{change}/transitions/grant/", {}, format="json")
    assert _receipt(api, funded, "10.00", day=later).status_code == 201


def test_refusing_a_change_needs_a_comment(funded, api):
    change = _change(api, funded, end_date="2099-01-01").json()["id"]
    url = f"/api/change-requests/{change}/transitions/refuse/"
    assert api(funded.office).post(url, {}, format="json").status_code == 400
    refused = api(funded.office).post(url, {"comment": "Nicht begründet."}, format="json")
    assert refused.json()["state"] == "refused"


def test_a_change_request_asks_for_something(funded, api):
    assert _change(api, funded).status_code == 400


# -- the interim proof and the due dates ----------------------------------------------------


def test_interim_proof_reports_the_first_year_only(world, application_in, api):
    year = timezone.localdate().year
    world.call.funding_year = year
    world.call.save()
    # A project running from 1 March into the next year (the end moved by a change).
    world.application = application_in(
        "funded", start_date=date(year, 3, 1), end_date=date(year, 12, 31)
    )
    change = _change(api, world, end_date=date(year + 1, 3, 31).isoformat()).json()["id"]
    api(world.office).post(f"/api/change-requests/{change}/transitions/grant/", {}, format="json")
    _paid(
        api,
        world,
        "200.00",
        paid_on=date(year, 3, 1) if date(year, 3, 1) <= timezone.localdate() else None,
    )
    response = api(world.sponsor_a).put(
        f"/api/applications/{world.application.pk}/interim-proof/",
        {"narrative": "Erste Hälfte: zwei Workshops."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["year"] == year
    assert body["due"] is not None and body["due"].startswith(str(year + 1))
    assert body["statement"]["paid_out"] == "200.00"


def test_interim_proofs_for_each_year_end_over_three_years(world, application_in, api):
    """#21: a project from 1 March 2025 to 30 June 2028 owes interim proofs for 2025,
    2026 and 2027; each is written for its year, the due dates follow (ANBest-P 6.1)."""
    world.call.funding_year = 2025
    world.call.save()
    world.program.max_grant = Decimal("20000.00")
    world.program.save()
    world.application = application_in(
        "funded", start_date=date(2025, 3, 1), end_date=date(2025, 12, 31)
    )
    from projects.models import Application

    Application.objects.filter(pk=world.application.pk).update(end_date=date(2028, 6, 30))
    url = f"/api/applications/{world.application.pk}/interim-proof/"
    sponsor = api(world.sponsor_a)
    first = sponsor.put(url, {"narrative": "2025: zwei Workshops."}, format="json").json()
    assert (first["year"], first["due"]) == (2025, "2026-04-30")
    dues = sponsor.get(f"/api/applications/{world.application.pk}/proof-of-use/").json()
    listed = dues["due_dates"]["interim_proofs"]
    assert [(i["year"], i["submitted"]) for i in listed] == [
        (2025, True),
        (2026, False),
        (2027, False),
    ]
    assert dues["due_dates"]["interim_proof_due"] == "2027-04-30"
    second = sponsor.put(url, {"narrative": "2026: vier Workshops."}, format="json").json()
    assert second["year"] == 2026
    third = sponsor.put(url, {"narrative": "2027", "year": 2027}, format="json").json()
    assert (third["year"], third["due"]) == (2027, "2028-05-02")
    assert sponsor.get(f"{url}?year=2025").json()["narrative"] == "2025: zwei Workshops."
    wrong = sponsor.put(url, {"narrative": "x", "year": 2028}, format="json")
    assert wrong.status_code == 400
    assert "year" in wrong.json()["errors"]
    assert sponsor.get(f"{url}?year=abc").status_code == 400


def test_interim_proof_refused_for_a_one_year_project(funded, api):
    response = api(funded.sponsor_a).put(
        f"/api/applications/{funded.application.pk}/interim-proof/",
        {"narrative": "x"},
        format="json",
    )
    assert response.status_code == 400


def test_due_dates_follow_the_states_holidays(funded, api):
    response = _proof(api, funded).json()
    end = date(timezone.localdate().year, 12, 31)
    due = date.fromisoformat(response["due_dates"]["proof_of_use_due"])
    assert due >= end + timedelta(days=42)
    assert due.weekday() < 5


def test_proof_of_use_while_not_funded_is_refused(world, application_in, api):
    approved = application_in("approved")
    response = api(world.sponsor_a).put(
        f"/api/applications/{approved.pk}/proof-of-use/", {"narrative": "x"}, format="json"
    )
    assert response.status_code == 409
    from projects.models import ProofOfUse

    assert not ProofOfUse.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{"actual_income": "-1.00"}, {"participants": -3}, {"narrative": ["x"]}, {"surplus": "1"}],
)
def test_bad_proof_of_use_input_is_refused(funded, api, body):
    response = api(funded.sponsor_a).put(
        f"/api/applications/{funded.application.pk}/proof-of-use/", body, format="json"
    )
    assert response.status_code == 400


# -- #21: the corrected statement, through the API and in the PDF --------------------------


@pytest.fixture
def funded_with_own_funds(world, application_in):
    """Deficit financing: 1,000 planned, 100 of own funds, 900 approved (fast track)."""
    from tests.factories import default_lines

    today = timezone.localdate()
    world.call.funding_year = today.year
    world.call.save()
    world.program.fast_track_ceiling = Decimal("5000.00")
    world.program.save()
    world.application = application_in(
        "funded",
        start_date=date(today.year, 1, 1),
        end_date=date(today.year, 12, 31),
        own_funds=Decimal("100.00"),
        lines=default_lines(world, "1000.00"),
    )
    return world


def _pdf_text(api, world) -> str:
    import io

    from pypdf import PdfReader

    response = api(world.office).get(
        f"/api/applications/{world.application.pk}/documents/statement/"
    )
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_planned_own_funds_stay_binding_through_the_api_and_the_pdf(funded_with_own_funds, api):
    """Costs fall from 1,000 to 800 and the sponsor reports no own funds: the planned 100
    still count. Grant 800 − 100 = 700; 900 paid → 200 back (was 800 and 100)."""
    world = funded_with_own_funds
    assert world.application.approved_amount == Decimal("900.00")
    _paid(api, world, "900.00")
    _receipt(api, world, "800.00")
    response = _proof(api, world, actual_own_funds="0.00")
    assert response.status_code == 200, response.json()
    figures = response.json()["statement"]
    assert (figures["eligible_grant"], figures["reclaim"]) == ("700.00", "200.00")
    text = _pdf_text(api, world)
    assert "700,00" in text and "200,00" in text
    assert "Finanzierung: Plan und Ist" in text


def test_share_financing_is_reduced_by_unplanned_funds_through_the_api(funded, api):
    """Share financing, 400 approved of 400 planned (100 %); 50 of third-party funds join:
    grant 100 % × (400 − 50) = 350; 400 paid → 50 back."""
    funded.program.financing_type = "share"
    funded.program.save()
    _paid(api, funded, "400.00")
    _receipt(api, funded, "400.00")
    response = _proof(api, funded, actual_third_party_funds="50.00")
    assert response.status_code == 200, response.json()
    figures = response.json()["statement"]
    assert (figures["eligible_grant"], figures["reclaim"]) == ("350.00", "50.00")


def test_interest_over_a_day_outside_the_table_is_409_never_500(funded, api):
    """#21: a payout paid on 2 June 2014, before the table (from 2015). Reading the proof
    of use and its statement works, the estimate empty with the reason naming the
    half-year; recording the interest (``confirm_repayment``) is refused with 409."""
    _paid(api, funded, "400.00")
    PayoutRequest.objects.update(paid_on=date(2014, 6, 2), window_ends_on=date(2014, 7, 14))
    url = f"/api/applications/{funded.application.pk}/proof-of-use/"
    response = api(funded.office).get(url)
    assert response.status_code == 200, response.content[:300]
    statement = response.json()["statement"]
    assert statement["interest_estimate"] is None
    assert "2014-01-01" in statement["explanations"]["interest_estimate"]
    document = api(funded.office).get(
        f"/api/applications/{funded.application.pk}/documents/statement/"
    )
    assert document.status_code == 200
    revoked = _transition(
        api,
        funded.office,
        funded,
        "revoke",
        comment="Zweck verfehlt.",
        hearing_on=timezone.localdate().isoformat(),
    )
    assert revoked.status_code == 200, revoked.json()
    repaid = _transition(
        api,
        funded.office,
        funded,
        "confirm_repayment",
        repaid_amount="400.00",
        repaid_on=timezone.localdate().isoformat(),
    )
    assert repaid.status_code == 409
    assert repaid.json()["code"] == "base_rate_missing"
    assert repaid.json()["errors"] == {"base_rate": ["2014-H1"]}
    funded.application.refresh_from_db()
    assert funded.application.state == "repayment_due"  # nothing recorded


@pytest.mark.no_current_base_rate
def test_a_day_beyond_the_table_is_409_naming_the_current_half_year(funded, api):
    """#21: the table's last row is of an earlier half-year than today's (the Bundesbank
    has published, nobody entered it yet): a payout paid today, repaid tomorrow, earns
    interest for today, which the table does not cover. The repayment is refused with
    409 naming today's half-year, nothing is recorded, and the system check warns."""
    from django.core import checks

    from grants.models import BaseRate

    today = timezone.localdate()
    half = f"{today.year}-H{1 if today.month <= 6 else 2}"
    BaseRate.objects.filter(
        valid_from__gte=today.replace(month=1 if today.month <= 6 else 7, day=1)
    ).delete()
    warnings = [m for m in checks.run_checks() if m.id == "zuwendo.W001"]
    assert len(warnings) == 1 and half in warnings[0].msg
    _paid(api, funded, "400.00")
    revoked = _transition(
        api,
        funded.office,
        funded,
        "revoke",
        comment="Zweck verfehlt.",
        hearing_on=today.isoformat(),
    )
    assert revoked.status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        repaid = _transition(
            api,
            funded.office,
            funded,
            "confirm_repayment",
            repaid_amount="400.00",
            repaid_on=timezone.localdate().isoformat(),
        )
    assert repaid.status_code == 409, repaid.json()
    assert repaid.json()["errors"] == {"base_rate": [half]}
    funded.application.refresh_from_db()
    assert funded.application.repaid_amount is None
    assert funded.application.state == "repayment_due"
