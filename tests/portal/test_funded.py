"""A funded project's pages (issue #23): payouts, the receipts list and its import, the
proof of use, change requests. Every write a service; bad input named, nothing saved;
another organisation's project a 404."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook
from pypdf import PdfReader

from core.audit import trail_of
from projects.models import Expenditure, PayoutRequest, ProofOfUse
from tests.factories import bring_to, make_application
from workflows import money


@pytest.fixture
def funded(world):
    return bring_to(world, make_application(world), "funded")


@pytest.fixture
def sponsor(world):
    client = Client()
    client.force_login(world.sponsor_a)
    return client


def _csv(text: str, name="belege.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_a_payout_is_requested_in_german_and_followed(world, funded, sponsor):
    url = f"/applications/{funded.pk}/payouts/"
    day = (timezone.localdate() + timedelta(days=10)).strftime("%d.%m.%Y")
    response = sponsor.post(url, {"amount": "150,50", "needed_by": day, "note": "Honorare"})
    assert response.status_code == 302
    payout = PayoutRequest.objects.get(application=funded)
    assert payout.amount == Decimal("150.50") and payout.state == "requested"
    page = sponsor.get(url).content.decode()
    assert "150,50" in page and "249,50" in page  # what is left to request
    too_much = sponsor.post(url, {"amount": "99.000", "needed_by": day})
    assert too_much.status_code == 400 and 'id="id_amount_error"' in too_much.content.decode()
    no_day = sponsor.post(url, {"amount": "10"})
    assert no_day.status_code == 400 and 'id="id_needed_by_error"' in no_day.content.decode()
    assert PayoutRequest.objects.filter(application=funded).count() == 1


def test_receipts_are_added_changed_and_deleted(world, funded, sponsor):
    year = world.call.funding_year
    category = world.program.categories.get(code="honorare")
    url = f"/applications/{funded.pk}/receipts/"
    added = sponsor.post(
        url,
        {
            "date": f"15.04.{year}",
            "payee": "Musikschule",
            "purpose": "Workshop",
            "category": category.pk,
            "amount": "250,00",
            "vat": "",
            "receipt_number": "R-1",
        },
    )
    assert added.status_code == 302
    line = Expenditure.objects.get(application=funded)
    assert line.amount == Decimal("250.00") and line.vat == Decimal("0.00")
    outside = sponsor.post(
        url,
        {
            "date": f"15.04.{year + 3}",
            "payee": "X",
            "purpose": "Y",
            "category": category.pk,
            "amount": "5",
        },
    )
    assert outside.status_code == 400 and 'id="id_date_error"' in outside.content.decode()
    changed = sponsor.post(
        f"{url}{line.pk}/",
        {
            "save": "1",
            "date": f"16.04.{year}",
            "payee": "Musikschule",
            "purpose": "Workshop",
            "category": category.pk,
            "amount": "260",
            "vat": "0",
        },
    )
    assert changed.status_code == 302
    line.refresh_from_db()
    assert line.amount == Decimal("260.00") and line.date == date(year, 4, 16)
    assert sponsor.post(f"{url}{line.pk}/", {"delete": "1"}).status_code == 302
    assert not Expenditure.objects.filter(application=funded).exists()


def test_a_csv_import_with_a_bad_line_saves_nothing_and_names_it(world, funded, sponsor):
    year = world.call.funding_year
    text = (
        "Datum;Empfänger;Zweck;Kategorie;Betrag;USt;Belegnummer\n"
        f"01.04.{year};Musikschule;Workshop;honorare;1.234,56;;R-1\n"
        f"02.04.{year};Druckerei;Plakate;Sachausgaben;99,90;18,98;R-2\n"
        f"31.02.{year};Bäcker;Brötchen;Verpflegung;12,00;;R-3\n"
    )
    preview = sponsor.post(f"/applications/{funded.pk}/receipts/import/", {"file": _csv(text)})
    assert preview.status_code == 400
    page = preview.content.decode()
    assert "Zeile 4" in page or "Line 4" in page
    assert "Verpflegung" in page and "31.02." in page
    assert 'name="confirm"' not in page
    # Confirming anyway (a forged POST) saves nothing either.
    forged = sponsor.post(f"/applications/{funded.pk}/receipts/import/", {"confirm": "1"})
    assert forged.status_code == 400
    assert not Expenditure.objects.filter(application=funded).exists()


def test_a_good_xlsx_import_shows_its_lines_then_saves_all(world, funded, sponsor):
    year = world.call.funding_year
    book = Workbook()
    sheet = book.active
    sheet.append(["Datum", "Empfänger", "Zweck", "Kategorie", "Betrag", "USt", "Belegnummer"])
    sheet.append([date(year, 4, 1), "Musikschule", "Workshop", "Honorare", 1234.56, None, "R-1"])
    sheet.append([f"02.04.{year}", "Druckerei", "Plakate", "sachausgaben", "99,90", 0, 2])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("belege.xlsx", buffer.getvalue())
    url = f"/applications/{funded.pk}/receipts/import/"
    preview = sponsor.post(url, {"file": upload})
    assert preview.status_code == 200
    assert 'name="confirm"' in preview.content.decode()
    assert not Expenditure.objects.filter(application=funded).exists()
    assert sponsor.post(url, {"confirm": "1"}).status_code == 302
    lines = Expenditure.objects.filter(application=funded).order_by("date")
    assert [(e.payee, e.amount, e.receipt_number) for e in lines] == [
        ("Musikschule", Decimal("1234.56"), "R-1"),
        ("Druckerei", Decimal("99.90"), "2"),
    ]
    assert [e.event for e in trail_of(funded)][-1] == "expenditure.import"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"Name;Wert\nx;1\n",
        b"PK\x03\x04garbage",
        "Datum;Empfänger;Zweck;Kategorie;Betrag\n".encode() + b"\xff\xfe\x00" * 10,
        b"Datum;Empf\xe4nger;Zweck;Kategorie;Betrag\n",
    ],
)
def test_unreadable_files_are_refused_plainly(world, funded, sponsor, content):
    response = sponsor.post(
        f"/applications/{funded.pk}/receipts/import/",
        {"file": SimpleUploadedFile("x.csv", content)},
    )
    assert response.status_code in (400, 413)
    assert 'name="confirm"' not in response.content.decode()
    assert not Expenditure.objects.filter(application=funded).exists()


def test_the_proof_of_use_is_written_and_certified(world, funded, sponsor):
    url = f"/applications/{funded.pk}/proof-of-use/"
    page = sponsor.get(url)
    assert page.status_code == 200
    saved = sponsor.post(
        url,
        {
            "proof": "1",
            "narrative": "Vier Workshops fanden statt.",
            "participants": "40",
            "actual_own_funds": "",
            "purpose_met": "on",
            "certify": "on",
        },
    )
    assert saved.status_code == 302
    proof = ProofOfUse.objects.get(application=funded)
    assert proof.certified_by == world.sponsor_a and proof.participants == 40
    bad = sponsor.post(url, {"proof": "1", "narrative": "x", "actual_own_funds": "zwölf"})
    assert bad.status_code == 400 and 'id="id_actual_own_funds_error"' in bad.content.decode()
    proof.refresh_from_db()
    assert proof.certified_at is not None  # the bad post changed nothing


def test_a_change_request_is_sent(world, funded, sponsor):
    url = f"/applications/{funded.pk}/changes/"
    year = world.call.funding_year
    assert sponsor.post(url, {"reason": ""}).status_code == 400
    sent = sponsor.post(url, {"reason": "Die Halle war belegt.", "end_date": f"31.07.{year}"})
    assert sent.status_code == 302
    assert funded.change_requests.get().end_date == date(year, 7, 31)


def test_another_organisation_sees_none_of_it(world, funded):
    other = Client()
    other.force_login(world.sponsor_b)
    for path in ("payouts/", "receipts/", "proof-of-use/", "changes/"):
        assert other.get(f"/applications/{funded.pk}/{path}").status_code == 404
        assert other.post(f"/applications/{funded.pk}/{path}", {"amount": "1"}).status_code == 404
    assert (
        other.post(
            f"/applications/{funded.pk}/receipts/import/", {"file": _csv("Datum\n")}
        ).status_code
        == 404
    )
    assert not PayoutRequest.objects.exists()
    line = money.expenditure_create(
        application=funded,
        actor=world.sponsor_a,
        date=funded.start_date,
        payee="Musikschule",
        purpose="Workshop",
        category=world.program.categories.get(code="honorare"),
        amount=Decimal("10.00"),
    )
    url = f"/applications/{funded.pk}/receipts/{line.pk}/"
    assert other.get(url).status_code == 404
    assert other.post(url, {"delete": "1"}).status_code == 404
    assert Expenditure.objects.filter(pk=line.pk).exists()
    # A line of another application, under this application's address: 404 too.
    mine = Client()
    mine.force_login(world.sponsor_a)
    draft = make_application(world)
    assert mine.get(f"/applications/{draft.pk}/receipts/{line.pk}/").status_code == 404


@pytest.mark.parametrize("kind", ["application", "agreement", "statement"])
def test_every_document_reads_as_a_page_from_its_sheet(world, funded, sponsor, kind):
    page = sponsor.get(f"/applications/{funded.pk}/documents/{kind}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert ("<h1>" in html and "<table" in html and 'scope="col"' in html) or 'scope="row"' in html
    assert funded.title in html and funded.reference in html
    pdf = sponsor.get(f"/api/applications/{funded.pk}/documents/{kind}/")
    assert pdf.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    # The same figures on both: every amount of the page stands in the PDF.
    amounts = set(re.findall(r"\d{1,3}(?:\.\d{3})*,\d{2}\xa0€|\d{1,3}(?:\.\d{3})*,\d{2} €", html))
    assert amounts
    for amount in amounts:
        assert amount.replace("\xa0", " ").split(" ")[0] in text, amount
    other = Client()
    other.force_login(world.sponsor_b)
    assert other.get(f"/applications/{funded.pk}/documents/{kind}/").status_code == 404


def test_a_document_not_there_yet_is_a_404(world, sponsor):
    draft = make_application(world)
    assert sponsor.get(f"/applications/{draft.pk}/documents/application/").status_code == 200
    assert sponsor.get(f"/applications/{draft.pk}/documents/agreement/").status_code == 404
    assert sponsor.get(f"/applications/{draft.pk}/documents/nonsense/").status_code == 404
