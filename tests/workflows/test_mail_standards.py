"""Zuwendo's e-mails as a strict mail server and a mail client read them (#20): parsed
with ``email.policy.default`` (0 defects), automatic (RFC 3834), dated in Europe/Berlin,
with display names, in the recipient's language, attachments named per RFC 2231, and a
one-click unsubscribe (RFC 8058) that really switches optional reminders off; the
invitation carries a link that answers it; every link points at ``PUBLIC_URL``."""

from __future__ import annotations

import email
import re
from datetime import datetime, timedelta
from email.policy import default
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from core.models import AuditEntry
from projects.models import Invitation, Membership
from projects.services import invitation_create
from tests.factories import DecisionBodyFactory, UserFactory, grant_role
from workflows.delivery import deliver
from workflows.reminders import sweep

PUBLIC = "https://foerderung.koblenz.example"
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def public_url(settings):
    settings.PUBLIC_URL = PUBLIC


def parsed(message) -> email.message.EmailMessage:
    """The message as the receiving side reads it: bytes, parsed by the strict policy."""
    raw = message.message().as_bytes()
    mail = email.message_from_bytes(raw, policy=default)
    defects = [(part.get_content_type(), part.defects) for part in mail.walk() if part.defects]
    assert defects == []
    for name in ("From", "To", "Subject", "Date", "Message-ID"):
        assert mail[name] is not None and not mail[name].defects, name
    return mail


def links(mail) -> list[str]:
    text = mail.get_body(("plain",)).get_content()
    return re.findall(r"https?://\S+", text)


