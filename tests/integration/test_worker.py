"""A real Celery worker consuming from the real Redis named by REDIS_URL."""

import time

import pytest
from django.core import mail

from tests.factories import client_for, make_application

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_transition_mail_is_sent_by_the_worker(world, worker):
    application = make_application(world)
    mail.outbox = []

    response = client_for(world.sponsor_a).post(
        f"/api/applications/{application.pk}/transitions/submit/", {}, format="json"
    )

    assert response.status_code == 200
    assert _wait_for(lambda: len(mail.outbox) == 1), "the worker sent no mail"
    assert mail.outbox[0].to == [world.office.email]


def test_healthz_pings_the_real_broker(db, settings):
    assert settings.REDIS_URL
    response = client_for(None).get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"
