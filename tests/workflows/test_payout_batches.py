"""#21: approved payouts are paid in batches: the payment order (PDF, read back with
pypdf) and the SEPA credit transfer file (pain.001.001.03, validated against the XSD
that sepaxml ships) are made once and kept; marking the batch paid marks its payouts
paid in one transaction, audited."""

import io
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
import xmlschema
from django.utils import timezone
from pypdf import PdfReader

from core.audit import trail_of
from projects.models import PayoutBatch, PayoutRequest
from tests.workflows.test_money import _move, _request

D = Decimal
XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


@pytest.fixture
def payable(funded):
    """Two approved payouts of the funded project; the payee's and the treasury's
    accounts entered."""
    funded.program.treasury_name = "Stadtkasse Koblenz"
    funded.program.treasury_iban = "DE71570501200000001234"
    funded.program.authority_name = "Stadt Koblenz, Koordinierungsstelle"
    funded.program.save()
    funded.org_a.iban = "DE89370400440532013000"
    funded.org_a.account_holder = "Jugendzentrum A e.V."
    funded.org_a.save()
    return funded


def _approved(api, world, amount):
    payment = _request(api, world, amount).json()["id"]
    assert _move(api, world, payment, "approve").status_code == 200
    return payment


def _batches_url(world):
    return f"/api/programs/{world.program.pk}/payout-batches/"


