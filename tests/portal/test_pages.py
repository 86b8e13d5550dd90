"""The portal's pages through Django's test client (issue #23): sign-in by name or
e-mail with the lockout, the second factor, visibility (another organisation's
application is a 404), German amounts and dates, and no portal module that writes."""

import ast
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.fields import AmountField, GermanDateField, parse_amount
from tests.factories import bring_to, make_application

PASSWORD = "a-long-Passw0rd!"


@pytest.fixture
def sponsor(world):
    world.sponsor_a.set_password(PASSWORD)
    world.sponsor_a.email = "lena@example.org"
    world.sponsor_a.save()
    return world.sponsor_a


def _sign_in(client: Client, login: str, password: str = PASSWORD):
    return client.post("/sign-in/", {"login": login, "password": password})


def test_signed_out_the_start_page_is_the_sign_in(db):
    response = Client().get("/")
    assert response.status_code == 302 and response["Location"] == "/sign-in/"
    page = Client().get("/sign-in/")
    assert page.status_code == 200
    assert "style-src 'self'" in page["Content-Security-Policy"]
    assert "unsafe-inline" not in page["Content-Security-Policy"]


@pytest.mark.parametrize(
    "login", ["sponsor_a", "SPONSOR_A", "lena@example.org", "LENA@example.org"]
)
def test_a_sponsor_signs_in_by_name_or_e_mail(world, sponsor, login):
    client = Client()
    response = _sign_in(client, login)
    assert response.status_code == 302 and response["Location"] == "/"
    start = client.get("/")
    assert start.status_code == 200
    assert "Jugendzentrum A e.V." in start.content.decode()


def test_a_wrong_password_says_so_and_five_lock_the_account(world, sponsor):
    client = Client()
    for _ in range(5):
        response = _sign_in(client, "sponsor_a", "wrong")
    assert response.status_code in (200, 429)
    locked = _sign_in(client, "sponsor_a")  # even the right password now
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_second_factor_is_asked_and_a_wrong_code_refused(world, sponsor):
    device = TOTPDevice.objects.create(user=sponsor, name="Zuwendo", confirmed=True)
    client = Client()
    response = _sign_in(client, "sponsor_a")
    assert response["Location"].startswith("/sign-in/code/")
    assert "_auth_user_id" not in client.session  # not signed in on the password alone
    assert client.get("/").status_code == 302
    wrong = client.post("/sign-in/code/", {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    # django-otp slows the next try after a wrong code; the test does not wait for it.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    device.refresh_from_db()
    right = client.post("/sign-in/code/", {"code": code})
    assert right.status_code == 302
    assert client.get("/").status_code == 200


def test_staff_who_must_use_a_second_factor_set_it_up_in_the_browser(world, settings):
    settings.REQUIRE_2FA = True
    admin = world.admin
    admin.set_password(PASSWORD)
    admin.save()
    client = Client()
    response = _sign_in(client, "admin")
    assert response["Location"] == "/profile/two-factor/"
    assert client.get("/")["Location"] == "/profile/two-factor/"  # no way around it
    page = client.post("/profile/two-factor/", {"step": "start"})
    assert page.status_code == 200 and b"data:image/svg+xml;base64," in page.content
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    done = client.post("/profile/two-factor/", {"step": "confirm", "code": code})
    assert done.status_code == 200
    codes = re.findall(r"<code>([0-9a-z]+)</code>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 200  # the admin trusts the verified session


def test_another_organisations_application_is_not_found(world, sponsor):
    own = make_application(world)
    other = make_application(world, organization=world.org_b, sponsor=world.sponsor_b)
    client = Client()
    _sign_in(client, "sponsor_a")
    assert client.get(f"/applications/{own.pk}/").status_code == 200
    assert client.get(f"/applications/{other.pk}/").status_code == 404
    assert client.get("/applications/999999999/").status_code == 404


def test_the_application_page_tells_the_history_in_plain_words(world, sponsor):
    application = bring_to(world, make_application(world), "submitted")
    client = Client()
    _sign_in(client, "sponsor_a")
    page = client.get(f"/applications/{application.pk}/", HTTP_ACCEPT_LANGUAGE="de").content
    text = page.decode()
    assert "Antrag eingereicht" in text
    assert "application.submit" not in text and "draft" not in text
    assert "Auf die Entscheidung warten" in text


def test_the_start_page_names_the_next_step_and_its_deadline(world, sponsor):
    make_application(world)
    client = Client()
    _sign_in(client, "sponsor_a")
    text = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Entwurf" in text and "Antrag vervollständigen und einreichen" in text
    assert "fällig am" in text


def test_the_profile_saves_the_language_and_refuses_nonsense(world, sponsor):
    client = Client()
    _sign_in(client, "sponsor_a")
    bad = client.post("/profile/", {"language": "xx", "first_name": "Lena"})
    assert bad.status_code == 200
    sponsor.refresh_from_db()
    assert sponsor.first_name != "Lena"  # nothing saved
    good = client.post("/profile/", {"language": "en", "first_name": "Lena"})
    assert good.status_code == 302
    sponsor.refresh_from_db()
    assert sponsor.language == "en" and sponsor.first_name == "Lena"


def test_a_password_reset_by_e_mail_link(world, sponsor, settings):
    settings.PUBLIC_URL = "https://zuwendo.example.org"
    client = Client()
    client.post("/password-reset/", {"email": "lena@example.org"})
    [message] = mail.outbox
    link = re.search(r"https://zuwendo\.example\.org(/password-reset/\S+/)", message.body)
    assert link, message.body
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Ein-neues-Kennwort-2026", "new_password2": "Ein-neues-Kennwort-2026"},
    )
    assert done.status_code == 302
    assert _sign_in(Client(), "sponsor_a", "Ein-neues-Kennwort-2026").status_code == 302


def test_sign_out_is_a_post(world, sponsor):
    client = Client()
    _sign_in(client, "sponsor_a")
    assert client.get("/sign-out/").status_code == 405
    client.post("/sign-out/")
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1.234,56", Decimal("1234.56")),
        ("1234,56", Decimal("1234.56")),
        ("1234.56", Decimal("1234.56")),
        ("1.234", Decimal("1234")),
        ("12.345.678,9", Decimal("12345678.9")),
        ("1 234,56 €", Decimal("1234.56")),
        ("0,5", Decimal("0.5")),
    ],
)
def test_german_amounts_are_read_as_meant(typed, amount):
    assert parse_amount(typed) == amount


