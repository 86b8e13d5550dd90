"""The findings of the black-box attack of issue #19, one test (or one family) each; every
one of them failed before its fix."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from core.text import Limit
from grants.models import User
from projects.models import Expenditure, Invitation
from reports.pdf import style
from tests.factories import UserFactory, make_application, seat_committee
from tests.test_hostile_input import assert_contract_error, row_counts
from tests.workflows.test_money import _paid, _proof, _receipt, _transition


# -- High: one PDF request stalls a worker -----------------------------------------------------
def test_text_beyond_its_limit_is_refused_and_nothing_is_saved(world, api):
    client = api(world.sponsor_a)
    before = row_counts()
    response = client.post(
        "/api/applications/",
        {
            "call": world.call.pk,
            "organization": world.org_a.pk,
            "title": "Werkstatt",
            "summary": "x" * (Limit.SUMMARY + 1),
        },
        format="json",
    )
    assert_contract_error(response, 400, "invalid")
    assert "summary" in response.json()["errors"]
    assert row_counts() == before


def test_the_limit_holds_in_the_model_too(world):
    # A service, a command or the shell that forgets to validate is stopped on save.
    from core.errors import InvalidInput

    application = make_application(world)
    application.summary = "y" * (Limit.SUMMARY + 1)
    with pytest.raises(InvalidInput) as refused:
        application.save()
    assert "summary" in refused.value.errors


def test_long_text_is_laid_out_in_bounded_pieces():
    # 800,000 characters in one paragraph took 60 s (reportlab re-lays a paragraph at
    # each page split: the square of its length). Bounded pieces keep it linear; the
    # time itself is measured by bench/reports.py, not here.
    for text in ("Wort " * 20_000, "x" * 50_000, "Zeile\n" * 9_000):
        parts = style.pieces(text.strip())
        assert all(len(part) <= style.PIECE for part in parts)
        assert len(parts) >= len(text.strip()) // style.PIECE
        assert len(style.long_text(text)) == len(parts)


def test_long_text_keeps_every_word_across_its_pieces():
    words = [f"w{n}" for n in range(5_000)]
    flowables = style.long_text(" ".join(words))
    assert len(flowables) > 1
    joined = " ".join(f.text for f in flowables)  # Paragraph keeps its source text
    assert joined.split() == words


def test_a_render_past_its_bound_fails_cleanly(world, api, settings):
    settings.DOCUMENT_RENDER_SECONDS = 0
    application = make_application(world)
    client = api(world.sponsor_a)
    before = row_counts()
    response = client.get(f"/api/applications/{application.pk}/documents/application/")
    assert_contract_error(response, 503, "render_timeout")
    assert row_counts() == before  # nothing kept


def test_an_unchanged_document_is_not_rendered_again(world, api, monkeypatch):
    from reports.pdf import application as application_pdf

    application = make_application(world)
    url = f"/api/applications/{application.pk}/documents/application/"
    first = api(world.sponsor_a).get(url)
    assert first.status_code == 200
    calls = []
    monkeypatch.setattr(application_pdf, "render", lambda sheet: calls.append(sheet) or b"")
    again = api(world.sponsor_a).get(url)
    assert again.status_code == 200 and calls == []
    assert b"".join(again.streaming_content if again.streaming else [again.content]) == b"".join(
        first.streaming_content if first.streaming else [first.content]
    )
    application.title = "Neuer Titel"
    application.save()
    api(world.sponsor_a).get(url)
    assert len(calls) == 1  # the data changed: rendered anew


# -- Medium: a large receipt breaks the proof of use for good ----------------------------------
def test_a_receipt_far_above_its_plan_still_gives_a_statement(funded, api):
    _paid(api, funded, "400.00")
    created = _receipt(api, funded, "1000000.00")
    assert created.status_code == 201, created.json()
    answer = _proof(api, funded)
    assert answer.status_code == 200, answer.json()
    lines = answer.json()["statement"]["categories"]
    # 1,000,000 € on a plan of 400 €: 249,900 %, beyond the 7 digits the field had.
    assert any(Decimal(line["over_percent"]) == Decimal("249900.00") for line in lines)
    assert (
        api(funded.office)
        .get(f"/api/applications/{funded.application.pk}/proof-of-use/")
        .status_code
        == 200
    )


@pytest.mark.parametrize("amount", ["100000000.00", "9999999999.99"])
def test_amounts_beyond_what_a_program_funds_are_refused(funded, api, amount):
    before = Expenditure.objects.count()
    response = _receipt(api, funded, amount)
    assert_contract_error(response, 400, "invalid")
    assert Expenditure.objects.count() == before


# -- Medium: dates before the first base rate --------------------------------------------------
def test_a_payout_is_not_paid_before_its_approval(funded, api):
    payment = (
        api(funded.sponsor_a)
        .post(
            f"/api/applications/{funded.application.pk}/payments/",
            {"amount": "100.00", "needed_by": timezone.localdate().isoformat()},
            format="json",
        )
        .json()["id"]
    )
    api(funded.office).post(f"/api/payments/{payment}/transitions/approve/", {}, format="json")
    response = api(funded.office).post(
        f"/api/payments/{payment}/transitions/mark_paid/", {"paid_on": "2023-12-15"}, format="json"
    )
    assert_contract_error(response, 400, "invalid")
    assert "paid_on" in response.json()["errors"]


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2023-12-15"])
def test_a_revocation_does_not_take_effect_before_the_first_payout(funded, api, day):
    _paid(api, funded, "400.00", paid_on=timezone.localdate() - timedelta(days=5))
    response = _transition(
        api,
        funded.office,
        funded,
        "revoke",
        comment="Zweck verfehlt.",
        hearing_on=timezone.localdate().isoformat(),
        effective_from=day,
    )
    assert_contract_error(response, 400, "invalid")
    funded.application.refresh_from_db()
    assert funded.application.state == "funded"


# -- Medium: committee members read the sponsor's money through the history --------------------
def test_the_committee_reads_no_money_in_history_or_fields(world, api, application_in):
    seat_committee(world)
    application = application_in("funded")
    advisory = world.advisory[0]
    payment = api(world.sponsor_a).post(
        f"/api/applications/{application.pk}/payments/",
        {"amount": "100.00", "needed_by": timezone.localdate().isoformat()},
        format="json",
    )
    assert payment.status_code == 201
    office_history = api(world.office).get(f"/api/applications/{application.pk}/history/").json()
    assert any(entry["event"].startswith("payment.") for entry in office_history)
    history = api(advisory).get(f"/api/applications/{application.pk}/history/")
    assert history.status_code == 200
    assert not any(entry["event"].startswith("payment.") for entry in history.json())
    assert "100.00" not in history.content.decode()
    fields = api(advisory).get(f"/api/applications/{application.pk}/").json()
    for name in ("paid_out", "reclaim_amount", "interest_from", "repaid_amount"):
        assert fields[name] is None
    assert api(world.sponsor_a).get(f"/api/applications/{application.pk}/").json()["paid_out"]


# -- Medium: a line break in a name makes invitations fail after saving ------------------------
@pytest.mark.parametrize(
    "name", ["Org\r\nBcc: opfer@example.org", "Org\nZwei", "A\u2028B", "N\x00L"]
)
def test_single_line_fields_refuse_control_characters(world, api, name):
    client = api(world.sponsor_a)
    before = row_counts()
    response = client.post("/api/organizations/", {"name": name}, format="json")
    assert_contract_error(response, 400, "invalid")
    assert "name" in response.json()["errors"]
    assert row_counts() == before


def test_prose_keeps_its_line_breaks(world, api):
    response = api(world.sponsor_a).patch(
        f"/api/organizations/{world.org_a.pk}/",
        {"address": "Hauptstraße 1\r\n56068 Koblenz"},
        format="json",
    )
    assert response.status_code == 200, response.json()


def test_an_invitation_whose_mail_fails_is_still_answered(
    world, api, monkeypatch, django_capture_on_commit_callbacks
):
    # The action committed; a mail server that refuses must not turn it into a 500.
    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise OSError("mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(world.sponsor_a).post(
            f"/api/organizations/{world.org_a.pk}/invitations/",
            {"email": "neu@example.org"},
            format="json",
        )
    assert response.status_code == 201
    assert Invitation.objects.filter(email="neu@example.org").exists()
    from workflows.models import Delivery

    assert Delivery.objects.get(address="neu@example.org").state == Delivery.State.FAILED


def test_a_subject_stays_one_line_whatever_was_stored(world):
    from workflows.delivery import deliver

    deliver(
        key="t-1",
        occasion="test",
        user=None,
        address="a@example.org",
        render=lambda: ("Einladung\r\nBcc: x@example.org", "Text"),
    )
    message = mail.outbox[-1].message()
    assert message["Subject"] == "Einladung Bcc: x@example.org"
    assert message["Bcc"] is None


# -- Medium: unknown charsets answer 500, before sign-in ----------------------------------------
@pytest.mark.parametrize(
    "charset", ["rot13", "base64", "hex", "zlib", "bz2", "uu", "quopri", "no-such-charset"]
)
def test_charsets_that_are_no_text_encoding_are_415(db, charset):
    # generic(): the test client's post() would itself encode the body in that charset.
    response = Client(raise_request_exception=False).generic(
        "POST",
        "/api/auth/token/",
        b'{"username": "x", "password": "geheim"}',
        content_type=f"application/json; charset={charset}",
    )
    assert_contract_error(response, 415, "unsupported_type")
    assert b"geheim" not in response.content


def test_a_text_charset_is_read(db):
    response = Client().generic(
        "POST",
        "/api/auth/token/",
        '{"username": "x", "password": "y"}'.encode("latin-1"),
        content_type="application/json; charset=latin-1",
    )
    assert_contract_error(response, 400, "invalid")  # parsed: wrong credentials


# -- Low: usernames of every account through a role -----------------------------------------
# (tests/grants/test_api.py: test_office_cannot_name_or_read_an_account_outside_its_programs)


# -- Low: the anonymous rate limit trusts X-Forwarded-For -------------------------------------
def test_the_anonymous_limit_counts_the_peer_not_its_header(db, settings):
    settings.ANONYMOUS_RATE = "3/minute"
    answers = [
        Client().get("/api/schema/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
        for n in range(5)
    ]
    assert answers[-1] == 429


def test_behind_a_trusted_proxy_its_last_hop_is_the_client(settings, rf):
    from core.net import client_address

    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8", REMOTE_ADDR="10.0.0.1")
    assert client_address(request) == "10.0.0.1"
    settings.TRUSTED_PROXY = True
    assert client_address(request) == "5.6.7.8"


# -- Low: password guessing with a stolen token ---------------------------------------------
def test_wrong_old_passwords_lock_the_account(world, api, settings):
    client = api(world.sponsor_a)
    body = {"old_password": "falsch", "new_password": "Ein-neues-Passwort-2026"}
    answers = [
        client.post("/api/users/me/password/", body, format="json").status_code for _ in range(6)
    ]
    assert answers[:5] == [400] * 5
    assert answers[5] == 429


def test_turning_two_factor_on_revokes_the_other_tokens(world, api):
    from django_otp.oath import TOTP

    old = AuthToken.objects.create(user=world.sponsor_a)[1]
    client = api(world.sponsor_a)
    client.post("/api/users/me/two-factor/", format="json")
    device = world.sponsor_a.totpdevice_set.get()
    code = TOTP(device.bin_key, device.step, device.t0, device.digits).token()
    confirmed = client.post(
        "/api/users/me/two-factor/confirm/", {"code": str(code).zfill(6)}, format="json"
    )
    assert confirmed.status_code == 200, confirmed.json()
    stale = Client().get("/api/users/me/", HTTP_AUTHORIZATION=f"Token {old}")
    assert stale.status_code == 401
    assert client.get("/api/users/me/").status_code == 200  # the caller's own stays


# -- Low: lax number parsing --------------------------------------------------------------------
@pytest.mark.parametrize("amount", ["٤٠", "４０", "1_00", "1.0000000000000000000001"])
def test_amounts_are_ascii_digits_with_two_places(funded, api, amount):
    response = api(funded.sponsor_a).post(
        f"/api/applications/{funded.application.pk}/payments/", {"amount": amount}, format="json"
    )
    assert_contract_error(response, 400, "invalid")


def test_a_json_number_with_more_places_is_not_rounded(funded, api):
    body = '{"amount": 1.0000000000000000000001}'
    response = api(funded.sponsor_a).post(
        f"/api/applications/{funded.application.pk}/payments/",
        body,
        content_type="application/json",
    )
    assert_contract_error(response, 400, "invalid")


TODAY = date.today().isoformat()


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("payments", {"amount": 100, "needed_by": TODAY}, "amount"),  # strings (CONTRACT.md)
        ("payments", {"amount": "100.00", "note": 7, "needed_by": TODAY}, "note"),
        ("payments", {"amount": "100.00", "needed_by": 20260101}, "needed_by"),
        ("proof-of-use", {"narrative": "x", "participants": "38"}, "participants"),
        ("proof-of-use", {"narrative": ["x"]}, "narrative"),
    ],
)
def test_values_have_the_json_type_of_the_schema(funded, api, path, body, field):
    """#20, schemathesis' negative phase: a value of another JSON type was coerced (``0``
    stored as the address ``"0"``, ``100`` as an amount); now a 400 naming it."""
    client = api(funded.sponsor_a)
    url = f"/api/applications/{funded.application.pk}/{path}/"
    response = (client.post if path == "payments" else client.put)(url, body, format="json")
    assert_contract_error(response, 400, "invalid")
    assert list(response.json()["errors"]) == [field]


def test_flags_are_true_or_false_and_ids_numbers(world, api):
    client = api(world.sponsor_a)
    flag = client.post(
        "/api/organizations/", {"name": "Verein C", "is_municipal": "false"}, format="json"
    )
    assert_contract_error(flag, 400, "invalid")
    address = client.post("/api/organizations/", {"name": "Verein C", "address": 0}, format="json")
    assert_contract_error(address, 400, "invalid")
    lines = [{"category": "honorare", "description": "Honorar", "amount": 400}]
    application = client.post(
        "/api/applications/",
        {"call": str(world.call.pk), "organization": world.org_a.pk, "title": "T"},
        format="json",
    )
    assert list(application.json()["errors"]) == ["call"]
    nested = client.post(
        "/api/applications/",
        {
            "call": world.call.pk,
            "organization": world.org_a.pk,
            "title": "T",
            "budget_lines": lines,
        },
        format="json",
    )
    assert_contract_error(nested, 400, "invalid")
    assert "budget_lines" in str(nested.json()["errors"])


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize("digits", [ARABIC_INDIC, FULLWIDTH], ids=["arabic-indic", "fullwidth"])
def test_path_ids_in_other_digits_do_not_resolve(world, api, digits):
    pk = str(world.org_a.pk).translate(digits)
    response = api(world.sponsor_a).get(f"/api/organizations/{pk}/")
    assert_contract_error(response, 404, "not_found")


def test_a_path_id_beyond_64_bits_is_404(world, api):
    response = api(world.sponsor_a).delete(
        f"/api/organizations/{world.org_a.pk}/members/931933943866713178112/"
    )
    assert_contract_error(response, 404, "not_found")


def test_ids_in_bodies_and_filters_are_ascii_digits(world, api):
    response = api(world.sponsor_a).post(
        "/api/applications/",
        {"call": "٤", "organization": str(world.org_a.pk), "title": "T"},
        format="json",
    )
    assert_contract_error(response, 400, "invalid")
    assert "call" in response.json()["errors"]
    listed = api(world.sponsor_a).get("/api/applications/?program=%D9%A4")
    assert_contract_error(listed, 400, "invalid")
    sized = api(world.sponsor_a).get("/api/applications/?page_size=null")
    assert_contract_error(sized, 400, "invalid")
    huge = api(world.sponsor_a).get("/api/applications/?page_size=" + "9" * 5000)
    assert_contract_error(huge, 400, "invalid")  # int() refuses 4,300 digits: not a 500
    far = api(world.sponsor_a).get("/api/applications/?page=" + "9" * 5000)
    assert_contract_error(far, 404, "not_found")


# -- Low: an existence oracle -------------------------------------------------------------------
def test_applying_for_an_invisible_or_unknown_organisation_answers_alike(world, api):
    answers = [
        api(world.sponsor_a).post(
            "/api/applications/",
            {"call": world.call.pk, "organization": pk, "title": "T"},
            format="json",
        )
        for pk in (world.org_b.pk, 999_999)
    ]
    assert [a.status_code for a in answers] == [400, 400]
    messages = [a.json()["errors"]["organization"] for a in answers]
    assert messages[0] == [m.replace("999999", str(world.org_b.pk)) for m in messages[1]]


# -- Low: look-alike usernames ------------------------------------------------------------------
@pytest.mark.parametrize(
    "lookalike", ["\uff54raeger.koblenz", "Traeger.Koblenz", "TRAEGER.KOBLENZ"]
)
def test_look_alike_usernames_are_refused(world, api, lookalike):
    UserFactory(username="traeger.koblenz")
    response = api(world.admin).post(
        "/api/users/",
        {"username": lookalike, "email": "x@example.org", "password": "Ein-gutes-Passwort-26"},
        format="json",
    )
    assert_contract_error(response, 400, "invalid")
    assert "username" in response.json()["errors"]
    assert User.objects.filter(username_key="traeger.koblenz").count() == 1


def test_any_spelling_signs_in_and_shares_the_lock(db):
    user = UserFactory(username="traeger.koblenz")
    user.set_password("richtig-richtig")
    user.save()
    signed_in = Client().post(
        "/api/auth/token/",
        {"username": "Traeger.Koblenz", "password": "richtig-richtig"},
        content_type="application/json",
    )
    assert signed_in.status_code == 200
    spellings = ["traeger.koblenz", "TRAEGER.koblenz", "\uff54raeger.koblenz"] * 2
    answers = [
        Client()
        .post(
            "/api/auth/token/",
            {"username": name, "password": "falsch"},
            content_type="application/json",
        )
        .status_code
        for name in spellings
    ]
    assert answers[-1] == 429


# -- Low: HTML under DEBUG ---------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/no-such-thing/", "/api/organizations/abc/"])
def test_the_api_answers_json_under_debug(db, settings, path):
    settings.DEBUG = True
    response = Client().get(path)
    assert_contract_error(response, 404, "not_found")


def test_a_server_error_under_debug_is_json_without_the_request(world, settings, monkeypatch):
    from projects import api as projects_api

    settings.DEBUG = True

    def broken(*args, **kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(projects_api.ApplicationViewSet, "list", broken)
    client = Client(raise_request_exception=False)
    client.force_login(world.sponsor_a)
    response = client.get("/api/applications/")
    assert_contract_error(response, 500, "server_error")
    assert b"kaputt" not in response.content


# -- Informational: the admin's wrong second-factor codes ----------------------------------
def test_wrong_codes_at_the_admin_login_are_counted(world, settings):
    from axes.models import AccessAttempt
    from django_otp.plugins.otp_totp.models import TOTPDevice

    staff = world.office
    staff.is_staff = True
    staff.set_password("richtig-richtig")
    staff.save()
    TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    for _attempt in range(2):
        Client().post(
            "/admin/login/",
            {"username": staff.username, "password": "richtig-richtig", "otp_token": "000000"},
        )
    assert sum(a.failures_since_start for a in AccessAttempt.objects.all()) >= 2


def test_a_value_taller_than_a_page_splits_across_pages(world, api):
    # Found by the property test: an address within its 500 characters but of 83 lines
    # made a table row taller than the page, and the application's PDF a 500.
    from tests.reports.pdfs import text

    address = "Zeile\n" * 83
    assert len(address) <= Limit.ADDRESS
    changed = api(world.sponsor_a).patch(
        f"/api/organizations/{world.org_a.pk}/", {"address": address}, format="json"
    )
    assert changed.status_code == 200
    application = make_application(world)
    response = api(world.sponsor_a).get(
        f"/api/applications/{application.pk}/documents/application/"
    )
    assert response.status_code == 200
    assert (
        text(
            b"".join(response.streaming_content) if response.streaming else response.content
        ).count("Zeile")
        == 83
    )


@pytest.mark.parametrize("value", ["٤", "9" * 30, "9" * 5000])
def test_ids_in_query_parameters_are_ascii_digits_in_range(world, api, value):
    application = make_application(world)
    meetings = api(world.office).get(f"/api/meetings/?body={value}")
    assert meetings.status_code == 200 and meetings.json()["count"] == 0
    reports = api(world.office).get(f"/api/reports/?program={value}")
    assert reports.status_code == 200
    version = api(world.sponsor_a).get(
        f"/api/applications/{application.pk}/documents/application/?version={value}"
    )
    assert_contract_error(version, 400, "invalid")


def test_a_username_too_long_once_normalised_is_refused(world, api):
    # Found by the property test on PostgreSQL: "ﷺ" is one character and 18 in NFKC,
    # so a name within its 150 characters overflowed the column (500).
    before = User.objects.count()
    response = api(world.admin).post(
        "/api/users/",
        {"username": "\ufdfa" * 10, "email": "n@example.org", "password": "Ein-gutes-Passwort-26"},
        format="json",
    )
    assert_contract_error(response, 400, "invalid")
    assert "150" in response.json()["errors"]["username"][0]  # the length message
    assert User.objects.count() == before
