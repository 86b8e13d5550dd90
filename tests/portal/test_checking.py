"""The office's check of a proof of use in the portal (issue #24): receipts requested
by sample, a finding per line, the check note, then the proof accepted with the
application's step; a bad finding saves nothing; nobody but the office sees the page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from projects.models import Expenditure, ProofOfUse
from workflows import money
from workflows.services import application_transition


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def submitted(funded):
    """The funded project (400 € approved) paid out in full, with two receipts of 250 €
    and 150 €, its proof of use submitted."""
    world, application = funded, funded.application
    today = timezone.localdate()
    payout = money.payout_request(
        application=application,
        actor=world.sponsor_a,
        amount=Decimal("400.00"),
        needed_by=today + timedelta(days=5),
    )
    money.payment_approve(payment=payout, actor=world.office)
    money.payment_mark_paid(payment=payout, actor=world.office)
    world.lines = [
        money.expenditure_create(
            application=application,
            actor=world.sponsor_a,
            date=today,
            payee=payee,
            purpose="Workshop",
            category=world.category,
            amount=Decimal(amount),
            vat=Decimal("0.00"),
            receipt_number=number,
        )
        for payee, amount, number in (
            ("Trainerin K.", "250.00", "R-1"),
            ("Druckerei", "150.00", "R-2"),
        )
    ]
    money.proof_of_use_save(
        application=application,
        actor=world.sponsor_a,
        certified=True,
        narrative="Vier Workshops fanden statt.",
        participants=40,
        purpose_met=True,
    )
    application_transition(
        application=application, actor=world.sponsor_a, name="submit_proof_of_use", payload={}
    )
    return world


def test_the_office_checks_by_sample_and_accepts_the_proof(
    submitted, django_capture_on_commit_callbacks
):
    world = submitted
    application = world.application
    office = _client(world.office)
    url = f"/applications/{application.pk}/check/"
    assert url in office.get(f"/applications/{application.pk}/").content.decode()
    page = office.get(url).content.decode()
    assert "Trainerin K." in page and "250,00" in page

    first, second = world.lines
    with django_capture_on_commit_callbacks(execute=True):
        asked = office.post(url, {"action": "request", "lines": [first.pk], "comment": "Bitte."})
    assert asked.status_code == 302
    assert list(Expenditure.objects.filter(receipt_requested=True)) == [first]

    no_reason = office.post(
        url, {"action": "finding", "line": first.pk, "finding": "reduced", "amount": "200,00"}
    )
    assert no_reason.status_code == 400
    assert 'id="id_reason_error"' in no_reason.content.decode()
    too_much = office.post(
        url,
        {
            "action": "finding",
            "line": first.pk,
            "finding": "reduced",
            "amount": "260,00",
            "reason": "x",
        },
    )
    assert too_much.status_code == 400
    first.refresh_from_db()
    assert first.finding == ""

    reduced = office.post(
        url,
        {
            "action": "finding",
            "line": first.pk,
            "finding": "reduced",
            "amount": "200,00",
            "reason": "Skonto nicht weitergegeben",
        },
    )
    assert reduced.status_code == 302
    first.refresh_from_db()
    assert first.finding == "reduced" and first.finding_amount == Decimal("200.00")

    no_result = office.post(url, {"action": "note", "extent": "sample", "result": " "})
    assert no_result.status_code == 400
    assert ProofOfUse.objects.get(application=application).checked_at is None
    noted = office.post(
        url, {"action": "note", "extent": "sample", "result": "Stichprobe: eine Kürzung."}
    )
    assert noted.status_code == 302
    proof = ProofOfUse.objects.get(application=application)
    assert proof.check_extent == "sample" and proof.checked_by == world.office
    second.refresh_from_db()
    assert second.finding == ""  # not in the sample: no finding

    page = office.get(url).content.decode()
    assert "Stichprobe" in page or "by sample" in page
    accepted = office.post(
        f"/applications/{application.pk}/steps/accept_proof/", {"comment": "Geprüft."}
    )
    assert accepted.status_code == 302, accepted.content.decode()[:3000]
    application.refresh_from_db()
    # 400 € paid, 200 + 150 € eligible: 50 € to be repaid.
    assert application.state == "repayment_due"


def test_only_the_programs_office_checks(submitted):
    world = submitted
    url = f"/applications/{world.application.pk}/check/"
    for user in (
        world.sponsor_a,
        world.sponsor_b,
        world.committee,
        world.funder,
        world.other_office,
    ):
        client = _client(user)
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"action": "note", "extent": "full", "result": "x"}).status_code == 404
        )
    assert ProofOfUse.objects.get(application=world.application).checked_at is None
    office = _client(world.office)
    assert office.post(url, {"action": "burn"}).status_code == 404
    foreign = office.post(url, {"action": "finding", "line": "99999999", "finding": "accepted"})
    assert foreign.status_code == 400  # not a line of this list: refused by the form