@pytest.fixture
def application_in(application_in, django_capture_on_commit_callbacks):
    """As in tests/conftest.py, with the mails sent (they go out after commit)."""

    def build(state, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return application_in(state, **fields)

    return build


def test_a_transition_mail_keeps_the_rules(world, application_in, mailoutbox, settings):
    world.sponsor_a.first_name, world.sponsor_a.last_name = "Anna", "Müller, geb. Schmidt"
    world.sponsor_a.save()
    world.program.name = "Partnerschaft für Demokratie Koblenz"
    world.program.save()
    # The call is open on the day travelled to, whatever day the suite runs.
    moment = datetime(2026, 12, 2, 9, 30, tzinfo=BERLIN)
    world.call.opens_at, world.call.closes_at = (
        moment - timedelta(days=1),
        moment + timedelta(days=30),
    )
    world.call.vote_deadline = moment + timedelta(days=60)
    world.call.funding_year = 2027
    world.call.save()
    with time_machine.travel(moment):
        application_in("revision_requested")
        to_sponsor = [m for m in mailoutbox if world.sponsor_a.email in m.to]
        mail = parsed(to_sponsor[-1])

    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Content-Language"] == "de"
    assert (
        mail["From"].addresses[0].display_name == "Zuwendo – Partnerschaft für Demokratie Koblenz"
    )
    assert mail["From"].addresses[0].addr_spec == settings.DEFAULT_FROM_EMAIL
    assert mail["To"].addresses[0].display_name == "Anna Müller, geb. Schmidt"
    assert mail["To"].addresses[0].addr_spec == world.sponsor_a.email
    subject = str(mail["Subject"])
    assert subject.startswith("[Zuwendo] ") and subject == subject.strip()
    assert subject.endswith("„Nachforderung“")
    sent_at = parsedate_to_datetime(mail["Date"])
    assert sent_at.utcoffset() == timedelta(hours=1)  # CET in December, not -0000
    html = mail.get_body(("html",)).get_content()
    assert '<html lang="de">' in html
    assert "List-Unsubscribe" not in mail  # a step of the procedure cannot be switched off
    assert links(mail) and all(link.startswith(PUBLIC) for link in links(mail))


def test_english_readers_get_english_headers_and_html(world, application_in, mailoutbox):
    world.sponsor_a.language = "en"
    world.sponsor_a.save()
    application_in("revision_requested")
    mail = parsed([m for m in mailoutbox if world.sponsor_a.email in m.to][-1])
    assert mail["Content-Language"] == "en"
    assert '<html lang="en">' in mail.get_body(("html",)).get_content()
    assert str(mail["Subject"]).startswith("[Zuwendo] ")


def test_the_mail_names_the_body_that_decides(world, application_in, mailoutbox):
    forum = DecisionBodyFactory(program=world.program, name="Jugendforum Koblenz")
    member = grant_role(world.program, "committee", UserFactory(username="forum1"), body=forum)
    world.call.body = forum
    world.call.save()
    application_in("committee_review")
    texts = [
        parsed(m).get_body(("plain",)).get_content() for m in mailoutbox if member.email in m.to
    ]
    assert "Jugendforum Koblenz" in texts[-1]
    assert "Begleitausschuss" not in texts[-1]


def test_attachment_names_with_umlauts_follow_rfc_2231(world, mailoutbox):
    deliver(
        key="test:umlauts",
        occasion="test",
        user=world.sponsor_a,
        render=lambda: ("[Zuwendo] Förderbescheid für „Jugendzentrum Lützel“", "Hallo,\n\nanbei."),
        attachments=lambda: [("Förderbescheid Lützel.pdf", b"%PDF-1.4\n", "application/pdf")],
    )
    raw = mailoutbox[-1].message().as_bytes()
    assert b"filename*=utf-8''F%C3%B6rderbescheid%20L%C3%BCtzel.pdf" in raw
    mail = parsed(mailoutbox[-1])
    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_filename() == "Förderbescheid Lützel.pdf"
    assert str(mail["Subject"]) == "[Zuwendo] Förderbescheid für „Jugendzentrum Lützel“"


def _optional_reminder(world, application_in, mailoutbox):
    application_in("draft")
    closes = timezone.localdate(world.call.closes_at)
    travel = datetime(closes.year, closes.month, closes.day, 7, 0, tzinfo=BERLIN)
    with time_machine.travel(travel - timedelta(days=3)):
        sweep()
    (message,) = [m for m in mailoutbox if world.sponsor_a.email in m.to]
    return parsed(message)


def test_an_optional_reminder_can_be_switched_off_in_one_click(world, application_in, mailoutbox):
    mail = _optional_reminder(world, application_in, mailoutbox)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    (url,) = re.findall(r"<([^>]+)>", str(mail["List-Unsubscribe"]))
    assert url.startswith(f"{PUBLIC}/unsubscribe/")
    path = url.removeprefix(PUBLIC)
    browser = Client(enforce_csrf_checks=True)  # no session, no token: the link is enough

    looked = browser.get(path)  # a link scanner: shows a button, changes nothing
    assert looked.status_code == 200
    assert b"<form" in looked.content
    assert b'<html lang="de">' in looked.content
    assert looked["Content-Language"] == "de"
    world.sponsor_a.refresh_from_db()
    assert world.sponsor_a.optional_notifications is True

    # what a mail client sends (RFC 8058 section 3.2)
    clicked = browser.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert clicked.status_code == 200
    world.sponsor_a.refresh_from_db()
    assert world.sponsor_a.optional_notifications is False
    assert AuditEntry.objects.filter(action="unsubscribe", trail_id=world.sponsor_a.pk).count() == 1
    assert browser.post(path).status_code == 200  # again: nothing more to do
    assert AuditEntry.objects.filter(action="unsubscribe").count() == 1


@pytest.mark.parametrize("tamper", ["swap", "garbage"])
def test_an_unsubscribe_link_cannot_be_made_up(world, application_in, mailoutbox, tamper):
    mail = _optional_reminder(world, application_in, mailoutbox)
    (url,) = re.findall(r"<([^>]+)>", str(mail["List-Unsubscribe"]))
    token = url.rstrip("/").rsplit("/", 1)[1]
    forged = token[:-2] + ("AA" if token[-2:] != "AA" else "BB") if tamper == "swap" else "x" * 40
    response = Client().post(f"/unsubscribe/{forged}/")
    assert response.status_code == 404
    world.sponsor_a.refresh_from_db()
    assert world.sponsor_a.optional_notifications is True


def test_a_mandatory_reminder_has_no_unsubscribe(world, application_in, mailoutbox):
    application_in("revision_requested")
    later = timezone.localdate() + timedelta(days=14)
    with time_machine.travel(datetime(later.year, later.month, later.day, 7, 0, tzinfo=BERLIN)):
        sweep()
    reminders = [m for m in mailoutbox if "List-Unsubscribe" in m.extra_headers]
    assert reminders == []
    assert any(parsed(m)["Auto-Submitted"] == "auto-generated" for m in mailoutbox)


def test_the_invitation_link_answers_it(world, mailoutbox, django_capture_on_commit_callbacks):
    invitee = UserFactory(username="neu", email="neu@verein-c.example", first_name="Nora")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            organization=world.org_a, actor=world.sponsor_a, email=invitee.email
        )
    mail = parsed(mailoutbox[-1])
    assert mail["To"].addresses[0].display_name == invitee.get_full_name()
    (link,) = [link for link in links(mail) if "/invitations/" in link]
    assert link.startswith(f"{PUBLIC}/invitations/")
    path = link.removeprefix(PUBLIC)
    browser = Client()
    page = browser.get(path)
    assert page.status_code == 200
    assert world.org_a.name.encode() in page.content
    # Signed out, the link answers nothing: it offers the sign-in and the registration.
    assert browser.post(path, {"answer": "accept"}).status_code == 404
    assert not Membership.objects.filter(user=invitee, organization=world.org_a).exists()
    browser.force_login(invitee)
    accepted = browser.post(path, {"answer": "accept"})
    assert accepted.status_code == 302
    assert Membership.objects.filter(user=invitee, organization=world.org_a).exists()
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ACCEPTED
    again = browser.post(path, {"answer": "decline"})
    assert again.status_code == 400  # answered already: said on the page
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ACCEPTED
    assert Client().get(path.replace("/invitations/", "/invitations/x")).status_code == 404


def test_a_date_in_summer_carries_summer_time(world, mailoutbox):
    with time_machine.travel(datetime(2026, 7, 1, 9, 0, tzinfo=BERLIN)):
        deliver(key="test:summer", occasion="test", user=world.sponsor_a, render=lambda: ("x", "y"))
    # dated when it was handed over, whenever it is rendered
    assert parsed(mailoutbox[-1])["Date"] == "Wed, 01 Jul 2026 09:00:00 +0200"


def test_a_payout_and_a_proof_of_use_link_to_their_own_pages(
    funded, api, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.workflows.test_money import _paid, _proof, _receipt, _transition

    application = funded.application
    with django_capture_on_commit_callbacks(execute=True):
        _paid(api, funded, "400.00")
    paid = [m for m in mailoutbox if "400,00" in m.subject]
    assert paid
    for mail in paid:
        assert f"{PUBLIC}/applications/{application.pk}/payouts/" in links(parsed(mail))
    _receipt(api, funded, "400.00")
    _proof(api, funded)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert _transition(api, funded.sponsor_a, funded, "submit_proof_of_use").status_code == 200
    assert mailoutbox
    for mail in mailoutbox:
        assert f"{PUBLIC}/applications/{application.pk}/proof-of-use/" in links(parsed(mail))