def test_a_batch_is_ordered_documented_and_paid(payable, api, django_capture_on_commit_callbacks):
    first = _approved(api, payable, "150.00")
    second = _approved(api, payable, "100.00")
    office = api(payable.office)
    created = office.post(_batches_url(payable), {}, format="json")
    assert created.status_code == 201, created.json()
    batch = created.json()
    assert batch["total"] == "250.00"
    assert sorted(p["id"] for p in batch["payments"]) == sorted([first, second])
    assert batch["reference"].startswith("PFD-KO-AO-")
    # A payout is in one batch only.
    again = office.post(_batches_url(payable), {"payments": [first]}, format="json")
    assert again.status_code == 400
    assert PayoutBatch.objects.count() == 1

    order = office.get(f"/api/payout-batches/{batch['id']}/payment-order/")
    assert order.status_code == 200 and order["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(order.content)).pages)
    assert "Auszahlungsanordnung" in text
    assert "DE89 3704 0044 0532 0130 00" in text
    assert "250,00 €" in text and "150,00 €" in text
    assert payable.application.reference in text
    assert "Sachlich richtig" in text and "Rechnerisch richtig" in text

    sepa = office.get(f"/api/payout-batches/{batch['id']}/sepa/")
    assert sepa.status_code == 200 and sepa["Content-Type"] == "application/xml"
    xmlschema.XMLSchema(str(XSD)).validate(sepa.content.decode())
    root = ET.fromstring(sepa.content)  # noqa: S314 (our own output, just validated)
    assert root.find(".//p:GrpHdr/p:NbOfTxs", NS).text == "2"
    assert root.find(".//p:GrpHdr/p:CtrlSum", NS).text == "250.00"
    assert root.find(".//p:Dbtr/p:Nm", NS).text == "Stadtkasse Koblenz"
    creditors = [e.text for e in root.findall(".//p:CdtrAcct/p:Id/p:IBAN", NS)]
    assert creditors == ["DE89370400440532013000"] * 2
    amounts = sorted(e.text for e in root.findall(".//p:InstdAmt", NS))
    assert amounts == ["100.00", "150.00"]
    # Kept: the same file again.
    assert office.get(f"/api/payout-batches/{batch['id']}/sepa/").content == sepa.content

    with django_capture_on_commit_callbacks(execute=True):
        paid = office.post(f"/api/payout-batches/{batch['id']}/mark-paid/", {}, format="json")
    assert paid.status_code == 200, paid.json()
    assert paid.json()["state"] == "paid"
    assert set(PayoutRequest.objects.values_list("state", flat=True)) == {"paid"}
    assert set(PayoutRequest.objects.values_list("paid_on", flat=True)) == {timezone.localdate()}
    events = [e.event for e in trail_of(payable.application)]
    assert events.count("payment.mark_paid") == 2 and events.count("payment.batch") == 2
    twice = office.post(f"/api/payout-batches/{batch['id']}/mark-paid/", {}, format="json")
    assert twice.status_code == 409
    withdraw = office.delete(f"/api/payout-batches/{batch['id']}/")
    assert withdraw.status_code == 409


def test_a_failing_payout_leaves_the_whole_batch_unpaid(payable, api):
    """One payout's application is no longer funded (revoked meanwhile): marking the
    batch paid is refused and no payout of it is paid."""
    _approved(api, payable, "150.00")
    _approved(api, payable, "100.00")
    batch = api(payable.office).post(_batches_url(payable), {}, format="json").json()
    from projects.models import Application

    Application.objects.filter(pk=payable.application.pk).update(state="repayment_due")
    response = api(payable.office).post(
        f"/api/payout-batches/{batch['id']}/mark-paid/", {}, format="json"
    )
    assert response.status_code in (400, 409), response.json()
    assert set(PayoutRequest.objects.values_list("state", flat=True)) == {"approved"}
    assert PayoutBatch.objects.get(pk=batch["id"]).state == "open"


def test_a_withdrawn_batch_frees_its_payouts(payable, api):
    payment = _approved(api, payable, "150.00")
    office = api(payable.office)
    batch = office.post(_batches_url(payable), {"payments": [payment]}, format="json").json()
    assert office.delete(f"/api/payout-batches/{batch['id']}/").status_code == 204
    assert PayoutRequest.objects.get(pk=payment).batch is None
    assert (
        office.post(_batches_url(payable), {"payments": [payment]}, format="json").status_code
        == 201
    )


@pytest.mark.parametrize(
    "body",
    [
        {"payments": [999999]},
        {"payments": ["x"]},
        {"execution_date": "2020-01-01"},
        {"execution_date": "soon"},
        {"payments": [], "extra": True},
    ],
)
def test_bad_batches_are_refused_and_nothing_saved(payable, api, body):
    _approved(api, payable, "150.00")
    response = api(payable.office).post(_batches_url(payable), body, format="json")
    assert response.status_code == 400, response.json()
    assert not PayoutBatch.objects.exists()


def test_a_payee_without_an_account_and_a_program_without_a_treasury(payable, api):
    _approved(api, payable, "150.00")
    payable.org_a.iban = ""
    payable.org_a.save()
    response = api(payable.office).post(_batches_url(payable), {}, format="json")
    assert response.status_code == 400
    assert payable.application.reference in response.json()["errors"]["payments"][-1]
    payable.org_a.iban = "DE89370400440532013000"
    payable.org_a.save()
    payable.program.treasury_iban = ""
    payable.program.save()
    response = api(payable.office).post(_batches_url(payable), {}, format="json")
    assert "program" in response.json()["errors"]
    nothing = api(payable.office).post(
        f"/api/programs/{payable.program.pk}/payout-batches/", {}, format="json"
    )
    assert nothing.status_code == 400


def test_only_the_programs_office_orders_and_reads_batches(payable, api):
    _approved(api, payable, "150.00")
    batch = api(payable.office).post(_batches_url(payable), {}, format="json").json()
    for user in (payable.sponsor_a, payable.committee, payable.funder, payable.other_office):
        assert api(user).post(_batches_url(payable), {}, format="json").status_code == 403
        assert api(user).get(_batches_url(payable)).status_code == 403
        for tail in ("", "payment-order/", "sepa/"):
            assert api(user).get(f"/api/payout-batches/{batch['id']}/{tail}").status_code == 404
        assert api(user).post(f"/api/payout-batches/{batch['id']}/mark-paid/").status_code == 404
    assert api().get(f"/api/payout-batches/{batch['id']}/").status_code == 401
    assert api(payable.office).get("/api/payout-batches/99999/").status_code == 404


def test_organisation_and_treasury_accounts_are_checked(payable, api):
    url = f"/api/organizations/{payable.org_a.pk}/"
    sponsor = api(payable.sponsor_a)
    wrong = sponsor.patch(url, {"iban": "DE89370400440532013001"}, format="json")
    assert wrong.status_code == 400 and "iban" in wrong.json()["errors"]
    spaced = sponsor.patch(url, {"iban": "de89 3704 0044 0532 0130 00"}, format="json")
    assert spaced.status_code == 200, spaced.json()
    assert spaced.json()["iban"] == "DE89370400440532013000"
    bic = sponsor.patch(url, {"bic": "NOTABIC"}, format="json")
    assert bic.status_code == 400
    program = api(payable.office).patch(
        f"/api/programs/{payable.program.pk}/", {"treasury_iban": "XX00"}, format="json"
    )
    assert program.status_code == 400


def test_the_batch_list_does_not_grow_with_its_batches(payable, api):
    """token + user, roles, program, batches, their payouts with payee: the same for two
    batches as for six."""
    from tests.factories import query_count

    def order(count):
        for _ in range(count):
            _approved(api, payable, "10.00")
            _approved(api, payable, "5.00")
            api(payable.office).post(_batches_url(payable), {}, format="json")

    order(2)
    few = query_count(payable.office, _batches_url(payable))
    order(4)
    many = query_count(payable.office, _batches_url(payable))
    assert few == many
