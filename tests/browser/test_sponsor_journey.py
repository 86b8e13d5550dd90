"""The sponsor's whole journey in a real Chromium over a live server (issue #23): from
registration (the link read from the outbox) to an accepted proof of use. The office's
steps are done through its services here (test_lifecycle.py clicks them); everything
the sponsor does is done in the browser, and axe-core checks every page on the way.

Uploads are scanned by a real ClamAV daemon (``tests.clamav``)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from grants.models import AnnexType
from projects.models import Application, Expenditure
from tests.browser.conftest import axe_violations, scrolls_sideways
from tests.workflows.test_attachments import a_pdf
from workflows import money
from workflows.services import application_transition

pytestmark = [pytest.mark.django_db(transaction=True)]
PASSWORD = "Vereinskasse-2027!"


def _check(page):
    assert axe_violations(page) == [], page.url
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": 360, "height": 800})
    assert not scrolls_sideways(page), page.url
    page.set_viewport_size({"width": width, "height": 900})


def _link(mailoutbox, path, live_server):
    (link,) = re.findall(
        rf"{re.escape(django_settings.PUBLIC_URL)}(/{path}/\S+/)", mailoutbox[-1].body
    )
    return live_server.url + link


def _submit_step(page):
    page.locator("main form button[type=submit]").last.click()


def test_from_registration_to_an_accepted_proof_of_use(
    live_server, page, world, mailoutbox, daemon, settings
):
    settings.CLAMD_URL = daemon["url"]
    year = world.call.funding_year
    AnnexType.objects.create(call=world.call, name="Zeit- und Maßnahmenplan", required=True)
    world.program.fast_track_ceiling = Decimal("5000.00")  # the office may decide alone
    world.program.save()
    page.set_viewport_size({"width": 1366, "height": 900})

    # -- registration and the address's verification ---------------------------------
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Registrieren").click()
    _check(page)
    for field, value in {
        "first_name": "Nora",
        "last_name": "Neumann",
        "email": "nora@kulturverein-neu.example",
        "username": "nora",
        "password": PASSWORD,
        "password_again": PASSWORD,
    }.items():
        page.locator(f"#id_{field}").fill(value)
    page.get_by_role("button", name="Registrieren").click()
    assert page.get_by_role("heading", level=1).inner_text() == "E-Mail-Adresse bestätigen"
    _check(page)
    page.goto(_link(mailoutbox, "register/confirm", live_server))
    _check(page)
    page.get_by_role("button", name="Adresse bestätigen").click()
    assert "Ihre E-Mail-Adresse ist bestätigt." in page.get_by_role("status").first.inner_text()
    page.get_by_label("Benutzername oder E-Mail-Adresse").fill("nora@kulturverein-neu.example")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Willkommen, Nora Neumann"
    _check(page)

    # -- the organisation ---------------------------------------------------------------
    page.get_by_role("link", name="Träger registrieren").click()
    _check(page)
    for field, value in {
        "name": "Kulturverein Neu e.V.",
        "legal_form": "eingetragener Verein",
        "address": "Hauptstraße 1\n56068 Koblenz",
        "legal_representative": "Nora Neumann",
        "account_holder": "Kulturverein Neu e.V.",
        "iban": "DE89 3704 0044 0532 0130 01",  # a wrong check digit first
    }.items():
        page.locator(f"#id_{field}").fill(value)
    _submit_step(page)
    assert page.locator("#id_iban_error").is_visible()
    _check(page)
    page.locator("#id_iban").fill("DE89 3704 0044 0532 0130 00")
    _submit_step(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Kulturverein Neu e.V."
    assert page.get_by_text("DE89 3704 0044 0532 0130 00").is_visible()
    _check(page)

    # -- the application, step by step ----------------------------------------------------
    page.get_by_role("link", name="Start").first.click()
    page.get_by_role("link", name=f"Antrag zu {world.call.title} stellen").click()
    _check(page)
    page.locator("#id_title").fill("Sommerfest der Kulturen")
    _submit_step(page)
    application = Application.objects.get(title="Sommerfest der Kulturen")
    page.locator("#id_summary").fill("Ein Fest mit Musik aus zwölf Ländern.")
    page.locator("#id_expected_participants").fill("120")
    _check(page)
    page.get_by_role("button", name="Speichern und weiter").click()
    page.locator("#id_start_date").fill(f"1.3.{year}")
    page.locator("#id_end_date").fill(f"30.06.{year}")
    _check(page)
    page.get_by_role("button", name="Speichern und weiter").click()
    assert page.get_by_role("heading", level=2).first.inner_text() == "Kostenplan"
    page.locator("#id_lines-0-category").select_option("honorare")
    page.locator("#id_lines-0-description").fill("Bands und Technik")
    page.locator("#id_lines-0-amount").fill("1.234,56")  # typed the German way
    page.locator("#id_lines-1-category").select_option("sachausgaben")
    page.locator("#id_lines-1-description").fill("Bühne")
    page.locator("#id_lines-1-amount").fill("265,44")
    # The totals follow the typing (htmx), checked by the program's rules.
    page.locator("#plan-totals").get_by_text("1.500,00 €").first.wait_for()
    _check(page)
    page.get_by_role("button", name="Speichern und weiter").click()
    page.locator("#id_own_funds").fill("150")
    page.locator("#plan-totals").get_by_text("1.350,00 €").first.wait_for()
    _check(page)
    page.get_by_role("button", name="Speichern und weiter").click()
    assert page.get_by_text("Zeit- und Maßnahmenplan").first.is_visible()
    page.locator("#id_annex_type").select_option(label="Zeit- und Maßnahmenplan")
    page.locator("#id_file").set_input_files(
        files=[{"name": "Zeitplan.pdf", "mimeType": "application/pdf", "buffer": a_pdf()}]
    )
    page.get_by_role("button", name="Datei beifügen").click()
    page.get_by_role("link", name="Zeitplan.pdf").wait_for()  # downloadable: scanned clean
    page.locator("#annex-files").get_by_text("virenfrei").wait_for()  # scanned by clamd
    _check(page)
    page.get_by_role("link", name="Prüfen und einreichen").click()
    _check(page)
    _submit_step(page)
    assert page.get_by_role("status").first.inner_text() == "Erledigt: Einreichen."
    application.refresh_from_db()
    assert application.state == "submitted"
    assert application.total_costs == 1500 and application.requested_amount == 1350

    # -- the office asks for a revision; the sponsor answers it --------------------------
    application_transition(
        application=application,
        actor=world.office,
        name="request_revision",
        payload={"comment": "Bitte die Zielgruppe angeben."},
    )
    page.reload()
    assert page.get_by_text("Bitte die Zielgruppe angeben.").is_visible()
    page.get_by_role("link", name="Antrag überarbeiten").click()
    page.locator("#id_target_group").fill("Familien im Stadtteil")
    page.get_by_role("button", name="Speichern und weiter").click()
    page.get_by_role("link", name="5. Anlagen").click()
    page.get_by_role("link", name="Prüfen und erneut einreichen").click()
    _submit_step(page)
    application.refresh_from_db()
    assert application.state == "submitted" and application.target_group == "Familien im Stadtteil"

    # -- the office approves; the sponsor reads and accepts the decision -----------------
    application_transition(
        application=application, actor=world.office, name="fast_track_approve", payload={}
    )
    page.reload()
    page.get_by_role("link", name="als Seite lesen").nth(1).click()
    assert "1.350,00 €" in page.locator("article").inner_text()
    _check(page)
    page.go_back()
    page.locator(f"a[href='/applications/{application.pk}/steps/accept_agreement/']").click()
    _submit_step(page)
    application.refresh_from_db()
    assert application.state == "funded"

    # -- a payout, requested in the browser, approved and paid by the office --------------
    page.get_by_role("link", name="Auszahlungen").first.click()
    page.locator("#id_amount").fill("1.350,00")
    page.locator("#id_needed_by").fill(
        (timezone.localdate() + timedelta(days=10)).strftime("%d.%m.%Y")
    )
    _check(page)
    page.get_by_role("button", name="Mittelabruf stellen").click()
    assert page.get_by_text("angefordert", exact=True).is_visible()
    payout = application.payouts.get()
    money.payment_approve(payment=payout, actor=world.office)
    money.payment_mark_paid(payment=payout, actor=world.office)
    page.reload()
    assert page.get_by_text("ausgezahlt", exact=True).is_visible()

    # -- the receipts list: a CSV with a bad line saves nothing and names the line --------
    page.get_by_role("link", name="Belegliste").first.click()
    bad = (
        "Datum;Empfänger;Zweck;Kategorie;Betrag;USt;Belegnummer\n"
        f"02.03.{year};Band Mosaik;Auftritt;Honorare;1.234,56;;R-1\n"
        f"03.03.{year};Bühnenbau Koch;Bühne;Verpflegung;265,44;;R-2\n"
    ).encode()
    page.locator("#id_file").set_input_files(
        files=[{"name": "belege.csv", "mimeType": "text/csv", "buffer": bad}]
    )
    page.get_by_role("button", name="Zeilen anzeigen").click()
    alert = page.get_by_role("alert").first.inner_text()
    assert "nichts wird gespeichert" in alert.lower() and "Zeile 3" in alert
    assert page.get_by_role("button", name=re.compile("speichern")).count() == 0
    _check(page)
    assert not Expenditure.objects.filter(application=application).exists()
    page.get_by_role("link", name="Zurück zur Belegliste").click()
    good = bad.replace(b"Verpflegung", b"Sachausgaben")
    page.locator("#id_file").set_input_files(
        files=[{"name": "belege.csv", "mimeType": "text/csv", "buffer": good}]
    )
    page.get_by_role("button", name="Zeilen anzeigen").click()
    _check(page)
    page.get_by_role("button", name="Alle 2 Belege speichern").click()
    assert page.get_by_text("2 Belege sind in der Belegliste.").is_visible()
    assert Expenditure.objects.filter(application=application).count() == 2
    _check(page)

    # -- the proof of use, its live statement and the certification -----------------------
    page.get_by_role("link", name="Verwendungsnachweis").first.click()
    statement = page.locator("section").filter(has_text="Zahlenmäßiger Nachweis").inner_text()
    assert "1.500,00 €" in statement
    page.locator("#id_narrative").fill("Das Fest fand mit 140 Gästen statt.")
    page.locator("#id_participants").fill("140")
    page.locator("#id_certify").check()
    _check(page)
    page.get_by_role("button", name="Verwendungsnachweis speichern").click()
    assert page.get_by_text("Bestätigt von Nora Neumann").is_visible()
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    page.locator(f"a[href='/applications/{application.pk}/steps/submit_proof_of_use/']").click()
    _submit_step(page)
    application.refresh_from_db()
    assert application.state == "proof_submitted"

    # -- the office checks and accepts it; the sponsor sees the closed file --------------
    money.check_note_save(
        application=application, actor=world.office, extent="full", result="Belege geprüft."
    )
    application_transition(
        application=application, actor=world.office, name="accept_proof", payload={}
    )
    page.goto(f"{live_server.url}/")
    row = page.locator("tr").filter(has_text="Sommerfest der Kulturen")
    assert "abgeschlossen" in row.inner_text()
    _check(page)
    page.get_by_role("link", name="Sommerfest der Kulturen").click()
    history = page.locator("section").filter(has_text="Verlauf").last.inner_text()
    assert "Verwendungsnachweis" in history and "application." not in history
    assert "→" not in history
    _check(page)


def test_a_password_reset_by_the_e_mails_link(live_server, page, world, mailoutbox):
    world.sponsor_a.email = "lena@verein-a.example"
    world.sponsor_a.save()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("link", name="Passwort vergessen?").click()
    page.get_by_label("E-Mail").fill("lena@verein-a.example")
    page.locator("main form button[type=submit]").click()
    _check(page)
    (link,) = re.findall(
        rf"{re.escape(django_settings.PUBLIC_URL)}(/password-reset/\S+/)", mailoutbox[-1].body
    )
    page.goto(live_server.url + link)
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    _check(page)
    page.locator("main form button[type=submit]").click()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Benutzername oder E-Mail-Adresse").fill("sponsor_a")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Willkommen")
