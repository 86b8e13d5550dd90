"""The whole lifecycle across every role in one real Chromium over a live server (issue
#24), and with it the office's day: the sponsor applies; the office checks the
submission, records its recommendation and puts it before the committee; three members
vote on their phones, one declares a conflict; the office records the decision; the
sponsor accepts it and asks for the money; the office approves the payout and pays it
in a batch (payment order and SEPA file downloaded and read back); the sponsor proves
the use; the office asks for a receipt, records its finding, writes the check note and
accepts the proof; the funder reads the figures. Between the set-up and the end, no API
call and no service call: every step is a click. At the end the office's XLSX export is
compared with the API's list. axe-core checks every page on the way."""

import io
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from projects.models import Application
from tests.browser.conftest import axe_violations, scrolls_sideways
from tests.factories import seat_committee

pytestmark = [pytest.mark.django_db(transaction=True)]
PASSWORD = "Lebenszyklus-2027!"
SEPA = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def _check(page, phone: bool = False):
    assert axe_violations(page) == [], page.url
    if not phone:
        width = page.viewport_size["width"]
        page.set_viewport_size({"width": 360, "height": 800})
    assert not scrolls_sideways(page), page.url
    if not phone:
        page.set_viewport_size({"width": width, "height": 900})


def _sign_in(page, live_server, user, width: int = 1366):
    page.context.clear_cookies()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Benutzername oder E-Mail-Adresse").fill(user.username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


def _submit(page):
    page.locator("main form button[type=submit]").last.click()


def _step(page, base: str, application, name: str, **fields):
    """An application's step from its page: the button, its form, its inputs."""
    page.goto(f"{base}/applications/{application.pk}/")
    page.locator(f"a[href='/applications/{application.pk}/steps/{name}/']").click()
    _check(page)
    for field, value in fields.items():
        page.locator(f"#id_{field}").fill(value)
    _submit(page)
    assert "Erledigt" in page.get_by_role("status").first.inner_text(), page.url


def _download(page, link_name: str, tmp_path: Path) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("link", name=link_name).first.click()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    return target.read_bytes()


