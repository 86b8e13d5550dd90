"""The sponsor in a real Chromium (issue #23, first part): sign in, the start page, an
application, the profile and the two-factor set-up, each at 1366 px and 360 px with
axe-core finding no WCAG 2.1 A/AA violation and no sideways scrolling."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import axe_violations, scrolls_sideways
from tests.factories import bring_to, make_application

pytestmark = [pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-Passw0rd!"


@pytest.fixture
def sponsor(world):
    world.sponsor_a.set_password(PASSWORD)
    world.sponsor_a.first_name, world.sponsor_a.last_name = "Lena", "Fischer"
    world.sponsor_a.save()
    make_application(world, title="Demokratiewerkstatt für Jugendliche")
    bring_to(world, make_application(world, title="Lesereihe „Stimmen der Vielfalt“"), "submitted")
    return world.sponsor_a


def _check(page, width):
    assert axe_violations(page) == [], page.url
    if width <= 400:
        assert not scrolls_sideways(page), page.url


@pytest.mark.parametrize("width", [1366, 360])
def test_a_sponsor_signs_in_and_reads_an_application(live_server, page, sponsor, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/")
    assert page.title() == "Anmelden – Zuwendo"
    _check(page, width)
    page.get_by_label("Benutzername oder E-Mail-Adresse").fill("sponsor_a")
    page.get_by_label("Passwort").fill("wrong")
    page.locator("main form button[type=submit]").click()
    assert page.get_by_role("alert").first.inner_text().startswith("Benutzername, E-Mail")
    _check(page, width)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Willkommen, Lena Fischer"
    assert page.get_by_text("Entwurf", exact=True).is_visible()
    assert page.get_by_text("Antrag vervollständigen und einreichen").is_visible()
    _check(page, width)
    page.get_by_role("link", name="Lesereihe „Stimmen der Vielfalt“").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Lesereihe „Stimmen der Vielfalt“"
    assert page.get_by_text("Antrag eingereicht").is_visible()
    _check(page, width)
    page.get_by_role("link", name="Profil").click()
    _check(page, width)


def test_two_factor_set_up_and_sign_in_in_the_browser(live_server, page, sponsor):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Benutzername oder E-Mail-Adresse").fill("sponsor_a")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto(f"{live_server.url}/profile/two-factor/")
    page.get_by_role("button", name="Anmeldung mit zweitem Faktor einrichten").click()
    assert page.get_by_role(
        "img", name="QR-Code zum Einrichten Ihrer Authenticator-App"
    ).is_visible()
    _check(page, 1366)
    device = TOTPDevice.objects.get(user=sponsor, confirmed=False)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.get_by_label("Code aus Ihrer Authenticator-App oder ein Wiederherstellungscode").fill(code)
    page.get_by_role("button", name="Einschalten").click()
    codes = page.get_by_role("list", name="Wiederherstellungscodes").locator("li").all_inner_texts()
    assert len(codes) == 10
    _check(page, 1366)
    page.get_by_role("button", name="Abmelden").click()
    page.get_by_label("Benutzername oder E-Mail-Adresse").fill("sponsor_a")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Code eingeben"
    _check(page, 1366)
    page.get_by_label("Code aus Ihrer Authenticator-App oder ein Wiederherstellungscode").fill(
        codes[0]
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Willkommen, Lena Fischer"


def test_a_sponsor_submits_a_draft_in_the_browser(live_server, page, sponsor):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Benutzername oder E-Mail-Adresse").fill("sponsor_a")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.get_by_role("link", name="Demokratiewerkstatt für Jugendliche").click()
    page.get_by_role("link", name="Einreichen").click()
    _check(page, 360)
    page.locator("main form button[type=submit]").click()
    assert page.get_by_role("status").first.inner_text() == "Erledigt: Einreichen."
    assert page.get_by_text("Antrag eingereicht").is_visible()
    _check(page, 360)
