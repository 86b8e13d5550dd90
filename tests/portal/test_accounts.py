"""A sponsor's own account (issue #23): registration, the verification link, the
invitation's page. An unverified address matches no invitation; registering a known
address reveals nothing and makes no second account; nothing is saved on bad input."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from core.audit import trail_of
from grants.models import User
from projects.models import Invitation, Membership
from projects.services import invitation_create
from tests.factories import UserFactory

PASSWORD = "a-long-Passw0rd!"
FORM = {
    "first_name": "Nora",
    "last_name": "Neumann",
    "email": "nora@verein-neu.example",
    "username": "nora",
    "password": PASSWORD,
    "password_again": PASSWORD,
}


def _link(mail, path: str) -> str:
    (link,) = re.findall(rf"{re.escape(settings.PUBLIC_URL)}(/{path}/\S+/)", mail.body)
    return link


@pytest.fixture
def register(db, mailoutbox, django_capture_on_commit_callbacks):
    def post(client=None, query="", **changes):
        client = client or Client()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/register/{query}", {**FORM, **changes})
        return response

    return post


def test_a_new_sponsor_registers_and_confirms_the_address(world, register, mailoutbox):
    with_invitation = invitation_create(
        organization=world.org_a, actor=world.sponsor_a, email=FORM["email"]
    )
    mailoutbox.clear()
    response = register()
    assert response.status_code == 200
    assert FORM["email"] in response.content.decode()
    user = User.objects.get(username="nora")
    assert user.email == FORM["email"] and not user.email_verified
    (mail,) = mailoutbox
    assert mail.to == [FORM["email"]]
    link = _link(mail, "register/confirm")

    client = Client()
    assert client.post("/sign-in/", {"login": "nora", "password": PASSWORD}).status_code == 302
    start = client.get("/").content.decode()
    # Unverified: the invitation to that address does not reach the account yet.
    assert "/register/resend/" in start
    assert with_invitation.organization.name not in start
    assert client.get(link).status_code == 200  # a link scanner's GET confirms nothing
    user.refresh_from_db()
    assert not user.email_verified
    assert client.post(link).status_code == 302
    user.refresh_from_db()
    assert user.email_verified
    start = client.get("/").content.decode()
    assert world.org_a.name in start and "/register/resend/" not in start
    assert [e.event for e in trail_of(user)] == ["user.register", "user.verify_email"]


def test_a_link_for_an_older_address_verifies_nothing(register, mailoutbox):
    register()
    link = _link(mailoutbox[-1], "register/confirm")
    user = User.objects.get(username="nora")
    user.email = "other@verein-neu.example"
    user.save()
    Client().post(link)
    user.refresh_from_db()
    assert not user.email_verified
    assert Client().get(link.replace("/confirm/", "/confirm/x")).status_code == 404


def test_a_known_address_makes_no_second_account_and_tells_its_owner(world, register, mailoutbox):
    owner = UserFactory(username="lena", email="lena@verein-a.example")
    response = register(email="LENA@verein-a.example", username="somebody")
    assert response.status_code == 200  # the same page as for a new address
    assert not User.objects.filter(username="somebody").exists()
    (mail,) = mailoutbox
    assert mail.to == [owner.email]
    assert "lena" in mail.body and "/password-reset/" in mail.body
    assert "/register/confirm/" not in mail.body


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"password_again": "something-else-1"}, "password_again"),
        ({"password": "1234", "password_again": "1234"}, "password"),
        ({"email": "no-address"}, "email"),
        ({"username": "sponsor_a"}, "username"),
        ({"username": "SPONSOR_A"}, "username"),
        ({"username": "bad name!"}, "username"),
        ({"first_name": ""}, "first_name"),
        ({"first_name": "x" * 151}, "first_name"),
    ],
)
def test_bad_registrations_say_why_and_save_nothing(world, register, mailoutbox, changes, field):
    before = User.objects.count()
    response = register(**changes)
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    assert User.objects.count() == before
    assert mailoutbox == []


def test_registering_from_the_invitation_link_verifies_the_address(
    world, register, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(organization=world.org_a, actor=world.sponsor_a, email=FORM["email"])
    path = _link(mailoutbox[-1], "invitations")
    mailoutbox.clear()
    client = Client()
    page = client.get(path).content.decode()
    assert "/register/?invitation=" in page
    token = path.split("/")[2]
    response = register(client, query=f"?invitation={token}")
    assert response.status_code == 302 and response["Location"] == path
    user = User.objects.get(username="nora")
    assert user.email_verified
    assert mailoutbox == []  # nothing to confirm: the invitation's link proved the address
    assert client.post(path, {"answer": "accept"}).status_code == 302
    assert Membership.objects.filter(user=user, organization=world.org_a).exists()


def test_a_stolen_invitation_link_registers_nothing_verified(
    world, register, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            organization=world.org_a, actor=world.sponsor_a, email="invited@verein-a.example"
        )
    token = _link(mailoutbox[-1], "invitations").split("/")[2]
    client = Client()
    register(client, query=f"?invitation={token}", email="thief@example.org")
    thief = User.objects.get(username="nora")
    assert not thief.email_verified
    invitation = Invitation.objects.get()
    assert client.post(f"/invitations/{token}/", {"answer": "accept"}).status_code == 404
    assert invitation.state == Invitation.State.OPEN


def test_someone_else_signed_in_cannot_answer(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(organization=world.org_a, actor=world.sponsor_a, email="x@verein.example")
    path = _link(mailoutbox[-1], "invitations")
    client = Client()
    client.force_login(world.sponsor_b)
    assert "x@verein.example" in client.get(path).content.decode()
    assert client.post(path, {"answer": "accept"}).status_code == 404
    assert not Membership.objects.filter(user=world.sponsor_b, organization=world.org_a).exists()


def test_a_new_link_at_most_every_few_minutes(
    register, mailoutbox, django_capture_on_commit_callbacks
):
    register()
    user = User.objects.get(username="nora")
    client = Client()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/register/resend/")
    assert len(mailoutbox) == 1  # the registration's mail only
    later = time_machine.travel(timezone.now() + timedelta(minutes=6))
    with later, django_capture_on_commit_callbacks(execute=True):
        client.post("/register/resend/")
    assert len(mailoutbox) == 2
    assert _link(mailoutbox[-1], "register/confirm")


# -- the organisation -----------------------------------------------------------------------

ORGANIZATION = {
    "name": "Kulturverein Neu e.V.",
    "legal_form": "eingetragener Verein",
    "address": "Hauptstraße 1\n56068 Koblenz",
    "email": "info@kulturverein-neu.example",
    "legal_representative": "Nora Neumann",
    "account_holder": "Kulturverein Neu e.V.",
    "iban": "DE89 3704 0044 0532 0130 00",
    "bic": "COBADEFFXXX",
}


def test_a_sponsor_registers_an_organisation_and_invites_someone(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    nora = UserFactory(username="nora")
    client = Client()
    client.force_login(nora)
    response = client.post("/organizations/new/", ORGANIZATION)
    assert response.status_code == 302
    organization = nora.organizations.get()
    assert organization.iban == "DE89370400440532013000"
    assert not organization.deducts_input_tax
    page = client.get(response["Location"]).content.decode()
    assert "DE89 3704 0044 0532 0130 00" in page
    edited = client.post(
        f"/organizations/{organization.pk}/edit/",
        {**ORGANIZATION, "deducts_input_tax": "on", "name": "Kulturverein Neu"},
    )
    assert edited.status_code == 302
    organization.refresh_from_db()
    assert organization.deducts_input_tax and organization.name == "Kulturverein Neu"
    with django_capture_on_commit_callbacks(execute=True):
        invited = client.post(
            f"/organizations/{organization.pk}/invite/", {"email": "Max@Example.org"}
        )
    assert invited.status_code == 302
    assert Invitation.objects.get(organization=organization).email == "max@example.org"
    assert mailoutbox[-1].to == ["max@example.org"]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"iban": "DE89 3704 0044 0532 0130 01"}, "iban"),
        ({"bic": "XYZ"}, "bic"),
        ({"name": ""}, "name"),
        ({"name": "x" * 500}, "name"),
        ({"email": "nope"}, "email"),
        ({"name": "Verein\u202eevil"}, "name"),
    ],
)
def test_bad_organisation_data_say_why_and_save_nothing(world, changes, field):
    client = Client()
    client.force_login(world.sponsor_a)
    before = world.org_a.name
    for url in ("/organizations/new/", f"/organizations/{world.org_a.pk}/edit/"):
        response = client.post(url, {**ORGANIZATION, **changes})
        assert response.status_code == 200
        assert f'id="id_{field}_error"' in response.content.decode()
    world.org_a.refresh_from_db()
    assert world.org_a.name == before
    assert world.sponsor_a.organizations.count() == 1


def test_another_organisation_cannot_be_changed_or_invited_to(world):
    client = Client()
    client.force_login(world.sponsor_b)
    assert client.get(f"/organizations/{world.org_a.pk}/edit/").status_code == 404
    assert client.post(f"/organizations/{world.org_a.pk}/edit/", ORGANIZATION).status_code == 404
    response = client.post(f"/organizations/{world.org_a.pk}/invite/", {"email": "a@b.example"})
    assert response.status_code == 404
    assert not Invitation.objects.exists()
