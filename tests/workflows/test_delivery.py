"""The delivery log (issue #10): every e-mail once, nothing lost when a worker dies, the
one unavoidable duplicate sent with the same Message-ID and counted."""

from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from workflows.delivery import deliver, lease, message_id_for
from workflows.models import Delivery


def _send(user, key="reminder.test:1", render=None):
    return deliver(
        key=f"{key}:{user.pk}",
        occasion="reminder.test",
        user=user,
        render=render or (lambda: ("Betreff", "Text")),
        reference="PFD-KO-2026-0001",
    )


def test_a_mail_is_sent_once_with_its_stable_message_id(db, mailoutbox):
    user = UserFactory()
    assert _send(user) is True
    assert _send(user) is False
    assert len(mailoutbox) == 1
    delivery = Delivery.objects.get()
    assert delivery.state == "sent" and delivery.sent_at is not None
    assert mailoutbox[0].extra_headers["Message-ID"] == delivery.message_id
    assert delivery.message_id == message_id_for(delivery.key)
    assert (delivery.attempts, delivery.resends) == (1, 0)


def test_a_worker_killed_after_claiming_loses_nothing_and_the_resend_is_counted(db, mailoutbox):
    """The worker claimed the attempt (and perhaps handed the mail over) and died before
    recording it: once its lease ran out, the next run sends it, with the same
    Message-ID, and counts a resend."""
    user = UserFactory()
    key = f"reminder.test:1:{user.pk}"
    Delivery.objects.create(
        key=key,
        occasion="reminder.test",
        recipient=user,
        address=user.email,
        message_id=message_id_for(key),
        attempts=1,
        claimed_at=timezone.now() - lease() - timedelta(seconds=1),
    )
    assert _send(user) is True
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.resends) == ("sent", 2, 1)
    assert mailoutbox[0].extra_headers["Message-ID"] == message_id_for(key)


def test_a_mail_another_worker_is_sending_is_left_alone(db, mailoutbox):
    user = UserFactory()
    key = f"reminder.test:1:{user.pk}"
    Delivery.objects.create(
        key=key,
        occasion="reminder.test",
        recipient=user,
        address=user.email,
        message_id=message_id_for(key),
        attempts=1,
        claimed_at=timezone.now(),
    )
    assert _send(user) is False
    assert mailoutbox == []


def test_a_refused_mail_is_marked_failed_and_sent_by_the_retry(db, mailoutbox):
    user = UserFactory()

    def refused():
        raise SMTPException("450 mailbox busy")

    with pytest.raises(SMTPException):
        _send(user, render=refused)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.failure) == ("failed", "450 mailbox busy")
    assert _send(user) is True
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.resends) == ("sent", 2, 0)


def test_transition_mails_go_through_the_log(
    world, application_in, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = application_in("submitted")
    delivery = Delivery.objects.get(occasion="transition", recipient=world.office)
    assert (delivery.state, delivery.reference) == ("sent", application.reference)
    assert len([m for m in mailoutbox if world.office.email in m.to]) == 1


def test_the_log_is_read_only_and_searchable_by_reference(db, client, mailoutbox):
    admin = UserFactory(is_superuser=True, is_staff=True)
    _send(UserFactory())
    client.force_login(admin)
    page = client.get("/admin/workflows/delivery/?q=PFD-KO-2026-0001")
    assert page.status_code == 200
    assert "reminder.test" in page.content.decode()
    delivery = Delivery.objects.get()
    assert client.post(f"/admin/workflows/delivery/{delivery.pk}/delete/").status_code == 403


def test_every_mail_has_an_html_part_with_the_link(
    world, application_in, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.PUBLIC_URL = "https://zuwendo.koblenz.example"
    with django_capture_on_commit_callbacks(execute=True):
        application = application_in("submitted")
    message = next(m for m in mailoutbox if world.office.email in m.to)
    link = f"https://zuwendo.koblenz.example/applications/{application.pk}/"  # the portal
    assert link in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert f'<a href="{link}"' in html


def test_users_switch_optional_reminders_off_themselves(world, api):
    response = api(world.sponsor_a).patch(
        "/api/users/me/", {"optional_notifications": False, "language": "en"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["optional_notifications"] is False
    world.sponsor_a.refresh_from_db()
    assert (world.sponsor_a.optional_notifications, world.sponsor_a.language) == (False, "en")
    refused = api(world.sponsor_a).patch("/api/users/me/", {"is_superuser": True}, format="json")
    assert refused.status_code == 400
