"""The office's payout batches in the portal (issue #24): approved payouts into a batch,
its payment order and SEPA file downloaded and read back, the batch marked paid or
withdrawn; bad input saves nothing; nobody but the office sees the page."""

import io
import xml.etree.ElementTree as ET
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from projects.models import PayoutBatch, PayoutRequest
from workflows import money

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def approved(funded):
    """Two approved payouts (150 € and 100 €) of the funded project; accounts entered."""
    world = funded
    world.program.treasury_name = "Stadtkasse Koblenz"
    world.program.treasury_iban = "DE71570501200000001234"
    world.program.save()
    world.org_a.iban = "DE89370400440532013000"
    world.org_a.account_holder = "Jugendzentrum A e.V."
    world.org_a.save()
    world.payouts = []
    for amount in ("150.00", "100.00"):
        payout = money.payout_request(
            application=world.application,
            actor=world.sponsor_a,
            amount=Decimal(amount),
            needed_by=timezone.localdate() + timedelta(days=5),
        )
        world.payouts.append(money.payment_approve(payment=payout, actor=world.office))
    return world


def test_the_office_batches_downloads_and_pays(approved):
    world = approved
    office = _client(world.office)
    page = office.get("/office/batches/").content.decode()
    assert world.application.title in page and "150,00" in page
    made = office.post(
        "/office/batches/",
        {"action": "create", "program": world.program.pk, "payments": []},
    )
    assert made.status_code == 302
    batch = PayoutBatch.objects.get()
    assert set(batch.payouts.all()) == set(world.payouts)
    page = office.get("/office/batches/").content.decode()
    assert batch.reference in page and "250,00" in page

    order = office.get(f"/api/payout-batches/{batch.pk}/payment-order/")
    assert order.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(order.content)).pages)
    assert "Auszahlungsanordnung" in text and "250,00 €" in text
    sepa = office.get(f"/api/payout-batches/{batch.pk}/sepa/")
    root = ET.fromstring(sepa.content)  # noqa: S314 (our own output)
    assert root.find(".//p:GrpHdr/p:NbOfTxs", NS).text == "2"
    assert root.find(".//p:GrpHdr/p:CtrlSum", NS).text == "250.00"

    future = (timezone.localdate() + timedelta(days=2)).strftime("%d.%m.%Y")
    refused = office.post(
        "/office/batches/", {"action": "paid", "batch": batch.pk, "paid_on": future}
    )
    assert refused.status_code == 400
    batch.refresh_from_db()
    assert batch.state == "open"
    paid = office.post("/office/batches/", {"action": "paid", "batch": batch.pk, "paid_on": ""})
    assert paid.status_code == 302
    batch.refresh_from_db()
    assert batch.state == "paid"
    assert {p.state for p in PayoutRequest.objects.all()} == {"paid"}


def test_a_batch_is_withdrawn_and_a_bad_one_refused(approved):
    world = approved
    office = _client(world.office)
    past = (timezone.localdate() - timedelta(days=1)).strftime("%d.%m.%Y")
    refused = office.post(
        "/office/batches/",
        {"action": "create", "program": world.program.pk, "execution_date": past},
    )
    assert refused.status_code == 400
    assert 'id="id_execution_date_error"' in refused.content.decode()
    unknown = office.post(
        "/office/batches/", {"action": "create", "program": world.program.pk, "payments": ["x"]}
    )
    assert unknown.status_code == 400
    assert not PayoutBatch.objects.exists()
    office.post(
        "/office/batches/",
        {"action": "create", "program": world.program.pk, "payments": [world.payouts[0].pk]},
    )
    batch = PayoutBatch.objects.get()
    assert list(batch.payouts.all()) == [world.payouts[0]]
    assert (
        office.post("/office/batches/", {"action": "cancel", "batch": batch.pk}).status_code == 302
    )
    assert not PayoutBatch.objects.exists()
    assert PayoutRequest.objects.filter(batch__isnull=True, state="approved").count() == 2


def test_only_the_office_sees_the_batches(approved):
    world = approved
    _client(world.office).post(
        "/office/batches/", {"action": "create", "program": world.program.pk}
    )
    batch = PayoutBatch.objects.get()
    for user in (world.sponsor_a, world.committee, world.funder):
        client = _client(user)
        assert client.get("/office/batches/").status_code == 404
        assert (
            client.post("/office/batches/", {"action": "cancel", "batch": batch.pk}).status_code
            == 404
        )
    other = _client(world.other_office)
    assert world.application.title not in other.get("/office/batches/").content.decode()
    assert (
        other.post("/office/batches/", {"action": "cancel", "batch": batch.pk}).status_code == 404
    )
    assert PayoutBatch.objects.filter(pk=batch.pk).exists()
