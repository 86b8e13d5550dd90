"""Signing in (CONTRACT.md, "Authentication"): login throttling per username and address
and per address, token expiry after idle time, logout, logout everywhere, and a password
change that revokes the other tokens."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from tests.factories import UserFactory, client_for

TOKEN_URL = "/api/auth/token/"
PASSWORD = "secret-pass-123"  # the factories' password
OFFICE_NAT = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


def login(username, password=PASSWORD, address=OFFICE_NAT):
    return client_for(None).post(
        TOKEN_URL, {"username": username, "password": password}, format="json", REMOTE_ADDR=address
    )


def fail(username, times, address=OFFICE_NAT):
    for _ in range(times):
        assert login(username, "wrong-password", address).status_code == 400


@pytest.fixture
def lena(db):
    return UserFactory(username="lena")


def test_the_sixth_failure_for_a_username_is_429_with_retry_after(lena):
    fail("lena", 5)

    response = login("lena", "wrong-password")

    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 15 * 60


def test_a_locked_pair_refuses_even_the_right_password(lena):
    fail("lena", 5)
    assert login("lena").status_code == 429


def test_the_lock_is_per_username_and_address(lena):
    UserFactory(username="jonas")
    fail("lena", 5)

    assert login("jonas").status_code == 200  # another user behind the same address
    assert login("lena", address=ELSEWHERE).status_code == 200  # lena from elsewhere


def test_a_success_resets_the_pairs_count(lena):
    fail("lena", 4)
    assert login("lena").status_code == 200
    fail("lena", 4)
    assert login("lena").status_code == 200


def test_thirty_failures_from_one_address_lock_the_address(lena):
    for index in range(6):  # six usernames, five failures each: 30 from one address
        fail(f"guess{index}", 5)

    assert login("lena").status_code == 429  # lena never failed, but her address did
    assert login("lena", address=ELSEWHERE).status_code == 200


def test_fewer_than_thirty_failures_from_one_address_lock_nobody_else(lena):
    for index in range(5):
        fail(f"guess{index}", 5)  # 25 failures
    assert login("lena").status_code == 200


def test_admin_login_shows_the_lockout_page(db):
    UserFactory(username="buero", is_staff=True)
    browser = Client(REMOTE_ADDR=OFFICE_NAT)
    for _ in range(4):
        page = browser.post("/admin/login/", {"username": "buero", "password": "wrong"})
        assert page.status_code == 200  # the form again, with its error

    fifth = browser.post("/admin/login/", {"username": "buero", "password": "wrong"})
    sixth = browser.post("/admin/login/", {"username": "buero", "password": PASSWORD})

    for locked in (fifth, sixth):  # the admin says so at the failure that locks
        assert locked.status_code == 429
        assert "admin/lockout.html" in [template.name for template in locked.templates]
    assert "_auth_user_id" not in browser.session


def test_login_records_last_login(lena):
    assert lena.last_login is None
    login("lena")
    lena.refresh_from_db()
    assert lena.last_login is not None


def test_anonymous_requests_are_rate_limited(db, settings):
    settings.ANONYMOUS_RATE = "3/min"
    client = client_for(None)
    answers = [client.get("/api/schema/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_login_answers_a_token_with_its_expiry(lena):
    response = login("lena")
    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"token", "expires_at"}
    instance = AuthToken.objects.get(user=lena)
    assert abs(instance.expiry - (timezone.now() + timedelta(hours=10))) < timedelta(minutes=1)


def test_each_login_is_a_token_of_its_own(lena):
    first, second = login("lena").json()["token"], login("lena").json()["token"]
    assert first != second
    for token in (first, second):
        assert (
            client_for(None).get("/api/users/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code
            == 200
        )


def test_a_token_unused_for_the_ttl_is_401(lena):
    token = login("lena").json()["token"]
    AuthToken.objects.filter(user=lena).update(expiry=timezone.now() - timedelta(seconds=1))

    response = client_for(None).get("/api/users/me/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 401
    assert not AuthToken.objects.filter(user=lena).exists()


def test_using_a_token_renews_it(lena):
    token = login("lena").json()["token"]
    AuthToken.objects.filter(user=lena).update(expiry=timezone.now() + timedelta(hours=1))

    client_for(None).get("/api/users/me/", HTTP_AUTHORIZATION=f"Token {token}")

    renewed = AuthToken.objects.get(user=lena).expiry
    assert renewed > timezone.now() + timedelta(hours=9)


def test_logout_revokes_the_token_sent_only(lena):
    kept, dropped = login("lena").json()["token"], login("lena").json()["token"]
    client = client_for(None)

    assert client.delete(TOKEN_URL, HTTP_AUTHORIZATION=f"Token {dropped}").status_code == 204
    assert client.get("/api/users/me/", HTTP_AUTHORIZATION=f"Token {dropped}").status_code == 401
    assert client.get("/api/users/me/", HTTP_AUTHORIZATION=f"Token {kept}").status_code == 200


def test_logout_everywhere_revokes_every_token(lena):
    tokens = [login("lena").json()["token"] for _ in range(3)]
    client = client_for(None)

    response = client.delete("/api/auth/tokens/", HTTP_AUTHORIZATION=f"Token {tokens[0]}")

    assert response.status_code == 204
    for token in tokens:
        assert client.get("/api/users/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401


def test_logout_without_a_token_is_401(db):
    assert client_for(None).delete(TOKEN_URL).status_code == 401


def test_tokens_per_user_are_capped(lena, settings):
    settings.TOKENS_PER_USER = 2
    oldest = login("lena").json()["token"]
    login("lena")
    login("lena")
    assert AuthToken.objects.filter(user=lena).count() == 2
    response = client_for(None).get("/api/users/me/", HTTP_AUTHORIZATION=f"Token {oldest}")
    assert response.status_code == 401


def password_change(token, old, new):
    return client_for(None).post(
        "/api/users/me/password/",
        {"old_password": old, "new_password": new},
        format="json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )


def test_password_change_revokes_the_other_tokens_but_keeps_the_callers(lena):
    caller, other = login("lena").json()["token"], login("lena").json()["token"]

    assert password_change(caller, PASSWORD, "a-much-better-passphrase-77").status_code == 204

    client = client_for(None)
    assert client.get("/api/users/me/", HTTP_AUTHORIZATION=f"Token {caller}").status_code == 200
    assert client.get("/api/users/me/", HTTP_AUTHORIZATION=f"Token {other}").status_code == 401
    assert login("lena", "a-much-better-passphrase-77").status_code == 200
    assert login("lena", PASSWORD, address=ELSEWHERE).status_code == 400


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("wrong-old-password", "a-much-better-passphrase-77", "old_password"),
        (PASSWORD, "123", "new_password"),
    ],
)
def test_password_change_refuses_and_keeps_everything(lena, old, new, field):
    caller, other = login("lena").json()["token"], login("lena").json()["token"]

    response = password_change(caller, old, new)

    assert response.status_code == 400
    assert field in response.json()["errors"]
    lena.refresh_from_db()
    assert lena.check_password(PASSWORD)
    me = client_for(None).get("/api/users/me/", HTTP_AUTHORIZATION=f"Token {other}")
    assert me.status_code == 200
