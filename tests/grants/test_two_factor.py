"""Two-factor sign-in (issue #12): TOTP set up over the API, recovery codes, the token
login asking for a code once it is on, and the admin site requiring it."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import trail_of
from tests.factories import UserFactory, client_for

PASSWORD = "ein-langes-passwort-42"


def _code(user, at=None):
    device = TOTPDevice.objects.filter(user=user).latest("pk")
    moment = (at or timezone.now()).timestamp()
    return f"{hotp(device.bin_key, (int(moment) - device.t0) // device.step):06d}"


@pytest.fixture
def person(db):
    user = UserFactory(username="buero", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def _turn_on(user):
    client = client_for(user)
    started = client.post("/api/users/me/two-factor/")
    assert started.status_code == 201, started.json()
    assert started.json()["otpauth_url"].startswith("otpauth://totp/")
    wrong = client.post("/api/users/me/two-factor/confirm/", {"code": "000000"}, format="json")
    assert wrong.status_code == 400
    confirmed = client.post(
        "/api/users/me/two-factor/confirm/", {"code": _code(user)}, format="json"
    )
    assert confirmed.status_code == 200, confirmed.json()
    return confirmed.json()["recovery_codes"]


def _sign_in(**extra):
    return Client().post(
        "/api/auth/token/",
        {"username": "buero", "password": PASSWORD, **extra},
        content_type="application/json",
    )


def test_turning_it_on_gives_ten_recovery_codes_and_is_audited(person):
    codes = _turn_on(person)
    assert len(codes) == 10 and len(set(codes)) == 10
    status = client_for(person).get("/api/users/me/two-factor/").json()
    assert status == {"enabled": True, "recovery_codes_left": 10}
    assert [e.action for e in trail_of(person)] == ["two_factor_on"]
    again = client_for(person).post("/api/users/me/two-factor/")
    assert again.status_code == 409


def test_the_token_login_then_needs_a_code(person):
    codes = _turn_on(person)
    refused = _sign_in()
    assert refused.status_code == 400
    assert "otp" in refused.json()["errors"]
    assert _sign_in(otp="123456").status_code == 400
    # django-otp makes each device wait a little after a wrong code: later attempts.
    later = timezone.now() + timedelta(seconds=60)
    with time_machine.travel(later, tick=False):
        assert _sign_in(otp=_code(person, later)).status_code == 200
    with time_machine.travel(later + timedelta(seconds=60), tick=False):
        assert _sign_in(otp=codes[0]).status_code == 200
    with time_machine.travel(later + timedelta(seconds=120), tick=False):
        assert _sign_in(otp=codes[0]).status_code == 400  # a recovery code works once


def test_without_two_factor_the_password_is_enough(person):
    assert _sign_in().status_code == 200


def test_turning_it_off_needs_a_code(person):
    codes = _turn_on(person)
    client = client_for(person)
    assert (
        client.delete("/api/users/me/two-factor/", {"code": "nope"}, format="json").status_code
        == 400
    )
    with time_machine.travel(timezone.now() + timedelta(seconds=60), tick=False):
        answer = client.delete("/api/users/me/two-factor/", {"code": codes[1]}, format="json")
    assert answer.status_code == 204
    assert _sign_in().status_code == 200
    assert [e.action for e in trail_of(person)] == ["two_factor_on", "two_factor_off"]


def _admin_login(**extra):
    browser = Client()
    response = browser.post(
        "/admin/login/?next=/admin/",
        {"username": "buero", "password": PASSWORD, **extra},
    )
    return browser, response


def test_the_admin_requires_two_factor_when_asked(person, settings):
    settings.REQUIRE_2FA = True
    _browser, response = _admin_login()
    assert response.status_code == 200
    text = response.content.decode()
    assert "two-factor" in text.lower() or "zweitem Faktor" in text
    assert "/api/users/me/two-factor/" not in text  # set up in the portal, no dead end
    _turn_on(person)
    _browser, response = _admin_login()
    assert response.status_code == 200  # the code is missing
    later = timezone.now() + timedelta(seconds=60)
    with time_machine.travel(later, tick=False):
        browser, response = _admin_login(otp_token=_code(person, later))
        assert response.status_code == 302, response.context["form"].errors
        assert browser.get("/admin/").status_code == 200


def test_a_session_without_a_code_is_not_enough_for_the_admin(person, settings):
    settings.REQUIRE_2FA = True
    browser = Client()
    browser.force_login(person)
    assert browser.get("/admin/").status_code == 302
    settings.REQUIRE_2FA = False
    assert browser.get("/admin/").status_code == 200
