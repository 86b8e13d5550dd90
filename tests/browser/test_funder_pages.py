"""The funder in a real Chromium at a phone's width (issue #24, first part): the start
page names the programs they follow; a program's figures for a chosen period; a report
requested for it, rendered, and downloaded as a PDF that opens; axe-core on every page."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from tests.browser.conftest import axe_violations, scrolls_sideways
from tests.factories import bring_to, make_application

pytestmark = [pytest.mark.django_db(transaction=True)]
PASSWORD = "Foerdergeber-2027!"


def _check(page):
    assert axe_violations(page) == [], page.url
    assert not scrolls_sideways(page), page.url


def test_the_funder_reads_the_figures_and_downloads_a_report(live_server, page, world):
    world.funder.set_password(PASSWORD)
    world.funder.save()
    bring_to(world, make_application(world, title="Sommerfest"), "approved")
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Benutzername oder E-Mail-Adresse").fill(world.funder.username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.get_by_role("link", name=world.program.name).click()
    _check(page)
    page.get_by_label("Von").fill(f"01.01.{date.today().year}")
    page.get_by_label("Bis").fill(date.today().strftime("%d.%m.%Y"))
    page.get_by_role("button", name="Zahlen anzeigen").click()
    assert page.locator("#key-heading").inner_text().startswith("Kennzahlen 01.01.")
    _check(page)
    page.get_by_role("button", name="Bericht für").click()
    assert "Bericht ist angefordert" in page.get_by_role("status").first.inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF herunterladen").first.click()
    content = open(download.value.path(), "rb").read()  # noqa: SIM115 (the browser's file)
    reader = PdfReader(io.BytesIO(content))
    assert world.program.name.split(" – ")[0] in " ".join(p.extract_text() for p in reader.pages)
    _check(page)