@pytest.mark.parametrize("typed", ["1,234.56", "1.23.4", "abc", "1,2,3", "١٢٣", "1e5", "--1", ""])
def test_anything_else_is_not_an_amount(typed):
    assert parse_amount(typed) is None


def test_the_amount_and_date_fields_answer_in_plain_words():
    from django import forms

    with pytest.raises(forms.ValidationError):
        AmountField().clean("12,345")  # three places after a comma: not an amount
    assert AmountField().clean("1.234,5") == Decimal("1234.50")
    with pytest.raises(forms.ValidationError):
        AmountField().clean("-5")
    assert str(GermanDateField().clean("14.12.2026")) == "2026-12-14"
    with pytest.raises(forms.ValidationError):
        GermanDateField().clean("31.02.2026")


def test_no_portal_module_writes_a_model_or_assigns_a_state():
    """The portal calls services; it never saves, creates, updates or deletes a row,
    and never assigns a state (PORTAL.md; issue #23)."""
    writes = {"save", "create", "update", "delete", "bulk_create", "bulk_update", "get_or_create"}
    found = []
    for path in Path("portal").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            call = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            if call and node.func.attr in writes:
                found.append(f"{path}:{node.lineno} .{node.func.attr}()")
            if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Attribute) and target.attr in {"state", "status"}:
                        found.append(f"{path}:{node.lineno} .{target.attr} =")
    assert found == []


def test_an_e_mail_link_leads_through_the_sign_in_to_its_page(world, sponsor):
    application = bring_to(world, make_application(world), "submitted")
    client = Client()
    page = f"/applications/{application.pk}/"
    response = client.get(page)
    assert response.status_code == 302 and response["Location"] == f"/sign-in/?next={page}"
    signed_in = client.post(f"/sign-in/?next={page}", {"login": "sponsor_a", "password": PASSWORD})
    assert signed_in["Location"] == page
    body = client.get(page).content.decode()
    assert f"/api/applications/{application.pk}/documents/application/" in body


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_the_sign_in_never_sends_elsewhere(world, sponsor, target):
    response = Client().post(
        "/sign-in/", {"login": "sponsor_a", "password": PASSWORD, "next": target}
    )
    assert response["Location"] == "/"