def test_the_whole_lifecycle_across_roles_and_the_offices_day(
    live_server, page, world, mailoutbox, tmp_path
):
    # -- set-up: the people, their passwords, the accounts ----------------------------------
    members = seat_committee(world)
    for user in (*members, world.sponsor_a, world.office, world.funder):
        user.set_password(PASSWORD)
        user.save()
    world.org_a.iban, world.org_a.account_holder = "DE89370400440532013000", world.org_a.name
    world.org_a.save()
    world.program.treasury_name = "Stadtkasse Koblenz"
    world.program.treasury_iban = "DE71570501200000001234"
    world.program.save()
    year = timezone.localdate().year  # a project of this year: its receipts are dated today
    world.call.funding_year = year
    world.call.save()
    base = live_server.url

    # -- the sponsor applies ------------------------------------------------------------------
    _sign_in(page, live_server, world.sponsor_a)
    page.get_by_role("link", name=f"Antrag zu {world.call.title} stellen").click()
    page.locator("#id_title").fill("Stolpersteine erzählen")
    _submit(page)
    application = Application.objects.get(title="Stolpersteine erzählen")
    page.locator("#id_summary").fill("Jugendliche recherchieren Lebensgeschichten.")
    page.locator("#id_field_of_action").fill("Demokratieförderung")
    page.locator("#id_target_group").fill("Jugendliche")
    page.get_by_role("button", name="Speichern und weiter").click()
    page.locator("#id_start_date").fill(f"01.01.{year}")
    page.locator("#id_end_date").fill(f"31.12.{year}")
    page.get_by_role("button", name="Speichern und weiter").click()
    page.locator("#id_lines-0-category").select_option("honorare")
    page.locator("#id_lines-0-description").fill("Workshops Geschichtswerkstatt")
    page.locator("#id_lines-0-amount").fill("1.200,00")
    page.locator("#plan-totals").get_by_text("1.200,00 €").first.wait_for()
    page.get_by_role("button", name="Speichern und weiter").click()
    page.get_by_role("button", name="Speichern und weiter").click()
    page.get_by_role("link", name="Prüfen und einreichen").click()
    _check(page)
    _submit(page)
    assert page.get_by_role("status").first.inner_text() == "Erledigt: Einreichen."

    # -- the office checks the submission, recommends, puts it before the committee -------
    _sign_in(page, live_server, world.office)
    page.locator("a[href='/office/']").first.click()
    _check(page)
    page.get_by_role("link", name="Neue Anträge zu prüfen").click()
    _check(page)
    page.get_by_role("link", name="Stolpersteine erzählen").click()
    _check(page)
    page.get_by_role("link", name="Erfassen").click()
    page.locator("#id_choice").select_option("approve")
    page.locator("#id_amount").fill("1.000,00")
    page.locator("#id_text").fill("Überzeugendes Konzept; Honorare leicht gekürzt.")
    _check(page)
    _submit(page)
    assert "Votum ist gespeichert" in page.get_by_role("status").first.inner_text()
    _step(page, base, application, "forward_to_committee", comment="Bitte im Umlauf entscheiden.")
    application.refresh_from_db()
    assert application.state == "committee_review"

    # -- three members vote on their phones; the fourth declares a conflict ---------------
    for member in members[:3]:
        _sign_in(page, live_server, member, width=360)
        page.get_by_role("link", name="Stolpersteine erzählen").click()
        assert "1.000,00 €" in page.locator("main").inner_text()  # the office's Votum
        page.get_by_label("Ihre Stimme").select_option(label="Zustimmung")
        page.get_by_role("button", name="Stimme abgeben").click()
        assert "Ihre Stimme ist erfasst" in page.get_by_role("status").first.inner_text()
        _check(page, phone=True)
    _sign_in(page, live_server, members[3], width=360)
    page.get_by_role("link", name="Stolpersteine erzählen").click()
    page.locator("#id_conflict-reason").fill("Meine Tochter leitet das Projekt.")
    page.get_by_role("button", name="Befangenheit erklären").click()
    _check(page, phone=True)

    # -- the office records the decision on the quorum --------------------------------------
    _sign_in(page, live_server, world.office)
    page.goto(f"{base}/applications/{application.pk}/")
    _step(page, base, application, "approve", approved_amount="1.000,00")
    application.refresh_from_db()
    assert application.state == "approved" and application.approved_amount == 1000

    # -- the sponsor accepts it and asks for the money ----------------------------------------
    _sign_in(page, live_server, world.sponsor_a)
    page.goto(f"{base}/applications/{application.pk}/")
    _step(page, base, application, "accept_agreement")
    page.goto(f"{base}/applications/{application.pk}/payouts/")
    page.locator("#id_amount").fill("1.000,00")
    page.locator("#id_needed_by").fill(
        (timezone.localdate() + timedelta(days=5)).strftime("%d.%m.%Y")
    )
    page.get_by_role("button", name="Mittelabruf stellen").click()
    _check(page)

    # -- the office approves the payout and pays it in a batch ------------------------------
    _sign_in(page, live_server, world.office)
    page.goto(f"{base}/office/")
    page.get_by_role("link", name="Mittelabrufe freizugeben").click()
    _check(page)
    page.get_by_role("button", name="1.000,00 € freigeben").click()
    assert "Freigegeben" in page.get_by_role("status").first.inner_text()
    page.goto(f"{base}/office/batches/")
    _check(page)
    page.get_by_role("button", name="Zahllauf anlegen").click()
    assert "ist angelegt" in page.get_by_role("status").first.inner_text()
    _check(page)
    order = _download(page, "Auszahlungsanordnung (PDF)", tmp_path)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(order)).pages)
    assert "Auszahlungsanordnung" in text and "1.000,00 €" in text
    assert application.reference in text
    sepa = ET.fromstring(_download(page, "SEPA-Datei (XML)", tmp_path))  # noqa: S314
    assert sepa.find(".//p:GrpHdr/p:CtrlSum", SEPA).text == "1000.00"
    assert sepa.find(".//p:CdtrAcct//p:IBAN", SEPA).text == "DE89370400440532013000"
    page.get_by_role("button", name="als ausgezahlt erfassen").click()
    assert "als ausgezahlt erfasst" in page.get_by_role("status").first.inner_text()

    # -- the sponsor proves the use of the money ----------------------------------------------
    _sign_in(page, live_server, world.sponsor_a)
    page.goto(f"{base}/applications/{application.pk}/receipts/")
    page.locator("#id_date").fill(timezone.localdate().strftime("%d.%m.%Y"))
    page.locator("#id_payee").fill("Geschichtswerkstatt Koblenz")
    page.locator("#id_purpose").fill("Vier Workshops")
    page.locator("#id_category").select_option(label="Honorare")
    page.locator("#id_amount").fill("1.000,00")
    page.locator("#id_receipt_number").fill("GW-17")
    page.get_by_role("button", name="In die Belegliste aufnehmen").click()
    assert "ist in der Belegliste" in page.get_by_role("status").first.inner_text()
    _check(page)
    page.goto(f"{base}/applications/{application.pk}/proof-of-use/")
    page.locator("#id_narrative").fill("Vier Workshops, 18 Jugendliche, eine Ausstellung.")
    page.locator("#id_participants").fill("18")
    page.locator("#id_certify").check()
    page.get_by_role("button", name="Verwendungsnachweis speichern").click()
    _step(page, base, application, "submit_proof_of_use")

    # -- the office checks the receipts and accepts the proof ---------------------------------
    _sign_in(page, live_server, world.office)
    page.goto(f"{base}/office/")
    page.get_by_role("link", name="Verwendungsnachweise zu prüfen").click()
    page.get_by_role("link", name="Stolpersteine erzählen").click()
    page.get_by_role("link", name="Verwendungsnachweis prüfen").click()
    _check(page)
    page.get_by_label("Geschichtswerkstatt Koblenz", exact=False).first.check()
    page.get_by_role("button", name="Belege anfordern").click()
    assert "um 1 Belege gebeten" in page.get_by_role("status").first.inner_text()
    page.locator("#id_finding").select_option("accepted")
    page.get_by_role("button", name="Feststellung erfassen").click()
    page.locator("#id_extent").select_option("sample")
    page.locator("#id_result").fill("Stichprobe: Honorarbeleg geprüft, zuwendungsfähig.")
    page.get_by_role("button", name="Prüfvermerk speichern").click()
    assert "Prüfvermerk ist gespeichert" in page.get_by_role("status").first.inner_text()
    _check(page)
    _step(page, base, application, "accept_proof", comment="Nachweis anerkannt.")
    application.refresh_from_db()
    assert application.state == "closed"

    # -- the funder reads the figures -------------------------------------------------------
    _sign_in(page, live_server, world.funder)
    page.get_by_role("link", name=world.program.name).click()
    page.get_by_label("Von").fill(f"01.01.{year}")
    page.get_by_label("Bis").fill(timezone.localdate().strftime("%d.%m.%Y"))
    page.get_by_role("button", name="Zahlen anzeigen").click()
    assert "1.000,00 €" in page.locator("main").inner_text()
    _check(page)

    # -- the end of the office's day: the application list as XLSX, against the API --------
    _sign_in(page, live_server, world.office)
    page.goto(f"{base}/office/")
    with page.expect_download() as download:
        page.locator("a[href='/office/exports/applications.xlsx']").click()
    target = tmp_path / "antraege.xlsx"
    download.value.save_as(target)
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    listed = page.request.get(f"{base}/api/applications/?page_size=100").json()
    api = listed["results"] if isinstance(listed, dict) else listed
    column = rows[0].index("Aktenzeichen")
    assert {row[column] for row in rows[1:] if row[column]} == {
        a["reference"] for a in api if a["reference"]
    }
