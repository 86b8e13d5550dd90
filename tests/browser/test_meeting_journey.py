"""A meeting in a real Chromium (issue #24): the office calls it with its agenda,
invites (and records the delivery to members without e-mail), records attendance and
the votes, takes the decision, signs the minutes as their keeper; the chair signs on the
meetings page; the minutes then read as a page and download as a PDF naming the
decision. No service call between the set-up and the end; axe-core on every page."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from projects.models import Meeting
from tests.browser.conftest import axe_violations, scrolls_sideways
from tests.factories import bring_to, make_application, seat_committee

pytestmark = [pytest.mark.django_db(transaction=True)]
PASSWORD = "Sitzung-2027!"


def _check(page):
    assert axe_violations(page) == [], page.url
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": 360, "height": 800})
    assert not scrolls_sideways(page), page.url
    page.set_viewport_size({"width": width, "height": 900})


def _sign_in(page, live_server, user):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Benutzername oder E-Mail-Adresse").fill(user.username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


def _done(page, text: str):
    assert text in page.get_by_role("status").first.inner_text(), page.url


def test_the_office_runs_a_meeting_and_both_sign_the_minutes(
    live_server, page, world, tmp_path: Path
):
    members = seat_committee(world)
    for user in (*members, world.office):
        user.set_password(PASSWORD)
        user.save()
    members[-1].email = ""  # reached by post only
    members[-1].save()
    application = bring_to(world, make_application(world, title="Gedenkpfad"), "committee_review")
    page.set_viewport_size({"width": 1366, "height": 900})
    base = live_server.url

    _sign_in(page, live_server, world.office)
    page.goto(f"{base}/office/")
    page.get_by_role("link", name="Sitzungen der Gremien: anberaumen").click()
    _check(page)
    page.get_by_role("link", name="Sitzung anberaumen").click()
    _check(page)
    yesterday = timezone.localdate() - timedelta(days=1)
    page.get_by_label("Tag").fill(yesterday.strftime("%d.%m.%Y"))
    page.get_by_label("Uhrzeit").fill("18:00")
    page.get_by_label("Ort").fill("Rathaus, Ratssaal")
    page.get_by_label("Gedenkpfad", exact=False).check()
    page.get_by_role("button", name="Sitzung anberaumen").click()
    _done(page, "Die Sitzung ist anberaumt")
    _check(page)
    meeting = Meeting.objects.get()

    page.get_by_role("button", name="Einladung versenden").click()
    _done(page, "Einladung mit der Tagesordnung ist per E-Mail")
    assert page.get_by_role("heading", name="Per E-Mail nicht erreicht").is_visible()
    _check(page)
    while page.get_by_role("heading", name="Per E-Mail nicht erreicht").count():
        page.locator("form:has(input[value=delivered]) select[name=how]").select_option("post")
        page.get_by_role("button", name="Zustellung vermerken").click()
        _done(page, "Die Zustellung der Einladung ist vermerkt.")

    present = members[:4]
    for member in present:
        page.get_by_label(member.get_full_name() or member.username, exact=False).first.check()
    page.get_by_role("button", name="Anwesenheit erfassen").click()
    _done(page, "Die Anwesenheit ist erfasst.")
    for member in present[:3]:
        page.locator(f"#id_item-{application.pk}-member-{member.pk}").select_option("approve")
    page.locator(f"#id_item-{application.pk}-member-{present[3].pk}").select_option("abstain")
    page.get_by_role("button", name="Diese Stimmen erfassen").click()
    _done(page, "4 Stimmen zu „Gedenkpfad“ sind erfasst.")
    assert "3 dafür, 0 dagegen, 1 Enthaltungen" in page.locator("main").inner_text()
    _check(page)

    page.get_by_role("link", name="Den Beschluss des Gremiums").click()
    page.locator(f"a[href='/applications/{application.pk}/steps/approve/']").click()
    page.locator("#id_approved_amount").fill("400,00")
    page.locator("main form button[type=submit]").last.click()
    _done(page, "Erledigt")
    page.goto(f"{base}/office/meetings/{meeting.pk}/")
    page.get_by_role("button", name="Als Protokollführung unterschreiben").click()
    _done(page, "als Protokollführung unterschrieben")
    _check(page)

    _sign_in(page, live_server, world.chair)
    page.get_by_role("link", name="Sitzungen", exact=False).first.click()
    page.get_by_role("button", name="Protokoll als Vorsitz unterschreiben").click()
    _done(page, "Sie haben das Protokoll als Vorsitz unterschrieben.")
    _check(page)
    meeting.refresh_from_db()
    assert meeting.minutes_signed

    page.locator(f"a[href='/meetings/{meeting.pk}/minutes/']").click()
    minutes = page.locator("main").inner_text()
    assert "Gedenkpfad" in minutes and "Rathaus, Ratssaal" in minutes
    _check(page)
    page.goto(f"{base}/meetings/")
    with page.expect_download() as download:
        page.locator(f"a[href='/api/meetings/{meeting.pk}/minutes/']").click()
    target = tmp_path / "niederschrift.pdf"
    download.value.save_as(target)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert "Gedenkpfad" in text and "Entwurf" not in text