def test_a_sponsor_submits_in_the_browser_once_nothing_is_missing(world, sponsor):
    from grants.models import AnnexType

    application = make_application(world)
    annex = AnnexType.objects.create(call=world.call, name="Satzung", required=True)
    client = Client()
    _sign_in(client, "sponsor_a")
    page = client.get(f"/applications/{application.pk}/", HTTP_ACCEPT_LANGUAGE="de")
    text = page.content.decode()
    assert "noch nicht möglich" in text and "Satzung" in text  # the reason, in words
    refused = client.post(f"/applications/{application.pk}/steps/submit/")
    assert refused.status_code == 200 and "Satzung" in refused.content.decode()
    application.refresh_from_db()
    assert application.state == "draft"  # nothing changed
    annex.required = False
    annex.save()
    done = client.post(f"/applications/{application.pk}/steps/submit/")
    assert done.status_code == 302 and done["Location"] == f"/applications/{application.pk}/"
    application.refresh_from_db()
    assert application.state == "submitted" and application.reference


def test_steps_of_others_and_unknown_steps_are_not_found(world, sponsor):
    other = make_application(world, organization=world.org_b, sponsor=world.sponsor_b)
    own = make_application(world)
    client = Client()
    _sign_in(client, "sponsor_a")
    assert client.post(f"/applications/{other.pk}/steps/submit/").status_code == 404
    assert client.get(f"/applications/{own.pk}/steps/no-such-step/").status_code == 404
    refused = client.post(f"/applications/{own.pk}/steps/fast_track_approve/")
    assert refused.status_code == 200  # the office's step: refused by the service
    own.refresh_from_db()
    assert own.state == "draft"


def test_an_empty_sign_in_says_what_is_missing(db):
    response = Client().post("/sign-in/", {}, HTTP_ACCEPT_LANGUAGE="de")
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count('class="kern-error"') == 2 and 'aria-invalid="true"' in text


def test_the_organisation_page_is_for_its_members_and_the_office(world, sponsor):
    world.org_a.iban = "DE89370400440532013000"
    world.org_a.save()
    client = Client()
    _sign_in(client, "sponsor_a")
    page = client.get(f"/organizations/{world.org_a.pk}/").content.decode()
    assert "DE89 3704 0044 0532 0130 00" in page and "Jugendzentrum A e.V." in page
    assert client.get(f"/organizations/{world.org_b.pk}/").status_code == 404


def test_wrong_codes_lock_the_account_like_wrong_passwords(world, sponsor):
    device = TOTPDevice.objects.create(user=sponsor, name="Zuwendo", confirmed=True)
    client = Client()
    _sign_in(client, "sponsor_a")
    for _ in range(5):
        client.post("/sign-in/code/", {"code": "000000"})
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    locked = client.post("/sign-in/code/", {"code": code})
    assert locked.status_code == 302 and locked["Location"] == "/sign-in/"
    assert "_auth_user_id" not in client.session


def test_the_language_switch_keeps_the_accounts_language(world, sponsor):
    client = Client()
    _sign_in(client, "sponsor_a")
    response = client.post("/language/", {"language": "en", "next": "/profile/"})
    assert response["Location"] == "/profile/"
    sponsor.refresh_from_db()
    assert sponsor.language == "en"  # its e-mails follow
    assert "Your profile" in client.get("/profile/").content.decode()
    client.post("/language/", {"language": "xx"})
    sponsor.refresh_from_db()
    assert sponsor.language == "de"
    signed_out = Client().post("/language/", {"language": "en", "next": "https://evil.example"})
    assert signed_out["Location"] == "/"


def test_the_code_step_keeps_a_next_address_with_its_query(world, sponsor):
    TOTPDevice.objects.create(user=sponsor, name="Zuwendo", confirmed=True)
    response = Client().post(
        "/sign-in/?next=/profile/%3Fa%3D1%26b%3D2",
        {"login": "sponsor_a", "password": PASSWORD},
    )
    assert response["Location"] == "/sign-in/code/?next=%2Fprofile%2F%3Fa%3D1%26b%3D2"


def test_the_start_page_reads_as_many_queries_for_five_funded_projects_as_for_one(world):
    """Each funded row shows its next deadline: read for the page at once, not per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(world.sponsor_a)
    bring_to(world, make_application(world, title="Eins"), "funded")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/").status_code == 200
    for number in range(4):
        bring_to(world, make_application(world, title=f"Projekt {number}"), "funded")
    with CaptureQueriesContext(connection) as five:
        page = client.get("/").content.decode()
    assert len(five) == len(one)
    assert page.count("Verwendungsnachweis einreichen") >= 5
