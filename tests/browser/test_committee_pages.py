"""The committee in a real Chromium at a phone's width (issue #24, first part): three
members vote in the written procedure from their start pages, one declares a conflict of
interest, the office decides on the quorum on the application's page, and a member
reads the tally; axe-core on every page, nothing scrolls sideways."""

import pytest

from tests.browser.conftest import axe_violations, scrolls_sideways
from tests.factories import bring_to, make_application, seat_committee

pytestmark = [pytest.mark.django_db(transaction=True)]
PASSWORD = "Ausschuss-2027!"


def _check(page):
    assert axe_violations(page) == [], page.url
    assert not scrolls_sideways(page), page.url


def _sign_in(page, live_server, user):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Benutzername oder E-Mail-Adresse").fill(user.username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


def test_a_written_procedure_on_the_phone(live_server, page, world):
    members = seat_committee(world)
    for user in members:
        user.set_password(PASSWORD)
        user.save()
    application = bring_to(
        world, make_application(world, title="Erinnerungsorte"), "committee_review"
    )
    page.set_viewport_size({"width": 360, "height": 800})

    for member, choice in zip(members[:3], ["Zustimmung", "Zustimmung", "Enthaltung"], strict=True):
        _sign_in(page, live_server, member)
        assert page.get_by_role("heading", name="Zur Abstimmung").is_visible()
        _check(page)
        page.get_by_role("link", name="Erinnerungsorte").click()
        _check(page)
        page.get_by_label("Ihre Stimme").select_option(label=choice)
        page.get_by_label("Kommentar").fill("Gut begründet.")
        page.get_by_role("button", name="Stimme abgeben").click()
        assert "Ihre Stimme ist erfasst" in page.get_by_role("status").first.inner_text()
        _check(page)

    _sign_in(page, live_server, members[3])
    page.get_by_role("link", name="Erinnerungsorte").click()
    page.locator("#id_conflict-reason").fill("Ich bin im Vorstand des Trägers.")
    page.get_by_role("button", name="Befangenheit erklären").click()
    assert "Befangenheit" in page.get_by_role("status").first.inner_text()
    assert page.get_by_role("button", name="Stimme abgeben").count() == 0
    _check(page)

    # The office records the decision on the quorum, on the application's page.
    world.office.set_password(PASSWORD)
    world.office.save()
    _sign_in(page, live_server, world.office)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    _check(page)
    page.locator(f"a[href='/applications/{application.pk}/steps/approve/']").click()
    page.locator("#id_approved_amount").fill("400,00")
    _check(page)
    page.locator("main form button[type=submit]").last.click()
    assert "Erledigt" in page.get_by_role("status").first.inner_text()
    _sign_in(page, live_server, members[0])
    page.goto(f"{live_server.url}/reviews/{application.pk}/")
    tally = page.locator("section").filter(has_text="Stimmen der Entscheidung").inner_text()
    assert "Zustimmung" in tally and "2" in tally
    _check(page)
